#include "engine/graph/typed_graph.h"

#include <optional>
#include <string>
#include <vector>

#include "boost/graph/connected_components.hpp"
#include "engine/testing/status_matchers.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace coalition::graph {
namespace {

constexpr char kModel[] = R"pb(
  name: "g"
  nations { id: "USA" name: "United States" groups: "NATO" groups: "FVEY" }
  nations { id: "GBR" name: "United Kingdom" groups: "FVEY" }
  groups { id: "NATO" name: "NATO" }
  groups { id: "FVEY" name: "Five Eyes" shares_information: true }
  platforms {
    id: "F-35A" name: "F-35A" domain: AIR roles: "fighter" roles: "isr" unit_cost_musd: 82.5
    designer_nation: "USA" producer_nations: "USA" links: "MADL" links: "LINK16"
    standards: "J-E" standards: "MADL-MSG"
    components { component: "ENGINE" critical: true }
    components { component: "SEAT" }
    gateways { standard_a: "J-E" standard_b: "MADL-MSG" }
  }
  links { id: "LINK16" name: "Link 16" standards: "J-E" voice_capable: true releasable_to: "NATO" }
  links { id: "MADL" name: "MADL" standards: "MADL-MSG" releasable_to: "USA" releasable_to: "FVEY" }
  standards { id: "J-E" name: "J series E" family: "J" version: 5 }
  standards { id: "MADL-MSG" name: "MADL messages" family: "MADL" version: 1 }
  components { id: "ENGINE" name: "F135" suppliers: "PW" sub_components { component: "MAGNET" critical: true } }
  components { id: "MAGNET" name: "magnet" suppliers: "PW" suppliers: "CN-MAG" }
  components { id: "SEAT" name: "seat" suppliers: "MB" }
  suppliers { id: "PW" name: "Pratt" nation: "USA" }
  suppliers { id: "CN-MAG" name: "magnets" nation: "USA" }
  suppliers { id: "MB" name: "Martin-Baker" nation: "GBR" }
)pb";

coalition::v1::Model Parse(const char* text) {
  coalition::v1::Model m;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &m));
  return m;
}

std::vector<std::string> Ids(const TypedGraph& g, absl::Span<const NodeId> nodes) {
  std::vector<std::string> out;
  for (NodeId n : nodes) out.emplace_back(g.IdOf(n));
  return out;
}

TEST(TypedGraphTest, InternsIdsDenselyPerKind) {
  ASSERT_OK_AND_ASSIGN(TypedGraph g, BuildGraph(Parse(kModel)));
  EXPECT_EQ(g.Count(EntityKind::kNation), 2u);
  EXPECT_EQ(g.Count(EntityKind::kSupplier), 3u);
  EXPECT_EQ(g.num_nodes(), 2u + 2 + 1 + 2 + 2 + 3 + 3);
  EXPECT_EQ(*g.Find(EntityKind::kLink, "MADL"), 1u);
  EXPECT_FALSE(g.Find(EntityKind::kLink, "madl").has_value());  // case-sensitive
  EXPECT_FALSE(g.Find(EntityKind::kNation, "MADL").has_value());  // per kind
  NodeId madl = g.Node(EntityKind::kLink, 1);
  EXPECT_EQ(g.KindOf(madl), EntityKind::kLink);
  EXPECT_EQ(g.Local(madl), 1u);
  EXPECT_EQ(g.IdOf(madl), "MADL");
  EXPECT_EQ(g.Name(EntityKind::kNation, 1), "United Kingdom");
  EXPECT_EQ(g.model_name(), "g");
}

TEST(TypedGraphTest, TypedNeighborsKeepModelOrder) {
  ASSERT_OK_AND_ASSIGN(TypedGraph g, BuildGraph(Parse(kModel)));
  NodeId f35 = g.Node(EntityKind::kPlatform, 0);
  EXPECT_EQ(Ids(g, g.Neighbors(f35, EdgeKind::kFits)), (std::vector<std::string>{"MADL", "LINK16"}));
  EXPECT_EQ(Ids(g, g.Neighbors(f35, EdgeKind::kSpeaks)),
            (std::vector<std::string>{"J-E", "MADL-MSG"}));
  EXPECT_EQ(Ids(g, g.Neighbors(f35, EdgeKind::kUsesCritical)), (std::vector<std::string>{"ENGINE"}));
  EXPECT_EQ(Ids(g, g.Neighbors(f35, EdgeKind::kUses)), (std::vector<std::string>{"SEAT"}));
  EXPECT_TRUE(g.Neighbors(f35, EdgeKind::kCarries).empty());
  NodeId madl = g.Node(EntityKind::kLink, 1);
  auto rel = g.Neighbors(madl, EdgeKind::kReleasableTo);
  ASSERT_EQ(rel.size(), 2u);
  EXPECT_EQ(g.KindOf(rel[0]), EntityKind::kNation);
  EXPECT_EQ(g.KindOf(rel[1]), EntityKind::kGroup);
  NodeId engine = g.Node(EntityKind::kComponent, 0);
  EXPECT_EQ(Ids(g, g.Neighbors(engine, EdgeKind::kSubCritical)), (std::vector<std::string>{"MAGNET"}));
  NodeId usa = g.Node(EntityKind::kNation, 0);
  EXPECT_EQ(Ids(g, g.Neighbors(usa, EdgeKind::kMemberOf)), (std::vector<std::string>{"NATO", "FVEY"}));
}

