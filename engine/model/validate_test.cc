#include "engine/model/validate.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "engine/model/interner.h"
#include "engine/model/load.h"
#include "engine/testing/random_model.h"
#include "engine/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace coalition {
namespace {

using ::coalition::v1::Diagnostic;
using ::coalition::v1::ValidationReport;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

// clang-format off
// A small model with no problems: three nations, two groups, three platform types (one with a
// gateway), a link, two standards of one family, two components, two suppliers and a mix.
constexpr absl::string_view kBase = R"pb(
name: "base"
nations {
  id: "USA" name: "United States" groups: "NATO" groups: "FVEY"
  partner_category: MOST_CAPABLE supply_risk: NONE
}
nations { id: "POL" name: "Poland" groups: "NATO" partner_category: FRONTLINE supply_risk: NONE }
nations { id: "CHN" name: "China" partner_category: OTHER supply_risk: ADVERSARY }
groups { id: "NATO" name: "NATO" }
groups { id: "FVEY" name: "Five Eyes" shares_information: true itar_exempt: true }
platforms {
  id: "F-16C" name: "F-16C" domain: AIR roles: "fighter" tier: SECOND_TIER unit_cost_musd: 30
  designer_nation: "USA" producer_nations: "USA" sourcing: US_BUILT
  links: "LINK16" standards: "J-6016E"
  components { component: "MIDS" critical: true }
}
platforms {
  id: "E-7A" name: "E-7A" domain: C2 roles: "c2" roles: "isr" tier: EXQUISITE unit_cost_musd: 500
  designer_nation: "USA" producer_nations: "USA" producer_nations: "POL" sourcing: CO_PRODUCED
  links: "LINK16" standards: "J-6016E" standards: "J-6016D"
  gateways { standard_a: "J-6016D" standard_b: "J-6016E" level_cap: 2 }
}
platforms {
  id: "KRAB" name: "AHS Krab" domain: LAND roles: "fires" tier: SECOND_TIER unit_cost_musd: 10
  designer_nation: "POL" producer_nations: "POL" sourcing: THIRD_PARTY
}
links {
  id: "LINK16" name: "Link 16" kind: TACTICAL_DATA_LINK standards: "J-6016E" standards: "J-6016D"
  voice_capable: true releasable_to: "NATO" export_control: ITAR retrofit_cost_musd: 1.5
  designer_nation: "USA"
}
standards {
  id: "J-6016E" name: "J-series E" family: "J-SERIES" version: 5
  releasable_to: "FVEY" releasable_to: "POL" designer_nation: "USA"
}
standards { id: "J-6016D" name: "J-series D" family: "J-SERIES" version: 4 }
components {
  id: "MIDS" name: "MIDS-JTRS" kind: CRYPTO suppliers: "VIASAT" export_control: ITAR
  sub_components { component: "KGV" critical: true }
}
components {
  id: "KGV" name: "KGV-135A" kind: CRYPTO suppliers: "VIASAT" suppliers: "L3" export_control: ITAR
}
suppliers { id: "VIASAT" name: "ViaSat" nation: "USA" }
suppliers { id: "L3" name: "L3Harris" nation: "USA" }
mixes {
  name: "east" budget_musd: 100
  elements { id: "pol-f16" platform: "F-16C" nation: "POL" quantity: 48 }
  elements { platform: "F-16C" nation: "USA" quantity: 24 }
  elements { platform: "KRAB" nation: "POL" quantity: 120 }
  elements { id: "awacs" platform: "E-7A" nation: "USA" quantity: 2 }
  iers { name: "air picture" from { nations: "POL" domains: AIR } to { groups: "FVEY" } min_level: 3 }
  iers { name: "fires" from { roles: "fires" } to { elements: "awacs" elements: "USA:F-16C" } min_level: 2 }
  iers { name: "everyone" from { all: true } to { platforms: "KRAB" } min_level: 1 }
}
)pb";

// clang-format on

LoadedModel ParseText(absl::string_view text, absl::string_view file = "model.textproto") {
  LoadedModel m;
  absl::Status status = ParseMessage(text, Format::kTextProto, file, &m.model, &m.source);
  EXPECT_OK(status);
  return m;
}

// Every diagnostic as FormatDiagnostic prints it.
std::vector<std::string> Lines(const ValidationReport& report) {
  std::vector<std::string> out;
  for (const Diagnostic& d : report.diagnostics()) out.push_back(FormatDiagnostic(d));
  return out;
}

// Every diagnostic without its file and position: "error: PATH: MESSAGE [code]".
std::vector<std::string> Short(const ValidationReport& report) {
  std::vector<std::string> out;
  for (const Diagnostic& d : report.diagnostics()) {
    out.push_back(absl::StrCat(d.severity() == Diagnostic::WARNING ? "warning" : "error", ": ",
                               d.path(), ": ", d.message(), " [", d.code(), "]"));
  }
  return out;
}

TEST(ValidateTest, CleanModelHasNoDiagnostics) {
  LoadedModel m = ParseText(kBase);
  ValidationReport report = Validate(m.model, m.source);
  EXPECT_THAT(Lines(report), IsEmpty());
  EXPECT_EQ(report.errors(), 0);
  EXPECT_EQ(report.warnings(), 0);
}

// Issue 16: an empty model (an empty file, `{}`) is valid but warned about.
TEST(ValidateTest, EmptyModelHasOnlyTheEmptyModelWarning) {
  ValidationReport report = Validate(v1::Model(), SourceInfo("empty.textproto"));
  ASSERT_EQ(report.diagnostics_size(), 1);
  EXPECT_EQ(report.errors(), 0);
  EXPECT_EQ(report.diagnostics(0).code(), "empty-model");
}

// One problem (or a few of one kind) added to the clean base model; the expected diagnostics
// are written out by hand from the rules in validate.h.
struct Case {
  const char* name;
  const char* snippet;
  std::vector<std::string> expected;
};

// clang-format off
// A second mix with one valid element, to hang mix-level problems on.
#define WEST_MIX(body) \
  "mixes { name: \"west\" elements { id: \"w1\" platform: \"F-16C\" nation: \"USA\" quantity: 1 } " body " }"

