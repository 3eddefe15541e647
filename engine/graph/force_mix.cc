#include "engine/graph/force_mix.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "engine/model/element_id.h"
#include "engine/model/releasability.h"
#include "engine/model/selector_rule.h"

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

bool Lists(const CompiledSelector& s, SelectorKind k) {
  switch (k) {
    case SelectorKind::kElements:
      return !s.elements.empty();
    case SelectorKind::kPlatforms:
      return !s.platforms.empty();
    case SelectorKind::kNations:
      return !s.nations.empty();
    case SelectorKind::kGroups:
      return !s.groups.empty();
    case SelectorKind::kDomains:
      return !s.domains.empty();
    case SelectorKind::kRoles:
      return !s.roles.empty();
  }
  return false;
}

template <typename T>
void SortUnique(std::vector<T>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

template <typename T>
bool Has(const std::vector<T>& sorted, T value) {
  return std::binary_search(sorted.begin(), sorted.end(), value);
}

// Resolves every value `sel` lists against the graph and the base mix's element ids.
absl::StatusOr<CompiledSelector> Compile(const TypedGraph& g,
                                         const absl::flat_hash_map<std::string, uint32_t>& by_id,
                                         const v1::Selector& sel, absl::string_view where) {
  CompiledSelector c;
  if (sel.all()) {
    c.all = true;
    return c;
  }
  c.elements.reserve(sel.elements_size());
  for (const auto& id : sel.elements()) {
    auto it = by_id.find(id);
    if (it == by_id.end()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": unknown element '", id, "'"));
    }
    c.elements.push_back(it->second);
  }
  auto resolve_all = [&](const auto& ids, EntityKind kind,
                         std::vector<uint32_t>* out) -> absl::Status {
    out->reserve(ids.size());
    for (const auto& id : ids) {
      auto local = g.Find(kind, id);
      if (!local) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": unknown ", EntityKindName(kind), " '", id, "'"));
      }
      out->push_back(*local);
    }
    return absl::OkStatus();
  };
  if (auto s = resolve_all(sel.platforms(), EntityKind::kPlatform, &c.platforms); !s.ok()) {
    return s;
  }
  if (auto s = resolve_all(sel.nations(), EntityKind::kNation, &c.nations); !s.ok()) return s;
  if (auto s = resolve_all(sel.groups(), EntityKind::kGroup, &c.groups); !s.ok()) return s;
  c.domains.assign(sel.domains().begin(), sel.domains().end());
  c.roles.reserve(sel.roles_size());
  for (const auto& r : sel.roles()) c.roles.push_back(g.FindRole(r).value_or(kUnknownRole));
  SortUnique(&c.elements);
  SortUnique(&c.platforms);
  SortUnique(&c.nations);
  SortUnique(&c.groups);
  SortUnique(&c.domains);
  SortUnique(&c.roles);
  if (!ListsAnyKind([&](SelectorKind k) { return Lists(c, k); })) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": empty selector (use all: true)"));
  }
  return c;
}

