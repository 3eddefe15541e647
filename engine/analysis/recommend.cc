#include "engine/analysis/recommend.h"

#include <algorithm>
#include <array>
#include <climits>
#include <tuple>
#include <chrono>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "engine/analysis/evaluation.h"
#include "engine/analysis/gaps.h"
#include "engine/analysis/interop.h"
#include "engine/analysis/units.h"

namespace coalition::analysis {
namespace {

namespace v1 = ::coalition::v1;
using graph::EdgeKind;
using graph::EntityKind;
using graph::NodeId;
using scenario::Scenario;

// ---- Candidate generation -------------------------------------------------------------------

class CandidateBuilder {
 public:
  explicit CandidateBuilder(const Scenario& s) : s_(s), g_(s.graph()) {
    for (uint32_t p = 0; p < g_.Count(EntityKind::kPlatform); ++p) {
      if (!g_.gateways(p).empty()) gateway_platforms_.push_back(p);
    }
  }

  void FromGap(const v1::Gap& gap) {
    const std::optional<ElementIndex> a = s_.FindElement(gap.from_element());
    const std::optional<ElementIndex> b = s_.FindElement(gap.to_element());
    if (!a || !b) return;
    if (gap.gap_class() == v1::POLICY) {
      FromPolicy(gap);
    } else if (gap.gap_class() == v1::TECHNICAL) {
      FromTechnical(gap, *a, *b);
    }
  }

  std::vector<v1::Candidate> Take() { return std::move(out_); }

 private:
  // Keeps c unless a candidate with the same set of changes (in any order) is already kept.
  void Add(v1::Candidate c) {
    std::vector<std::string> parts;
    for (const v1::Change& ch : c.changes()) parts.push_back(ch.SerializeAsString());
    std::sort(parts.begin(), parts.end());
    parts.erase(std::unique(parts.begin(), parts.end()), parts.end());
    std::string key;
    for (const std::string& p : parts) absl::StrAppend(&key, p, "\x1f");
    if (seen_.insert(std::move(key)).second) out_.push_back(std::move(c));
  }

  static void AddRelease(const v1::PolicyBlock& pb, const std::string& party, v1::Candidate* c) {
    v1::Release* r = c->add_changes()->mutable_release();
    r->set_item_kind(pb.item_kind() == v1::PolicyBlock::LINK ? v1::Release::LINK
                                                              : v1::Release::STANDARD);
    r->set_item(pb.item());
    r->set_party(party);
  }

  void FromPolicy(const v1::Gap& gap) {
    std::vector<std::string> nations;  // blocked nations, first-appearance order
    const v1::PolicyBlock* share = nullptr;
    for (const v1::PolicyBlock& pb : gap.policy_blocks()) {
      if (pb.item_kind() == v1::PolicyBlock::INFORMATION_SHARING) {
        share = &pb;
      } else if (std::find(nations.begin(), nations.end(), pb.nation()) == nations.end()) {
        nations.push_back(pb.nation());
      }
    }
    auto share_change = [&](v1::Candidate* c) {  // nations in id order: one candidate a pair
      v1::ShareInformation* si = c->add_changes()->mutable_share_information();
      si->set_nation_a(std::min(share->nation(), share->item()));
      si->set_nation_b(std::max(share->nation(), share->item()));
    };
    for (const std::string& n : nations) {
      // To the nation, and to each group it belongs to.
      std::vector<std::string> parties = {n};
      if (std::optional<uint32_t> nl = g_.Find(EntityKind::kNation, n)) {
        for (NodeId grp : g_.Neighbors(g_.Node(EntityKind::kNation, *nl), EdgeKind::kMemberOf)) {
          parties.emplace_back(g_.IdOf(grp));
        }
      }
      for (const std::string& party : parties) {
        v1::Candidate c;
        c.set_kind(v1::Candidate::RELEASE_PACKAGE);
        for (const v1::PolicyBlock& pb : gap.policy_blocks()) {
          if (pb.item_kind() != v1::PolicyBlock::INFORMATION_SHARING && pb.nation() == n) {
            AddRelease(pb, party, &c);
          }
        }
        Add(std::move(c));
      }
    }
    if (share != nullptr) {
      v1::Candidate c;
      c.set_kind(v1::Candidate::SHARE_INFORMATION);
      share_change(&c);
      Add(std::move(c));
    }
    // Everything the gap needs at once, when no single package above is enough.
    if (nations.size() + (share != nullptr ? 1 : 0) >= 2) {
      v1::Candidate c;
      c.set_kind(v1::Candidate::RELEASE_PACKAGE);
      for (const v1::PolicyBlock& pb : gap.policy_blocks()) {
        if (pb.item_kind() != v1::PolicyBlock::INFORMATION_SHARING) AddRelease(pb, pb.nation(), &c);
      }
      if (share != nullptr) share_change(&c);
      Add(std::move(c));
    }
  }


  void FromTechnical(const v1::Gap& gap, ElementIndex a, ElementIndex b) {
    if (gap.layer() == v1::LAYER_BEARER || gap.layer() == v1::LAYER_SYNTAX) {
      for (auto [x, y] : {std::pair{a, b}, std::pair{b, a}}) {
        s_.ForEachCommonChannelFit(x, y, [&](uint32_t l, uint32_t py) {
          v1::Candidate c;
          c.set_kind(v1::Candidate::FIT);
          v1::Fit* f = c.add_changes()->mutable_fit();
          f->set_link(std::string(g_.Id(EntityKind::kLink, l)));
          f->set_platform(std::string(g_.Id(EntityKind::kPlatform, py)));
          c.set_cost_musd(g_.link(l).retrofit_cost_musd * static_cast<double>(s_.PlatformUnits(py)));
          Add(std::move(c));
        });
      }
    }
    if (gap.layer() == v1::LAYER_VERSION) FromVersion(a, b);
    FromGateways(a, b);
  }

