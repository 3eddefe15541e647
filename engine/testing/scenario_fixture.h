// A model built all the way to a scenario, for tests: the proto (kept alive for the mix), the
// frozen graph, the resolved mix, the supply chain and a baseline scenario over them.
//
//   ScenarioFixture f(model);                 // EXPECTs every step to succeed
//   f.Remove({false, true, false});           // elements 0 and 2 removed (RemoveElement)
//   analysis::PolicyLevels lv = analysis::ComputePolicyLevels(*f.scenario);
//   std::unique_ptr<scenario::Scenario> s2 = f.NewScenario();  // another, over the same graph
#ifndef COALITION_ENGINE_TESTING_SCENARIO_FIXTURE_H_
#define COALITION_ENGINE_TESTING_SCENARIO_FIXTURE_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "coalition/v1/change.pb.h"
#include "coalition/v1/model.pb.h"
#include "engine/graph/force_mix.h"
#include "engine/graph/typed_graph.h"
#include "engine/scenario/scenario.h"
#include "engine/scenario/supply_chain.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace coalition::testing {

struct ScenarioFixture {
  // with_chain: the scenario sees the supply chain (presence follows sustainability). A step
  // that fails leaves the later members null (ok() false).
  explicit ScenarioFixture(coalition::v1::Model m, int mix_index = 0, bool with_chain = true)
      : model(std::move(m)), with_chain(with_chain) {
    auto g = graph::BuildGraph(static_cast<const coalition::v1::Model&>(model));
    EXPECT_TRUE(g.ok()) << g.status();
    if (!g.ok()) return;
    graph = std::make_unique<graph::TypedGraph>(std::move(*g));
    auto r = graph::ResolveMix(*graph, model.mixes(mix_index));
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok()) return;
    mix = std::make_unique<graph::ResolvedMix>(std::move(*r));
    auto c = scenario::SupplyChain::Build(*graph);
    EXPECT_TRUE(c.ok()) << c.status();
    if (!c.ok()) return;
    chain = std::make_unique<scenario::SupplyChain>(std::move(*c));
    scenario = NewScenario();
  }

  // Whether every step succeeded (graph, mix, chain and scenario are all set).
  bool ok() const { return scenario != nullptr; }

  // A fresh baseline scenario over the same graph, mix and chain, independent of `scenario`.
  std::unique_ptr<scenario::Scenario> NewScenario() const {
    return std::make_unique<scenario::Scenario>(*graph, *mix, with_chain ? chain.get() : nullptr);
  }

  // Removes every element e with present[e] == false (an empty mask removes nothing).
  void Remove(const std::vector<bool>& present) {
    for (uint32_t e = 0; e < present.size(); ++e) {
      if (present[e]) continue;
      coalition::v1::Change c;
      c.mutable_remove_element()->set_element(mix->element_ids[e]);
      EXPECT_TRUE(scenario->Apply(c).ok());
    }
  }

  coalition::v1::Model model;
  bool with_chain;
  std::unique_ptr<graph::TypedGraph> graph;
  std::unique_ptr<graph::ResolvedMix> mix;
  std::unique_ptr<scenario::SupplyChain> chain;
  std::unique_ptr<scenario::Scenario> scenario;
};

// The hand model of fixtures.h with one mix parsed from text.
inline coalition::v1::Model HandModelWithMix(const char* hand_model, const std::string& mix_text) {
  coalition::v1::Model m;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(hand_model, &m));
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(mix_text, m.add_mixes()));
  return m;
}

// A typed change parsed from text format.
inline coalition::v1::Change ParseChange(const std::string& text) {
  coalition::v1::Change c;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &c)) << text;
  return c;
}

// A typed change in single-line text format.
inline std::string ChangeText(const coalition::v1::Change& c) {
  std::string out;
  google::protobuf::TextFormat::Printer p;
  p.SetSingleLineMode(true);
  p.PrintToString(c, &out);
  return out;
}

}  // namespace coalition::testing

#endif  // COALITION_ENGINE_TESTING_SCENARIO_FIXTURE_H_