TEST(TypedGraphTest, SideTables) {
  ASSERT_OK_AND_ASSIGN(TypedGraph g, BuildGraph(Parse(kModel)));
  EXPECT_DOUBLE_EQ(g.platform(0).unit_cost_musd, 82.5);
  EXPECT_EQ(g.platform(0).domain, coalition::v1::AIR);
  ASSERT_EQ(g.gateways(0).size(), 1u);
  EXPECT_EQ(g.gateways(0)[0].level_cap, 2);  // unset -> 2
  EXPECT_EQ(g.standard(1).version, 1);
  EXPECT_EQ(g.family_name(g.standard(0).family), "J");
  EXPECT_TRUE(g.link(0).voice_capable);
  EXPECT_TRUE(g.group(1).shares_information);
  ASSERT_EQ(g.roles(0).size(), 2u);
  EXPECT_EQ(g.role_name(g.roles(0)[1]), "isr");
  EXPECT_EQ(*g.FindRole("fighter"), g.roles(0)[0]);
}

TEST(TypedGraphTest, BoostAlgorithmsRunOnTheCsr) {
  ASSERT_OK_AND_ASSIGN(TypedGraph g, BuildGraph(Parse(kModel)));
  EXPECT_EQ(boost::num_vertices(g.csr()), g.num_nodes());
  EXPECT_EQ(boost::num_edges(g.csr()), g.num_edges());
  // 13 nodes + 4 kinds of... count edges by hand: USA 2 member_of; F-35A: designed 1, produced 1,
  // fits 2, speaks 2, uses 2; LINK16 carries 1 + rel 1; MADL carries 1 + rel 2; ENGINE supplier 1
  // + sub 1; MAGNET 2; SEAT 1; suppliers 3 located_in = 24.
  EXPECT_EQ(g.num_edges(), 24u);
}

TEST(TypedGraphTest, BuildingFromAConstModelCopiesAndGivesTheSameGraph) {
  const coalition::v1::Model model = Parse(kModel);
  ASSERT_OK_AND_ASSIGN(TypedGraph copied, BuildGraph(model));
  EXPECT_EQ(model.platforms(0).id(), "F-35A");  // untouched
  ASSERT_OK_AND_ASSIGN(TypedGraph moved, BuildGraph(Parse(kModel)));
  ASSERT_EQ(copied.num_nodes(), moved.num_nodes());
  ASSERT_EQ(copied.num_edges(), moved.num_edges());
  for (NodeId n = 0; n < copied.num_nodes(); ++n) {
    EXPECT_EQ(copied.IdOf(n), moved.IdOf(n));
    for (int k = 0; k < kNumEdgeKinds; ++k) {
      auto a = copied.Neighbors(n, static_cast<EdgeKind>(k));
      auto b = moved.Neighbors(n, static_cast<EdgeKind>(k));
      EXPECT_EQ(std::vector<NodeId>(a.begin(), a.end()), std::vector<NodeId>(b.begin(), b.end()));
    }
  }
  EXPECT_EQ(copied.model_name(), "g");
}

