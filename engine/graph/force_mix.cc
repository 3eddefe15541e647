#include "engine/graph/force_mix.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "engine/model/element_id.h"
#include "absl/types/span.h"

namespace coalition::graph {
namespace {

namespace v1 = ::coalition::v1;

// Elements grouped by platform and by nation (CSR over local indices, mix order within a
// group), built on first use: a selector naming platforms or nations then visits only their
// elements instead of scanning the whole mix.
class ElementIndex {
 public:
  ElementIndex(const TypedGraph& g, const ResolvedMix& mix) : g_(g), mix_(mix) {}
  absl::Span<const uint32_t> ByPlatform(uint32_t p) {
    if (platform_begin_.empty()) Build(mix_.platform, g_.Count(EntityKind::kPlatform),
                                       &platform_begin_, &platform_elems_);
    return Slice(platform_begin_, platform_elems_, p);
  }
  absl::Span<const uint32_t> ByNation(uint32_t n) {
    if (nation_begin_.empty()) Build(mix_.nation, g_.Count(EntityKind::kNation), &nation_begin_,
                                     &nation_elems_);
    return Slice(nation_begin_, nation_elems_, n);
  }

 private:
  static void Build(const std::vector<uint32_t>& key, uint32_t n, std::vector<uint32_t>* begin,
                    std::vector<uint32_t>* elems) {
    begin->assign(n + 1, 0);
    for (uint32_t k : key) ++(*begin)[k + 1];
    for (uint32_t i = 0; i < n; ++i) (*begin)[i + 1] += (*begin)[i];
    elems->resize(key.size());
    std::vector<uint32_t> next(begin->begin(), begin->end() - 1);
    for (uint32_t e = 0; e < key.size(); ++e) (*elems)[next[key[e]]++] = e;
  }
  static absl::Span<const uint32_t> Slice(const std::vector<uint32_t>& begin,
                                          const std::vector<uint32_t>& elems, uint32_t k) {
    return absl::MakeConstSpan(elems).subspan(begin[k], begin[k + 1] - begin[k]);
  }
  const TypedGraph& g_;
  const ResolvedMix& mix_;
  std::vector<uint32_t> platform_begin_, platform_elems_, nation_begin_, nation_elems_;
};

// Expands a selector to the matching element indices (mix order).
absl::StatusOr<std::vector<uint32_t>> Expand(const TypedGraph& g, const ResolvedMix& mix,
                                             const absl::flat_hash_map<std::string, uint32_t>& by_id,
                                             ElementIndex& index, const v1::Selector& sel,
                                             absl::string_view where) {
  std::vector<uint32_t> out;
  if (sel.all()) {
    out.resize(mix.size());
    for (uint32_t i = 0; i < mix.size(); ++i) out[i] = i;
    return out;
  }
  // Resolve each listed kind to a membership test.
  absl::flat_hash_set<uint32_t> elements, platforms, nations, groups, roles;
  absl::flat_hash_set<int> domains;
  for (const auto& id : sel.elements()) {
    auto it = by_id.find(id);
    if (it == by_id.end()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": unknown element '", id, "'"));
    }
    elements.insert(it->second);
  }
  auto resolve_all = [&](const auto& ids, EntityKind kind,
                         absl::flat_hash_set<uint32_t>* set) -> absl::Status {
    for (const auto& id : ids) {
      auto local = g.Find(kind, id);
      if (!local) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": unknown ", EntityKindName(kind), " '", id, "'"));
      }
      set->insert(*local);
    }
    return absl::OkStatus();
  };
  if (auto s = resolve_all(sel.platforms(), EntityKind::kPlatform, &platforms); !s.ok()) return s;
  if (auto s = resolve_all(sel.nations(), EntityKind::kNation, &nations); !s.ok()) return s;
  if (auto s = resolve_all(sel.groups(), EntityKind::kGroup, &groups); !s.ok()) return s;
  for (int d : sel.domains()) domains.insert(d);
  const bool roles_listed = sel.roles_size() > 0;
  for (const auto& r : sel.roles()) {
    if (auto id = g.FindRole(r)) roles.insert(*id);  // an unknown role matches nothing
  }
  const bool any_kind = sel.elements_size() || sel.platforms_size() || sel.nations_size() ||
                        sel.groups_size() || sel.domains_size() || roles_listed;
  if (!any_kind) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": empty selector (use all: true)"));
  }
  // Candidates: the elements of the first listed kind that has an index (elements, platforms,
  // nations), else all; every listed kind is then checked on each candidate.
  std::vector<uint32_t> candidates;
  bool scan_all = false;
  if (sel.elements_size()) {
    candidates.assign(elements.begin(), elements.end());
  } else if (sel.platforms_size()) {
    for (uint32_t p : platforms) {
      auto v = index.ByPlatform(p);
      candidates.insert(candidates.end(), v.begin(), v.end());
    }
  } else if (sel.nations_size()) {
    for (uint32_t n : nations) {
      auto v = index.ByNation(n);
      candidates.insert(candidates.end(), v.begin(), v.end());
    }
  } else {
    scan_all = true;
  }
  if (!scan_all) {
    std::sort(candidates.begin(), candidates.end());  // mix order; the kind's values are distinct
  }
  const uint32_t count = scan_all ? mix.size() : static_cast<uint32_t>(candidates.size());
  for (uint32_t k = 0; k < count; ++k) {
    const uint32_t i = scan_all ? k : candidates[k];
    const uint32_t p = mix.platform[i], n = mix.nation[i];
    if (sel.elements_size() && !elements.contains(i)) continue;
    if (sel.platforms_size() && !platforms.contains(p)) continue;
    if (sel.nations_size() && !nations.contains(n)) continue;
    if (sel.groups_size()) {
      bool in = false;
      for (NodeId grp : g.Neighbors(g.Node(EntityKind::kNation, n), EdgeKind::kMemberOf)) {
        in = in || groups.contains(g.Local(grp));
      }
      if (!in) continue;
    }
    if (sel.domains_size() && !domains.contains(static_cast<int>(g.platform(p).domain))) continue;
    if (roles_listed) {
      bool in = false;
      for (uint32_t r : g.roles(p)) in = in || roles.contains(r);
      if (!in) continue;
    }
    out.push_back(i);
  }
  return out;
}

}  // namespace

