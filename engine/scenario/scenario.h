// A scenario: the frozen typed graph and a resolved mix, seen through an overlay of typed changes
// (SPEC §5–§6). It is the one home of the rules every analysis reads the force through:
//   - who may use a link or standard (releasability, plus the releases applied),
//   - which nations share information (groups, plus the arrangements applied),
//   - what a platform type fits and speaks (plus fits and upgrades applied),
//   - which channels exist (SPEC §2: data channels (link, standard) with the link carrying the
//     standard; voice channels, voice-capable links) and which channels an element class joins,
//   - what bridges two channels (version bridges within a family on one link; gateways),
//   - which elements there are (the mix's, plus those added) and which are present (not removed,
//     and their platform sustainable *for their operating nation*: SPEC §4 — the supply
//     restrictions in force that deny that nation (unless lifted), the suppliers removed, and
//     the embargoes applied by other nations (a nation does not embargo itself) are gone),
//   - which elements each IER side selects (the selector rule, graph/force_mix.h, applied to
//     added elements too).
// Interoperability levels (analysis/interop.h), gaps, what-if and single points of failure read
// only these; none of them re-derives a rule.
//
// Recommended API:
//   ASSIGN_OR_RETURN(SupplyChain chain, SupplyChain::Build(graph));
//   Scenario s(graph, mix, &chain);
//   ASSIGN_OR_RETURN(Applied a, s.Apply(change));   // typed v1::Change; resolved, then applied
//   ... evaluate (InteropLevels::Compute(s, ...), or analysis/evaluation.h incrementally) ...
//   s.Undo();                                        // back to the state before that Apply
//
// Terms.
//   ElementIndex  0..num_elements()-1: the base mix's elements in mix order, then the added ones
//                 in the order they were added. Removed elements keep their index (absent).
//   ClassIndex    an element class: the distinct (platform, nation) pairs of all elements, in
//                 first-appearance order. Elements of one class join the same channels and carry
//                 the same gateways; a class is *active* when it has a present element.
//   ChannelIndex  data channels link by link (standards in carry order, deduplicated), then one
//                 voice channel per voice-capable link in link order. Fixed by the graph.
//
// Complexity. The constructor is O(elements + IER members + carries edges + data channels log):
// elements are grouped into classes by a radix sort on (platform, nation), the members of the
// base classes kept in one flat array; the hash indexes only Apply needs (class by (platform,
// nation), classes per platform and per nation) are built on the first Apply, O(classes).
// Apply and Undo cost what the change touches: a release O(classes of the nations it reaches),
// a share O(1), a fit or upgrade O(classes of the platform type), add element O(IERs x selector
// size), remove element O(1), remove platform O(its elements), embargo / remove supplier
// O(suppliers removed) here with availability recomputed lazily on the next presence query (one
// pass over the component DAG, SupplyChain::Compute). Never a proto copy, a graph rebuild or a
// mix re-resolution.
//
// Errors (Apply): InvalidArgument for a malformed change (nothing set, missing field, quantity <
// 1, upgrade across families, a gateway element whose platform has no gateway, a taken element
// id); NotFound for an id the model or mix does not have. A failed Apply changes nothing.
// Thread-safety: const methods may be called concurrently only when no presence recomputation is
// pending (call present() once after Apply); Apply / Undo are not thread-safe.
#ifndef COALITION_ENGINE_SCENARIO_SCENARIO_H_
#define COALITION_ENGINE_SCENARIO_SCENARIO_H_

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "coalition/v1/change.pb.h"
#include "engine/graph/force_mix.h"
#include "engine/graph/typed_graph.h"
#include "engine/scenario/supply_chain.h"