  // Either side moved to the other's version of a family both speak (where a cost is given).
  void FromVersion(ElementIndex a, ElementIndex b) {
    for (auto [x, y] : {std::pair{a, b}, std::pair{b, a}}) {
      const uint32_t px = s_.platform(x), py = s_.platform(y);
      s_.ForEachSpeaks(px, [&](uint32_t sx) {
        s_.ForEachSpeaks(py, [&](uint32_t sy) {
          const graph::StandardRow& rx = g_.standard(sx);
          const graph::StandardRow& ry = g_.standard(sy);
          if (rx.family != ry.family || sx == sy || ry.upgrade_cost_musd < 0) return;
          if (s_.Speaks(px, sy)) return;
          v1::Candidate c;
          c.set_kind(v1::Candidate::UPGRADE);
          v1::Upgrade* u = c.add_changes()->mutable_upgrade();
          u->set_platform(std::string(g_.Id(EntityKind::kPlatform, px)));
          u->set_from_standard(std::string(g_.Id(EntityKind::kStandard, sx)));
          u->set_to_standard(std::string(g_.Id(EntityKind::kStandard, sy)));
          c.set_cost_musd(ry.upgrade_cost_musd * static_cast<double>(s_.PlatformUnits(px)));
          Add(std::move(c));
        });
      });
    }
  }

  // One unit of a gateway platform type translating between a standard of each side.
  void FromGateways(ElementIndex a, ElementIndex b) {
    const uint32_t pa = s_.platform(a), pb = s_.platform(b);
    for (uint32_t p : gateway_platforms_) {
      bool useful = false;
      for (const graph::GatewayRow& gw : g_.gateways(p)) {
        useful = useful || (s_.Speaks(pa, gw.standard_a) && s_.Speaks(pb, gw.standard_b)) ||
                 (s_.Speaks(pa, gw.standard_b) && s_.Speaks(pb, gw.standard_a));
      }
      if (!useful) continue;
      for (ElementIndex side : {a, b}) {
        v1::Candidate c;
        c.set_kind(v1::Candidate::GATEWAY_ELEMENT);
        v1::AddGatewayElement* add = c.add_changes()->mutable_add_gateway_element();
        add->set_platform(std::string(g_.Id(EntityKind::kPlatform, p)));
        add->set_nation(std::string(g_.Id(EntityKind::kNation, s_.nation(side))));
        c.set_cost_musd(g_.platform(p).unit_cost_musd);
        Add(std::move(c));
      }
    }
  }

  const Scenario& s_;
  const graph::TypedGraph& g_;
  std::vector<uint32_t> gateway_platforms_;
  std::vector<v1::Candidate> out_;
  absl::flat_hash_set<std::string> seen_;
};

// ---- The objective: baseline gaps closed, weighted, through an Evaluation ------------------

class Objective {
 public:
  explicit Objective(Scenario& s) : s_(s), ev_(s), n0_(s.num_elements()) {
    for (const IerTally& t : ev_.tally().iers) {
      g0_.push_back(t.gaps());
      w_.push_back(s.ier(static_cast<uint32_t>(w_.size())).weight);
      weighted_ = weighted_ || w_.back() != 1;
    }
    total0_ = ev_.tally().gaps();
    weighted0_ = WeightedLeft();
    tol_ = 1e-9 * (1 + weighted0_);
  }

  int64_t gaps_before() const { return total0_; }
  int64_t gaps_before(uint32_t k) const { return g0_[k]; }
  double weighted_before() const { return weighted0_; }
  double weight(uint32_t k) const { return w_[k]; }
  // Whether some IER's weight is not 1 (the weighted figures differ from the counts).
  bool weighted() const { return weighted_; }
  // Weighted figures closer than this are ties (rounding of sums of weights).
  double tol() const { return tol_; }

  // Baseline gaps still open (all IERs, or IER k), and their weighted sum.
  int64_t GapsLeft() const {
    int64_t left = 0;
    for (uint32_t k = 0; k < g0_.size(); ++k) left += GapsLeft(k);
    return left;
  }
  int64_t GapsLeft(uint32_t k) const { return ev_.tally().iers[k].gaps() - AddedGaps(k); }
  double WeightedLeft() const {
    double left = 0;
    for (uint32_t k = 0; k < g0_.size(); ++k) left += w_[k] * static_cast<double>(GapsLeft(k));
    return left;
  }
  // Net baseline gaps closed so far: weighted (the objective), and counted.
  double Closed() const { return weighted0_ - WeightedLeft(); }
  int64_t ClosedCount() const { return total0_ - GapsLeft(); }

  // Applies every change of c and returns how many, for Undo; or -1 (and nothing applied) when
  // a change cannot apply in the current state (e.g. an upgrade from a version another chosen
  // upgrade already left): the candidate is not compatible with what is applied.
  int Apply(const v1::Candidate& c) {
    int applied = 0;
    for (const v1::Change& ch : c.changes()) {
      if (!ev_.Apply(ch).ok()) {
        Undo(applied);
        return -1;
      }
      ++applied;
    }
    return applied;
  }
  void Undo(int applied) {
    for (; applied > 0; --applied) ev_.Undo();
  }

