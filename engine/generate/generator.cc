#include "engine/generate/generator.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "coalition/v1/common.pb.h"
#include "coalition/v1/mix.pb.h"
#include "engine/model/sourcing.h"

namespace coalition::generate {
namespace {

namespace v1 = ::coalition::v1;

// xoshiro256** (Blackman & Vigna), seeded through splitmix64: the same stream everywhere.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& s : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      s = z ^ (z >> 31);
    }
  }
  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, n) (Lemire's multiply-shift; n > 0).
  uint32_t Below(uint32_t n) {
    return static_cast<uint32_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
  }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

// Zipf-like sampler over [0, n): weight of i is 1 / (i + 1)^s. Vose's alias method, O(1) a draw.
class Zipf {
 public:
  Zipf(uint32_t n, double s) : prob_(n), alias_(n) {
    std::vector<double> w(n);
    double sum = 0;
    for (uint32_t i = 0; i < n; ++i) sum += w[i] = 1.0 / std::pow(i + 1.0, s);
    std::vector<uint32_t> small, large;
    for (uint32_t i = 0; i < n; ++i) {
      w[i] = w[i] * n / sum;
      (w[i] < 1.0 ? small : large).push_back(i);
    }
    while (!small.empty() && !large.empty()) {
      const uint32_t a = small.back(), b = large.back();
      small.pop_back();
      prob_[a] = w[a];
      alias_[a] = b;
      w[b] = (w[b] + w[a]) - 1.0;
      if (w[b] < 1.0) {
        large.pop_back();
        small.push_back(b);
      }
    }
    for (uint32_t i : large) prob_[i] = 1.0, alias_[i] = i;
    for (uint32_t i : small) prob_[i] = 1.0, alias_[i] = i;
  }
  uint32_t operator()(Rng& rng) const {
    const uint32_t i = rng.Below(static_cast<uint32_t>(prob_.size()));
    return rng.Unit() < prob_[i] ? i : alias_[i];
  }

 private:
  std::vector<double> prob_;
  std::vector<uint32_t> alias_;
};

template <typename T>
bool Contains(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// Reports progress every 2^16 items and at the end of a stage.
class Progress {
 public:
  explicit Progress(const ProgressFn& fn) : fn_(fn) {}
  void Tick(absl::string_view stage, int64_t done, int64_t total) const {
    if (fn_ && (done % 65536 == 0 || done == total)) fn_(stage, done, total);
  }

 private:
  const ProgressFn& fn_;
};

constexpr const char* kRolesByDomain[7][3] = {
    {"c2", "c2", "c2"},                    // unspecified (unused)
    {"fighter", "isr", "transport"},       // AIR
    {"fires", "armour", "air-defense"},    // LAND
    {"escort", "air-defense", "submarine"},  // MARITIME
    {"isr", "navigation", "comms"},        // SPACE
    {"cyber", "isr", "c2"},                // CYBER
    {"c2", "isr", "comms"},                // C2
};

v1::Domain PickDomain(Rng& rng) {
  const uint32_t x = rng.Below(100);
  if (x < 35) return v1::AIR;
  if (x < 65) return v1::LAND;
  if (x < 85) return v1::MARITIME;
  if (x < 90) return v1::SPACE;
  if (x < 93) return v1::CYBER;
  return v1::C2;
}

// One side of an IER: a narrowing level around an anchor element (see the header).
struct SideSpec {
  int level = 0;
  uint32_t anchor = 0;
};
constexpr int kFinestLevel = 6;

}  // namespace

GeneratorOptions OptionsForEdges(int64_t edges, int elements) {
  GeneratorOptions o;
  // Clamped so that e * 0.55 / 21.5 (the largest derived size, ~2.6e8 at the cap) fits an int:
  // beyond ~8.4e10 the cast was undefined behaviour (issue 16).
  const double e = static_cast<double>(std::clamp<int64_t>(edges, 1000, kMaxGeneratedEdges));
  // About 21.5 edges per platform (designer, producers, links, standards, components) and
  // 3.3 per component (suppliers, sub-components): ~55% / ~45% of the edges.
  o.nations = static_cast<int>(std::clamp(e / 50000.0, 12.0, 250.0));
  o.links = static_cast<int>(std::clamp(e / 5000.0, 8.0, 2000.0));
  o.standards = 2 * o.links;
  o.platforms = std::max(4, static_cast<int>(e * 0.55 / 21.5));
  o.components = std::max(3, static_cast<int>(e * 0.42 / 3.3));
  o.suppliers = std::max(4, o.components / 10);
  o.elements = elements;
  return o;
}

int64_t CountTypedEdges(const v1::Model& m) {
  int64_t n = 0;
  for (const auto& x : m.nations()) n += x.groups_size();
  for (const auto& p : m.platforms()) {
    n += (p.designer_nation().empty() ? 0 : 1) + p.producer_nations_size() + p.links_size() +
         p.standards_size() + p.components_size();
  }
  for (const auto& l : m.links()) {
    n += (l.designer_nation().empty() ? 0 : 1) + l.standards_size() + l.releasable_to_size();
  }
  for (const auto& s : m.standards()) {
    n += (s.designer_nation().empty() ? 0 : 1) + s.releasable_to_size();
  }
  for (const auto& c : m.components()) n += c.suppliers_size() + c.sub_components_size();
  n += m.suppliers_size();
  return n;
}

absl::StatusOr<v1::Model> GenerateModel(const GeneratorOptions& o, const ProgressFn& progress_fn,
                                        GeneratedStats* stats) {
  if (o.nations < 2 || o.platforms < 1 || o.links < 1 || o.standards < 1 || o.suppliers < 1 ||
      o.elements < 0 || o.iers < 0 || o.max_pairs < 0 ||
      (o.components != 0 && o.components < 3)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "generator sizes out of range: need nations >= 2; platforms, links, standards, "
        "suppliers >= 1; components 0 or >= 3; elements, iers, max_pairs >= 0 (got nations=",
        o.nations, " platforms=", o.platforms, " links=", o.links, " standards=", o.standards,
        " components=", o.components, " suppliers=", o.suppliers, " elements=", o.elements, ")"));
  }
  Rng rng(o.seed);
  Progress progress(progress_fn);
  v1::Model m;
  m.set_name(absl::StrCat("Generated coalition (seed ", o.seed, ")"));
  const uint32_t N = static_cast<uint32_t>(o.nations);
  const uint32_t P = static_cast<uint32_t>(o.platforms);
  const uint32_t L = static_cast<uint32_t>(o.links);
  const uint32_t S = static_cast<uint32_t>(o.standards);
  const uint32_t C = static_cast<uint32_t>(o.components);
  const uint32_t U = static_cast<uint32_t>(o.suppliers);

  // ---- Groups and nations ----
  const uint32_t regions = std::clamp<uint32_t>(N / 8, 1, 64);
  std::vector<std::string> group_ids = {"ALLIANCE", "EYES"};
  for (uint32_t r = 0; r < regions; ++r) group_ids.push_back(absl::StrCat("R", r));
  for (uint32_t gi = 0; gi < group_ids.size(); ++gi) {
    v1::Group* g = m.add_groups();
    g->set_id(group_ids[gi]);
    g->set_name(gi == 0 ? "Alliance" : gi == 1 ? "Eyes" : absl::StrCat("Region ", gi - 2));
    g->set_shares_information(gi == 1 || (gi >= 2 && (gi - 2) % 3 == 0));
    g->set_itar_exempt(gi == 1);
  }
  std::vector<std::string> nation_ids(N);
  std::vector<std::vector<uint32_t>> nation_groups(N);  // group indices
  std::vector<bool> adversary(N, false);
  for (uint32_t i = 0; i < N; ++i) {
    // Nation 0 is the US nation; the model leaves us_nation empty, so it is the default id.
    nation_ids[i] = i == 0 ? std::string(kDefaultUsNation) : absl::StrCat("N", i);
    adversary[i] = i % 17 == 5;
    v1::Nation* n = m.add_nations();
    n->set_id(nation_ids[i]);
    n->set_name(i == 0 ? "United States" : absl::StrCat("Nation ", i));
    if (!adversary[i] && (i == 0 || rng.Chance(0.7))) nation_groups[i].push_back(0);
    if (!adversary[i] && i <= 4) nation_groups[i].push_back(1);
    nation_groups[i].push_back(2 + static_cast<uint32_t>(uint64_t{i} * regions / N));
    for (uint32_t gi : nation_groups[i]) n->add_groups(group_ids[gi]);
    n->set_partner_category(i <= 4              ? v1::Nation::MOST_CAPABLE
                            : rng.Chance(0.3)   ? v1::Nation::FRONTLINE
                                                : v1::Nation::OTHER);
    n->set_supply_risk(adversary[i]       ? v1::Nation::ADVERSARY
                       : rng.Chance(0.1)  ? v1::Nation::ELEVATED
                                          : v1::Nation::NONE);
  }
  // Non-USA nations by Zipf rank (designers, operators, supplier homes).
  const Zipf zipf_foreign(N - 1, 1.0);
  auto foreign = [&]() { return 1 + zipf_foreign(rng); };
  auto restrict_to = [&](google::protobuf::RepeatedPtrField<std::string>* rel) {
    // EYES (with its USA designer) or one regional group.
    if (rng.Chance(0.5)) {
      rel->Add()->assign(group_ids[1]);
      return true;  // designed by the USA
    }
    rel->Add()->assign(group_ids[2 + rng.Below(regions)]);
    return false;
  };

  // ---- Standards: families of ~3 versions ----
  const uint32_t F = std::max<uint32_t>(1, S / 3);
  std::vector<std::string> std_ids(S);
  for (uint32_t j = 0; j < S; ++j) {
    std_ids[j] = absl::StrCat("S", j);
    v1::DataStandard* s = m.add_standards();
    s->set_id(std_ids[j]);
    s->set_name(absl::StrCat("std ", j));
    s->set_family(absl::StrCat("F", j % F));
    s->set_version(static_cast<int32_t>(j / F + 1));
    if (j >= 2 && rng.Chance(0.15)) {
      if (restrict_to(s->mutable_releasable_to())) s->set_designer_nation(nation_ids[0]);
    } else if (rng.Chance(0.3)) {
      s->set_designer_nation(rng.Chance(0.5) ? nation_ids[0] : nation_ids[foreign()]);
    }
  }
  progress.Tick("standards", S, S);

  // ---- Links ----
  const Zipf zipf_std(S, 1.0);
  std::vector<std::string> link_ids(L);
  std::vector<std::vector<uint32_t>> carried(L);
  for (uint32_t l = 0; l < L; ++l) {
    link_ids[l] = absl::StrCat("L", l);
    v1::CommsLink* k = m.add_links();
    k->set_id(link_ids[l]);
    k->set_name(absl::StrCat("link ", l));
    const uint32_t kind = rng.Below(20);
    const v1::LinkKind lk = kind < 10   ? v1::TACTICAL_DATA_LINK
                            : kind < 14 ? v1::VOICE_RADIO
                            : kind < 17 ? v1::SATCOM
                                        : v1::IP_NETWORK;
    k->set_kind(lk);
    k->set_voice_capable(lk == v1::VOICE_RADIO || rng.Chance(0.25));
    const uint32_t families = lk == v1::VOICE_RADIO ? rng.Below(2) : 1 + rng.Below(4);
    for (uint32_t f = 0; f < families; ++f) {
      const uint32_t s = zipf_std(rng);
      if (!Contains(carried[l], s)) carried[l].push_back(s);
      // Often a second version of the same family (a version bridge).
      if (rng.Chance(0.5)) {
        const uint32_t sib = s + F < S ? s + F : (s >= F ? s - F : s);
        if (!Contains(carried[l], sib)) carried[l].push_back(sib);
      }
    }
    for (uint32_t s : carried[l]) k->add_standards(std_ids[s]);
    bool restricted = false;
    if (l >= 2 && rng.Chance(0.15)) {
      restricted = true;
      if (restrict_to(k->mutable_releasable_to())) k->set_designer_nation(nation_ids[0]);
    }
    if (k->designer_nation().empty() && rng.Chance(0.7)) {
      k->set_designer_nation(rng.Chance(0.5) ? nation_ids[0] : nation_ids[foreign()]);
    }
    k->set_export_control(restricted ? v1::ITAR : rng.Chance(0.3) ? v1::EAR : v1::NONE);
    k->set_retrofit_cost_musd((1 + rng.Below(50)) / 10.0);
  }
  progress.Tick("links", L, L);

  // ---- Suppliers ----
  std::vector<std::string> supplier_ids(U);
  {
    const Zipf zipf_nation(N, 0.9);
    for (uint32_t u = 0; u < U; ++u) {
      supplier_ids[u] = absl::StrCat("U", u);
      v1::Supplier* s = m.add_suppliers();
      s->set_id(supplier_ids[u]);
      s->set_name(absl::StrCat("supplier ", u));
      s->set_nation(nation_ids[zipf_nation(rng)]);
      progress.Tick("suppliers", u + 1, U);
    }
  }

  // ---- Components: systems (tier 2), assemblies (tier 1), parts (tier 0) ----
  const uint32_t t2 = C == 0 ? 0 : std::max<uint32_t>(1, C / 5);
  const uint32_t t1 = C == 0 ? 0 : std::max<uint32_t>(1, C * 3 / 10);
  const uint32_t t0 = C - t2 - t1;  // >= 1 when C >= 3
  std::vector<std::string> comp_ids(C);
  for (uint32_t c = 0; c < C; ++c) comp_ids[c] = absl::StrCat("C", c);
  {
    const Zipf zipf_supplier(U, 0.8);
    const Zipf zipf_t1(std::max<uint32_t>(t1, 1), 0.8);
    const Zipf zipf_t0(std::max<uint32_t>(t0, 1), 0.8);
    static constexpr v1::ComponentKind kSystemKinds[] = {v1::SENSOR, v1::PROPULSION,
                                                         v1::AVIONICS, v1::CRYPTO};
    static constexpr v1::ComponentKind kPartKinds[] = {v1::OTHER, v1::MUNITION, v1::AIRFRAME,
                                                       v1::AVIONICS};
    std::vector<uint32_t> picked;
    for (uint32_t c = 0; c < C; ++c) {
      v1::Component* k = m.add_components();
      k->set_id(comp_ids[c]);
      k->set_name(absl::StrCat("part ", c));
      const int tier = c < t2 ? 2 : c < t2 + t1 ? 1 : 0;
      const v1::ComponentKind kind = tier == 0 ? kPartKinds[rng.Below(4)] : kSystemKinds[rng.Below(4)];
      k->set_kind(kind);
      const uint32_t x = rng.Below(10);
      k->set_export_control(kind == v1::CRYPTO || x < 2 ? v1::ITAR : x < 4 ? v1::EAR : v1::NONE);
      const uint32_t nsup = rng.Chance(0.2) ? 1 : 2 + rng.Below(2);
      picked.clear();
      for (uint32_t j = 0; j < nsup; ++j) {
        const uint32_t u = zipf_supplier(rng);
        if (!Contains(picked, u)) picked.push_back(u);
      }
      for (uint32_t u : picked) k->add_suppliers(supplier_ids[u]);
      if (tier > 0) {
        const uint32_t nsub = 1 + rng.Below(4);
        picked.clear();
        for (uint32_t j = 0; j < nsub; ++j) {
          const uint32_t sub = tier == 2 ? t2 + zipf_t1(rng) : t2 + t1 + zipf_t0(rng);
          if (Contains(picked, sub)) continue;
          picked.push_back(sub);
          v1::SubComponent* sc = k->add_sub_components();
          sc->set_component(comp_ids[sub]);
          sc->set_critical(rng.Chance(0.6));
        }
      }
      progress.Tick("components", c + 1, C);
    }
  }

  // ---- Platforms ----
  std::vector<std::string> platform_ids(P);
  std::vector<v1::Domain> platform_domain(P);
  std::vector<std::string> platform_role(P);  // first role tag
  std::vector<uint32_t> platform_designer(P);
  std::vector<uint32_t> platform_producer(P);  // a non-designer producer, or the designer
  std::vector<uint32_t> gateway_platforms;
  {
    const Zipf zipf_link(L, 1.1);
    const Zipf zipf_t2(std::max<uint32_t>(t2, 1), 0.9);
    const Zipf zipf_t1(std::max<uint32_t>(t1, 1), 0.9);
    std::vector<uint32_t> links, stds, comps;
    for (uint32_t i = 0; i < P; ++i) {
      platform_ids[i] = absl::StrCat("P", i);
      v1::PlatformType* p = m.add_platforms();
      p->set_id(platform_ids[i]);
      p->set_name(absl::StrCat("type ", i));
      const v1::Domain domain = PickDomain(rng);
      platform_domain[i] = domain;
      p->set_domain(domain);
      const uint32_t nroles = 1 + rng.Below(2);
      const uint32_t r0 = rng.Below(3);
      for (uint32_t r = 0; r < nroles; ++r) p->add_roles(kRolesByDomain[domain][(r0 + r) % 3]);
      platform_role[i] = p->roles(0);
      const uint32_t t = rng.Below(10);
      p->set_tier(t < 2 ? v1::EXQUISITE : t < 6 ? v1::SECOND_TIER : t < 9 ? v1::LEGACY
                                                                        : v1::ALTERNATIVE);
      p->set_unit_cost_musd((1 + rng.Below(2000)) / 10.0);
      const bool us = rng.Chance(0.4);
      const uint32_t designer = us ? 0 : foreign();
      platform_designer[i] = designer;
      platform_producer[i] = designer;
      p->set_designer_nation(nation_ids[designer]);
      p->add_producer_nations(nation_ids[designer]);
      if (us && rng.Chance(0.4)) {  // co-produced abroad
        platform_producer[i] = foreign();
        p->add_producer_nations(nation_ids[platform_producer[i]]);
      }
      p->set_sourcing(
          ExpectedSourcing(p->designer_nation(), p->producer_nations(), kDefaultUsNation));
      // Links (Zipf-popular) and standards carried by them.
      const uint32_t nlinks = std::min<uint32_t>(L, 2 + rng.Below(4));
      links.clear();
      for (uint32_t tries = 0; links.size() < nlinks && tries < 4 * nlinks; ++tries) {
        const uint32_t l = zipf_link(rng);
        if (!Contains(links, l)) links.push_back(l);
      }
      stds.clear();
      for (uint32_t l : links) {
        p->add_links(link_ids[l]);
        if (carried[l].empty()) continue;
        const uint32_t k = 1 + rng.Below(2);
        for (uint32_t j = 0; j < k; ++j) {
          const uint32_t s = carried[l][rng.Below(static_cast<uint32_t>(carried[l].size()))];
          if (!Contains(stds, s)) stds.push_back(s);
        }
      }
      if (rng.Chance(0.1)) {
        const uint32_t s = zipf_std(rng);
        if (!Contains(stds, s)) stds.push_back(s);
      }
      for (uint32_t s : stds) p->add_standards(std_ids[s]);
      // ~1% gateway platforms (and at least one in models of 14+ platforms).
      if (i % 97 == 13 && !stds.empty()) {
        gateway_platforms.push_back(i);
        v1::Gateway* gw = p->add_gateways();
        gw->set_standard_a(std_ids[stds[0]]);
        gw->set_standard_b(std_ids[stds.size() > 1 ? stds[1] : stds[0]]);
        const uint32_t cap = rng.Below(10);
        if (cap < 2) gw->set_level_cap(3);
        if (cap == 2) gw->set_level_cap(1);
        if (stds.size() > 2 && rng.Chance(0.5)) {
          v1::Gateway* same = p->add_gateways();  // one standard across two links
          same->set_standard_a(std_ids[stds[2]]);
          same->set_standard_b(std_ids[stds[2]]);
        }
      }
      // Components: systems and assemblies, Zipf-shared.
      if (C > 0) {
        const uint32_t ncomp = 6 + rng.Below(13);
        comps.clear();
        for (uint32_t j = 0; j < ncomp; ++j) {
          const uint32_t c = rng.Chance(0.6) ? zipf_t2(rng) : t2 + zipf_t1(rng);
          if (Contains(comps, c)) continue;
          comps.push_back(c);
          v1::ComponentUse* use = p->add_components();
          use->set_component(comp_ids[c]);
          use->set_critical(rng.Chance(0.7));
        }
      }
      progress.Tick("platforms", i + 1, P);
    }
  }

  int64_t pairs_total = 0;
  if (o.elements > 0) {
    const uint32_t E = static_cast<uint32_t>(o.elements);
    v1::ForceMix* mix = m.add_mixes();
    mix->set_name("generated");
    mix->set_budget_musd(100.0 * (1 + rng.Below(100)));
    const Zipf zipf_platform(P, 0.9);
    const Zipf zipf_nation(N, 0.9);
    std::vector<uint32_t> ep(E), en(E);
    mix->mutable_elements()->Reserve(o.elements);
    for (uint32_t e = 0; e < E; ++e) {
      const uint32_t p = !gateway_platforms.empty() && rng.Chance(0.01)
                             ? gateway_platforms[rng.Below(static_cast<uint32_t>(gateway_platforms.size()))]
                             : zipf_platform(rng);
      const uint32_t x = rng.Below(10);
      const uint32_t n = x < 5 ? platform_designer[p] : x < 7 ? platform_producer[p] : zipf_nation(rng);
      ep[e] = p;
      en[e] = n;
      v1::ForceElement* fe = mix->add_elements();
      fe->set_id(absl::StrCat("E", e));
      fe->set_platform(platform_ids[p]);
      fe->set_nation(nation_ids[n]);
      fe->set_quantity(1 + rng.Below(24));
      progress.Tick("elements", e + 1, E);
    }
    // IERs with selectors narrowed around anchor elements until the pairs fit the budget.
    const int iers = o.iers > 0 ? o.iers : std::clamp(o.elements / 5000, 3, 40);
    const int64_t budget_total =
        o.max_pairs > 0 ? o.max_pairs : std::max<int64_t>(1000, 20 * int64_t{o.elements});
    const int64_t budget = std::max<int64_t>(1, budget_total / iers);
    auto region_of = [&](uint32_t n) { return nation_groups[n].back(); };
    auto matches = [&](const SideSpec& s, uint32_t e) {
      const uint32_t a = s.anchor;
      switch (s.level) {
        case 0:
          return true;
        case 1:
          return platform_domain[ep[e]] == platform_domain[ep[a]];
        case 2:
          return platform_domain[ep[e]] == platform_domain[ep[a]] &&
                 Contains(nation_groups[en[e]], region_of(en[a]));
        case 3:
          return en[e] == en[a] && platform_domain[ep[e]] == platform_domain[ep[a]];
        case 4: {
          if (en[e] != en[a]) return false;
          const auto& roles = m.platforms(static_cast<int>(ep[e])).roles();
          return std::find(roles.begin(), roles.end(), platform_role[ep[a]]) != roles.end();
        }
        case 5:
          return en[e] == en[a] && ep[e] == ep[a];
        default:
          return e == a;
      }
    };
    static constexpr int kMinLevels[] = {1, 2, 2, 3, 3, 3, 3, 4, 4, 2};
    for (int k = 0; k < iers; ++k) {
      SideSpec from{0, rng.Below(E)}, to{0, rng.Below(E)};
      if (E > 1 && to.anchor == from.anchor) to.anchor = (from.anchor + 1) % E;
      int64_t nf = 0, nt = 0, both = 0;
      auto count = [&]() {
        nf = nt = both = 0;
        for (uint32_t e = 0; e < E; ++e) {
          const bool f = matches(from, e), t = matches(to, e);
          nf += f;
          nt += t;
          both += f && t;
        }
      };
      count();
      while (nf * nt - both > budget && (from.level < kFinestLevel || to.level < kFinestLevel)) {
        SideSpec& side = (nf >= nt && from.level < kFinestLevel) || to.level == kFinestLevel ? from : to;
        ++side.level;
        count();
      }
      pairs_total += nf * nt - both;
      v1::Ier* ier = mix->add_iers();
      ier->set_name(absl::StrCat("ier-", k));
      ier->set_min_level(kMinLevels[rng.Below(10)]);
      for (auto [spec, sel] : {std::pair{from, ier->mutable_from()}, std::pair{to, ier->mutable_to()}}) {
        const uint32_t a = spec.anchor;
        switch (spec.level) {
          case 0:
            sel->set_all(true);
            break;
          case 1:
            sel->add_domains(platform_domain[ep[a]]);
            break;
          case 2:
            sel->add_groups(group_ids[region_of(en[a])]);
            sel->add_domains(platform_domain[ep[a]]);
            break;
          case 3:
            sel->add_nations(nation_ids[en[a]]);
            sel->add_domains(platform_domain[ep[a]]);
            break;
          case 4:
            sel->add_nations(nation_ids[en[a]]);
            sel->add_roles(platform_role[ep[a]]);
            break;
          case 5:
            sel->add_nations(nation_ids[en[a]]);
            sel->add_platforms(platform_ids[ep[a]]);
            break;
          default:
            sel->add_elements(absl::StrCat("E", a));
            break;
        }
      }
      progress.Tick("iers", k + 1, iers);
    }
    mix->set_description(absl::StrCat("Generated mix: ", E, " elements, ", iers, " IERs asking ",
                                      pairs_total, " ordered pairs (A != B) in all."));
  }
  m.set_description(absl::StrCat("Generated by coalition generate (seed ", o.seed, "): ", N,
                                 " nations, ", P, " platform types, ", L, " links, ", S,
                                 " standards, ", C, " components, ", U, " suppliers."));
  if (stats != nullptr) {
    stats->edges = CountTypedEdges(m);
    stats->pairs = pairs_total;
  }
  return m;
}

}  // namespace coalition::generate