namespace coalition::scenario {

using ElementIndex = uint32_t;
using ClassIndex = uint32_t;
using ChannelIndex = uint32_t;
inline constexpr uint32_t kNone = UINT32_MAX;

// The channels of a graph (SPEC §2). Built once per graph; the scenario owns one.
class Channels {
 public:
  explicit Channels(const graph::TypedGraph& g);
  uint32_t size() const { return static_cast<uint32_t>(link_.size()); }
  uint32_t link(ChannelIndex c) const { return link_[c]; }
  // The standard of a data channel (local index); kNone for a voice channel.
  uint32_t standard(ChannelIndex c) const { return standard_[c]; }
  bool is_voice(ChannelIndex c) const { return standard_[c] == kNone; }
  // Data channels of link l: [data_begin(l), data_end(l)).
  ChannelIndex data_begin(uint32_t l) const { return link_begin_[l]; }
  ChannelIndex data_end(uint32_t l) const { return link_begin_[l + 1]; }
  // The voice channel of link l, or kNone.
  ChannelIndex voice(uint32_t l) const { return voice_[l]; }

 private:
  std::vector<uint32_t> link_, standard_, link_begin_, voice_;
};

// What an Apply did, for callers that evaluate incrementally and for reports.
struct Applied {
  enum class NoOp {
    kNone = 0,
    kAlreadyReleasableToAll,
    kAlreadyReleased,
    kAlreadyFitted,
    kAlreadyUpgraded,
    kAlreadySharing,
    kAlreadyRemoved,
    kAlreadyLifted,
  };
  NoOp no_op = NoOp::kNone;
  // The element classes whose joined channels, gateways or presence may have changed; classes
  // created by the change are included. Empty for a no-op.
  std::vector<ClassIndex> touched_classes;
  // Nations whose information sharing changed (ShareInformation): levels of their classes'
  // pairs may change without their channels changing.
  std::vector<uint32_t> sharing_nations;
  // The change may change presence beyond touched_classes (embargo, supplier removal, lifted
  // restriction): callers
  // must re-read present() for every element.
  bool supply_changed = false;
  // Elements appended (AddElement, AddGatewayElement).
  std::vector<ElementIndex> added_elements;
  // Elements that became removed (RemoveElement, RemovePlatform).
  std::vector<ElementIndex> removed_elements;
};

// The largest quantity an added element may have (the validator's bound on a mix element:
// totals over elements then stay far inside int64).
inline constexpr int64_t kMaxQuantity = 1'000'000'000;

class Scenario {
 public:
  // `graph`, `mix` and `chain` (may be null: every platform sustainable) must outlive the
  // scenario. The baseline is the mix as resolved, with no change applied.
  Scenario(const graph::TypedGraph& graph, const graph::ResolvedMix& mix,
           const SupplyChain* chain);
  Scenario(const Scenario&) = delete;
  Scenario& operator=(const Scenario&) = delete;

  // Applies one typed change. On error nothing changes.
  absl::StatusOr<Applied> Apply(const coalition::v1::Change& change);
  // Undoes the most recent successful Apply (no-op Applies included). Requires depth() > 0.
  void Undo();
  // Changes applied and not undone.
  size_t depth() const { return undo_.size(); }

  const graph::TypedGraph& graph() const { return g_; }
  const graph::ResolvedMix& base_mix() const { return mix_; }
  const Channels& channels() const { return channels_; }

  // --- Elements ---------------------------------------------------------------------------
  uint32_t num_elements() const { return static_cast<uint32_t>(platform_.size()); }
  uint32_t num_base_elements() const { return mix_.size(); }
  uint32_t platform(ElementIndex e) const { return platform_[e]; }
  uint32_t nation(ElementIndex e) const { return nation_[e]; }
  int64_t quantity(ElementIndex e) const { return quantity_[e]; }
  absl::string_view element_id(ElementIndex e) const;
  std::optional<ElementIndex> FindElement(absl::string_view id) const;
  bool removed(ElementIndex e) const { return removed_[e] > 0; }
  // Units of platform type p over all elements, present or not (what a retrofit or upgrade of
  // the type is priced on, SPEC §6).
  int64_t PlatformUnits(uint32_t platform) const;
  // Platform type p is sustainable for nation n: with the suppliers that do not supply n gone
  // (restrictions in force on n not lifted, suppliers removed, other nations' embargoes).
  bool sustainable(uint32_t platform, uint32_t nation) const;
  // Present: not removed, and its platform sustainable for its operating nation.
  bool present(ElementIndex e) const {
    return !removed(e) && sustainable(platform_[e], nation_[e]);
  }
  // The restriction in force with local index r is lifted by a change.
  bool lifted(uint32_t r) const { return !lifted_.empty() && lifted_[r] > 0; }

