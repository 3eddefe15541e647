// Hand-worked cases of the filtered export (SPEC §7). The expected output for each recipient is
// derived in the comments from the rules in filter.h.
#include "engine/export/filter.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "engine/model/load.h"
#include "engine/model/validate.h"
#include "engine/testing/status_matchers.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace coalition::exports {
namespace {

namespace v1 = ::coalition::v1;

// clang-format off
// Who may see what (the releasability rule: empty list = everyone; listed; a listed group the
// recipient belongs to; for links and standards the designer):
//   groups     NATO, EUCAND: everyone.  CLUB: USA only (UKR is a member, yet may not see it).
//              F35: its own members (USA, POL).
//   platforms  F-35A: F35.  The rest: everyone.
//   links      LINK16: NATO (designer USA).  TAU: EUCAND, USA (designer SWE).  JREAP, VHF: all.
//   standards  J-6016E: NATO.  J-6016D: CLUB, NATO.  TAU-MSG: EUCAND, USA (designer SWE).  VMF: all.
//   components MIDS: NATO.  C1: POL, USA.  KGV, C10, C11: everyone (C11's only supplier is
//              SECRETCO).
//   suppliers  SECRETCO: NATO.  VIASAT, ACME: everyone.
//   mixes      "private plan": USA.  east: everyone.
//   USA sees everything.
constexpr absl::string_view kModel = R"pb(
name: "hand-worked"
description: "Link 16 and F-35A facts for the test"
nations { id: "USA" name: "United States" groups: "NATO" groups: "CLUB" groups: "F35" partner_category: MOST_CAPABLE supply_risk: NONE }
nations { id: "POL" name: "Poland" groups: "NATO" groups: "F35" partner_category: FRONTLINE supply_risk: NONE }
nations { id: "UKR" name: "Ukraine" groups: "CLUB" groups: "EUCAND" partner_category: FRONTLINE supply_risk: ELEVATED }
nations { id: "SWE" name: "Sweden" groups: "NATO" partner_category: MOST_CAPABLE supply_risk: NONE }
nations { id: "RUS" name: "Russia" partner_category: OTHER supply_risk: ADVERSARY }
groups { id: "NATO" name: "NATO" }
groups { id: "CLUB" name: "Quiet club" releasable_to: "USA" }
groups { id: "EUCAND" name: "EU candidates" }
groups { id: "F35" name: "F-35 partners" releasable_to: "F35" }
platforms {
  id: "F-16C" name: "F-16C Fighting Falcon" domain: AIR roles: "fighter" tier: SECOND_TIER
  unit_cost_musd: 30 designer_nation: "USA" producer_nations: "USA" sourcing: US_BUILT
  links: "LINK16" links: "VHF" standards: "J-6016E" standards: "VMF"
  components { component: "MIDS" critical: true }
  components { component: "C1" }
  components { component: "C10" critical: true }
  source: "Unlike the F-35A it has no MADL terminal; C10 is kept, C1 is not; Link 16 via MIDS."
}
platforms {
  id: "F-35A" name: "F-35A Lightning II" domain: AIR roles: "fighter" tier: EXQUISITE
  unit_cost_musd: 80 designer_nation: "USA" producer_nations: "USA" sourcing: US_BUILT
  links: "LINK16" standards: "J-6016E" releasable_to: "F35"
}
platforms {
  id: "E-7A" name: "E-7A Wedgetail" domain: C2 roles: "c2" tier: EXQUISITE unit_cost_musd: 500
  designer_nation: "USA" producer_nations: "USA" sourcing: US_BUILT
  links: "LINK16" links: "JREAP" standards: "J-6016E" standards: "J-6016D"
  gateways { standard_a: "J-6016D" standard_b: "J-6016E" }
  gateways { standard_a: "J-6016D" standard_b: "J-6016D" level_cap: 3 }
}
platforms {
  id: "GRIPEN" name: "Gripen C" domain: AIR roles: "fighter" tier: SECOND_TIER unit_cost_musd: 40
  designer_nation: "SWE" producer_nations: "SWE" sourcing: THIRD_PARTY
  links: "TAU" standards: "TAU-MSG"
}
links {
  id: "LINK16" name: "Link 16" kind: TACTICAL_DATA_LINK
  standards: "J-6016E" standards: "J-6016D" standards: "VMF"
  releasable_to: "NATO" export_control: ITAR designer_nation: "USA"
}
links { id: "JREAP" name: "JREAP-C" kind: IP_NETWORK standards: "J-6016D" export_control: NONE }
links { id: "VHF" name: "VHF voice" kind: VOICE_RADIO voice_capable: true standards: "VMF" export_control: NONE }
links {
  id: "TAU" name: "TAU link" kind: TACTICAL_DATA_LINK standards: "TAU-MSG"
  releasable_to: "EUCAND" releasable_to: "USA" export_control: NONE designer_nation: "SWE"
}
standards { id: "J-6016E" name: "J-series E" family: "J" version: 5 releasable_to: "NATO" designer_nation: "USA" }
standards { id: "J-6016D" name: "J-series D" family: "J" version: 4 releasable_to: "CLUB" releasable_to: "NATO" }
standards { id: "VMF" name: "VMF K-series" family: "K" version: 1 }
standards {
  id: "TAU-MSG" name: "TAU messages" family: "TAU" version: 1
  releasable_to: "EUCAND" releasable_to: "USA" designer_nation: "SWE"
}
components {
  id: "MIDS" name: "MIDS terminal" kind: CRYPTO suppliers: "VIASAT"
  sub_components { component: "KGV" critical: true } export_control: ITAR releasable_to: "NATO"
}
components { id: "KGV" name: "KGV crypto module" kind: CRYPTO suppliers: "VIASAT" export_control: ITAR }
components { id: "C1" name: "Radome" kind: AIRFRAME suppliers: "ACME" export_control: NONE releasable_to: "POL" releasable_to: "USA" }
components {
  id: "C10" name: "Ejection seat" kind: OTHER suppliers: "SECRETCO" suppliers: "ACME" export_control: NONE
  sub_components { component: "C1" } sub_components { component: "C11" critical: true }
}
components { id: "C11" name: "Seat rocket" kind: PROPULSION suppliers: "SECRETCO" export_control: NONE }
suppliers { id: "VIASAT" name: "ViaSat" nation: "USA" }
suppliers { id: "ACME" name: "Acme Corp" nation: "POL" }
suppliers { id: "SECRETCO" name: "Quiet Works" nation: "USA" source: "Quiet Works also builds the Radome" releasable_to: "NATO" }
restrictions { id: "R-RUS" name: "Russian supply stopped" supplier_nation: "RUS" denied_to: "UKR" denied_to: "CLUB" }
restrictions { id: "R-CLUB" name: "nothing for the members" supplier: "ACME" denied_to: "CLUB" }
restrictions { id: "R-SECRET" supplier: "SECRETCO" denied_to: "RUS" }
mixes {
  name: "east" description: "F-16C and E-7A over LINK16" source: "assumption: MIDS on every F-16C"
  budget_musd: 10
  elements { id: "pol-f16" platform: "F-16C" nation: "POL" quantity: 48 }
  elements { platform: "F-35A" nation: "POL" quantity: 32 }
  elements { id: "ukr-f16" platform: "F-16C" nation: "UKR" quantity: 12 }
  elements { id: "awacs-LINK16" platform: "E-7A" nation: "USA" quantity: 2 }
  elements { platform: "GRIPEN" nation: "UKR" quantity: 4 }
  iers { name: "fighters" from { platforms: "F-35A" } to { all: true } min_level: 3 }
  iers { name: "mixed" from { platforms: "F-35A" platforms: "F-16C" } to { elements: "awacs-LINK16" elements: "POL:F-35A" } min_level: 2 }
  iers { name: "club" from { groups: "CLUB" } to { all: true } min_level: 1 }
  iers { name: "picture over Link 16" from { all: true } to { roles: "c2" } min_level: 3 }
  iers { name: "picture over J-series E" from { nations: "UKR" } to { domains: AIR } min_level: 1 }
  iers { name: "f35 only" from { elements: "POL:F-35A" } to { all: true } min_level: 1 }
}
mixes { name: "private plan" releasable_to: "USA" elements { platform: "F-16C" nation: "USA" quantity: 1 } }
)pb";