// The CLI's path: one interning pass shared with Validate; the graph equals BuildGraph's own.
TEST(TypedGraphTest, BuildingWithASharedIndexGivesTheSameGraph) {
  const coalition::v1::Model model = Parse(kModel);
  const ModelIndex index = InternModel(model);
  ASSERT_OK_AND_ASSIGN(TypedGraph shared, BuildGraph(model, index));
  ASSERT_OK_AND_ASSIGN(TypedGraph own, BuildGraph(model));
  ASSERT_EQ(shared.num_nodes(), own.num_nodes());
  ASSERT_EQ(shared.num_edges(), own.num_edges());
  for (NodeId n = 0; n < own.num_nodes(); ++n) {
    EXPECT_EQ(shared.IdOf(n), own.IdOf(n));
    EXPECT_EQ(shared.Find(shared.KindOf(n), own.IdOf(n)), shared.Local(n));
    for (int k = 0; k < kNumEdgeKinds; ++k) {
      auto a = shared.Neighbors(n, static_cast<EdgeKind>(k));
      auto b = own.Neighbors(n, static_cast<EdgeKind>(k));
      EXPECT_EQ(std::vector<NodeId>(a.begin(), a.end()), std::vector<NodeId>(b.begin(), b.end()));
    }
  }
  for (int k = 0; k < kNumEntityKinds; ++k) {
    const auto a = shared.arrays().id_index[k];
    const auto b = own.arrays().id_index[k];
    EXPECT_EQ(std::vector<uint32_t>(a.begin(), a.end()), std::vector<uint32_t>(b.begin(), b.end()));
  }
  // The graph keeps the shared buffers alive after the index is gone.
  std::optional<TypedGraph> kept;
  {
    const ModelIndex scoped = InternModel(model);
    ASSERT_OK_AND_ASSIGN(TypedGraph g, BuildGraph(model, scoped));
    kept.emplace(std::move(g));
  }
  EXPECT_EQ(kept->Find(EntityKind::kComponent, "SEAT"), std::optional<uint32_t>(2));
  // An index of another model is refused, not trusted.
  coalition::v1::Model other = Parse(kModel);
  other.add_nations()->set_id("FRA");
  EXPECT_EQ(BuildGraph(other, index).status().code(), absl::StatusCode::kInvalidArgument);
}

// The US nation is UsNationId(model) (default "USA"), found after the ids are interned, by
// both overloads (the moving one empties the proto's ids first).
TEST(TypedGraphTest, UsNationIsTheModelsSettingOrTheDefault) {
  ASSERT_OK_AND_ASSIGN(TypedGraph by_default, BuildGraph(Parse(kModel)));
  EXPECT_EQ(by_default.us_nation(), std::optional<uint32_t>(0));  // "USA"

  coalition::v1::Model custom = Parse(kModel);
  custom.set_us_nation("GBR");
  ASSERT_OK_AND_ASSIGN(TypedGraph copied, BuildGraph(custom));
  EXPECT_EQ(copied.us_nation(), std::optional<uint32_t>(1));
  ASSERT_OK_AND_ASSIGN(TypedGraph moved, BuildGraph(std::move(custom)));
  EXPECT_EQ(moved.us_nation(), std::optional<uint32_t>(1));

  coalition::v1::Model renamed = Parse(kModel);
  renamed.mutable_nations(0)->set_id("US");  // "USA" gone; us_nation still unset
  renamed.mutable_links(1)->set_releasable_to(0, "US");
  for (auto& s : *renamed.mutable_suppliers()) {
    if (s.nation() == "USA") s.set_nation("US");
  }
  renamed.mutable_platforms(0)->set_designer_nation("US");
  renamed.mutable_platforms(0)->set_producer_nations(0, "US");
  ASSERT_OK_AND_ASSIGN(TypedGraph no_us, BuildGraph(coalition::v1::Model(renamed)));
  EXPECT_EQ(no_us.us_nation(), std::nullopt);
  renamed.set_us_nation("US");
  ASSERT_OK_AND_ASSIGN(TypedGraph us, BuildGraph(std::move(renamed)));
  EXPECT_EQ(us.us_nation(), std::optional<uint32_t>(0));
}

TEST(TypedGraphTest, DanglingReferenceIsAnErrorNotACrash) {
  auto m = Parse(kModel);
  m.mutable_platforms(0)->add_links("LINK-99");
  auto g = BuildGraph(std::move(m));
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(g.status().message().find("LINK-99"), std::string::npos);
}

TEST(TypedGraphTest, DuplicateIdIsAnError) {
  auto m = Parse(kModel);
  *m.add_nations() = m.nations(0);
  EXPECT_EQ(BuildGraph(std::move(m)).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(TypedGraphTest, MemoryReport) {
  ASSERT_OK_AND_ASSIGN(TypedGraph g, BuildGraph(Parse(kModel)));
  MemoryStats m = g.Memory();
  EXPECT_EQ(m.nodes, g.num_nodes());
  EXPECT_EQ(m.edges, 24u);
  // 4 bytes per row start (n + 1 of them), 4 per target, 1 per kind.
  EXPECT_GE(m.topology_bytes, (g.num_nodes() + 1) * 4 + 24 * 5);
  EXPECT_GT(m.total_bytes(), m.topology_bytes);
}

}  // namespace
}  // namespace coalition::graph
