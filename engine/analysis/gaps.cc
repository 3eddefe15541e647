#include "engine/analysis/gaps.h"

#include <algorithm>
#include <climits>
#include <map>
#include <queue>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "engine/analysis/units.h"

namespace coalition::analysis {
namespace {

namespace v1 = ::coalition::v1;
using graph::EdgeKind;
using graph::EntityKind;
using graph::NodeId;
using graph::TypedGraph;
using scenario::ChannelIndex;

// A gap before it is detailed.
struct RawGap {
  int shortfall;  // required - achieved
  uint32_t ier;
  uint32_t from_pos;  // element indices (mix order)
  uint32_t to_pos;
  uint8_t achieved;
  uint8_t relaxed;
  v1::GapClass cls;
};

// Worst first: larger shortfall, then earlier IER, then earlier from / to.
bool Worse(const RawGap& x, const RawGap& y) {
  return std::make_tuple(-x.shortfall, x.ier, x.from_pos, x.to_pos) <
         std::make_tuple(-y.shortfall, y.ier, y.from_pos, y.to_pos);
}

void Count(v1::GapCounts* c, v1::GapClass cls, int64_t n = 1) {
  c->set_gaps(c->gaps() + n);
  switch (cls) {
    case v1::POLICY:
      c->set_policy(c->policy() + n);
      break;
    case v1::TECHNICAL:
      c->set_technical(c->technical() + n);
      break;
    case v1::UNAVAILABLE:
      c->set_unavailable(c->unavailable() + n);
      break;
    default:
      break;
  }
}


// Typed details of one gap: layer, paths, policy blocks, fixes. No prose (engine/report writes
// the sentences).
class GapDetailer {
 public:
  GapDetailer(const scenario::Scenario& s, const PolicyLevels& levels)
      : s_(s), g_(s.graph()), strict_(levels.strict), relaxed_(levels.relaxed) {}

  void Detail(const RawGap& raw, int required, v1::Gap* gap) const {
    const ElementIndex a = raw.from_pos, b = raw.to_pos;
    if (raw.cls == v1::UNAVAILABLE) {
      gap->set_layer(v1::LAYER_AVAILABILITY);
      if (!strict_.present(a)) gap->add_absent_elements(std::string(s_.element_id(a)));
      if (!strict_.present(b) && b != a) gap->add_absent_elements(std::string(s_.element_id(b)));
      return;
    }
    const bool policy = raw.cls == v1::POLICY;
    const InteropLevels& lv = policy ? relaxed_ : strict_;
    std::vector<PathStep> path = lv.BestPath(a, b);
    for (const PathStep& st : path) AddStep(st, gap->add_best_path());
    if (policy) {
      gap->set_layer(v1::LAYER_POLICY);
      PolicyBlocks(a, b, path, required, gap);
      int releasability = 0, sharing = 0;
      for (const v1::PolicyBlock& pb : gap->policy_blocks()) {
        (pb.item_kind() == v1::PolicyBlock::INFORMATION_SHARING ? sharing : releasability)++;
      }
      if (releasability + sharing == 1) {
        const v1::PolicyBlock& pb = gap->policy_blocks(0);
        v1::Fix* fix = gap->add_fixes();
        if (sharing == 1) {
          v1::ShareInformation* share = fix->mutable_change()->mutable_share_information();
          share->set_nation_a(pb.nation());
          share->set_nation_b(pb.item());
        } else {
          v1::Release* release = fix->mutable_change()->mutable_release();
          release->set_item_kind(pb.item_kind() == v1::PolicyBlock::LINK ? v1::Release::LINK
                                                                           : v1::Release::STANDARD);
          release->set_item(pb.item());
          release->set_party(pb.nation());
        }
        fix->set_cost_musd(0);
      }
      return;
    }
    const int r = relaxed_.BaseLevel(a, b);
    std::vector<PathStep> rpath = relaxed_.BestPath(a, b);
    const bool common_link = CommonLink(a, b);
    gap->set_common_link(common_link);
    v1::Layer layer = common_link ? v1::LAYER_SYNTAX : v1::LAYER_BEARER;
    for (const PathStep& st : rpath) {
      if (st.level != r) continue;
      if (st.kind == PathStep::Kind::kGateway) layer = v1::LAYER_TRANSLATION;
      if (st.kind == PathStep::Kind::kVersionBridge && layer != v1::LAYER_TRANSLATION) {
        layer = v1::LAYER_VERSION;
      }
    }
    gap->set_layer(layer);
    if (r > strict_.BaseLevel(a, b)) {
      for (const PathStep& st : rpath) AddStep(st, gap->add_relaxed_path());
    }
    if (layer == v1::LAYER_BEARER || layer == v1::LAYER_SYNTAX) FitFix(a, b, required, gap);
  }

