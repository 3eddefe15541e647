// Checked integer arithmetic for totals and sizes computed from input (quantities, pair
// counts, cell counts): every product or sum that input can drive past 64 bits goes through
// here instead of a bare `*` / `+`.
//
//   std::optional<int64_t> cells = CheckedMul(n, n);          // nullopt on overflow
//   if (!cells) return absl::InvalidArgumentError("too large");
//   int64_t total = SaturatingAdd(total, quantity);          // clamps at INT64_MAX / MIN
//   Accumulator units;  units.Add(q);  if (units.overflowed()) ...   // refuse with a message
//
// CheckedAdd / CheckedMul return std::nullopt on overflow (never undefined behaviour, so UBSan
// stays quiet on hostile input). SaturatingAdd / SaturatingMul clamp to the int64 range.
// FiniteOr(x, fallback) maps NaN and infinities (e.g. a cost of 1e308 × 10) to `fallback`.
// Everything is constexpr, header-only and O(1).
#ifndef COALITION_ENGINE_BASE_CHECKED_MATH_H_
#define COALITION_ENGINE_BASE_CHECKED_MATH_H_

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>

namespace coalition {

constexpr std::optional<int64_t> CheckedAdd(int64_t a, int64_t b) {
  int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}

constexpr std::optional<int64_t> CheckedMul(int64_t a, int64_t b) {
  int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}

constexpr int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t r = 0;
  if (!__builtin_add_overflow(a, b, &r)) return r;
  return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
}

constexpr int64_t SaturatingMul(int64_t a, int64_t b) {
  int64_t r = 0;
  if (!__builtin_mul_overflow(a, b, &r)) return r;
  return (a < 0) != (b < 0) ? std::numeric_limits<int64_t>::min()
                            : std::numeric_limits<int64_t>::max();
}

inline double FiniteOr(double x, double fallback) { return std::isfinite(x) ? x : fallback; }

// A running int64 sum that remembers whether it ever overflowed (then it stays saturated).
class Accumulator {
 public:
  constexpr void Add(int64_t x) {
    std::optional<int64_t> r = CheckedAdd(sum_, x);
    if (!r.has_value()) overflowed_ = true;
    sum_ = r.has_value() ? *r : SaturatingAdd(sum_, x);
  }
  constexpr int64_t sum() const { return sum_; }
  constexpr bool overflowed() const { return overflowed_; }

 private:
  int64_t sum_ = 0;
  bool overflowed_ = false;
};

}  // namespace coalition

#endif  // COALITION_ENGINE_BASE_CHECKED_MATH_H_