// The base mix's elements matching `s`, mix order. Candidates: the elements of the listed
// element ids, platforms or nations, whichever listed kind gives fewest, else the whole mix;
// each candidate is then checked with Matches.
std::vector<uint32_t> Expand(const TypedGraph& g, const ResolvedMix& mix, ElementIndex& index,
                             const CompiledSelector& s) {
  std::vector<uint32_t> out;
  if (s.all) {
    out.resize(mix.size());
    for (uint32_t i = 0; i < mix.size(); ++i) out[i] = i;
    return out;
  }
  enum Source { kScanAll, kByElement, kByPlatform, kByNation };
  Source source = kScanAll;
  size_t fewest = mix.size();
  auto consider = [&](Source kind, size_t n) {
    if (n < fewest) {
      source = kind;
      fewest = n;
    }
  };
  if (!s.elements.empty()) consider(kByElement, s.elements.size());
  if (!s.platforms.empty()) {
    size_t n = 0;
    for (uint32_t p : s.platforms) n += index.ByPlatform(p).size();
    consider(kByPlatform, n);
  }
  if (!s.nations.empty()) {
    size_t n = 0;
    for (uint32_t v : s.nations) n += index.ByNation(v).size();
    consider(kByNation, n);
  }
  std::vector<uint32_t> candidates;
  switch (source) {
    case kByElement:
      candidates = s.elements;  // sorted: mix order
      break;
    case kByPlatform:
      candidates.reserve(fewest);
      for (uint32_t p : s.platforms) {
        auto v = index.ByPlatform(p);
        candidates.insert(candidates.end(), v.begin(), v.end());
      }
      break;
    case kByNation:
      candidates.reserve(fewest);
      for (uint32_t v : s.nations) {
        auto e = index.ByNation(v);
        candidates.insert(candidates.end(), e.begin(), e.end());
      }
      break;
    case kScanAll:
      break;
  }
  // Mix order; the kind's values are distinct and each element has one of each, so no repeats.
  if (source == kByPlatform || source == kByNation) std::sort(candidates.begin(), candidates.end());
  auto keep = [&](uint32_t i) {
    if (Matches(g, s, i, mix.platform[i], mix.nation[i])) out.push_back(i);
  };
  if (source == kScanAll) {
    for (uint32_t i = 0; i < mix.size(); ++i) keep(i);
  } else {
    for (uint32_t i : candidates) keep(i);
  }
  return out;
}

}  // namespace

bool Matches(const TypedGraph& g, const CompiledSelector& s, uint32_t element, uint32_t platform,
             uint32_t nation) {
  return SelectorMatches(
      s.all, [&](SelectorKind k) { return Lists(s, k); },
      [&](SelectorKind k) {
        switch (k) {
          case SelectorKind::kElements:
            return Has(s.elements, element);
          case SelectorKind::kPlatforms:
            return Has(s.platforms, platform);
          case SelectorKind::kNations:
            return Has(s.nations, nation);
          case SelectorKind::kGroups: {  // the operating nation belongs to one listed group
            const NodeId n = g.Node(EntityKind::kNation, nation);
            for (NodeId grp : g.Neighbors(n, EdgeKind::kMemberOf)) {
              if (Has(s.groups, g.Local(grp))) return true;
            }
            return false;
          }
          case SelectorKind::kDomains:
            return Has(s.domains, static_cast<int>(g.platform(platform).domain));
          case SelectorKind::kRoles:  // the platform type has one listed role
            for (uint32_t r : g.roles(platform)) {
              if (Has(s.roles, r)) return true;
            }
            return false;
        }
        return false;
      });
}

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
    r.coverage = ier.coverage() == v1::COVERAGE_UNSPECIFIED ? v1::ALL_PAIRS : ier.coverage();
    r.weight = ier.has_weight() ? ier.weight() : 1.0;
    auto from = Compile(g, by_id, ier.from(), absl::StrCat(where, ".from"));
    if (!from.ok()) return from.status();
    auto to = Compile(g, by_id, ier.to(), absl::StrCat(where, ".to"));
    if (!to.ok()) return to.status();
    r.from_selector = std::move(*from);
    r.to_selector = std::move(*to);
    r.from = Expand(g, out, index, r.from_selector);
    r.to = Expand(g, out, index, r.to_selector);
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

// The rule itself is engine/model/releasability.h (shared with the filtered export); this
// supplies what "the designer" and "names the recipient" mean on graph nodes.
bool MayUse(const TypedGraph& g, uint32_t nation, NodeId item) {
  const NodeId me = g.Node(EntityKind::kNation, nation);
  return ReleasableTo(
      g.Neighbors(item, EdgeKind::kReleasableTo),
      [&] {
        for (NodeId d : g.Neighbors(item, EdgeKind::kDesignedBy)) {
          if (d == me) return true;
        }
        return false;
      },
      [&](NodeId r) {
        if (r == me) return true;
        for (NodeId grp : g.Neighbors(me, EdgeKind::kMemberOf)) {
          if (r == grp) return true;
        }
        return false;
      });
}

}  // namespace coalition::graph
