// Interoperability levels for every pair of a scenario's elements (SPEC §2), all at once, and
// kept current incrementally as changes are applied.
//
// Recommended API:
//   Scenario s(graph, mix, &chain);
//   PolicyLevels both = ComputePolicyLevels(s);          // strict and policy-relaxed
//   int level = both.strict.Level(a, b);                 // 0..4, achieved
//   std::vector<PathStep> path = both.strict.BestPath(a, b);
//   // Incrementally, after s.Apply(change) returned `applied` (see evaluation.h):
//   both.strict.Update(s, affected_classes, applied.sharing_nations, &dirty); ... both.strict.Undo();
//
// Terms (SPEC §2). The channels, which channels an element class joins and what bridges two
// channels are the scenario's rules (scenario/scenario.h: Channels, ClassJoins,
// ForEachVersionBridgeChain, ForEachGatewayBridge); this file only computes with them. Elements
// are endpoints, never relays; an absent element joins nothing and provides no gateway, and its
// levels are 0.
//
// Algorithm: the levels form a small ordered set, so the widest (bottleneck) path question
// "base level >= t?" is connectivity in the channel graph restricted to edges of level >= t,
// with elements attached by their edges of level >= t. One union-find (Boost disjoint sets) is
// run nested over t = 3, 2, 1 (edges added in decreasing level, as in Kruskal's maximum spanning
// forest), and after each threshold every channel is labelled with the smallest channel index of
// its component — a canonical label, so an unchanged component keeps its label across updates.
// Per class and threshold the sorted set of labels it touches is stored, the three sets of a
// class in one contiguous record. base(A, B) = the largest t whose two sets intersect (0 if
// none); achieved = 4 where base is 3 and the nations share information.
//
// Derivation on demand: the partition depends only on the joins of the gateway classes (classes
// whose platform type carries a gateway), so Compute derives which classes are active, the
// joins, gateway unions and records of the gateway classes, and the partition; every other
// class's joins and record are derived on its first query (any accessor taking it), which is
// why queries fill state (they are const, see the thread-safety note below). A gap analysis
// thus derives only the classes its IERs name (Prepare derives a batch at once, prefetching the
// platforms' graph rows). A class is derived from the scenario as it stands at that query:
// apply no change to the scenario while a level set is in use other than through Update.
//
// Incremental update: records live in append-only arrays and each class points at its current
// record, so Update re-derives only the classes it is given (their joins and records, O(their
// joins)); the first Update also derives every class never queried yet, except the given ones
// (their joins did not change, the partition is still the old one: O(classes) once; Undo makes
// a given class that had never been derived un-derived again); only when a gateway union
// appears or disappears is the channel union-find rebuilt (O(channels + distinct gateway
// unions)), and then only the records of classes that join a channel whose label changed. Undo
// restores the previous pointers and truncates the arrays: O(what the Update changed). A
// gateway whose loss or gain does not change the partition (no cut) costs one union-find over
// the channels.
//
// One membership pass for both policies (ComputePolicyLevels): with policy relaxed a class's
// joins depend only on its platform type, so they are derived once per platform, kept in a cache
// both level sets share, and shared by the classes of one platform in the relaxed set (slices and
// record); the strict joins of a class are its platform's relaxed joins filtered by
// Scenario::MayJoin for its nation, memoised per (nation, channel). (After an Update a level set
// derives from the scenario directly, never from the cache.)
//
// Complexity: Compute O(elements + (channels + bridge edges + gateway classes' element-channel
// edges) · α); the first query of a class adds O(its joins log). A pair query
// intersects two small sorted sets (pairs of large records are memoised); ClassBaseLevels
// answers a row of pairs from one class by marking its labels once (what the gap analysis uses,
// against columns packed once per IER). Queries are const but derive classes and fill memos:
// not thread-safe. The scenario must outlive the InteropLevels.
#ifndef COALITION_ENGINE_ANALYSIS_INTEROP_H_
#define COALITION_ENGINE_ANALYSIS_INTEROP_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/types/span.h"
#include "engine/scenario/scenario.h"