  // --- Element classes --------------------------------------------------------------------
  uint32_t num_classes() const { return static_cast<uint32_t>(class_platform_.size()); }
  ClassIndex class_of(ElementIndex e) const { return class_of_[e]; }
  uint32_t class_platform(ClassIndex c) const { return class_platform_[c]; }
  uint32_t class_nation(ClassIndex c) const { return class_nation_[c]; }
  // Elements of class c, index order. Valid until the next Apply / Undo.
  absl::Span<const ElementIndex> class_elements(ClassIndex c) const {
    if (!grown_.empty()) {
      if (auto it = grown_.find(c); it != grown_.end()) return it->second;
    }
    if (c >= num_base_classes_) return {};
    return absl::MakeConstSpan(class_members_.data() + class_begin_[c],
                               class_begin_[c + 1] - class_begin_[c]);
  }
  // Whether the platform type of class c carries a gateway (graph().gateways non-empty).
  bool class_has_gateways(ClassIndex c) const { return class_gateway_[c] != 0; }

  // --- IERs -------------------------------------------------------------------------------
  uint32_t num_iers() const { return static_cast<uint32_t>(mix_.iers.size()); }
  const graph::ResolvedIer& ier(uint32_t k) const { return mix_.iers[k]; }
  // Elements of IER k's `from` (side 0) or `to` (side 1) selector: the base mix's (mix order),
  // then the added ones that match (index order). f(ElementIndex).
  template <typename F>
  void ForEachMember(uint32_t k, int side, F&& f) const {
    for (ElementIndex e : side == 0 ? mix_.iers[k].from : mix_.iers[k].to) f(e);
    for (ElementIndex e : added_members_[k][side]) f(e);
  }
  absl::Span<const ElementIndex> added_members(uint32_t k, int side) const {
    return added_members_[k][side];
  }

  // --- Policy: releasability and information sharing ----------------------------------------
  // Nation n may use link or standard `item` (SPEC §1 releasability, plus releases applied).
  // relaxed: policy relaxed, always true.
  bool MayUse(uint32_t nation, graph::NodeId item, bool relaxed = false) const;
  // The releasability list of a link or standard as it stands: the model's entries, then the
  // parties released to, in the order applied. f(NodeId nation or group). Empty: everyone.
  template <typename F>
  void ForEachReleasableTo(graph::NodeId item, F&& f) const {
    for (graph::NodeId r : g_.Neighbors(item, graph::EdgeKind::kReleasableTo)) f(r);
    if (released_items_.empty()) return;
    auto it = released_items_.find(item);
    if (it == released_items_.end()) return;
    for (graph::NodeId r : it->second) f(r);
  }
  // Nations a and b share information (same nation, a common shares_information group, or an
  // arrangement applied); relaxed: always true.
  bool SharesInformation(uint32_t a, uint32_t b, bool relaxed = false) const;

  // --- Platform capabilities, with fits and upgrades applied --------------------------------
  // f(link local index), model order then fits applied (no duplicates).
  template <typename F>
  void ForEachFit(uint32_t platform, F&& f) const;
  bool Fits(uint32_t platform, uint32_t link) const;
  // Whether the platform speaks standard s (local index).
  bool Speaks(uint32_t platform, uint32_t standard) const;
  // f(standard local index): model order minus upgraded-away, then upgraded-to.
  template <typename F>
  void ForEachSpeaks(uint32_t platform, F&& f) const;

