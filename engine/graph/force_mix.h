// A force mix resolved against the typed graph: elements as dense (platform, nation) indices,
// IER selectors expanded to element lists (SPEC §1).
//
//   ASSIGN_OR_RETURN(ResolvedMix mix, ResolveMix(graph, loaded_mix));
//   for (const ResolvedIer& ier : mix.iers) for (uint32_t a : ier.from) for (uint32_t b : ier.to)
//     if (a != b) ... // one ordered pair
//
// Selector semantics: an element matches iff for every kind the selector lists, it matches one
// of that kind's values; `all` matches everything. Elements keep mix order, and so do the
// expanded `from` / `to` lists. Errors: InvalidArgument for unknown platforms, nations, groups or
// element ids (Validate() reports them all with locations; this names the first).
// Complexity: per IER side, O(candidates) set lookups, where the candidates are the elements
// of the listed element ids, platforms or nations (through a per-platform / per-nation index
// built once) or, for selectors by group, domain or role only, the whole mix.
#ifndef COALITION_ENGINE_GRAPH_FORCE_MIX_H_
#define COALITION_ENGINE_GRAPH_FORCE_MIX_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "coalition/v1/mix.pb.h"
#include "engine/graph/typed_graph.h"

namespace coalition::graph {

struct ResolvedIer {
  std::string name;
  int min_level = 0;
  std::vector<uint32_t> from;  // element indices, mix order
  std::vector<uint32_t> to;
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
