#include "engine/scenario/scenario.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/base/status_macros.h"

namespace coalition::scenario {
namespace {

namespace v1 = ::coalition::v1;
using graph::EdgeKind;
using graph::EntityKind;
using graph::NodeId;

uint64_t Key(uint32_t a, uint32_t b) { return (uint64_t{a} << 32) | b; }

template <typename Map, typename K>
void Decrement(Map& m, const K& key) {
  auto it = m.find(key);
  if (it != m.end() && --it->second == 0) m.erase(it);
}

}  // namespace

Channels::Channels(const graph::TypedGraph& g) {
  const uint32_t num_links = g.Count(EntityKind::kLink);
  const uint32_t num_standards = g.Count(EntityKind::kStandard);
  link_begin_.resize(num_links + 1);
  std::vector<uint32_t> seen(num_standards, kNone);
  for (uint32_t l = 0; l < num_links; ++l) {
    link_begin_[l] = size();
    for (NodeId s : g.Neighbors(g.Node(EntityKind::kLink, l), EdgeKind::kCarries)) {
      const uint32_t sl = g.Local(s);
      if (seen[sl] == l) continue;  // a link listing a standard twice carries it once
      seen[sl] = l;
      link_.push_back(l);
      standard_.push_back(sl);
    }
  }
  link_begin_[num_links] = size();
  voice_.assign(num_links, kNone);
  for (uint32_t l = 0; l < num_links; ++l) {
    if (!g.link(l).voice_capable) continue;
    voice_[l] = size();
    link_.push_back(l);
    standard_.push_back(kNone);
  }
}

Scenario::Scenario(const graph::TypedGraph& graph, const graph::ResolvedMix& mix,
                   const SupplyChain* chain)
    : g_(graph), mix_(mix), chain_(chain), channels_(graph) {
  family_of_channel_.resize(channels_.size(), kNone);
  for (ChannelIndex ch = 0; ch < channels_.size(); ++ch) {
    if (!channels_.is_voice(ch)) family_of_channel_[ch] = g_.standard(channels_.standard(ch)).family;
  }
  std::vector<std::pair<uint32_t, ChannelIndex>> fam;  // (family, channel) on one link
  for (uint32_t l = 0; l < g_.Count(EntityKind::kLink); ++l) {
    fam.clear();
    for (ChannelIndex ch = channels_.data_begin(l); ch < channels_.data_end(l); ++ch) {
      fam.emplace_back(family_of_channel_[ch], ch);
    }
    std::sort(fam.begin(), fam.end());
    for (size_t i = 1; i < fam.size(); ++i) {
      if (fam[i].first == fam[i - 1].first) version_chain_.emplace_back(fam[i - 1].second, fam[i].second);
    }
  }
  platform_ = mix.platform;
  nation_ = mix.nation;
  quantity_ = mix.quantity;
  removed_.assign(mix.size(), 0);
  added_members_.resize(mix.iers.size());
  GroupClasses();
  if (chain_ != nullptr) {
    supplier_removed_.assign(g_.Count(EntityKind::kSupplier), 0);
    embargo_.assign(g_.Count(EntityKind::kNation), 0);
    lifted_.assign(chain_->num_restrictions(), 0);
  }
}

// Classes in first-appearance order without a hash lookup per element: the elements are sorted
// by (platform, nation) (LSD radix sort of their indices, stable, so each run of one class lists
// its members ascending), each run is a class, and the runs are numbered in the order of their
// first element. The sorted order is platform-major, so the per-platform facts (units, gateways)
// are read once per run with ascending platform indices.
void Scenario::GroupClasses() {
  const uint32_t n = mix_.size();
  class_of_.assign(n, 0);
  if (n == 0) return;
  // Sort keys: (platform << nation_bits | nation) << element_bits | element, radix-sorted on
  // the (platform, nation) bits only (stable: each run keeps its members ascending). When the
  // three do not fit one word, the element index goes to a side array.
  auto bits_for = [](uint64_t x) {
    int b = 0;
    while (b < 64 && (x >> b) != 0) ++b;
    return b;
  };
  uint32_t max_platform = 0;
  for (ElementIndex e = 0; e < n; ++e) max_platform = std::max(max_platform, platform_[e]);
  const int nation_bits = bits_for(g_.Count(EntityKind::kNation));
  const int key_bits = bits_for(max_platform) + nation_bits;
  const int element_bits = bits_for(n);
  const bool packed = key_bits + element_bits <= 64;
  const int low = packed ? element_bits : 0;
  std::vector<uint64_t> item(n), tmp(n);
  std::vector<ElementIndex> elem, elem_tmp;
  if (!packed) {
    elem.resize(n);
    elem_tmp.resize(n);
  }
  for (ElementIndex e = 0; e < n; ++e) {
    const uint64_t key = (uint64_t{platform_[e]} << nation_bits) | nation_[e];
    item[e] = (key << low) | (packed ? e : 0);
    if (!packed) elem[e] = e;
  }
  const int passes = (key_bits + 10) / 11;
  const int digit = passes == 0 ? 0 : (key_bits + passes - 1) / passes;
  const uint64_t mask = (uint64_t{1} << digit) - 1;
  std::vector<uint32_t> count(size_t{1} << digit);
  for (int pass = 0, shift = low; pass < passes; ++pass, shift += digit) {
    std::fill(count.begin(), count.end(), 0);
    for (uint64_t x : item) ++count[(x >> shift) & mask];
    uint32_t sum = 0;
    for (uint32_t& c : count) sum += std::exchange(c, sum);
    for (uint32_t i = 0; i < n; ++i) {
      const uint32_t to = count[(item[i] >> shift) & mask]++;
      tmp[to] = item[i];
      if (!packed) elem_tmp[to] = elem[i];
    }
    item.swap(tmp);
    if (!packed) elem.swap(elem_tmp);
  }
  const uint64_t element_mask = packed ? (uint64_t{1} << element_bits) - 1 : 0;
  auto element_at = [&](uint32_t i) -> ElementIndex {
    return packed ? static_cast<ElementIndex>(item[i] & element_mask) : elem[i];
  };
  // Runs: run r is positions [run_begin[r], run_begin[r + 1]); first_run[e] = r + 1 when e is
  // the first (smallest) element of run r.
  std::vector<uint32_t> run_begin;
  std::vector<uint32_t> first_run(n, 0);
  for (uint32_t i = 0; i < n; ++i) {
    if (i == 0 || (item[i] >> low) != (item[i - 1] >> low)) {
      first_run[element_at(i)] = static_cast<uint32_t>(run_begin.size()) + 1;
      run_begin.push_back(i);
    }
  }
  const uint32_t runs = static_cast<uint32_t>(run_begin.size());
  run_begin.push_back(n);
  std::vector<ClassIndex> run_class(runs);
  ClassIndex next = 0;
  for (ElementIndex e = 0; e < n; ++e) {
    if (first_run[e] != 0) run_class[first_run[e] - 1] = next++;
  }
  num_base_classes_ = runs;
  class_platform_.resize(runs);
  class_nation_.resize(runs);
  class_gateway_.resize(runs);
  class_begin_.assign(runs + 1, 0);
  for (uint32_t r = 0; r < runs; ++r) {
    class_begin_[run_class[r] + 1] = run_begin[r + 1] - run_begin[r];
  }
  for (ClassIndex c = 0; c < runs; ++c) class_begin_[c + 1] += class_begin_[c];
  class_members_.resize(n);
  const uint64_t nation_mask = (uint64_t{1} << nation_bits) - 1;
  auto platform_of_run = [&](uint32_t r) {
    return static_cast<uint32_t>((item[run_begin[r]] >> low) >> nation_bits);
  };
  uint32_t platform_before = kNone;
  bool gateway = false;
  constexpr uint32_t kAhead = 48;  // platform rows are read ascending but sparse: prefetch
  for (uint32_t r = 0; r < runs; ++r) {
    if (r + kAhead < runs) __builtin_prefetch(&g_.platform(platform_of_run(r + kAhead)));
    const ClassIndex c = run_class[r];
    const uint32_t p = platform_of_run(r);
    class_platform_[c] = p;
    class_nation_[c] = static_cast<uint32_t>((item[run_begin[r]] >> low) & nation_mask);
    if (p != platform_before) {
      gateway = !g_.gateways(p).empty();
      base_units_.emplace_back(p, 0);
      platform_before = p;
    }
    class_gateway_[c] = gateway;
    uint32_t out = class_begin_[c];
    for (uint32_t i = run_begin[r]; i < run_begin[r + 1]; ++i) {
      if (i + kAhead < n) {  // the members' slots are random: prefetch them
        const ElementIndex ahead = element_at(i + kAhead);
        __builtin_prefetch(&quantity_[ahead]);
        __builtin_prefetch(&class_of_[ahead], 1);
      }
      const ElementIndex e = element_at(i);
      class_of_[e] = c;
      class_members_[out++] = e;
      base_units_.back().second += quantity_[e];
    }
  }
}

void Scenario::BuildIndexes() {
  if (indexed_) return;
  indexed_ = true;
  class_index_.reserve(num_classes());
  for (ClassIndex c = 0; c < num_classes(); ++c) {
    class_index_.emplace(Key(class_platform_[c], class_nation_[c]), c);
    platform_classes_[class_platform_[c]].push_back(c);
    nation_classes_[class_nation_[c]].push_back(c);
  }
}

int64_t Scenario::PlatformUnits(uint32_t platform) const {
  int64_t units = 0;
  auto it = std::lower_bound(base_units_.begin(), base_units_.end(),
                             std::make_pair(platform, int64_t{INT64_MIN}));
  if (it != base_units_.end() && it->first == platform) units = it->second;
  if (!added_units_.empty()) {
    if (auto a = added_units_.find(platform); a != added_units_.end()) units += a->second;
  }
  return units;
}

ClassIndex Scenario::ClassFor(uint32_t platform, uint32_t nation, bool* created) {
  auto [it, inserted] = class_index_.try_emplace(Key(platform, nation), num_classes());
  *created = inserted;
  if (inserted) {
    class_platform_.push_back(platform);
    class_nation_.push_back(nation);
    class_gateway_.push_back(!g_.gateways(platform).empty());
    platform_classes_[platform].push_back(it->second);
    nation_classes_[nation].push_back(it->second);
  }
  return it->second;
}

absl::string_view Scenario::element_id(ElementIndex e) const {
  return e < mix_.size() ? absl::string_view(mix_.element_ids[e]) : added_ids_[e - mix_.size()];
}

std::optional<ElementIndex> Scenario::FindElement(absl::string_view id) const {
  if (!base_index_built_) {
    base_index_.reserve(mix_.size());
    for (ElementIndex e = 0; e < mix_.size(); ++e) base_index_.emplace(mix_.element_ids[e], e);
    base_index_built_ = true;
  }
  if (auto it = base_index_.find(id); it != base_index_.end()) return it->second;
  if (auto it = added_index_.find(std::string(id)); it != added_index_.end()) return it->second;
  return std::nullopt;
}

const Availability& Scenario::AvailabilityFor(uint32_t nation) const {
  if (nation_slot_.empty()) nation_slot_.assign(g_.Count(EntityKind::kNation), -1);
  int32_t& slot = nation_slot_[nation];
  if (slot >= 0) return slots_[slot];
  // Suppliers that do not supply `nation`: restrictions in force on it (not lifted), removed
  // suppliers, and every other nation's embargo. Nations with no restriction and no embargo of
  // their own all see the same set: one shared slot.
  std::vector<bool> removed = chain_->RestrictedFor(nation, lifted_);
  const bool own = !removed.empty() || embargo_[nation] > 0;
  if (!own && common_slot_ >= 0) return slots_[slot = common_slot_];
  removed.resize(supplier_removed_.size(), false);
  for (size_t s = 0; s < removed.size(); ++s) {
    if (supplier_removed_[s] > 0) removed[s] = true;
  }
  for (uint32_t x : embargo_nations_) {
    if (!EmbargoReaches(x, nation)) continue;
    for (uint32_t s : chain_->SuppliersOf(x)) removed[s] = true;
  }
  const bool any = std::find(removed.begin(), removed.end(), true) != removed.end();
  slots_.push_back(chain_->Compute(any ? removed : std::vector<bool>()));
  slot = static_cast<int32_t>(slots_.size() - 1);
  if (!own) common_slot_ = slot;
  return slots_[slot];
}

bool Scenario::sustainable(uint32_t platform, uint32_t nation) const {
  if (chain_ == nullptr) return true;
  return AvailabilityFor(nation).platform_sustainable[platform] != 0;
}

bool Scenario::MayUse(uint32_t nation, NodeId item, bool relaxed) const {
  if (relaxed || graph::MayUse(g_, nation, item)) return true;
  if (released_items_.empty() || !released_items_.contains(item)) return false;
  const NodeId me = g_.Node(EntityKind::kNation, nation);
  if (released_.contains(Key(item, me))) return true;
  for (NodeId grp : g_.Neighbors(me, EdgeKind::kMemberOf)) {
    if (released_.contains(Key(item, grp))) return true;
  }
  return false;
}

bool Scenario::SharesInformation(uint32_t a, uint32_t b, bool relaxed) const {
  if (relaxed || graph::SharesInformation(g_, a, b)) return true;
  return !sharing_.empty() && sharing_.contains(Key(std::min(a, b), std::max(a, b)));
}

bool Scenario::Fits(uint32_t platform, uint32_t link) const {
  bool fits = false;
  ForEachFit(platform, [&](uint32_t l) { fits = fits || l == link; });
  return fits;
}

bool Scenario::Speaks(uint32_t platform, uint32_t standard) const {
  bool speaks = false;
  ForEachSpeaks(platform, [&](uint32_t s) { speaks = speaks || s == standard; });
  return speaks;
}

bool Scenario::VersionBridged(ChannelIndex x, ChannelIndex y) const {
  return x != y && !channels_.is_voice(x) && !channels_.is_voice(y) &&
         channels_.link(x) == channels_.link(y) && family_of_channel_[x] == family_of_channel_[y];
}

void Scenario::ClassJoins(ClassIndex c, bool relaxed, std::vector<ChannelIndex>* data,
                          std::vector<ChannelIndex>* voice) const {
  data->clear();
  voice->clear();
  const uint32_t p = class_platform_[c], n = class_nation_[c];
  // The standards the class may speak, as a small sorted list (platforms speak a handful), and
  // as bits of a per-thread bitset over the standards when it has room for them (a test per
  // channel without a search; the bits are cleared again before returning).
  constexpr uint32_t kBitsetStandards = 1u << 16;
  thread_local std::vector<uint64_t> spoken_bits;
  const bool bitset = g_.Count(EntityKind::kStandard) <= kBitsetStandards;
  if (bitset && spoken_bits.empty()) spoken_bits.assign(kBitsetStandards / 64, 0);
  std::vector<uint32_t> speaks;
  ForEachSpeaks(p, [&](uint32_t s) {
    if (MayUse(n, g_.Node(EntityKind::kStandard, s), relaxed)) speaks.push_back(s);
  });
  if (bitset) {
    for (uint32_t s : speaks) spoken_bits[s >> 6] |= uint64_t{1} << (s & 63);
  } else {
    std::sort(speaks.begin(), speaks.end());
  }
  auto spoken = [&](uint32_t s) {
    return bitset ? ((spoken_bits[s >> 6] >> (s & 63)) & 1) != 0
                  : std::binary_search(speaks.begin(), speaks.end(), s);
  };
  ForEachFit(p, [&](uint32_t l) {
    if (!MayUse(n, g_.Node(EntityKind::kLink, l), relaxed)) return;
    for (ChannelIndex ch = channels_.data_begin(l); ch < channels_.data_end(l); ++ch) {
      if (spoken(channels_.standard(ch))) data->push_back(ch);
    }
    if (channels_.voice(l) != kNone) voice->push_back(channels_.voice(l));
  });
  if (bitset) {
    for (uint32_t s : speaks) spoken_bits[s >> 6] &= ~(uint64_t{1} << (s & 63));
  }
  // A platform listing a link twice joins its channels once.
  for (auto* v : {data, voice}) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  }
}

