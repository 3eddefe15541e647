#include "engine/model/load.h"

#include <cstdlib>
#include <string>

#include "coalition/v1/report.pb.h"
#include "engine/base/file_io.h"
#include "engine/testing/status_matchers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/delimited_message_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace coalition {
namespace {

using google::protobuf::util::MessageDifferencer;

constexpr char kModelText[] = R"pb(
name: "tiny"
nations { id: "USA" name: "United States" groups: "NATO" partner_category: MOST_CAPABLE supply_risk: NONE }
nations { id: "POL" name: "Poland" groups: "NATO" partner_category: FRONTLINE supply_risk: NONE source: "ż — unicode kept" }
groups { id: "NATO" name: "NATO" }
platforms {
  id: "F-16C" name: "F-16C" domain: AIR roles: "fighter" tier: SECOND_TIER unit_cost_musd: 63.5
  designer_nation: "USA" producer_nations: "USA" sourcing: US_BUILT
  links: "LINK16" standards: "J6016E"
  gateways { standard_a: "J6016E" standard_b: "J6016E" level_cap: 3 }
  gateways { standard_a: "J6016E" standard_b: "J6016E" }
}
links { id: "LINK16" name: "Link 16" kind: TACTICAL_DATA_LINK standards: "J6016E" export_control: ITAR retrofit_cost_musd: 0.75 releasable_to: "NATO" }
standards { id: "J6016E" name: "J-series" family: "J-SERIES" version: 5 }
mixes { name: "m" elements { platform: "F-16C" nation: "POL" quantity: 48 } iers { name: "air" from { all: true } to { nations: "USA" domains: AIR } min_level: 3 } }
)pb";

std::string Tmp(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/" + name;
}

TEST(FormatTest, ChosenByExtensionOrOverride) {
  EXPECT_EQ(*FormatForPath("a/b.textproto", ""), Format::kTextProto);
  EXPECT_EQ(*FormatForPath("a.txtpb", ""), Format::kTextProto);
  EXPECT_EQ(*FormatForPath("a.binpb", ""), Format::kBinary);
  EXPECT_EQ(*FormatForPath("a.json", ""), Format::kJson);
  EXPECT_EQ(*FormatForPath("-", "json"), Format::kJson);
  EXPECT_EQ(*FormatForPath("a.json", "binpb"), Format::kBinary);
  EXPECT_EQ(FormatForPath("-", "").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FormatForPath("model.xml", "").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FormatForPath("a.json", "yaml").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(LoadTest, RoundTripThroughAllThreeFormatsLosesNothing) {
  coalition::v1::Model original;
  SourceInfo src;
  ASSERT_OK(ParseMessage(kModelText, Format::kTextProto, "tiny.textproto", &original, &src));
  ASSERT_TRUE(original.platforms(0).gateways(0).has_level_cap());
  ASSERT_FALSE(original.platforms(0).gateways(1).has_level_cap());

  // textproto -> binary -> JSON -> textproto, through files.
  ASSERT_OK(WriteMessage(original, Tmp("m.textproto"), Format::kTextProto));
  ASSERT_OK_AND_ASSIGN(LoadedModel a, LoadModel(Tmp("m.textproto")));
  ASSERT_OK(WriteMessage(a.model, Tmp("m.binpb"), Format::kBinary));
  ASSERT_OK_AND_ASSIGN(LoadedModel b, LoadModel(Tmp("m.binpb")));
  ASSERT_OK(WriteMessage(b.model, Tmp("m.json"), Format::kJson));
  ASSERT_OK_AND_ASSIGN(LoadedModel c, LoadModel(Tmp("m.json")));
  ASSERT_OK(WriteMessage(c.model, Tmp("m2.textproto"), Format::kTextProto));
  ASSERT_OK_AND_ASSIGN(LoadedModel d, LoadModel(Tmp("m2.textproto")));

  std::string diff;
  MessageDifferencer differ;
  differ.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differ.Compare(original, d.model)) << diff;
  // Explicit presence survives JSON (level_cap set vs unset).
  EXPECT_TRUE(d.model.platforms(0).gateways(0).has_level_cap());
  EXPECT_FALSE(d.model.platforms(0).gateways(1).has_level_cap());
  // Text output is byte-identical after a round trip (deterministic).
  ASSERT_OK_AND_ASSIGN(std::string t1, ReadFile(Tmp("m.textproto")));
  ASSERT_OK_AND_ASSIGN(std::string t2, ReadFile(Tmp("m2.textproto")));
  EXPECT_EQ(t1, t2);
}

TEST(LoadTest, TextFormatRecordsFieldLocations) {
  coalition::v1::Model m;
  SourceInfo src;
  ASSERT_OK(ParseMessage(kModelText, Format::kTextProto, "tiny.textproto", &m, &src));
  const auto* d = coalition::v1::Model::descriptor();
  const auto* pd = coalition::v1::PlatformType::descriptor();
  // `links: "LINK16"` of platforms[0] is on line 9 (line 1 is the empty first line of the raw
  // string), column 3.
  auto loc = src.Locate({{d->FindFieldByName("platforms"), 0}, {pd->FindFieldByName("links"), 0}});
  EXPECT_EQ(loc, std::make_pair(9, 3));
  // nations[1] starts on line 4, column 1.
  EXPECT_EQ(src.Locate({{d->FindFieldByName("nations"), 1}}), std::make_pair(4, 1));
  // A field that is not there has no location.
  EXPECT_EQ(src.Locate({{d->FindFieldByName("nations"), 7}}), std::make_pair(0, 0));
}

TEST(LoadTest, TextParseErrorHasFileLineColumn) {
  coalition::v1::Model m;
  SourceInfo src;
  absl::Status s = ParseMessage("name: \"x\"\nnations { id: \"USA\" colour: 3 }\n",
                                Format::kTextProto, "bad.textproto", &m, &src);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "bad.textproto:2:27: Message type \"coalition.v1.Nation\" has no field named "
            "\"colour\".");
}