const std::vector<Case>& Cases() {
  static const auto* cases = new std::vector<Case>{
      // duplicate-id
      {"DuplicateNationId",
       R"pb(nations { id: "POL" name: "Poland again" partner_category: OTHER supply_risk: NONE })pb",
       {R"(error: nations["POL"].id: duplicate nation id 'POL' (first used by nations[1]) [duplicate-id])"}},
      {"GroupIdIsNationId",
       R"pb(groups { id: "CHN" name: "China group" })pb",
       {R"(error: groups["CHN"].id: group id 'CHN' is also a nation id (nations[2]) [duplicate-id])"}},
      {"DuplicateFamilyVersion",
       R"pb(standards { id: "J-6016E2" name: "J bis" family: "J-SERIES" version: 5 })pb",
       {R"(error: standards["J-6016E2"].version: duplicate family 'J-SERIES' version 5 (first used by standards[0]) [duplicate-id])"}},
      {"DuplicateMixName",
       R"pb(mixes { name: "east" })pb",
       {R"(error: mixes["east"].name: duplicate mix name 'east' (first used by mixes[0]) [duplicate-id])"}},
      {"DuplicateEffectiveElementId",
       R"pb(mixes {
              name: "west"
              elements { platform: "KRAB" nation: "POL" quantity: 1 }
              elements { id: "POL:KRAB" platform: "F-16C" nation: "POL" quantity: 2 }
            })pb",
       {R"(error: mixes["west"].elements["POL:KRAB"].id: duplicate element id 'POL:KRAB' (first used by elements[0]) [duplicate-id])"}},
      {"DuplicateIerName",
       WEST_MIX("iers { name: \"x\" from { all: true } to { all: true } min_level: 1 } "
                "iers { name: \"x\" from { all: true } to { all: true } min_level: 2 }"),
       {R"(error: mixes["west"].iers["x"].name: duplicate IER name 'x' (first used by iers[0]) [duplicate-id])"}},
      // bad-id
      {"BadIdCharacters",
       R"pb(suppliers { id: "BAE SYSTEMS" name: "BAE" nation: "USA" })pb",
       {R"(error: suppliers["BAE SYSTEMS"].id: supplier id 'BAE SYSTEMS' must match [A-Za-z0-9._:-]+ [bad-id])"}},
      {"BadIdEmptyUsesIndexInPath",
       R"pb(links { name: "nameless" kind: SATCOM export_control: NONE })pb",
       {R"(error: links[1].id: link id is empty [bad-id])"}},
      {"BadIdEscapedInPath",
       R"pb(groups { id: "A\"B" name: "quote" })pb",
       {R"(error: groups["A\"B"].id: group id 'A\"B' must match [A-Za-z0-9._:-]+ [bad-id])"}},
      {"BadElementId",
       R"pb(mixes { name: "west" elements { id: "a/b" platform: "F-16C" nation: "USA" quantity: 1 } })pb",
       {R"(error: mixes["west"].elements["a/b"].id: element id 'a/b' must match [A-Za-z0-9._:-]+ [bad-id])"}},
      // missing-field
      {"MissingName",
       R"pb(suppliers { id: "RTX" nation: "USA" })pb",
       {R"(error: suppliers["RTX"].name: required field 'name' is empty [missing-field])"}},
      {"MissingDesignerNationSkipsSourcingCheck",
       R"pb(platforms { id: "X1" name: "X" domain: LAND tier: LEGACY sourcing: US_BUILT })pb",
       {R"(error: platforms["X1"].designer_nation: required field 'designer_nation' is empty [missing-field])"}},
      {"MissingElementPlatformAndNation",
       R"pb(mixes { name: "west" elements { id: "w1" quantity: 1 } })pb",
       {R"(error: mixes["west"].elements["w1"].platform: required field 'platform' is empty [missing-field])",
        R"(error: mixes["west"].elements["w1"].nation: required field 'nation' is empty [missing-field])"}},
      {"MissingMixNameUsesIndex",
       R"pb(mixes { elements { platform: "F-16C" nation: "USA" quantity: 1 } })pb",
       {R"(error: mixes[1].name: required field 'name' is empty [missing-field])"}},
      {"MissingGatewayStandard",
       R"pb(platforms {
              id: "GW" name: "gw" domain: C2 tier: LEGACY designer_nation: "USA"
              producer_nations: "USA" sourcing: US_BUILT standards: "J-6016E"
              gateways { standard_a: "J-6016E" }
            })pb",
       {R"(error: platforms["GW"].gateways[0].standard_b: required field 'standard_b' is empty [missing-field])"}},
      // unspecified-enum
      {"UnspecifiedComponentKind",
       R"pb(components { id: "ENG" name: "Engine" suppliers: "L3" export_control: NONE })pb",
       {R"(error: components["ENG"].kind: required field 'kind' is COMPONENT_KIND_UNSPECIFIED [unspecified-enum])"}},
      {"UnspecifiedNationEnums",
       R"pb(nations { id: "GBR" name: "UK" })pb",
       {R"(error: nations["GBR"].partner_category: required field 'partner_category' is PARTNER_CATEGORY_UNSPECIFIED [unspecified-enum])",
        R"(error: nations["GBR"].supply_risk: required field 'supply_risk' is SUPPLY_RISK_UNSPECIFIED [unspecified-enum])"}},
      {"UnspecifiedSelectorDomain",
       WEST_MIX("iers { name: \"x\" from { domains: DOMAIN_UNSPECIFIED } to { all: true } "
                "min_level: 1 }"),
       {R"(error: mixes["west"].iers["x"].from.domains[0]: selector domain is DOMAIN_UNSPECIFIED [unspecified-enum])"}},
      // negative-value
      {"NegativeRetrofitCost",
       R"pb(links { id: "SAT" name: "Sat" kind: SATCOM export_control: NONE retrofit_cost_musd: -2.5 })pb",
       {R"(error: links["SAT"].retrofit_cost_musd: retrofit_cost_musd must be >= 0, is -2.5 [negative-value])"}},
      {"NanUnitCost",
       R"pb(platforms {
              id: "X1" name: "X" domain: LAND tier: LEGACY unit_cost_musd: nan
              designer_nation: "POL" sourcing: THIRD_PARTY
            })pb",
       {R"(error: platforms["X1"].unit_cost_musd: unit_cost_musd must be a finite number >= 0, is nan [negative-value])"}},
      {"NegativeVersion",
       R"pb(standards { id: "X-1" name: "x" family: "X" version: -1 })pb",
       {R"(error: standards["X-1"].version: version must be >= 0, is -1 [negative-value])"}},
      {"NegativeUpgradeCost",
       R"pb(standards { id: "X-1" name: "x" family: "X" version: 1 upgrade_cost_musd: -3 })pb",
       {R"(error: standards["X-1"].upgrade_cost_musd: upgrade_cost_musd must be >= 0, is -3 [negative-value])"}},
      {"QuantityBelowOne",
       R"pb(mixes { name: "west" elements { platform: "F-16C" nation: "USA" quantity: 0 } })pb",
       {R"(error: mixes["west"].elements[0].quantity: quantity must be >= 1, is 0 [negative-value])"}},
      {"NegativeBudget",
       R"pb(mixes { name: "west" budget_musd: -1 })pb",
       {R"(error: mixes["west"].budget_musd: budget_musd must be >= 0, is -1 [negative-value])"}},
      // out-of-range
      {"LevelCapZero",
       R"pb(platforms {
              id: "GW" name: "gw" domain: C2 tier: LEGACY designer_nation: "USA"
              producer_nations: "USA" sourcing: US_BUILT standards: "J-6016E"
              gateways { standard_a: "J-6016E" standard_b: "J-6016E" level_cap: 0 }
            })pb",
       {R"(error: platforms["GW"].gateways[0].level_cap: level_cap must be in 1..3, is 0 [out-of-range])"}},
      {"MinLevelUnset",
       WEST_MIX("iers { name: \"x\" from { all: true } to { all: true } }"),
       {R"(error: mixes["west"].iers["x"].min_level: min_level must be in 1..4, is 0 [out-of-range])"}},
      // dangling-reference
      {"DanglingLinkWithSuggestion",
       R"pb(platforms {
              id: "X1" name: "X" domain: AIR tier: LEGACY designer_nation: "USA"
              sourcing: US_BUILT links: "LINK-16"
            })pb",
       {R"(error: platforms["X1"].links[0]: link 'LINK-16' does not exist; did you mean 'LINK16'? [dangling-reference])"}},
      {"SuggestionIgnoringCase",
       R"pb(nations { id: "GBR" name: "UK" groups: "nato" partner_category: MOST_CAPABLE supply_risk: NONE })pb",
       {R"(error: nations["GBR"].groups[0]: group 'nato' does not exist; did you mean 'NATO'? [dangling-reference])"}},
      {"SuggestionCaseMatchBeatsCloserId",
       R"pb(groups { id: "A" name: "a" }
            groups { id: "AB" name: "ab" }
            nations { id: "GBR" name: "UK" groups: "Ab" partner_category: MOST_CAPABLE supply_risk: NONE })pb",
       {R"(error: nations["GBR"].groups[0]: group 'Ab' does not exist; did you mean 'AB'? [dangling-reference])"}},
      {"SuggestionTieGoesToLexicographicallyFirst",
       R"pb(platforms {
              id: "F-15C" name: "F-15C" domain: AIR tier: LEGACY designer_nation: "USA"
              sourcing: US_BUILT
            }
            mixes { name: "west" elements { id: "w1" platform: "F-1XC" nation: "USA" quantity: 1 } })pb",
       {R"(error: mixes["west"].elements["w1"].platform: platform 'F-1XC' does not exist; did you mean 'F-15C'? [dangling-reference])"}},
      {"SuggestionPrefersSmallerDistance",
       R"pb(platforms {
              id: "F-15C" name: "F-15C" domain: AIR tier: LEGACY designer_nation: "USA"
              sourcing: US_BUILT
            }
            mixes { name: "west" elements { id: "w1" platform: "F-16" nation: "USA" quantity: 1 } })pb",
       {R"(error: mixes["west"].elements["w1"].platform: platform 'F-16' does not exist; did you mean 'F-16C'? [dangling-reference])"}},
      {"DanglingWithoutSuggestion",
       R"pb(suppliers { id: "THALES" name: "Thales" nation: "DEU" })pb",
       {R"(error: suppliers["THALES"].nation: nation 'DEU' does not exist [dangling-reference])"}},
      {"ReleasableToNamesNationOrGroup",
       R"pb(standards {
              id: "X-1" name: "x" family: "X" version: 1
              releasable_to: "POL" releasable_to: "FVEY" releasable_to: "FVEYS"
            })pb",
       {R"(error: standards["X-1"].releasable_to[2]: nation or group 'FVEYS' does not exist; did you mean 'FVEY'? [dangling-reference])"}},
      {"NationGroupsMustNameGroups",
       R"pb(nations { id: "GBR" name: "UK" groups: "POL" partner_category: MOST_CAPABLE supply_risk: NONE })pb",
       {R"(error: nations["GBR"].groups[0]: group 'POL' does not exist [dangling-reference])"}},
      {"EmptyListReference",
       R"pb(links { id: "SAT" name: "Sat" kind: SATCOM export_control: NONE standards: "" })pb",
       {R"(error: links["SAT"].standards[0]: empty standard reference [dangling-reference])"}},
      {"DanglingSupplierAndSubComponent",
       R"pb(components {
              id: "ENG" name: "Engine" kind: PROPULSION suppliers: "GE-AVIATION"
              sub_components { component: "FAN" } export_control: NONE
            })pb",
       {R"(error: components["ENG"].suppliers[0]: supplier 'GE-AVIATION' does not exist [dangling-reference])",
        R"(error: components["ENG"].sub_components[0].component: component 'FAN' does not exist [dangling-reference])"}},
      {"DanglingPlatformComponent",
       R"pb(platforms {
              id: "X1" name: "X" domain: AIR tier: LEGACY designer_nation: "USA"
              sourcing: US_BUILT components { component: "MIDS-J" }
            })pb",
       {R"(error: platforms["X1"].components[0].component: component 'MIDS-J' does not exist; did you mean 'MIDS'? [dangling-reference])"}},
      {"DanglingMixReferences",
       R"pb(mixes {
              name: "west"
              elements { id: "w1" platform: "F-16C" nation: "GRC" quantity: 1 }
              iers {
                name: "x"
                from { elements: "w2" platforms: "F-35A" }
                to { nations: "DEU" groups: "EU" roles: "anything" }
                min_level: 1
              }
            })pb",
       {R"(error: mixes["west"].elements["w1"].nation: nation 'GRC' does not exist [dangling-reference])",
        R"(error: mixes["west"].iers["x"].from.elements[0]: element 'w2' does not exist; did you mean 'w1'? [dangling-reference])",
        R"(error: mixes["west"].iers["x"].from.platforms[0]: platform 'F-35A' does not exist [dangling-reference])",
        R"(error: mixes["west"].iers["x"].to.nations[0]: nation 'DEU' does not exist [dangling-reference])",
        R"(error: mixes["west"].iers["x"].to.groups[0]: group 'EU' does not exist [dangling-reference])"}},
      // restriction-source, and the other checks of restrictions, stock and IER weights
      {"SupplyRestrictionsStockAndWeight",
       R"pb(restrictions { id: "R1" supplier: "L3" supplier_nation: "USA" denied_to: "POL" }
            restrictions { id: "R1" denied_to: "NOPE" }
            restrictions { id: "R3" supplier: "L4" }
            components { id: "STOCK" name: "s" kind: OTHER suppliers: "L3" export_control: NONE
                         stock_months: -2 }
            mixes { name: "w" elements { id: "w1" platform: "F-16C" nation: "USA" quantity: 1 }
                    iers { name: "x" from { all: true } to { all: true } min_level: 1
                                     coverage: EACH_TO weight: 0 } })pb",
       {R"(error: restrictions["R1"]: a restriction sets exactly one of 'supplier' and 'supplier_nation' [restriction-source])",
        R"(error: restrictions["R1"]: a restriction sets exactly one of 'supplier' and 'supplier_nation' [restriction-source])",
        R"(error: restrictions["R1"].id: duplicate restriction id 'R1' (first used by restrictions[0]) [duplicate-id])",
        R"(error: restrictions["R1"].denied_to[0]: nation or group 'NOPE' does not exist [dangling-reference])",
        R"(error: restrictions["R3"].denied_to: a restriction denies at least one nation or group ('denied_to') [missing-field])",
        R"(error: restrictions["R3"].supplier: supplier 'L4' does not exist; did you mean 'L3'? [dangling-reference])",
        R"(error: components["STOCK"].stock_months: stock_months must be a number of months in 0..1200, is -2 [out-of-range])",
        R"(error: mixes["w"].iers["x"].weight: weight must be a finite number in (0, 1e6], is 0 [out-of-range])"}},
      // gateway-standard
      {"GatewayStandardNotSpoken",
       R"pb(platforms {
              id: "GW" name: "gw" domain: C2 tier: LEGACY designer_nation: "USA"
              producer_nations: "USA" sourcing: US_BUILT standards: "J-6016E"
              gateways { standard_a: "J-6016E" standard_b: "J-6016D" }
            })pb",
       {R"(error: platforms["GW"].gateways[0].standard_b: gateway standard 'J-6016D' is not among the standards platform 'GW' speaks [gateway-standard])"}},
      // component-cycle
      {"ThreeCycleNamedOnceFromSmallestId",
       R"pb(components { id: "ZETA" name: "z" kind: OTHER suppliers: "L3" export_control: NONE
                         sub_components { component: "ALPHA" } }
            components { id: "ALPHA" name: "a" kind: OTHER suppliers: "L3" export_control: NONE
                         sub_components { component: "MIKE" } }
            components { id: "MIKE" name: "m" kind: OTHER suppliers: "L3" export_control: NONE
                         sub_components { component: "ZETA" critical: true } })pb",
       {R"(error: components["ALPHA"].sub_components[0]: cycle: ALPHA -> MIKE -> ZETA -> ALPHA [component-cycle])"}},
      {"SelfCycle",
       R"pb(components { id: "SELF" name: "s" kind: OTHER suppliers: "L3" export_control: NONE
                         sub_components { component: "SELF" } sub_components { component: "SELF" } })pb",
       {R"(error: components["SELF"].sub_components[0]: cycle: SELF -> SELF [component-cycle])"}},
      {"TwoCyclesSharingAComponent",
       R"pb(components { id: "CA" name: "a" kind: OTHER suppliers: "L3" export_control: NONE
                         sub_components { component: "CB" } }
            components { id: "CB" name: "b" kind: OTHER suppliers: "L3" export_control: NONE
                         sub_components { component: "CA" } sub_components { component: "CC" } }
            components { id: "CC" name: "c" kind: OTHER suppliers: "L3" export_control: NONE
                         sub_components { component: "CB" } })pb",
       {R"(error: components["CA"].sub_components[0]: cycle: CA -> CB -> CA [component-cycle])",
        R"(error: components["CB"].sub_components[1]: cycle: CB -> CC -> CB [component-cycle])"}},
      {"DiamondIsNotACycle",
       R"pb(components { id: "TOP" name: "t" kind: OTHER suppliers: "L3" export_control: NONE
                         sub_components { component: "LEFT" } sub_components { component: "RIGHT" } }
            components { id: "LEFT" name: "l" kind: OTHER suppliers: "L3" export_control: NONE
                         sub_components { component: "BOTTOM" } }
            components { id: "RIGHT" name: "r" kind: OTHER suppliers: "L3" export_control: NONE
                         sub_components { component: "BOTTOM" } }
            components { id: "BOTTOM" name: "b" kind: OTHER suppliers: "L3" export_control: NONE })pb",
       {}},
      // bad-selector
      {"BadSelectorUnsetFrom",
       WEST_MIX("iers { name: \"x\" to { all: true } min_level: 1 }"),
       {R"(error: mixes["west"].iers["x"].from: selector is empty: set all: true or list elements, platforms, nations, groups, domains or roles [bad-selector])"}},
      {"BadSelectorAllWithKinds",
       WEST_MIX("iers { name: \"x\" from { all: true } to { all: true roles: \"fighter\" } "
                "min_level: 1 }"),
       {R"(error: mixes["west"].iers["x"].to: selector sets all: true together with other kinds [bad-selector])"}},
      // Warnings.
      {"SourcingUsBuiltForeignDesign",
       R"pb(platforms { id: "X1" name: "X" domain: LAND tier: LEGACY designer_nation: "POL" sourcing: US_BUILT })pb",
       {R"(warning: platforms["X1"].sourcing: sourcing is US_BUILT but the designer nation is 'POL' (US_BUILT needs a USA design produced only in the USA) [sourcing-mismatch])"}},
      {"SourcingUsBuiltForeignProducer",
       R"pb(platforms {
              id: "X1" name: "X" domain: LAND tier: LEGACY designer_nation: "USA"
              producer_nations: "USA" producer_nations: "POL" sourcing: US_BUILT
            })pb",
       {R"(warning: platforms["X1"].sourcing: sourcing is US_BUILT but producer nation 'POL' is not USA (US_BUILT needs a USA design produced only in the USA) [sourcing-mismatch])"}},
      {"SourcingCoProducedForeignDesign",
       R"pb(platforms {
              id: "X1" name: "X" domain: LAND tier: LEGACY designer_nation: "POL"
              producer_nations: "USA" sourcing: CO_PRODUCED
            })pb",
       {R"(warning: platforms["X1"].sourcing: sourcing is CO_PRODUCED but the designer nation is 'POL' (CO_PRODUCED needs a USA design) [sourcing-mismatch])"}},
      {"SourcingCoProducedOnlyUsProducers",
       R"pb(platforms { id: "X1" name: "X" domain: LAND tier: LEGACY designer_nation: "USA" sourcing: CO_PRODUCED })pb",
       {R"(warning: platforms["X1"].sourcing: sourcing is CO_PRODUCED but no producer nation is outside the USA (CO_PRODUCED needs some production outside the USA) [sourcing-mismatch])"}},
      {"SourcingThirdPartyUsDesign",
       R"pb(platforms {
              id: "X1" name: "X" domain: LAND tier: LEGACY designer_nation: "USA"
              producer_nations: "POL" sourcing: THIRD_PARTY
            })pb",
       {R"(warning: platforms["X1"].sourcing: sourcing is THIRD_PARTY but the designer nation is 'USA' (THIRD_PARTY needs a non-USA design) [sourcing-mismatch])"}},
      // The US nation: a set us_nation must name a nation (and then sourcing is left
      // unchecked); a valid one is what sourcing is relative to.
      {"UsNationNamesNoNation",
       R"pb(us_nation: "US")pb",
       {R"(error: us_nation: nation 'US' does not exist; did you mean 'USA'? [dangling-reference])"}},
      {"UsNationIsAGroup",
       R"pb(us_nation: "NATO")pb",
       {R"(error: us_nation: nation 'NATO' does not exist [dangling-reference])"}},
      {"UsNationDefaultSpelledOut",
       R"pb(us_nation: "USA")pb",
       {}},
      {"SourcingRelativeToAnotherUsNation",
       R"pb(us_nation: "POL")pb",
       {R"(warning: platforms["F-16C"].sourcing: sourcing is US_BUILT but the designer nation is 'USA' (US_BUILT needs a POL design produced only in the POL) [sourcing-mismatch])",
        R"(warning: platforms["E-7A"].sourcing: sourcing is CO_PRODUCED but the designer nation is 'USA' (CO_PRODUCED needs a POL design) [sourcing-mismatch])",
        R"(warning: platforms["KRAB"].sourcing: sourcing is THIRD_PARTY but the designer nation is 'POL' (THIRD_PARTY needs a non-POL design) [sourcing-mismatch])"}},
      {"ComponentNoSupplier",
       R"pb(components { id: "ORPHAN" name: "o" kind: SENSOR export_control: NONE })pb",
       {R"(warning: components["ORPHAN"].suppliers: component has no suppliers, so it is never available [component-no-supplier])"}},
      {"SelectorMatchesNothing",
       WEST_MIX("iers { name: \"x\" from { nations: \"POL\" } to { all: true } min_level: 1 }"),
       {R"(warning: mixes["west"].iers["x"].from: selector matches no element of mix 'west' [selector-matches-nothing])"}},
      {"EmptyMixMatchesNothingEvenWithAll",
       R"pb(mixes { name: "west" iers { name: "x" from { all: true } to { all: true } min_level: 1 } })pb",
       {R"(warning: mixes["west"].iers["x"].from: selector matches no element of mix 'west' [selector-matches-nothing])",
        R"(warning: mixes["west"].iers["x"].to: selector matches no element of mix 'west' [selector-matches-nothing])"}},
      {"ErrorsBeforeWarnings",
       R"pb(platforms {
              id: "X1" name: "X" domain: LAND tier: LEGACY designer_nation: "POL"
              sourcing: US_BUILT unit_cost_musd: -1
            })pb",
       {R"(error: platforms["X1"].unit_cost_musd: unit_cost_musd must be >= 0, is -1 [negative-value])",
        R"(warning: platforms["X1"].sourcing: sourcing is US_BUILT but the designer nation is 'POL' (US_BUILT needs a USA design produced only in the USA) [sourcing-mismatch])"}},
  };
  return *cases;
}
// clang-format on

