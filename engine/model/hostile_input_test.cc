// Issue 16: the validator and loader against hostile input (the CLI reproductions are in
// tests/hostile_cli_test.sh).
#include <cstdint>
#include <string>

#include "engine/model/load.h"
#include "engine/model/validate.h"
#include "engine/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace coalition {
namespace {

using ::testing::HasSubstr;
namespace v1 = ::coalition::v1;

constexpr char kModel[] = R"pb(
  name: "m"
  nations { id: "USA" name: "US" partner_category: MOST_CAPABLE supply_risk: NONE }
  nations { id: "POL" name: "Poland" partner_category: FRONTLINE supply_risk: NONE }
  links { id: "L16" name: "Link 16" kind: TACTICAL_DATA_LINK standards: "J" export_control: NONE }
  standards { id: "J" name: "J" family: "J" version: 1 }
  platforms {
    id: "F16" name: "F-16" domain: AIR tier: SECOND_TIER unit_cost_musd: 30
    designer_nation: "USA" producer_nations: "USA" sourcing: US_BUILT links: "L16" standards: "J"
  }
  mixes {
    name: "x"
    elements { platform: "F16" nation: "POL" quantity: 2 }
    elements { platform: "F16" nation: "USA" quantity: 1 }
    iers { name: "all" from { all: true } to { all: true } min_level: 3 }
  }
)pb";

v1::ValidationReport ValidateText(const std::string& text) {
  v1::Model m;
  SourceInfo src;
  EXPECT_OK(ParseMessage(text, Format::kTextProto, "t.textproto", &m, &src));
  return Validate(m, src);
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

bool HasDiagnostic(const v1::ValidationReport& r, const std::string& code, const std::string& path,
                   const std::string& text) {
  for (const v1::Diagnostic& d : r.diagnostics()) {
    if (d.code() == code && d.path() == path && d.message().find(text) != std::string::npos) {
      return true;
    }
  }
  return false;
}

TEST(HostileInputTest, TheBaseModelIsValid) {
  EXPECT_EQ(ValidateText(kModel).errors(), 0);
}

// Defect 1: any enum number the schema does not define is a located error.
TEST(HostileInputTest, EnumOutOfRange) {
  v1::ValidationReport r = ValidateText(Replace(kModel, "sourcing: US_BUILT", "sourcing: 1000000"));
  EXPECT_TRUE(HasDiagnostic(r, "out-of-range", "platforms[\"F16\"].sourcing", "1000000")) << r.DebugString();
  EXPECT_GT(r.diagnostics(0).line(), 0);
  r = ValidateText(Replace(kModel, "supply_risk: NONE", "supply_risk: -3"));
  EXPECT_TRUE(HasDiagnostic(r, "out-of-range", "nations[\"USA\"].supply_risk", "-3"));
  r = ValidateText(Replace(kModel, "from { all: true }", "from { domains: 42 }"));
  EXPECT_TRUE(HasDiagnostic(r, "out-of-range", "mixes[\"x\"].iers[\"all\"].from.domains[0]", "42"))
      << r.DebugString();
}

// Defect 5: quantities and costs are bounded, so totals cannot overflow.
TEST(HostileInputTest, QuantityAndCostBounds) {
  v1::ValidationReport r =
      ValidateText(Replace(kModel, "quantity: 2", "quantity: 9223372036854775807"));
  EXPECT_TRUE(HasDiagnostic(r, "out-of-range", "mixes[\"x\"].elements[0].quantity", "at most"));
  r = ValidateText(Replace(kModel, "quantity: 2", "quantity: 1000000000"));
  EXPECT_EQ(r.errors(), 0);
  r = ValidateText(Replace(kModel, "unit_cost_musd: 30", "unit_cost_musd: 1e308"));
  EXPECT_TRUE(HasDiagnostic(r, "out-of-range", "platforms[\"F16\"].unit_cost_musd", "at most"));
  r = ValidateText(Replace(kModel, "unit_cost_musd: 30", "unit_cost_musd: inf"));
  EXPECT_TRUE(HasDiagnostic(r, "negative-value", "platforms[\"F16\"].unit_cost_musd", "finite"));
}

// Defect 7: strings that are not UTF-8 are refused before they break binary / JSON output.
TEST(HostileInputTest, InvalidUtf8) {
  v1::ValidationReport r = ValidateText(Replace(kModel, "name: \"Poland\"", "name: \"Pol\\xffnd\""));
  EXPECT_TRUE(HasDiagnostic(r, "invalid-utf8", "nations[\"POL\"].name", "not valid UTF-8"))
      << r.DebugString();
}

// Defect 7: an empty model warns.
TEST(HostileInputTest, EmptyModelWarns) {
  for (const char* text : {"", "name: \"only a name\""}) {
    v1::ValidationReport r = ValidateText(text);
    EXPECT_EQ(r.errors(), 0);
    ASSERT_EQ(r.warnings(), 1) << text;
    EXPECT_EQ(r.diagnostics(0).code(), "empty-model");
  }
  v1::Model m;
  SourceInfo src;
  ASSERT_OK(ParseMessage("{}", Format::kJson, "e.json", &m, &src));
  EXPECT_EQ(Validate(m, src).warnings(), 1);
}

// Defect 8: duplicate list entries are flagged where they are.
TEST(HostileInputTest, DuplicateEntries) {
  v1::ValidationReport r = ValidateText(Replace(kModel, "links: \"L16\"", "links: \"L16\" links: \"L16\""));
  EXPECT_TRUE(HasDiagnostic(r, "duplicate-entry", "platforms[\"F16\"].links[1]", "'L16' again (first at [0])"))
      << r.DebugString();
  r = ValidateText(Replace(kModel, "from { all: true }", "from { domains: AIR domains: AIR }"));
  EXPECT_TRUE(HasDiagnostic(r, "duplicate-entry", "mixes[\"x\"].iers[\"all\"].from.domains[1]", "AIR"));
}

// Defect 2: a chunk length varint of 10+ continuation bytes is corruption, with its offset.
TEST(HostileInputTest, BinpbsBadVarintIsNotAnEnd) {
  v1::Model m;
  SourceInfo src;
  ASSERT_OK(ParseMessage(kModel, Format::kTextProto, "t", &m, &src));
  ASSERT_OK_AND_ASSIGN(std::string stream, SerializeMessage(m, Format::kBinaryStream));
  const size_t clean = stream.size();
  stream += std::string(11, '\xff') + "\x01";
  v1::Model back;
  absl::Status s = ParseMessage(stream, Format::kBinaryStream, "s.binpbs", &back, &src);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr("byte offset " + std::to_string(clean)));
  // A truncated chunk too.
  ASSERT_OK_AND_ASSIGN(stream, SerializeMessage(m, Format::kBinaryStream));
  s = ParseMessage(stream.substr(0, stream.size() - 3), Format::kBinaryStream, "s.binpbs", &back, &src);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("s.binpbs: chunk 0 at byte offset 0"));
}