// For UKR (parties UKR, CLUB, EUCAND on the input):
//   withheld: groups CLUB, F35; platform F-35A; link LINK16; standard J-6016E; components MIDS,
//   C1; supplier SECRETCO; mix "private plan". Terms: their ids and names ("Quiet club", "F-35
//   partners", "F-35A Lightning II", "Link 16", "J-series E", "MIDS terminal", "Radome", "Quiet
//   Works", "private plan").
//   cascade: C11 (releasable, but its only supplier SECRETCO is gone); restrictions R-CLUB
//   (denied_to only CLUB) and R-SECRET (names SECRETCO). C11 is not a term.
//   kept J-6016D was releasable through CLUB: CLUB dropped from its list, [NATO] no longer grants
//   UKR, so UKR is appended.  TAU is kept through EUCAND, list unchanged.
//   F-16C: links -LINK16, standards -J-6016E, components -MIDS -C1 (C10 stays); its source is
//   redacted at word boundaries: "C10" stays, "C1" goes.  E-7A: -LINK16, -J-6016E, the D<->E
//   gateway goes, the D<->D one stays.  C10: -SECRETCO, sub-components -C1 -C11.
//   Mix east: POL:F-35A goes (its platform). IERs: "fighters" (from lists only F-35A: the kind
//   empties, dropped, not widened), "club" (a removed group), "f35 only" (elements only
//   POL:F-35A) go; "mixed" keeps from [F-16C], to [awacs-LINK16] renamed to element-3 (its id
//   holds the term LINK16; 3rd kept element); the two "picture over ..." names redact to the
//   same text, the second gets " (2)".
//   Counts: references = nations 2+1+1, F-16C 4, E-7A 3, J-6016D 1, C10 3, R-RUS 1, IER "mixed" 2
//   = 18; texts = model description, F-16C source, mix description and source, 2 IER names = 6.
constexpr absl::string_view kForUkr = R"pb(
name: "hand-worked"
description: "[redacted] and [redacted] facts for the test"
nations { id: "USA" name: "United States" groups: "NATO" partner_category: MOST_CAPABLE supply_risk: NONE }
nations { id: "POL" name: "Poland" groups: "NATO" partner_category: FRONTLINE supply_risk: NONE }
nations { id: "UKR" name: "Ukraine" groups: "EUCAND" partner_category: FRONTLINE supply_risk: ELEVATED }
nations { id: "SWE" name: "Sweden" groups: "NATO" partner_category: MOST_CAPABLE supply_risk: NONE }
nations { id: "RUS" name: "Russia" partner_category: OTHER supply_risk: ADVERSARY }
groups { id: "NATO" name: "NATO" }
groups { id: "EUCAND" name: "EU candidates" }
platforms {
  id: "F-16C" name: "F-16C Fighting Falcon" domain: AIR roles: "fighter" tier: SECOND_TIER
  unit_cost_musd: 30 designer_nation: "USA" producer_nations: "USA" sourcing: US_BUILT
  links: "VHF" standards: "VMF"
  components { component: "C10" critical: true }
  source: "Unlike the [redacted] it has no MADL terminal; C10 is kept, [redacted] is not; [redacted] via [redacted]."
}
platforms {
  id: "E-7A" name: "E-7A Wedgetail" domain: C2 roles: "c2" tier: EXQUISITE unit_cost_musd: 500
  designer_nation: "USA" producer_nations: "USA" sourcing: US_BUILT
  links: "JREAP" standards: "J-6016D"
  gateways { standard_a: "J-6016D" standard_b: "J-6016D" level_cap: 3 }
}
platforms {
  id: "GRIPEN" name: "Gripen C" domain: AIR roles: "fighter" tier: SECOND_TIER unit_cost_musd: 40
  designer_nation: "SWE" producer_nations: "SWE" sourcing: THIRD_PARTY
  links: "TAU" standards: "TAU-MSG"
}
links { id: "JREAP" name: "JREAP-C" kind: IP_NETWORK standards: "J-6016D" export_control: NONE }
links { id: "VHF" name: "VHF voice" kind: VOICE_RADIO voice_capable: true standards: "VMF" export_control: NONE }
links {
  id: "TAU" name: "TAU link" kind: TACTICAL_DATA_LINK standards: "TAU-MSG"
  releasable_to: "EUCAND" releasable_to: "USA" export_control: NONE designer_nation: "SWE"
}
standards { id: "J-6016D" name: "J-series D" family: "J" version: 4 releasable_to: "NATO" releasable_to: "UKR" }
standards { id: "VMF" name: "VMF K-series" family: "K" version: 1 }
standards {
  id: "TAU-MSG" name: "TAU messages" family: "TAU" version: 1
  releasable_to: "EUCAND" releasable_to: "USA" designer_nation: "SWE"
}
components { id: "KGV" name: "KGV crypto module" kind: CRYPTO suppliers: "VIASAT" export_control: ITAR }
components { id: "C10" name: "Ejection seat" kind: OTHER suppliers: "ACME" export_control: NONE }
suppliers { id: "VIASAT" name: "ViaSat" nation: "USA" }
suppliers { id: "ACME" name: "Acme Corp" nation: "POL" }
restrictions { id: "R-RUS" name: "Russian supply stopped" supplier_nation: "RUS" denied_to: "UKR" }
mixes {
  name: "east" description: "F-16C and E-7A over [redacted]" source: "assumption: [redacted] on every F-16C"
  budget_musd: 10
  elements { id: "pol-f16" platform: "F-16C" nation: "POL" quantity: 48 }
  elements { id: "ukr-f16" platform: "F-16C" nation: "UKR" quantity: 12 }
  elements { id: "element-3" platform: "E-7A" nation: "USA" quantity: 2 }
  elements { platform: "GRIPEN" nation: "UKR" quantity: 4 }
  iers { name: "mixed" from { platforms: "F-16C" } to { elements: "element-3" } min_level: 2 }
  iers { name: "picture over [redacted]" from { all: true } to { roles: "c2" } min_level: 3 }
  iers { name: "picture over [redacted] (2)" from { nations: "UKR" } to { domains: AIR } min_level: 1 }
}
)pb";
// clang-format on