class ValidateCaseTest : public ::testing::TestWithParam<Case> {};

TEST_P(ValidateCaseTest, ReportsExactly) {
  const Case& c = GetParam();
  LoadedModel m = ParseText(absl::StrCat(kBase, "\n", c.snippet, "\n"));
  ValidationReport report = Validate(m.model, m.source);
  EXPECT_THAT(Short(report), ElementsAreArray(c.expected));
  int errors = 0;
  int warnings = 0;
  for (const std::string& e : c.expected) {
    (e.rfind("error:", 0) == 0 ? errors : warnings)++;
  }
  EXPECT_EQ(report.errors(), errors);
  EXPECT_EQ(report.warnings(), warnings);
}

INSTANTIATE_TEST_SUITE_P(Cases, ValidateCaseTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return std::string(info.param.name);
                         });

// Every code the header documents is exercised by the table above.
TEST(ValidateTest, TableCoversEveryCode) {
  std::vector<std::string> seen;
  for (const Case& c : Cases()) {
    for (const std::string& e : c.expected) {
      const size_t open = e.rfind('[');
      seen.push_back(e.substr(open + 1, e.size() - open - 2));
    }
  }
  for (const char* code :
       {"duplicate-id", "bad-id", "missing-field", "unspecified-enum", "negative-value",
        "out-of-range", "dangling-reference", "component-cycle", "gateway-standard", "bad-selector",
        "sourcing-mismatch", "selector-matches-nothing", "component-no-supplier",
        "restriction-source"}) {
    EXPECT_NE(std::find(seen.begin(), seen.end(), code), seen.end()) << code;
  }
}

