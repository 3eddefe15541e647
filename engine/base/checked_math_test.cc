#include "engine/base/checked_math.h"

#include <cstdint>
#include <limits>

#include "gtest/gtest.h"

namespace coalition {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

TEST(CheckedMathTest, AddAndMulDetectOverflow) {
  EXPECT_EQ(CheckedAdd(2, 3), 5);
  EXPECT_EQ(CheckedAdd(kMax, 1), std::nullopt);
  EXPECT_EQ(CheckedAdd(kMin, -1), std::nullopt);
  EXPECT_EQ(CheckedMul(46341, 46341), int64_t{2147488281});  // past int32, fine in int64
  EXPECT_EQ(CheckedMul(int64_t{200000} * 200000, 1), int64_t{40000000000});
  EXPECT_EQ(CheckedMul(int64_t{1} << 32, int64_t{1} << 31), std::nullopt);
  EXPECT_EQ(CheckedMul(-1, kMin), std::nullopt);
}

TEST(CheckedMathTest, SaturatingClamps) {
  // The reproduction: quantities near INT64_MAX summed gave -9223372036854775777.
  EXPECT_EQ(SaturatingAdd(kMax - 10, 42), kMax);
  EXPECT_EQ(SaturatingAdd(kMin + 1, -5), kMin);
  EXPECT_EQ(SaturatingMul(kMax, 2), kMax);
  EXPECT_EQ(SaturatingMul(kMax, -2), kMin);
  EXPECT_EQ(SaturatingMul(-3, 4), -12);
}

TEST(CheckedMathTest, AccumulatorRemembersOverflow) {
  Accumulator a;
  a.Add(kMax - 1);
  EXPECT_FALSE(a.overflowed());
  a.Add(32);
  EXPECT_TRUE(a.overflowed());
  EXPECT_EQ(a.sum(), kMax);
  a.Add(-5);  // stays flagged
  EXPECT_TRUE(a.overflowed());
}

TEST(CheckedMathTest, FiniteOr) {
  EXPECT_EQ(FiniteOr(1e308 * 10, -1), -1);
  EXPECT_EQ(FiniteOr(std::nan(""), 0), 0);
  EXPECT_EQ(FiniteOr(2.5, 0), 2.5);
}

}  // namespace
}  // namespace coalition