v1::Model Parse(absl::string_view text) {
  v1::Model m;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(std::string(text), &m));
  return m;
}

void ExpectEqual(const v1::Model& got, const v1::Model& want) {
  google::protobuf::util::MessageDifferencer d;
  std::string diff;
  d.ReportDifferencesToString(&diff);
  EXPECT_TRUE(d.Compare(want, got)) << diff << "\ngot:\n" << got.DebugString();
}

int Errors(const v1::Model& m) {
  v1::ValidationReport r = Validate(m, SourceInfo());
  for (const auto& d : r.diagnostics()) {
    if (d.severity() == v1::Diagnostic::ERROR) ADD_FAILURE() << FormatDiagnostic(d);
  }
  return r.errors();
}

TEST(FilterTest, InputIsValid) { EXPECT_EQ(Errors(Parse(kModel)), 0); }

TEST(FilterTest, ForUkraineEveryRuleAtOnce) {
  ASSERT_OK_AND_ASSIGN(FilterResult r, FilterForRecipient(Parse(kModel), "UKR"));
  ExpectEqual(r.model, Parse(kForUkr));
  const FilterSummary& s = r.summary;
  EXPECT_EQ(s.groups, 2);
  EXPECT_EQ(s.platforms, 1);
  EXPECT_EQ(s.links, 1);
  EXPECT_EQ(s.standards, 1);
  EXPECT_EQ(s.components, 3);
  EXPECT_EQ(s.components_no_supplier, 1);
  EXPECT_EQ(s.suppliers, 1);
  EXPECT_EQ(s.mixes, 1);
  EXPECT_EQ(s.restrictions, 2);
  EXPECT_EQ(s.elements, 1);
  EXPECT_EQ(s.iers, 3);
  EXPECT_EQ(s.references, 18);
  EXPECT_EQ(s.texts_redacted, 6);
  EXPECT_EQ(s.elements_renamed, 1);
  EXPECT_EQ(s.lists_narrowed, 1);
  EXPECT_EQ(Errors(r.model), 0);
  // The summary counts; it names nothing that was removed.
  const std::string text = SummaryText(s);
  EXPECT_EQ(text,
            "export for UKR: removed 2 groups, 1 platform type, 1 link, 1 standard, 3 components "
            "(1 of them releasable but left without a supplier), 1 supplier, 2 supply "
            "restrictions, 1 mix; from the kept mixes 1 force element and 3 IERs; 18 references "
            "dropped, 6 texts redacted, 1 element id renamed, 1 releasability list narrowed to "
            "UKR\n");
}