 private:
  void AddStep(const PathStep& st, v1::PathStep* out) const {
    out->set_level(st.level);
    const scenario::Channels& ch = s_.channels();
    auto set_channel = [&](ChannelIndex c) {
      out->set_link(std::string(g_.Id(EntityKind::kLink, ch.link(c))));
      if (!ch.is_voice(c)) out->set_standard(std::string(g_.Id(EntityKind::kStandard, ch.standard(c))));
    };
    switch (st.kind) {
      case PathStep::Kind::kElement:
        out->set_kind(v1::PathStep::ELEMENT);
        out->set_element(std::string(s_.element_id(st.index)));
        break;
      case PathStep::Kind::kChannel:
        out->set_kind(v1::PathStep::CHANNEL);
        set_channel(st.index);
        break;
      case PathStep::Kind::kVersionBridge:
        out->set_kind(v1::PathStep::VERSION_BRIDGE);
        set_channel(st.index);
        break;
      case PathStep::Kind::kGateway:
        out->set_kind(v1::PathStep::GATEWAY);
        out->set_element(std::string(s_.element_id(st.index)));
        break;
    }
  }

  bool CommonLink(ElementIndex a, ElementIndex b) const {
    bool common = false;
    const uint32_t pb = s_.platform(b);
    s_.ForEachFit(s_.platform(a), [&](uint32_t l) { common = common || s_.Fits(pb, l); });
    return common;
  }

  void Block(v1::PolicyBlock::ItemKind kind, NodeId item, uint32_t nation, v1::Gap* gap) const {
    const std::string item_id(g_.IdOf(item));
    const std::string nation_id(g_.Id(EntityKind::kNation, nation));
    for (const v1::PolicyBlock& pb : gap->policy_blocks()) {
      if (pb.item() == item_id && pb.nation() == nation_id) return;
    }
    v1::PolicyBlock* pb = gap->add_policy_blocks();
    pb->set_item_kind(kind);
    pb->set_item(item_id);
    pb->set_nation(nation_id);
    s_.ForEachReleasableTo(item, [&](NodeId r) { pb->add_releasable_to(std::string(g_.IdOf(r))); });
  }

  // Element e must be allowed both the link and the standard of channel c.
  void CheckJoin(ElementIndex e, ChannelIndex c, v1::Gap* gap) const {
    const uint32_t nation = s_.nation(e);
    const scenario::Channels& ch = s_.channels();
    const NodeId link = g_.Node(EntityKind::kLink, ch.link(c));
    if (!s_.MayUse(nation, link)) Block(v1::PolicyBlock::LINK, link, nation, gap);
    if (!ch.is_voice(c)) {
      const NodeId st = g_.Node(EntityKind::kStandard, ch.standard(c));
      if (!s_.MayUse(nation, st)) Block(v1::PolicyBlock::STANDARD, st, nation, gap);
    }
  }

  void PolicyBlocks(ElementIndex a, ElementIndex b, const std::vector<PathStep>& path,
                    int required, v1::Gap* gap) const {
    // Releasability along the relaxed path, needed only where the base level falls short.
    if (strict_.BaseLevel(a, b) < std::min(required, 3)) {
      for (size_t i = 0; i < path.size(); ++i) {
        const PathStep& st = path[i];
        if (st.kind != PathStep::Kind::kChannel) continue;
        if (i > 0 && path[i - 1].kind == PathStep::Kind::kElement) CheckJoin(a, st.index, gap);
        if (i + 1 < path.size() && path[i + 1].kind == PathStep::Kind::kElement) {
          CheckJoin(b, st.index, gap);
        }
        // A gateway must join the channels on both of its sides.
        if (i > 0 && path[i - 1].kind == PathStep::Kind::kGateway) {
          CheckJoin(path[i - 1].index, st.index, gap);
          CheckJoin(path[i - 1].index, path[i - 2].index, gap);
        }
      }
    }
    const uint32_t na = s_.nation(a), nb = s_.nation(b);
    if (required >= 4 && !s_.SharesInformation(na, nb)) {
      v1::PolicyBlock* pb = gap->add_policy_blocks();
      pb->set_item_kind(v1::PolicyBlock::INFORMATION_SHARING);
      pb->set_item(std::string(g_.Id(EntityKind::kNation, nb)));
      pb->set_nation(std::string(g_.Id(EntityKind::kNation, na)));
    }
  }

