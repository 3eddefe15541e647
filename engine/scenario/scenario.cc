#include "engine/scenario/scenario.h"

#include <algorithm>
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
  class_of_.resize(mix.size());
  // Elements into classes in two passes: classes first (the index reserved for the most classes
  // there can be: one per element, at most one per (platform, nation)), then each class's
  // members into a vector reserved to its exact size; units per platform summed densely, then
  // stored once per platform.
  const size_t max_classes =
      std::min<size_t>(mix.size(), size_t{g_.Count(EntityKind::kPlatform)} *
                                       g_.Count(EntityKind::kNation));
  class_index_.reserve(max_classes);
  class_platform_.reserve(max_classes);
  class_nation_.reserve(max_classes);
  class_elements_.reserve(max_classes);
  uint32_t max_platform = 0;
  for (ElementIndex e = 0; e < mix.size(); ++e) {
    bool created = false;
    class_of_[e] = ClassFor(platform_[e], nation_[e], &created);
    max_platform = std::max(max_platform, platform_[e]);
  }
  {
    std::vector<uint32_t> members(num_classes(), 0);
    for (ElementIndex e = 0; e < mix.size(); ++e) ++members[class_of_[e]];
    for (ClassIndex c = 0; c < num_classes(); ++c) class_elements_[c].reserve(members[c]);
  }
  std::vector<int64_t> units(mix.size() == 0 ? 0 : size_t{max_platform} + 1, 0);
  std::vector<uint8_t> seen(units.size(), 0);
  for (ElementIndex e = 0; e < mix.size(); ++e) {
    class_elements_[class_of_[e]].push_back(e);
    units[platform_[e]] += quantity_[e];
    seen[platform_[e]] = 1;
  }
  for (uint32_t p = 0; p < units.size(); ++p) {
    if (seen[p]) platform_units_[p] = units[p];
  }
  if (chain_ != nullptr) {
    supplier_removed_.assign(g_.Count(EntityKind::kSupplier), 0);
    embargo_.assign(g_.Count(EntityKind::kNation), 0);
    lifted_.assign(chain_->num_restrictions(), 0);
  }
}

ClassIndex Scenario::ClassFor(uint32_t platform, uint32_t nation, bool* created) {
  auto [it, inserted] = class_index_.try_emplace(Key(platform, nation), num_classes());
  *created = inserted;
  if (inserted) {
    class_platform_.push_back(platform);
    class_nation_.push_back(nation);
    class_elements_.emplace_back();
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
  // The standards the class may speak, as a small sorted list (platforms speak a handful).
  std::vector<uint32_t> speaks;
  ForEachSpeaks(p, [&](uint32_t s) {
    if (MayUse(n, g_.Node(EntityKind::kStandard, s), relaxed)) speaks.push_back(s);
  });
  std::sort(speaks.begin(), speaks.end());
  ForEachFit(p, [&](uint32_t l) {
    if (!MayUse(n, g_.Node(EntityKind::kLink, l), relaxed)) return;
    for (ChannelIndex ch = channels_.data_begin(l); ch < channels_.data_end(l); ++ch) {
      if (std::binary_search(speaks.begin(), speaks.end(), channels_.standard(ch))) {
        data->push_back(ch);
      }
    }
    if (channels_.voice(l) != kNone) voice->push_back(channels_.voice(l));
  });
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
  platform_units_[platform] += quantity;
  removed_.push_back(0);
  added_index_.emplace(id, e);
  added_ids_.push_back(std::move(id));
  bool created = false;
  const ClassIndex c = ClassFor(platform, nation, &created);
  class_of_.push_back(c);
  class_elements_[c].push_back(e);
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
          for (ElementIndex e : class_elements_[c]) {
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
      class_elements_[c].pop_back();
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
        class_elements_.pop_back();
      }
      class_of_.pop_back();
      added_index_.erase(added_ids_.back());
      added_ids_.pop_back();
      platform_units_[platform_.back()] -= quantity_.back();
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
