// A model built all the way to a scenario, for tests: the proto (kept alive for the mix), the
// frozen graph, the resolved mix, the supply chain and a baseline scenario over them.
//
//   ScenarioFixture f(model);                 // EXPECTs every step to succeed
//   f.Remove({false, true, false});           // elements 0 and 2 removed (RemoveElement)
//   analysis::PolicyLevels lv = analysis::ComputePolicyLevels(*f.scenario);
#ifndef COALITION_ENGINE_TESTING_SCENARIO_FIXTURE_H_
#define COALITION_ENGINE_TESTING_SCENARIO_FIXTURE_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "coalition/v1/model.pb.h"
#include "engine/graph/force_mix.h"
#include "engine/graph/typed_graph.h"
#include "engine/scenario/scenario.h"
#include "engine/scenario/supply_chain.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace coalition::testing {

struct ScenarioFixture {
  // with_chain: the scenario sees the supply chain (presence follows sustainability).
  explicit ScenarioFixture(coalition::v1::Model m, int mix_index = 0, bool with_chain = true)
      : model(std::move(m)) {
    auto g = graph::BuildGraph(static_cast<const coalition::v1::Model&>(model));
    EXPECT_TRUE(g.ok()) << g.status();
    graph = std::make_unique<graph::TypedGraph>(std::move(*g));
    auto r = graph::ResolveMix(*graph, model.mixes(mix_index));
    EXPECT_TRUE(r.ok()) << r.status();
    mix = std::make_unique<graph::ResolvedMix>(std::move(*r));
    auto c = scenario::SupplyChain::Build(*graph);
    EXPECT_TRUE(c.ok()) << c.status();
    chain = std::make_unique<scenario::SupplyChain>(std::move(*c));
    scenario = std::make_unique<scenario::Scenario>(*graph, *mix,
                                                    with_chain ? chain.get() : nullptr);
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

}  // namespace coalition::testing

#endif  // COALITION_ENGINE_TESTING_SCENARIO_FIXTURE_H_
