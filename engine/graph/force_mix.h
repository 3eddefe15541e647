// A force mix resolved against the typed graph: elements as dense (platform, nation) indices,
// IER selectors compiled to index sets and expanded to element lists (SPEC §1).
//
// Recommended API:
//   ASSIGN_OR_RETURN(ResolvedMix mix, ResolveMix(graph, loaded_mix));
//   for (const ResolvedIer& ier : mix.iers) for (uint32_t a : ier.from) for (uint32_t b : ier.to)
//     if (a != b) ... // one ordered pair
//   // An element added later (a what-if), index >= mix.size():
//   bool in = Matches(graph, mix.iers[k].from_selector, element, platform, nation);
//
// Terms.
//   element index     0..mix.size()-1, mix order; a what-if may append elements past the end.
//   compiled selector a Selector with every listed value resolved to a local index (sorted,
//                     deduplicated); a kind with an empty list is not listed. A listed role no
//                     platform has is kept as kUnknownRole, so the kind stays listed and matches
//                     nothing.
//   selector rule     an element matches iff for every kind the selector lists it matches one of
//                     that kind's values; `all` matches everything (engine/model/selector_rule.h,
//                     its only home; Matches supplies the index-level "one value of kind K":
//                     element, platform, nation by index; groups through the operating nation's
//                     memberships; domain and roles through the platform type).
//
// Elements keep mix order, and so do the expanded `from` / `to` lists. Errors: InvalidArgument
// for unknown platforms, nations, groups or element ids, duplicate element ids and empty
// selectors (Validate() reports them all with locations; this names the first).
// Complexity: Matches is O(log values) per listed kind (binary searches; groups and roles once per
// membership / role of the element). Expanding one IER side filters candidates with Matches: the
// elements of the listed element ids, platforms or nations, whichever of those listed kinds
// yields fewest (through a per-platform / per-nation index built once per mix), or for selectors
// by group, domain or role only, the whole mix.
// Thread-safety: everything here is const on the graph and the mix.
#ifndef COALITION_ENGINE_GRAPH_FORCE_MIX_H_
#define COALITION_ENGINE_GRAPH_FORCE_MIX_H_

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "coalition/v1/mix.pb.h"
#include "engine/graph/typed_graph.h"

namespace coalition::graph {

// A role listed by a selector that no platform of the graph has (TypedGraph::FindRole fails).
inline constexpr uint32_t kUnknownRole = std::numeric_limits<uint32_t>::max();

// A selector resolved against the graph and the base mix.
struct CompiledSelector {
  bool all = false;
  // Sorted, deduplicated local indices per listed kind (empty = kind not listed): element
  // indices of the base mix, local platform / nation / group indices, role indices (TypedGraph
  // roles, or kUnknownRole), domains as coalition.v1.Domain values.
  std::vector<uint32_t> elements, platforms, nations, groups, roles;
  std::vector<int> domains;
};

// The selector rule (SPEC §1), the only place it is written (through selector_rule.h): whether
// the element with index `element`, platform type `platform` and operating nation `nation`
// (local indices) matches `s`. An element not in the base mix (element >= its size) never
// matches `elements`, and matches the other kinds like any element.
bool Matches(const TypedGraph& g, const CompiledSelector& s, uint32_t element, uint32_t platform,
             uint32_t nation);

struct ResolvedIer {
  std::string name;
  int min_level = 0;
  // ALL_PAIRS (COVERAGE_UNSPECIFIED in the model is resolved to ALL_PAIRS), EACH_TO, EACH_FROM.
  coalition::v1::Coverage coverage = coalition::v1::ALL_PAIRS;
  double weight = 1.0;  // > 0; Ier.weight, 1 when unset
  std::vector<uint32_t> from;  // element indices, mix order
  std::vector<uint32_t> to;
  CompiledSelector from_selector;  // what `from` / `to` were expanded from
  CompiledSelector to_selector;
};

struct ResolvedMix {
  std::string name;
  double budget_musd = 0;
  std::vector<std::string> element_ids;  // effective ids
  std::vector<uint32_t> platform;        // local platform index per element
  std::vector<uint32_t> nation;          // local nation index per element
  std::vector<int64_t> quantity;
  std::vector<ResolvedIer> iers;

  uint32_t size() const { return static_cast<uint32_t>(element_ids.size()); }
};

absl::StatusOr<ResolvedMix> ResolveMix(const TypedGraph& graph,
                                       const coalition::v1::ForceMix& mix);

// True iff nations a and b share information: same nation, or a common group with
// shares_information (SPEC §2). Nation indices are local.
bool SharesInformation(const TypedGraph& graph, uint32_t a, uint32_t b);

// True iff nation `n` may use the link or standard `item` (a link or standard NodeId): its
// releasability list is empty, lists n, lists a group n belongs to, or n designed it.
bool MayUse(const TypedGraph& graph, uint32_t nation, NodeId item);

}  // namespace coalition::graph

#endif  // COALITION_ENGINE_GRAPH_FORCE_MIX_H_
