// A small hand-built model whose levels are worked out by hand in the tests that use it.
//
// Nations USA, GBR (NATO + FVEY), POL, TUR (NATO), UKR (no group). FVEY shares information,
// NATO does not. Links: LINK16 (J-series v1 "J5" and v2 "J6", releasable to NATO, designed by
// USA), JREAP (J6), HF (voice only), MADL (MADLMSG, USA only), SATX (nothing). Platforms:
//   F16     LINK16 + HF, speaks J6
//   OLDJET  LINK16 + HF, speaks J5
//   TANK    HF, speaks K1
//   SHIP    JREAP, speaks J6
//   AEW     LINK16 + JREAP, speaks J6, gateway J6<->J6 (cap 2): bridges Link 16 and JREAP
//   F35     MADL + LINK16, speaks MADLMSG + J6
//   ISLAND  SATX only
//
// kHandSupply adds a supply chain (HandModelWithSupply fits it): AEW needs AEWRADAR, made only
// in TUR; F16 needs F16ENGINE, made in USA and GBR (both critical component uses).
//
// kHandMix, elements (index: effective id):
//   0 USA:F16  1 GBR:F16  2 POL:F16  3 USA:OLDJET  4 POL:TANK  5 USA:SHIP  6 USA:AEW
//   7 UKR:F16  8 TUR:ISLAND  9 F35-a (USA F35)  10 F35-b (USA F35)
#ifndef COALITION_ENGINE_TESTING_FIXTURES_H_
#define COALITION_ENGINE_TESTING_FIXTURES_H_

#include <string>

#include "coalition/v1/model.pb.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace coalition::testing {

inline constexpr char kHandModel[] = R"pb(
  name: "hand"
  nations { id: "USA" name: "United States" groups: "NATO" groups: "FVEY" partner_category: MOST_CAPABLE supply_risk: NONE }
  nations { id: "GBR" name: "United Kingdom" groups: "NATO" groups: "FVEY" partner_category: MOST_CAPABLE supply_risk: NONE }
  nations { id: "POL" name: "Poland" groups: "NATO" partner_category: FRONTLINE supply_risk: NONE }
  nations { id: "TUR" name: "Turkiye" groups: "NATO" partner_category: OTHER supply_risk: ELEVATED }
  nations { id: "UKR" name: "Ukraine" partner_category: FRONTLINE supply_risk: NONE }
  groups { id: "NATO" name: "NATO" }
  groups { id: "FVEY" name: "Five Eyes" shares_information: true itar_exempt: true }
  links { id: "LINK16" name: "Link 16" kind: TACTICAL_DATA_LINK standards: "J5" standards: "J6" releasable_to: "NATO" designer_nation: "USA" export_control: ITAR retrofit_cost_musd: 2 }
  links { id: "JREAP" name: "JREAP-C" kind: IP_NETWORK standards: "J6" export_control: NONE }
  links { id: "HF" name: "HF voice" kind: VOICE_RADIO voice_capable: true export_control: NONE }
  links { id: "MADL" name: "MADL" kind: TACTICAL_DATA_LINK standards: "MADLMSG" releasable_to: "USA" export_control: ITAR }
  links { id: "SATX" name: "SAT X" kind: SATCOM export_control: NONE }
  standards { id: "J5" name: "J-series old" family: "J" version: 1 }
  standards { id: "J6" name: "J-series new" family: "J" version: 2 }
  standards { id: "K1" name: "K-series" family: "K" version: 1 }
  standards { id: "MADLMSG" name: "MADL messages" family: "MADL" version: 1 }
  platforms { id: "F16" name: "F-16" domain: AIR roles: "fighter" tier: SECOND_TIER unit_cost_musd: 60 designer_nation: "USA" producer_nations: "USA" sourcing: US_BUILT links: "LINK16" links: "HF" standards: "J6" }
  platforms { id: "OLDJET" name: "Old jet" domain: AIR roles: "fighter" tier: LEGACY unit_cost_musd: 20 designer_nation: "USA" producer_nations: "USA" sourcing: US_BUILT links: "LINK16" links: "HF" standards: "J5" }
  platforms { id: "TANK" name: "Tank" domain: LAND roles: "armor" tier: SECOND_TIER unit_cost_musd: 10 designer_nation: "POL" producer_nations: "POL" sourcing: THIRD_PARTY links: "HF" standards: "K1" }
  platforms { id: "SHIP" name: "Ship" domain: MARITIME roles: "air-defense" tier: EXQUISITE unit_cost_musd: 1000 designer_nation: "USA" producer_nations: "USA" sourcing: US_BUILT links: "JREAP" standards: "J6" }
  platforms { id: "AEW" name: "AEW" domain: AIR roles: "c2" tier: EXQUISITE unit_cost_musd: 300 designer_nation: "USA" producer_nations: "USA" sourcing: US_BUILT links: "LINK16" links: "JREAP" standards: "J6" gateways { standard_a: "J6" standard_b: "J6" } }
  platforms { id: "F35" name: "F-35A" domain: AIR roles: "fighter" tier: EXQUISITE unit_cost_musd: 80 designer_nation: "USA" producer_nations: "USA" sourcing: US_BUILT links: "MADL" links: "LINK16" standards: "MADLMSG" standards: "J6" }
  platforms { id: "ISLAND" name: "Island" domain: LAND roles: "isr" tier: LEGACY unit_cost_musd: 1 designer_nation: "TUR" producer_nations: "TUR" sourcing: THIRD_PARTY links: "SATX" }
)pb";

