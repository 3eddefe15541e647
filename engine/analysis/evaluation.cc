#include "engine/analysis/evaluation.h"

#include <algorithm>
#include <utility>

#include "engine/analysis/units.h"
#include "engine/base/status_macros.h"

namespace coalition::analysis {
namespace {

namespace v1 = ::coalition::v1;
using scenario::Applied;

// A release or an information-sharing arrangement changes policy only: the relaxed levels
// (every link and standard releasable, every two nations sharing) cannot change.
bool PolicyOnly(const v1::Change& c) {
  return c.change_case() == v1::Change::kRelease ||
         c.change_case() == v1::Change::kShareInformation;
}

}  // namespace

int64_t GapTally::gaps() const {
  int64_t n = 0;
  for (const IerTally& t : iers) n += t.gaps();
  return n;
}

double GapTally::weighted_gaps() const {
  double w = 0;
  for (const IerTally& t : iers) w += t.weight * static_cast<double>(t.gaps());
  return w;
}

int64_t GapTally::satisfied() const {
  int64_t n = 0;
  for (const IerTally& t : iers) n += t.satisfied;
  return n;
}

int GapTally::iers_satisfied() const {
  int n = 0;
  for (const IerTally& t : iers) n += t.gaps() == 0;
  return n;
}

Evaluation::Evaluation(scenario::Scenario& s) : s_(s), levels_(ComputePolicyLevels(s)) {
  const uint32_t nk = s.num_iers();
  tally_.iers.resize(nk);
  for (uint32_t k = 0; k < nk; ++k) tally_.iers[k].weight = s.ier(k).weight;
  cover_hist_.assign(nk, {0, 0, 0, 0, 0});
  present_pairs_.assign(nk, 0);
  all_counts_.assign(nk, {0, 0, 0});
  counts_.resize(nk);
  // Memberships of the elements (base and any already added), CSR by element.
  const uint32_t n = s.num_elements();
  std::vector<std::pair<ElementIndex, uint32_t>> pairs;
  for (uint32_t k = 0; k < nk; ++k) {
    for (int side = 0; side < 2; ++side) {
      s.ForEachMember(k, side, [&](ElementIndex e) { pairs.emplace_back(e, k * 2 + side); });
    }
  }
  std::sort(pairs.begin(), pairs.end());
  member_begin_.assign(n + 1, 0);
  for (const auto& [e, m] : pairs) ++member_begin_[e + 1];
  for (uint32_t e = 0; e < n; ++e) member_begin_[e + 1] += member_begin_[e];
  members_.reserve(pairs.size());
  for (const auto& [e, m] : pairs) members_.push_back(m);
  present_.resize(n);
  for (ElementIndex e = 0; e < n; ++e) present_[e] = s.present(e);

  // Counts per IER and class, then every class pair of every IER once.
  std::vector<absl::flat_hash_map<ClassIndex, SideCounts>> initial(nk);
  for (ElementIndex e = 0; e < n; ++e) {
    for (uint32_t i = member_begin_[e]; i < member_begin_[e + 1]; ++i) {
      const uint32_t k = members_[i] / 2, side = members_[i] % 2;
      const bool both = side == 1 && i > member_begin_[e] && members_[i - 1] == k * 2;
      all_counts_[k][side]++;
      if (both) all_counts_[k][2]++;
      if (!present_[e]) continue;
      SideCounts& c = initial[k][s.class_of(e)];
      (side == 0 ? c.from : c.to)++;
      if (both) c.both++;
    }
  }
  for (uint32_t k = 0; k < nk; ++k) {
    for (const auto& [c, counts] : initial[k]) SetCounts(k, c, counts);
  }
  std::vector<ClassIndex> all(s.num_classes());
  for (ClassIndex c = 0; c < all.size(); ++c) all[c] = c;
  in_dirty_.assign(all.size(), 0);
  Recount(/*initial=*/true, all, v1::Change(), Frame());
}

void Evaluation::Recount(bool initial, const std::vector<ClassIndex>& dirty,
                         const v1::Change& change, const Frame& frame) {
  in_dirty_.resize(s_.num_classes(), 0);
  for (ClassIndex c : dirty) in_dirty_[c] = 1;
  level_changes_.clear();

  // Old and new achieved levels of a class pair. "Old" is before the last level Update.
  const bool share_change = change.change_case() == v1::Change::kShareInformation;
  std::pair<uint32_t, uint32_t> shared_pair{scenario::kNone, scenario::kNone};
  if (share_change) {
    const uint32_t a = *s_.graph().Find(graph::EntityKind::kNation,
                                        change.share_information().nation_a());
    const uint32_t b = *s_.graph().Find(graph::EntityKind::kNation,
                                        change.share_information().nation_b());
    shared_pair = {std::min(a, b), std::max(a, b)};
  }
  auto old_level = [&](const InteropLevels& lv, bool updated, ClassIndex ca, ClassIndex cb) {
    if (!updated && !(share_change && !lv.relaxed())) return lv.ClassLevel(ca, cb);
    const int base = updated ? lv.OldClassBaseLevel(ca, cb) : lv.ClassBaseLevel(ca, cb);
    if (base != 3) return base;
    if (lv.relaxed()) return 4;
    const uint32_t na = s_.class_nation(ca), nb = s_.class_nation(cb);
    if (share_change && std::make_pair(std::min(na, nb), std::max(na, nb)) == shared_pair) return 3;
    return s_.SharesInformation(na, nb) ? 4 : 3;
  };
  const bool strict_updated = frame.strict_updated, relaxed_updated = frame.relaxed_updated;

  for (uint32_t k = 0; k < s_.num_iers(); ++k) {
    if (IsCoverage(s_.ier(k).coverage)) {
      CountCoverage(k);
      continue;
    }
    auto& counts = counts_[k];
    // Old counts of the classes this change re-counted (the others are unchanged).
    absl::flat_hash_map<ClassIndex, SideCounts> old_counts;
    for (const auto& [kk, saved] : frame.saved_counts) {
      if (kk == k) old_counts[saved.first] = saved.second;
    }
    auto old_of = [&](ClassIndex c, const SideCounts& now) -> SideCounts {
      if (initial) return SideCounts{};
      auto it = old_counts.find(c);
      return it == old_counts.end() ? now : it->second;
    };
    const int m = s_.ier(k).min_level;
    IerTally& t = tally_.iers[k];
    auto account = [&](int64_t pairs, int level, int relaxed_level, int sign) {
      present_pairs_[k] += sign * pairs;
      present_hist_[level] += sign * pairs;
      if (level >= m) {
        t.satisfied += sign * pairs;
      } else if (relaxed_level >= m) {
        t.policy += sign * pairs;
      } else {
        t.technical += sign * pairs;
      }
    };
    // One class pair (ca from, cb to): remove its old contribution, add its new one.
    auto pair = [&](ClassIndex ca, const SideCounts& na, const SideCounts& oa, ClassIndex cb,
                    const SideCounts& nb, const SideCounts& ob) {
      const int64_t old_pairs = oa.from * ob.to - (ca == cb ? oa.both : 0);
      const int64_t new_pairs = na.from * nb.to - (ca == cb ? na.both : 0);
      int l0 = -1, l1 = -1;
      if (old_pairs > 0) {
        l0 = old_level(levels_.strict, strict_updated, ca, cb);
        account(old_pairs, l0, l0 >= m ? l0 : old_level(levels_.relaxed, relaxed_updated, ca, cb),
                -1);
      }
      if (new_pairs > 0) {
        l1 = levels_.strict.ClassLevel(ca, cb);
        account(new_pairs, l1, l1 >= m ? l1 : levels_.relaxed.ClassLevel(ca, cb), +1);
      }
      if (!initial && l0 >= 0 && l1 >= 0 && l0 != l1) {
        level_changes_.push_back({std::min(ca, cb), std::max(ca, cb), static_cast<uint8_t>(l0),
                                  static_cast<uint8_t>(l1)});
      }
    };
    // Partners of a dirty class on one side: the classes with present members there now, and
    // those that had some before this change and have none now (they are among the re-counted).
    auto for_each_partner = [&](int side, auto&& f) {
      for (ClassIndex c : counts.side[side]) f(c, counts.counts.at(c).n);
      for (const auto& [c, old] : old_counts) {
        const SideCounts& now = counts.counts.at(c).n;
        if ((side == 0 ? old.from : old.to) > 0 && (side == 0 ? now.from : now.to) == 0) {
          f(c, now);
        }
      }
    };
    for (ClassIndex d : dirty) {
      auto di = counts.counts.find(d);
      if (di == counts.counts.end()) continue;
      const SideCounts nd = di->second.n, od = old_of(d, nd);
      // (d, c) with d on the from side; (c, d) with d on the to side unless c is dirty too (then
      // that pair is visited from c).
      if (nd.from > 0 || od.from > 0) {
        for_each_partner(1, [&](ClassIndex c, const SideCounts& nc) {
          pair(d, nd, od, c, nc, old_of(c, nc));
        });
      }
      if (nd.to > 0 || od.to > 0) {
        for_each_partner(0, [&](ClassIndex c, const SideCounts& nc) {
          if (!in_dirty_[c]) pair(c, nc, old_of(c, nc), d, nd, od);
        });
      }
    }
    const auto& all = all_counts_[k];
    t.pairs = all[0] * all[1] - all[2];
    t.unavailable = t.pairs - present_pairs_[k];
  }
  for (ClassIndex c : dirty) in_dirty_[c] = 0;
  // Absent pairs are at level 0: the histogram is the present pairs' plus every unavailable one,
  // plus the coverage IERs' units.
  tally_.histogram = present_hist_;
  for (uint32_t k = 0; k < s_.num_iers(); ++k) {
    if (IsCoverage(s_.ier(k).coverage)) {
      for (int l = 0; l < 5; ++l) tally_.histogram[l] += cover_hist_[k][l];
    } else {
      tally_.histogram[0] += tally_.iers[k].unavailable;
    }
  }
  std::sort(level_changes_.begin(), level_changes_.end(),
            [](const LevelChange& x, const LevelChange& y) {
              return std::tie(x.a, x.b) < std::tie(y.a, y.b);
            });
  level_changes_.erase(std::unique(level_changes_.begin(), level_changes_.end(),
                                   [](const LevelChange& x, const LevelChange& y) {
                                     return x.a == y.a && x.b == y.b;
                                   }),
                       level_changes_.end());
}

int64_t Evaluation::ClassMembers(uint32_t k, int side, ClassIndex c) const {
  auto it = counts_[k].counts.find(c);
  if (it == counts_[k].counts.end()) return 0;
  return side == 0 ? it->second.n.from : it->second.n.to;
}

int64_t Evaluation::ClassMembersBoth(uint32_t k, ClassIndex c) const {
  auto it = counts_[k].counts.find(c);
  return it == counts_[k].counts.end() ? 0 : it->second.n.both;
}

void Evaluation::CountCoverage(uint32_t k) {
  const graph::ResolvedIer& ier = s_.ier(k);
  const int m = ier.min_level;
  const int served = ServedSide(ier.coverage), other = 1 - served;
  const IerClasses& ic = counts_[k];
  auto side_count = [](const SideCounts& n, int side) { return side == 0 ? n.from : n.to; };
  int64_t present_other = 0;
  for (ClassIndex c : ic.side[other]) present_other += side_count(ic.counts.at(c).n, other);
  const int64_t all_other = all_counts_[k][other], all_served = all_counts_[k][served];
  IerTally& t = tally_.iers[k];
  const double weight = t.weight;
  t = IerTally{};
  t.weight = weight;
  std::array<int64_t, 5>& hist = cover_hist_[k];
  hist = {0, 0, 0, 0, 0};
  int64_t present_served = 0;
  auto account = [&](int64_t n, const PairEval& e) {
    if (n <= 0) return;
    hist[e.achieved] += n;
    switch (e.cls) {
      case v1::POLICY: t.policy += n; break;
      case v1::TECHNICAL: t.technical += n; break;
      case v1::UNAVAILABLE: t.unavailable += n; break;
      default: t.satisfied += n; break;
    }
  };
  for (ClassIndex cu : ic.side[served]) {
    const SideCounts& nu = ic.counts.at(cu).n;
    const int64_t n_served = side_count(nu, served), both = nu.both;
    present_served += n_served;
    int best_s = -1, best_r = -1;  // over the other classes
    for (ClassIndex c : ic.side[other]) {
      if (c == cu) continue;
      const int ls = levels_.strict.ClassLevel(c, cu);
      best_s = std::max(best_s, ls);
      best_r = std::max(best_r, ls >= m ? ls : levels_.relaxed.ClassLevel(c, cu));
    }
    const int64_t own = side_count(nu, other);
    for (int self = 0; self < 2; ++self) {
      const int64_t n = self ? both : n_served - both;
      if (n <= 0) continue;
      int bs = best_s, br = best_r;
      if (own - self > 0) {
        const int ls = levels_.strict.ClassLevel(cu, cu);
        bs = std::max(bs, ls);
        br = std::max(br, ls >= m ? ls : levels_.relaxed.ClassLevel(cu, cu));
      }
      account(n, EvaluateCoverage(true, present_other - self, all_other - self, bs, br, m));
    }
  }
  account(all_served - present_served, EvaluateCoverage(false, 0, 0, 0, 0, m));
  t.pairs = all_served;
}

void Evaluation::SetCounts(uint32_t k, ClassIndex c, const SideCounts& n) {
  IerClasses& ic = counts_[k];
  IerClasses::Entry& e = ic.counts[c];
  e.n = n;
  for (int side = 0; side < 2; ++side) {
    const bool member = (side == 0 ? n.from : n.to) > 0;
    std::vector<ClassIndex>& list = ic.side[side];
    if (member && e.pos[side] == UINT32_MAX) {
      e.pos[side] = static_cast<uint32_t>(list.size());
      list.push_back(c);
    } else if (!member && e.pos[side] != UINT32_MAX) {
      const ClassIndex last = list.back();
      list[e.pos[side]] = last;
      ic.counts[last].pos[side] = e.pos[side];
      list.pop_back();
      e.pos[side] = UINT32_MAX;
    }
  }
}

void Evaluation::AddMemberships(ElementIndex e) {
  std::vector<uint32_t>& list = added_members_[e];
  for (uint32_t k = 0; k < s_.num_iers(); ++k) {
    for (int side = 0; side < 2; ++side) {
      auto added = s_.added_members(k, side);
      if (!added.empty() && added.back() == e) list.push_back(k * 2 + side);
    }
  }
}

absl::StatusOr<Applied> Evaluation::Apply(const v1::Change& change) {
  const uint32_t elements_before = s_.num_elements();
  ASSIGN_OR_RETURN(Applied applied, s_.Apply(change));
  Frame f;
  f.tally = tally_;
  f.present_pairs = present_pairs_;
  f.present_hist = present_hist_;
  f.all_counts = all_counts_;
  f.cover_hist = cover_hist_;
  f.elements = elements_before;

  // Elements whose presence changed, and the classes to re-derive.
  std::vector<ClassIndex> affected = applied.touched_classes;
  present_.resize(s_.num_elements(), 0);
  auto check = [&](ElementIndex e) {
    const uint8_t now = s_.present(e);
    if (now == present_[e]) return;
    f.saved_present.emplace_back(e, present_[e]);
    present_[e] = now;
    affected.push_back(s_.class_of(e));
  };
  if (applied.supply_changed) {
    for (ElementIndex e = 0; e < s_.num_elements(); ++e) check(e);
  } else {
    for (ClassIndex c : applied.touched_classes) {
      for (ElementIndex e : s_.class_elements(c)) check(e);
    }
  }
  for (ElementIndex e : applied.added_elements) {
    AddMemberships(e);
    for (uint32_t m : added_members_[e]) {
      all_counts_[m / 2][m % 2]++;
      if (m % 2 == 1 && std::find(added_members_[e].begin(), added_members_[e].end(),
                                  m - 1) != added_members_[e].end()) {
        all_counts_[m / 2][2]++;
      }
    }
  }
  for (uint32_t n : applied.sharing_nations) {
    for (ClassIndex c = 0; c < s_.num_classes(); ++c) {
      if (s_.class_nation(c) == n) affected.push_back(c);
    }
  }
  std::sort(affected.begin(), affected.end());
  affected.erase(std::unique(affected.begin(), affected.end()), affected.end());

  // Levels of the affected classes.
  std::vector<ClassIndex> dirty, dirty_relaxed;
  if (applied.no_op == Applied::NoOp::kNone && !affected.empty()) {
    levels_.strict.Update(s_, affected, applied.sharing_nations, &dirty);
    f.strict_updated = true;
    if (!PolicyOnly(change)) {
      levels_.relaxed.Update(s_, affected, {}, &dirty_relaxed);
      f.relaxed_updated = true;
      dirty.insert(dirty.end(), dirty_relaxed.begin(), dirty_relaxed.end());
    }
  }
  dirty.insert(dirty.end(), affected.begin(), affected.end());
  std::sort(dirty.begin(), dirty.end());
  dirty.erase(std::unique(dirty.begin(), dirty.end()), dirty.end());

  // New counts of the affected classes, per IER they belong to.
  auto memberships = [&](ElementIndex e) -> absl::Span<const uint32_t> {
    if (e < member_begin_.size() - 1) {
      return absl::MakeConstSpan(members_).subspan(member_begin_[e],
                                                   member_begin_[e + 1] - member_begin_[e]);
    }
    auto it = added_members_.find(e);
    return it == added_members_.end() ? absl::Span<const uint32_t>() : it->second;
  };
  for (ClassIndex c : affected) {
    absl::flat_hash_map<uint32_t, SideCounts> fresh;
    for (ElementIndex e : s_.class_elements(c)) {
      auto ms = memberships(e);
      for (size_t i = 0; i < ms.size(); ++i) {
        SideCounts& sc = fresh[ms[i] / 2];
        if (!present_[e]) continue;
        (ms[i] % 2 == 0 ? sc.from : sc.to)++;
        if (ms[i] % 2 == 1 && i > 0 && ms[i - 1] == ms[i] - 1) sc.both++;
      }
    }
    for (const auto& [k, sc] : fresh) {
      auto it = counts_[k].counts.find(c);
      f.saved_counts.push_back(
          {k, {c, it == counts_[k].counts.end() ? SideCounts{} : it->second.n}});
      SetCounts(k, c, sc);
    }
  }
  Recount(/*initial=*/false, dirty, change, f);
  frames_.push_back(std::move(f));
  return applied;
}

void Evaluation::Undo() {
  Frame& f = frames_.back();
  tally_ = std::move(f.tally);
  present_pairs_ = std::move(f.present_pairs);
  present_hist_ = f.present_hist;
  all_counts_ = std::move(f.all_counts);
  cover_hist_ = std::move(f.cover_hist);
  for (auto it = f.saved_counts.rbegin(); it != f.saved_counts.rend(); ++it) {
    SetCounts(it->first, it->second.first, it->second.second);
  }
  for (auto it = f.saved_present.rbegin(); it != f.saved_present.rend(); ++it) {
    present_[it->first] = it->second;
  }
  if (f.relaxed_updated) levels_.relaxed.Undo();
  if (f.strict_updated) levels_.strict.Undo();
  const uint32_t classes_before_undo = s_.num_classes();
  s_.Undo();
  for (ElementIndex e = f.elements; e < present_.size(); ++e) added_members_.erase(e);
  present_.resize(f.elements);
  // Count entries of the classes the change created (only an added element creates one).
  for (ClassIndex c = s_.num_classes(); c < classes_before_undo; ++c) {
    for (IerClasses& ic : counts_) ic.counts.erase(c);  // SetCounts above left it on no list
  }
  level_changes_.clear();
  frames_.pop_back();
}

}  // namespace coalition::analysis
