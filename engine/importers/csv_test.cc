#include "engine/importers/csv.h"

#include <string>
#include <vector>

#include "engine/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace coalition::importers {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(DecodeTextTest, KeepsUtf8AndDropsByteOrderMark) {
  ASSERT_OK_AND_ASSIGN(std::string t, DecodeText("\xEF\xBB\xBFTr\xC3\xA4ger", "f.csv"));
  EXPECT_EQ(t, "Tr\xC3\xA4ger");
}

TEST(DecodeTextTest, Latin1BecomesUtf8) {
  ASSERT_OK_AND_ASSIGN(std::string t, DecodeText("Waffentr\xE4ger", "f.csv"));
  EXPECT_EQ(t, "Waffentr\xC3\xA4ger");
}

TEST(DecodeTextTest, Windows1252HighBytes) {
  // 0x96 is an en dash in Windows-1252; 0x81 is a hole, read as latin-1 U+0081.
  ASSERT_OK_AND_ASSIGN(std::string t, DecodeText("a \x96 b \x81", "f.csv"));
  EXPECT_EQ(t, "a \xE2\x80\x93 b \xC2\x81");
}

TEST(DecodeTextTest, RejectsEmptyAndBinary) {
  EXPECT_THAT(DecodeText("", "e.csv").status().message(), HasSubstr("e.csv: empty file"));
  EXPECT_THAT(DecodeText(std::string("ab\0cd", 5), "b.bin").status().message(),
              HasSubstr("b.bin: not a text file (NUL byte at offset 2)"));
  EXPECT_EQ(DecodeText("\x01\x02\x03 many controls", "c.bin").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(IsValidUtf8Test, Cases) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("\xE2\x80\x93"));
  EXPECT_FALSE(IsValidUtf8("\xE4ger"));          // latin-1 a-umlaut
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));         // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));     // surrogate
  EXPECT_FALSE(IsValidUtf8("\xE2\x80"));         // truncated
}

TEST(ParseCsvTest, QuotesCommasAndLineNumbers) {
  const std::vector<CsvRecord> r =
      ParseCsv("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\nx,\"two\nlines\",y\nlast");
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].line, 1);
  EXPECT_THAT(r[0].fields, ElementsAre("a", "b,c", "say \"hi\""));
  EXPECT_EQ(r[1].line, 2);
  EXPECT_TRUE(IsBlankRecord(r[1]));
  EXPECT_EQ(r[2].line, 3);
  EXPECT_THAT(r[2].fields, ElementsAre("x", "two\nlines", "y"));
  EXPECT_EQ(r[3].line, 5);  // the quoted line break counted
  EXPECT_THAT(r[3].fields, ElementsAre("last"));
}

TEST(ParseCsvTest, UnterminatedQuoteRunsToTheEnd) {
  const std::vector<CsvRecord> r = ParseCsv("a,b\nc,\"open\nmore\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_FALSE(r[0].unterminated_quote);
  EXPECT_TRUE(r[1].unterminated_quote);
  EXPECT_EQ(r[1].line, 2);
}

TEST(ParseCsvTest, TrailingSeparatorsAndWidth) {
  const std::vector<CsvRecord> r = ParseCsv("a,b,,\n,,\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].fields.size(), 4u);
  EXPECT_EQ(EffectiveWidth(r[0]), 2);
  EXPECT_TRUE(IsBlankRecord(r[1]));
}

TEST(DecodeTextViewTest, Utf8IsViewedNotCopied) {
  const std::string bytes = "\xEF\xBB\xBFSupplier,Recipient\n";
  std::string storage;
  ASSERT_OK_AND_ASSIGN(absl::string_view t, DecodeTextView(bytes, "f.csv", &storage));
  EXPECT_EQ(t, "Supplier,Recipient\n");
  EXPECT_EQ(t.data(), bytes.data() + 3);  // a view into the input, after the byte-order mark
  EXPECT_TRUE(storage.empty());
  ASSERT_OK_AND_ASSIGN(t, DecodeTextView("Tr\xE4ger", "f.csv", &storage));
  EXPECT_EQ(t, "Tr\xC3\xA4ger");
  EXPECT_EQ(t.data(), storage.data());  // latin-1: converted into the storage
}

// The streaming reader gives the records ParseCsv gives (ParseCsv is built on it, so this also
// checks that reusing a record's storage leaves nothing behind from a longer previous record).
TEST(CsvReaderTest, RecordsOneAtATimeReuseStorage) {
  const std::string text = "a,b,c,d\r\n\"x\ny\",2\n,\n\"open";
  CsvReader reader(text);
  CsvRecord r;
  ASSERT_TRUE(reader.Next(&r));
  EXPECT_EQ(r.line, 1);
  EXPECT_THAT(r.fields, ElementsAre("a", "b", "c", "d"));
  ASSERT_TRUE(reader.Next(&r));
  EXPECT_EQ(r.line, 2);
  EXPECT_THAT(r.fields, ElementsAre("x\ny", "2"));
  ASSERT_TRUE(reader.Next(&r));
  EXPECT_EQ(r.line, 4);
  EXPECT_THAT(r.fields, ElementsAre("", ""));
  EXPECT_FALSE(r.unterminated_quote);
  ASSERT_TRUE(reader.Next(&r));
  EXPECT_EQ(r.line, 5);
  EXPECT_THAT(r.fields, ElementsAre("open"));
  EXPECT_TRUE(r.unterminated_quote);
  EXPECT_FALSE(reader.Next(&r));
  EXPECT_EQ(ParseCsv(text).size(), 4u);
}

TEST(SanitizeIdTest, Cases) {
  EXPECT_EQ(SanitizeId("F-35A Lightning-2"), "F-35A_Lightning-2");
  EXPECT_EQ(SanitizeId("F-16C Block-50/52"), "F-16C_Block-50_52");
  EXPECT_EQ(SanitizeId("Boxer IFV -"), "Boxer_IFV");
  EXPECT_EQ(SanitizeId("  NATO** "), "NATO");
  EXPECT_EQ(SanitizeId("\xC3\xA4\xC3\xB6"), "");
}

TEST(NormalizeHeaderTest, Cases) {
  EXPECT_EQ(NormalizeHeader("  Weapon   Designation "), "weapon designation");
  EXPECT_EQ(NormalizeHeader("Local production"), "local production");
}

}  // namespace
}  // namespace coalition::importers