absl::StatusOr<uint32_t> Scenario::FindLocal(EntityKind kind, const std::string& id,
                                             absl::string_view what) const {
  if (id.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": the ", graph::EntityKindName(kind),
                                                   " id is empty"));
  }
  std::optional<uint32_t> local = g_.Find(kind, id);
  if (!local) {
    return absl::NotFoundError(
        absl::StrCat(what, ": unknown ", graph::EntityKindName(kind), " '", id, "'"));
  }
  return *local;
}

void Scenario::TouchPlatformClasses(uint32_t platform, Applied* applied) const {
  if (auto it = platform_classes_.find(platform); it != platform_classes_.end()) {
    applied->touched_classes.insert(applied->touched_classes.end(), it->second.begin(),
                                    it->second.end());
  }
}

void Scenario::TouchNationClasses(uint32_t nation, Applied* applied) const {
  if (auto it = nation_classes_.find(nation); it != nation_classes_.end()) {
    applied->touched_classes.insert(applied->touched_classes.end(), it->second.begin(),
                                    it->second.end());
  }
}

ElementIndex Scenario::AppendElement(uint32_t platform, uint32_t nation, int64_t quantity,
                                     std::string id, UndoRecord* undo, Applied* applied) {
  const ElementIndex e = num_elements();
  platform_.push_back(platform);
  nation_.push_back(nation);
  quantity_.push_back(quantity);
  added_units_[platform] += quantity;
  removed_.push_back(0);
  added_index_.emplace(id, e);
  added_ids_.push_back(std::move(id));
  bool created = false;
  const ClassIndex c = ClassFor(platform, nation, &created);
  class_of_.push_back(c);
  {
    auto [it, inserted] = grown_.try_emplace(c);
    if (inserted && c < num_base_classes_) {
      it->second.assign(class_members_.begin() + class_begin_[c],
                        class_members_.begin() + class_begin_[c + 1]);
    }
    it->second.push_back(e);
  }
  for (uint32_t k = 0; k < num_iers(); ++k) {
    const graph::ResolvedIer& ier = mix_.iers[k];
    if (graph::Matches(g_, ier.from_selector, e, platform, nation)) {
      added_members_[k][0].push_back(e);
    }
    if (graph::Matches(g_, ier.to_selector, e, platform, nation)) added_members_[k][1].push_back(e);
  }
  undo->kind = UndoRecord::Kind::kAdd;
  undo->new_class = created;
  applied->touched_classes.push_back(c);
  applied->added_elements.push_back(e);
  return e;
}