  // --- Channels and bridges (SPEC §2), the rules InteropLevels is built on ------------------
  // The data and voice channels class c joins (ascending, deduplicated), under policy as it
  // stands or relaxed. Element E (platform P, nation N) joins (L, S) iff P fits L, P speaks S,
  // L carries S, and N may use L and S; it joins voice channel L iff P fits L, L is voice
  // capable and N may use L. Appends to *data and *voice (which it clears first).
  void ClassJoins(ClassIndex c, bool relaxed, std::vector<ChannelIndex>* data,
                  std::vector<ChannelIndex>* voice) const;
  // Whether nation n may join channel ch as far as policy goes: it may use the channel's link
  // and, for a data channel, its standard. ClassJoins(c, false) is ClassJoins(c, true) (which
  // does not depend on the nation) filtered by this for the class's nation.
  bool MayJoin(uint32_t nation, ChannelIndex ch) const {
    if (!MayUse(nation, g_.Node(graph::EntityKind::kLink, channels_.link(ch)))) return false;
    return channels_.is_voice(ch) ||
           MayUse(nation, g_.Node(graph::EntityKind::kStandard, channels_.standard(ch)));
  }
  // Version bridges (level 2): f(ChannelIndex x, ChannelIndex y) for each pair of data channels
  // on one link whose standards are of one family at different versions, each unordered pair
  // once as consecutive channels of a family group (enough for connectivity: it yields a path
  // through every family group).
  template <typename F>
  void ForEachVersionBridgeChain(F&& f) const;
  // Whether data channels x and y are version-bridged (same link, same family, x != y).
  bool VersionBridged(ChannelIndex x, ChannelIndex y) const;
  // Gateway bridges of a class that joins `data` (its data channels, ascending): for each
  // gateway of its platform whose both sides it joins, f(const GatewayRow&, int cap, side_a,
  // side_b) with the channels on standard_a and standard_b (a gateway from a standard to itself
  // has side_a == side_b, bridging that standard across links). cap = min(level_cap, 3).
  template <typename F>
  void ForEachGatewayBridge(ClassIndex c, absl::Span<const ChannelIndex> data, F&& f) const;

  // Fits that would give elements x and y a common data channel: f(link, platform) for each link
  // x's platform fits and y's does not, that both nations may use and that carries a standard
  // both platforms speak and both nations may use — fitting it to y's platform type. Model order
  // of x's links. (The fit rule of SPEC §6, used by gap fixes and the recommender.)
  template <typename F>
  void ForEachCommonChannelFit(ElementIndex x, ElementIndex y, F&& f) const;

  // --- Ids of index spaces, for reports -----------------------------------------------------
  // The id of the United States (model.us_nation, default "USA") as a local index, if present.
  std::optional<uint32_t> us_nation() const { return g_.us_nation(); }

 private:
  struct UndoRecord;
  ClassIndex ClassFor(uint32_t platform, uint32_t nation, bool* created);
  absl::StatusOr<uint32_t> FindLocal(graph::EntityKind kind, const std::string& id,
                                     absl::string_view what) const;
  ElementIndex AppendElement(uint32_t platform, uint32_t nation, int64_t quantity,
                             std::string id, UndoRecord* undo, Applied* applied);
  void TouchPlatformClasses(uint32_t platform, Applied* applied) const;
  void TouchNationClasses(uint32_t nation, Applied* applied) const;
  // Groups the base mix's elements into classes (the constructor's work).
  void GroupClasses();
  // Builds class_index_, platform_classes_ and nation_classes_ (on the first Apply).
  void BuildIndexes();
  // The availability nation n sees (computed on first use after a supply change).
  const Availability& AvailabilityFor(uint32_t nation) const;

  const graph::TypedGraph& g_;
  const graph::ResolvedMix& mix_;
  const SupplyChain* chain_;
  Channels channels_;
  std::vector<uint32_t> family_of_channel_;  // standard family per data channel (kNone voice)
  // Version bridges as a chain through each (link, family) group of data channels: fixed by the
  // graph, listed once in the constructor.
  std::vector<std::pair<ChannelIndex, ChannelIndex>> version_chain_;

