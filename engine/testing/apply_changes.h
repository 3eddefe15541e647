// A reference application of typed changes (proto/coalition/v1/change.proto) by editing copies
// of the model and mix protos: the "rebuild from scratch" side that scenario and evaluation tests
// compare the overlay (engine/scenario/scenario.h) against. Obviously correct rather than fast:
// string ids, linear scans, no graph.
//
//   ReferenceState ref = MakeReference(model, model.mixes(0));
//   absl::StatusOr<bool> no_op = ApplyReference(change, &ref);   // edits ref.model / ref.mix
//   std::vector<bool> present = ReferencePresent(ref);           // per element of ref.mix
//   SlowInterop strict(ref.model, ref.mix, /*relax_policy=*/false, present);
//
// How each change is applied (the edit, in the words of change.proto):
//   embargo X          X joins embargoes (its suppliers stop supplying every *other* nation)
//   remove_supplier S  S joins removed_suppliers
//   lift_restriction R R joins lifted_restrictions
//   remove_element E   E joins removed_elements (the element stays in the mix, absent)
//   remove_platform P  every element of the mix with platform P joins removed_elements
//   release            the party is appended to the item's releasable_to list, unless the list
//                      is empty (releasable to all) or already names the party
//   fit L to P         L is appended to P's links unless P lists it
//   upgrade P A -> B   every A is dropped from P's standards; B is appended unless P speaks it
//   add_element        a ForceElement is appended with the id of change.proto: the given one, or
//                      "<nation>:<platform>", or "<nation>:<platform>:K" with the smallest free
//                      K >= 2
//   add_gateway_element  the same with quantity 1 (the platform must carry a gateway)
//   share_information  a new group "__share:<k>" with shares_information, joined by both
//                      nations
// An element is present iff its id is not in removed_elements and its platform is sustainable
// (slow_risk.h's SlowSupplyAvailability) with these suppliers gone: removed_suppliers, those of
// every embargoing nation other than its own, and those the restrictions in force not lifted
// deny its nation (SlowDeniedSuppliers).
//
// Errors follow scenario.h (so tests can compare them): InvalidArgument for nothing set, an
// empty required id, quantity < 1, an upgrade across families or of a standard the platform
// does not speak, a gateway element whose platform has no gateway, a taken element id, a
// share between one nation and itself, a release party that is both a nation and a group;
// NotFound for an id the model or mix lacks. On error nothing changes.
#ifndef COALITION_ENGINE_TESTING_APPLY_CHANGES_H_
#define COALITION_ENGINE_TESTING_APPLY_CHANGES_H_

#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "coalition/v1/change.pb.h"
#include "coalition/v1/model.pb.h"

namespace coalition::testing {

struct ReferenceState {
  coalition::v1::Model model;  // edited copy (its mixes are left as they were)
  coalition::v1::ForceMix mix;  // edited copy: elements appended, never erased
  int base_elements = 0;        // elements of the mix before any change
  std::set<std::string> removed_elements;   // effective element ids
  std::set<std::string> removed_suppliers;  // supplier ids
  std::set<std::string> embargoes;          // nation ids
  std::set<std::string> lifted_restrictions;  // SupplyRestriction ids
  int shares_added = 0;                     // groups "__share:<k>" added so far
};

ReferenceState MakeReference(const coalition::v1::Model& model, const coalition::v1::ForceMix& mix);

// The element's id, or "<nation>:<platform>" when it has none.
std::string ReferenceElementId(const coalition::v1::ForceElement& element);

// Applies `change` to `state`. Returns whether it was a no-op (nothing to do: already
// releasable to all or to that party, already fitted, already upgraded, already sharing,
// already removed — scenario.h's Applied::NoOp), or the error.
absl::StatusOr<bool> ApplyReference(const coalition::v1::Change& change, ReferenceState* state);

// Present mask over state.mix's elements.
std::vector<bool> ReferencePresent(const ReferenceState& state);

// The elements (indices into state.mix, ascending) that IER `ier`'s `from` (side 0) or `to`
// (side 1) selector picks, by SPEC §1's rule read off the protos: `all`, or for every listed
// kind one of its values (groups through the nation's memberships, domains and roles through
// the platform type). An element a change added never matches an `elements` entry.
std::vector<int> ReferenceMembers(const ReferenceState& state, int ier, int side);

// A random change that ApplyReference (and so Scenario::Apply) accepts in `state`, of a kind
// drawn uniformly from all ten (a kind with no valid instance, e.g. an upgrade where no platform
// speaks a family with two versions, is redrawn). Ids are picked from the model and the mix,
// preferring platforms of the mix's elements and items with a releasability list, so that most
// changes do something.
coalition::v1::Change RandomValidChange(std::mt19937_64& rng, const ReferenceState& state);

// RandomModel(seed, options) with a supplier given to most components that have none (the
// generator leaves a third of them unsupplied, which grounds most platforms at baseline), some
// elements left without an id (where "<nation>:<platform>" is unique), and half the IERs' `from`
// selectors replaced by one or two listed kinds (element ids, platforms, nations, groups,
// domains, roles), so that added elements meet every kind of selector.
coalition::v1::Model RandomModelForChanges(uint64_t seed, int elements = 10, int iers = 3);

}  // namespace coalition::testing

#endif  // COALITION_ENGINE_TESTING_APPLY_CHANGES_H_
