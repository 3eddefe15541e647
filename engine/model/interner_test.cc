// The shared interning pass (interner.h) against a slow oracle (a std::map from id to its first
// index) on seeded random id lists with duplicates, empty ids and near misses, one by one and
// batched; the slot layout the typed graph stores; one thread and two give the same index.
#include "engine/model/interner.h"

#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "coalition/v1/model.pb.h"
#include "gtest/gtest.h"

namespace coalition {
namespace {

std::string RandomId(std::mt19937_64& rng) {
  static constexpr char kChars[] = "ab-:.09XY";
  std::string s;
  const int len = static_cast<int>(rng() % 5);  // "" included: ids may be empty (bad-id)
  for (int i = 0; i < len; ++i) s += kChars[rng() % (sizeof(kChars) - 1)];
  return s;
}

TEST(InternerTest, MatchesAMapOracleOnRandomIdsWithDuplicates) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    std::mt19937_64 rng(seed);
    v1::Model model;
    const int n = static_cast<int>(rng() % 300);
    // Components (interned on the second thread above 50'000; the rule is the same).
    std::map<std::string, uint32_t> first;
    for (int i = 0; i < n; ++i) {
      const std::string id = RandomId(rng);
      model.add_components()->set_id(id);
      first.emplace(id, static_cast<uint32_t>(i));
    }
    const ModelIndex index = InternModel(model);
    const InternedKind& k = index[IdKind::kComponent];
    ASSERT_EQ(k.size(), static_cast<uint32_t>(n));
    EXPECT_EQ(k.distinct(), first.size()) << seed;
    int64_t first_duplicate = -1;
    for (int i = 0; i < n; ++i) {
      const std::string& id = model.components(i).id();
      EXPECT_EQ(k.Id(static_cast<uint32_t>(i)), id);
      EXPECT_EQ(k.FirstOf(static_cast<uint32_t>(i)), first[id]) << seed << " " << i;
      if (first_duplicate < 0 && first[id] != static_cast<uint32_t>(i)) first_duplicate = i;
    }
    EXPECT_EQ(k.first_duplicate(), first_duplicate) << seed;
    // Queries: every id, and random strings (most absent), one by one and batched.
    std::vector<std::string> queries;
    for (const auto& [id, i] : first) queries.push_back(id);
    for (int q = 0; q < 100; ++q) queries.push_back(RandomId(rng) + RandomId(rng));
    std::vector<int32_t> batched(queries.size());
    k.FindMany(
        queries.size(), [&](size_t j) -> absl::string_view { return queries[j]; },
        batched.data());
    for (size_t q = 0; q < queries.size(); ++q) {
      auto it = first.find(queries[q]);
      const int32_t want = it == first.end() ? -1 : static_cast<int32_t>(it->second);
      EXPECT_EQ(k.Find(queries[q]), want) << seed << " '" << queries[q] << "'";
      EXPECT_EQ(batched[q], want) << seed << " '" << queries[q] << "'";
    }
  }
}

TEST(InternerTest, EveryKindInModelOrderAndSlotsAsTheGraphStoresThem) {
  v1::Model model;
  model.add_nations()->set_id("USA");
  model.add_nations()->set_id("GBR");
  model.add_groups()->set_id("NATO");
  model.add_platforms()->set_id("F-35A");
  model.add_links()->set_id("L16");
  model.add_standards()->set_id("J");
  model.add_suppliers()->set_id("PW");
  const ModelIndex index = InternModel(model);
  EXPECT_EQ(index[IdKind::kNation].Find("GBR"), 1);
  EXPECT_EQ(index[IdKind::kNation].Find("NATO"), -1);
  EXPECT_EQ(index[IdKind::kGroup].Find("NATO"), 0);
  EXPECT_EQ(index[IdKind::kPlatform].Find("F-35A"), 0);
  EXPECT_EQ(index[IdKind::kLink].Find("L16"), 0);
  EXPECT_EQ(index[IdKind::kStandard].Find("J"), 0);
  EXPECT_EQ(index[IdKind::kSupplier].Find("PW"), 0);
  // No components: no offsets, two empty slots (at least one empty slot always).
  const InternedKind& none = index[IdKind::kComponent];
  EXPECT_EQ(none.size(), 0u);
  EXPECT_TRUE(none.offsets()->empty());
  EXPECT_EQ(none.slots()->size(), 2u);
  EXPECT_EQ(none.Find(""), -1);
  // Two nations: 8 slots would be 2 * 2 + 1 = 5 -> 8; each slot 0 or local + 1.
  const InternedKind& nations = index[IdKind::kNation];
  EXPECT_EQ(nations.slots()->size(), 8u);
  EXPECT_EQ(*nations.offsets(), (std::vector<uint32_t>{0, 3, 6}));
  int filled = 0;
  for (uint32_t s : *nations.slots()) filled += s != 0;
  EXPECT_EQ(filled, 2);
  EXPECT_EQ((*nations.slots())[StableIdHash("USA") & 7] != 0, true);
}

TEST(InternerTest, LargeKindsInternedOnTwoThreadsGiveTheSameIndex) {
  v1::Model model;
  for (int i = 0; i < 60'000; ++i) model.add_components()->set_id(absl::StrCat("C", i % 59'999));
  for (int i = 0; i < 100; ++i) model.add_nations()->set_id(absl::StrCat("N", i));
  const ModelIndex two = InternModel(model, /*parallel=*/true);
  const ModelIndex one = InternModel(model, /*parallel=*/false);
  for (int k = 0; k < kNumIdKinds; ++k) {
    EXPECT_EQ(*two.kind(k).slots(), *one.kind(k).slots()) << k;
    EXPECT_EQ(*two.kind(k).chars(), *one.kind(k).chars()) << k;
  }
  EXPECT_EQ(two[IdKind::kComponent].first_duplicate(), 59'999);
  EXPECT_EQ(two[IdKind::kComponent].FirstOf(59'999), 0u);
  EXPECT_EQ(two[IdKind::kComponent].distinct(), 59'999u);
}

}  // namespace
}  // namespace coalition
