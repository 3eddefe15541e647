// Single points of failure of a force mix (SPEC §5): the elements whose removal alone opens gaps
// between *other* elements, ranked by the number of gaps opened (one per IER and ordered pair).
//
// Recommended API:
//   Scenario s(graph, mix, &chain);
//   v1::SinglePointsReport r = FindSinglePointsOfFailure(s, {.max_pairs = 20});
//
// "Scenario minus one element": each candidate is removed through the scenario
// (RemoveElement), the strict levels follow incrementally (InteropLevels::Update), the class
// pairs whose achieved level dropped are read off, and both are undone. Structure used
// (SPEC §2: elements are endpoints, never relays): removing X changes the level of a pair
// (A, B) with A, B != X only by removing bridges, and the only bridges an element provides are
// its gateways; elements of one (platform, nation) class join the same channels and carry the
// same gateways, so X matters only when it is the sole present element of its class and one of
// its platform's gateways bridges two channels it joins — those are the *candidates*. The fast
// path is the cut test inside InteropLevels::Update: a removal that leaves the channel partition
// unchanged at every threshold re-counts only X's own class and opens nothing between others. A
// class pair whose achieved level drops from L0 to L1 opens, for every IER with L0 >= min > L1,
// (from-count x to-count) element pairs in each direction. Tests check it against brute-force
// removal one by one.
//
// The scenario's present elements are the baseline (absent ones are neither candidates nor
// counted). Ordering: most gaps opened first, then element order. Each point lists up to
// max_pairs affected pairs (IER order, then from / to in element order; < 0: all).
// Deterministic; no errors (the graph and mix are already valid). The scenario is changed and
// restored: on return it is as it was.
#ifndef COALITION_ENGINE_ANALYSIS_SPOF_H_
#define COALITION_ENGINE_ANALYSIS_SPOF_H_

#include "coalition/v1/report.pb.h"
#include "engine/scenario/scenario.h"

namespace coalition::analysis {

struct SpofOptions {
  int max_pairs = 20;
};

coalition::v1::SinglePointsReport FindSinglePointsOfFailure(scenario::Scenario& s,
                                                             const SpofOptions& options);

}  // namespace coalition::analysis

#endif  // COALITION_ENGINE_ANALYSIS_SPOF_H_
