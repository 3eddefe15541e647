#include "engine/analysis/gaps.h"

#include <algorithm>
#include <map>
#include <queue>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace coalition::analysis {
namespace {

namespace v1 = ::coalition::v1;
using graph::EdgeKind;
using graph::EntityKind;
using graph::NodeId;
using graph::TypedGraph;

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

std::string PairKey(absl::string_view a, absl::string_view b) {
  return a <= b ? absl::StrCat(a, "|", b) : absl::StrCat(b, "|", a);
}

class GapDetailer {
 public:
  GapDetailer(const TypedGraph& g, const graph::ResolvedMix& mix, const InteropLevels& strict,
              const InteropLevels& relaxed)
      : g_(g), mix_(mix), strict_(strict), relaxed_(relaxed) {}

  void Detail(const RawGap& raw, int required, v1::Gap* gap) const {
    const uint32_t a = raw.from_pos, b = raw.to_pos;
    if (raw.cls == v1::UNAVAILABLE) {
      gap->set_layer(v1::LAYER_AVAILABILITY);
      std::vector<std::string> absent;
      if (!strict_.present(a)) absent.push_back(mix_.element_ids[a]);
      if (!strict_.present(b) && b != a) absent.push_back(mix_.element_ids[b]);
      gap->set_explanation(absl::StrCat(absl::StrJoin(absent, " and "),
                                        absent.size() > 1 ? " are" : " is",
                                        " absent (removed or grounded by the what-if)"));
      return;
    }
    const bool policy = raw.cls == v1::POLICY;
    const InteropLevels& lv = policy ? relaxed_ : strict_;
    std::vector<PathStep> path = lv.BestPath(a, b);
    for (const PathStep& s : path) AddStep(lv, s, gap->add_best_path());

    std::string expl = absl::StrCat(mix_.element_ids[a], " reaches ", mix_.element_ids[b], " at ",
                                    raw.achieved, " (", LevelName(raw.achieved), "); needs ",
                                    required, " (", LevelName(required), ")");
    if (policy) {
      gap->set_layer(v1::LAYER_POLICY);
      PolicyBlocks(a, b, path, required, gap);
      std::vector<std::string> why;
      for (const v1::PolicyBlock& pb : gap->policy_blocks()) {
        if (pb.item_kind() == v1::PolicyBlock::INFORMATION_SHARING) {
          why.push_back(absl::StrCat("no information-sharing arrangement between ", pb.nation(),
                                     " and ", pb.item()));
        } else {
          why.push_back(absl::StrCat(pb.item(), " is not releasable to ", pb.nation(),
                                     " (releasable to ", absl::StrJoin(pb.releasable_to(), ", "),
                                     ")"));
        }
      }
      absl::StrAppend(&expl, ". With policy relaxed it reaches ", raw.relaxed, " via ",
                      PathText(relaxed_, path), "; blocked by policy: ", absl::StrJoin(why, "; "));
      int releasability = 0, sharing = 0;
      for (const v1::PolicyBlock& pb : gap->policy_blocks()) {
        (pb.item_kind() == v1::PolicyBlock::INFORMATION_SHARING ? sharing : releasability)++;
      }
      if (releasability == 1 && sharing == 0) {
        const v1::PolicyBlock& pb = gap->policy_blocks(0);
        gap->set_suggested_fix(absl::StrCat("release ", pb.item(), " to ", pb.nation()));
      }
    } else {
      const int r = relaxed_.BaseLevel(a, b);
      std::vector<PathStep> rpath = relaxed_.BestPath(a, b);
      const bool common_link = CommonLink(a, b);
      v1::Layer layer = common_link ? v1::LAYER_SYNTAX : v1::LAYER_BEARER;
      for (const PathStep& s : rpath) {
        if (s.level != r) continue;
        if (s.kind == PathStep::Kind::kGateway) layer = v1::LAYER_TRANSLATION;
        if (s.kind == PathStep::Kind::kVersionBridge && layer != v1::LAYER_TRANSLATION) {
          layer = v1::LAYER_VERSION;
        }
      }
      gap->set_layer(layer);
      switch (layer) {
        case v1::LAYER_BEARER:
          absl::StrAppend(&expl, ". Bearer: the two platforms fit no common link");
          break;
        case v1::LAYER_SYNTAX:
          absl::StrAppend(&expl, ". Syntax: they share a link but no standard over it");
          break;
        case v1::LAYER_VERSION:
          absl::StrAppend(&expl, ". Version: only the same standard family at different versions");
          break;
        case v1::LAYER_TRANSLATION:
          absl::StrAppend(&expl, ". Translation: only through a gateway");
          break;
        default:
          break;
      }
      if (!path.empty()) absl::StrAppend(&expl, "; best path ", PathText(strict_, path));
      if (r > strict_.BaseLevel(a, b) && !rpath.empty()) {
        absl::StrAppend(&expl, "; with policy relaxed ", raw.relaxed, " via ",
                        PathText(relaxed_, rpath));
      }
      if (layer == v1::LAYER_BEARER || layer == v1::LAYER_SYNTAX) {
        gap->set_suggested_fix(FitFix(a, b, required));
      }
    }
    gap->set_explanation(expl);
  }

