// Seeded random coalition models and mixes for property tests (GAPBS kRandSeed habit): the
// seed is fixed by default, printed by the tests, and overridable with COALITION_SEED.
//
//   uint64_t seed = TestSeed();                       // 20261126 unless COALITION_SEED is set
//   RandomModelOptions opt; opt.elements = 12;
//   coalition::v1::Model m = RandomModel(seed, opt);  // m.mixes(0) is the mix
//
// The models are small and dense in interesting structure: few links and standards, families
// with several versions, releasability restricted to random nations and groups, gateways
// (including same-standard gateways and caps 1..3), voice links, groups with and without
// information sharing.
#ifndef COALITION_ENGINE_TESTING_RANDOM_MODEL_H_
#define COALITION_ENGINE_TESTING_RANDOM_MODEL_H_

#include <cstdint>

#include "coalition/v1/model.pb.h"

namespace coalition::testing {

struct RandomModelOptions {
  int nations = 5;
  int groups = 3;
  int platforms = 8;
  int links = 4;
  int standards = 6;
  int families = 3;
  int elements = 10;
  int iers = 3;
  int components = 10;
  int suppliers = 6;
};

uint64_t TestSeed();

coalition::v1::Model RandomModel(uint64_t seed, const RandomModelOptions& options);

// What the filtered export (SPEC §7) needs to be tested hard, added to a RandomModel (valid
// before, valid after; RandomModel's own draws are untouched): a releasability list (empty half
// the time, else 1-3 random nations and groups) on every group, platform type, component,
// supplier, mix and supply restriction; 0-3 supply restrictions; display names that differ from
// ids (some shared words such as "Radar", some with spaces); component ids "CMP<i>" instead of
// "C<i>" (references follow); sources and descriptions naming
// random entities by id or display name; element ids that embed a link id; IERs selecting by
// elements, platforms and groups; and a second, smaller mix. Deterministic in `seed`.
void AddRandomReleasability(uint64_t seed, coalition::v1::Model* model);

// What IER coverage and supply restrictions (SPEC §1, §3, §4) need to be tested hard, added to a
// RandomModel (valid before, valid after; RandomModel's own draws untouched): every IER of every
// mix gets a random coverage (ALL_PAIRS, EACH_TO, EACH_FROM or unset) and, half the time, a
// weight in {0.5, 1, 2, 3}; 1-3 supply restrictions (a supplier or a supplier nation, denied to
// 1-2 random nations or groups); stock_months on components (0 half the time, else 1..24).
// Deterministic in `seed`.
void AddRandomCoverageAndSupply(uint64_t seed, coalition::v1::Model* model);

}  // namespace coalition::testing

#endif  // COALITION_ENGINE_TESTING_RANDOM_MODEL_H_
