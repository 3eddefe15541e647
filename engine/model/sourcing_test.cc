#include "engine/model/sourcing.h"

#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace coalition {
namespace {

namespace v1 = ::coalition::v1;

TEST(SourcingTest, UsNationIdDefaultsToUsa) {
  v1::Model m;
  EXPECT_EQ(UsNationId(m), "USA");
  EXPECT_EQ(UsNationId(m), kDefaultUsNation);
  m.set_us_nation("US");
  EXPECT_EQ(UsNationId(m), "US");
}

TEST(SourcingTest, ExpectedSourcingOfTheThreeCases) {
  const std::vector<std::string> none;
  const std::vector<std::string> us_only = {"USA"};
  const std::vector<std::string> abroad = {"USA", "POL"};
  const std::vector<std::string> wholly_abroad = {"JPN"};
  // US design produced in the US (or with no producer recorded).
  EXPECT_EQ(ExpectedSourcing("USA", us_only, kDefaultUsNation), v1::US_BUILT);
  EXPECT_EQ(ExpectedSourcing("USA", none, kDefaultUsNation), v1::US_BUILT);
  // US design produced wholly or partly abroad.
  EXPECT_EQ(ExpectedSourcing("USA", abroad, kDefaultUsNation), v1::CO_PRODUCED);
  EXPECT_EQ(ExpectedSourcing("USA", wholly_abroad, kDefaultUsNation), v1::CO_PRODUCED);
  // Any other design, wherever produced (also no designer).
  EXPECT_EQ(ExpectedSourcing("POL", abroad, kDefaultUsNation), v1::THIRD_PARTY);
  EXPECT_EQ(ExpectedSourcing("POL", us_only, kDefaultUsNation), v1::THIRD_PARTY);
  EXPECT_EQ(ExpectedSourcing("", none, kDefaultUsNation), v1::THIRD_PARTY);
  // Ids compare exactly.
  EXPECT_EQ(ExpectedSourcing("usa", us_only, kDefaultUsNation), v1::THIRD_PARTY);
}

TEST(SourcingTest, ExpectedSourcingIsRelativeToTheModelsUsNation) {
  v1::Model m;
  m.set_us_nation("US");
  v1::PlatformType* p = m.add_platforms();
  p->set_designer_nation("US");
  p->add_producer_nations("US");
  const absl::string_view us = UsNationId(m);
  EXPECT_EQ(ExpectedSourcing(p->designer_nation(), p->producer_nations(), us), v1::US_BUILT);
  p->add_producer_nations("USA");  // "USA" is just another nation in this model
  EXPECT_EQ(ExpectedSourcing(p->designer_nation(), p->producer_nations(), us), v1::CO_PRODUCED);
  p->set_designer_nation("USA");
  EXPECT_EQ(ExpectedSourcing(p->designer_nation(), p->producer_nations(), us), v1::THIRD_PARTY);
}

TEST(SourcingTest, FirstForeignProducerInRangeOrder) {
  const std::set<std::string> sorted = {"USA", "GBR", "POL"};
  EXPECT_EQ(FirstForeignProducer(sorted, "USA"), absl::string_view("GBR"));
  const std::vector<std::string> listed = {"USA", "POL", "GBR"};
  EXPECT_EQ(FirstForeignProducer(listed, "USA"), absl::string_view("POL"));
  const std::vector<std::string> us_only = {"USA", "USA"};
  EXPECT_EQ(FirstForeignProducer(us_only, "USA"), std::nullopt);
  const std::vector<std::string> empty_id = {""};
  EXPECT_EQ(FirstForeignProducer(empty_id, "USA"), absl::string_view(""));
}

}  // namespace
}  // namespace coalition
