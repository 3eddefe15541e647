#include "engine/model/validate.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "engine/model/load.h"
#include "engine/testing/status_matchers.h"
#include "gmock/gmock.h"
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

}  // namespace
}  // namespace coalition
