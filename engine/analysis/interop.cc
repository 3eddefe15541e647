#include "engine/analysis/interop.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "boost/pending/disjoint_sets.hpp"
#include "boost/property_map/property_map.hpp"

namespace coalition::analysis {
namespace {

using graph::EntityKind;
using scenario::kNone;

// Union-find over channels (Boost's disjoint sets with rank and path compression).
class UnionFind {
 public:
  explicit UnionFind(uint32_t n)
      : rank_(n, 0),
        parent_(n),
        sets_(boost::make_iterator_property_map(rank_.begin(), boost::identity_property_map()),
              boost::make_iterator_property_map(parent_.begin(), boost::identity_property_map())) {
    for (uint32_t i = 0; i < n; ++i) sets_.make_set(i);
  }
  void Union(uint32_t a, uint32_t b) { sets_.union_set(a, b); }
  uint32_t Find(uint32_t a) { return sets_.find_set(a); }

 private:
  std::vector<uint32_t> rank_;
  std::vector<uint32_t> parent_;
  using Map = boost::iterator_property_map<std::vector<uint32_t>::iterator,
                                           boost::identity_property_map>;
  boost::disjoint_sets<Map, Map> sets_;
};

bool SortedIntersect(const uint32_t* a, const uint32_t* ae, const uint32_t* b, const uint32_t* be) {
  while (a != ae && b != be) {
    if (*a < *b) {
      ++a;
    } else if (*b < *a) {
      ++b;
    } else {
      return true;
    }
  }
  return false;
}

}  // namespace

InteropLevels InteropLevels::Compute(const scenario::Scenario& s, bool relax_policy) {
  return Build(s, relax_policy, std::make_shared<PlatformJoins>(), ActiveClasses(s));
}

// Per class: whether an element of it is present (one pass over the elements).
std::vector<uint8_t> InteropLevels::ActiveClasses(const scenario::Scenario& s) {
  std::vector<uint8_t> active(s.num_classes(), 0);
  for (ElementIndex e = 0; e < s.num_elements(); ++e) {
    if (s.present(e)) active[s.class_of(e)] = 1;
  }
  return active;
}

// What Compute derives at once: which classes are active, the joins and gateway unions of the
// gateway classes (the only joins the channel partition depends on), the partition, and their
// records. Every other class is derived on its first query (Ensure).
InteropLevels InteropLevels::Build(const scenario::Scenario& s, bool relax_policy,
                                   std::shared_ptr<PlatformJoins> platform_joins,
                                   std::vector<uint8_t> active) {
  InteropLevels r;
  r.s_ = &s;
  r.relaxed_ = relax_policy;
  r.platform_joins_ = std::move(platform_joins);
  const uint32_t n = s.num_classes();
  for (auto* v : {&r.join_off_, &r.join_len_, &r.voice_off_, &r.voice_len_, &r.rec_off_,
                  &r.bridge_off_, &r.bridge_len_}) {
    v->resize(n);
  }
  r.active_ = std::move(active);
  r.derived_.assign(n, 0);
  r.num_underived_ = n;
  for (ClassIndex c = 0; c < n; ++c) {
    if (s.class_has_gateways(c)) r.gateway_classes_.push_back(c);
  }
  for (size_t i = 0; i < r.gateway_classes_.size(); ++i) {
    r.PrefetchPlatformRows(r.gateway_classes_, i);
    const ClassIndex c = r.gateway_classes_[i];
    r.DeriveJoinsCached(c);
    r.CountUnions(c, +1);
  }
  r.RebuildPartition();
  for (ClassIndex c : r.gateway_classes_) r.BuildRecordShared(c);
  const uint64_t num_nations = s.graph().Count(EntityKind::kNation);
  if (!r.relaxed_ && num_nations * num_nations <= (uint64_t{1} << 24)) {
    r.shares_.assign(num_nations * num_nations, 0);
  }
  return r;
}

// The relaxed joins of class c's platform (with policy relaxed they do not depend on the
// nation), derived once per platform and shared by both level sets of ComputePolicyLevels.
const InteropLevels::PlatformJoins::Entry& InteropLevels::RelaxedPlatformJoins(
    ClassIndex c) const {
  PlatformJoins& pj = *platform_joins_;
  const uint32_t p = s_->class_platform(c);
  auto [it, inserted] = pj.index.try_emplace(p, static_cast<uint32_t>(pj.entries.size()));
  if (inserted) {
    s_->ClassJoins(c, /*relaxed=*/true, &pj.scratch_data, &pj.scratch_voice);
    PlatformJoins::Entry e;
    e.data_off = static_cast<uint32_t>(pj.data.size());
    e.data_len = static_cast<uint32_t>(pj.scratch_data.size());
    e.voice_off = static_cast<uint32_t>(pj.voice.size());
    e.voice_len = static_cast<uint32_t>(pj.scratch_voice.size());
    pj.data.insert(pj.data.end(), pj.scratch_data.begin(), pj.scratch_data.end());
    pj.voice.insert(pj.voice.end(), pj.scratch_voice.begin(), pj.scratch_voice.end());
    pj.entries.push_back(e);
  }
  return pj.entries[it->second];
}

// Class c's joins as of the state the level set was computed for (used only while no Update is
// in force): relaxed, its platform's joins (shared with the platform's first derived class);
// strict, those filtered by Scenario::MayJoin for the class's nation, memoised per (nation,
// channel).
void InteropLevels::DeriveJoinsCached(ClassIndex c) const {
  SetDerived(c, 1);
  if (!active_[c]) {
    AppendJoins(c, {}, {});
    return;
  }
  const uint32_t platform = s_->class_platform(c);
  if (relaxed_) {
    auto [it, inserted] = platform_first_.try_emplace(platform, c);
    if (!inserted) {
      const ClassIndex f = it->second;
      join_off_[c] = join_off_[f];
      join_len_[c] = join_len_[f];
      voice_off_[c] = voice_off_[f];
      voice_len_[c] = voice_len_[f];
      bridge_off_[c] = bridge_off_[f];
      bridge_len_[c] = bridge_len_[f];
      return;
    }
  }
  const PlatformJoins::Entry e = RelaxedPlatformJoins(c);
  const PlatformJoins& pj = *platform_joins_;
  const absl::Span<const ChannelIndex> data(pj.data.data() + e.data_off, e.data_len);
  const absl::Span<const ChannelIndex> voice(pj.voice.data() + e.voice_off, e.voice_len);
  if (relaxed_) {
    AppendJoins(c, data, voice);
    return;
  }
  const uint32_t num_channels = s_->channels().size();
  const uint64_t num_nations = s_->graph().Count(EntityKind::kNation);
  if (may_join_.empty() && num_nations * num_channels <= (uint64_t{1} << 24)) {
    may_join_.assign(num_nations * num_channels, 0);
  }
  const uint32_t nation = s_->class_nation(c);
  auto joins = [&](ChannelIndex ch) {
    if (may_join_.empty()) return s_->MayJoin(nation, ch);
    uint8_t& m = may_join_[size_t{nation} * num_channels + ch];
    if (m == 0) m = s_->MayJoin(nation, ch) ? 2 : 1;
    return m == 2;
  };
  scratch_data_.clear();
  scratch_voice_.clear();
  for (ChannelIndex ch : data) {
    if (joins(ch)) scratch_data_.push_back(ch);
  }
  for (ChannelIndex ch : voice) {
    if (joins(ch)) scratch_voice_.push_back(ch);
  }
  AppendJoins(c, scratch_data_, scratch_voice_);
}

// The record of a class derived by DeriveJoinsCached: relaxed classes sharing their platform's
// joins share its record too.
void InteropLevels::BuildRecordShared(ClassIndex c) const {
  if (relaxed_ && active_[c]) {
    auto it = platform_first_.find(s_->class_platform(c));
    if (it != platform_first_.end() && it->second != c) {
      rec_off_[c] = rec_off_[it->second];
      return;
    }
  }
  BuildRecord(c);
}

void InteropLevels::Derive(ClassIndex c) const {
  if (frames_.empty()) {
    DeriveJoinsCached(c);
    BuildRecordShared(c);
    return;
  }
  // Only a class that an Update left un-derived can get here (see Update): derive it from the
  // scenario as it stands, and forget it again when that Update is undone.
  DeriveJoins(c);
  BuildRecord(c);
  frames_.back().lazy.push_back(c);
}

// Derives the un-derived ones among `classes`. The derivation of a class reads its platform's
// adjacency in the graph (what it fits and speaks): random accesses into arrays far larger than
// the caches, so the rows of the classes a few steps ahead are prefetched (their row start
// first, then, once that has arrived, the edge kinds and targets it points at).
void InteropLevels::PrefetchPlatformRows(absl::Span<const ClassIndex> classes, size_t i) const {
  constexpr size_t kFar = 16, kNear = 8;
  const size_t n = classes.size();
  const graph::TypedGraph& g = s_->graph();
  auto node = [&](ClassIndex c) { return g.Node(EntityKind::kPlatform, s_->class_platform(c)); };
  if (i + kFar < n && !derived_[classes[i + kFar]]) {
    __builtin_prefetch(&g.row_starts()[node(classes[i + kFar])]);
  }
  if (i + kNear < n && !derived_[classes[i + kNear]]) {
    const uint32_t begin = g.row_starts()[node(classes[i + kNear])];
    __builtin_prefetch(&g.edge_kinds()[begin]);
    __builtin_prefetch(&g.targets()[begin]);
    __builtin_prefetch(&g.targets()[begin] + 16);
  }
}

void InteropLevels::Prepare(absl::Span<const ClassIndex> classes) const {
  if (!frames_.empty()) {
    for (ClassIndex c : classes) Ensure(c);
    return;
  }
  for (size_t i = 0; i < classes.size(); ++i) {
    PrefetchPlatformRows(classes, i);
    Ensure(classes[i]);
  }
}

// The channels class c joins, appended; the class is active iff an element of it is present.
void InteropLevels::DeriveJoins(ClassIndex c) const {
  bool active = false;
  for (ElementIndex e : s_->class_elements(c)) {
    if (s_->present(e)) {
      active = true;
      break;
    }
  }
  active_[c] = active;
  SetDerived(c, 1);
  std::vector<ChannelIndex> data, voice;
  if (active) s_->ClassJoins(c, relaxed_, &data, &voice);
  AppendJoins(c, data, voice);
}

// Appends class c's joins (empty when inactive) and the channel unions its gateways make.
void InteropLevels::AppendJoins(ClassIndex c, absl::Span<const ChannelIndex> data,
                                absl::Span<const ChannelIndex> voice) const {
  join_off_[c] = static_cast<uint32_t>(joins_.size());
  voice_off_[c] = static_cast<uint32_t>(voice_joins_.size());
  bridge_off_[c] = static_cast<uint32_t>(bridges_.size());
  joins_.insert(joins_.end(), data.begin(), data.end());
  voice_joins_.insert(voice_joins_.end(), voice.begin(), voice.end());
  join_len_[c] = static_cast<uint32_t>(data.size());
  voice_len_[c] = static_cast<uint32_t>(voice.size());
  if (data.empty() || !s_->class_has_gateways(c)) {
    bridge_len_[c] = 0;
    return;
  }
  // Gateway bridges of one class at one cap: the channels on standard a and on standard b form
  // one component (a complete bipartite set of bridges), so union them all with one anchor.
  s_->ForEachGatewayBridge(c, Joins(c),
                           [&](const graph::GatewayRow&, int cap, absl::Span<const ChannelIndex> a,
                               absl::Span<const ChannelIndex> b) {
                             for (auto side : {a, b}) {
                               for (ChannelIndex ch : side) {
                                 bridges_.push_back({static_cast<uint8_t>(cap), a[0], ch});
                               }
                             }
                           });
  bridge_len_[c] = static_cast<uint32_t>(bridges_.size() - bridge_off_[c]);
}

// The nested union-find over thresholds 3, 2, 1, labelled canonically.
void InteropLevels::RebuildPartition() {
  const uint32_t num_channels = s_->channels().size();
  UnionFind uf(num_channels);
  // The distinct gateway unions, by cap (the partition depends only on which exist).
  std::vector<std::pair<ChannelIndex, ChannelIndex>> by_cap[4];
  for (const auto& [key, count] : union_count_) {
    by_cap[key >> 62].emplace_back(static_cast<ChannelIndex>((key >> 31) & 0x7fffffffu),
                                   static_cast<ChannelIndex>(key & 0x7fffffffu));
  }
  auto apply_gateways = [&](int cap_wanted) {
    for (const auto& [a, b] : by_cap[cap_wanted]) uf.Union(a, b);
  };
  std::vector<uint32_t> smallest(num_channels);
  auto snapshot = [&](int t) {
    std::vector<uint32_t>& label = channel_comp_[t - 1];
    label.resize(num_channels);
    std::fill(smallest.begin(), smallest.end(), kNone);
    for (ChannelIndex ch = 0; ch < num_channels; ++ch) {
      uint32_t& m = smallest[uf.Find(ch)];
      if (m == kNone) m = ch;  // channels ascend: the first seen is the smallest
    }
    for (ChannelIndex ch = 0; ch < num_channels; ++ch) label[ch] = smallest[uf.Find(ch)];
  };
  apply_gateways(3);
  snapshot(3);
  s_->ForEachVersionBridgeChain([&](ChannelIndex x, ChannelIndex y) { uf.Union(x, y); });
  apply_gateways(2);
  snapshot(2);
  apply_gateways(1);
  snapshot(1);
}

uint64_t InteropLevels::UnionKey(const Union& u) {
  return (uint64_t{u.cap} << 62) | (uint64_t{u.a} << 31) | u.b;
}

// Adds (+1) or removes (-1) class c's gateway unions from the multiset; true iff a union
// appeared or disappeared (only then can the partition change).
bool InteropLevels::CountUnions(ClassIndex c, int delta) {
  return CountUnionSlice(bridge_off_[c], bridge_len_[c], delta);
}

bool InteropLevels::CountUnionSlice(uint32_t off, uint32_t len, int delta) {
  bool changed = false;
  for (uint32_t i = off; i < off + len; ++i) {
    const uint64_t key = UnionKey(bridges_[i]);
    if (delta > 0) {
      changed |= union_count_[key]++ == 0;
    } else {
      auto it = union_count_.find(key);
      if (--it->second == 0) {
        union_count_.erase(it);
        changed = true;
      }
    }
  }
  return changed;
}

// One contiguous record per class, so a pair query touches two cache lines, not six:
// [n3, n2, n1, labels at 3 (n3), at 2 (n2), at 1 (n1)].
void InteropLevels::BuildRecord(ClassIndex c) const {
  rec_off_[c] = static_cast<uint32_t>(records_.size());
  const size_t head = records_.size();
  records_.insert(records_.end(), {0, 0, 0});
  for (int t = 3; t >= 1; --t) {
    const size_t from = records_.size();
    for (ChannelIndex ch : Joins(c)) records_.push_back(channel_comp_[t - 1][ch]);
    if (t == 1) {
      for (uint32_t i = 0; i < voice_len_[c]; ++i) {
        records_.push_back(channel_comp_[0][voice_joins_[voice_off_[c] + i]]);
      }
    }
    if (!std::is_sorted(records_.begin() + from, records_.end())) {
      std::sort(records_.begin() + from, records_.end());
    }
    records_.erase(std::unique(records_.begin() + from, records_.end()), records_.end());
    records_[head + (3 - t)] = static_cast<uint32_t>(records_.size() - from);
  }
}

int InteropLevels::BaseFromRecords(const uint32_t* ra, const uint32_t* rb) {
  const uint32_t* xa = ra + 3;
  const uint32_t* xb = rb + 3;
  for (int i = 0; i < 3; ++i) {  // thresholds 3, 2, 1
    if (SortedIntersect(xa, xa + ra[i], xb, xb + rb[i])) return 3 - i;
    xa += ra[i];
    xb += rb[i];
  }
  return 0;
}

bool InteropLevels::Update(const scenario::Scenario& s, absl::Span<const ClassIndex> affected,
                           absl::Span<const uint32_t> sharing_nations,
                           std::vector<ClassIndex>* dirty) {
  s_ = &s;
  // Classes never queried are derived now, before the frame: the scenario has changed already,
  // but not for the classes outside `affected` (their joins are as they were) and the partition
  // is still the old one, so these records are the old ones. An affected class never derived
  // has no old record (see OldClassBaseLevel); Undo makes it un-derived again.
  // (O(affected) when the only un-derived classes are among the affected ones.)
  uint32_t underived_affected = 0;
  for (ClassIndex c : affected) underived_affected += c < num_classes() && !derived_[c];
  if (num_underived_ > underived_affected) {
    std::vector<uint8_t> skip(num_classes(), 0);
    for (ClassIndex c : affected) {
      if (c < skip.size()) skip[c] = 1;
    }
    for (ClassIndex c = 0; c < num_classes(); ++c) {
      if (derived_[c] || skip[c]) continue;
      DeriveJoins(c);
      BuildRecord(c);
    }
  }
  Frame f;
  f.classes = num_classes();
  f.joins = joins_.size();
  f.voice_joins = voice_joins_.size();
  f.records = records_.size();
  f.gateway_classes = gateway_classes_.size();
  f.bridges = bridges_.size();
  const uint32_t n = s.num_classes();
  for (auto* v : {&join_off_, &join_len_, &voice_off_, &voice_len_, &rec_off_, &bridge_off_,
                  &bridge_len_}) {
    v->resize(n, 0);
  }
  active_.resize(n, 0);
  num_underived_ += n - static_cast<uint32_t>(derived_.size());
  derived_.resize(n, 0);
  for (ClassIndex c = f.classes; c < n; ++c) {
    if (s.class_has_gateways(c)) gateway_classes_.push_back(c);
  }
  // The partition can change only if a gateway union appeared or disappeared (a union that
  // another class also provides changes nothing: the fast path of the cut test).
  bool gateway_touched = false;
  for (ClassIndex c : affected) {
    if (c < f.classes) {
      f.saved.push_back({c, join_off_[c], join_len_[c], voice_off_[c], voice_len_[c], rec_off_[c],
                         bridge_off_[c], bridge_len_[c], active_[c], derived_[c]});
      if (derived_[c]) {
        f.old_rec.emplace(c, rec_off_[c]);
        gateway_touched |= CountUnions(c, -1);
      } else {
        f.old_rec.emplace(c, kNone);
      }
    }
    DeriveJoins(c);
    gateway_touched |= CountUnions(c, +1);
  }
  dirty->assign(affected.begin(), affected.end());
  if (gateway_touched) {
    for (int t = 0; t < 3; ++t) f.channel_comp[t] = channel_comp_[t];
    RebuildPartition();
    for (int t = 0; t < 3 && !f.partition; ++t) f.partition = f.channel_comp[t] != channel_comp_[t];
    if (!f.partition) {
      for (int t = 0; t < 3; ++t) f.channel_comp[t].clear();
    }
  }
  for (ClassIndex c : affected) BuildRecord(c);
  if (f.partition) {
    // Labels are canonical (the smallest channel of each component), so only channels whose
    // label changed can change a record: rebuild the records of the classes that join one.
    const uint32_t num_channels = channels().size();
    std::vector<uint8_t> relabelled(num_channels, 0);
    for (int t = 0; t < 3; ++t) {
      for (ChannelIndex ch = 0; ch < num_channels; ++ch) {
        relabelled[ch] |= f.channel_comp[t][ch] != channel_comp_[t][ch];
      }
    }
    std::vector<uint8_t> done(n, 0);
    for (ClassIndex c : affected) done[c] = 1;
    for (ClassIndex c = 0; c < n; ++c) {
      if (done[c] || !active_[c] || !derived_[c]) continue;
      bool touches = false;
      for (ChannelIndex ch : Joins(c)) touches = touches || relabelled[ch];
      for (uint32_t i = 0; i < voice_len_[c] && !touches; ++i) {
        touches = relabelled[voice_joins_[voice_off_[c] + i]];
      }
      if (!touches) continue;
      f.old_rec.emplace(c, rec_off_[c]);
      BuildRecord(c);
      dirty->push_back(c);
    }
    std::sort(dirty->begin(), dirty->end());
  }
  f.sharing_nations.assign(sharing_nations.begin(), sharing_nations.end());
  ForgetSharing(f.sharing_nations);
  memo_.clear();
  gateways_indexed_ = false;
  gateway_sides_.clear();
  bridge_adj_.clear();
  bridge_edges_.clear();
  frames_.push_back(std::move(f));
  return frames_.back().partition;
}

void InteropLevels::Undo() {
  Frame& f = frames_.back();
  // Union counts: the re-derived classes' current unions out, their saved ones back in; classes
  // created by the Update out.
  for (const Frame::Saved& x : f.saved) {
    CountUnions(x.c, -1);
    if (x.derived) CountUnionSlice(x.bridge_off, x.bridge_len, +1);
  }
  for (ClassIndex c = f.classes; c < num_classes(); ++c) CountUnions(c, -1);
  if (f.partition) {
    for (int t = 0; t < 3; ++t) channel_comp_[t] = std::move(f.channel_comp[t]);
  }
  for (const auto& [c, off] : f.old_rec) rec_off_[c] = off;
  for (const Frame::Saved& x : f.saved) {
    join_off_[x.c] = x.join_off;
    join_len_[x.c] = x.join_len;
    voice_off_[x.c] = x.voice_off;
    voice_len_[x.c] = x.voice_len;
    rec_off_[x.c] = x.rec_off;
    bridge_off_[x.c] = x.bridge_off;
    bridge_len_[x.c] = x.bridge_len;
    active_[x.c] = x.active;
    SetDerived(x.c, x.derived);
  }
  for (ClassIndex c : f.lazy) {
    if (c < f.classes) SetDerived(c, 0);
  }
  for (auto* v : {&join_off_, &join_len_, &voice_off_, &voice_len_, &rec_off_, &bridge_off_,
                  &bridge_len_}) {
    v->resize(f.classes);
  }
  bridges_.resize(f.bridges);
  active_.resize(f.classes);
  for (ClassIndex c = f.classes; c < derived_.size(); ++c) num_underived_ -= !derived_[c];
  derived_.resize(f.classes);
  joins_.resize(f.joins);
  voice_joins_.resize(f.voice_joins);
  records_.resize(f.records);
  gateway_classes_.resize(f.gateway_classes);
  ForgetSharing(f.sharing_nations);
  frames_.pop_back();
  memo_.clear();
  gateways_indexed_ = false;
  gateway_sides_.clear();
  bridge_adj_.clear();
  bridge_edges_.clear();
}

// Clears the memoised sharing of the given nations with every nation (their rows and columns).
void InteropLevels::ForgetSharing(absl::Span<const uint32_t> nations) {
  if (shares_.empty() || nations.empty()) return;
  const size_t nn = s_->graph().Count(EntityKind::kNation);
  for (uint32_t a : nations) {
    for (size_t b = 0; b < nn; ++b) shares_[a * nn + b] = shares_[b * nn + a] = 0;
  }
}

int InteropLevels::OldClassBaseLevel(ClassIndex ca, ClassIndex cb) const {
  const Frame& f = frames_.back();
  auto old_record = [&](ClassIndex c) -> const uint32_t* {
    if (c >= f.classes) return nullptr;
    auto it = f.old_rec.find(c);
    const uint32_t off = it == f.old_rec.end() ? rec_off_[c] : it->second;
    return off == kNone ? nullptr : records_.data() + off;
  };
  const uint32_t* ra = old_record(ca);
  const uint32_t* rb = old_record(cb);
  if (ra == nullptr || rb == nullptr) return 0;
  return BaseFromRecords(ra, rb);
}

int InteropLevels::ClassBaseLevel(ClassIndex ca, ClassIndex cb) const {
  Ensure(ca);
  Ensure(cb);
  const uint32_t* ra = records_.data() + rec_off_[ca];
  const uint32_t* rb = records_.data() + rec_off_[cb];
  // Small records are intersected directly (cheaper than a hash lookup); large ones, which
  // classes of many-link platforms have, are memoised per class pair.
  constexpr uint32_t kMemoAbove = 48;
  const bool memo = ra[0] + ra[1] + ra[2] + rb[0] + rb[1] + rb[2] > kMemoAbove;
  uint64_t key = 0;
  if (memo) {
    key = ca < cb ? (uint64_t{ca} << 32 | cb) : (uint64_t{cb} << 32 | ca);
    if (auto it = memo_.find(key); it != memo_.end()) return it->second;
  }
  const int level = BaseFromRecords(ra, rb);
  if (memo) memo_.emplace(key, static_cast<uint8_t>(level));
  return level;
}

// Marks class a's labels in mark_ (one bit per threshold, under a fresh epoch); returns the tag.
uint32_t InteropLevels::MarkRecord(ClassIndex a) const {
  const uint32_t num_channels = channels().size();
  if (mark_.size() < num_channels) mark_.assign(num_channels, 0);
  if (++epoch_ >= (1u << 28)) {  // marks carry the epoch in their top 29 bits: start over
    std::fill(mark_.begin(), mark_.end(), 0);
    epoch_ = 1;
  }
  const uint32_t tag = epoch_ << 3;
  const uint32_t* ra = records_.data() + rec_off_[a];
  const uint32_t* x = ra + 3;
  for (int i = 0; i < 3; ++i) {  // thresholds 3, 2, 1: bits 1, 2, 4
    for (uint32_t j = 0; j < ra[i]; ++j) {
      uint32_t& m = mark_[x[j]];
      m = ((m & ~7u) == tag ? m : tag) | (1u << i);
    }
    x += ra[i];
  }
  return tag;
}

// The base level of the marked class with the class of record rb.
int InteropLevels::MarkedBaseLevel(uint32_t tag, const uint32_t* rb) const {
  const uint32_t* y = rb + 3;
  for (int i = 0; i < 3; ++i) {
    const uint32_t bit = 1u << i;
    for (uint32_t j = 0; j < rb[i]; ++j) {
      const uint32_t m = mark_[y[j]];
      if ((m & ~7u) == tag && (m & bit) != 0) return 3 - i;
    }
    y += rb[i];
  }
  return 0;
}

void InteropLevels::ClassBaseLevels(ClassIndex a, absl::Span<const ClassIndex> bs,
                                    uint8_t* out) const {
  Ensure(a);
  for (ClassIndex b : bs) Ensure(b);
  const uint32_t tag = MarkRecord(a);
  for (size_t k = 0; k < bs.size(); ++k) {
    out[k] = static_cast<uint8_t>(MarkedBaseLevel(tag, records_.data() + rec_off_[bs[k]]));
  }
}

void InteropLevels::PackRecords(absl::Span<const ClassIndex> bs,
                                std::vector<uint32_t>* packed) const {
  for (ClassIndex b : bs) Ensure(b);
  packed->clear();
  for (ClassIndex b : bs) {
    const uint32_t* rb = records_.data() + rec_off_[b];
    packed->insert(packed->end(), rb, rb + 3 + rb[0] + rb[1] + rb[2]);
  }
}

void InteropLevels::ClassBaseLevels(ClassIndex a, absl::Span<const uint32_t> packed,
                                    size_t count, uint8_t* out) const {
  Ensure(a);
  const uint32_t tag = MarkRecord(a);
  const uint32_t* rb = packed.data();
  for (size_t k = 0; k < count; ++k) {
    out[k] = static_cast<uint8_t>(MarkedBaseLevel(tag, rb));
    rb += 3 + rb[0] + rb[1] + rb[2];
  }
}

bool InteropLevels::Shares(uint32_t na, uint32_t nb) const {
  if (relaxed_) return true;
  if (shares_.empty()) return s_->SharesInformation(na, nb);
  uint8_t& slot = shares_[static_cast<size_t>(na) * s_->graph().Count(EntityKind::kNation) + nb];
  if (slot == 0) slot = s_->SharesInformation(na, nb) ? 2 : 1;
  return slot == 2;
}

int InteropLevels::ClassLevel(ClassIndex ca, ClassIndex cb) const {
  const int base = ClassBaseLevel(ca, cb);
  if (base == 3 && Shares(s_->class_nation(ca), s_->class_nation(cb))) return 4;
  return base;
}

absl::Span<const uint32_t> InteropLevels::ElementComponents(int t, ElementIndex e) const {
  if (!s_->present(e)) return {};
  const ClassIndex c = s_->class_of(e);
  Ensure(c);
  const uint32_t* r = records_.data() + rec_off_[c];
  size_t offset = 3;
  for (int i = 0; i < 3 - t; ++i) offset += r[i];
  return absl::MakeConstSpan(r + offset, r[3 - t]);
}

absl::Span<const ChannelIndex> InteropLevels::ElementChannels(ElementIndex e) const {
  if (!s_->present(e)) return {};
  return ClassChannels(s_->class_of(e));
}

int InteropLevels::BaseLevel(ElementIndex a, ElementIndex b) const {
  if (!s_->present(a) || !s_->present(b)) return 0;
  return ClassBaseLevel(s_->class_of(a), s_->class_of(b));
}

int InteropLevels::Level(ElementIndex a, ElementIndex b) const {
  if (!s_->present(a) || !s_->present(b)) return 0;
  return ClassLevel(s_->class_of(a), s_->class_of(b));
}

void InteropLevels::IndexGateways() const {
  if (gateways_indexed_) return;
  gateways_indexed_ = true;
  for (ClassIndex c : gateway_classes_) {
    if (!active_[c]) continue;
    for (ChannelIndex ch : Joins(c)) gateway_sides_.emplace_back(ch, c);
  }
  std::sort(gateway_sides_.begin(), gateway_sides_.end());
}

template <typename F>
void InteropLevels::ForEachBridge(ChannelIndex x, F&& f) const {
  const scenario::Channels& ch = channels();
  if (ch.is_voice(x)) return;  // voice channels have no bridges
  // Version bridges: the link's other channels of the same family.
  const uint32_t l = ch.link(x);
  for (ChannelIndex y = ch.data_begin(l); y < ch.data_end(l); ++y) {
    if (s_->VersionBridged(x, y)) f(y, 2, /*via=*/kNone);
  }
  // Gateway bridges: every present gateway class joining x, to its channels on the other side.
  auto lo = std::lower_bound(gateway_sides_.begin(), gateway_sides_.end(),
                             std::make_pair(x, ClassIndex{0}));
  for (auto it = lo; it != gateway_sides_.end() && it->first == x; ++it) {
    const ClassIndex c = it->second;
    ElementIndex via = kNone;
    for (ElementIndex e : s_->class_elements(c)) {
      if (s_->present(e)) {
        via = e;
        break;
      }
    }
    s_->ForEachGatewayBridge(c, Joins(c),
                             [&](const graph::GatewayRow&, int cap,
                                 absl::Span<const ChannelIndex> a,
                                 absl::Span<const ChannelIndex> b) {
                               const bool in_a = std::binary_search(a.begin(), a.end(), x);
                               const bool in_b = std::binary_search(b.begin(), b.end(), x);
                               if (in_a) {
                                 for (ChannelIndex y : b) {
                                   if (y != x) f(y, cap, via);
                                 }
                               }
                               if (in_b) {
                                 for (ChannelIndex y : a) {
                                   if (y != x) f(y, cap, via);
                                 }
                               }
                             });
  }
}

absl::Span<const InteropLevels::BridgeEdge> InteropLevels::CachedBridges(ChannelIndex x) const {
  if (bridge_adj_.size() < num_channels()) bridge_adj_.assign(num_channels(), {kNone, 0});
  std::pair<uint32_t, uint32_t>& slot = bridge_adj_[x];
  if (slot.first == kNone) {
    const uint32_t off = static_cast<uint32_t>(bridge_edges_.size());
    ForEachBridge(x, [&](ChannelIndex y, int level, ElementIndex via) {
      bridge_edges_.push_back({y, via, level});
    });
    slot = {off, static_cast<uint32_t>(bridge_edges_.size() - off)};
  }
  return absl::MakeConstSpan(bridge_edges_).subspan(slot.first, slot.second);
}

std::vector<PathStep> InteropLevels::BestPath(ElementIndex a, ElementIndex b) const {
  const int t = BaseLevel(a, b);
  if (t == 0) return {};
  IndexGateways();
  const ClassIndex ca = s_->class_of(a), cb = s_->class_of(b);
  // Attachment channels at threshold t: data channels (level 3) always, voice channels (level 1)
  // only when t == 1.
  auto attached = [&](ClassIndex c) {
    std::vector<std::pair<ChannelIndex, int>> out;
    for (ChannelIndex ch : Joins(c)) out.push_back({ch, 3});
    if (t == 1) {
      for (uint32_t i = 0; i < voice_len_[c]; ++i) out.push_back({voice_joins_[voice_off_[c] + i], 1});
    }
    return out;
  };
  const auto from = attached(ca);
  const auto to = attached(cb);
  // Per-channel scratch of the search, stamped with this search's epoch (no clearing): the
  // attach level to b of a target channel (the first listed), and each visited channel's visit.
  const uint32_t num_ch = num_channels();
  if (bfs_stamp_.size() < num_ch) {
    bfs_stamp_.assign(num_ch, 0);
    target_stamp_.assign(num_ch, 0);
    target_level_.resize(num_ch);
    bfs_visit_.resize(num_ch);
    bfs_epoch_ = 0;
  }
  if (++bfs_epoch_ == 0) {  // wrapped: start over
    std::fill(bfs_stamp_.begin(), bfs_stamp_.end(), 0);
    std::fill(target_stamp_.begin(), target_stamp_.end(), 0);
    bfs_epoch_ = 1;
  }
  const uint32_t epoch = bfs_epoch_;
  for (auto [ch, lvl] : to) {
    if (target_stamp_[ch] != epoch) {
      target_stamp_[ch] = epoch;
      target_level_[ch] = lvl;
    }
  }
  // BFS over channels, edges of level >= t; bridges generated on the fly, so an explanation
  // costs only what its search visits.
  auto visit = [&](ChannelIndex ch, const BfsVisit& v) {
    if (bfs_stamp_[ch] == epoch) return false;
    bfs_stamp_[ch] = epoch;
    bfs_visit_[ch] = v;
    return true;
  };
  std::vector<ChannelIndex>& queue = bfs_queue_;
  queue.clear();
  for (auto [ch, lvl] : from) {
    if (visit(ch, BfsVisit{kNone, lvl, kNone})) queue.push_back(ch);
  }
  ChannelIndex end = kNone;
  for (size_t head = 0; head < queue.size(); ++head) {
    const ChannelIndex x = queue[head];
    if (target_stamp_[x] == epoch) {
      end = x;
      break;
    }
    for (const BridgeEdge& e : CachedBridges(x)) {
      if (e.level >= t && visit(e.to, BfsVisit{x, e.level, e.via})) queue.push_back(e.to);
    }
  }
  if (end == kNone) return {};  // unreachable: BaseLevel said connected
  std::vector<PathStep> rev;
  rev.push_back({PathStep::Kind::kElement, b, target_level_[end]});
  for (ChannelIndex x = end;;) {
    const BfsVisit& v = bfs_visit_[x];
    rev.push_back({PathStep::Kind::kChannel, x, v.level});
    if (v.parent == kNone) break;
    if (v.via != kNone) {
      rev.push_back({PathStep::Kind::kGateway, v.via, v.level});
    } else {
      rev.push_back({PathStep::Kind::kVersionBridge, x, v.level});
    }
    x = v.parent;
  }
  rev.push_back({PathStep::Kind::kElement, a, 0});
  std::reverse(rev.begin(), rev.end());
  return rev;
}

PolicyLevels ComputePolicyLevels(const scenario::Scenario& s) {
  auto platform_joins = std::make_shared<InteropLevels::PlatformJoins>();
  std::vector<uint8_t> active = InteropLevels::ActiveClasses(s);
  InteropLevels relaxed = InteropLevels::Build(s, /*relax_policy=*/true, platform_joins, active);
  InteropLevels strict =
      InteropLevels::Build(s, /*relax_policy=*/false, platform_joins, std::move(active));
  return PolicyLevels{std::move(strict), std::move(relaxed)};
}

}  // namespace coalition::analysis
