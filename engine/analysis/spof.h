// Single points of failure of a force mix (SPEC §5): the elements whose removal alone opens gaps
// between *other* elements, ranked by the number of gaps opened (one per IER and ordered pair).
//
// Recommended API:
//   v1::SinglePointsReport r = FindSinglePointsOfFailure(graph, mix, {.max_pairs = 20});
//
// Structure used (SPEC §2: elements are endpoints, never relays). Removing element X changes the
// level of a pair (A, B) with A, B != X only by removing channel-to-channel bridges, and the only
// bridges an element provides are its gateways. Elements of one (platform, nation) class join the
// same channels and carry the same gateways, so X matters only when it is the sole present
// element of its class and its platform has a gateway; those are the *candidates*. For each
// candidate the levels are rebuilt without it (InteropLevels, no pair evaluation), and per
// threshold t = 3, 2, 1 the channel components that split are found by comparing the two
// partitions (removal only refines them). Only classes touching a split component can lose level
// t; they are grouped by their new component sets, and only class pairs in two groups with
// disjoint sets are re-evaluated. A class pair whose achieved level drops from L0 to L1 opens,
// for every IER with L0 >= min > L1, (from-count x to-count) element pairs in each direction.
// So a candidate costs one InteropLevels build plus work proportional to the pairs it affects,
// instead of a full re-analysis; tests check it against brute-force removal one by one.
//
// `present` (empty = all) is the baseline, as in InteropOptions: absent elements are neither
// candidates nor counted. Ordering: most gaps opened first, then mix order. Each point lists up
// to max_pairs affected pairs "IER|FROM|TO" (IER order, then from / to in mix order; < 0: all).
// Deterministic; no errors (the graph and mix are already valid).
#ifndef COALITION_ENGINE_ANALYSIS_SPOF_H_
#define COALITION_ENGINE_ANALYSIS_SPOF_H_

#include <vector>

#include "coalition/v1/report.pb.h"
#include "engine/graph/force_mix.h"
#include "engine/graph/typed_graph.h"

namespace coalition::analysis {

struct SpofOptions {
  int max_pairs = 20;
  std::vector<bool> present;
};

coalition::v1::SinglePointsReport FindSinglePointsOfFailure(const graph::TypedGraph& graph,
                                                             const graph::ResolvedMix& mix,
                                                             const SpofOptions& options);

}  // namespace coalition::analysis

#endif  // COALITION_ENGINE_ANALYSIS_SPOF_H_