namespace coalition::analysis {

using scenario::ChannelIndex;
using scenario::ClassIndex;
using scenario::ElementIndex;

// One step of an explanation path.
struct PathStep {
  enum class Kind { kElement, kChannel, kVersionBridge, kGateway };
  Kind kind;
  uint32_t index;  // element index (kElement, kGateway) or channel index (kChannel,
                   // kVersionBridge: the channel bridged to)
  int level;       // level of the edge entering this step (0 for the first)
};

struct PolicyLevels;

class InteropLevels {
 public:
  static InteropLevels Compute(const scenario::Scenario& s, bool relax_policy);
  InteropLevels(InteropLevels&&) = default;
  InteropLevels& operator=(InteropLevels&&) = default;

  // Base level 0..3 (best bottleneck path) and achieved level 0..4 of an ordered pair of
  // elements. Symmetric. a == b gives the level between two units of the same element.
  int BaseLevel(ElementIndex a, ElementIndex b) const;
  int Level(ElementIndex a, ElementIndex b) const;
  bool present(ElementIndex e) const { return s_->present(e); }
  // The same per element class (both classes assumed active).
  int ClassBaseLevel(ClassIndex ca, ClassIndex cb) const;
  int ClassLevel(ClassIndex ca, ClassIndex cb) const;
  // A row of class pairs at once: out[i] = ClassBaseLevel(a, bs[i]) (all classes active). Marks
  // a's labels once in a dense per-channel array, then reads each bs[i]'s record: O(|record of
  // a| + sum of |record of bs[i]|), no intersection merges and no memo. What the gap analysis
  // evaluates its class pairs with.
  void ClassBaseLevels(ClassIndex a, absl::Span<const ClassIndex> bs, uint8_t* out) const;
  // The same row against many rows of classes that share their columns: PackRecords copies the
  // records of bs back to back (once), and ClassBaseLevels(a, packed, bs.size(), out) reads them
  // sequentially. The packed copy is valid until the next Update / Undo.
  void PackRecords(absl::Span<const ClassIndex> bs, std::vector<uint32_t>* packed) const;
  void ClassBaseLevels(ClassIndex a, absl::Span<const uint32_t> packed, size_t count,
                       uint8_t* out) const;
  // Whether the nations of two classes share information as this level set sees it (always,
  // with policy relaxed): ClassLevel = 4 iff the base level is 3 and this holds.
  bool ClassesShare(ClassIndex ca, ClassIndex cb) const {
    return Shares(s_->class_nation(ca), s_->class_nation(cb));
  }
  bool relaxed() const { return relaxed_; }

  // Re-derives the given classes (ascending; classes the scenario created since the last
  // Compute/Update must be among them) after a scenario change. sharing_nations: nations whose
  // information sharing changed (their classes must be in `affected`). Fills *dirty with
  // the classes whose level with some class may have changed (ascending): the given ones, and
  // when the channel partition changed, every class joining a relabelled channel. Returns true
  // iff the channel partition changed.
  bool Update(const scenario::Scenario& s, absl::Span<const ClassIndex> affected,
              absl::Span<const uint32_t> sharing_nations, std::vector<ClassIndex>* dirty);
  // Reverts the most recent Update not yet undone.
  void Undo();
  // The base level of a class pair as it was before the most recent Update (0 for a class that
  // did not exist or was inactive then, and for a class the Update was given that had never been
  // derived before it: no query had asked for its levels).
  int OldClassBaseLevel(ClassIndex ca, ClassIndex cb) const;

  // A path of the base level between a and b, fewest hops first (deterministic: channels in
  // model order). Empty when the base level is 0. Steps: element, channel, (bridge, channel)*,
  // element.
  std::vector<PathStep> BestPath(ElementIndex a, ElementIndex b) const;

  const scenario::Channels& channels() const { return s_->channels(); }
  uint32_t num_channels() const { return channels().size(); }
  uint32_t num_classes() const { return static_cast<uint32_t>(rec_off_.size()); }
  bool class_active(ClassIndex c) const { return active_[c] != 0; }

  // The canonical component label of channel c at threshold t = 1..3, and the sorted labels
  // element e touches at t (its data channels; voice channels too at t = 1; empty when absent).
  uint32_t ChannelComponent(int t, ChannelIndex c) const { return channel_comp_[t - 1][c]; }
  absl::Span<const uint32_t> ElementComponents(int t, ElementIndex e) const;
  // The data channels element e joins, ascending (empty when absent).
  absl::Span<const ChannelIndex> ElementChannels(ElementIndex e) const;
  absl::Span<const ChannelIndex> ClassChannels(ClassIndex c) const {
    Ensure(c);
    return Joins(c);
  }
  // Derives the given classes now (they are derived on first use anyway; see "Derivation on
  // demand" above): lets a caller that knows what it will ask pay for it in one pass.
  void Prepare(absl::Span<const ClassIndex> classes) const;