// Selector matching (SPEC §1): for every kind listed, one of its values. The probe mix has the
// base mix's elements: pol-f16 (F-16C, POL, AIR, fighter), USA:F-16C (F-16C, USA, AIR,
// fighter), POL:KRAB (KRAB, POL, LAND, fires), awacs (E-7A, USA, C2, c2 + isr). USA is in NATO
// and FVEY, POL in NATO only, CHN in none.
struct SelectorCase {
  const char* selector;
  bool matches;
};

class SelectorMatchTest : public ::testing::TestWithParam<SelectorCase> {};

TEST_P(SelectorMatchTest, WarnsIffNothingMatches) {
  const SelectorCase& c = GetParam();
  const std::string mix = absl::StrFormat(
      R"pb(mixes {
             name: "probe"
             elements { id: "pol-f16" platform: "F-16C" nation: "POL" quantity: 1 }
             elements { platform: "F-16C" nation: "USA" quantity: 1 }
             elements { platform: "KRAB" nation: "POL" quantity: 1 }
             elements { id: "awacs" platform: "E-7A" nation: "USA" quantity: 1 }
             iers {
               name: "probe"
               from { %s }
               to { all: true }
               min_level: 1
             }
           })pb",
      c.selector);
  LoadedModel m = ParseText(absl::StrCat(kBase, mix));
  ValidationReport report = Validate(m.model, m.source);
  if (c.matches) {
    EXPECT_THAT(Short(report), IsEmpty());
  } else {
    EXPECT_THAT(
        Short(report),
        ElementsAre(
            R"(warning: mixes["probe"].iers["probe"].from: selector matches no element of mix 'probe' [selector-matches-nothing])"));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Selectors, SelectorMatchTest,
    ::testing::Values(
        SelectorCase{"all: true", true}, SelectorCase{"nations: \"POL\" domains: AIR", true},
        SelectorCase{"nations: \"POL\" domains: C2", false},
        SelectorCase{"nations: \"POL\" nations: \"USA\" domains: C2", true},
        SelectorCase{"nations: \"CHN\"", false}, SelectorCase{"groups: \"FVEY\"", true},
        SelectorCase{"groups: \"FVEY\" nations: \"POL\"", false},
        SelectorCase{"groups: \"NATO\" roles: \"fires\"", true},
        SelectorCase{"groups: \"FVEY\" roles: \"fires\"", false},
        SelectorCase{"roles: \"isr\" platforms: \"F-16C\"", false},
        SelectorCase{"roles: \"isr\" roles: \"fighter\" platforms: \"F-16C\"", true},
        SelectorCase{"roles: \"transport\"", false},
        SelectorCase{"elements: \"awacs\" domains: AIR", false},
        SelectorCase{"elements: \"USA:F-16C\" groups: \"FVEY\"", true},
        SelectorCase{"elements: \"pol-f16\" elements: \"awacs\" nations: \"USA\"", true},
        SelectorCase{"platforms: \"KRAB\" nations: \"USA\"", false},
        SelectorCase{"platforms: \"KRAB\" platforms: \"E-7A\" nations: \"USA\"", true},
        SelectorCase{"domains: MARITIME", false},
        SelectorCase{"domains: MARITIME domains: LAND", true}));

// Positions: line:column of the offending field, or of the entity when the field is absent;
// text-format diagnostics sort by position, so the platform (written first) precedes the
// nation although nations come first in the model.
TEST(ValidateTest, TextFormatLocations) {
  // clang-format off
  constexpr absl::string_view kText =
      "platforms {\n"                       // 1
      "  id: \"F-16C\"\n"                   // 2
      "  name: \"F-16C Fighting Falcon\"\n" // 3
      "  domain: AIR\n"                     // 4
      "  tier: SECOND_TIER\n"               // 5
      "  designer_nation: \"USA\"\n"        // 6
      "  sourcing: US_BUILT\n"              // 7
      "  links: \"LINK16\"\n"               // 8
      "  links: \"LNK16\"\n"                // 9
      "}\n"                                 // 10
      "nations {\n"                         // 11
      "  id: \"USA\"\n"                     // 12
      "  partner_category: MOST_CAPABLE\n"  // 13
      "  supply_risk: NONE\n"               // 14
      "}\n"                                 // 15
      "links { id: \"LINK16\" name: \"Link 16\" kind: TACTICAL_DATA_LINK export_control: ITAR "
      "retrofit_cost_musd: -1 }\n";         // 16
  // clang-format on
  LoadedModel m = ParseText(kText, "dir/model.textproto");
  ValidationReport report = Validate(m.model, m.source);
  EXPECT_THAT(
      Lines(report),
      ElementsAre(
          R"(dir/model.textproto:9:3: error: platforms["F-16C"].links[1]: link 'LNK16' does not exist; did you mean 'LINK16'? [dangling-reference])",
          R"(dir/model.textproto:11:1: error: nations["USA"].name: required field 'name' is empty [missing-field])",
          R"(dir/model.textproto:16:84: error: links["LINK16"].retrofit_cost_musd: retrofit_cost_musd must be >= 0, is -1 [negative-value])"));
  EXPECT_EQ(report.errors(), 3);
  EXPECT_EQ(report.warnings(), 0);
}