TEST(LoadTest, BadEnumNameIsAParseError) {
  coalition::v1::Model m;
  SourceInfo src;
  absl::Status s =
      ParseMessage("platforms { domain: AIRR }", Format::kTextProto, "e.textproto", &m, &src);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("e.textproto:1:26:"), std::string::npos) << s;
  EXPECT_NE(s.message().find("AIRR"), std::string::npos) << s;
}

TEST(LoadTest, CorruptBinaryAndJsonAreInvalidArgument) {
  coalition::v1::Model m;
  SourceInfo src;
  EXPECT_EQ(ParseMessage("\xff\xff\xff", Format::kBinary, "x.binpb", &m, &src).code(),
            absl::StatusCode::kInvalidArgument);
  absl::Status s = ParseMessage("{\"nations\": [{\"idd\": 1}]}", Format::kJson, "x.json", &m, &src);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("x.json"), std::string::npos);
}

TEST(LoadTest, MissingFileIsNotFound) {
  EXPECT_EQ(LoadModel(Tmp("nope.textproto")).status().code(), absl::StatusCode::kNotFound);
}

// ---- Length-delimited streams (.binpbs) ----------------------------------------------------

coalition::v1::Model ManyEntities() {
  coalition::v1::Model m;
  SourceInfo src;
  EXPECT_OK(ParseMessage(kModelText, Format::kTextProto, "tiny.textproto", &m, &src));
  m.set_description("split across chunks");
  for (int i = 0; i < 300; ++i) {
    coalition::v1::Nation* n = m.add_nations();
    n->set_id(absl::StrCat("N", i));
    n->set_name(absl::StrCat("Nation number ", i));
    n->add_groups("NATO");
    n->set_partner_category(coalition::v1::Nation::OTHER);
    n->set_supply_risk(coalition::v1::Nation::NONE);
  }
  for (int i = 0; i < 50; ++i) {
    coalition::v1::ForceElement* e = m.mutable_mixes(0)->add_elements();
    e->set_platform("F-16C");
    e->set_nation(absl::StrCat("N", i));
    e->set_quantity(i + 1);
  }
  m.add_mixes()->set_name("second");
  return m;
}

TEST(StreamTest, FormatByExtensionAndName) {
  EXPECT_EQ(*FormatForPath("big.binpbs", ""), Format::kBinaryStream);
  EXPECT_EQ(*FormatForPath("-", "binpbs"), Format::kBinaryStream);
  EXPECT_EQ(*FormatForPath("a.binpb", "binpbs"), Format::kBinaryStream);
  EXPECT_EQ(FormatName(Format::kBinaryStream), "binpbs");
}

TEST(StreamTest, ModelSplitAcrossManyChunksRoundTrips) {
  const coalition::v1::Model original = ManyEntities();
  ASSERT_OK_AND_ASSIGN(std::string bytes, SerializeStream(original, /*max_chunk_bytes=*/256));
  // Walk the chunks: many, each a valid Model within the bound (the first holds the name).
  google::protobuf::io::ArrayInputStream raw(bytes.data(), static_cast<int>(bytes.size()));
  int chunks = 0;
  for (;;) {
    coalition::v1::Model chunk;
    bool clean_eof = false;
    if (!google::protobuf::util::ParseDelimitedFromZeroCopyStream(&chunk, &raw, &clean_eof)) {
      ASSERT_TRUE(clean_eof);
      break;
    }
    EXPECT_EQ(chunk.name().empty(), chunks > 0);
    // Within the bound, unless one element alone is larger (the 50-element mix).
    if (chunk.mixes_size() != 1) {
      EXPECT_LE(chunk.ByteSizeLong(), 256u);
    }
    ++chunks;
  }
  EXPECT_GT(chunks, 20);

  coalition::v1::Model back;
  SourceInfo src;
  ASSERT_OK(ParseMessage(bytes, Format::kBinaryStream, "m.binpbs", &back, &src));
  std::string diff;
  MessageDifferencer differ;
  differ.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differ.Compare(original, back)) << diff;

  // Through files, with the default chunk size (one chunk) and the extension.
  ASSERT_OK(WriteMessage(original, Tmp("m.binpbs"), Format::kBinaryStream));
  ASSERT_OK_AND_ASSIGN(LoadedModel loaded, LoadModel(Tmp("m.binpbs")));
  EXPECT_TRUE(MessageDifferencer::Equals(original, loaded.model));
  // Deterministic bytes.
  ASSERT_OK_AND_ASSIGN(std::string again, SerializeStream(original, 256));
  EXPECT_EQ(bytes, again);
}

TEST(StreamTest, EmptyAndCorruptStreams) {
  coalition::v1::Model m;
  SourceInfo src;
  ASSERT_OK(ParseMessage("", Format::kBinaryStream, "e.binpbs", &m, &src));
  EXPECT_EQ(m.ByteSizeLong(), 0u);
  ASSERT_OK_AND_ASSIGN(std::string bytes, SerializeStream(ManyEntities(), 256));
  bytes.resize(bytes.size() - 3);  // truncated last chunk
  absl::Status s = ParseMessage(bytes, Format::kBinaryStream, "t.binpbs", &m, &src);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("t.binpbs: chunk"), std::string::npos) << s;
  EXPECT_EQ(LoadModel(Tmp("missing.binpbs")).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace coalition
