// Interoperability levels for every pair of a force mix (SPEC §2), all at once.
//
// Recommended API:
//   InteropLevels strict = InteropLevels::Compute(graph, mix, {});
//   PolicyLevels both = ComputePolicyLevels(graph, mix);   // strict and policy-relaxed
//   int level = strict.Level(a, b);          // 0..4, achieved
//   std::vector<Step> path = strict.BestPath(a, b);
//
// Terms (SPEC §2). Channels are data channels (link, standard) with the link carrying the
// standard, and voice channels (voice-capable links). Element E (platform P, nation N) joins
// (L, S) iff P fits L, P speaks S and N may use L and S; it joins voice channel L iff P fits L
// and N may use L. Channel-channel edges: version bridges (same link, same family, different
// versions, level 2) and gateway bridges (a present gateway element joining both channels,
// level = its cap). Elements are endpoints, never relays.
//
// Algorithm: the levels form a small ordered set, so the widest (bottleneck) path question
// "base level >= t?" is connectivity in the channel graph restricted to edges of level >= t,
// with elements attached by their edges of level >= t. One union-find is run nested over
// t = 3, 2, 1 (edges added in decreasing level, as in Kruskal's maximum spanning forest), and
// after each threshold the component of every channel is snapshotted. Elements with the same
// (platform, nation) join the same channels, so they form one class; per class and threshold
// the sorted set of components it touches is stored, the three sets of a class in one contiguous
// record. base(A, B) = the largest t whose two sets intersect (0 if none); achieved = 4 where base
// is 3 and the nations share information (memoised per nation pair).
//
// Complexity: O((channels + bridge edges + element-channel edges) · α) to build; a pair query
// intersects two small sorted sets read from two records (pairs of large records are memoised). Memory: 3 component ids
// per channel + one record per class. Queries are const but fill the sharing memo: not
// thread-safe. The graph and the mix must outlive the InteropLevels.
//
// Absent elements (present[e] == false, e.g. grounded by a what-if) join nothing and provide no
// gateway; their levels are 0.
#ifndef COALITION_ENGINE_ANALYSIS_INTEROP_H_
#define COALITION_ENGINE_ANALYSIS_INTEROP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/types/span.h"
#include "engine/graph/force_mix.h"
#include "engine/graph/typed_graph.h"

namespace coalition::analysis {

struct InteropOptions {
  // Policy relaxed: every link and standard releasable to everyone, every two nations share
  // information.
  bool relax_policy = false;
  // present[e] == false removes element e (size 0 = all present).
  std::vector<bool> present;
};

// One step of an explanation path.
struct PathStep {
  enum class Kind { kElement, kChannel, kVersionBridge, kGateway };
  Kind kind;
  uint32_t index;  // element index (kElement, kGateway) or channel index (kChannel,
                   // kVersionBridge: the channel bridged to)
  int level;       // level of the edge entering this step (0 for the first)
};

class InteropLevels {
 public:
  static InteropLevels Compute(const graph::TypedGraph& graph, const graph::ResolvedMix& mix,
                               InteropOptions options);

  // Base level 0..3 (best bottleneck path) and achieved level 0..4 of an ordered pair. Symmetric.
  // a == b gives the level between two units of the same element.
  int BaseLevel(uint32_t a, uint32_t b) const;
  int Level(uint32_t a, uint32_t b) const;
  bool present(uint32_t e) const { return present_.empty() || present_[e]; }

  // A path of the base level between a and b, fewest hops first (deterministic: channels in
  // model order). Empty when the base level is 0. Steps: element, channel, (bridge, channel)*,
  // element.
  std::vector<PathStep> BestPath(uint32_t a, uint32_t b) const;