 private:
  void AddStep(const InteropLevels& lv, const PathStep& s, v1::PathStep* out) const {
    out->set_level(s.level);
    switch (s.kind) {
      case PathStep::Kind::kElement:
        out->set_kind(v1::PathStep::ELEMENT);
        out->set_id(mix_.element_ids[s.index]);
        break;
      case PathStep::Kind::kChannel:
        out->set_kind(v1::PathStep::CHANNEL);
        out->set_id(lv.ChannelName(s.index));
        break;
      case PathStep::Kind::kVersionBridge:
        out->set_kind(v1::PathStep::VERSION_BRIDGE);
        out->set_id(lv.ChannelName(s.index));
        break;
      case PathStep::Kind::kGateway:
        out->set_kind(v1::PathStep::GATEWAY);
        out->set_id(mix_.element_ids[s.index]);
        break;
    }
  }

  std::string PathText(const InteropLevels& lv, const std::vector<PathStep>& path) const {
    std::vector<std::string> parts;
    for (const PathStep& s : path) {
      switch (s.kind) {
        case PathStep::Kind::kElement:
          parts.push_back(mix_.element_ids[s.index]);
          break;
        case PathStep::Kind::kChannel:
          parts.push_back(lv.ChannelName(s.index));
          break;
        case PathStep::Kind::kVersionBridge:
          parts.push_back("[version bridge]");
          break;
        case PathStep::Kind::kGateway:
          parts.push_back(absl::StrCat("[gateway ", mix_.element_ids[s.index], "]"));
          break;
      }
    }
    return absl::StrJoin(parts, " -> ");
  }

  bool CommonLink(uint32_t a, uint32_t b) const {
    auto la = g_.Neighbors(g_.Node(EntityKind::kPlatform, mix_.platform[a]), EdgeKind::kFits);
    auto lb = g_.Neighbors(g_.Node(EntityKind::kPlatform, mix_.platform[b]), EdgeKind::kFits);
    for (NodeId x : la) {
      if (std::find(lb.begin(), lb.end(), x) != lb.end()) return true;
    }
    return false;
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
    for (NodeId r : g_.Neighbors(item, EdgeKind::kReleasableTo)) {
      pb->add_releasable_to(std::string(g_.IdOf(r)));
    }
  }

  // Element e must be allowed both the link and the standard of channel c.
  void CheckJoin(uint32_t e, uint32_t c, v1::Gap* gap) const {
    const uint32_t nation = mix_.nation[e];
    const NodeId link = g_.Node(EntityKind::kLink, relaxed_.channel_link(c));
    if (!graph::MayUse(g_, nation, link)) Block(v1::PolicyBlock::LINK, link, nation, gap);
    if (relaxed_.channel_standard(c) != InteropLevels::kNoStandard) {
      const NodeId s = g_.Node(EntityKind::kStandard, relaxed_.channel_standard(c));
      if (!graph::MayUse(g_, nation, s)) Block(v1::PolicyBlock::STANDARD, s, nation, gap);
    }
  }