// A dangling us_nation is located at the field (top level: column 1); the sourcing that would
// contradict it is not checked.
TEST(ValidateTest, UsNationLocation) {
  // clang-format off
  constexpr absl::string_view kText =
      "nations { id: \"USA\" name: \"US\" partner_category: MOST_CAPABLE supply_risk: NONE }\n"
      "platforms { id: \"P\" name: \"P\" domain: AIR tier: LEGACY designer_nation: \"USA\"\n"
      "            sourcing: US_BUILT }\n"
      "us_nation: \"US\"\n";  // 4
  // clang-format on
  LoadedModel m = ParseText(kText);
  EXPECT_THAT(
      Lines(Validate(m.model, m.source)),
      ElementsAre(
          R"(model.textproto:4:1: error: us_nation: nation 'US' does not exist; did you mean 'USA'? [dangling-reference])"));
}

// A location inside nested messages: mixes[0].iers[0].to.nations[1].
TEST(ValidateTest, NestedLocation) {
  // clang-format off
  constexpr absl::string_view kText =
      "nations { id: \"USA\" name: \"US\" partner_category: MOST_CAPABLE supply_risk: NONE }\n"
      "platforms { id: \"P\" name: \"P\" domain: AIR tier: LEGACY designer_nation: \"USA\"\n"
      "            sourcing: US_BUILT }\n"
      "mixes {\n"                                                      // 4
      "  name: \"east\"\n"                                             // 5
      "  elements { platform: \"P\" nation: \"USA\" quantity: 1 }\n"  // 6
      "  iers {\n"                                                     // 7
      "    name: \"air picture\"\n"                                    // 8
      "    from { all: true }\n"                                       // 9
      "    to { nations: \"USA\" nations: \"usa\" }\n"                 // 10
      "    min_level: 1\n"                                             // 11
      "  }\n"
      "}\n";
  // clang-format on
  LoadedModel m = ParseText(kText);
  EXPECT_THAT(
      Lines(Validate(m.model, m.source)),
      ElementsAre(
          R"(model.textproto:10:25: error: mixes["east"].iers["air picture"].to.nations[1]: nation 'usa' does not exist; did you mean 'USA'? [dangling-reference])"));
}

// JSON records no positions: the same problems keep their paths, in model order.
TEST(ValidateTest, JsonModelHasPathsWithoutPositions) {
  constexpr absl::string_view kJson = R"json({
    "platforms": [{"id": "F-16C", "name": "F-16C", "domain": "AIR", "tier": "SECOND_TIER",
                   "designer_nation": "USA", "sourcing": "US_BUILT",
                   "links": ["LINK16", "LNK16"]}],
    "nations": [{"id": "USA", "partner_category": "MOST_CAPABLE", "supply_risk": "NONE"}],
    "links": [{"id": "LINK16", "name": "Link 16", "kind": "TACTICAL_DATA_LINK",
               "export_control": "ITAR", "retrofit_cost_musd": -1}]
  })json";
  LoadedModel m;
  ASSERT_OK(ParseMessage(kJson, Format::kJson, "model.json", &m.model, &m.source));
  ValidationReport report = Validate(m.model, m.source);
  EXPECT_THAT(
      Lines(report),
      ElementsAre(
          R"(model.json: error: nations["USA"].name: required field 'name' is empty [missing-field])",
          R"(model.json: error: platforms["F-16C"].links[1]: link 'LNK16' does not exist; did you mean 'LINK16'? [dangling-reference])",
          R"(model.json: error: links["LINK16"].retrofit_cost_musd: retrofit_cost_musd must be >= 0, is -1 [negative-value])"));
  for (const Diagnostic& d : report.diagnostics()) {
    EXPECT_EQ(d.line(), 0);
    EXPECT_EQ(d.column(), 0);
  }
}

// Mixes in their own files: reported under mixes["NAME"] with their own file name and
// positions, after the model file; a name shared with a model mix is a duplicate.
TEST(ValidateTest, MixInItsOwnFile) {
  LoadedModel m = ParseText(kBase);
  // clang-format off
  constexpr absl::string_view kWest =
      "name: \"west\"\n"       // 1
      "elements {\n"           // 2
      "  id: \"w1\"\n"         // 3
      "  platform: \"F-16D\"\n"  // 4
      "  nation: \"USA\"\n"    // 5
      "  quantity: 1\n"        // 6
      "}\n"                    // 7
      "iers { name: \"x\" from { elements: \"w1\" } to { nations: \"CHN\" } min_level: 1 }\n";
  // clang-format on
  LoadedMix west;
  ASSERT_OK(ParseMessage(kWest, Format::kTextProto, "west.textproto", &west.mix, &west.source));
  LoadedMix east2;
  ASSERT_OK(ParseMessage("name: \"east\"\n", Format::kTextProto, "east2.textproto", &east2.mix,
                         &east2.source));
  ValidationReport report =
      Validate(m.model, m.source, {{&west.mix, &west.source}, {&east2.mix, &east2.source}});
  EXPECT_THAT(
      Lines(report),
      ElementsAre(
          R"(west.textproto:4:3: error: mixes["west"].elements["w1"].platform: platform 'F-16D' does not exist; did you mean 'F-16C'? [dangling-reference])",
          R"(east2.textproto:1:1: error: mixes["east"].name: duplicate mix name 'east' (first used by mixes[0] in model.textproto) [duplicate-id])",
          R"(west.textproto:8:42: warning: mixes["west"].iers["x"].to: selector matches no element of mix 'west' [selector-matches-nothing])"));
  EXPECT_EQ(report.errors(), 2);
  EXPECT_EQ(report.warnings(), 1);
}

TEST(ValidateTest, MixFileWithoutSourceOrNameUsesCombinedIndex) {
  LoadedModel m = ParseText(kBase);
  v1::ForceMix mix;
  mix.add_elements()->set_platform("F-16C");
  ValidationReport report = Validate(m.model, m.source, {{&mix, nullptr}});
  EXPECT_THAT(
      Lines(report),
      ElementsAre(
          R"(-: error: mixes[1].name: required field 'name' is empty [missing-field])",
          R"(-: error: mixes[1].elements[0].nation: required field 'nation' is empty [missing-field])",
          R"(-: error: mixes[1].elements[0].quantity: quantity must be >= 1, is 0 [negative-value])"));
}

// Data read from stdin ("-") leaves the file field empty; it prints as "-".
TEST(ValidateTest, StdinFileIsEmptyAndPrintsAsDash) {
  LoadedModel m = ParseText("groups { id: \"NATO\" }\n", "-");
  ValidationReport report = Validate(m.model, m.source);
  ASSERT_EQ(report.diagnostics_size(), 1);
  EXPECT_EQ(report.diagnostics(0).file(), "");
  EXPECT_EQ(FormatDiagnostic(report.diagnostics(0)),
            R"(-:1:1: error: groups["NATO"].name: required field 'name' is empty [missing-field])");
}

// Large inputs: the cycle search is iterative (a 300,000-long chain would overflow a recursive
// one), long cycles are elided, and kinds over 100,000 ids get no suggestion.
TEST(ValidateTest, LongCycleInLargeModel) {
  constexpr int kN = 300000;
  v1::Model model;
  v1::Nation* usa = model.add_nations();
  usa->set_id("USA");
  usa->set_name("United States");
  usa->set_partner_category(v1::Nation::MOST_CAPABLE);
  usa->set_supply_risk(v1::Nation::NONE);
  v1::Supplier* supplier = model.add_suppliers();
  supplier->set_id("S");
  supplier->set_name("S");
  supplier->set_nation("USA");
  for (int i = 0; i < kN; ++i) {
    v1::Component* c = model.add_components();
    c->set_id(absl::StrFormat("C%06d", i));
    c->set_name("c");
    c->set_kind(v1::OTHER);
    c->set_export_control(v1::NONE);
    c->add_suppliers("S");
    c->add_sub_components()->set_component(absl::StrFormat("C%06d", (i + 1) % kN));
  }
  v1::PlatformType* p = model.add_platforms();
  p->set_id("P");
  p->set_name("P");
  p->set_domain(v1::AIR);
  p->set_tier(v1::LEGACY);
  p->set_designer_nation("USA");
  p->set_sourcing(v1::US_BUILT);
  p->add_components()->set_component("C00000X");
  ValidationReport report = Validate(model, SourceInfo("big.binpb"));
  std::string cycle = "cycle: ";
  for (int i = 0; i < 32; ++i) absl::StrAppend(&cycle, absl::StrFormat("C%06d", i), " -> ");
  absl::StrAppend(&cycle, "... (", kN - 32, " more) -> C000000");
  EXPECT_THAT(
      Short(report),
      ElementsAre(
          R"(error: platforms["P"].components[0].component: component 'C00000X' does not exist [dangling-reference])",
          absl::StrCat(R"(error: components["C000000"].sub_components[0]: )", cycle,
                       " [component-cycle]")));
}