  // The relaxed joins per platform type, shared by the two level sets of ComputePolicyLevels
  // (an implementation detail, public only so that ComputePolicyLevels can create one).
  struct PlatformJoins {
    struct Entry {
      uint32_t data_off, data_len, voice_off, voice_len;
    };
    absl::flat_hash_map<uint32_t, uint32_t> index;  // platform -> entry
    std::vector<Entry> entries;
    std::vector<ChannelIndex> data, voice;
    std::vector<ChannelIndex> scratch_data, scratch_voice;
  };

 private:
  InteropLevels() = default;
  friend PolicyLevels ComputePolicyLevels(const scenario::Scenario& s);
  static InteropLevels Build(const scenario::Scenario& s, bool relax_policy,
                             std::shared_ptr<PlatformJoins> platform_joins,
                             std::vector<uint8_t> active);
  static std::vector<uint8_t> ActiveClasses(const scenario::Scenario& s);
  absl::Span<const ChannelIndex> Joins(ClassIndex c) const {
    return absl::MakeConstSpan(joins_).subspan(join_off_[c], join_len_[c]);
  }
  // Derivation on demand: Ensure(c) derives class c's joins and record on its first use.
  void Ensure(ClassIndex c) const {
    if (derived_[c] == 0) Derive(c);
  }
  void Derive(ClassIndex c) const;
  // Prefetches the graph rows (adjacency) of the platforms of classes[i + a few] not yet derived.
  void PrefetchPlatformRows(absl::Span<const ClassIndex> classes, size_t i) const;
  void DeriveJoinsCached(ClassIndex c) const;
  void BuildRecordShared(ClassIndex c) const;
  const PlatformJoins::Entry& RelaxedPlatformJoins(ClassIndex c) const;
  void DeriveJoins(ClassIndex c) const;
  void AppendJoins(ClassIndex c, absl::Span<const ChannelIndex> data,
                   absl::Span<const ChannelIndex> voice) const;
  void RebuildPartition();
  void BuildRecord(ClassIndex c) const;
  static int BaseFromRecords(const uint32_t* ra, const uint32_t* rb);
  uint32_t MarkRecord(ClassIndex a) const;
  int MarkedBaseLevel(uint32_t tag, const uint32_t* rb) const;
  bool Shares(uint32_t na, uint32_t nb) const;
  void ForgetSharing(absl::Span<const uint32_t> nations);
  void IndexGateways() const;
  template <typename F>
  void ForEachBridge(ChannelIndex channel, F&& f) const;  // f(other channel, level, via element)

  const scenario::Scenario* s_ = nullptr;
  bool relaxed_ = false;

  // Per class: its joins (data, voice) and record, as (offset, length) into append-only arrays.
  // Mutable, like everything a derivation on demand (Ensure, from const queries) writes.
  mutable std::vector<uint32_t> join_off_, join_len_, voice_off_, voice_len_, rec_off_;
  mutable std::vector<uint8_t> active_;
  mutable std::vector<uint8_t> derived_;  // joins and record derived (gateway classes: always)
  mutable uint32_t num_underived_ = 0;    // zeros in derived_
  void SetDerived(ClassIndex c, uint8_t v) const {
    if (derived_[c] != v) {
      num_underived_ += v ? -1 : 1;
      derived_[c] = v;
    }
  }
  mutable std::vector<ChannelIndex> joins_, voice_joins_;
  // records_[rec_off_[c] ..] = [n3, n2, n1, n3 labels, n2 labels, n1 labels].
  mutable std::vector<uint32_t> records_;
  std::vector<ClassIndex> gateway_classes_;  // classes whose platform has a gateway, ascending
  // Per class, the channel unions its gateways make (cap, channel, channel), derived with its
  // joins: [bridge_off_[c], + bridge_len_[c]) in bridges_ (append-only like joins_).
  struct Union {
    uint8_t cap;
    ChannelIndex a, b;
  };
  mutable std::vector<uint32_t> bridge_off_, bridge_len_;
  mutable std::vector<Union> bridges_;
  // The multiset of the active classes' gateway unions: key (cap, a, b) -> classes providing it.
  absl::flat_hash_map<uint64_t, uint32_t> union_count_;
  static uint64_t UnionKey(const Union& u);
  bool CountUnions(ClassIndex c, int delta);
  bool CountUnionSlice(uint32_t off, uint32_t len, int delta);
  std::vector<uint32_t> channel_comp_[3];     // per threshold: canonical label of each channel