  const Evaluation& evaluation() const { return ev_; }
  uint32_t base_elements() const { return n0_; }

 private:
  // Gaps of IER k's units that are not baseline units. ALL_PAIRS: the pairs with an added end.
  // Coverage (units.h): the added elements of the served side (an added counterpart only
  // changes which baseline units are served, and that is in the tally already).
  int64_t AddedGaps(uint32_t k) const {
    if (s_.num_elements() == n0_) return 0;
    const graph::ResolvedIer& ier = s_.ier(k);
    int64_t gaps = 0;
    if (IsCoverage(ier.coverage)) {
      for (ElementIndex e : s_.added_members(k, ServedSide(ier.coverage))) {
        gaps += EvaluateCoverageUnit(s_, ev_.levels(), k, e).eval.gap();
      }
      return gaps;
    }
    const InteropLevels& lv = ev_.levels().strict;
    const int m = ier.min_level;
    auto gap = [&](ElementIndex x, ElementIndex y) {
      return !(lv.present(x) && lv.present(y) && lv.Level(x, y) >= m);
    };
    for (ElementIndex e : s_.added_members(k, 0)) {
      s_.ForEachMember(k, 1, [&](ElementIndex y) { gaps += y != e && gap(e, y); });
    }
    for (ElementIndex e : s_.added_members(k, 1)) {
      for (ElementIndex x : ier.from) gaps += x != e && gap(x, e);
    }
    return gaps;
  }

  Scenario& s_;
  Evaluation ev_;
  uint32_t n0_;
  std::vector<int64_t> g0_;
  std::vector<double> w_;
  bool weighted_ = false;
  int64_t total0_ = 0;
  double weighted0_ = 0;
  double tol_ = 0;
};

// ---- Searches -------------------------------------------------------------------------------

struct Searched {
  v1::Candidate candidate;
  double gain = 0;  // weighted gaps closed alone, net (the objective)
  bool monotone = true;
};

using Clock = std::chrono::steady_clock;

// Reports progress at most once a second (nothing when no callback is set).
class Progress {
 public:
  explicit Progress(const std::function<void(const std::string&)>& f) : f_(f) {}
  template <typename... Args>
  void Tick(const Args&... what) {
    if (!f_) return;
    const Clock::time_point now = Clock::now();
    if (now - last_ < std::chrono::seconds(1)) return;
    last_ = now;
    f_(absl::StrCat(what...));
  }

 private:
  const std::function<void(const std::string&)>& f_;
  Clock::time_point last_ = Clock::now();
};

// What a search optimises: weighted gaps left on all IERs, or gaps left on one (its weight is a
// constant factor there).
struct Goal {
  int ier = -1;  // < 0: all IERs
  double Left(const Objective& o) const {
    return ier < 0 ? o.WeightedLeft() : static_cast<double>(o.GapsLeft(static_cast<uint32_t>(ier)));
  }
};

struct Limits {
  int64_t max_nodes;
  Clock::time_point deadline;
  Progress* progress = nullptr;  // ticked as nodes are visited (may be null)
};

// Branch and bound for the most weighted gaps closed within the budget (then least cost, then
// earliest candidates); weighted figures within o.tol() are ties. Returns false when a limit
// stopped it.
class MaxClosedSearch {
 public:
  MaxClosedSearch(Objective& o, const std::vector<Searched>& c, double budget, Limits limits)
      : o_(o), c_(c), budget_(budget), limits_(limits), tol_(o.tol()) {
    upgrade_from_.assign(c.size() + 1, false);
    for (size_t i = c.size(); i-- > 0;) upgrade_from_[i] = upgrade_from_[i + 1] || !c[i].monotone;
  }
  bool Run() {
    best_left_ = goal_.Left(o_);
    best_cost_ = 0;
    Dfs(0, 0.0);
    return !aborted_;
  }
  const std::vector<int>& best() const { return best_; }
  int64_t nodes() const { return nodes_; }
  const char* stopped_by() const { return stopped_by_; }

 private:
  void Dfs(size_t i, double cost) {
    if (aborted_) return;
    if (++nodes_ > limits_.max_nodes) {
      aborted_ = true;
      stopped_by_ = "node limit";
      return;
    }
    if ((nodes_ & 63) == 0) {
      if (Clock::now() > limits_.deadline) {
        aborted_ = true;
        stopped_by_ = "time limit";
        return;
      }
      if (limits_.progress != nullptr) {
        limits_.progress->Tick("exact search: ", nodes_, " nodes, best so far leaves ",
                               best_left_, " gaps");
      }
    }
    const double left = goal_.Left(o_);
    if (left < best_left_ - tol_ || (left <= best_left_ + tol_ && cost < best_cost_)) {
      best_left_ = left;
      best_cost_ = cost;
      best_ = cur_;
    }
    if (i == c_.size()) return;
    // Bound: every remaining affordable candidate applied (valid while none can lower a level).
    if (!upgrade_from_[i]) {
      int applied = 0;
      for (size_t j = i; j < c_.size(); ++j) {
        if (c_[j].candidate.cost_musd() <= budget_ - cost) {
          applied += std::max(0, o_.Apply(c_[j].candidate));
        }
      }
      const double bound_left = goal_.Left(o_);
      o_.Undo(applied);
      if (bound_left > best_left_ + tol_ ||
          (bound_left >= best_left_ - tol_ && cost >= best_cost_)) {
        return;
      }
    }
    const double ci = c_[i].candidate.cost_musd();
    if (ci <= budget_ - cost) {
      const int applied = o_.Apply(c_[i].candidate);
      if (applied >= 0) {
        cur_.push_back(static_cast<int>(i));
        Dfs(i + 1, cost + ci);
        cur_.pop_back();
        o_.Undo(applied);
      }
    }
    Dfs(i + 1, cost);
  }