absl::StatusOr<ResolvedMix> ResolveMix(const TypedGraph& g, const v1::ForceMix& mix) {
  ResolvedMix out;
  out.name = mix.name();
  out.budget_musd = mix.budget_musd();
  const int n = mix.elements_size();
  out.element_ids.reserve(n);
  out.platform.reserve(n);
  out.nation.reserve(n);
  out.quantity.reserve(n);
  absl::flat_hash_map<std::string, uint32_t> by_id;
  by_id.reserve(n);
  for (int i = 0; i < n; ++i) {
    const v1::ForceElement& e = mix.elements(i);
    // Built only for an error message (this loop runs once per element).
    auto where = [&] { return absl::StrCat("mixes[\"", mix.name(), "\"].elements[", i, "]"); };
    auto p = g.Find(EntityKind::kPlatform, e.platform());
    if (!p) return absl::InvalidArgumentError(absl::StrCat(where(), ": unknown platform '", e.platform(), "'"));
    auto nat = g.Find(EntityKind::kNation, e.nation());
    if (!nat) return absl::InvalidArgumentError(absl::StrCat(where(), ": unknown nation '", e.nation(), "'"));
    std::string id = EffectiveElementId(e);
    if (!by_id.try_emplace(id, static_cast<uint32_t>(i)).second) {
      return absl::InvalidArgumentError(absl::StrCat(where(), ": duplicate element id '", id, "'"));
    }
    out.element_ids.push_back(std::move(id));
    out.platform.push_back(*p);
    out.nation.push_back(*nat);
    out.quantity.push_back(e.quantity());
  }
  ElementIndex index(g, out);
  for (int k = 0; k < mix.iers_size(); ++k) {
    const v1::Ier& ier = mix.iers(k);
    std::string where = absl::StrCat("mixes[\"", mix.name(), "\"].iers[\"", ier.name(), "\"]");
    ResolvedIer r;
    r.name = ier.name();
    r.min_level = ier.min_level();
    auto from = Expand(g, out, by_id, index, ier.from(), absl::StrCat(where, ".from"));
    if (!from.ok()) return from.status();
    auto to = Expand(g, out, by_id, index, ier.to(), absl::StrCat(where, ".to"));
    if (!to.ok()) return to.status();
    r.from = std::move(*from);
    r.to = std::move(*to);
    out.iers.push_back(std::move(r));
  }
  return out;
}

bool SharesInformation(const TypedGraph& g, uint32_t a, uint32_t b) {
  if (a == b) return true;
  auto ga = g.Neighbors(g.Node(EntityKind::kNation, a), EdgeKind::kMemberOf);
  auto gb = g.Neighbors(g.Node(EntityKind::kNation, b), EdgeKind::kMemberOf);
  for (NodeId x : ga) {
    if (!g.group(g.Local(x)).shares_information) continue;
    for (NodeId y : gb) {
      if (x == y) return true;
    }
  }
  return false;
}

bool MayUse(const TypedGraph& g, uint32_t nation, NodeId item) {
  auto rel = g.Neighbors(item, EdgeKind::kReleasableTo);
  if (rel.empty()) return true;
  const NodeId me = g.Node(EntityKind::kNation, nation);
  for (NodeId d : g.Neighbors(item, EdgeKind::kDesignedBy)) {
    if (d == me) return true;
  }
  auto groups = g.Neighbors(me, EdgeKind::kMemberOf);
  for (NodeId r : rel) {
    if (r == me) return true;
    for (NodeId grp : groups) {
      if (r == grp) return true;
    }
  }
  return false;
}

}  // namespace coalition::graph
