#include "engine/model/selector_rule.h"

#include <array>

#include "gtest/gtest.h"

namespace coalition {
namespace {

// A selector as the set of kinds it lists, an element as the set of listed kinds it matches one
// value of (bit k = SelectorKind k).
bool Eval(bool all, unsigned listed, unsigned matched) {
  return SelectorMatches(
      all, [&](SelectorKind k) { return (listed >> static_cast<int>(k)) & 1; },
      [&](SelectorKind k) {
        EXPECT_TRUE((listed >> static_cast<int>(k)) & 1) << "asked about an unlisted kind";
        return ((matched >> static_cast<int>(k)) & 1) != 0;
      });
}

// Exhaustive over the 64 x 64 (listed, matched) combinations: matches iff every listed kind is
// matched.
TEST(SelectorRuleTest, EveryListedKindMustMatch) {
  for (unsigned listed = 0; listed < 64; ++listed) {
    for (unsigned matched = 0; matched < 64; ++matched) {
      EXPECT_EQ(Eval(false, listed, matched), (listed & ~matched) == 0)
          << "listed " << listed << " matched " << matched;
      EXPECT_TRUE(Eval(true, listed, matched));
    }
  }
}

TEST(SelectorRuleTest, ListsAnyKind) {
  EXPECT_FALSE(ListsAnyKind([](SelectorKind) { return false; }));
  EXPECT_TRUE(ListsAnyKind([](SelectorKind k) { return k == SelectorKind::kRoles; }));
}

}  // namespace
}  // namespace coalition
