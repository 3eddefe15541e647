#include "engine/base/utf8.h"

#include <string>

#include "gtest/gtest.h"

namespace coalition {
namespace {

TEST(Utf8Test, WellFormed) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("F-16C"));
  EXPECT_TRUE(IsValidUtf8("Zw\xc3\xb6lf"));          // ö
  EXPECT_TRUE(IsValidUtf8("\xe2\x80\xae"));          // U+202E
  EXPECT_TRUE(IsValidUtf8("\xf0\x9f\x9a\x80"));      // U+1F680
}

TEST(Utf8Test, IllFormed) {
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("abc\xc3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));             // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));         // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));     // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\x80"));                 // lone continuation
}

TEST(Utf8Test, DecodeReportsLengthAndCodePoint) {
  char32_t c;
  EXPECT_EQ(DecodeUtf8("\xe2\x80\xae!", 0, &c), 3u);
  EXPECT_EQ(c, char32_t{0x202E});
  EXPECT_EQ(DecodeUtf8("\xe2\x80", 0, &c), 1u);
  EXPECT_EQ(c, kInvalidCodePoint);
}

}  // namespace
}  // namespace coalition
