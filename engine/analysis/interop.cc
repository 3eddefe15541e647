#include "engine/analysis/interop.h"

#include <algorithm>
#include <deque>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "boost/property_map/property_map.hpp"
#include "boost/pending/disjoint_sets.hpp"

namespace coalition::analysis {
namespace {

using graph::EdgeKind;
using graph::EntityKind;
using graph::NodeId;
using graph::TypedGraph;

constexpr uint32_t kNone = UINT32_MAX;

// Union-find over channels (Boost's disjoint sets with rank and path compression).
class UnionFind {
 public:
  explicit UnionFind(uint32_t n)
      : rank_(n, 0),
        parent_(n),
        sets_(boost::make_iterator_property_map(rank_.begin(), boost::identity_property_map()),
              boost::make_iterator_property_map(parent_.begin(), boost::identity_property_map())) {
    for (uint32_t i = 0; i < n; ++i) sets_.make_set(i);
  }
  void Union(uint32_t a, uint32_t b) { sets_.union_set(a, b); }
  uint32_t Find(uint32_t a) { return sets_.find_set(a); }

 private:
  std::vector<uint32_t> rank_;
  std::vector<uint32_t> parent_;
  using Map = boost::iterator_property_map<std::vector<uint32_t>::iterator,
                                           boost::identity_property_map>;
  boost::disjoint_sets<Map, Map> sets_;
};

bool SortedIntersect(const uint32_t* a, const uint32_t* ae, const uint32_t* b, const uint32_t* be) {
  while (a != ae && b != be) {
    if (*a < *b) {
      ++a;
    } else if (*b < *a) {
      ++b;
    } else {
      return true;
    }
  }
  return false;
}

}  // namespace

InteropLevels InteropLevels::Compute(const TypedGraph& g, const graph::ResolvedMix& mix,
                                     InteropOptions options) {
  InteropLevels r;
  r.graph_ = &g;
  r.mix_ = &mix;
  r.relaxed_ = options.relax_policy;
  r.present_ = std::move(options.present);
  const uint32_t num_links = g.Count(EntityKind::kLink);
  const uint32_t num_standards = g.Count(EntityKind::kStandard);

  // 1. Channels: data channels per link (deduplicated standards), then voice channels.
  r.link_channel_begin_.resize(num_links + 1);
  std::vector<uint32_t> seen(num_standards, kNone);
  for (uint32_t l = 0; l < num_links; ++l) {
    r.link_channel_begin_[l] = static_cast<uint32_t>(r.channel_link_.size());
    for (NodeId s : g.Neighbors(g.Node(EntityKind::kLink, l), EdgeKind::kCarries)) {
      const uint32_t sl = g.Local(s);
      if (seen[sl] == l) continue;
      seen[sl] = l;
      r.channel_link_.push_back(l);
      r.channel_standard_.push_back(sl);
    }
  }
  r.link_channel_begin_[num_links] = static_cast<uint32_t>(r.channel_link_.size());
  r.voice_channel_.assign(num_links, kNone);
  for (uint32_t l = 0; l < num_links; ++l) {
    if (!g.link(l).voice_capable) continue;
    r.voice_channel_[l] = static_cast<uint32_t>(r.channel_link_.size());
    r.channel_link_.push_back(l);
    r.channel_standard_.push_back(kNoStandard);
  }
  const uint32_t num_channels = r.num_channels();

  // 2. Element classes (platform, nation) among present elements, first-appearance order.
  absl::flat_hash_map<uint64_t, uint32_t> class_index;
  class_index.reserve(mix.size());
  r.class_of_.assign(mix.size(), kNone);
  for (uint32_t e = 0; e < mix.size(); ++e) {
    if (!r.present(e)) continue;
    const uint64_t key = (uint64_t{mix.platform[e]} << 32) | mix.nation[e];
    auto [it, inserted] = class_index.try_emplace(key, r.num_classes());
    if (inserted) {
      r.class_platform_.push_back(mix.platform[e]);
      r.class_nation_.push_back(mix.nation[e]);
      r.class_first_element_.push_back(e);
    }
    r.class_of_[e] = it->second;
  }

  // 3. Channels each class joins (releasability checked per nation unless relaxed). MayUse
  // depends only on (nation, item): memoise it per nation, one byte per link and standard,
  // allocated for the nations that operate elements (0 unknown, 1 no, 2 yes).
  const uint32_t num_items = num_links + num_standards;
  std::vector<std::vector<uint8_t>> may_use(g.Count(EntityKind::kNation));
  // slot: a link's local index, or num_links + a standard's local index.
  auto allowed = [&](uint32_t nation, uint32_t slot) {
    if (r.relaxed_) return true;
    std::vector<uint8_t>& row = may_use[nation];
    if (row.empty()) row.assign(num_items, 0);
    if (row[slot] == 0) {
      const NodeId item = slot < num_links ? g.Node(EntityKind::kLink, slot)
                                           : g.Node(EntityKind::kStandard, slot - num_links);
      row[slot] = graph::MayUse(g, nation, item) ? 2 : 1;
    }
    return row[slot] == 2;
  };
  std::vector<uint32_t> speaks(num_standards, kNone);  // speaks[s] == class: class speaks s
  r.join_begin_.push_back(0);
  r.voice_begin_.push_back(0);
  for (uint32_t c = 0; c < r.num_classes(); ++c) {
    const uint32_t p = r.class_platform_[c], n = r.class_nation_[c];
    const NodeId pnode = g.Node(EntityKind::kPlatform, p);
    const NodeId standard_base = g.Node(EntityKind::kStandard, 0);
    const NodeId link_base = g.Node(EntityKind::kLink, 0);
    for (NodeId s : g.Neighbors(pnode, EdgeKind::kSpeaks)) {
      const uint32_t sl = s - standard_base;
      if (allowed(n, num_links + sl)) speaks[sl] = c;
    }
    for (NodeId lnode : g.Neighbors(pnode, EdgeKind::kFits)) {
      const uint32_t l = lnode - link_base;
      if (!allowed(n, l)) continue;
      for (uint32_t ch = r.link_channel_begin_[l]; ch < r.link_channel_begin_[l + 1]; ++ch) {
        if (speaks[r.channel_standard_[ch]] == c) r.joins_.push_back(ch);
      }
      if (r.voice_channel_[l] != kNone) r.voice_joins_.push_back(r.voice_channel_[l]);
    }
    // A platform listing a link twice must not join its channels twice.
    auto dedupe = [](std::vector<uint32_t>& v, size_t from) {
      std::sort(v.begin() + from, v.end());
      v.erase(std::unique(v.begin() + from, v.end()), v.end());
    };
    dedupe(r.joins_, r.join_begin_.back());
    dedupe(r.voice_joins_, r.voice_begin_.back());
    r.join_begin_.push_back(static_cast<uint32_t>(r.joins_.size()));
    r.voice_begin_.push_back(static_cast<uint32_t>(r.voice_joins_.size()));
  }

  // 4. Nested union-find over thresholds 3, 2, 1.
  UnionFind uf(num_channels);
  // Gateway bridges of one class at one cap: union the class's channels with standard a and
  // those with standard b (a complete bipartite set of bridges, so one component).
  std::vector<uint32_t> side_a, side_b;
  auto apply_gateways = [&](int cap_wanted) {
    for (uint32_t c = 0; c < r.num_classes(); ++c) {
      for (const graph::GatewayRow& gw : g.gateways(r.class_platform_[c])) {
        if (std::min(gw.level_cap, 3) != cap_wanted) continue;
        side_a.clear();
        side_b.clear();
        for (uint32_t i = r.join_begin_[c]; i < r.join_begin_[c + 1]; ++i) {
          const uint32_t ch = r.joins_[i];
          if (r.channel_standard_[ch] == gw.standard_a) side_a.push_back(ch);
          if (r.channel_standard_[ch] == gw.standard_b) side_b.push_back(ch);
        }
        if (side_a.empty() || side_b.empty()) continue;
        for (uint32_t ch : side_a) uf.Union(side_a[0], ch);
        for (uint32_t ch : side_b) uf.Union(side_a[0], ch);
      }
    }
  };
  auto apply_version_bridges = [&]() {
    std::vector<std::pair<uint32_t, uint32_t>> fam;  // (family, channel)
    for (uint32_t l = 0; l < num_links; ++l) {
      fam.clear();
      for (uint32_t ch = r.link_channel_begin_[l]; ch < r.link_channel_begin_[l + 1]; ++ch) {
        fam.emplace_back(g.standard(r.channel_standard_[ch]).family, ch);
      }
      std::sort(fam.begin(), fam.end());
      for (size_t i = 1; i < fam.size(); ++i) {
        if (fam[i].first == fam[i - 1].first) uf.Union(fam[i - 1].second, fam[i].second);
      }
    }
  };
  std::vector<uint32_t> comp_begin[3], comps[3];  // per threshold t (index t - 1), per class
  auto snapshot = [&](int t) {
    std::vector<uint32_t>& begin = comp_begin[t - 1];
    std::vector<uint32_t>& comps_t = comps[t - 1];
    std::vector<uint32_t>& channel_comp = r.channel_comp_[t - 1];
    channel_comp.resize(num_channels);
    for (uint32_t ch = 0; ch < num_channels; ++ch) channel_comp[ch] = uf.Find(ch);
    begin.reserve(r.num_classes() + 1);
    comps_t.reserve(r.joins_.size() + (t == 1 ? r.voice_joins_.size() : 0));
    begin.push_back(0);
    for (uint32_t c = 0; c < r.num_classes(); ++c) {
      const size_t from = comps_t.size();
      for (uint32_t i = r.join_begin_[c]; i < r.join_begin_[c + 1]; ++i) {
        comps_t.push_back(channel_comp[r.joins_[i]]);
      }
      if (t == 1) {
        for (uint32_t i = r.voice_begin_[c]; i < r.voice_begin_[c + 1]; ++i) {
          comps_t.push_back(channel_comp[r.voice_joins_[i]]);
        }
      }
      if (comps_t.size() - from > 1) {
        std::sort(comps_t.begin() + from, comps_t.end());
        comps_t.erase(std::unique(comps_t.begin() + from, comps_t.end()), comps_t.end());
      }
      begin.push_back(static_cast<uint32_t>(comps_t.size()));
    }
  };
  apply_gateways(3);
  snapshot(3);
  apply_version_bridges();
  apply_gateways(2);
  snapshot(2);
  apply_gateways(1);
  snapshot(1);

  // 5. One contiguous record per class, so a pair query touches two cache lines, not six:
  //    [n3, n2, n1, components at 3 (n3), at 2 (n2), at 1 (n1)].
  r.record_begin_.reserve(r.num_classes() + 1);
  r.records_.reserve(3 * r.num_classes() + comps[0].size() + comps[1].size() + comps[2].size());
  for (uint32_t c = 0; c < r.num_classes(); ++c) {
    r.record_begin_.push_back(static_cast<uint32_t>(r.records_.size()));
    for (int t = 3; t >= 1; --t) r.records_.push_back(comp_begin[t - 1][c + 1] - comp_begin[t - 1][c]);
    for (int t = 3; t >= 1; --t) {
      r.records_.insert(r.records_.end(), comps[t - 1].begin() + comp_begin[t - 1][c],
                        comps[t - 1].begin() + comp_begin[t - 1][c + 1]);
    }
  }
  r.record_begin_.push_back(static_cast<uint32_t>(r.records_.size()));

  // 6. Information sharing between the nations that operate elements, memoised in a dense
  //    nations x nations table when it is small (0 unknown, 1 no, 2 yes).
  const uint64_t nations = g.Count(EntityKind::kNation);
  if (!r.relaxed_ && nations * nations <= (uint64_t{1} << 24)) {
    r.shares_.assign(nations * nations, 0);
  }
  return r;
}

int InteropLevels::ClassBase(uint32_t ca, uint32_t cb) const {
  const uint32_t* ra = records_.data() + record_begin_[ca];
  const uint32_t* rb = records_.data() + record_begin_[cb];
  // Small records are intersected directly (cheaper than a hash lookup); large ones, which
  // classes of many-link platforms have, are memoised per class pair.
  constexpr uint32_t kMemoAbove = 48;
  const bool memo = ra[0] + ra[1] + ra[2] + rb[0] + rb[1] + rb[2] > kMemoAbove;
  uint64_t key = 0;
  if (memo) {
    key = ca < cb ? (uint64_t{ca} << 32 | cb) : (uint64_t{cb} << 32 | ca);
    if (auto it = memo_.find(key); it != memo_.end()) return it->second;
  }
  int level = 0;
  const uint32_t* xa = ra + 3;
  const uint32_t* xb = rb + 3;
  for (int i = 0; i < 3; ++i) {  // thresholds 3, 2, 1
    if (SortedIntersect(xa, xa + ra[i], xb, xb + rb[i])) {
      level = 3 - i;
      break;
    }
    xa += ra[i];
    xb += rb[i];
  }
  if (memo) memo_.emplace(key, static_cast<uint8_t>(level));
  return level;
}

bool InteropLevels::Shares(uint32_t na, uint32_t nb) const {
  if (relaxed_) return true;
  if (shares_.empty()) return graph::SharesInformation(*graph_, na, nb);
  uint8_t& slot = shares_[static_cast<size_t>(na) * graph_->Count(EntityKind::kNation) + nb];
  if (slot == 0) slot = graph::SharesInformation(*graph_, na, nb) ? 2 : 1;
  return slot == 2;
}

absl::Span<const uint32_t> InteropLevels::ElementComponents(int t, uint32_t e) const {
  const uint32_t c = class_of_[e];
  if (c == kNone) return {};
  const uint32_t* r = records_.data() + record_begin_[c];
  size_t offset = 3;
  for (int i = 0; i < 3 - t; ++i) offset += r[i];
  return absl::MakeConstSpan(r + offset, r[3 - t]);
}

absl::Span<const uint32_t> InteropLevels::ElementChannels(uint32_t e) const {
  const uint32_t c = class_of_[e];
  if (c == kNone) return {};
  return absl::MakeConstSpan(joins_).subspan(join_begin_[c], join_begin_[c + 1] - join_begin_[c]);
}

int InteropLevels::BaseLevel(uint32_t a, uint32_t b) const {
  if (class_of_[a] == kNone || class_of_[b] == kNone) return 0;
  return ClassBase(class_of_[a], class_of_[b]);
}

int InteropLevels::Level(uint32_t a, uint32_t b) const {
  const uint32_t ca = class_of_[a], cb = class_of_[b];
  if (ca == kNone || cb == kNone) return 0;
  const int base = ClassBase(ca, cb);
  if (base == 3 && Shares(class_nation_[ca], class_nation_[cb])) return 4;
  return base;
}

std::string InteropLevels::ChannelName(uint32_t c) const {
  const graph::TypedGraph& g = *graph_;
  absl::string_view link = g.Id(EntityKind::kLink, channel_link_[c]);
  if (channel_standard_[c] == kNoStandard) return absl::StrCat(link, "/voice");
  return absl::StrCat(link, "/", g.Id(EntityKind::kStandard, channel_standard_[c]));
}

void InteropLevels::IndexGateways() const {
  if (gateways_indexed_) return;
  gateways_indexed_ = true;
  const graph::TypedGraph& g = *graph_;
  for (uint32_t c = 0; c < num_classes(); ++c) {
    auto gws = g.gateways(class_platform_[c]);
    for (uint32_t k = 0; k < gws.size(); ++k) {
      for (uint32_t i = join_begin_[c]; i < join_begin_[c + 1]; ++i) {
        const uint32_t s = channel_standard_[joins_[i]];
        if (s == gws[k].standard_a || s == gws[k].standard_b) {
          gateway_sides_.push_back({joins_[i], c, k});
        }
      }
    }
  }
  std::sort(gateway_sides_.begin(), gateway_sides_.end(),
            [](const GatewaySide& x, const GatewaySide& y) {
              return std::tie(x.channel, x.cls, x.gateway) < std::tie(y.channel, y.cls, y.gateway);
            });
}

template <typename F>
void InteropLevels::ForEachBridge(uint32_t x, F&& f) const {
  const graph::TypedGraph& g = *graph_;
  const uint32_t sx = channel_standard_[x];
  if (sx == kNoStandard) return;  // voice channels have no bridges
  // Version bridges: the link's other channels of the same family.
  const uint32_t l = channel_link_[x];
  for (uint32_t y = link_channel_begin_[l]; y < link_channel_begin_[l + 1]; ++y) {
    if (y != x && g.standard(channel_standard_[y]).family == g.standard(sx).family) {
      f(y, 2, /*via=*/kNone);
    }
  }
  // Gateway bridges: every present gateway class joining x, to its channels on the other side.
  auto [lo, hi] = std::equal_range(
      gateway_sides_.begin(), gateway_sides_.end(), GatewaySide{x, 0, 0},
      [](const GatewaySide& p, const GatewaySide& q) { return p.channel < q.channel; });
  for (auto it = lo; it != hi; ++it) {
    const graph::GatewayRow& gw = g.gateways(class_platform_[it->cls])[it->gateway];
    const int cap = std::min(gw.level_cap, 3);
    for (uint32_t i = join_begin_[it->cls]; i < join_begin_[it->cls + 1]; ++i) {
      const uint32_t y = joins_[i];
      if (y == x) continue;
      const uint32_t sy = channel_standard_[y];
      if ((sx == gw.standard_a && sy == gw.standard_b) ||
          (sx == gw.standard_b && sy == gw.standard_a)) {
        f(y, cap, class_first_element_[it->cls]);
      }
    }
  }
}

std::vector<PathStep> InteropLevels::BestPath(uint32_t a, uint32_t b) const {
  const int t = BaseLevel(a, b);
  if (t == 0) return {};
  IndexGateways();
  const uint32_t ca = class_of_[a], cb = class_of_[b];
  // Attachment channels at threshold t: data channels (level 3) always, voice channels (level 1)
  // only when t == 1.
  auto attached = [&](uint32_t c) {
    std::vector<std::pair<uint32_t, int>> out;
    for (uint32_t i = join_begin_[c]; i < join_begin_[c + 1]; ++i) out.push_back({joins_[i], 3});
    if (t == 1) {
      for (uint32_t i = voice_begin_[c]; i < voice_begin_[c + 1]; ++i) {
        out.push_back({voice_joins_[i], 1});
      }
    }
    return out;
  };
  const auto from = attached(ca);
  const auto to = attached(cb);
  absl::flat_hash_map<uint32_t, int> target;  // channel -> attach level to b
  for (auto [ch, lvl] : to) target.emplace(ch, lvl);
  // BFS over channels, edges of level >= t.
  // Bridges are generated on the fly from the channel's link and the gateway index, so an
  // explanation costs only what its search visits.
  struct Visit {
    uint32_t parent;  // kNone for a source
    int level;        // attach level from a (sources), else the entering bridge's level
    uint32_t via;     // the gateway element of the entering bridge; kNone for a version bridge
  };
  absl::flat_hash_map<uint32_t, Visit> visited;
  std::deque<uint32_t> queue;
  for (auto [ch, lvl] : from) {
    if (visited.try_emplace(ch, Visit{kNone, lvl, kNone}).second) queue.push_back(ch);
  }
  uint32_t end = kNone;
  while (!queue.empty()) {
    const uint32_t x = queue.front();
    queue.pop_front();
    if (target.contains(x)) {
      end = x;
      break;
    }
    ForEachBridge(x, [&](uint32_t y, int level, uint32_t via) {
      if (level >= t && visited.try_emplace(y, Visit{x, level, via}).second) queue.push_back(y);
    });
  }
  if (end == kNone) return {};  // unreachable: BaseLevel said connected
  std::vector<PathStep> rev;
  rev.push_back({PathStep::Kind::kElement, b, target[end]});
  for (uint32_t x = end;;) {
    const Visit& v = visited[x];
    rev.push_back({PathStep::Kind::kChannel, x, v.level});
    if (v.parent == kNone) break;
    if (v.via != kNone) {
      rev.push_back({PathStep::Kind::kGateway, v.via, v.level});
    } else {
      rev.push_back({PathStep::Kind::kVersionBridge, x, v.level});
    }
    x = v.parent;
  }
  rev.push_back({PathStep::Kind::kElement, a, 0});
  std::reverse(rev.begin(), rev.end());
  return rev;
}

PolicyLevels ComputePolicyLevels(const graph::TypedGraph& graph, const graph::ResolvedMix& mix,
                                 const std::vector<bool>& present) {
  return PolicyLevels{InteropLevels::Compute(graph, mix, {/*relax_policy=*/false, present}),
                      InteropLevels::Compute(graph, mix, {/*relax_policy=*/true, present})};
}

}  // namespace coalition::analysis