  Objective& o_;
  const std::vector<Searched>& c_;
  double budget_;
  Limits limits_;
  double tol_;
  Goal goal_;
  std::vector<bool> upgrade_from_;
  std::vector<int> cur_, best_;
  double best_left_ = 0;
  double best_cost_ = 0;
  int64_t nodes_ = 0;
  bool aborted_ = false;
  const char* stopped_by_ = "";
};

// Branch and bound for the cheapest set after which IER k has no gap.
class CheapestSatisfyingSearch {
 public:
  CheapestSatisfyingSearch(Objective& o, const std::vector<Searched>& c, uint32_t k, Limits limits)
      : o_(o), c_(c), k_(k), limits_(limits) {
    upgrade_from_.assign(c.size() + 1, false);
    for (size_t i = c.size(); i-- > 0;) upgrade_from_[i] = upgrade_from_[i + 1] || !c[i].monotone;
  }
  bool Run() {
    Dfs(0, 0.0);
    return !aborted_;
  }
  bool found() const { return found_; }
  const std::vector<int>& best() const { return best_; }
  int64_t nodes() const { return nodes_; }
  const char* stopped_by() const { return stopped_by_; }

 private:
  void Dfs(size_t i, double cost) {
    if (aborted_ || (found_ && cost >= best_cost_)) return;
    if (++nodes_ > limits_.max_nodes || ((nodes_ & 63) == 0 && Clock::now() > limits_.deadline)) {
      aborted_ = true;
      stopped_by_ = nodes_ > limits_.max_nodes ? "node limit" : "time limit";
      return;
    }
    if ((nodes_ & 63) == 0 && limits_.progress != nullptr) {
      limits_.progress->Tick("cheapest plan for the IER: ", nodes_, " nodes");
    }
    if (o_.GapsLeft(k_) == 0) {
      found_ = true;
      best_cost_ = cost;
      best_ = cur_;
      return;  // adding more only costs more
    }
    if (i == c_.size()) return;
    if (!upgrade_from_[i]) {  // feasibility: can the remaining candidates still satisfy it?
      int applied = 0;
      for (size_t j = i; j < c_.size(); ++j) applied += std::max(0, o_.Apply(c_[j].candidate));
      const int64_t left = o_.GapsLeft(k_);
      o_.Undo(applied);
      if (left > 0) return;
    }
    const int applied = o_.Apply(c_[i].candidate);
    if (applied >= 0) {
      cur_.push_back(static_cast<int>(i));
      Dfs(i + 1, cost + c_[i].candidate.cost_musd());
      cur_.pop_back();
      o_.Undo(applied);
    }
    Dfs(i + 1, cost);
  }