TEST(FilterTest, FilteringTwiceChangesNothing) {
  for (const char* nation : {"UKR", "POL", "SWE", "RUS", "USA"}) {
    ASSERT_OK_AND_ASSIGN(FilterResult once, FilterForRecipient(Parse(kModel), nation));
    ASSERT_OK_AND_ASSIGN(FilterResult twice, FilterForRecipient(once.model, nation));
    ExpectEqual(twice.model, once.model);
    EXPECT_EQ(twice.summary.entities_removed() + twice.summary.references +
                  twice.summary.texts_redacted + twice.summary.lists_narrowed,
              0)
        << nation;
  }
}

// USA may see everything: the model comes back equal, so every serialization is byte-identical.
TEST(FilterTest, EverythingReleasableGivesTheModelUnchanged) {
  const v1::Model in = Parse(kModel);
  ASSERT_OK_AND_ASSIGN(FilterResult r, FilterForRecipient(in, "USA"));
  ExpectEqual(r.model, in);
  for (Format f : {Format::kTextProto, Format::kBinary, Format::kJson}) {
    ASSERT_OK_AND_ASSIGN(std::string a, SerializeMessage(in, f));
    ASSERT_OK_AND_ASSIGN(std::string b, SerializeMessage(r.model, f));
    EXPECT_EQ(a, b);
  }
  EXPECT_EQ(r.summary.entities_removed(), 0);
}

