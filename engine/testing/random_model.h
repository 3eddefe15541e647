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

}  // namespace coalition::testing

#endif  // COALITION_ENGINE_TESTING_RANDOM_MODEL_H_