  Objective& o_;
  const std::vector<Searched>& c_;
  uint32_t k_;
  Limits limits_;
  std::vector<bool> upgrade_from_;
  std::vector<int> cur_, best_;
  bool found_ = false;
  double best_cost_ = 0;
  int64_t nodes_ = 0;
  bool aborted_ = false;
  const char* stopped_by_ = "";
};

// Whether (weighted gain a, cost ca) ranks before (gain b, cost cb): zero cost first (by gain),
// then more gain per unit cost; ties are broken by the caller (earlier candidate).
bool Ranks(double a, double ca, double b, double cb) {
  if ((ca == 0) != (cb == 0)) return ca == 0;
  if (ca == 0) return a > b;
  return a * cb > b * ca;
}

// Greedy: the candidate with the most weighted gaps closed per unit cost (zero-cost first, by
// weighted gaps),
// applied and left applied; returns the chosen. Lazy: candidates wait in a queue under their
// last measured gain and only the head is re-measured; it is taken when its fresh gain still
// ranks first. Gains can grow when candidates complement each other, so when the queue runs dry
// every unused affordable candidate is re-measured once more, and the greedy stops only when
// none closes anything. Each step's gain is measured at the moment it is taken.
std::vector<int> Greedy(Objective& o, const std::vector<Searched>& c, const Goal& goal,
                        double budget, int max_steps, bool stop_when_satisfied,
                        int* applied_total) {
  std::vector<int> chosen;
  std::vector<bool> used(c.size(), false);
  double cost = 0;
  const double tol = o.tol();
  struct Entry {
    double gain;
    double cost;
    int index;
  };
  auto worse = [](const Entry& x, const Entry& y) {  // heap order: the best on top
    if (Ranks(y.gain, y.cost, x.gain, x.cost)) return true;
    if (Ranks(x.gain, x.cost, y.gain, y.cost)) return false;
    return x.index > y.index;
  };
  std::vector<Entry> heap;
  auto measure = [&](int j) -> double {
    const int applied = o.Apply(c[j].candidate);
    if (applied < 0) return -1;
    const double left = goal.Left(o);
    o.Undo(applied);
    return left;
  };
  auto refill = [&]() {
    heap.clear();
    const double left = goal.Left(o);
    for (size_t j = 0; j < c.size(); ++j) {
      const double cj = c[j].candidate.cost_musd();
      if (used[j] || cj > budget - cost) continue;
      const double after = measure(static_cast<int>(j));
      if (after >= 0 && left - after > tol) heap.push_back({left - after, cj, static_cast<int>(j)});
    }
    std::make_heap(heap.begin(), heap.end(), worse);
  };
  refill();
  bool refilled = true;
  while (static_cast<int>(chosen.size()) < max_steps) {
    if (stop_when_satisfied && goal.Left(o) <= 0) break;
    if (heap.empty()) {
      if (refilled) break;
      refill();
      refilled = true;
      continue;
    }
    std::pop_heap(heap.begin(), heap.end(), worse);
    Entry e = heap.back();
    heap.pop_back();
    if (e.cost > budget - cost) continue;
    const double left = goal.Left(o);
    const double after = measure(e.index);
    if (after < 0 || left - after <= tol) continue;
    e.gain = left - after;
    if (!heap.empty() && worse(e, heap.front())) {  // no longer first: back in the queue
      heap.push_back(e);
      std::push_heap(heap.begin(), heap.end(), worse);
      continue;
    }
    *applied_total += std::max(0, o.Apply(c[e.index].candidate));
    used[e.index] = true;
    cost += e.cost;
    chosen.push_back(e.index);
    refilled = false;
  }
  return chosen;
}

// Drops the chosen candidates whose removal keeps the goal's gaps left as low (last first):
// free extras that close nothing, or whose gaps the others close too. Keeps the value, lowers
// or keeps the cost.
void Prune(Objective& o, const std::vector<Searched>& c, const Goal& goal,
           std::vector<int>* chosen) {
  auto left_with = [&](size_t skip) {
    int applied = 0;
    for (size_t j = 0; j < chosen->size(); ++j) {
      if (j != skip) applied += std::max(0, o.Apply(c[(*chosen)[j]].candidate));
    }
    const double left = goal.Left(o);
    o.Undo(applied);
    return left;
  };
  const double target = left_with(chosen->size());
  for (size_t i = chosen->size(); i-- > 0;) {
    if (left_with(i) <= target + o.tol()) {
      chosen->erase(chosen->begin() + static_cast<std::ptrdiff_t>(i));
    }
  }
}

// ---- Plan reporting -------------------------------------------------------------------------

// A baseline unit (units.h): an ordered pair of an ALL_PAIRS IER, or the served element of a
// coverage IER (`from` for EACH_FROM, `to` for EACH_TO; the other end is its baseline best
// counterpart, scenario::kNone when it has none, and is not used to judge it).
struct BaselineGap {
  uint32_t ier;
  ElementIndex from, to;
  v1::GapClass cls;
};

// Every unit of the mix's elements the IERs ask, IER order then ForEachUnit's order: the gaps
// (with their class) and the satisfied units (class UNSPECIFIED: a later upgrade may open them).
void BaselineUnits(const Scenario& s, const PolicyLevels& lv, std::vector<BaselineGap>* gaps,
                   std::vector<BaselineGap>* satisfied) {
  for (uint32_t k = 0; k < s.num_iers(); ++k) {
    ForEachUnit(s, lv, k, [&](const Unit& u) {
      (u.eval.gap() ? gaps : satisfied)->push_back({k, u.from, u.to, u.eval.cls});
    });
  }
}

class PlanWriter {
 public:
  PlanWriter(const Scenario& s, Objective& o, const std::vector<Searched>& c, int max_listed)
      : s_(s), o_(o), c_(c), max_listed_(max_listed) {
    BaselineUnits(s, o.evaluation().levels(), &open_, &satisfied_);
  }

  // Orders `chosen` step by step (each the most net weighted gaps closed of the rest that can
  // apply, then cheapest, then earliest) and fills the plan's steps and totals; the scenario is
  // restored on return.
  void Write(std::vector<int> chosen, v1::Plan* plan) {
    int applied_total = 0;
    double cost = 0;
    std::vector<BaselineGap> open = open_, satisfied = satisfied_;
    while (!chosen.empty()) {
      const double left = o_.WeightedLeft();
      size_t pick = 0;
      double pick_gain = 0;
      bool picked = false;
      for (size_t i = 0; i < chosen.size(); ++i) {
        const int applied = o_.Apply(c_[chosen[i]].candidate);
        if (applied < 0) continue;
        const double gain = left - o_.WeightedLeft();
        o_.Undo(applied);
        const double ci = c_[chosen[i]].candidate.cost_musd();
        const double cp = c_[chosen[pick]].candidate.cost_musd();
        if (!picked || gain > pick_gain + o_.tol() ||
            (gain >= pick_gain - o_.tol() && ci < cp)) {
          pick = i;
          pick_gain = gain;
          picked = true;
        }
      }
      const Searched& step_c = c_[chosen[pick]];
      chosen.erase(chosen.begin() + static_cast<std::ptrdiff_t>(pick));
      const int applied = o_.Apply(step_c.candidate);
      if (applied < 0) continue;  // cannot happen: the search applied the set in some order
      applied_total += applied;
      cost += step_c.candidate.cost_musd();
      v1::PlanStep* step = plan->add_steps();
      *step->mutable_candidate() = step_c.candidate;
      step->set_cumulative_cost_musd(cost);
      Account(&open, &satisfied, step);
      step->set_gaps_left(static_cast<int64_t>(open.size()));
      if (o_.weighted()) step->set_weighted_gaps_left(Weight(open));
    }
    int64_t opened = 0;
    double weighted_opened = 0;
    for (const BaselineGap& g : open) {
      if (g.cls != v1::GAP_CLASS_UNSPECIFIED) continue;
      ++opened;
      weighted_opened += o_.weight(g.ier);
    }
    plan->set_gaps_closed(static_cast<int64_t>(open_.size()) -
                          (static_cast<int64_t>(open.size()) - opened));
    plan->set_gaps_opened(opened);
    if (o_.weighted()) {
      plan->set_weighted_gaps_closed(Weight(open_) - (Weight(open) - weighted_opened));
      plan->set_weighted_gaps_opened(weighted_opened);
    }
    plan->set_cost_musd(cost);
    o_.Undo(applied_total);
  }