  void PolicyBlocks(uint32_t a, uint32_t b, const std::vector<PathStep>& path, int required,
                    v1::Gap* gap) const {
    // Releasability along the relaxed path, needed only where the base level falls short.
    if (strict_.BaseLevel(a, b) < std::min(required, 3)) {
      for (size_t i = 0; i < path.size(); ++i) {
        const PathStep& s = path[i];
        if (s.kind != PathStep::Kind::kChannel) continue;
        if (i > 0 && path[i - 1].kind == PathStep::Kind::kElement) CheckJoin(a, s.index, gap);
        if (i + 1 < path.size() && path[i + 1].kind == PathStep::Kind::kElement) {
          CheckJoin(b, s.index, gap);
        }
        // A gateway must join the channels on both of its sides.
        if (i > 0 && path[i - 1].kind == PathStep::Kind::kGateway) {
          CheckJoin(path[i - 1].index, s.index, gap);
          CheckJoin(path[i - 1].index, path[i - 2].index, gap);
        }
      }
    }
    const uint32_t na = mix_.nation[a], nb = mix_.nation[b];
    if (required >= 4 && !graph::SharesInformation(g_, na, nb)) {
      v1::PolicyBlock* pb = gap->add_policy_blocks();
      pb->set_item_kind(v1::PolicyBlock::INFORMATION_SHARING);
      pb->set_item(std::string(g_.Id(EntityKind::kNation, nb)));
      pb->set_nation(std::string(g_.Id(EntityKind::kNation, na)));
    }
  }

  // Cheapest "fit LINK to PLATFORM" that gives a common data channel to a and b.
  std::string FitFix(uint32_t a, uint32_t b, int required) const {
    if (required >= 4 && !graph::SharesInformation(g_, mix_.nation[a], mix_.nation[b])) return "";
    struct Candidate {
      double cost;
      std::string link;
      std::string platform;
      int64_t quantity;
      double unit;
    };
    std::vector<Candidate> cands;
    for (auto [x, y] : {std::pair{a, b}, std::pair{b, a}}) {
      const NodeId px = g_.Node(EntityKind::kPlatform, mix_.platform[x]);
      const NodeId py = g_.Node(EntityKind::kPlatform, mix_.platform[y]);
      auto y_links = g_.Neighbors(py, EdgeKind::kFits);
      auto x_stds = g_.Neighbors(px, EdgeKind::kSpeaks);
      auto y_stds = g_.Neighbors(py, EdgeKind::kSpeaks);
      const uint32_t nx = mix_.nation[x], ny = mix_.nation[y];
      for (NodeId l : g_.Neighbors(px, EdgeKind::kFits)) {
        if (std::find(y_links.begin(), y_links.end(), l) != y_links.end()) continue;
        if (!graph::MayUse(g_, nx, l) || !graph::MayUse(g_, ny, l)) continue;
        bool ok = false;
        for (NodeId s : g_.Neighbors(l, EdgeKind::kCarries)) {
          const bool x_speaks = std::find(x_stds.begin(), x_stds.end(), s) != x_stds.end();
          const bool y_speaks = std::find(y_stds.begin(), y_stds.end(), s) != y_stds.end();
          if (x_speaks && y_speaks && graph::MayUse(g_, nx, s) && graph::MayUse(g_, ny, s)) {
            ok = true;
          }
        }
        if (!ok) continue;
        const double unit = g_.link(g_.Local(l)).retrofit_cost_musd;
        cands.push_back({unit * static_cast<double>(mix_.quantity[y]), std::string(g_.IdOf(l)),
                         std::string(g_.IdOf(py)), mix_.quantity[y], unit});
      }
    }
    if (cands.empty()) return "";
    auto best = std::min_element(cands.begin(), cands.end(), [](const auto& x, const auto& y) {
      return std::tie(x.cost, x.link, x.platform) < std::tie(y.cost, y.link, y.platform);
    });
    return absl::StrFormat("fit %s to %s (%g M$ x %d = %g M$)", best->link, best->platform,
                           best->unit, best->quantity, best->cost);
  }

