// Which nation is "the US", and what sourcing means relative to it (SPEC §1, §4): the one home of
// both rules, used by validation (sourcing-mismatch), the SIPRI importer (derived sourcing), the
// generator and the typed graph (TypedGraph::us_nation()).
//
// Recommended API:
//   const absl::string_view us = UsNationId(model);           // model.us_nation() or "USA"
//   v1::Sourcing s = ExpectedSourcing(p.designer_nation(), p.producer_nations(), us);
//   if (s != p.sourcing()) ...                                 // a contradiction
//
// Terms.
//   US nation   the nation id sourcing and ITAR exposure are relative to: Model.us_nation, or
//               kDefaultUsNation when that is empty. kDefaultUsNation is the engine's only literal
//               for it; whether the model has such a nation is Validate()'s business
//               (dangling-reference on a set us_nation that names no nation).
//   sourcing    US_BUILT     a US design produced only in the US (no producer outside the US,
//                            including no producer at all);
//               CO_PRODUCED  a US design produced wholly or partly abroad (some producer nation
//                            is not the US);
//               THIRD_PARTY  a design of any other nation (also an empty designer).
//   Ids are compared exactly (case-sensitive), as everywhere in the engine.
//
// Errors: none; these are total functions on strings.
// Complexity: UsNationId O(1); ExpectedSourcing and FirstForeignProducer O(producers) string
// comparisons, stopping at the first producer outside the US. Ties: "first" is range order.
// Thread-safety: pure functions.
#ifndef COALITION_ENGINE_MODEL_SOURCING_H_
#define COALITION_ENGINE_MODEL_SOURCING_H_

#include <optional>

#include "absl/strings/string_view.h"
#include "coalition/v1/model.pb.h"

namespace coalition {

// The default US nation id, used when Model.us_nation is empty. The only literal for it.
inline constexpr absl::string_view kDefaultUsNation = "USA";

// The id of the US nation of `m`: m.us_nation(), or kDefaultUsNation when empty. The view points
// into `m` (or is static); it is valid while m.us_nation() is unchanged.
absl::string_view UsNationId(const coalition::v1::Model& m);

// The first of `producers` (any range of strings: a repeated proto field, a std::set, a vector)
// that is not `us_nation`, or nullopt when all production is in the US (or there is none). The
// view points into `producers`.
template <typename Range>
std::optional<absl::string_view> FirstForeignProducer(const Range& producers,
                                                      absl::string_view us_nation) {
  for (const auto& producer : producers) {
    if (absl::string_view(producer) != us_nation) return absl::string_view(producer);
  }
  return std::nullopt;
}

// The sourcing rule (see Terms), the only place it is written: the sourcing a platform type
// designed by `designer` and produced by `producers` has, relative to `us_nation`.
template <typename Range>
coalition::v1::Sourcing ExpectedSourcing(absl::string_view designer, const Range& producers,
                                         absl::string_view us_nation) {
  if (designer != us_nation) return coalition::v1::THIRD_PARTY;
  return FirstForeignProducer(producers, us_nation).has_value() ? coalition::v1::CO_PRODUCED
                                                                : coalition::v1::US_BUILT;
}

}  // namespace coalition

#endif  // COALITION_ENGINE_MODEL_SOURCING_H_
