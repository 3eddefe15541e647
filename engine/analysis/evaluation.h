// The gap counts of a scenario, kept current incrementally as typed changes are applied and
// undone: what a recommender scoring thousands of candidate changes, and the single-points-of-
// failure search, need from the gap analysis (SPEC §3, §5, §6).
//
// Recommended API:
//   Scenario s(graph, mix, &chain);
//   Evaluation ev(s);                              // levels + counts of the baseline
//   ASSIGN_OR_RETURN(Applied a, ev.Apply(change)); // the scenario changes; counts follow
//   int64_t closed = base_gaps - ev.tally().gaps();
//   ev.Undo();                                     // scenario, levels and counts restored
//
// Counts are those of the gap report (gaps.h) — per IER: units (ordered pairs (A in from, B in
// to, A != B), or served elements of a coverage IER), satisfied, POLICY, TECHNICAL, UNAVAILABLE
// gaps; and the achieved-level histogram —
// but computed per element class pair: elements of one (platform, nation) class have the same
// levels, so IER k contributes, for classes (ca, cb) with present from-count F[ca], to-count
// T[cb] and both-count B[c], F[ca]·T[cb] − [ca = cb]·B[ca] pairs at the class pair's level.
// Pairs with an absent end are UNAVAILABLE: the IER's pairs over all elements minus its present
// pairs. The tests check the counts against AnalyzeGaps and against a rebuild from scratch.
//
// Incremental update: Apply asks the scenario which classes a change touched (and which elements
// changed presence), updates both level sets for those classes only (InteropLevels::Update),
// and re-counts only the class pairs with a class whose levels or counts may have changed:
// O(IERs x |dirty classes| x classes per IER side) instead of O(pairs). A change that alters
// the channel partition (a gateway gained or lost) makes more classes dirty. Undo restores the
// counts, the levels and the scenario from one frame: O(what the Apply changed).
// A coverage IER (EACH_TO / EACH_FROM) is re-counted whole on every Apply, from the same
// per-class counts: O(served classes x counterpart classes) — its best-counterpart maximum is
// not a sum over class pairs.
//
// Not thread-safe. The scenario must outlive the Evaluation and must only be changed through
// it while the Evaluation lives.
#ifndef COALITION_ENGINE_ANALYSIS_EVALUATION_H_
#define COALITION_ENGINE_ANALYSIS_EVALUATION_H_

#include <array>
#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "coalition/v1/change.pb.h"
#include "engine/analysis/interop.h"
#include "engine/scenario/scenario.h"

namespace coalition::analysis {

struct IerTally {
  // Units asked (absent ends included): ordered pairs of an ALL_PAIRS IER, served elements of a
  // coverage IER (units.h).
  int64_t pairs = 0;
  int64_t satisfied = 0;
  int64_t policy = 0;
  int64_t technical = 0;
  int64_t unavailable = 0;
  double weight = 1;  // the IER's (SPEC §6); not part of the comparison
  int64_t gaps() const { return policy + technical + unavailable; }
  bool operator==(const IerTally& o) const {
    return pairs == o.pairs && satisfied == o.satisfied && policy == o.policy &&
           technical == o.technical && unavailable == o.unavailable;
  }
};

struct GapTally {
  std::vector<IerTally> iers;           // per IER, mix order
  std::array<int64_t, 5> histogram{};   // achieved levels over all pairs (absent pairs at 0)
  int64_t gaps() const;
  double weighted_gaps() const;  // sum of weight x gaps
  int64_t satisfied() const;
  int iers_satisfied() const;
  bool operator==(const GapTally& o) const { return iers == o.iers && histogram == o.histogram; }
};

class Evaluation {
 public:
  explicit Evaluation(scenario::Scenario& s);
  Evaluation(const Evaluation&) = delete;
  Evaluation& operator=(const Evaluation&) = delete;

  absl::StatusOr<scenario::Applied> Apply(const coalition::v1::Change& change);
  void Undo();
  size_t depth() const { return frames_.size(); }

  const GapTally& tally() const { return tally_; }
  const PolicyLevels& levels() const { return levels_; }
  const scenario::Scenario& scenario() const { return s_; }

  // The class pairs (a <= b) that some IER asks about whose strict achieved level changed in
  // the most recent Apply (both classes with present members before and after), ascending.
  struct LevelChange {
    ClassIndex a, b;
    uint8_t before, after;
  };
  const std::vector<LevelChange>& last_level_changes() const { return level_changes_; }

  // Present members of class c on IER k's from side (side 0) or to side (side 1), and on both.
  int64_t ClassMembers(uint32_t k, int side, ClassIndex c) const;
  int64_t ClassMembersBoth(uint32_t k, ClassIndex c) const;

 private:
  struct SideCounts {
    int64_t from = 0, to = 0, both = 0;  // present members of the class on each side
  };
  // Per IER: the counts of every class with members, and the classes with present members on
  // each side as an unordered list (swap-removal through pos), so a dirty class's partners are
  // enumerated without scanning every class of the IER.
  struct IerClasses {
    struct Entry {
      SideCounts n;
      uint32_t pos[2] = {UINT32_MAX, UINT32_MAX};
    };
    absl::flat_hash_map<ClassIndex, Entry> counts;
    std::vector<ClassIndex> side[2];
  };
  void SetCounts(uint32_t k, ClassIndex c, const SideCounts& n);
  struct Frame;
  void CountClass(uint32_t k, ClassIndex c, SideCounts* out) const;
  void AddMemberships(ElementIndex e);
  // Sets tally_.iers[k] and cover_hist_[k] of coverage IER k from the current counts and levels.
  void CountCoverage(uint32_t k);
  // Re-counts every class pair with a class in `dirty` (ascending): removes its contribution
  // with the old counts (frame.saved_counts) and old levels, adds it with the new ones. initial:
  // there is no old state (the constructor).
  void Recount(bool initial, const std::vector<ClassIndex>& dirty,
               const coalition::v1::Change& change, const Frame& frame);

  scenario::Scenario& s_;
  PolicyLevels levels_;
  GapTally tally_;
  std::vector<int64_t> present_pairs_;  // per IER
  std::array<int64_t, 5> present_hist_{};  // achieved levels of the present pairs
  std::vector<std::array<int64_t, 3>> all_counts_;  // per IER: |from|, |to|, |from ∩ to|
  std::vector<IerClasses> counts_;  // per IER
  std::vector<std::array<int64_t, 5>> cover_hist_;  // per coverage IER: achieved levels of units
  // Memberships (IER k, side) per element: k * 2 + side.
  std::vector<uint32_t> member_begin_, members_;           // base elements (CSR)
  absl::flat_hash_map<ElementIndex, std::vector<uint32_t>> added_members_;
  std::vector<uint8_t> present_;  // per element, as last counted
  std::vector<uint8_t> in_dirty_;
  std::vector<LevelChange> level_changes_;

  struct Frame {
    GapTally tally;
    std::vector<int64_t> present_pairs;
    std::array<int64_t, 5> present_hist{};
    std::vector<std::array<int64_t, 3>> all_counts;
    std::vector<std::array<int64_t, 5>> cover_hist;
    std::vector<std::pair<uint32_t, std::pair<ClassIndex, SideCounts>>> saved_counts;
    std::vector<std::pair<ElementIndex, uint8_t>> saved_present;
    uint32_t elements = 0;
    bool relaxed_updated = false;
    bool strict_updated = false;
  };
  std::vector<Frame> frames_;
};

}  // namespace coalition::analysis

#endif  // COALITION_ENGINE_ANALYSIS_EVALUATION_H_