absl::StatusOr<Applied> Scenario::Apply(const v1::Change& change) {
  BuildIndexes();
  Applied applied;
  UndoRecord undo;
  switch (change.change_case()) {
    case v1::Change::kEmbargo:
    case v1::Change::kRemoveSupplier:
    case v1::Change::kLiftRestriction: {
      if (chain_ == nullptr) {
        return absl::FailedPreconditionError("a supply change needs the model's supply chain");
      }
      bool changed = false;
      if (change.has_embargo()) {
        ASSIGN_OR_RETURN(uint32_t n,
                         FindLocal(EntityKind::kNation, change.embargo().nation(), "embargo"));
        changed = embargo_[n]++ == 0;
        if (changed) embargo_nations_.push_back(n);
        undo.kind = UndoRecord::Kind::kEmbargo;
        undo.list = {n};
      } else if (change.has_remove_supplier()) {
        ASSIGN_OR_RETURN(
            uint32_t s, FindLocal(EntityKind::kSupplier, change.remove_supplier().supplier(),
                                  "remove_supplier"));
        changed = supplier_removed_[s]++ == 0;
        undo.kind = UndoRecord::Kind::kSuppliers;
        undo.list = {s};
      } else {
        const std::string& id = change.lift_restriction().restriction();
        if (id.empty()) {
          return absl::InvalidArgumentError("lift_restriction: the restriction id is empty");
        }
        std::optional<uint32_t> r = g_.FindRestriction(id);
        if (!r) {
          return absl::NotFoundError(
              absl::StrCat("lift_restriction: no supply restriction '", id, "' in the model"));
        }
        changed = lifted_[*r]++ == 0;
        undo.kind = UndoRecord::Kind::kLift;
        undo.list = {*r};
      }
      if (changed) {
        ClearAvailability();
        applied.supply_changed = true;
      } else {
        applied.no_op = change.has_lift_restriction() ? Applied::NoOp::kAlreadyLifted
                                                      : Applied::NoOp::kAlreadyRemoved;
      }
      break;
    }
    case v1::Change::kRemoveElement: {
      const std::string& id = change.remove_element().element();
      if (id.empty()) return absl::InvalidArgumentError("remove_element: the element id is empty");
      std::optional<ElementIndex> e = FindElement(id);
      if (!e) {
        return absl::NotFoundError(
            absl::StrCat("remove_element: no element '", id, "' in mix '", mix_.name, "'"));
      }
      if (removed_[*e]++ == 0) {
        applied.touched_classes.push_back(class_of_[*e]);
        applied.removed_elements.push_back(*e);
      } else {
        applied.no_op = Applied::NoOp::kAlreadyRemoved;
      }
      undo.kind = UndoRecord::Kind::kRemove;
      undo.list = {*e};
      break;
    }
    case v1::Change::kRemovePlatform: {
      ASSIGN_OR_RETURN(uint32_t p,
                                FindLocal(EntityKind::kPlatform,
                                          change.remove_platform().platform(), "remove_platform"));
      undo.kind = UndoRecord::Kind::kRemove;
      if (auto it = platform_classes_.find(p); it != platform_classes_.end()) {
        for (ClassIndex c : it->second) {
          bool class_touched = false;
          for (ElementIndex e : class_elements(c)) {
            undo.list.push_back(e);
            if (removed_[e]++ == 0) {
              class_touched = true;
              applied.removed_elements.push_back(e);
            }
          }
          if (class_touched) applied.touched_classes.push_back(c);
        }
      }
      std::sort(applied.removed_elements.begin(), applied.removed_elements.end());
      if (applied.removed_elements.empty()) applied.no_op = Applied::NoOp::kAlreadyRemoved;
      break;
    }
    case v1::Change::kRelease: {
      const v1::Release& r = change.release();
      EntityKind kind;
      if (r.item_kind() == v1::Release::LINK) {
        kind = EntityKind::kLink;
      } else if (r.item_kind() == v1::Release::STANDARD) {
        kind = EntityKind::kStandard;
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("release '", r.item(), "': item_kind must be LINK or STANDARD"));
      }
      ASSIGN_OR_RETURN(uint32_t item_local, FindLocal(kind, r.item(), "release"));
      if (r.party().empty()) return absl::InvalidArgumentError("release: the party is empty");
      const std::optional<uint32_t> as_nation = g_.Find(EntityKind::kNation, r.party());
      const std::optional<uint32_t> as_group = g_.Find(EntityKind::kGroup, r.party());
      if (as_nation && as_group) {
        return absl::InvalidArgumentError(absl::StrCat(
            "release: '", r.party(), "' is both a nation and a group id; rename one"));
      }
      if (!as_nation && !as_group) {
        return absl::NotFoundError(
            absl::StrCat("release: unknown nation or group '", r.party(), "'"));
      }
      const NodeId item = g_.Node(kind, item_local);
      const NodeId party = as_nation ? g_.Node(EntityKind::kNation, *as_nation)
                                     : g_.Node(EntityKind::kGroup, *as_group);
      auto listed = g_.Neighbors(item, EdgeKind::kReleasableTo);
      if (listed.empty()) {
        applied.no_op = Applied::NoOp::kAlreadyReleasableToAll;
      } else if (std::find(listed.begin(), listed.end(), party) != listed.end() ||
                 released_.contains(Key(item, party))) {
        applied.no_op = Applied::NoOp::kAlreadyReleased;
      }
      if (applied.no_op != Applied::NoOp::kNone) break;  // kNoOp record
      ++released_[Key(item, party)];
      released_items_[item].push_back(party);
      undo.kind = UndoRecord::Kind::kRelease;
      undo.key = Key(item, party);
      undo.a = item;
      // Touched: classes of the nations the release reaches whose platform fits / speaks it.
      std::vector<uint32_t> nations;
      if (as_nation) {
        nations.push_back(*as_nation);
      } else {
        const uint32_t num_nations = g_.Count(EntityKind::kNation);
        if (group_members_.empty()) {
          group_members_.resize(g_.Count(EntityKind::kGroup));
          for (uint32_t n = 0; n < num_nations; ++n) {
            for (NodeId grp : g_.Neighbors(g_.Node(EntityKind::kNation, n), EdgeKind::kMemberOf)) {
              group_members_[g_.Local(grp)].push_back(n);
            }
          }
        }
        nations = group_members_[*as_group];
      }
      for (uint32_t n : nations) {
        auto it = nation_classes_.find(n);
        if (it == nation_classes_.end()) continue;
        for (ClassIndex c : it->second) {
          const uint32_t p = class_platform_[c];
          if (kind == EntityKind::kLink ? Fits(p, item_local) : Speaks(p, item_local)) {
            applied.touched_classes.push_back(c);
          }
        }
      }
      break;
    }
    case v1::Change::kFit: {
      ASSIGN_OR_RETURN(uint32_t l, FindLocal(EntityKind::kLink, change.fit().link(), "fit"));
      ASSIGN_OR_RETURN(uint32_t p,
                                FindLocal(EntityKind::kPlatform, change.fit().platform(), "fit"));
      if (Fits(p, l)) {
        applied.no_op = Applied::NoOp::kAlreadyFitted;
        break;
      }
      ++fitted_[Key(p, l)];
      fits_added_[p].push_back(l);
      undo.kind = UndoRecord::Kind::kFit;
      undo.key = Key(p, l);
      undo.a = p;
      TouchPlatformClasses(p, &applied);
      break;
    }
    case v1::Change::kUpgrade: {
      const v1::Upgrade& u = change.upgrade();
      ASSIGN_OR_RETURN(uint32_t p, FindLocal(EntityKind::kPlatform, u.platform(), "upgrade"));
      ASSIGN_OR_RETURN(uint32_t from,
                                FindLocal(EntityKind::kStandard, u.from_standard(), "upgrade"));
      ASSIGN_OR_RETURN(uint32_t to,
                                FindLocal(EntityKind::kStandard, u.to_standard(), "upgrade"));
      if (g_.standard(from).family != g_.standard(to).family || from == to) {
        return absl::InvalidArgumentError(absl::StrCat(
            "upgrade ", u.platform(), ": '", u.from_standard(), "' and '", u.to_standard(),
            "' must be two versions of one standard family"));
      }
      const bool speaks_from = Speaks(p, from), speaks_to = Speaks(p, to);
      if (!speaks_from && speaks_to) {
        applied.no_op = Applied::NoOp::kAlreadyUpgraded;
        break;
      }
      if (!speaks_from) {
        return absl::InvalidArgumentError(absl::StrCat("upgrade ", u.platform(), ": it does not speak '",
                                                       u.from_standard(), "'"));
      }
      undo.kind = UndoRecord::Kind::kUpgrade;
      undo.a = p;
      undo.b = from;
      undo.c = to;
      auto adjust = [&](uint32_t s, int d) {
        int& v = speaks_delta_[Key(p, s)];
        v += d;
        const bool now_added = d > 0 && v > 0;  // spoken and not in the model's list
        if (v == 0) speaks_delta_.erase(Key(p, s));
        ++speaks_overlay_[p];
        if (now_added) speaks_added_list_[p].push_back(s);
      };
      // `from` may itself have been added by an earlier upgrade: then undo that addition.
      adjust(from, -1);
      undo.removed_from = true;
      if (!speaks_to) {
        adjust(to, +1);
        undo.added_to = true;
      }
      // Drop `from` from the added list if it was there (an earlier upgrade added it).
      if (auto it = speaks_added_list_.find(p); it != speaks_added_list_.end()) {
        auto& v = it->second;
        v.erase(std::remove(v.begin(), v.end(), from), v.end());
        if (v.empty()) speaks_added_list_.erase(it);
      }
      TouchPlatformClasses(p, &applied);
      break;
    }
    case v1::Change::kAddElement:
    case v1::Change::kAddGatewayElement: {
      const bool gateway = change.has_add_gateway_element();
      const std::string& pid =
          gateway ? change.add_gateway_element().platform() : change.add_element().platform();
      const std::string& nid =
          gateway ? change.add_gateway_element().nation() : change.add_element().nation();
      std::string id = gateway ? change.add_gateway_element().id() : change.add_element().id();
      const int64_t quantity = gateway ? 1 : change.add_element().quantity();
      const char* what = gateway ? "add_gateway_element" : "add_element";
      ASSIGN_OR_RETURN(uint32_t p, FindLocal(EntityKind::kPlatform, pid, what));
      ASSIGN_OR_RETURN(uint32_t n, FindLocal(EntityKind::kNation, nid, what));
      if (quantity < 1 || quantity > kMaxQuantity) {
        return absl::InvalidArgumentError(absl::StrCat(
            what, " ", nid, ":", pid, ": quantity must be in 1..", kMaxQuantity, ", got ",
            quantity));
      }
      if (gateway && g_.gateways(p).empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat(what, ": platform '", pid, "' carries no gateway"));
      }
      if (id.empty()) {
        id = absl::StrCat(nid, ":", pid);
        for (int k = 2; FindElement(id).has_value(); ++k) id = absl::StrCat(nid, ":", pid, ":", k);
      } else if (FindElement(id).has_value()) {
        return absl::InvalidArgumentError(
            absl::StrCat(what, ": element id '", id, "' is already taken in the mix"));
      }
      AppendElement(p, n, quantity, std::move(id), &undo, &applied);
      break;
    }
    case v1::Change::kShareInformation: {
      const v1::ShareInformation& s = change.share_information();
      ASSIGN_OR_RETURN(uint32_t a,
                                FindLocal(EntityKind::kNation, s.nation_a(), "share_information"));
      ASSIGN_OR_RETURN(uint32_t b,
                                FindLocal(EntityKind::kNation, s.nation_b(), "share_information"));
      if (a == b) {
        return absl::InvalidArgumentError(
            absl::StrCat("share_information: the two nations are both '", s.nation_a(), "'"));
      }
      if (SharesInformation(a, b)) {
        applied.no_op = Applied::NoOp::kAlreadySharing;
        break;
      }
      ++sharing_[Key(std::min(a, b), std::max(a, b))];
      undo.kind = UndoRecord::Kind::kShare;
      undo.key = Key(std::min(a, b), std::max(a, b));
      applied.sharing_nations = {std::min(a, b), std::max(a, b)};
      break;
    }
    case v1::Change::CHANGE_NOT_SET:
      return absl::InvalidArgumentError("a change sets nothing");
  }
  std::sort(applied.touched_classes.begin(), applied.touched_classes.end());
  applied.touched_classes.erase(
      std::unique(applied.touched_classes.begin(), applied.touched_classes.end()),
      applied.touched_classes.end());
  undo_.push_back(std::move(undo));
  return applied;
}