inline constexpr char kHandSupply[] = R"pb(
  suppliers { id: "S_TUR" name: "tr" nation: "TUR" }
  suppliers { id: "S_USA" name: "us" nation: "USA" }
  suppliers { id: "S_GBR" name: "uk" nation: "GBR" }
  components { id: "AEWRADAR" name: "aew radar" kind: SENSOR suppliers: "S_TUR" export_control: NONE }
  components { id: "F16ENGINE" name: "f16 engine" kind: PROPULSION suppliers: "S_USA" suppliers: "S_GBR" export_control: NONE }
)pb";

// The elements of a mix over the hand model (no IERs): append IERs to the text as needed.
inline constexpr char kHandMix[] = R"pb(
  name: "hand"
  elements { platform: "F16" nation: "USA" quantity: 4 }
  elements { platform: "F16" nation: "GBR" quantity: 4 }
  elements { platform: "F16" nation: "POL" quantity: 4 }
  elements { platform: "OLDJET" nation: "USA" quantity: 2 }
  elements { platform: "TANK" nation: "POL" quantity: 20 }
  elements { platform: "SHIP" nation: "USA" quantity: 1 }
  elements { platform: "AEW" nation: "USA" quantity: 1 }
  elements { platform: "F16" nation: "UKR" quantity: 4 }
  elements { platform: "ISLAND" nation: "TUR" quantity: 1 }
  elements { id: "F35-a" platform: "F35" nation: "USA" quantity: 2 }
  elements { id: "F35-b" platform: "F35" nation: "USA" quantity: 2 }
)pb";

// kHandModel plus kHandSupply, the AEW and F16 given their critical components (AEWRADAR,
// F16ENGINE), and one mix parsed from text.
inline coalition::v1::Model HandModelWithSupply(const std::string& mix_text) {
  coalition::v1::Model m;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(kHandModel, &m));
  EXPECT_TRUE(google::protobuf::TextFormat::MergeFromString(kHandSupply, &m));
  for (auto& p : *m.mutable_platforms()) {
    const char* component = p.id() == "AEW" ? "AEWRADAR" : p.id() == "F16" ? "F16ENGINE" : nullptr;
    if (component == nullptr) continue;
    auto* use = p.add_components();
    use->set_component(component);
    use->set_critical(true);
  }
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(mix_text, m.add_mixes()));
  return m;
}

}  // namespace coalition::testing

#endif  // COALITION_ENGINE_TESTING_FIXTURES_H_