// releasable_to on platform types, components, suppliers, groups, restrictions and mixes (inside
// the model and in their own file): each entry must name a nation or a group, located like the
// link and standard lists.
TEST(ValidateTest, ReleasabilityListsOfEveryKind) {
  LoadedModel m = ParseText(absl::StrCat(kBase, R"pb(
platforms {
  id: "F-35A" name: "F-35A" domain: AIR tier: EXQUISITE designer_nation: "USA" sourcing: US_BUILT
  releasable_to: "NATO" releasable_to: "NAT0"
}
components { id: "EOTS" name: "EOTS" kind: SENSOR suppliers: "L3" export_control: ITAR releasable_to: "POL" releasable_to: "XX" }
suppliers { id: "LM" name: "Lockheed Martin" nation: "USA" releasable_to: "FVEY" releasable_to: "USA" releasable_to: "FEVY" }
groups { id: "F35" name: "F-35 partners" releasable_to: "F35" releasable_to: "" }
restrictions { id: "R1" supplier: "L3" denied_to: "CHN" releasable_to: "ASEAN" }
mixes { name: "west" releasable_to: "CHN" releasable_to: "PRC" }
)pb"));
  LoadedMix file;
  ASSERT_OK(ParseMessage("name: \"north\"\nreleasable_to: \"FVEY\"\nreleasable_to: \"Fvey\"\n",
                         Format::kTextProto, "north.textproto", &file.mix, &file.source));
  ValidationReport report = Validate(m.model, m.source, {{&file.mix, &file.source}});
  std::vector<std::string> lines = Short(report);
  std::vector<std::string> rel;
  for (const std::string& l : lines) {
    if (absl::StrContains(l, "releasable_to")) rel.push_back(l);
  }
  EXPECT_THAT(
      rel,
      ElementsAre(
          R"(error: platforms["F-35A"].releasable_to[1]: nation or group 'NAT0' does not exist; did you mean 'NATO'? [dangling-reference])",
          R"(error: components["EOTS"].releasable_to[1]: nation or group 'XX' does not exist [dangling-reference])",
          R"(error: suppliers["LM"].releasable_to[2]: nation or group 'FEVY' does not exist; did you mean 'FVEY'? [dangling-reference])",
          R"(error: groups["F35"].releasable_to[1]: empty nation or group reference [dangling-reference])",
          R"(error: restrictions["R1"].releasable_to[0]: nation or group 'ASEAN' does not exist [dangling-reference])",
          R"(error: mixes["west"].releasable_to[1]: nation or group 'PRC' does not exist; did you mean 'POL'? [dangling-reference])",
          R"(error: mixes["north"].releasable_to[1]: nation or group 'Fvey' does not exist; did you mean 'FVEY'? [dangling-reference])"));
  // Located in their files: the mix file's entry at its line.
  bool located = false;
  for (const Diagnostic& d : report.diagnostics()) {
    if (d.file() == "north.textproto" && absl::StrContains(d.path(), "releasable_to[1]")) {
      EXPECT_EQ(d.line(), 3);
      located = true;
    }
  }
  EXPECT_TRUE(located);
}

TEST(EffectiveElementIdTest, IdOrNationColonPlatform) {
  v1::ForceElement e;
  e.set_platform("F-16C");
  e.set_nation("POL");
  EXPECT_EQ(EffectiveElementId(e), "POL:F-16C");
  e.set_id("pol-f16");
  EXPECT_EQ(EffectiveElementId(e), "pol-f16");
}

TEST(FormatDiagnosticTest, PositionPartsOmittedWhenUnknown) {
  Diagnostic d;
  d.set_severity(Diagnostic::WARNING);
  d.set_file("m.textproto");
  d.set_line(3);
  d.set_column(7);
  d.set_path(R"(platforms["X"].sourcing)");
  d.set_code("sourcing-mismatch");
  d.set_message("msg");
  EXPECT_EQ(FormatDiagnostic(d),
            R"(m.textproto:3:7: warning: platforms["X"].sourcing: msg [sourcing-mismatch])");
  d.set_severity(Diagnostic::ERROR);
  d.set_line(0);
  d.set_column(0);
  EXPECT_EQ(FormatDiagnostic(d),
            R"(m.textproto: error: platforms["X"].sourcing: msg [sourcing-mismatch])");
  d.clear_file();
  d.clear_path();
  EXPECT_EQ(FormatDiagnostic(d), "-: error: msg [sourcing-mismatch]");
}

// ---------------------------------------------------------------------------------------------
// EntityValidator (issue 15): fed one entity at a time, each copied into one reused message per
// kind and overwritten after its Add, it reports exactly what Validate() reports on the whole
// model: every diagnostic, field by field, in the same order.

namespace pb = ::google::protobuf;

// Overwrites every string of `msg` in place (same length, same buffer), so that anything the
// validator kept pointing into an added entity would read other text.
void Scribble(pb::Message* msg) {
  const pb::Reflection* r = msg->GetReflection();
  std::vector<const pb::FieldDescriptor*> fields;
  r->ListFields(*msg, &fields);
  for (const pb::FieldDescriptor* f : fields) {
    if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      if (!f->is_repeated()) {
        Scribble(r->MutableMessage(msg, f));
        continue;
      }
      for (int i = 0; i < r->FieldSize(*msg, f); ++i) {
        Scribble(r->MutableRepeatedMessage(msg, f, i));
      }
    } else if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_STRING) {
      if (!f->is_repeated()) {
        r->SetString(msg, f, std::string(r->GetString(*msg, f).size(), '#'));
        continue;
      }
      for (int i = 0; i < r->FieldSize(*msg, f); ++i) {
        r->SetRepeatedString(msg, f, i, std::string(r->GetRepeatedString(*msg, f, i).size(), '#'));
      }
    }
  }
}

template <typename T>
void FeedKind(EntityValidator* v, const pb::RepeatedPtrField<T>& list, T* reused) {
  for (int i = 0; i < list.size(); ++i) {
    reused->CopyFrom(list.Get(i));  // Clear() + merge: the same message object every time
    v->Add(i, *reused);
    Scribble(reused);
  }
}

// The report of an EntityValidator given `model` as a skeleton plus its entities one by one.
ValidationReport Streamed(const v1::Model& model, const SourceInfo& source,
                          const std::vector<MixInput>& extra, const ModelIndex& index) {
  v1::Model skeleton = model;
  skeleton.clear_nations();
  skeleton.clear_groups();
  skeleton.clear_platforms();
  skeleton.clear_links();
  skeleton.clear_standards();
  skeleton.clear_components();
  skeleton.clear_suppliers();
  EntityValidator v(skeleton, source, extra, index);
  v1::Nation nation;
  v1::Group group;
  v1::PlatformType platform;
  v1::CommsLink link;
  v1::DataStandard standard;
  v1::Component component;
  v1::Supplier supplier;
  FeedKind(&v, model.nations(), &nation);
  FeedKind(&v, model.groups(), &group);
  FeedKind(&v, model.platforms(), &platform);
  FeedKind(&v, model.links(), &link);
  FeedKind(&v, model.standards(), &standard);
  FeedKind(&v, model.components(), &component);
  FeedKind(&v, model.suppliers(), &supplier);
  return v.Finish();
}

// Streamed == Validate() (both overloads); returns Validate()'s report.
ValidationReport ExpectStreamedEqualsBatch(const v1::Model& model, const SourceInfo& source,
                                           const std::vector<MixInput>& extra,
                                           const std::string& label) {
  const ModelIndex index = InternModel(model, /*parallel=*/false);
  const ValidationReport batch = Validate(model, source, extra);
  const ValidationReport batch_indexed = Validate(model, source, extra, index);
  const ValidationReport streamed = Streamed(model, source, extra, index);
  std::string diff;
  pb::util::MessageDifferencer differ;
  differ.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differ.Compare(batch, streamed)) << label << "\n" << diff;
  EXPECT_TRUE(pb::util::MessageDifferencer::Equals(batch, batch_indexed)) << label;
  return batch;
}

// Seeded corruptions of a valid random model, by reflection over every field (so new schema
// fields are corrupted too) plus a few structural edits: empty, invalid UTF-8, borrowed (a
// dangling or duplicated id, a cycle, a group id that is a nation id), near-miss and malformed
// strings; duplicated list entries; undefined enum numbers; negative, non-finite and huge
// numbers; duplicated and removed entities, elements, IERs, gateways...; extra sub-component
// edges; emptied or over-full selectors; whole entity lists removed.
class Corrupter {
 public:
  explicit Corrupter(uint64_t seed) : rng_(seed) {}

  void Corrupt(v1::Model* m, int edits) {
    for (int k = 0; k < edits; ++k) Edit(m);
  }

 private:
  struct Leaf {
    pb::Message* msg;
    const pb::FieldDescriptor* f;
  };

