#include "engine/report/graph_export.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "engine/analysis/gaps.h"
#include "engine/analysis/interop.h"
#include "engine/testing/fixtures.h"
#include "engine/testing/random_model.h"
#include "engine/testing/scenario_fixture.h"
#include "gtest/gtest.h"

namespace coalition::report {
namespace {

namespace v1 = ::coalition::v1;
using ::coalition::testing::HandModelWithMix;
using ::coalition::testing::HandModelWithSupply;
using ::coalition::testing::kHandMix;
using ::coalition::testing::kHandModel;
using ::coalition::testing::ScenarioFixture;

int CountKind(const ExportGraph& g, absl::string_view kind, bool nodes) {
  int n = 0;
  if (nodes) {
    for (const ExportNode& x : g.nodes) n += x.kind == kind;
  } else {
    for (const ExportEdge& x : g.edges) n += x.kind == kind;
  }
  return n;
}

// The hand model (fixtures.h) with one IER: Ukraine's F-16s must reach every US element at 3.
//
// Joins, derived by hand (LINK16 is releasable to NATO and its designer USA; J5/J6 to everyone;
// MADL to USA only; HF is the only voice link; SATX carries nothing):
//   USA:F16, GBR:F16, POL:F16   LINK16/J6 + HF voice          3 x 2 = 6
//   USA:OLDJET                  LINK16/J5 + HF voice               2
//   POL:TANK                    HF voice (K1 is carried by no link) 1
//   USA:SHIP                    JREAP/J6                           1
//   USA:AEW                     LINK16/J6 + JREAP/J6 (no HF)       2
//   UKR:F16                     HF voice (LINK16 not releasable)   1
//   TUR:ISLAND                  nothing                            0
//   F35-a, F35-b                MADL/MADLMSG + LINK16/J6      2 x 2 = 4
// = 17 joins over 5 channels (LINK16/J5, LINK16/J6, JREAP/J6, MADL/MADLMSG, HF/voice).
// Bridges: LINK16/J5 - LINK16/J6 (version, level 2) and LINK16/J6 - JREAP/J6 through the AEW's
// J6<->J6 gateway (cap 2) = 2. Nodes 11 + 5 = 16.
// Gaps: UKR:F16 reaches USA:F16 and USA:OLDJET at 1 (HF) and SHIP, AEW, F35-a, F35-b at 0: all
// six pairs are below 3 -> 6 gap edges, one per pair (their classes do not matter here).
constexpr char kIer[] = R"pb(
  iers { name: "ukr-to-us" from { nations: "UKR" } to { nations: "USA" } min_level: 3 }
)pb";

TEST(InteropGraphTest, HandModelCountsDerivedByHand) {
  ScenarioFixture f(HandModelWithMix(kHandModel, std::string(kHandMix) + kIer), 0,
                    /*with_chain=*/false);
  ASSERT_TRUE(f.ok());
  const analysis::PolicyLevels lv = analysis::ComputePolicyLevels(*f.scenario);
  const v1::GapReport gaps = analysis::AnalyzeGaps(*f.scenario, lv, {-1});
  ASSERT_EQ(gaps.gaps_total(), 6);
  const ExportGraph g = InteropGraph(*f.scenario, lv.strict, &gaps, {});
  EXPECT_FALSE(g.directed);
  EXPECT_EQ(CountKind(g, "element", true), 11);
  EXPECT_EQ(CountKind(g, "data_channel", true), 4);
  EXPECT_EQ(CountKind(g, "voice_channel", true), 1);
  EXPECT_EQ(CountKind(g, "join", false), 17);
  EXPECT_EQ(CountKind(g, "version_bridge", false), 1);
  EXPECT_EQ(CountKind(g, "gateway", false), 1);
  EXPECT_EQ(CountKind(g, "gap", false), 6);
  int gap_nodes = 0;
  for (const ExportNode& n : g.nodes) gap_nodes += n.gap;
  EXPECT_EQ(gap_nodes, 7);  // UKR:F16 and the six US elements
  for (const ExportEdge& e : g.edges) {
    if (e.kind == "gateway") {
      EXPECT_EQ(e.via, "element:USA:AEW");
      EXPECT_EQ(e.level, 2);
    }
    if (e.kind == "gap") {
      EXPECT_TRUE(e.source == "element:UKR:F16" || e.target == "element:UKR:F16") << e.source;
      EXPECT_EQ(e.required, 3);
      EXPECT_EQ(e.gaps, 1);
    }
  }
  // By class: every element here is its own class but F35-a / F35-b (one class, 4 units).
  const ExportGraph c = InteropGraph(*f.scenario, lv.strict, &gaps, {/*by_class=*/true});
  EXPECT_EQ(CountKind(c, "element_class", true), 10);
  EXPECT_EQ(CountKind(c, "join", false), 15);
  EXPECT_EQ(CountKind(c, "gap", false), 5);  // the two F35 gaps share a class pair
}

TEST(InteropGraphTest, DotAndGraphMlAreDeterministicAndDeclareKeysFirst) {
  ScenarioFixture f(HandModelWithMix(kHandModel, std::string(kHandMix) + kIer), 0, false);
  ASSERT_TRUE(f.ok());
  const analysis::PolicyLevels lv = analysis::ComputePolicyLevels(*f.scenario);
  const v1::GapReport gaps = analysis::AnalyzeGaps(*f.scenario, lv, {-1});
  const ExportGraph g = InteropGraph(*f.scenario, lv.strict, &gaps, {});
  const std::string dot = ToDot(g), xml = ToGraphMl(g);
  EXPECT_EQ(dot, ToDot(InteropGraph(*f.scenario, lv.strict, &gaps, {})));
  EXPECT_EQ(xml, ToGraphMl(InteropGraph(*f.scenario, lv.strict, &gaps, {})));
  EXPECT_TRUE(absl::StartsWith(dot, "graph \"interop hand\" {"));
  EXPECT_TRUE(absl::StrContains(dot, "\"element:USA:F16\" -- \"element:UKR:F16\""));
  EXPECT_TRUE(absl::StrContains(dot, "kind=\"gap\""));
  // Every key is declared before the graph, and every data element uses a declared key.
  const size_t graph_at = xml.find("<graph ");
  ASSERT_NE(graph_at, std::string::npos);
  EXPECT_EQ(xml.find("<key ", graph_at), std::string::npos);
  size_t pos = 0;
  while ((pos = xml.find("<data key=\"", pos)) != std::string::npos) {
    pos += 11;
    const std::string key = xml.substr(pos, xml.find('"', pos) - pos);
    EXPECT_LT(xml.find(absl::StrCat("<key id=\"", key, "\"")), graph_at) << key;
  }
  int nodes = 0, edges = 0;
  for (pos = 0; (pos = xml.find("<node ", pos)) != std::string::npos; ++pos) ++nodes;
  for (pos = 0; (pos = xml.find("<edge ", pos)) != std::string::npos; ++pos) ++edges;
  EXPECT_EQ(nodes, 16);
  EXPECT_EQ(edges, 17 + 2 + 6);
}

TEST(GraphWritersTest, EscapeQuotesAndMarkup) {
  ExportGraph g;
  g.name = "a \"b\" <c>";
  g.nodes.push_back({"n:1", "say \"hi\" & <bye>\\", "element"});
  g.nodes.push_back({"n:2", "x", "element"});
  ExportEdge e;
  e.source = "n:1";
  e.target = "n:2";
  e.kind = "gap";
  e.ier = "a&b";
  g.edges.push_back(e);
  const std::string dot = ToDot(g), xml = ToGraphMl(g);
  EXPECT_TRUE(absl::StrContains(dot, "label=\"say \\\"hi\\\" & <bye>\\\\\""));
  EXPECT_TRUE(absl::StrContains(xml, "say &quot;hi&quot; &amp; &lt;bye&gt;\\"));
  EXPECT_TRUE(absl::StrContains(xml, "<data key=\"e_ier\">a&amp;b</data>"));
  EXPECT_FALSE(absl::StrContains(xml, "<bye>"));
}

// The supply graph of the hand mix with the hand supply chain: the mix's 7 platform types; the
// AEW's AEWRADAR (made by S_TUR) and the F16's F16ENGINE (S_USA, S_GBR), both critical; the
// suppliers' nations TUR, USA, GBR. Edges: 2 critical uses + 3 supplied_by + 3 located_in.
TEST(SupplyGraphTest, HandSupplyChain) {
  ScenarioFixture f(HandModelWithSupply(kHandMix));
  ASSERT_TRUE(f.ok());
  const ExportGraph g = SupplyGraph(*f.graph, f.mix.get());
  EXPECT_TRUE(g.directed);
  EXPECT_EQ(CountKind(g, "platform", true), 7);
  EXPECT_EQ(CountKind(g, "component", true), 2);
  EXPECT_EQ(CountKind(g, "supplier", true), 3);
  EXPECT_EQ(CountKind(g, "nation", true), 3);
  EXPECT_EQ(CountKind(g, "uses", false), 2);
  EXPECT_EQ(CountKind(g, "supplied_by", false), 3);
  EXPECT_EQ(CountKind(g, "located_in", false), 3);
  for (const ExportEdge& e : g.edges) {
    if (e.kind == "uses") EXPECT_TRUE(e.critical);
  }
  for (const ExportNode& n : g.nodes) {
    if (n.id == "platform:F16") {
      EXPECT_EQ(n.quantity, 16);  // USA, GBR, POL, UKR: 4 each
      EXPECT_EQ(n.sourcing, "US_BUILT");
    }
  }
  const std::string dot = ToDot(g);
  EXPECT_TRUE(absl::StrContains(dot, "\"platform:AEW\" -> \"component:AEWRADAR\""));
  EXPECT_TRUE(absl::StrContains(dot, "style=\"bold\""));
  // Without a mix: every platform type of the model (the hand model has 7, all in the mix).
  EXPECT_EQ(CountKind(SupplyGraph(*f.graph, nullptr), "platform", true), 7);
}

// Oracle: the exported interoperability graph *is* SPEC §2's graph, so its widest paths (elements
// as endpoints, never relays) reproduce the engine's base levels for every pair. Computed here
// independently with a plain union-find per threshold over the exported edges.
class UnionFind {
 public:
  explicit UnionFind(size_t n) : p_(n) { std::iota(p_.begin(), p_.end(), 0); }
  size_t Find(size_t x) { return p_[x] == x ? x : p_[x] = Find(p_[x]); }
  void Union(size_t a, size_t b) { p_[Find(a)] = Find(b); }

