// Issue 16 defect 6: injection through free text, one escaper per output format.
#include "engine/report/escape.h"

#include <string>

#include "engine/report/text_table.h"
#include "gtest/gtest.h"

namespace coalition::report {
namespace {

TEST(EscapeTest, TextKeepsOrdinaryTextByteForByte) {
  EXPECT_EQ(TextSafe("USA:F-16C -> [gateway X] 100%"), "USA:F-16C -> [gateway X] 100%");
  EXPECT_EQ(TextSafe("Zw\xc3\xb6lf \xe6\x97\xa5\xe6\x9c\xac"), "Zw\xc3\xb6lf \xe6\x97\xa5\xe6\x9c\xac");
}

TEST(EscapeTest, TextEscapesLineBreaksControlsAndBidi) {
  // A name with a newline cannot forge a report line; U+202E cannot reverse what follows.
  EXPECT_EQ(TextSafe("air\n   1. [POLICY] forged"), "air\\n   1. [POLICY] forged");
  EXPECT_EQ(TextSafe("a\rb\tc\x1b[31m\x7f"), "a\\rb\\tc\\x1b[31m\\x7f");
  EXPECT_EQ(TextSafe("evil\xe2\x80\xae""fdp.exe"), "evil\\u{202E}fdp.exe");
  EXPECT_EQ(TextSafe("\xe2\x81\xa6x\xe2\x81\xa9"), "\\u{2066}x\\u{2069}");
  EXPECT_EQ(TextSafe("\xc2\x85"), "\\u{0085}");
  EXPECT_EQ(TextSafe("bad\xff"), "bad\\xff");
  // Idempotent: renderers may escape a field twice.
  const std::string once = TextSafe("x\n\xe2\x80\xae");
  EXPECT_EQ(TextSafe(once), once);
}

TEST(EscapeTest, MarkdownNeutralisesHeadingsTagsAndCells) {
  EXPECT_EQ(MarkdownSafe("air\n# Forged heading"), "air\\n# Forged heading");
  EXPECT_EQ(MarkdownSafe("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
  EXPECT_EQ(MarkdownSafe("a|b"), "a\\|b");
  EXPECT_EQ(MarkdownSafe("a\\|b"), "a\\\\\\|b");  // a backslash cannot undo the cell escape
  EXPECT_EQ(MarkdownSafe("cheap \\*"), "cheap \\*");  // renderers' own escapes are kept
  EXPECT_EQ(MarkdownSafe("`code`"), "\\`code\\`");
  EXPECT_EQ(MarkdownSafe("A -> B"), "A -> B");  // our arrow survives
  EXPECT_EQ(MarkdownSafe("x & y"), "x &amp; y");
  const std::string table = MarkdownTable({{"IER", "gaps"}, {"a\n# h|<b>", "1"}});
  EXPECT_EQ(table, "| IER | gaps |\n|---|---:|\n| a\\n# h\\|&lt;b&gt; | 1 |\n");
}

TEST(EscapeTest, CsvNeutralisesFormulas) {
  // The reproduction: an IER named =cmd|' /C calc'!A0 was a live cell.
  EXPECT_EQ(CsvCell("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
  EXPECT_EQ(CsvCell("+1+2"), "'+1+2");
  EXPECT_EQ(CsvCell("-2+3"), "'-2+3");
  EXPECT_EQ(CsvCell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvCell("\t=1"), "'\\t=1");
  EXPECT_EQ(CsvCell("\r=1"), "'\\r=1");
  // Numbers stay numbers; ordinary text is unchanged; RFC 4180 quoting still applies.
  EXPECT_EQ(CsvCell("-12.5"), "-12.5");
  EXPECT_EQ(CsvCell("+3"), "+3");
  EXPECT_EQ(CsvCell("-1e-3"), "-1e-3");
  EXPECT_EQ(CsvCell("USA:F-16C"), "USA:F-16C");
  EXPECT_EQ(CsvCell("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvCell("=a,\"b\""), "\"'=a,\"\"b\"\"\"");
  EXPECT_EQ(CsvCell("line\nbreak"), "\"line\nbreak\"");  // RFC 4180, as before
  EXPECT_EQ(CsvCell("a\rb\xe2\x80\xae"), "a\\rb\\u{202E}");
  EXPECT_EQ(CsvRow({"=1", "x"}), "'=1,x\n");
}

TEST(EscapeTest, TextTableEscapesCells) {
  EXPECT_EQ(TextTable({{"a\nb", "1"}}, ""), "a\\nb  1\n");
}

}  // namespace
}  // namespace coalition::report

namespace coalition::report {
namespace {

TEST(XmlSafeTest, EntitiesAndControls) {
  EXPECT_EQ(XmlSafe("a<b>&\"c'\x01\t"), "a&lt;b&gt;&amp;&quot;c&apos;?\t");
}

}  // namespace
}  // namespace coalition::report