  // Elements: base, then added.
  std::vector<uint32_t> platform_, nation_;
  std::vector<int64_t> quantity_;
  std::vector<std::string> added_ids_;  // ids of added elements (index - base size)
  absl::flat_hash_map<std::string, ElementIndex> added_index_;
  mutable absl::flat_hash_map<absl::string_view, ElementIndex> base_index_;  // on first use
  mutable bool base_index_built_ = false;
  std::vector<uint16_t> removed_;  // removal count per element (removals may repeat)
  // Units per platform type: the base mix's as (platform, units) sorted by platform, plus the
  // added elements' per platform.
  std::vector<std::pair<uint32_t, int64_t>> base_units_;
  absl::flat_hash_map<uint32_t, int64_t> added_units_;
  std::vector<std::array<std::vector<ElementIndex>, 2>> added_members_;  // per IER, per side

  // Classes.
  std::vector<ClassIndex> class_of_;
  std::vector<uint32_t> class_platform_, class_nation_;
  std::vector<uint8_t> class_gateway_;  // per class: its platform carries a gateway
  // Members of the base classes (the classes of the base mix), flat: class c's are
  // class_members_[class_begin_[c] .. class_begin_[c + 1]). A class that gained added elements
  // (or was created by one) has its whole member list in grown_ instead.
  uint32_t num_base_classes_ = 0;
  std::vector<uint32_t> class_begin_;
  std::vector<ElementIndex> class_members_;
  absl::flat_hash_map<ClassIndex, std::vector<ElementIndex>> grown_;
  // Built on the first Apply (BuildIndexes): class by (platform, nation); classes per platform
  // and per nation (for touched sets), ascending.
  bool indexed_ = false;
  absl::flat_hash_map<uint64_t, ClassIndex> class_index_;
  absl::flat_hash_map<uint32_t, std::vector<ClassIndex>> platform_classes_, nation_classes_;
  std::vector<std::vector<uint32_t>> group_members_;  // group -> nations, built on first use

  // Overlay. Multisets (counts) so that applying a change twice and undoing once is exact.
  absl::flat_hash_map<uint64_t, uint32_t> released_;  // (item node, party node) -> count
  absl::flat_hash_map<graph::NodeId, std::vector<graph::NodeId>> released_items_;  // in order
  absl::flat_hash_map<uint64_t, uint32_t> fitted_;  // (platform, link) -> count
  absl::flat_hash_map<uint32_t, std::vector<uint32_t>> fits_added_;  // platform -> links
  // Upgrades: (platform, standard) -> -1 (no longer spoken) or +1 (spoken, not in the model);
  // the standards with +1 per platform in the order added; platforms with any entry -> count.
  absl::flat_hash_map<uint64_t, int> speaks_delta_;
  absl::flat_hash_map<uint32_t, std::vector<uint32_t>> speaks_added_list_;
  absl::flat_hash_map<uint32_t, uint32_t> speaks_overlay_;
  absl::flat_hash_map<uint64_t, uint32_t> sharing_;  // (min nation, max nation) -> count
  // Supply overlay: removal counts per supplier (RemoveSupplier), embargo counts per nation
  // (Embargo), lift counts per restriction in force (LiftRestriction).
  std::vector<uint32_t> supplier_removed_;
  std::vector<uint32_t> embargo_;
  std::vector<uint32_t> embargo_nations_;  // nations with embargo_ > 0, in order applied
  std::vector<uint32_t> lifted_;
  // Availability per nation, computed on first use: nations with no restriction in force and no
  // embargo of their own share common_slot_; the others get their own slot. Cleared on every
  // supply change.
  mutable std::vector<int32_t> nation_slot_;
  mutable std::vector<Availability> slots_;
  mutable int32_t common_slot_ = -1;
  void ClearAvailability() {
    nation_slot_.clear();
    slots_.clear();
    common_slot_ = -1;
  }