  // Derivation as of the computed state (no Update in force): the shared relaxed joins per
  // platform; relaxed, the first class derived per platform (the others share its joins and
  // record); strict, MayJoin memoised per (nation, channel) (0 unknown, 1 no, 2 yes).
  std::shared_ptr<PlatformJoins> platform_joins_;
  mutable absl::flat_hash_map<uint32_t, ClassIndex> platform_first_;
  mutable std::vector<uint8_t> may_join_;
  mutable std::vector<ChannelIndex> scratch_data_, scratch_voice_;

  // Undo frames, one per Update.
  struct Frame {
    uint32_t classes = 0;  // num_classes before
    size_t joins = 0, voice_joins = 0, records = 0, gateway_classes = 0, bridges = 0;
    // (class, join_off, join_len, voice_off, voice_len, rec_off, bridge_off, bridge_len, active)
    // of re-derived classes.
    struct Saved {
      ClassIndex c;
      uint32_t join_off, join_len, voice_off, voice_len, rec_off, bridge_off, bridge_len;
      uint8_t active;
      uint8_t derived;
    };
    std::vector<Saved> saved;
    // Classes derived on demand while this frame is the newest (un-derived again on Undo).
    std::vector<ClassIndex> lazy;
    // When the partition changed: the previous labels.
    bool partition = false;
    std::vector<uint32_t> channel_comp[3];
    // Every class whose record was rebuilt -> its previous record.
    absl::flat_hash_map<ClassIndex, uint32_t> old_rec;
    std::vector<uint32_t> sharing_nations;  // whose memoised sharing was forgotten
  };
  mutable std::vector<Frame> frames_;

  // Base levels of class pairs with large records, filled on demand (cleared on Update / Undo).
  mutable absl::flat_hash_map<uint64_t, uint8_t> memo_;
  // Information sharing per (nation, nation), filled on demand; empty when relaxed or too large.
  mutable std::vector<uint8_t> shares_;
  // ClassBaseLevels' marks per channel: (epoch << 3) | one bit per threshold (3, 2, 1).
  mutable std::vector<uint32_t> mark_;
  mutable uint32_t epoch_ = 0;

  // For explanations: (channel, gateway class) for every channel a present gateway class joins,
  // sorted; built on first use.
  mutable bool gateways_indexed_ = false;
  mutable std::vector<std::pair<ChannelIndex, ClassIndex>> gateway_sides_;
  // For explanations: each visited channel's bridges exactly as ForEachBridge emits them (same
  // order, duplicates kept), generated on a channel's first visit and shared by every later
  // BestPath: bridge_adj_[channel] = (offset, length) into bridge_edges_. Cleared with
  // gateway_sides_ (on Update / Undo).
  struct BridgeEdge {
    ChannelIndex to;
    ElementIndex via;
    int level;
  };
  mutable std::vector<std::pair<uint32_t, uint32_t>> bridge_adj_;  // first kNone: not yet
  mutable std::vector<BridgeEdge> bridge_edges_;
  // BestPath's search scratch, per channel, stamped with the search's epoch.
  struct BfsVisit {
    ChannelIndex parent;  // kNone for a source
    int level;            // attach level from a (sources), else the entering bridge's level
    ElementIndex via;     // the gateway element of the entering bridge; kNone for a version bridge
  };
  mutable std::vector<uint32_t> bfs_stamp_, target_stamp_;
  mutable std::vector<int> target_level_;
  mutable std::vector<BfsVisit> bfs_visit_;
  mutable std::vector<ChannelIndex> bfs_queue_;
  mutable uint32_t bfs_epoch_ = 0;
  absl::Span<const BridgeEdge> CachedBridges(ChannelIndex channel) const;
};

// The two level sets a gap analysis compares: as policy stands, and with policy relaxed (every
// link and standard releasable to everyone, every two nations sharing information).
struct PolicyLevels {
  InteropLevels strict;
  InteropLevels relaxed;
};
PolicyLevels ComputePolicyLevels(const scenario::Scenario& s);

}  // namespace coalition::analysis

#endif  // COALITION_ENGINE_ANALYSIS_INTEROP_H_