  // The plan's net weighted gaps closed (what the search maximises): a Write's result.
  static double WeightedNet(const Objective& o, const v1::Plan& plan) {
    return o.weighted() ? plan.weighted_gaps_closed() - plan.weighted_gaps_opened()
                        : static_cast<double>(plan.gaps_closed() - plan.gaps_opened());
  }

 private:
  // Sum of the units' weights, in list order.
  double Weight(const std::vector<BaselineGap>& units) const {
    double w = 0;
    for (const BaselineGap& g : units) w += o_.weight(g.ier);
    return w;
  }

  // Whether baseline unit g is satisfied now; for a coverage unit, *counterpart is set to the
  // best counterpart now (the element that serves it when satisfied).
  bool Satisfied(const BaselineGap& g, ElementIndex* counterpart) const {
    const graph::ResolvedIer& ier = s_.ier(g.ier);
    if (IsCoverage(ier.coverage)) {
      const ElementIndex served = ier.coverage == v1::EACH_TO ? g.to : g.from;
      const Unit u = EvaluateCoverageUnit(s_, o_.evaluation().levels(), g.ier, served);
      *counterpart = ier.coverage == v1::EACH_TO ? u.from : u.to;
      return !u.eval.gap();
    }
    const InteropLevels& lv = o_.evaluation().levels().strict;
    return lv.present(g.from) && lv.present(g.to) && lv.Level(g.from, g.to) >= ier.min_level;
  }

  // Moves the open gaps now satisfied into the step's closed list, and the satisfied units now
  // unsatisfied back to the open ones (counted as opened). A closed coverage unit is listed
  // with its served element and the counterpart that serves it after the step.
  void Account(std::vector<BaselineGap>* open, std::vector<BaselineGap>* satisfied,
               v1::PlanStep* step) const {
    std::vector<BaselineGap> still_open, still_satisfied;
    absl::flat_hash_map<uint32_t, std::array<int64_t, 4>> by_ier;
    int64_t closed = 0, opened = 0;
    double weighted_closed = 0, weighted_opened = 0;
    ElementIndex counterpart = scenario::kNone;
    for (const BaselineGap& g : *open) {
      if (!Satisfied(g, &counterpart)) {
        still_open.push_back(g);
        continue;
      }
      ++closed;
      weighted_closed += o_.weight(g.ier);
      by_ier[g.ier][g.cls]++;
      if (step->closed_size() < max_listed_ || max_listed_ < 0) {
        const v1::Coverage coverage = s_.ier(g.ier).coverage;
        const ElementIndex from = coverage == v1::EACH_TO ? counterpart : g.from;
        const ElementIndex to = coverage == v1::EACH_FROM ? counterpart : g.to;
        v1::IerPair* p = step->add_closed();
        p->set_ier(s_.ier(g.ier).name);
        if (from != scenario::kNone) p->set_from_element(std::string(s_.element_id(from)));
        if (to != scenario::kNone) p->set_to_element(std::string(s_.element_id(to)));
      }
      still_satisfied.push_back(g);
    }
    for (const BaselineGap& g : *satisfied) {
      if (Satisfied(g, &counterpart)) {
        still_satisfied.push_back(g);
      } else {
        ++opened;
        weighted_opened += o_.weight(g.ier);
        still_open.push_back(g);
      }
    }
    std::vector<uint32_t> iers;
    for (const auto& [k, n] : by_ier) iers.push_back(k);
    std::sort(iers.begin(), iers.end());
    for (uint32_t k : iers) {
      const std::array<int64_t, 4>& n = by_ier[k];
      v1::GapCounts* gc = step->add_closed_by_ier();
      gc->set_key(s_.ier(k).name);
      gc->set_policy(n[v1::POLICY]);
      gc->set_technical(n[v1::TECHNICAL]);
      gc->set_unavailable(n[v1::UNAVAILABLE]);
      gc->set_gaps(n[0] + n[v1::POLICY] + n[v1::TECHNICAL] + n[v1::UNAVAILABLE]);
    }
    step->set_gaps_closed(closed);
    step->set_gaps_opened(opened);
    if (o_.weighted()) {
      step->set_weighted_gaps_closed(weighted_closed);
      step->set_weighted_gaps_opened(weighted_opened);
    }
    step->set_closed_omitted(closed - step->closed_size());
    *open = std::move(still_open);
    *satisfied = std::move(still_satisfied);
  }