// Defect 7: binary errors name a byte offset; JSON syntax errors a line:column.
TEST(HostileInputTest, BinaryAndJsonErrorsAreLocated) {
  v1::Model m;
  SourceInfo src;
  ASSERT_OK(ParseMessage(kModel, Format::kTextProto, "t", &m, &src));
  ASSERT_OK_AND_ASSIGN(std::string bin, SerializeMessage(m, Format::kBinary));
  v1::Model back;
  absl::Status s = ParseMessage(bin.substr(0, bin.size() - 5), Format::kBinary, "t.binpb", &back, &src);
  EXPECT_THAT(std::string(s.message()), HasSubstr("t.binpb: byte offset "));
  // A bad wire type (7) at offset 0.
  s = ParseMessage("\x0f", Format::kBinary, "w.binpb", &back, &src);
  EXPECT_THAT(std::string(s.message()), HasSubstr("w.binpb: byte offset 0: "));
  // The fuzzer's find: field 7 (standards, a message) with wire type 1 was kept as an unknown
  // field, valid for the binary reader but lost in text / JSON. Unknown fields are refused.
  s = ParseMessage(std::string("9\0\0\0\0\0\0\0put: eUApty", 19), Format::kBinary, "u.binpb",
                   &back, &src);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("u.binpb: byte offset 0: "));
  EXPECT_THAT(std::string(s.message()), HasSubstr("unknown fields are refused"));
  s = ParseMessage("{\n  \"name\": \"x\",\n  \"nations\": [ {\"id\": 1 ]\n}\n", Format::kJson, "j.json",
                   &back, &src);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("j.json:3:"));
}

}  // namespace
}  // namespace coalition