 private:
  std::vector<size_t> p_;
};

int ExportedBaseLevel(const ExportGraph& g, const std::string& a, const std::string& b) {
  std::map<std::string, size_t> idx;
  for (const ExportNode& n : g.nodes) idx.emplace(n.id, idx.size());
  for (int t = 3; t >= 1; --t) {
    UnionFind uf(idx.size());
    for (const ExportEdge& e : g.edges) {
      if (e.kind == "join" || e.kind == "gap" || e.level < t) continue;
      uf.Union(idx[e.source], idx[e.target]);  // channel-channel only: elements never relay
    }
    // a and b meet iff some channel a joins at >= t and some channel b joins at >= t connect.
    std::vector<size_t> ca, cb;
    for (const ExportEdge& e : g.edges) {
      if (e.kind != "join" || e.level < t) continue;
      if (e.source == a) ca.push_back(uf.Find(idx[e.target]));
      if (e.source == b) cb.push_back(uf.Find(idx[e.target]));
    }
    for (size_t x : ca) {
      if (std::find(cb.begin(), cb.end(), x) != cb.end()) return t;
    }
  }
  return 0;
}

class InteropGraphPropertyTest : public ::testing::TestWithParam<int> {};

TEST_P(InteropGraphPropertyTest, WidestPathsEqualBaseLevels) {
  const uint64_t seed = coalition::testing::TestSeed() + 7000 + GetParam();
  SCOPED_TRACE(absl::StrCat("seed ", seed, " (override with COALITION_SEED)"));
  ScenarioFixture f(coalition::testing::RandomModel(seed, {}), 0, /*with_chain=*/false);
  ASSERT_TRUE(f.ok());
  const analysis::PolicyLevels lv = analysis::ComputePolicyLevels(*f.scenario);
  for (const analysis::InteropLevels* levels : {&lv.strict, &lv.relaxed}) {
    const ExportGraph g = InteropGraph(*f.scenario, *levels, nullptr, {});
    const scenario::Scenario& s = *f.scenario;
    for (scenario::ElementIndex a = 0; a < s.num_elements(); ++a) {
      for (scenario::ElementIndex b = a + 1; b < s.num_elements(); ++b) {
        EXPECT_EQ(ExportedBaseLevel(g, absl::StrCat("element:", s.element_id(a)),
                                    absl::StrCat("element:", s.element_id(b))),
                  levels->BaseLevel(a, b))
            << s.element_id(a) << " " << s.element_id(b) << " relaxed " << levels->relaxed();
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, InteropGraphPropertyTest, ::testing::Range(0, 25));

}  // namespace
}  // namespace coalition::report