  const TypedGraph& g_;
  const graph::ResolvedMix& mix_;
  const InteropLevels& strict_;
  const InteropLevels& relaxed_;
};

}  // namespace

const char* LevelName(int level) {
  static const char* kNames[] = {"ISOLATED", "UNSTRUCTURED", "STRUCTURED", "SEAMLESS_DATA",
                                 "SEAMLESS_INFORMATION"};
  return level >= 0 && level <= 4 ? kNames[level] : "?";
}

v1::GapReport AnalyzeGaps(const TypedGraph& g, const graph::ResolvedMix& mix,
                          const InteropLevels& strict, const InteropLevels& relaxed,
                          const GapOptions& options) {
  v1::GapReport report;
  report.set_model_name(g.model_name());
  report.set_mix_name(mix.name);
  report.set_elements(static_cast<int32_t>(mix.size()));
  int64_t units = 0;
  double cost = 0;
  for (uint32_t e = 0; e < mix.size(); ++e) {
    units += mix.quantity[e];
    cost += static_cast<double>(mix.quantity[e]) * g.platform(mix.platform[e]).unit_cost_musd;
  }
  report.set_units(units);
  report.set_cost_musd(cost);
  report.set_max_gaps(options.max_gaps);

  int64_t histogram[5] = {0, 0, 0, 0, 0};
  int64_t class_counts[4] = {0, 0, 0, 0};
  // Gaps per unordered (nation, nation) and (platform, platform) pair of local indices, by
  // class; turned into the string-keyed buckets once at the end (ids are unique per kind, so
  // index pairs and PairKey strings correspond one to one).
  struct PairTally {
    int64_t n[4] = {0, 0, 0, 0};  // by GapClass
  };
  auto unordered = [](uint32_t x, uint32_t y) {
    return x < y ? (uint64_t{x} << 32 | y) : (uint64_t{y} << 32 | x);
  };
  absl::flat_hash_map<uint64_t, PairTally> nation_tally, platform_tally;
  // Bounded heap of the worst gaps: the top is the least bad kept.
  const size_t limit = options.max_gaps < 0 ? SIZE_MAX : static_cast<size_t>(options.max_gaps);
  std::priority_queue<RawGap, std::vector<RawGap>, decltype(&Worse)> kept(&Worse);
  int64_t pairs_total = 0, satisfied_total = 0, gaps_total = 0;
  int iers_satisfied = 0;

  for (uint32_t k = 0; k < mix.iers.size(); ++k) {
    const graph::ResolvedIer& ier = mix.iers[k];
    v1::GapCounts* counts = report.add_by_ier();
    counts->set_key(ier.name);
    for (uint32_t a : ier.from) {
      for (uint32_t b : ier.to) {
        if (a == b) continue;
        counts->set_pairs(counts->pairs() + 1);
        const bool present = strict.present(a) && strict.present(b);
        const int achieved = present ? strict.Level(a, b) : 0;
        histogram[achieved]++;
        if (achieved >= ier.min_level) {
          counts->set_satisfied(counts->satisfied() + 1);
          continue;
        }
        const int rel = present ? relaxed.Level(a, b) : 0;
        v1::GapClass cls =
            !present ? v1::UNAVAILABLE : (rel >= ier.min_level ? v1::POLICY : v1::TECHNICAL);
        Count(counts, cls);
        class_counts[cls]++;
        nation_tally[unordered(mix.nation[a], mix.nation[b])].n[cls]++;
        platform_tally[unordered(mix.platform[a], mix.platform[b])].n[cls]++;
        RawGap raw{ier.min_level - achieved, k, a, b, static_cast<uint8_t>(achieved),
                   static_cast<uint8_t>(rel), cls};
        if (kept.size() < limit) {
          kept.push(raw);
        } else if (limit > 0 && Worse(raw, kept.top())) {
          kept.pop();
          kept.push(raw);
        }
      }
    }
    pairs_total += counts->pairs();
    satisfied_total += counts->satisfied();
    gaps_total += counts->gaps();
    if (counts->gaps() == 0) ++iers_satisfied;
  }
  report.set_pairs_evaluated(pairs_total);
  report.set_pairs_satisfied(satisfied_total);
  report.set_gaps_total(gaps_total);
  report.set_iers_total(static_cast<int32_t>(mix.iers.size()));
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
  auto emit_buckets = [&](const absl::flat_hash_map<uint64_t, PairTally>& tally, EntityKind kind,
                          google::protobuf::RepeatedPtrField<v1::GapCounts>* out) {
    if (limit == 0) return static_cast<int64_t>(tally.size());
    std::vector<std::pair<int64_t, uint64_t>> totals;  // (gaps, pair key)
    totals.reserve(tally.size());
    for (const auto& [key, t] : tally) totals.emplace_back(t.n[1] + t.n[2] + t.n[3], key);
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
      std::string key_string;
      uint64_t key;
    };
    std::vector<Row> rows;
    rows.reserve(totals.size());
    for (const auto& [gaps, key] : totals) {
      rows.push_back({gaps,
                      PairKey(g.Id(kind, static_cast<uint32_t>(key >> 32)),
                              g.Id(kind, static_cast<uint32_t>(key & 0xffffffffu))),
                      key});
    }
    std::sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) {
      return x.gaps != y.gaps ? x.gaps > y.gaps : x.key_string < y.key_string;
    });
    if (rows.size() > limit) rows.resize(limit);
    out->Reserve(static_cast<int>(rows.size()));
    for (Row& row : rows) {
      v1::GapCounts* c = out->Add();
      c->set_key(std::move(row.key_string));
      const PairTally& t = tally.at(row.key);
      for (v1::GapClass cls : {v1::POLICY, v1::TECHNICAL, v1::UNAVAILABLE}) {
        if (t.n[cls] > 0) Count(c, cls, t.n[cls]);
      }
    }
    return static_cast<int64_t>(tally.size());
  };
  report.set_nation_pairs_total(
      emit_buckets(nation_tally, EntityKind::kNation, report.mutable_by_nation_pair()));
  report.set_platform_pairs_total(
      emit_buckets(platform_tally, EntityKind::kPlatform, report.mutable_by_platform_pair()));

  std::vector<RawGap> listed;
  listed.reserve(kept.size());
  while (!kept.empty()) {
    listed.push_back(kept.top());
    kept.pop();
  }
  std::sort(listed.begin(), listed.end(), Worse);
  report.set_gaps_omitted(gaps_total - static_cast<int64_t>(listed.size()));
  GapDetailer detailer(g, mix, strict, relaxed);
  for (const RawGap& raw : listed) {
    const graph::ResolvedIer& ier = mix.iers[raw.ier];
    v1::Gap* gap = report.add_gaps();
    gap->set_ier(ier.name);
    gap->set_from_element(mix.element_ids[raw.from_pos]);
    gap->set_to_element(mix.element_ids[raw.to_pos]);
    gap->set_gap_class(raw.cls);
    gap->set_achieved_level(raw.achieved);
    gap->set_required_level(ier.min_level);
    gap->set_relaxed_level(raw.relaxed);
    detailer.Detail(raw, ier.min_level, gap);
  }
  return report;
}

v1::InteropMatrix BuildMatrix(const TypedGraph& g, const graph::ResolvedMix& mix,
                              const InteropLevels& strict) {
  v1::InteropMatrix m;
  m.set_model_name(g.model_name());
  m.set_mix_name(mix.name);
  for (const std::string& id : mix.element_ids) m.add_elements(id);
  m.mutable_levels()->Reserve(static_cast<int>(mix.size() * mix.size()));
  for (uint32_t a = 0; a < mix.size(); ++a) {
    for (uint32_t b = 0; b < mix.size(); ++b) m.add_levels(strict.Level(a, b));
  }
  return m;
}

}  // namespace coalition::analysis
