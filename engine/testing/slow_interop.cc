#include "engine/testing/slow_interop.h"

#include <algorithm>
#include <map>
#include <queue>
#include <set>
#include <utility>

namespace coalition::testing {
namespace {

namespace v1 = ::coalition::v1;

const v1::PlatformType* FindPlatform(const v1::Model& m, const std::string& id) {
  for (const auto& p : m.platforms()) {
    if (p.id() == id) return &p;
  }
  return nullptr;
}
const v1::Nation* FindNation(const v1::Model& m, const std::string& id) {
  for (const auto& n : m.nations()) {
    if (n.id() == id) return &n;
  }
  return nullptr;
}
bool Contains(const google::protobuf::RepeatedPtrField<std::string>& list, const std::string& x) {
  return std::find(list.begin(), list.end(), x) != list.end();
}
bool MayUse(const v1::Model& m, const std::string& nation,
            const google::protobuf::RepeatedPtrField<std::string>& releasable_to,
            const std::string& designer) {
  if (releasable_to.empty()) return true;
  if (nation == designer) return true;
  if (Contains(releasable_to, nation)) return true;
  const v1::Nation* n = FindNation(m, nation);
  for (const std::string& g : n->groups()) {
    if (Contains(releasable_to, g)) return true;
  }
  return false;
}

}  // namespace

SlowInterop::SlowInterop(const v1::Model& model, const v1::ForceMix& mix, bool relax_policy,
                         std::vector<bool> present)
    : model_(model), mix_(mix), relaxed_(relax_policy), present_(std::move(present)) {
  num_elements_ = mix.elements_size();
  if (present_.empty()) present_.assign(num_elements_, true);
  // Channel nodes keyed by (link, standard) or (link, "") for voice.
  std::map<std::pair<std::string, std::string>, int> channel;
  int next = num_elements_;
  for (const auto& l : model.links()) {
    for (const std::string& s : l.standards()) {
      if (!channel.count({l.id(), s})) channel[{l.id(), s}] = next++;
    }
    if (l.voice_capable()) channel[{l.id(), ""}] = next++;
  }
  adj_.assign(next, {});
  auto add = [&](int x, int y, int level) {
    adj_[x].push_back({y, level});
    adj_[y].push_back({x, level});
  };
  auto std_ok = [&](const std::string& nation, const std::string& sid) {
    if (relaxed_) return true;
    for (const auto& s : model.standards()) {
      if (s.id() == sid) return MayUse(model, nation, s.releasable_to(), s.designer_nation());
    }
    return false;
  };
  auto link_ok = [&](const std::string& nation, const v1::CommsLink& l) {
    return relaxed_ || MayUse(model, nation, l.releasable_to(), l.designer_nation());
  };
  // joins[e] = channels element e joins (data only), for gateways.
  std::vector<std::set<int>> joins(num_elements_);
  for (int e = 0; e < num_elements_; ++e) {
    if (!present_[e]) continue;
    const v1::ForceElement& el = mix.elements(e);
    const v1::PlatformType* p = FindPlatform(model, el.platform());
    for (const auto& l : model.links()) {
      if (!Contains(p->links(), l.id()) || !link_ok(el.nation(), l)) continue;
      for (const std::string& s : l.standards()) {
        if (Contains(p->standards(), s) && std_ok(el.nation(), s)) {
          joins[e].insert(channel[{l.id(), s}]);
        }
      }
      if (l.voice_capable()) add(e, channel[{l.id(), ""}], 1);
    }
    for (int c : joins[e]) add(e, c, 3);
  }
  // Version bridges.
  for (const auto& l : model.links()) {
    for (const std::string& s1 : l.standards()) {
      for (const std::string& s2 : l.standards()) {
        const v1::DataStandard *d1 = nullptr, *d2 = nullptr;
        for (const auto& s : model.standards()) {
          if (s.id() == s1) d1 = &s;
          if (s.id() == s2) d2 = &s;
        }
        if (d1->family() == d2->family() && d1->version() != d2->version()) {
          add(channel[{l.id(), s1}], channel[{l.id(), s2}], 2);
        }
      }
    }
  }
  // Gateway bridges: channel (L1, Sa) -- (L2, Sb) when a present gateway element joins both.
  std::map<int, std::pair<std::string, std::string>> channel_key;
  for (const auto& [k, v] : channel) channel_key[v] = k;
  for (int e = 0; e < num_elements_; ++e) {
    if (!present_[e]) continue;
    const v1::PlatformType* p = FindPlatform(model, mix.elements(e).platform());
    for (const auto& gw : p->gateways()) {
      int cap = gw.has_level_cap() ? gw.level_cap() : 2;
      for (int c1 : joins[e]) {
        for (int c2 : joins[e]) {
          if (c1 == c2) continue;
          if (channel_key[c1].second == gw.standard_a() &&
              channel_key[c2].second == gw.standard_b()) {
            add(c1, c2, std::min(cap, 3));
          }
        }
      }
    }
  }
}

int SlowInterop::BaseLevel(int a, int b) const {
  if (!present_[a] || !present_[b]) return 0;
  if (a == b) {
    int best = 0;
    for (const Edge& e : adj_[a]) best = std::max(best, e.level);
    return best;
  }
  // Widest path: maximise the minimum edge level; elements other than a are not expanded.
  std::vector<int> best(adj_.size(), -1);
  std::priority_queue<std::pair<int, int>> pq;
  best[a] = 4;
  pq.push({4, a});
  while (!pq.empty()) {
    auto [w, u] = pq.top();
    pq.pop();
    if (w < best[u]) continue;
    if (u != a && u < num_elements_) continue;  // an endpoint, never a relay
    for (const Edge& e : adj_[u]) {
      int nw = std::min(w, e.level);
      if (nw > best[e.to]) {
        best[e.to] = nw;
        pq.push({nw, e.to});
      }
    }
  }
  return std::max(0, std::min(best[b], 3));
}

int SlowInterop::Level(int a, int b) const {
  int base = BaseLevel(a, b);
  if (base < 3) return base;
  if (relaxed_) return 4;
  const std::string& na = mix_.elements(a).nation();
  const std::string& nb = mix_.elements(b).nation();
  if (na == nb) return 4;
  const v1::Nation* x = FindNation(model_, na);
  const v1::Nation* y = FindNation(model_, nb);
  for (const std::string& g : x->groups()) {
    if (!Contains(y->groups(), g)) continue;
    for (const auto& grp : model_.groups()) {
      if (grp.id() == g && grp.shares_information()) return 4;
    }
  }
  return 3;
}

}  // namespace coalition::testing