  int Uniform(int n) { return n <= 0 ? 0 : std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  // Every field of every message under `msg` (singular fields even when unset), and every
  // string value.
  void Collect(pb::Message* msg, std::vector<Leaf>* leaves, std::vector<std::string>* strings) {
    const pb::Descriptor* d = msg->GetDescriptor();
    const pb::Reflection* r = msg->GetReflection();
    for (int k = 0; k < d->field_count(); ++k) {
      const pb::FieldDescriptor* f = d->field(k);
      leaves->push_back({msg, f});
      if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
        if (f->is_repeated()) {
          for (int i = 0; i < r->FieldSize(*msg, f); ++i) {
            Collect(r->MutableRepeatedMessage(msg, f, i), leaves, strings);
          }
        } else if (r->HasField(*msg, f)) {
          Collect(r->MutableMessage(msg, f), leaves, strings);
        }
      } else if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_STRING) {
        if (f->is_repeated()) {
          for (int i = 0; i < r->FieldSize(*msg, f); ++i) {
            strings->push_back(r->GetRepeatedString(*msg, f, i));
          }
        } else {
          strings->push_back(r->GetString(*msg, f));
        }
      }
    }
  }

  std::string NewString(const std::string& old, const std::vector<std::string>& strings) {
    switch (Uniform(6)) {
      case 0:
        return "";
      case 1: {  // invalid UTF-8
        std::string s = old;
        s.insert(static_cast<size_t>(Uniform(static_cast<int>(s.size()) + 1)), "\xff");
        return s;
      }
      case 2:
      case 3:  // another string of the model: a duplicate id, a reference elsewhere, a cycle
        return strings.empty()
                   ? old
                   : strings[static_cast<size_t>(Uniform(static_cast<int>(strings.size())))];
      case 4: {  // a near miss: case or one character
        std::string s = old.empty() ? "x" : old;
        const size_t at = static_cast<size_t>(Uniform(static_cast<int>(s.size())));
        if (Uniform(2) == 0 && std::isalpha(static_cast<unsigned char>(s[at]))) {
          s[at] = static_cast<char>(s[at] ^ 0x20);
        } else {
          s[at] = 'q';
        }
        return s;
      }
      default:
        return Uniform(2) == 0 ? "bad id!" : old + " x";
    }
  }

  void EditLeaf(const Leaf& leaf, const std::vector<std::string>& strings) {
    pb::Message* msg = leaf.msg;
    const pb::FieldDescriptor* f = leaf.f;
    const pb::Reflection* r = msg->GetReflection();
    const int n = f->is_repeated() ? r->FieldSize(*msg, f) : 1;
    const int i = Uniform(n);
    if (f->is_repeated() && n > 0 && f->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE &&
        Uniform(3) == 0) {
      // A duplicated entry.
      switch (f->cpp_type()) {
        case pb::FieldDescriptor::CPPTYPE_STRING:
          r->AddString(msg, f, r->GetRepeatedString(*msg, f, i));
          return;
        case pb::FieldDescriptor::CPPTYPE_ENUM:
          r->AddEnumValue(msg, f, r->GetRepeatedEnumValue(*msg, f, i));
          return;
        default:
          break;
      }
    }
    if (f->is_repeated() && n == 0) {
      switch (f->cpp_type()) {
        case pb::FieldDescriptor::CPPTYPE_STRING:
          r->AddString(msg, f, NewString("", strings));
          return;
        case pb::FieldDescriptor::CPPTYPE_ENUM:
          r->AddEnumValue(msg, f, Uniform(12) - 2);
          return;
        case pb::FieldDescriptor::CPPTYPE_MESSAGE:
          r->AddMessage(msg, f);
          return;
        default:
          return;
      }
    }
    const double numbers[] = {-1,   0, std::nan(""), std::numeric_limits<double>::infinity(), 2e9,
                              1e12, 5};
    const double x = numbers[Uniform(7)];
    switch (f->cpp_type()) {
      case pb::FieldDescriptor::CPPTYPE_STRING:
        if (f->is_repeated()) {
          r->SetRepeatedString(msg, f, i, NewString(r->GetRepeatedString(*msg, f, i), strings));
        } else {
          r->SetString(msg, f, NewString(r->GetString(*msg, f), strings));
        }
        return;
      case pb::FieldDescriptor::CPPTYPE_ENUM:
        if (f->is_repeated()) {
          r->SetRepeatedEnumValue(msg, f, i, Uniform(12) - 2);
        } else {
          r->SetEnumValue(msg, f, Uniform(12) - 2);
        }
        return;
      case pb::FieldDescriptor::CPPTYPE_DOUBLE:
        if (!f->is_repeated()) r->SetDouble(msg, f, x);
        return;
      case pb::FieldDescriptor::CPPTYPE_FLOAT:
        if (!f->is_repeated()) r->SetFloat(msg, f, static_cast<float>(x));
        return;
      case pb::FieldDescriptor::CPPTYPE_INT32:
        if (!f->is_repeated()) {
          r->SetInt32(
              msg, f,
              std::isfinite(x) ? static_cast<int32_t>(std::max(-2.0, std::min(x, 2e9))) : -7);
        }
        return;
      case pb::FieldDescriptor::CPPTYPE_INT64:
        if (!f->is_repeated()) r->SetInt64(msg, f, std::isfinite(x) ? static_cast<int64_t>(x) : -7);
        return;
      case pb::FieldDescriptor::CPPTYPE_BOOL:
        if (!f->is_repeated()) r->SetBool(msg, f, !r->GetBool(*msg, f));
        return;
      case pb::FieldDescriptor::CPPTYPE_MESSAGE: {
        if (!f->is_repeated()) {
          if (Uniform(2) == 0) {
            r->ClearField(msg, f);  // an unset selector
          } else {
            r->MutableMessage(msg, f)->Clear();
          }
          return;
        }
        if (Uniform(2) == 0) {  // a duplicated entity, element, IER, gateway...
          r->AddMessage(msg, f)->CopyFrom(r->GetRepeatedMessage(*msg, f, i));
          const int last = r->FieldSize(*msg, f) - 1;
          r->SwapElements(msg, f, Uniform(last + 1), last);
        } else {  // one removed
          r->SwapElements(msg, f, i, n - 1);
          r->RemoveLast(msg, f);
        }
        return;
      }
      default:
        return;
    }
  }

  void Edit(v1::Model* m) {
    switch (Uniform(12)) {
      case 0: {  // a sub-component edge back to a lower index (a cycle, often)
        if (m->components_size() == 0) return;
        const int a = Uniform(m->components_size()), b = Uniform(m->components_size());
        v1::Component* c = m->mutable_components(std::max(a, b));
        c->add_sub_components()->set_component(m->components(std::min(a, b)).id());
        // Sometimes with problems found by other checks on the same component.
        switch (Uniform(4)) {
          case 0:
            c->add_releasable_to("NOWHERE");
            break;
          case 1:
            c->set_name("bad\xff");
            break;
          case 2:
            c->GetReflection()->SetEnumValue(c, c->GetDescriptor()->FindFieldByName("kind"), 99);
            break;
          default:
            break;
        }
        return;
      }
      case 3: {  // an IER selecting by the model's own values (roles, domains, groups...)
        if (m->mixes_size() == 0) return;
        v1::ForceMix* mix = m->mutable_mixes(Uniform(m->mixes_size()));
        v1::Ier* ier = mix->add_iers();
        ier->set_name(absl::StrCat("sel", Uniform(1000)));
        ier->set_min_level(1 + Uniform(4));
        for (v1::Selector* sel : {ier->mutable_from(), ier->mutable_to()}) {
          for (int kinds = 1 + Uniform(2); kinds > 0; --kinds) {
            const int np = m->platforms_size(), nn = m->nations_size();
            const int ne = mix->elements_size();
            switch (Uniform(6)) {
              case 0:
                if (np > 0 && m->platforms(Uniform(np)).roles_size() > 0) {
                  const v1::PlatformType& p = m->platforms(Uniform(np));
                  sel->add_roles(p.roles_size() > 0 ? p.roles(Uniform(p.roles_size())) : "isr");
                } else {
                  sel->add_roles("fires");
                }
                break;
              case 1:
                sel->add_domains(np > 0 ? m->platforms(Uniform(np)).domain() : v1::AIR);
                break;
              case 2:
                if (nn > 0 && m->nations(Uniform(nn)).groups_size() > 0) {
                  const v1::Nation& n = m->nations(Uniform(nn));
                  if (n.groups_size() > 0) sel->add_groups(n.groups(Uniform(n.groups_size())));
                } else if (m->groups_size() > 0) {
                  sel->add_groups(m->groups(Uniform(m->groups_size())).id());
                }
                break;
              case 3:
                if (nn > 0) sel->add_nations(m->nations(Uniform(nn)).id());
                break;
              case 4:
                if (np > 0) sel->add_platforms(m->platforms(Uniform(np)).id());
                break;
              default:
                if (ne > 0) sel->add_elements(EffectiveElementId(mix->elements(Uniform(ne))));
                break;
            }
          }
        }
        return;
      }
      case 1: {  // a selector with `all` and kinds, or a bad selector domain
        if (m->mixes_size() == 0 || m->mixes(0).iers_size() == 0) return;
        v1::Ier* ier = m->mutable_mixes(0)->mutable_iers(Uniform(m->mixes(0).iers_size()));
        if (Uniform(2) == 0) {
          ier->mutable_from()->set_all(true);
          ier->mutable_from()->add_nations(m->nations_size() > 0 ? m->nations(0).id() : "X");
        } else {
          ier->mutable_to()->add_domains(v1::DOMAIN_UNSPECIFIED);
        }
        return;
      }
      case 2: {  // a whole entity list gone
        const pb::Descriptor* d = v1::Model::descriptor();
        const int numbers[] = {v1::Model::kNationsFieldNumber,   v1::Model::kGroupsFieldNumber,
                               v1::Model::kPlatformsFieldNumber, v1::Model::kLinksFieldNumber,
                               v1::Model::kStandardsFieldNumber, v1::Model::kComponentsFieldNumber,
                               v1::Model::kSuppliersFieldNumber};
        if (Uniform(3) == 0) {
          m->GetReflection()->ClearField(m, d->FindFieldByNumber(numbers[Uniform(7)]));
        }
        return;
      }
      default: {
        std::vector<Leaf> leaves;
        std::vector<std::string> strings;
        Collect(m, &leaves, &strings);
        EditLeaf(leaves[static_cast<size_t>(Uniform(static_cast<int>(leaves.size())))], strings);
        return;
      }
    }
  }

  std::mt19937_64 rng_;
};