  // Cheapest Fit LINK to PLATFORM that gives a and b a common data channel.
  void FitFix(ElementIndex a, ElementIndex b, int required, v1::Gap* gap) const {
    if (required >= 4 && !s_.SharesInformation(s_.nation(a), s_.nation(b))) return;
    struct Candidate {
      double cost;
      absl::string_view link;
      absl::string_view platform;
    };
    std::vector<Candidate> cands;
    for (auto [x, y] : {std::pair{a, b}, std::pair{b, a}}) {
      s_.ForEachCommonChannelFit(x, y, [&](uint32_t l, uint32_t py) {
        cands.push_back({g_.link(l).retrofit_cost_musd * static_cast<double>(s_.PlatformUnits(py)),
                         g_.Id(EntityKind::kLink, l), g_.Id(EntityKind::kPlatform, py)});
      });
    }
    if (cands.empty()) return;
    auto best = std::min_element(cands.begin(), cands.end(), [](const auto& x, const auto& y) {
      return std::tie(x.cost, x.link, x.platform) < std::tie(y.cost, y.link, y.platform);
    });
    v1::Fix* fix = gap->add_fixes();
    fix->mutable_change()->mutable_fit()->set_link(std::string(best->link));
    fix->mutable_change()->mutable_fit()->set_platform(std::string(best->platform));
    fix->set_cost_musd(best->cost);
  }

  const scenario::Scenario& s_;
  const graph::TypedGraph& g_;
  const InteropLevels& strict_;
  const InteropLevels& relaxed_;
};

// The fields of a gap that come from its unit; a coverage gap's missing counterpart is an
// empty element id. A unit that is not a gap keeps only ier / from / to / coverage.
void FillGap(const scenario::Scenario& s, const graph::ResolvedIer& ier, const RawGap& raw,
             v1::Gap* gap) {
  gap->set_ier(ier.name);
  if (raw.from_pos != scenario::kNone) {
    gap->set_from_element(std::string(s.element_id(raw.from_pos)));
  }
  if (raw.to_pos != scenario::kNone) gap->set_to_element(std::string(s.element_id(raw.to_pos)));
  if (IsCoverage(ier.coverage)) gap->set_coverage(ier.coverage);
  if (raw.cls == v1::GAP_CLASS_UNSPECIFIED) return;
  gap->set_gap_class(raw.cls);
  gap->set_achieved_level(raw.achieved);
  gap->set_required_level(ier.min_level);
  gap->set_relaxed_level(raw.relaxed);
  if (IsCoverage(ier.coverage) && raw.cls == v1::UNAVAILABLE) {
    const ElementIndex served = ier.coverage == v1::EACH_TO ? raw.to_pos : raw.from_pos;
    if (!s.present(served)) gap->add_absent_elements(std::string(s.element_id(served)));
    gap->set_layer(v1::LAYER_AVAILABILITY);
  }
}

// Gap counts per unordered (nation, nation) or (platform, platform) pair of local indices, by
// class, gathered as entries and reduced once by a radix sort on the dense pair key (no hash map
// on the per-pair path).
struct TallyEntry {
  uint64_t key;   // min * count + max
  uint64_t n_cls;  // (count << 2) | class
};
struct PairTally {
  uint64_t key;
  int64_t n[4] = {0, 0, 0, 0};  // by GapClass
};

std::vector<PairTally> ReduceTally(std::vector<TallyEntry>* entries) {
  std::vector<TallyEntry>& v = *entries;
  uint64_t max_key = 0;
  for (const TallyEntry& e : v) max_key = std::max(max_key, e.key);
  // As few passes as digits of at most 12 bits allow, the digits as even as possible.
  int key_bits = 0;
  while (key_bits < 64 && (max_key >> key_bits) != 0) ++key_bits;
  const int passes = (key_bits + 11) / 12;
  const int bits = passes == 0 ? 0 : (key_bits + passes - 1) / passes;
  std::vector<TallyEntry> tmp(passes > 0 ? v.size() : 0);
  std::vector<size_t> count(size_t{1} << bits);
  const uint64_t mask = (uint64_t{1} << bits) - 1;
  for (int pass = 0, shift = 0; pass < passes; ++pass, shift += bits) {
    std::fill(count.begin(), count.end(), 0);
    for (const TallyEntry& e : v) ++count[(e.key >> shift) & mask];
    size_t sum = 0;
    for (size_t& c : count) sum += std::exchange(c, sum);
    for (const TallyEntry& e : v) tmp[count[(e.key >> shift) & mask]++] = e;
    v.swap(tmp);
  }
  std::vector<PairTally> out;
  for (const TallyEntry& e : v) {
    if (out.empty() || out.back().key != e.key) out.push_back(PairTally{e.key});
    out.back().n[e.n_cls & 3] += static_cast<int64_t>(e.n_cls >> 2);
  }
  return out;
}

// An ALL_PAIRS IER evaluated per element-class pair (elements of one class have the same
// levels): its members, their rows / columns (the classes of the from / to members), and one
// code per (row, column) for the present pairs: achieved level (bits 0-2), relaxed level (bits
// 3-5), class (bits 6-7: 0 satisfied, 1 POLICY, 2 TECHNICAL). A pair with an absent end is
// UNAVAILABLE (or satisfied at level 0 when the minimum is 0).
struct PairGrid {
  uint32_t ier = 0;
  std::vector<ElementIndex> from, to;
  std::vector<uint32_t> row, col;  // per member position
  uint32_t cols = 0;
  std::vector<uint8_t> code;       // rows x cols
  int64_t by_shortfall[5] = {0, 0, 0, 0, 0};