void Scenario::Undo() {
  UndoRecord u = std::move(undo_.back());
  undo_.pop_back();
  switch (u.kind) {
    case UndoRecord::Kind::kNoOp:
      break;
    case UndoRecord::Kind::kRelease:
      Decrement(released_, u.key);
      if (auto it = released_items_.find(static_cast<NodeId>(u.a)); it != released_items_.end()) {
        it->second.pop_back();  // undone in reverse order: the last entry is this release's
        if (it->second.empty()) released_items_.erase(it);
      }
      break;
    case UndoRecord::Kind::kFit: {
      Decrement(fitted_, u.key);
      auto it = fits_added_.find(u.a);
      it->second.pop_back();  // fits are undone in reverse order: the last one is this one
      if (it->second.empty()) fits_added_.erase(it);
      break;
    }
    case UndoRecord::Kind::kUpgrade: {
      const uint32_t p = u.a;
      auto readjust = [&](uint32_t s, int d) {
        // A later upgrade may have brought the entry back to 0 (and erased it).
        int& v = speaks_delta_[Key(p, s)];
        v -= d;
        if (v == 0) speaks_delta_.erase(Key(p, s));
        Decrement(speaks_overlay_, p);
      };
      auto& list = speaks_added_list_[p];
      if (u.added_to) {
        readjust(u.c, +1);
        list.erase(std::remove(list.begin(), list.end(), u.c), list.end());
      }
      if (u.removed_from) {
        readjust(u.b, -1);
        auto d = speaks_delta_.find(Key(p, u.b));
        if (d != speaks_delta_.end() && d->second > 0) list.push_back(u.b);
      }
      if (list.empty()) speaks_added_list_.erase(p);
      break;
    }
    case UndoRecord::Kind::kShare:
      Decrement(sharing_, u.key);
      break;
    case UndoRecord::Kind::kAdd: {
      const ElementIndex e = num_elements() - 1;
      const ClassIndex c = class_of_[e];
      for (auto& sides : added_members_) {
        for (auto& side : sides) {
          if (!side.empty() && side.back() == e) side.pop_back();
        }
      }
      {
        auto it = grown_.find(c);
        it->second.pop_back();
        if (u.new_class ||
            (c < num_base_classes_ && it->second.size() == class_begin_[c + 1] - class_begin_[c])) {
          grown_.erase(it);  // back to the base members (or to no class)
        }
      }
      if (u.new_class) {
        class_index_.erase(Key(class_platform_[c], class_nation_[c]));
        auto drop = [c](auto& map, uint32_t key) {
          auto it = map.find(key);
          it->second.pop_back();
          if (it->second.empty()) map.erase(it);
        };
        drop(platform_classes_, class_platform_[c]);
        drop(nation_classes_, class_nation_[c]);
        class_platform_.pop_back();
        class_nation_.pop_back();
        class_gateway_.pop_back();
      }
      class_of_.pop_back();
      added_index_.erase(added_ids_.back());
      added_ids_.pop_back();
      if (auto it = added_units_.find(platform_.back());
          (it->second -= quantity_.back()) == 0) {
        added_units_.erase(it);
      }
      platform_.pop_back();
      nation_.pop_back();
      quantity_.pop_back();
      removed_.pop_back();
      break;
    }
    case UndoRecord::Kind::kRemove:
      for (ElementIndex e : u.list) --removed_[e];
      break;
    case UndoRecord::Kind::kSuppliers:
    case UndoRecord::Kind::kEmbargo:
    case UndoRecord::Kind::kLift: {
      const uint32_t i = u.list[0];
      uint32_t& count = u.kind == UndoRecord::Kind::kSuppliers
                            ? supplier_removed_[i]
                            : (u.kind == UndoRecord::Kind::kEmbargo ? embargo_[i] : lifted_[i]);
      if (--count == 0) {
        if (u.kind == UndoRecord::Kind::kEmbargo) {
          embargo_nations_.erase(
              std::find(embargo_nations_.begin(), embargo_nations_.end(), i));
        }
        ClearAvailability();
      }
      break;
    }
  }
}

}  // namespace coalition::scenario