uint64_t Seed() {
  const uint64_t seed = testing::TestSeed();
  std::printf("validate_test seed %llu (COALITION_SEED overrides)\n",
              static_cast<unsigned long long>(seed));
  return seed;
}

// A model, or the same as text format (so that diagnostics have positions), with some of its
// mixes moved to mix files of their own (also as text, with positions) and sometimes an absent
// mix (skipped).
struct Inputs {
  v1::Model model;
  SourceInfo source;
  std::vector<LoadedMix> mixes;
  std::vector<MixInput> extra;
};

void MakeInputs(const v1::Model& m, bool as_text, int mixes_out, bool null_mix, Inputs* in) {
  in->model = m;
  in->mixes.clear();
  in->extra.clear();
  const int out = std::min(mixes_out, in->model.mixes_size());
  std::vector<v1::ForceMix> moved;
  for (int k = 0; k < out; ++k) {
    moved.push_back(in->model.mixes(in->model.mixes_size() - 1));
    in->model.mutable_mixes()->RemoveLast();
  }
  in->mixes.resize(moved.size());
  if (as_text) {
    std::string text;
    ASSERT_TRUE(pb::TextFormat::PrintToString(in->model, &text));
    in->model.Clear();
    ASSERT_OK(ParseMessage(text, Format::kTextProto, "random.textproto", &in->model, &in->source));
  } else {
    in->source = SourceInfo("random.binpb");
  }
  for (size_t k = 0; k < moved.size(); ++k) {
    const std::string file = absl::StrCat("mix", k, as_text ? ".textproto" : ".binpb");
    if (as_text) {
      std::string text;
      ASSERT_TRUE(pb::TextFormat::PrintToString(moved[k], &text));
      ASSERT_OK(
          ParseMessage(text, Format::kTextProto, file, &in->mixes[k].mix, &in->mixes[k].source));
    } else {
      in->mixes[k].mix = moved[k];
      in->mixes[k].source = SourceInfo(file);
    }
  }
  for (size_t k = 0; k < in->mixes.size(); ++k) {
    if (null_mix && k == 0) in->extra.push_back({nullptr, nullptr});
    in->extra.push_back({&in->mixes[k].mix, k % 2 == 0 ? &in->mixes[k].source : nullptr});
  }
}

TEST(EntityValidatorTest, SeededRandomModelsWithInjectedErrors) {
  const uint64_t seed = Seed();
  std::mt19937_64 rng(seed);
  int with_errors = 0, with_warnings = 0;
  for (int round = 0; round < 1000; ++round) {
    testing::RandomModelOptions opt;
    opt.nations = 2 + static_cast<int>(rng() % 6);
    opt.groups = 1 + static_cast<int>(rng() % 4);
    opt.platforms = 1 + static_cast<int>(rng() % 8);
    opt.components = static_cast<int>(rng() % 12);
    opt.suppliers = 1 + static_cast<int>(rng() % 5);
    opt.elements = 1 + static_cast<int>(rng() % 10);
    v1::Model m = testing::RandomModel(seed + static_cast<uint64_t>(round), opt);
    if (round % 3 == 0) testing::AddRandomReleasability(seed + static_cast<uint64_t>(round), &m);
    if (round % 4 == 0) {
      testing::AddRandomCoverageAndSupply(seed + static_cast<uint64_t>(round), &m);
    }
    Corrupter corrupter(seed * 31 + static_cast<uint64_t>(round));
    corrupter.Corrupt(&m, round % 10 == 0 ? 0 : 1 + static_cast<int>(rng() % 12));
    Inputs in;
    MakeInputs(m, /*as_text=*/round % 2 == 1, static_cast<int>(rng() % 3), rng() % 4 == 0, &in);
    const ValidationReport r = ExpectStreamedEqualsBatch(
        in.model, in.source, in.extra, absl::StrCat("seed ", seed, " round ", round));
    if (r.errors() > 0) ++with_errors;
    if (r.warnings() > 0) ++with_warnings;
  }
  // The corruptions do reach the validator.
  EXPECT_GT(with_errors, 500);
  EXPECT_GT(with_warnings, 300);
}

TEST(EntityValidatorTest, HandWrittenCasesAndEmptyModels) {
  for (const Case& c : Cases()) {
    LoadedModel m = ParseText(absl::StrCat(kBase, "\n", c.snippet, "\n"));
    ExpectStreamedEqualsBatch(m.model, m.source, {}, c.name);
  }
  LoadedModel base = ParseText(kBase);
  LoadedMix west;
  ASSERT_OK(ParseMessage("name: \"east\"\nelements { platform: \"F-16C\" nation: \"XX\" }\n",
                         Format::kTextProto, "west.textproto", &west.mix, &west.source));
  ExpectStreamedEqualsBatch(base.model, base.source, {{&west.mix, &west.source}}, "mix file");
  for (const char* text : {"", "name: \"only a name\"", "mixes { name: \"m\" }",
                           "restrictions { id: \"r\" }", "us_nation: \"USB\""}) {
    LoadedModel m = ParseText(text);
    ExpectStreamedEqualsBatch(m.model, m.source, {}, text);
    ExpectStreamedEqualsBatch(m.model, m.source, {{&west.mix, &west.source}}, text);
  }
  // A cycle longer than a message lists, and parallel back edges.
  v1::Model chain;
  for (int i = 0; i < 40; ++i) {
    v1::Component* c = chain.add_components();
    c->set_id(absl::StrFormat("C%02d", 39 - i));
    c->set_name("c");
    c->add_sub_components()->set_component(absl::StrFormat("C%02d", (39 - i + 39) % 40));
    if (i % 7 == 0) {
      c->add_sub_components()->set_component(absl::StrFormat("C%02d", (39 - i + 39) % 40));
    }
    if (i == 39) {  // C00, where the cycle is reported: errors of other checks, same entity
      c->set_name("c\xff");
      c->add_releasable_to("NOWHERE");
    }
  }
  const ValidationReport report =
      ExpectStreamedEqualsBatch(chain, SourceInfo("chain.binpb"), {}, "chain");
  // One component's problems in the order the checks have always run (validate.h, Order):
  // its own checks, the cycle search, the field walk, its releasable_to.
  std::vector<std::string> c00;
  for (const std::string& line : Short(report)) {
    if (absl::StrContains(line, "components[\"C00\"]")) c00.push_back(line);
  }
  EXPECT_THAT(
      c00,
      ElementsAre(
          R"(error: components["C00"].kind: required field 'kind' is COMPONENT_KIND_UNSPECIFIED [unspecified-enum])",
          R"(error: components["C00"].export_control: required field 'export_control' is EXPORT_CONTROL_UNSPECIFIED [unspecified-enum])",
          R"(error: components["C00"].sub_components[0]: cycle: C00 -> C39 -> C38 -> C37 -> C36 -> C35 -> C34 -> C33 -> C32 -> C31 -> C30 -> C29 -> C28 -> C27 -> C26 -> C25 -> C24 -> C23 -> C22 -> C21 -> C20 -> C19 -> C18 -> C17 -> C16 -> C15 -> C14 -> C13 -> C12 -> C11 -> C10 -> C09 -> ... (8 more) -> C00 [component-cycle])",
          R"(error: components["C00"].name: name is not valid UTF-8: 'c\377' [invalid-utf8])",
          R"(error: components["C00"].releasable_to[0]: nation or group 'NOWHERE' does not exist [dangling-reference])",
          R"(warning: components["C00"].suppliers: component has no suppliers, so it is never available [component-no-supplier])"));
}

TEST(EntityValidatorTest, ShippedDatasetsAndBadInputs) {
  std::vector<LoadedMix> mixes;
  for (const char* name : {"aukus_maritime", "exquisite_f35", "frontline_air_defence",
                           "indo_pacific", "nato_eastern_flank_iamd", "quantity_f16_gripen"}) {
    ASSERT_OK_AND_ASSIGN(LoadedMix mix,
                         LoadMix(absl::StrCat("datasets/mixes/", name, ".textproto")));
    mixes.push_back(std::move(mix));
  }
  std::vector<MixInput> extra;
  for (const LoadedMix& mix : mixes) extra.push_back({&mix.mix, &mix.source});
  for (const char* file : {"datasets/coalition.textproto", "datasets/starter.textproto"}) {
    ASSERT_OK_AND_ASSIGN(LoadedModel m, LoadModel(file));
    ExpectStreamedEqualsBatch(m.model, m.source, {}, file);
    ExpectStreamedEqualsBatch(m.model, m.source, extra, file);
  }
  int inputs = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("tests/bad_inputs", ec)) {
    const std::string file = entry.path().string();
    if (!absl::EndsWith(file, ".textproto")) continue;
    absl::StatusOr<LoadedModel> m = LoadModel(file);
    if (!m.ok()) continue;  // the syntax error
    ExpectStreamedEqualsBatch(m->model, m->source, {}, file);
    ++inputs;
  }
  EXPECT_GT(inputs, 15);
}

}  // namespace
}  // namespace coalition
