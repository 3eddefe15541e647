#include "engine/analysis/spof.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "engine/analysis/interop.h"

namespace coalition::analysis {
namespace {

namespace v1 = ::coalition::v1;
using graph::EntityKind;

constexpr uint32_t kNone = UINT32_MAX;

bool Disjoint(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      return false;
    }
  }
  return true;
}

// Union-find over channels with path halving; small (channels are links x standards).
uint32_t Find(std::vector<uint32_t>& parent, uint32_t x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}
void Union(std::vector<uint32_t>& parent, uint32_t a, uint32_t b) {
  a = Find(parent, a);
  b = Find(parent, b);
  if (a != b) parent[std::max(a, b)] = std::min(a, b);
}

using Unions = std::vector<std::pair<uint32_t, uint32_t>>;

struct Drop {
  uint32_t partner;  // class
  uint8_t before;    // achieved levels
  uint8_t after;
};

}  // namespace

v1::SinglePointsReport FindSinglePointsOfFailure(const graph::TypedGraph& g,
                                                 const graph::ResolvedMix& mix,
                                                 const SpofOptions& options) {
  v1::SinglePointsReport report;
  report.set_model_name(g.model_name());
  report.set_mix_name(mix.name);
  report.set_elements(static_cast<int32_t>(mix.size()));
  report.set_max_pairs(options.max_pairs);
  const uint32_t n = mix.size();
  auto present = [&](uint32_t e) { return options.present.empty() || options.present[e]; };

  // Classes (platform, nation) of present elements, first-appearance order.
  std::vector<uint32_t> class_of(n, kNone);
  std::vector<std::vector<uint32_t>> class_elements;
  absl::flat_hash_map<uint64_t, uint32_t> class_index;
  for (uint32_t e = 0; e < n; ++e) {
    if (!present(e)) continue;
    const uint64_t key = (uint64_t{mix.platform[e]} << 32) | mix.nation[e];
    auto [it, inserted] = class_index.try_emplace(key, static_cast<uint32_t>(class_elements.size()));
    if (inserted) class_elements.emplace_back();
    class_of[e] = it->second;
    class_elements[it->second].push_back(e);
  }
  const uint32_t num_classes = static_cast<uint32_t>(class_elements.size());

  // Per IER: membership and per-class counts of the from and to lists (present elements only).
  const uint32_t nk = static_cast<uint32_t>(mix.iers.size());
  std::vector<std::vector<bool>> in_from(nk, std::vector<bool>(n)), in_to(nk, std::vector<bool>(n));
  std::vector<int64_t> from_cnt(size_t{nk} * num_classes, 0), to_cnt(size_t{nk} * num_classes, 0);
  for (uint32_t k = 0; k < nk; ++k) {
    for (uint32_t a : mix.iers[k].from) {
      in_from[k][a] = true;
      if (class_of[a] != kNone) from_cnt[size_t{k} * num_classes + class_of[a]]++;
    }
    for (uint32_t b : mix.iers[k].to) {
      in_to[k][b] = true;
      if (class_of[b] != kNone) to_cnt[size_t{k} * num_classes + class_of[b]]++;
    }
  }

  InteropOptions base_opt;
  base_opt.present = options.present;
  const InteropLevels before = InteropLevels::Compute(g, mix, base_opt);
  const uint32_t num_channels = before.num_channels();
  const size_t limit = options.max_pairs < 0 ? SIZE_MAX : static_cast<size_t>(options.max_pairs);

  // Channel unions per threshold t (index t - 1), as InteropLevels makes them: version bridges
  // (t <= 2) and, per element, its gateways with cap >= t whose two sides it joins.
  auto gateway_unions = [&](uint32_t e, int t, Unions* out) {
    auto joins = before.ElementChannels(e);
    std::vector<uint32_t> sides;
    for (const graph::GatewayRow& gw : g.gateways(mix.platform[e])) {
      if (std::min(gw.level_cap, 3) < t) continue;
      sides.clear();
      bool has_a = false, has_b = false;
      for (uint32_t ch : joins) {
        const uint32_t st = before.channel_standard(ch);
        if (st == gw.standard_a || st == gw.standard_b) sides.push_back(ch);
        has_a = has_a || st == gw.standard_a;
        has_b = has_b || st == gw.standard_b;
      }
      if (!has_a || !has_b) continue;
      for (uint32_t ch : sides) out->push_back({sides[0], ch});
    }
  };
  // Candidates: the sole present element of its class, with a gateway that bridges something.
  std::vector<uint32_t> cands;
  std::vector<Unions> cand_unions[3];
  Unions fixed[3];
  for (int t = 1; t <= 2; ++t) {
    std::vector<std::pair<uint64_t, uint32_t>> fam;  // (link, family) -> channel
    for (uint32_t ch = 0; ch < num_channels; ++ch) {
      if (before.channel_standard(ch) == InteropLevels::kNoStandard) continue;
      fam.push_back({(uint64_t{before.channel_link(ch)} << 32) |
                         g.standard(before.channel_standard(ch)).family,
                     ch});
    }
    std::sort(fam.begin(), fam.end());
    for (size_t i = 1; i < fam.size(); ++i) {
      if (fam[i].first == fam[i - 1].first) fixed[t - 1].push_back({fam[i - 1].second, fam[i].second});
    }
  }
  std::vector<char> class_done(num_classes, 0);
  for (uint32_t e = 0; e < n; ++e) {
    const uint32_t c = class_of[e];
    if (c == kNone || class_done[c] || g.gateways(mix.platform[e]).empty()) continue;
    class_done[c] = 1;
    Unions u[3];
    for (int t = 1; t <= 3; ++t) gateway_unions(e, t, &u[t - 1]);
    if (u[0].empty()) continue;  // bridges nothing (t = 1 holds every gateway's unions)
    if (class_elements[c].size() == 1) {
      cands.push_back(e);
      for (int t = 0; t < 3; ++t) cand_unions[t].push_back(std::move(u[t]));
    } else {
      for (int t = 0; t < 3; ++t) fixed[t].insert(fixed[t].end(), u[t].begin(), u[t].end());
    }
  }
  // Partition of the channels by everything but the candidates' gateways, per threshold.
  std::vector<uint32_t> fixed_parent[3];
  for (int t = 0; t < 3; ++t) {
    fixed_parent[t].resize(num_channels);
    for (uint32_t ch = 0; ch < num_channels; ++ch) fixed_parent[t][ch] = ch;
    for (const auto& [a, b] : fixed[t]) Union(fixed_parent[t], a, b);
  }
  // A candidate is a cut at t iff, with every other gateway in place, one of its own unions joins
  // two different components. Only then can its removal lower any pair.
  auto is_cut = [&](size_t i) {
    std::vector<uint32_t> parent;
    for (int t = 0; t < 3; ++t) {
      if (cand_unions[t][i].empty()) continue;
      parent = fixed_parent[t];
      for (size_t j = 0; j < cands.size(); ++j) {
        if (j == i) continue;
        for (const auto& [a, b] : cand_unions[t][j]) Union(parent, a, b);
      }
      for (const auto& [a, b] : cand_unions[t][i]) {
        if (Find(parent, a) != Find(parent, b)) return true;
      }
    }
    return false;
  };

  std::vector<v1::SinglePointOfFailure> points;
  std::vector<uint32_t> first(num_channels);
  std::vector<char> split(num_channels);
  for (size_t ci = 0; ci < cands.size(); ++ci) {
    const uint32_t x = cands[ci];
    const uint32_t cx = class_of[x];
    if (!is_cut(ci)) continue;
    InteropOptions opt;
    opt.present = options.present.empty() ? std::vector<bool>(n, true) : options.present;
    opt.present[x] = false;
    const InteropLevels after = InteropLevels::Compute(g, mix, opt);

    // Class pairs that may lose a threshold: in two groups with disjoint new component sets.
    absl::flat_hash_set<uint64_t> suspects;
    for (int t = 1; t <= 3; ++t) {
      std::fill(first.begin(), first.end(), kNone);
      std::fill(split.begin(), split.end(), 0);
      bool any = false;
      for (uint32_t ch = 0; ch < num_channels; ++ch) {
        const uint32_t b = before.ChannelComponent(t, ch), a = after.ChannelComponent(t, ch);
        if (first[b] == kNone) {
          first[b] = a;
        } else if (first[b] != a) {
          split[b] = 1;
          any = true;
        }
      }
      if (!any) continue;
      absl::flat_hash_map<std::vector<uint32_t>, uint32_t> group_of;
      std::vector<std::vector<uint32_t>> group_sets, group_members;
      for (uint32_t c = 0; c < num_classes; ++c) {
        if (c == cx) continue;
        const uint32_t rep = class_elements[c][0];
        bool touches = false;
        for (uint32_t root : before.ElementComponents(t, rep)) touches = touches || split[root];
        if (!touches) continue;
        auto comps = after.ElementComponents(t, rep);
        std::vector<uint32_t> sig(comps.begin(), comps.end());
        auto [it, inserted] = group_of.try_emplace(sig, static_cast<uint32_t>(group_sets.size()));
        if (inserted) {
          group_sets.push_back(std::move(sig));
          group_members.emplace_back();
        }
        group_members[it->second].push_back(c);
      }
      for (size_t i = 0; i < group_sets.size(); ++i) {
        for (size_t j = i + 1; j < group_sets.size(); ++j) {
          if (!Disjoint(group_sets[i], group_sets[j])) continue;
          for (uint32_t ca : group_members[i]) {
            for (uint32_t cb : group_members[j]) {
              suspects.insert((uint64_t{std::min(ca, cb)} << 32) | std::max(ca, cb));
            }
          }
        }
      }
    }
    if (suspects.empty()) continue;

    // Exact levels for the suspects; count the element pairs that drop below an IER minimum.
    std::vector<std::tuple<uint32_t, uint32_t, uint8_t, uint8_t>> drops;
    for (uint64_t key : suspects) {
      const uint32_t ca = static_cast<uint32_t>(key >> 32), cb = static_cast<uint32_t>(key);
      const uint32_t ra = class_elements[ca][0], rb = class_elements[cb][0];
      const int l0 = before.Level(ra, rb), l1 = after.Level(ra, rb);
      if (l1 < l0) drops.emplace_back(ca, cb, static_cast<uint8_t>(l0), static_cast<uint8_t>(l1));
    }
    if (drops.empty()) continue;
    std::sort(drops.begin(), drops.end());
    int64_t gaps = 0;
    absl::flat_hash_map<uint32_t, std::vector<Drop>> partners;
    std::vector<char> mark_from(size_t{nk} * num_classes, 0), mark_to(size_t{nk} * num_classes, 0);
    for (const auto& [ca, cb, l0, l1] : drops) {
      bool counted = false;
      for (uint32_t k = 0; k < nk; ++k) {
        const int m = mix.iers[k].min_level;
        if (!(l0 >= m && l1 < m)) continue;
        const size_t ia = size_t{k} * num_classes + ca, ib = size_t{k} * num_classes + cb;
        const int64_t ab = from_cnt[ia] * to_cnt[ib], ba = from_cnt[ib] * to_cnt[ia];
        gaps += ab + ba;
        if (ab > 0) mark_from[ia] = mark_to[ib] = 1;
        if (ba > 0) mark_from[ib] = mark_to[ia] = 1;
        counted = counted || ab + ba > 0;
      }
      if (counted) {
        partners[ca].push_back({cb, l0, l1});
        partners[cb].push_back({ca, l0, l1});
      }
    }
    if (gaps == 0) continue;

    v1::SinglePointOfFailure p;
    p.set_element(mix.element_ids[x]);
    p.set_platform(std::string(g.Id(EntityKind::kPlatform, mix.platform[x])));
    p.set_nation(std::string(g.Id(EntityKind::kNation, mix.nation[x])));
    p.set_gaps_opened(gaps);
    int32_t affected = 0;
    for (uint32_t e = 0; e < n; ++e) {
      if (class_of[e] == kNone || e == x) continue;
      bool hit = false;
      for (uint32_t k = 0; k < nk && !hit; ++k) {
        const size_t i = size_t{k} * num_classes + class_of[e];
        hit = (in_from[k][e] && mark_from[i]) || (in_to[k][e] && mark_to[i]);
      }
      affected += hit;
    }
    p.set_elements_affected(affected);
    // Listed pairs: IER order, then from, then to (mix order).
    std::vector<uint32_t> tos;
    for (uint32_t k = 0; k < nk && static_cast<size_t>(p.pairs_size()) < limit; ++k) {
      const graph::ResolvedIer& ier = mix.iers[k];
      for (uint32_t a : ier.from) {
        if (static_cast<size_t>(p.pairs_size()) >= limit) break;
        if (class_of[a] == kNone) continue;
        auto it = partners.find(class_of[a]);
        if (it == partners.end()) continue;
        tos.clear();
        for (const Drop& d : it->second) {
          if (!(d.before >= ier.min_level && d.after < ier.min_level)) continue;
          for (uint32_t b : class_elements[d.partner]) {
            if (in_to[k][b]) tos.push_back(b);
          }
        }
        std::sort(tos.begin(), tos.end());
        for (uint32_t b : tos) {
          if (static_cast<size_t>(p.pairs_size()) >= limit) break;
          p.add_pairs(absl::StrCat(ier.name, "|", mix.element_ids[a], "|", mix.element_ids[b]));
        }
      }
    }
    p.set_pairs_omitted(gaps - p.pairs_size());
    points.push_back(std::move(p));
  }
  report.set_candidates(static_cast<int32_t>(cands.size()));
  // Most gaps first; ties keep mix order (points were found in mix order).
  std::stable_sort(points.begin(), points.end(),
                   [](const v1::SinglePointOfFailure& a, const v1::SinglePointOfFailure& b) {
                     return a.gaps_opened() > b.gaps_opened();
                   });
  for (auto& p : points) *report.add_points() = std::move(p);
  return report;
}

}  // namespace coalition::analysis
