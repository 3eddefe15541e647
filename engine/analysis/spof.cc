#include "engine/analysis/spof.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "engine/analysis/interop.h"
#include "engine/analysis/units.h"

namespace coalition::analysis {
namespace {

namespace v1 = ::coalition::v1;
using graph::EntityKind;
using scenario::kNone;
using scenario::Scenario;

// A class pair (a <= b) whose achieved level drops when the candidate is removed.
struct LevelDrop {
  ClassIndex a, b;
  uint8_t before, after;
};

struct Drop {
  ClassIndex partner;
  uint8_t before;  // achieved levels
  uint8_t after;
};

// The candidates: the sole present element of its class, whose platform has a gateway bridging
// two channels the class joins. Element order.
std::vector<ElementIndex> Candidates(const Scenario& s, const InteropLevels& strict) {
  std::vector<ElementIndex> out;
  for (ClassIndex c = 0; c < s.num_classes(); ++c) {
    if (!strict.class_active(c) || s.graph().gateways(s.class_platform(c)).empty()) continue;
    ElementIndex sole = kNone;
    int present = 0;
    for (ElementIndex e : s.class_elements(c)) {
      if (s.present(e)) {
        sole = e;
        ++present;
      }
    }
    if (present != 1) continue;
    bool bridges = false;
    s.ForEachGatewayBridge(c, strict.ClassChannels(c),
                           [&](const graph::GatewayRow&, int, absl::Span<const ChannelIndex>,
                               absl::Span<const ChannelIndex>) { bridges = true; });
    if (bridges) out.push_back(sole);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

v1::SinglePointsReport FindSinglePointsOfFailure(Scenario& s, const SpofOptions& options) {
  v1::SinglePointsReport report;
  const graph::TypedGraph& g = s.graph();
  report.set_model_name(g.model_name());
  report.set_mix_name(s.base_mix().name);
  report.set_elements(static_cast<int32_t>(s.num_elements()));
  report.set_max_pairs(options.max_pairs);
  const uint32_t n = s.num_elements();
  const uint32_t nk = s.num_iers();
  const size_t limit = options.max_pairs < 0 ? SIZE_MAX : static_cast<size_t>(options.max_pairs);

  // The levels as policy stands, kept current through the removals (only strict levels decide
  // whether a pair is satisfied).
  InteropLevels strict = InteropLevels::Compute(s, /*relax_policy=*/false);
  const std::vector<ElementIndex> cands = Candidates(s, strict);

  // Present members per IER side and class, and side membership per element.
  const uint32_t nc = s.num_classes();
  std::vector<int64_t> count(size_t{nk} * nc * 3, 0);  // (k, class) -> from, to, both
  auto members = [&](uint32_t k, int what, ClassIndex c) -> int64_t& {
    return count[(size_t{k} * nc + c) * 3 + what];
  };
  std::vector<std::vector<uint8_t>> in_side(nk, std::vector<uint8_t>(n, 0));
  for (uint32_t k = 0; k < nk; ++k) {
    for (int side = 0; side < 2; ++side) {
      s.ForEachMember(k, side, [&](ElementIndex e) {
        if (!s.present(e)) return;
        in_side[k][e] |= 1 << side;
        members(k, side, s.class_of(e))++;
      });
    }
    for (ElementIndex e = 0; e < n; ++e) {
      if (in_side[k][e] == 3) members(k, 2, s.class_of(e))++;
    }
  }
  std::vector<std::vector<ElementIndex>> class_present(nc);
  std::vector<uint8_t> in_dirty(nc, 0);
  for (ElementIndex e = 0; e < n; ++e) {
    if (s.present(e)) class_present[s.class_of(e)].push_back(e);
  }
  // Classes with present members on some IER side: only their pairs are asked.
  std::vector<ClassIndex> asked;
  for (ClassIndex c = 0; c < nc; ++c) {
    for (uint32_t k = 0; k < nk; ++k) {
      if (members(k, 0, c) + members(k, 1, c) > 0) {
        asked.push_back(c);
        break;
      }
    }
  }

  // Coverage IERs (units.h): an element matters to other units only as a counterpart, and only
  // when its class has at most two present members on the counterpart side (the sole provider,
  // or one of two members of a class that serve each other); or as a gateway (cands above).
  std::vector<uint32_t> coverage_iers;
  for (uint32_t k = 0; k < nk; ++k) {
    if (IsCoverage(s.ier(k).coverage)) coverage_iers.push_back(k);
  }
  std::vector<ElementIndex> all_cands = cands;
  for (uint32_t k : coverage_iers) {
    const int other = 1 - ServedSide(s.ier(k).coverage);
    for (ElementIndex e = 0; e < n; ++e) {
      if ((in_side[k][e] >> other & 1) && members(k, other, s.class_of(e)) <= 2) {
        all_cands.push_back(e);
      }
    }
  }
  std::sort(all_cands.begin(), all_cands.end());
  all_cands.erase(std::unique(all_cands.begin(), all_cands.end()), all_cands.end());
  report.set_candidates(static_cast<int32_t>(all_cands.size()));
  // Whether the present served elements of class cu (that are (self = 1) or are not (0) also
  // counterparts) are served under the current strict levels and member counts.
  auto group_served = [&](uint32_t k, ClassIndex cu, int self) {
    const int served = ServedSide(s.ier(k).coverage), other = 1 - served;
    const int m = s.ier(k).min_level;
    for (ClassIndex c : asked) {
      const int64_t avail = members(k, other, c) - (c == cu ? self : 0);
      if (avail > 0 && strict.class_active(c) && strict.ClassLevel(c, cu) >= m) return true;
    }
    return false;
  };
  // Served units per coverage IER that are satisfied, by (class, self) group.
  auto served_units = [&](uint32_t k, auto&& f) {
    const int served = ServedSide(s.ier(k).coverage);
    for (ClassIndex cu : asked) {
      const int64_t all = members(k, served, cu), both = members(k, 2, cu);
      for (int self = 0; self < 2; ++self) {
        const int64_t count = self ? both : all - both;
        if (count > 0) f(cu, self, count);
      }
    }
  };
  std::vector<int64_t> sat_before(nk, 0);
  absl::flat_hash_map<uint64_t, bool> served_before;  // (k, class, self) -> served
  auto group_key = [](uint32_t k, ClassIndex c, int self) {
    return (uint64_t{k} << 33) | (uint64_t{c} << 1) | static_cast<uint64_t>(self);
  };
  for (uint32_t k : coverage_iers) {
    served_units(k, [&](ClassIndex cu, int self, int64_t count) {
      const bool ok = group_served(k, cu, self);
      served_before[group_key(k, cu, self)] = ok;
      if (ok) sat_before[k] += count;
    });
  }
  std::vector<std::vector<ElementIndex>> cannot_lose(nk);

  std::vector<v1::SinglePointOfFailure> points;
  std::vector<ClassIndex> dirty;
  for (const ElementIndex x : all_cands) {
    const ClassIndex cx = s.class_of(x);
    v1::Change remove;
    remove.mutable_remove_element()->set_element(std::string(s.element_id(x)));
    if (!s.Apply(remove).ok()) continue;  // cannot happen: x is an element of the scenario
    // The cut test: without X's gateways, does the channel partition change at any threshold?
    // If not, no pair of other elements changes level.
    const ClassIndex removed_class[] = {cx};
    const bool cut = strict.Update(s, removed_class, {}, &dirty);
    std::vector<LevelDrop> drops;
    if (cut) {
      // Class pairs (other than X's) with a class whose record changed, that lost a level.
      for (ClassIndex d : dirty) in_dirty[d] = 1;
      for (ClassIndex d : dirty) {
        if (d == cx || class_present[d].empty()) continue;
        for (ClassIndex c : asked) {
          if (c == cx || (in_dirty[c] && c < d)) continue;  // each pair once
          const int before = strict.OldClassBaseLevel(d, c), after = strict.ClassBaseLevel(d, c);
          if (after >= before) continue;
          // Achieved levels: 4 only from base 3 with sharing, which removal does not change.
          const bool shares = s.SharesInformation(s.class_nation(d), s.class_nation(c));
          const int l0 = before == 3 && shares ? 4 : before, l1 = after == 3 && shares ? 4 : after;
          drops.push_back({std::min(d, c), std::max(d, c), static_cast<uint8_t>(l0),
                           static_cast<uint8_t>(l1)});
        }
      }
      for (ClassIndex d : dirty) in_dirty[d] = 0;
    }
    // Coverage IERs: units of other elements served before and not after (X's own unit, if it
    // has one, is X's and not counted). Levels are those after the removal; X's class loses X.
    std::vector<int64_t> cover_opened(nk, 0);
    std::vector<std::pair<uint32_t, std::pair<ClassIndex, int>>> lost_groups;  // (k, (class, self))
    for (uint32_t k : coverage_iers) {
      const int served = ServedSide(s.ier(k).coverage);
      const uint8_t sides = in_side[k][x];
      if (sides == 0 && !cut) continue;
      for (int side = 0; side < 2; ++side) {
        if (sides >> side & 1) members(k, side, cx)--;
      }
      if (sides == 3) members(k, 2, cx)--;
      int64_t own = 0;
      if (sides >> served & 1) {
        const int self_x = sides == 3 ? 1 : 0;
        own = served_before.at(group_key(k, cx, self_x)) ? 1 : 0;
      }
      int64_t after = 0;
      served_units(k, [&](ClassIndex cu, int self, int64_t count) {
        if (group_served(k, cu, self)) {
          after += count;
        } else if (served_before.at(group_key(k, cu, self))) {
          lost_groups.push_back({k, {cu, self}});
        }
      });
      for (int side = 0; side < 2; ++side) {
        if (sides >> side & 1) members(k, side, cx)++;
      }
      if (sides == 3) members(k, 2, cx)++;
      cover_opened[k] = sat_before[k] - own - after;
    }
    strict.Undo();
    s.Undo();
    int64_t cover_total = 0;
    for (int64_t v : cover_opened) cover_total += v;
    if (drops.empty() && cover_total == 0) continue;

    int64_t gaps = cover_total;
    std::vector<int64_t> per_ier = cover_opened;
    absl::flat_hash_map<ClassIndex, std::vector<Drop>> partners;
    std::vector<char> mark_from(size_t{nk} * nc, 0), mark_to(size_t{nk} * nc, 0);
    for (const LevelDrop& d : drops) {
      bool counted = false;
      for (uint32_t k = 0; k < nk; ++k) {
        if (IsCoverage(s.ier(k).coverage)) continue;
        const int m = s.ier(k).min_level;
        if (!(d.before >= m && d.after < m)) continue;
        int64_t ab = members(k, 0, d.a) * members(k, 1, d.b);
        int64_t ba = members(k, 0, d.b) * members(k, 1, d.a);
        if (d.a == d.b) {
          ab -= members(k, 2, d.a);
          ba = 0;
        }
        gaps += ab + ba;
        per_ier[k] += ab + ba;
        const size_t ia = size_t{k} * nc + d.a, ib = size_t{k} * nc + d.b;
        if (ab > 0) mark_from[ia] = mark_to[ib] = 1;
        if (ba > 0) mark_from[ib] = mark_to[ia] = 1;
        counted = counted || ab + ba > 0;
      }
      if (counted) {
        partners[d.a].push_back({d.b, d.before, d.after});
        if (d.a != d.b) partners[d.b].push_back({d.a, d.before, d.after});
      }
    }
    if (gaps == 0) continue;

    v1::SinglePointOfFailure p;
    p.set_element(std::string(s.element_id(x)));
    p.set_platform(std::string(g.Id(EntityKind::kPlatform, s.platform(x))));
    p.set_nation(std::string(g.Id(EntityKind::kNation, s.nation(x))));
    p.set_gaps_opened(gaps);
    int32_t affected = 0;
    // Units of coverage IERs that lose service: the present served members of each lost group
    // other than X, in element order.
    auto lost_unit = [&](uint32_t k, ElementIndex e) {
      if (e == x || !s.present(e)) return false;
      const int served = ServedSide(s.ier(k).coverage);
      if (!(in_side[k][e] >> served & 1)) return false;
      const int self = in_side[k][e] == 3 ? 1 : 0;
      for (const auto& [kk, g] : lost_groups) {
        if (kk == k && g.first == s.class_of(e) && g.second == self) return true;
      }
      return false;
    };
    for (ElementIndex e = 0; e < n; ++e) {
      if (!s.present(e) || e == x) continue;
      bool hit = false;
      for (uint32_t k = 0; k < nk && !hit; ++k) {
        if (IsCoverage(s.ier(k).coverage)) {
          hit = lost_unit(k, e);
          continue;
        }
        const size_t i = size_t{k} * nc + s.class_of(e);
        hit = ((in_side[k][e] & 1) && mark_from[i]) || ((in_side[k][e] & 2) && mark_to[i]);
      }
      affected += hit;
    }
    p.set_elements_affected(affected);
    for (uint32_t k = 0; k < nk; ++k) {
      if (per_ier[k] == 0) continue;
      v1::IerLoss* loss = p.add_by_ier();
      loss->set_ier(s.ier(k).name);
      loss->set_gaps_opened(per_ier[k]);
      cannot_lose[k].push_back(x);
    }
    // Listed pairs: IER order, then from, then to (element order).
    std::vector<ElementIndex> tos;
    auto full = [&]() { return static_cast<size_t>(p.pairs_size()) >= limit; };
    for (uint32_t k = 0; k < nk && !full(); ++k) {
      const graph::ResolvedIer& ier = s.ier(k);
      if (IsCoverage(ier.coverage)) {
        // One row per unit that loses service; the counterpart end is left empty.
        s.ForEachMember(k, ServedSide(ier.coverage), [&](ElementIndex u) {
          if (full() || !lost_unit(k, u)) return;
          v1::IerPair* pair = p.add_pairs();
          pair->set_ier(ier.name);
          if (ier.coverage == v1::EACH_TO) {
            pair->set_to_element(std::string(s.element_id(u)));
          } else {
            pair->set_from_element(std::string(s.element_id(u)));
          }
        });
        continue;
      }
      s.ForEachMember(k, 0, [&](ElementIndex a) {
        if (full() || !s.present(a)) return;
        auto it = partners.find(s.class_of(a));
        if (it == partners.end()) return;
        tos.clear();
        for (const Drop& d : it->second) {
          if (!(d.before >= ier.min_level && d.after < ier.min_level)) continue;
          for (ElementIndex b : class_present[d.partner]) {
            if ((in_side[k][b] & 2) && b != a) tos.push_back(b);
          }
        }
        std::sort(tos.begin(), tos.end());
        tos.erase(std::unique(tos.begin(), tos.end()), tos.end());
        for (ElementIndex b : tos) {
          if (full()) break;
          v1::IerPair* pair = p.add_pairs();
          pair->set_ier(ier.name);
          pair->set_from_element(std::string(s.element_id(a)));
          pair->set_to_element(std::string(s.element_id(b)));
        }
      });
    }
    p.set_pairs_omitted(gaps - p.pairs_size());
    points.push_back(std::move(p));
  }
  // Most gaps first; ties keep element order (points were found in element order).
  std::stable_sort(points.begin(), points.end(),
                   [](const v1::SinglePointOfFailure& a, const v1::SinglePointOfFailure& b) {
                     return a.gaps_opened() > b.gaps_opened();
                   });
  for (auto& p : points) *report.add_points() = std::move(p);
  for (uint32_t k = 0; k < nk; ++k) {
    if (cannot_lose[k].empty()) continue;
    v1::IerCannotLose* c = report.add_cannot_lose();
    c->set_ier(s.ier(k).name);
    for (ElementIndex e : cannot_lose[k]) c->add_elements(std::string(s.element_id(e)));
  }
  return report;
}

}  // namespace coalition::analysis
