// Gap analysis of a force mix (SPEC §3): every IER over every ordered pair its selectors give.
//
// Recommended API:
//   PolicyLevels levels = ComputePolicyLevels(graph, mix);
//   coalition::v1::GapReport r = AnalyzeGaps(graph, mix, levels.strict, levels.relaxed, {100});
//
// For every IER and every pair (A in from, B in to, A != B) the pair is satisfied iff the
// achieved level >= the IER's minimum; (A, B) and (B, A) are both counted where selectors
// overlap. An unsatisfied pair is a gap of class UNAVAILABLE (an element is absent), POLICY (it
// would be satisfied with policy relaxed) or TECHNICAL. Limiting layer of a TECHNICAL gap, from
// the best path with policy relaxed: no path and no common link -> BEARER; a common link but no
// common standard (voice at best) -> SYNTAX; the path's weakest edge is a version bridge ->
// VERSION, a gateway -> TRANSLATION. POLICY gaps name the releasability entries on the relaxed
// best path that the operating nations fail, and a missing information-sharing arrangement where
// level 4 is required.
//
// Suggested fix (a single change that provably closes the gap, else empty):
//   POLICY with exactly one blocking releasability entry and no sharing block -> "release X to N"
//   (the relaxed path then holds under policy);
//   TECHNICAL BEARER/SYNTAX -> "fit LINK to PLATFORM" where one side already joins (LINK, S), the
//   other speaks S and may use LINK and S; cheapest retrofit (cost x quantity), then link id.
//
// Ordering (deterministic): gaps worst first by (required - achieved) descending, then IER
// order, then from / to element order. Only max_gaps are detailed (max_gaps < 0: all); the rest
// are counted in gaps_omitted. Complexity: O(pairs) memo lookups + O(max_gaps log max_gaps) +
// one explanation search per listed gap.
#ifndef COALITION_ENGINE_ANALYSIS_GAPS_H_
#define COALITION_ENGINE_ANALYSIS_GAPS_H_

#include <string>

#include "coalition/v1/report.pb.h"
#include "engine/analysis/interop.h"
#include "engine/graph/force_mix.h"
#include "engine/graph/typed_graph.h"

namespace coalition::analysis {

struct GapOptions {
  int max_gaps = 100;
};

coalition::v1::GapReport AnalyzeGaps(const graph::TypedGraph& graph, const graph::ResolvedMix& mix,
                                     const InteropLevels& strict, const InteropLevels& relaxed,
                                     const GapOptions& options);

// "ISOLATED", "UNSTRUCTURED", "STRUCTURED", "SEAMLESS_DATA", "SEAMLESS_INFORMATION".
const char* LevelName(int level);

// The interoperability matrix (SV-3): achieved level for every ordered pair, mix order.
coalition::v1::InteropMatrix BuildMatrix(const graph::TypedGraph& graph,
                                         const graph::ResolvedMix& mix,
                                         const InteropLevels& strict);

}  // namespace coalition::analysis

#endif  // COALITION_ENGINE_ANALYSIS_GAPS_H_