// Link 16 (releasable to NATO) for a non-member, RUS: the link goes with every fit of it and the
// standards it carried are no longer carried by it (J-6016E, releasable to NATO, goes too; J-6016D
// — CLUB, NATO — goes: RUS is in neither; VMF stays, still carried by VHF).
TEST(FilterTest, LinkForNonMemberGoesWithEveryFit) {
  ASSERT_OK_AND_ASSIGN(FilterResult r, FilterForRecipient(Parse(kModel), "RUS"));
  for (const v1::CommsLink& l : r.model.links()) {
    EXPECT_NE(l.id(), "LINK16");
    for (const std::string& s : l.standards()) EXPECT_TRUE(s == "VMF" || s == "TAU-MSG") << s;
  }
  for (const v1::PlatformType& p : r.model.platforms()) {
    for (const std::string& l : p.links()) EXPECT_NE(l, "LINK16") << p.id();
    // A gateway needing a removed standard goes: E-7A keeps none (both need J-6016D).
    if (p.id() == "E-7A") {
      EXPECT_EQ(p.gateways_size(), 0);
      EXPECT_EQ(p.standards_size(), 0);
    }
  }
  EXPECT_EQ(Errors(r.model), 0);
}

// The designer keeps its own link: TAU (releasable to EUCAND and USA, designed by SWE) stays for
// SWE, list unchanged; for POL (neither listed nor designer) it goes with TAU-MSG and GRIPEN's
// fit, while GRIPEN itself (releasable to all) stays.
TEST(FilterTest, DesignerKeepsItsOwnLink) {
  ASSERT_OK_AND_ASSIGN(FilterResult swe, FilterForRecipient(Parse(kModel), "SWE"));
  bool found = false;
  for (const v1::CommsLink& l : swe.model.links()) {
    if (l.id() != "TAU") continue;
    found = true;
    ASSERT_EQ(l.releasable_to_size(), 2);
    EXPECT_EQ(l.releasable_to(0), "EUCAND");
    EXPECT_EQ(l.releasable_to(1), "USA");
  }
  EXPECT_TRUE(found);
  ASSERT_OK_AND_ASSIGN(FilterResult pol, FilterForRecipient(Parse(kModel), "POL"));
  for (const v1::CommsLink& l : pol.model.links()) EXPECT_NE(l.id(), "TAU");
  for (const v1::DataStandard& s : pol.model.standards()) EXPECT_NE(s.id(), "TAU-MSG");
  bool gripen = false;
  for (const v1::PlatformType& p : pol.model.platforms()) {
    if (p.id() != "GRIPEN") continue;
    gripen = true;
    EXPECT_EQ(p.links_size(), 0);
    EXPECT_EQ(p.standards_size(), 0);
  }
  EXPECT_TRUE(gripen);
  // And the redaction of POL's terms never touches what POL may see: "Link 16" stays.
  EXPECT_EQ(pol.model.description(), "Link 16 and F-35A facts for the test");
}