  const Scenario& s_;
  Objective& o_;
  const std::vector<Searched>& c_;
  int max_listed_;
  // Baseline units: the gaps (with their class) and the satisfied ones (class UNSPECIFIED).
  std::vector<BaselineGap> open_, satisfied_;
};

}  // namespace

std::vector<v1::Candidate> GenerateCandidates(const Scenario& s, int max_gaps_scanned) {
  // A gap's candidates depend only on its two element classes (platform, nation) and the
  // required level: detail one gap per (from class, to class, level), in IER then unit order
  // (units.h), up to max_gaps_scanned of them. Gaps of absent elements have no candidates; a
  // coverage gap is represented by its served element and best counterpart (DetailGaps
  // re-evaluates the unit), and one with no present counterpart has none.
  const PolicyLevels levels = ComputePolicyLevels(s);
  std::vector<PairRef> representatives;
  absl::flat_hash_set<std::tuple<ClassIndex, ClassIndex, int>> seen;
  const size_t limit = max_gaps_scanned < 0 ? SIZE_MAX : static_cast<size_t>(max_gaps_scanned);
  for (uint32_t k = 0; k < s.num_iers() && representatives.size() < limit; ++k) {
    const int m = s.ier(k).min_level;
    ForEachUnit(s, levels, k, [&](const Unit& u) {
      if (!u.eval.gap() || representatives.size() >= limit) return;
      if (u.from == scenario::kNone || u.to == scenario::kNone) return;
      if (!s.present(u.from) || !s.present(u.to)) return;
      if (seen.insert({s.class_of(u.from), s.class_of(u.to), m}).second) {
        representatives.push_back({k, u.from, u.to});
      }
    });
  }
  CandidateBuilder builder(s);
  for (const v1::Gap& gap : DetailGaps(s, levels, representatives)) builder.FromGap(gap);
  return builder.Take();
}

absl::StatusOr<v1::RecommendReport> Recommend(Scenario& s, const RecommendOptions& options) {
  v1::RecommendReport report;
  report.set_model_name(s.graph().model_name());
  report.set_mix_name(s.base_mix().name);
  int ier = -1;
  if (!options.ier.empty()) {
    for (uint32_t k = 0; k < s.num_iers(); ++k) {
      if (s.ier(k).name == options.ier) ier = static_cast<int>(k);
    }
    if (ier < 0) {
      return absl::NotFoundError(absl::StrCat("no IER named '", options.ier, "' in mix '",
                                              s.base_mix().name, "'"));
    }
    report.set_ier(options.ier);
  }
  const double budget = options.budget_musd >= 0 ? options.budget_musd : s.base_mix().budget_musd;
  const Clock::time_point deadline =
      Clock::now() + std::chrono::microseconds(static_cast<int64_t>(options.time_limit_s * 1e6));

  // 1. Candidates and their gains alone.
  std::vector<v1::Candidate> generated = GenerateCandidates(s, options.max_gaps_scanned);
  report.set_candidates_generated(static_cast<int32_t>(generated.size()));
  Objective o(s);
  report.set_gaps_before(o.gaps_before());
  if (o.weighted()) report.set_weighted_gaps_before(o.weighted_before());
  std::vector<Searched> all, useful;
  Progress progress(options.progress);
  size_t measured = 0;
  for (v1::Candidate& c : generated) {
    progress.Tick("measuring candidates: ", ++measured, " of ", generated.size());
    const int applied = o.Apply(c);
    if (applied < 0) continue;  // cannot apply to the mix as it stands
    Searched x;
    x.gain = o.Closed();
    x.monotone = c.kind() != v1::Candidate::UPGRADE;
    const int64_t count = o.ClosedCount();
    const int64_t ier_gain = ier < 0 ? 0 : o.gaps_before(ier) - o.GapsLeft(ier);
    o.Undo(applied);
    c.set_gaps_closed_alone(count);
    if (o.weighted()) c.set_weighted_gaps_closed_alone(x.gain);
    x.candidate = std::move(c);
    const bool gains = x.gain > o.tol();
    if (gains || ier_gain > 0) all.push_back(x);
    if (gains && x.candidate.cost_musd() <= budget) useful.push_back(std::move(x));
  }
  report.set_candidates_useful(static_cast<int32_t>(useful.size()));
  // Most weighted gaps first, then cheapest, then generation order (stable); upgrades last.
  // (Exact comparison keeps the order a strict weak one.)
  const double tol = o.tol();
  auto order = [](std::vector<Searched>& v) {
    std::stable_sort(v.begin(), v.end(), [](const Searched& a, const Searched& b) {
      if (a.monotone != b.monotone) return a.monotone;
      if (a.gain != b.gain) return a.gain > b.gain;
      return a.candidate.cost_musd() < b.candidate.cost_musd();
    });
  };
  order(useful);
  order(all);
  for (const Searched& x : useful) {
    if (report.candidates_size() >= options.max_candidates_listed) break;
    *report.add_candidates() = x.candidate;
  }
  report.set_candidates_omitted(static_cast<int32_t>(useful.size()) - report.candidates_size());
  if (!all.empty()) {
    const Searched* best = &all[0];
    for (const Searched& x : all) {
      if (x.gain > best->gain + tol ||
          (x.gain >= best->gain - tol && x.candidate.cost_musd() < best->candidate.cost_musd())) {
        best = &x;
      }
    }
    if (best->gain > tol) *report.mutable_best_single() = best->candidate;
  }

  // 2. The plan within the budget.
  PlanWriter writer(s, o, useful, options.max_listed);
  v1::Plan* plan = report.mutable_plan();
  plan->set_budget_musd(budget);
  bool exact = false;
  std::vector<int> chosen;
  if (static_cast<int>(useful.size()) <= options.max_exact_candidates) {
    MaxClosedSearch search(o, useful, budget, {options.max_nodes, deadline, &progress});
    exact = search.Run();
    plan->set_nodes(search.nodes());
    if (exact) {
      chosen = search.best();
    } else {
      plan->set_stopped_by(search.stopped_by());
    }
  } else {
    plan->set_stopped_by("candidates");
  }
  if (!exact) {
    if (options.progress) {
      options.progress(absl::StrCat("greedy plan over ", useful.size(), " candidates"));
    }
    int applied = 0;
    chosen = Greedy(o, useful, Goal{}, budget, options.max_steps, false, &applied);
    o.Undo(applied);
  }
  Prune(o, useful, Goal{}, &chosen);
  plan->set_method(exact ? v1::Plan::EXACT : v1::Plan::GREEDY);
  writer.Write(chosen, plan);
  if (exact) {
    plan->set_bound(plan->gaps_closed() - plan->gaps_opened());
    if (o.weighted()) plan->set_weighted_bound(PlanWriter::WeightedNet(o, *plan));
  } else {
    bool monotone = true;
    for (const Searched& x : useful) monotone = monotone && x.monotone;
    int applied = 0;
    for (const Searched& x : useful) applied += std::max(0, o.Apply(x.candidate));
    plan->set_bound(monotone ? o.ClosedCount() : o.gaps_before());
    if (o.weighted()) plan->set_weighted_bound(monotone ? o.Closed() : o.weighted_before());
    o.Undo(applied);
  }

  // 3. The cheapest plan that satisfies one IER.
  if (ier >= 0) {
    const uint32_t k = static_cast<uint32_t>(ier);
    v1::Plan* ip = report.mutable_ier_plan();
    ip->set_budget_musd(-1);
    if (o.GapsLeft(k) == 0) {
      ip->set_method(v1::Plan::EXACT);  // already satisfied: the empty plan
    } else {
      std::vector<Searched> relevant;
      bool monotone = true;
      for (const Searched& x : all) {
        const int applied = o.Apply(x.candidate);
        if (applied < 0) continue;
        const bool helps = o.GapsLeft(k) < o.gaps_before(k);
        o.Undo(applied);
        if (helps) {
          relevant.push_back(x);
          monotone = monotone && x.monotone;
        }
      }
      // With every relevant candidate applied (a valid test only when none can lower a level;
      // with upgrades the search below decides).
      int64_t unclosable = 0;
      if (monotone) {
        int applied = 0;
        for (const Searched& x : relevant) applied += std::max(0, o.Apply(x.candidate));
        unclosable = o.GapsLeft(k);
        o.Undo(applied);
      }
      if (unclosable > 0 || relevant.empty()) {
        report.set_ier_gaps_unclosable(relevant.empty() ? o.GapsLeft(k) : unclosable);
        report.set_ier_unclosable_proven(true);
      } else {
        bool ier_exact = false;
        std::vector<int> ier_chosen;
        bool no_plan = false;  // no satisfying plan to write
        if (static_cast<int>(relevant.size()) <= options.max_exact_candidates) {
          CheapestSatisfyingSearch search(o, relevant, k,
                                          {options.max_nodes, deadline, &progress});
          const bool complete = search.Run();
          ier_exact = complete && search.found();
          no_plan = complete && !search.found();
          ip->set_nodes(search.nodes());
          if (ier_exact) ier_chosen = search.best();
          if (!complete) ip->set_stopped_by(search.stopped_by());
        } else {
          ip->set_stopped_by("candidates");
        }
        if (no_plan) {
          // The complete search found no satisfying set: report what the greedy leaves.
          int greedy_applied = 0;
          Greedy(o, relevant, Goal{ier}, 1e300, static_cast<int>(relevant.size()), true,
                 &greedy_applied);
          report.set_ier_gaps_unclosable(std::max<int64_t>(1, o.GapsLeft(k)));
          report.set_ier_unclosable_proven(true);
          o.Undo(greedy_applied);
          ip->Clear();
        } else if (!ier_exact) {
          if (monotone) {
            // Every relevant candidate together satisfies it (checked above): start from all of
            // them and drop what the rest make redundant, dearest first.
            for (size_t j = 0; j < relevant.size(); ++j) ier_chosen.push_back(static_cast<int>(j));
            std::stable_sort(ier_chosen.begin(), ier_chosen.end(), [&](int x, int y) {
              return relevant[x].candidate.cost_musd() < relevant[y].candidate.cost_musd();
            });
          } else {
            int greedy_applied = 0;
            ier_chosen = Greedy(o, relevant, Goal{ier}, 1e300,
                                static_cast<int>(relevant.size()), true, &greedy_applied);
            o.Undo(greedy_applied);
          }
          Prune(o, relevant, Goal{ier}, &ier_chosen);
          // Greedy may fail to satisfy it (upgrades can undo each other): then say so.
          int applied_all = 0;
          for (int j : ier_chosen) applied_all += std::max(0, o.Apply(relevant[j].candidate));
          const int64_t left = o.GapsLeft(k);
          o.Undo(applied_all);
          if (left > 0) {
            report.set_ier_gaps_unclosable(left);
            no_plan = true;  // not proven: ier_unclosable_proven stays false
            ip->Clear();
          }
        }
        if (!no_plan) {
          ip->set_method(ier_exact ? v1::Plan::EXACT : v1::Plan::GREEDY);
          PlanWriter ier_writer(s, o, relevant, options.max_listed);
          ier_writer.Write(ier_chosen, ip);
          ip->set_bound(ip->gaps_closed() - ip->gaps_opened());
          if (o.weighted()) ip->set_weighted_bound(PlanWriter::WeightedNet(o, *ip));
        }
      }
    }
  }
  return report;
}

}  // namespace coalition::analysis