  struct UndoRecord {
    enum class Kind {
      kNoOp, kRelease, kFit, kUpgrade, kShare, kAdd, kRemove, kSuppliers, kEmbargo, kLift
    };
    Kind kind = Kind::kNoOp;
    uint64_t key = 0;              // release: (item, party); fit: (platform, link); share: pair
    uint32_t a = 0, b = 0, c = 0;  // upgrade: platform, from, to; release: item; fit: platform
    bool removed_from = false;     // upgrade: `from` was taken away
    bool added_to = false;         // upgrade: `to` was added
    std::vector<uint32_t> list;    // removed elements; removed suppliers; embargo / lift index
    bool new_class = false;        // add: the element created its class
  };
  std::vector<UndoRecord> undo_;
};

// --- Template definitions -------------------------------------------------------------------

template <typename F>
void Scenario::ForEachFit(uint32_t p, F&& f) const {
  for (graph::NodeId l : g_.Neighbors(g_.Node(graph::EntityKind::kPlatform, p),
                                      graph::EdgeKind::kFits)) {
    f(g_.Local(l));
  }
  if (fitted_.empty()) return;
  auto it = fits_added_.find(p);
  if (it == fits_added_.end()) return;
  for (uint32_t l : it->second) f(l);
}

template <typename F>
void Scenario::ForEachSpeaks(uint32_t p, F&& f) const {
  const bool overlay = !speaks_overlay_.empty() && speaks_overlay_.contains(p);
  for (graph::NodeId s : g_.Neighbors(g_.Node(graph::EntityKind::kPlatform, p),
                                      graph::EdgeKind::kSpeaks)) {
    const uint32_t sl = g_.Local(s);
    if (overlay) {
      auto d = speaks_delta_.find((uint64_t{p} << 32) | sl);
      if (d != speaks_delta_.end() && d->second < 0) continue;
    }
    f(sl);
  }
  if (!overlay) return;
  auto it = speaks_added_list_.find(p);
  if (it == speaks_added_list_.end()) return;
  for (uint32_t s : it->second) f(s);
}

template <typename F>
void Scenario::ForEachVersionBridgeChain(F&& f) const {
  for (const auto& [x, y] : version_chain_) f(x, y);
}

template <typename F>
void Scenario::ForEachGatewayBridge(ClassIndex c, absl::Span<const ChannelIndex> data,
                                    F&& f) const {
  std::vector<ChannelIndex> side_a, side_b;
  for (const graph::GatewayRow& gw : g_.gateways(class_platform_[c])) {
    side_a.clear();
    side_b.clear();
    for (ChannelIndex ch : data) {
      const uint32_t s = channels_.standard(ch);
      if (s == gw.standard_a) side_a.push_back(ch);
      if (s == gw.standard_b) side_b.push_back(ch);
    }
    if (side_a.empty() || side_b.empty()) continue;
    f(gw, std::min(gw.level_cap, 3), absl::Span<const ChannelIndex>(side_a),
      absl::Span<const ChannelIndex>(side_b));
  }
}

template <typename F>
void Scenario::ForEachCommonChannelFit(ElementIndex x, ElementIndex y, F&& f) const {
  const uint32_t px = platform_[x], py = platform_[y], nx = nation_[x], ny = nation_[y];
  ForEachFit(px, [&](uint32_t l) {
    if (Fits(py, l)) return;
    const graph::NodeId lnode = g_.Node(graph::EntityKind::kLink, l);
    if (!MayUse(nx, lnode) || !MayUse(ny, lnode)) return;
    for (ChannelIndex ch = channels_.data_begin(l); ch < channels_.data_end(l); ++ch) {
      const uint32_t st = channels_.standard(ch);
      const graph::NodeId snode = g_.Node(graph::EntityKind::kStandard, st);
      if (Speaks(px, st) && Speaks(py, st) && MayUse(nx, snode) && MayUse(ny, snode)) {
        f(l, py);
        return;
      }
    }
  });
}

}  // namespace coalition::scenario

#endif  // COALITION_ENGINE_SCENARIO_SCENARIO_H_