  // The unit of members i (from) and j (to), as EvaluatePair gives it.
  PairEval Eval(const scenario::Scenario& s, int min_level, size_t i, size_t j) const {
    if (!s.present(from[i]) || !s.present(to[j])) {
      return 0 >= min_level ? PairEval{0, 0, v1::GAP_CLASS_UNSPECIFIED}
                            : PairEval{0, 0, v1::UNAVAILABLE};
    }
    const uint8_t c = code[size_t{row[i]} * cols + col[j]];
    static constexpr v1::GapClass kCls[3] = {v1::GAP_CLASS_UNSPECIFIED, v1::POLICY,
                                             v1::TECHNICAL};
    return PairEval{c & 7, (c >> 3) & 7, kCls[c >> 6]};
  }
};

}  // namespace


v1::GapReport AnalyzeGaps(const scenario::Scenario& s, const PolicyLevels& levels,
                          const GapOptions& options) {
  const TypedGraph& g = s.graph();
  v1::GapReport report;
  report.set_model_name(g.model_name());
  report.set_mix_name(s.base_mix().name);
  report.set_elements(static_cast<int32_t>(s.num_elements()));
  int64_t units = 0;
  double cost = 0;
  constexpr uint32_t kAhead = 16;  // the platform rows are read in element order: prefetch
  for (ElementIndex e = 0; e < s.num_elements(); ++e) {
    if (e + kAhead < s.num_elements()) __builtin_prefetch(&g.platform(s.platform(e + kAhead)));
    units += s.quantity(e);
    cost += static_cast<double>(s.quantity(e)) * g.platform(s.platform(e)).unit_cost_musd;
  }
  report.set_units(units);
  report.set_cost_musd(cost);
  report.set_max_gaps(options.max_gaps);

  int64_t histogram[5] = {0, 0, 0, 0, 0};
  int64_t class_counts[4] = {0, 0, 0, 0};
  const uint64_t num_nations = g.Count(EntityKind::kNation);
  const uint64_t num_platforms = g.Count(EntityKind::kPlatform);
  std::vector<TallyEntry> nation_entries, platform_entries;
  auto platform_tally = [&](uint32_t pa, uint32_t pb, v1::GapClass cls, int64_t n) {
    platform_entries.push_back({std::min(pa, pb) * num_platforms + std::max(pa, pb),
                                (static_cast<uint64_t>(n) << 2) | static_cast<uint32_t>(cls)});
  };
  auto nation_tally = [&](uint32_t na, uint32_t nb, v1::GapClass cls, int64_t n) {
    nation_entries.push_back({std::min(na, nb) * num_nations + std::max(na, nb),
                              (static_cast<uint64_t>(n) << 2) | static_cast<uint32_t>(cls)});
  };
  auto tally = [&](uint32_t na, uint32_t nb, uint32_t pa, uint32_t pb, v1::GapClass cls,
                   int64_t n) {
    nation_tally(na, nb, cls, n);
    platform_tally(pa, pb, cls, n);
  };
  // The nation tally of one grid row (one from class, so one nation) is gathered densely per
  // partner nation and flushed once per row: far fewer entries than class pairs.
  std::vector<int64_t> row_nation(num_nations * 4, 0);  // (nation, GapClass) -> gaps
  std::vector<uint32_t> row_nations;                    // partner nations touched
  auto row_nation_add = [&](uint32_t nb, v1::GapClass cls, int64_t n) {
    int64_t* slot = &row_nation[size_t{nb} * 4];
    if (slot[1] == 0 && slot[2] == 0 && slot[3] == 0) row_nations.push_back(nb);
    slot[cls] += n;
  };
  auto row_nation_flush = [&](uint32_t na) {
    for (uint32_t nb : row_nations) {
      int64_t* slot = &row_nation[size_t{nb} * 4];
      for (v1::GapClass cls : {v1::POLICY, v1::TECHNICAL, v1::UNAVAILABLE}) {
        if (slot[cls] != 0) nation_tally(na, nb, cls, std::exchange(slot[cls], 0));
      }
    }
    row_nations.clear();
  };
  // Bounded heap of the worst gaps: the top is the least bad kept.
  const size_t limit = options.max_gaps < 0 ? SIZE_MAX : static_cast<size_t>(options.max_gaps);
  std::priority_queue<RawGap, std::vector<RawGap>, decltype(&Worse)> kept(&Worse);
  auto offer = [&](const RawGap& raw) {
    if (kept.size() < limit) {
      kept.push(raw);
    } else if (limit > 0 && Worse(raw, kept.top())) {
      kept.pop();
      kept.push(raw);
    }
  };
  int64_t pairs_total = 0, satisfied_total = 0, gaps_total = 0;
  int64_t by_shortfall[5] = {0, 0, 0, 0, 0};
  int iers_satisfied = 0;

  // Scratch of the class-pair evaluation, shared by the IERs: the row / column of a class in the
  // current IER (stamped with the IER), whether an element is a from member of it.
  const uint32_t num_classes = s.num_classes();
  std::vector<uint32_t> class_stamp(2 * size_t{num_classes}, scenario::kNone);
  std::vector<uint32_t> class_slot(2 * size_t{num_classes});
  std::vector<uint32_t> from_stamp(s.num_elements(), scenario::kNone);
  std::vector<PairGrid> grids;
  std::vector<ClassIndex> present_cols;
  std::vector<uint32_t> present_col_index, need;
  std::vector<ClassIndex> need_classes;
  std::vector<uint8_t> base, rbase;
  std::vector<uint32_t> packed_cols;  // the strict records of the present columns, packed

  int64_t coverage_units = 0;
  double weighted_gaps = 0;
  for (uint32_t k = 0; k < s.num_iers(); ++k) {
    const graph::ResolvedIer& ier = s.ier(k);
    const int m = ier.min_level;
    v1::GapCounts* counts = report.add_by_ier();
    counts->set_key(ier.name);
    counts->set_coverage(ier.coverage);
    counts->set_weight(ier.weight);
    if (IsCoverage(ier.coverage)) {
      ForEachUnit(s, levels, k, [&](const Unit& u) {
        counts->set_pairs(counts->pairs() + 1);
        const PairEval& e = u.eval;
        histogram[e.achieved]++;
        if (!e.gap()) {
          counts->set_satisfied(counts->satisfied() + 1);
          return;
        }
        const v1::GapClass cls = e.cls;
        Count(counts, cls);
        class_counts[cls]++;
        by_shortfall[std::clamp(m - e.achieved, 0, 4)]++;
        // A coverage gap without a counterpart has one end only: it is in no pair bucket.
        if (u.from != scenario::kNone && u.to != scenario::kNone) {
          tally(s.nation(u.from), s.nation(u.to), s.platform(u.from), s.platform(u.to), cls, 1);
        }
        offer(RawGap{m - e.achieved, k, u.from, u.to, static_cast<uint8_t>(e.achieved),
                     static_cast<uint8_t>(e.relaxed), cls});
      });
      coverage_units += counts->pairs();
    } else {
      PairGrid& grid = grids.emplace_back();
      grid.ier = k;
      s.ForEachMember(k, 0, [&](ElementIndex e) { grid.from.push_back(e); });
      s.ForEachMember(k, 1, [&](ElementIndex e) { grid.to.push_back(e); });
      // Rows: the classes of the from members, with their present / absent counts; columns
      // likewise; "both": members of both sides (their pair with themselves is not asked).
      struct Side {
        ClassIndex c;
        uint32_t nation, platform;  // of the class
        int64_t present = 0, absent = 0, both_present = 0, both_absent = 0;
      };
      std::vector<Side> rows, cols;
      auto slot = [&](int side, ElementIndex e, std::vector<Side>* out) {
        const ClassIndex c = s.class_of(e);
        const size_t i = size_t{c} * 2 + side;
        if (class_stamp[i] != k) {
          class_stamp[i] = k;
          class_slot[i] = static_cast<uint32_t>(out->size());
          out->push_back(Side{c, s.class_nation(c), s.class_platform(c)});
        }
        return class_slot[i];
      };
      grid.row.reserve(grid.from.size());
      for (ElementIndex e : grid.from) {
        const uint32_t r = slot(0, e, &rows);
        grid.row.push_back(r);
        (s.present(e) ? rows[r].present : rows[r].absent)++;
        from_stamp[e] = k;
      }
      grid.col.reserve(grid.to.size());
      for (ElementIndex e : grid.to) {
        const uint32_t c = slot(1, e, &cols);
        grid.col.push_back(c);
        const bool present = s.present(e);
        (present ? cols[c].present : cols[c].absent)++;
        if (from_stamp[e] == k) (present ? cols[c].both_present : cols[c].both_absent)++;
      }
      grid.cols = static_cast<uint32_t>(cols.size());
      grid.code.assign(rows.size() * cols.size(), 0);
      present_cols.clear();
      present_col_index.clear();
      for (uint32_t j = 0; j < cols.size(); ++j) {
        if (cols[j].present == 0) continue;
        present_cols.push_back(cols[j].c);
        present_col_index.push_back(j);
      }
      base.resize(present_cols.size());
      // Levels of every class of this IER, derived in one pass.
      need_classes.clear();
      for (const Side& r : rows) {
        if (r.present > 0) need_classes.push_back(r.c);
      }
      if (!present_cols.empty()) {
        levels.strict.Prepare(need_classes);
        levels.strict.Prepare(present_cols);
        levels.strict.PackRecords(present_cols, &packed_cols);
      }
      int64_t n_pairs = 0, n_sat = 0, n_gap[4] = {0, 0, 0, 0};
      for (uint32_t i = 0; i < rows.size(); ++i) {
        const Side& r = rows[i];
        uint8_t* code = grid.code.data() + size_t{i} * cols.size();
        // Levels of the present pairs of this row: strict for all, relaxed where strict falls
        // short of the minimum.
        if (r.present > 0 && !present_cols.empty()) {
          levels.strict.ClassBaseLevels(r.c, packed_cols, present_cols.size(), base.data());
          need.clear();
          need_classes.clear();
          for (size_t j = 0; j < present_cols.size(); ++j) {
            int level = base[j];
            if (level == 3 && levels.strict.ClassesShare(r.c, present_cols[j])) level = 4;
            code[present_col_index[j]] = static_cast<uint8_t>(level | (level << 3));
            if (level < m) {
              need.push_back(static_cast<uint32_t>(j));
              need_classes.push_back(present_cols[j]);
            }
          }
          if (!need.empty()) {
            rbase.resize(need.size());
            levels.relaxed.ClassBaseLevels(r.c, need_classes, rbase.data());
            for (size_t x = 0; x < need.size(); ++x) {
              uint8_t& c = code[present_col_index[need[x]]];
              const int relaxed = rbase[x] == 3 ? 4 : rbase[x];
              c = static_cast<uint8_t>((c & 7) | (relaxed << 3) | ((relaxed >= m ? 1 : 2) << 6));
            }
          }
        }
        const uint32_t na = s.class_nation(r.c), pa = s.class_platform(r.c);
        for (uint32_t j = 0; j < cols.size(); ++j) {
          const Side& c = cols[j];
          const bool same = r.c == c.c;
          const int64_t present =
              r.present * c.present - (same ? c.both_present : 0);
          const int64_t all = (r.present + r.absent) * (c.present + c.absent) -
                              (same ? c.both_present + c.both_absent : 0);
          if (all == 0) continue;
          n_pairs += all;
          const int64_t absent = all - present;
          const uint32_t nb = c.nation, pb = c.platform;
          if (present > 0) {
            const uint8_t x = code[j];
            const int achieved = x & 7;
            histogram[achieved] += present;
            const int cls = x >> 6;
            if (cls == 0) {
              n_sat += present;
            } else {
              const v1::GapClass gc = cls == 1 ? v1::POLICY : v1::TECHNICAL;
              n_gap[gc] += present;
              grid.by_shortfall[std::clamp(m - achieved, 0, 4)] += present;
              row_nation_add(nb, gc, present);
              platform_tally(pa, pb, gc, present);
            }
          }
          if (absent > 0) {
            histogram[0] += absent;
            if (0 >= m) {
              n_sat += absent;
            } else {
              n_gap[v1::UNAVAILABLE] += absent;
              grid.by_shortfall[std::clamp(m, 0, 4)] += absent;
              row_nation_add(nb, v1::UNAVAILABLE, absent);
              platform_tally(pa, pb, v1::UNAVAILABLE, absent);
            }
          }
        }
        row_nation_flush(na);
      }
      counts->set_pairs(n_pairs);
      counts->set_satisfied(n_sat);
      for (v1::GapClass cls : {v1::POLICY, v1::TECHNICAL, v1::UNAVAILABLE}) {
        if (n_gap[cls] > 0) Count(counts, cls, n_gap[cls]);
        class_counts[cls] += n_gap[cls];
      }
      for (int x = 0; x <= 4; ++x) by_shortfall[x] += grid.by_shortfall[x];
    }
    weighted_gaps += ier.weight * static_cast<double>(counts->gaps());
    pairs_total += counts->pairs();
    satisfied_total += counts->satisfied();
    gaps_total += counts->gaps();
    if (counts->gaps() == 0) ++iers_satisfied;
  }
  // The worst gaps of the ALL_PAIRS IERs: only shortfalls that can make the first `limit` are
  // looked at (the smallest shortfall s with at least `limit` gaps at s or worse), element pairs
  // in member order, each read off its class pair's code.
  if (limit > 0 && gaps_total > 0) {
    int min_shortfall = 1;
    int64_t worse_or_equal = 0;
    for (int x = 4; x >= 1; --x) {
      worse_or_equal += by_shortfall[x];
      if (worse_or_equal >= static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX))) {
        min_shortfall = x;
        break;
      }
    }
    for (const PairGrid& grid : grids) {
      int64_t relevant = 0;
      for (int x = min_shortfall; x <= 4; ++x) relevant += grid.by_shortfall[x];
      if (relevant == 0) continue;
      const int m = s.ier(grid.ier).min_level;
      for (size_t i = 0; i < grid.from.size(); ++i) {
        for (size_t j = 0; j < grid.to.size(); ++j) {
          if (grid.from[i] == grid.to[j]) continue;
          const PairEval e = grid.Eval(s, m, i, j);
          if (!e.gap() || m - e.achieved < min_shortfall) continue;
          offer(RawGap{m - e.achieved, grid.ier, grid.from[i], grid.to[j],
                       static_cast<uint8_t>(e.achieved), static_cast<uint8_t>(e.relaxed), e.cls});
        }
      }
    }
  }
  report.set_coverage_units(coverage_units);
  report.set_weighted_gaps(weighted_gaps);
  report.set_pairs_evaluated(pairs_total);
  report.set_pairs_satisfied(satisfied_total);
  report.set_gaps_total(gaps_total);
  report.set_iers_total(static_cast<int32_t>(s.num_iers()));
  report.set_iers_satisfied(iers_satisfied);
  for (int level = 0; level <= 4; ++level) report.add_level_histogram(histogram[level]);
  for (v1::GapClass cls : {v1::POLICY, v1::TECHNICAL, v1::UNAVAILABLE}) {
    if (class_counts[cls] == 0) continue;
    v1::GapCounts* c = report.add_by_class();
    c->set_key(v1::GapClass_Name(cls));
    Count(c, cls, class_counts[cls]);
  }
  // Pair buckets, most gaps first, then key; at most `limit` of them become rows, and keys are
  // built only for the tallies that can make the cut (the limit-th largest total and above).
  auto emit_buckets = [&](std::vector<TallyEntry>* entries, EntityKind kind, uint64_t count,
                          google::protobuf::RepeatedPtrField<v1::GapCounts>* out) {
    const std::vector<PairTally> tally = ReduceTally(entries);
    if (limit == 0) return static_cast<int64_t>(tally.size());
    std::vector<std::pair<int64_t, uint32_t>> totals;  // (gaps, index in tally)
    totals.reserve(tally.size());
    for (uint32_t i = 0; i < tally.size(); ++i) {
      const PairTally& t = tally[i];
      totals.emplace_back(t.n[1] + t.n[2] + t.n[3], i);
    }
    if (totals.size() > limit) {
      std::nth_element(totals.begin(), totals.begin() + (limit - 1), totals.end(),
                       [](const auto& x, const auto& y) { return x.first > y.first; });
      const int64_t cut = totals[limit - 1].first;
      totals.erase(std::remove_if(totals.begin(), totals.end(),
                                  [cut](const auto& x) { return x.first < cut; }),
                   totals.end());
    }
    struct Row {
      int64_t gaps;
      absl::string_view first, second;  // first <= second
      uint32_t index;
    };
    std::vector<Row> rows;
    rows.reserve(totals.size());
    for (const auto& [gaps, index] : totals) {
      const uint64_t key = tally[index].key;
      absl::string_view x = g.Id(kind, static_cast<uint32_t>(key / count));
      absl::string_view y = g.Id(kind, static_cast<uint32_t>(key % count));
      if (y < x) std::swap(x, y);
      rows.push_back({gaps, x, y, index});
    }
    std::sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) {
      return x.gaps != y.gaps ? x.gaps > y.gaps
                              : std::tie(x.first, x.second) < std::tie(y.first, y.second);
    });
    if (rows.size() > limit) rows.resize(limit);
    out->Reserve(static_cast<int>(rows.size()));
    for (Row& row : rows) {
      v1::GapCounts* c = out->Add();
      c->set_key(std::string(row.first));
      c->set_second(std::string(row.second));
      const PairTally& t = tally[row.index];
      for (v1::GapClass cls : {v1::POLICY, v1::TECHNICAL, v1::UNAVAILABLE}) {
        if (t.n[cls] > 0) Count(c, cls, t.n[cls]);
      }
    }
    return static_cast<int64_t>(tally.size());
  };
  report.set_nation_pairs_total(emit_buckets(&nation_entries, EntityKind::kNation, num_nations,
                                             report.mutable_by_nation_pair()));
  report.set_platform_pairs_total(emit_buckets(&platform_entries, EntityKind::kPlatform,
                                               num_platforms, report.mutable_by_platform_pair()));

  std::vector<RawGap> listed;
  listed.reserve(kept.size());
  while (!kept.empty()) {
    listed.push_back(kept.top());
    kept.pop();
  }
  std::sort(listed.begin(), listed.end(), Worse);
  report.set_gaps_omitted(gaps_total - static_cast<int64_t>(listed.size()));
  GapDetailer detailer(s, levels);
  for (const RawGap& raw : listed) {
    const graph::ResolvedIer& ier = s.ier(raw.ier);
    v1::Gap* gap = report.add_gaps();
    FillGap(s, ier, raw, gap);
    if (raw.from_pos != scenario::kNone && raw.to_pos != scenario::kNone) {
      detailer.Detail(raw, ier.min_level, gap);
    }
  }
  return report;
}

