#include "engine/generate/generator.h"

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "engine/graph/typed_graph.h"
#include "engine/model/load.h"
#include "engine/model/sourcing.h"
#include "engine/model/validate.h"
#include "engine/testing/status_matchers.h"
#include "gtest/gtest.h"

namespace coalition::generate {
namespace {

GeneratorOptions Small() {
  GeneratorOptions o;
  o.nations = 20;
  o.platforms = 300;
  o.links = 12;
  o.standards = 24;
  o.components = 500;
  o.suppliers = 60;
  o.elements = 400;
  o.iers = 6;
  o.seed = 42;
  return o;
}

std::string Bytes(const coalition::v1::Model& m) {
  auto bytes = SerializeMessage(m, Format::kBinary);
  EXPECT_OK(bytes);
  return bytes.ok() ? *bytes : "";
}

TEST(GeneratorTest, SameSeedGivesByteIdenticalModel) {
  ASSERT_OK_AND_ASSIGN(coalition::v1::Model a, GenerateModel(Small()));
  ASSERT_OK_AND_ASSIGN(coalition::v1::Model b, GenerateModel(Small()));
  EXPECT_EQ(Bytes(a), Bytes(b));
  GeneratorOptions other = Small();
  other.seed = 43;
  ASSERT_OK_AND_ASSIGN(coalition::v1::Model c, GenerateModel(other));
  EXPECT_NE(Bytes(a), Bytes(c));
}

TEST(GeneratorTest, ValidatesCleanWithNoWarnings) {
  for (uint64_t seed : {1, 2, 3}) {
    GeneratorOptions o = Small();
    o.seed = seed;
    ASSERT_OK_AND_ASSIGN(coalition::v1::Model m, GenerateModel(o));
    coalition::v1::ValidationReport r = Validate(m, SourceInfo("generated"));
    EXPECT_EQ(r.errors(), 0) << "seed " << seed << ": " << r.DebugString().substr(0, 2000);
    EXPECT_EQ(r.warnings(), 0) << "seed " << seed << ": " << r.DebugString().substr(0, 2000);
  }
}

TEST(GeneratorTest, ShapeAndCounts) {
  GeneratedStats stats;
  ASSERT_OK_AND_ASSIGN(coalition::v1::Model m, GenerateModel(Small(), nullptr, &stats));
  EXPECT_EQ(m.nations_size(), 20);
  EXPECT_EQ(m.platforms_size(), 300);
  EXPECT_EQ(m.components_size(), 500);
  ASSERT_EQ(m.mixes_size(), 1);
  EXPECT_EQ(m.mixes(0).elements_size(), 400);
  EXPECT_EQ(m.mixes(0).iers_size(), 6);
  EXPECT_GT(stats.pairs, 0);
  EXPECT_LE(stats.pairs, 20 * 400);  // the default pairs budget
  int gateways = 0, restricted_links = 0, single_source = 0;
  for (const auto& p : m.platforms()) gateways += p.gateways_size() > 0;
  for (const auto& l : m.links()) restricted_links += l.releasable_to_size() > 0;
  for (const auto& c : m.components()) single_source += c.suppliers_size() == 1;
  EXPECT_GT(gateways, 0);
  EXPECT_GT(restricted_links, 0);
  EXPECT_GT(single_source, 0);
  // The edge count matches what BuildGraph builds.
  EXPECT_EQ(stats.edges, CountTypedEdges(m));
  ASSERT_OK_AND_ASSIGN(graph::TypedGraph g, graph::BuildGraph(coalition::v1::Model(m)));
  EXPECT_EQ(static_cast<int64_t>(g.num_edges()), stats.edges);
  // Nation 0 is the US nation, by the default id.
  EXPECT_EQ(m.nations(0).id(), kDefaultUsNation);
  EXPECT_EQ(g.us_nation(), std::optional<uint32_t>(0));
}

TEST(GeneratorTest, OptionsForEdgesLandsNearTheTarget) {
  for (int64_t target : {10'000, 100'000}) {
    GeneratedStats stats;
    ASSERT_OK(GenerateModel(OptionsForEdges(target, 100), nullptr, &stats));
    EXPECT_GT(stats.edges, target * 80 / 100) << target;
    EXPECT_LT(stats.edges, target * 120 / 100) << target;
  }
}

TEST(GeneratorTest, RejectsBadSizes) {
  GeneratorOptions o = Small();
  o.nations = 1;
  EXPECT_EQ(GenerateModel(o).status().code(), absl::StatusCode::kInvalidArgument);
}

// Issue 16 defect 7: --edges beyond ~8e10 was an undefined float-to-int cast; sizes are now
// derived from the request clamped to kMaxGeneratedEdges, so every size is a positive int.
TEST(GeneratorTest, OptionsForHugeEdgeCountsStayInRange) {
  for (int64_t edges : {int64_t{80'000'000'000}, int64_t{1} << 62, INT64_MAX}) {
    const GeneratorOptions o = OptionsForEdges(edges, 10);
    const GeneratorOptions cap = OptionsForEdges(kMaxGeneratedEdges, 10);
    EXPECT_EQ(o.platforms, cap.platforms) << edges;
    EXPECT_EQ(o.components, cap.components) << edges;
    EXPECT_GT(o.platforms, 0);
    EXPECT_GT(o.components, 0);
  }
}

}  // namespace
}  // namespace coalition::generate
