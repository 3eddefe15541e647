#include "engine/model/releasability.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace coalition {
namespace {

// Recipient UKR, a member of EU-CANDIDATES only.
const RecipientParties kUkr{"UKR", {"EU-CANDIDATES"}};

struct Case {
  const char* what;
  std::vector<std::string> list;
  const char* designer;
  bool want;
};

TEST(ReleasabilityTest, TheRuleClauseByClause) {
  const Case cases[] = {
      {"empty list: everyone", {}, "", true},
      {"empty list, another designer: still everyone", {}, "USA", true},
      {"the recipient listed", {"POL", "UKR"}, "", true},
      {"a group of the recipient listed", {"NATO", "EU-CANDIDATES"}, "", true},
      {"neither listed", {"NATO", "FVEY", "JPN"}, "", false},
      {"neither listed, the recipient designed it", {"NATO"}, "UKR", true},
      {"neither listed, another designer", {"NATO"}, "USA", false},
      {"a group id that only looks like the recipient", {"UKR-FRIENDS"}, "", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ReleasableToNation(c.list, c.designer, kUkr), c.want) << c.what;
  }
}

TEST(ReleasabilityTest, DesignerAccessorOnlyAskedForANonEmptyList) {
  int asked = 0;
  const std::vector<int> empty;
  EXPECT_TRUE(ReleasableTo(empty, [&] { return ++asked, false; }, [](int) { return false; }));
  EXPECT_EQ(asked, 0);
  const std::vector<int> one = {7};
  EXPECT_FALSE(ReleasableTo(one, [&] { return ++asked, false; }, [](int p) { return p == 8; }));
  EXPECT_EQ(asked, 1);
  EXPECT_TRUE(ReleasableTo(one, [] { return false; }, [](int p) { return p == 7; }));
}

}  // namespace
}  // namespace coalition