std::vector<v1::Gap> DetailGaps(const scenario::Scenario& s, const PolicyLevels& levels,
                                absl::Span<const PairRef> pairs) {
  GapDetailer detailer(s, levels);
  std::vector<v1::Gap> out;
  out.reserve(pairs.size());
  for (const PairRef& p : pairs) {
    const graph::ResolvedIer& ier = s.ier(p.ier);
    v1::Gap& gap = out.emplace_back();
    Unit u{p.from, p.to, {}};
    if (IsCoverage(ier.coverage)) {
      u = EvaluateCoverageUnit(s, levels, p.ier,
                               ier.coverage == v1::EACH_TO ? p.to : p.from);
    } else {
      u.eval = EvaluatePair(levels, p.from, p.to, ier.min_level);
    }
    const PairEval& e = u.eval;
    const RawGap raw{ier.min_level - e.achieved, p.ier, u.from, u.to,
                     static_cast<uint8_t>(e.achieved), static_cast<uint8_t>(e.relaxed), e.cls};
    FillGap(s, ier, raw, &gap);
    if (!e.gap()) continue;
    if (u.from != scenario::kNone && u.to != scenario::kNone) {
      detailer.Detail(raw, ier.min_level, &gap);
    }
  }
  return out;
}

v1::InteropMatrix BuildMatrix(const scenario::Scenario& s, const InteropLevels& strict) {
  v1::InteropMatrix m;
  m.set_model_name(s.graph().model_name());
  m.set_mix_name(s.base_mix().name);
  const uint32_t n = s.num_elements();
  for (ElementIndex e = 0; e < n; ++e) m.add_elements(std::string(s.element_id(e)));
  // The caller bounds the matrix (tools: CheckMatrixBudget); never reserve past int range.
  const size_t cells = size_t{n} * n;
  m.mutable_levels()->Reserve(cells > INT_MAX ? INT_MAX : static_cast<int>(cells));
  for (ElementIndex a = 0; a < n; ++a) {
    for (ElementIndex b = 0; b < n; ++b) m.add_levels(strict.Level(a, b));
  }
  return m;
}

}  // namespace coalition::analysis
