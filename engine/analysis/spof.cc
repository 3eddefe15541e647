#include "engine/analysis/spof.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "engine/analysis/interop.h"

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
  report.set_candidates(static_cast<int32_t>(cands.size()));
  if (cands.empty()) return report;

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

  std::vector<v1::SinglePointOfFailure> points;
  std::vector<ClassIndex> dirty;
  for (const ElementIndex x : cands) {
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
    strict.Undo();
    s.Undo();
    if (drops.empty()) continue;

    int64_t gaps = 0;
    absl::flat_hash_map<ClassIndex, std::vector<Drop>> partners;
    std::vector<char> mark_from(size_t{nk} * nc, 0), mark_to(size_t{nk} * nc, 0);
    for (const LevelDrop& d : drops) {
      bool counted = false;
      for (uint32_t k = 0; k < nk; ++k) {
        const int m = s.ier(k).min_level;
        if (!(d.before >= m && d.after < m)) continue;
        int64_t ab = members(k, 0, d.a) * members(k, 1, d.b);
        int64_t ba = members(k, 0, d.b) * members(k, 1, d.a);
        if (d.a == d.b) {
          ab -= members(k, 2, d.a);
          ba = 0;
        }
        gaps += ab + ba;
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
    for (ElementIndex e = 0; e < n; ++e) {
      if (!s.present(e) || e == x) continue;
      bool hit = false;
      for (uint32_t k = 0; k < nk && !hit; ++k) {
        const size_t i = size_t{k} * nc + s.class_of(e);
        hit = ((in_side[k][e] & 1) && mark_from[i]) || ((in_side[k][e] & 2) && mark_to[i]);
      }
      affected += hit;
    }
    p.set_elements_affected(affected);
    // Listed pairs: IER order, then from, then to (element order).
    std::vector<ElementIndex> tos;
    auto full = [&]() { return static_cast<size_t>(p.pairs_size()) >= limit; };
    for (uint32_t k = 0; k < nk && !full(); ++k) {
      const graph::ResolvedIer& ier = s.ier(k);
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
  return report;
}

}  // namespace coalition::analysis