  // Channel names: "LINK/STANDARD" for data, "LINK/voice" for voice.
  std::string ChannelName(uint32_t c) const;
  uint32_t channel_link(uint32_t c) const { return channel_link_[c]; }
  // The standard of a data channel; kNoStandard for voice channels.
  static constexpr uint32_t kNoStandard = UINT32_MAX;
  uint32_t channel_standard(uint32_t c) const { return channel_standard_[c]; }
  uint32_t num_channels() const { return static_cast<uint32_t>(channel_link_.size()); }
  // Number of element classes (distinct present (platform, nation)).
  uint32_t num_classes() const { return static_cast<uint32_t>(class_platform_.size()); }

  // The union-find component (a channel index: its set's root) of channel c at threshold
  // t = 1..3, and the sorted components element e touches at t (its data channels; voice channels
  // too at t = 1; empty when e is absent). Comparable within one InteropLevels only. Used by the
  // single-points-of-failure analysis (spof.h) to see which components a removal splits.
  uint32_t ChannelComponent(int t, uint32_t c) const { return channel_comp_[t - 1][c]; }
  absl::Span<const uint32_t> ElementComponents(int t, uint32_t e) const;
  // The data channels element e joins, ascending (empty when absent).
  absl::Span<const uint32_t> ElementChannels(uint32_t e) const;

 private:
  InteropLevels() = default;
  int ClassBase(uint32_t ca, uint32_t cb) const;
  bool Shares(uint32_t na, uint32_t nb) const;
  // Explanation search: the gateway index (built on first use) and the bridges of a channel.
  void IndexGateways() const;
  template <typename F>
  void ForEachBridge(uint32_t channel, F&& f) const;  // f(other channel, level, via element)

  const graph::TypedGraph* graph_ = nullptr;
  const graph::ResolvedMix* mix_ = nullptr;
  bool relaxed_ = false;
  std::vector<bool> present_;

  // Channels.
  std::vector<uint32_t> channel_link_;
  std::vector<uint32_t> channel_standard_;
  std::vector<uint32_t> link_channel_begin_;  // data channels of link L: [begin[L], begin[L+1])
  std::vector<uint32_t> voice_channel_;       // per link, or UINT32_MAX

  // Element classes.
  std::vector<uint32_t> class_of_;        // per element; UINT32_MAX when absent
  std::vector<uint32_t> class_platform_;  // per class
  std::vector<uint32_t> class_nation_;
  std::vector<uint32_t> class_first_element_;
  std::vector<uint32_t> join_begin_;      // data channels joined: [join_begin_[c], join_begin_[c+1])
  std::vector<uint32_t> joins_;
  std::vector<uint32_t> voice_begin_;     // voice channels joined
  std::vector<uint32_t> voice_joins_;

  // Per class, one record of its sorted component sets at thresholds 3, 2, 1:
  // records_[record_begin_[c] ..] = [n3, n2, n1, n3 components, n2 components, n1 components].
  std::vector<uint32_t> record_begin_;
  std::vector<uint32_t> records_;
  std::vector<uint32_t> channel_comp_[3];  // per threshold: component of each channel
  // Base levels of class pairs with large records, filled on demand.
  mutable absl::flat_hash_map<uint64_t, uint8_t> memo_;
  // Information sharing per (nation, nation), filled on demand; empty when relaxed or when the
  // table would be too large (then computed per query).
  mutable std::vector<uint8_t> shares_;

  // For explanations: (channel, gateway class, gateway index) for every channel a present
  // gateway class joins on one of its gateway's standards, sorted; built on first use.
  struct GatewaySide {
    uint32_t channel;
    uint32_t cls;
    uint32_t gateway;
  };
  mutable bool gateways_indexed_ = false;
  mutable std::vector<GatewaySide> gateway_sides_;
};

// The two level sets a gap analysis compares: as policy stands, and with policy relaxed (every
// link and standard releasable to everyone, every two nations sharing information).
struct PolicyLevels {
  InteropLevels strict;
  InteropLevels relaxed;
};
PolicyLevels ComputePolicyLevels(const graph::TypedGraph& graph, const graph::ResolvedMix& mix,
                                 const std::vector<bool>& present = {});

}  // namespace coalition::analysis

#endif  // COALITION_ENGINE_ANALYSIS_INTEROP_H_