TEST(FilterTest, RecipientMustBeANation) {
  EXPECT_EQ(FilterForRecipient(Parse(kModel), "XXX").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(FilterForRecipient(Parse(kModel), "NATO").status().code(),
            absl::StatusCode::kNotFound);
}

// A kept role tag naming a withheld link cannot be redacted: refused, naming the place.
TEST(FilterTest, KeptStructureNamingAWithheldEntityIsRefused) {
  v1::Model m = Parse(kModel);
  m.mutable_platforms(0)->add_roles("link16-relay");
  auto r = FilterForRecipient(m, "UKR");
  ASSERT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(r.status().message(),
                                "platforms[\"F-16C\"].roles[1] ('link16-relay') is kept but "
                                "contains 'link16'"))
      << r.status();
  // For POL, who may see Link 16, it is fine.
  EXPECT_OK(FilterForRecipient(m, "POL"));
}

// A withheld name that is a word of the file formats (here the enum value OTHER) or a number
// would show in the structure of every textproto and JSON output: refused.
TEST(FilterTest, WithheldSchemaWordOrNumberIsRefused) {
  v1::Model m = Parse(kModel);
  m.mutable_components(2)->set_name("Other");  // C1, withheld from UKR
  auto r = FilterForRecipient(m, "UKR");
  ASSERT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(r.status().message(), "'other'")) << r.status();
  m.mutable_components(2)->set_name("1.5");
  EXPECT_EQ(FilterForRecipient(m, "UKR").status().code(), absl::StatusCode::kFailedPrecondition);
}

// A withheld entity named "redacted": the marker would name it, so "[***]" is used.
TEST(FilterTest, MarkerNeverHoldsATerm) {
  v1::Model m = Parse(kModel);
  m.mutable_components(2)->set_name("Redacted");  // C1
  ASSERT_OK_AND_ASSIGN(FilterResult r, FilterForRecipient(m, "UKR"));
  EXPECT_EQ(r.model.description(), "[***] and [***] facts for the test");
}

}  // namespace
}  // namespace coalition::exports
