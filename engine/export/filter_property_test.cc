// The leak property of the filtered export (SPEC §7), checked by an independent, slow, obviously
// correct oracle: on seeded random models with random releasability on every entity kind
// (engine/testing/random_model.h, AddRandomReleasability) and on the shipped dataset with every
// shipped mix, for every nation:
//   - no id and no display name of an entity not releasable to the recipient occurs anywhere in
//     the textproto, JSON or binary serialization of the output (case-insensitive, bounded by
//     non-word characters where the term begins / ends with a word character — the definition of
//     filter.h, implemented here again with std::string::find; the binary bytes are searched
//     string payload by string payload, see WireStrings);
//   - every entity releasable to the recipient is kept (components: unless none of their
//     suppliers remain), and everything kept is releasable;
//   - every kept IER selects, among the kept elements, exactly what it selected before;
//   - the output validates; filtering it again changes nothing;
//   - a recipient to whom everything is releasable gets byte-identical serializations.
// The seed is printed; override with COALITION_SEED=<n>.
#include <cctype>
#include <cstdint>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "engine/export/filter.h"
#include "engine/model/element_id.h"
#include "engine/model/load.h"
#include "engine/model/validate.h"
#include "engine/testing/random_model.h"
#include "engine/testing/status_matchers.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace coalition::exports {
namespace {

namespace v1 = ::coalition::v1;
using Strings = google::protobuf::RepeatedPtrField<std::string>;

// ---- The oracle: the rule straight from SPEC §1, on strings. ---------------------------------

struct Oracle {
  const v1::Model& m;
  std::string nation;
  std::set<std::string> groups;  // the recipient's groups in the input

  Oracle(const v1::Model& model, const std::string& n) : m(model), nation(n) {
    for (const v1::Nation& x : m.nations()) {
      if (x.id() == n) groups.insert(x.groups().begin(), x.groups().end());
    }
  }
  bool Releasable(const Strings& list, const std::string& designer = "") const {
    if (list.empty()) return true;
    if (!designer.empty() && designer == nation) return true;
    for (const std::string& p : list) {
      if (p == nation || groups.count(p) > 0) return true;
    }
    return false;
  }
  // Ids and display names of every entity not releasable to the recipient.
  std::vector<std::string> WithheldTerms() const {
    std::vector<std::string> t;
    auto add = [&](const std::string& id, const std::string& name) {
      t.push_back(id);
      t.push_back(name);
      // The short form: without a trailing "(...)" holding no other parenthesis.
      const size_t open = name.rfind('(');
      if (!name.empty() && name.back() == ')' && open != std::string::npos && open > 0 &&
          name.find_first_of("()", open + 1) == name.size() - 1) {
        std::string s = name.substr(0, open);
        while (!s.empty() && s.back() == ' ') s.pop_back();
        t.push_back(s);
      }
    };
    for (const auto& x : m.groups()) if (!Releasable(x.releasable_to())) add(x.id(), x.name());
    for (const auto& x : m.platforms()) if (!Releasable(x.releasable_to())) add(x.id(), x.name());
    for (const auto& x : m.links()) {
      if (!Releasable(x.releasable_to(), x.designer_nation())) add(x.id(), x.name());
    }
    for (const auto& x : m.standards()) {
      if (!Releasable(x.releasable_to(), x.designer_nation())) add(x.id(), x.name());
    }
    for (const auto& x : m.components()) if (!Releasable(x.releasable_to())) add(x.id(), x.name());
    for (const auto& x : m.suppliers()) if (!Releasable(x.releasable_to())) add(x.id(), x.name());
    for (const auto& x : m.mixes()) if (!Releasable(x.releasable_to())) add("", x.name());
    for (const auto& x : m.restrictions()) {
      if (!Releasable(x.releasable_to())) add(x.id(), x.name());
    }
    return t;
  }
};

bool Word(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Where `term` occurs in `text` (filter.h's definition), or npos.
size_t Occurs(const std::string& text, const std::string& term) {
  bool informative = false;
  for (unsigned char c : term) informative |= Word(c) && c != '_';
  if (!informative) return std::string::npos;
  const std::string t = Lower(text), w = Lower(term);
  for (size_t at = t.find(w); at != std::string::npos; at = t.find(w, at + 1)) {
    const bool left = !Word(w.front()) || at == 0 || !Word(t[at - 1]);
    const bool right = !Word(w.back()) || at + w.size() == t.size() || !Word(t[at + w.size()]);
    if (left && right) return at;
  }
  return std::string::npos;
}

// The binary format interleaves strings with tag and length bytes, which are framing, not text:
// "SUP1" followed by the tag byte '0' of the next field reads "SUP10". So the binary bytes are
// searched payload by payload: every length-delimited payload that does not parse as a nested
// message is a string. The walk knows nothing of the schema (so it is independent of the filter
// and of protobuf's reflection). Returns false when `bytes` is not a well-formed message.
bool WireStrings(absl::string_view bytes, int depth, std::vector<std::string>* strings) {
  auto varint = [&](size_t* at, uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (*at >= bytes.size()) return false;
      const uint8_t b = static_cast<uint8_t>(bytes[(*at)++]);
      *v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return true;
    }
    return false;
  };
  std::vector<std::string> found;
  for (size_t at = 0; at < bytes.size();) {
    uint64_t tag, v;
    if (!varint(&at, &tag) || (tag >> 3) == 0) return false;
    switch (tag & 7) {
      case 0:
        if (!varint(&at, &v)) return false;
        break;
      case 1:
        at += 8;
        break;
      case 5:
        at += 4;
        break;
      case 2: {
        if (!varint(&at, &v) || v > bytes.size() - at) return false;
        const absl::string_view payload = bytes.substr(at, v);
        at += v;
        if (depth > 8 || payload.empty() || !WireStrings(payload, depth + 1, &found)) {
          found.emplace_back(payload);
        }
        break;
      }
      default:
        return false;  // groups are not used; anything else is not a message
    }
    if (at > bytes.size()) return false;
  }
  strings->insert(strings->end(), found.begin(), found.end());
  return true;
}

template <typename T>
std::set<std::string> Ids(const google::protobuf::RepeatedPtrField<T>& xs) {
  std::set<std::string> s;
  for (const T& x : xs) s.insert(x.id());
  return s;
}

// Whether element `e` of `mix` matches `sel` in `model` (SPEC §1, naively).
bool Matches(const v1::Model& model, const v1::ForceElement& e, const v1::Selector& sel) {
  if (sel.all()) return true;
  auto in = [](const Strings& values, const std::string& v) {
    for (const std::string& x : values) {
      if (x == v) return true;
    }
    return false;
  };
  const v1::PlatformType* p = nullptr;
  for (const auto& x : model.platforms()) if (x.id() == e.platform()) p = &x;
  const v1::Nation* n = nullptr;
  for (const auto& x : model.nations()) if (x.id() == e.nation()) n = &x;
  if (sel.elements_size() > 0 && !in(sel.elements(), EffectiveElementId(e))) return false;
  if (sel.platforms_size() > 0 && !in(sel.platforms(), e.platform())) return false;
  if (sel.nations_size() > 0 && !in(sel.nations(), e.nation())) return false;
  if (sel.groups_size() > 0) {
    bool any = false;
    for (const std::string& g : n->groups()) any |= in(sel.groups(), g);
    if (!any) return false;
  }
  if (sel.domains_size() > 0) {
    bool any = false;
    for (int d : sel.domains()) any |= p != nullptr && d == p->domain();
    if (!any) return false;
  }
  if (sel.roles_size() > 0) {
    bool any = false;
    for (const std::string& r : p->roles()) any |= in(sel.roles(), r);
    if (!any) return false;
  }
  return true;
}

int Errors(const v1::Model& m, const std::string& what) {
  v1::ValidationReport r = Validate(m, SourceInfo());
  for (const auto& d : r.diagnostics()) {
    if (d.severity() == v1::Diagnostic::ERROR) ADD_FAILURE() << what << ": " << FormatDiagnostic(d);
  }
  return r.errors();
}

// Every property for one model and one recipient.
void CheckRecipient(const v1::Model& in, const std::string& nation, const std::string& what) {
  SCOPED_TRACE(absl::StrCat(what, ", recipient ", nation));
  auto filtered = FilterForRecipient(in, nation);
  ASSERT_OK(filtered);
  const v1::Model& out = filtered->model;
  const Oracle o(in, nation);

  // No leak, in any format.
  std::vector<std::string> serialized;
  for (Format f : {Format::kTextProto, Format::kJson, Format::kBinary}) {
    auto bytes = SerializeMessage(out, f);
    ASSERT_OK(bytes);
    serialized.push_back(*bytes);
  }
  // textproto and JSON as they are; binary payload by payload (WireStrings).
  std::vector<std::string> texts = {serialized[0], serialized[1]};
  ASSERT_TRUE(WireStrings(serialized[2], 0, &texts));
  ASSERT_GT(texts.size(), 2u);
  for (const std::string& term : o.WithheldTerms()) {
    for (size_t k = 0; k < texts.size(); ++k) {
      const size_t at = Occurs(texts[k], term);
      EXPECT_EQ(at, std::string::npos)
          << "'" << term << "' occurs in " << (k == 0 ? "textproto" : k == 1 ? "JSON" : "binary")
          << ": ..." << absl::CEscape(texts[k].substr(at > 40 ? at - 40 : 0, 100)) << "...";
    }
  }

  // Kept = releasable (components: minus those left without a supplier).
  std::set<std::string> suppliers_kept;
  for (const auto& x : in.suppliers()) if (o.Releasable(x.releasable_to())) suppliers_kept.insert(x.id());
  EXPECT_EQ(Ids(out.suppliers()), suppliers_kept);
  std::set<std::string> groups_kept, platforms_kept, links_kept, standards_kept, components_kept;
  for (const auto& x : in.groups()) if (o.Releasable(x.releasable_to())) groups_kept.insert(x.id());
  for (const auto& x : in.platforms()) if (o.Releasable(x.releasable_to())) platforms_kept.insert(x.id());
  for (const auto& x : in.links()) {
    if (o.Releasable(x.releasable_to(), x.designer_nation())) links_kept.insert(x.id());
  }
  for (const auto& x : in.standards()) {
    if (o.Releasable(x.releasable_to(), x.designer_nation())) standards_kept.insert(x.id());
  }
  for (const auto& x : in.components()) {
    bool supplied = x.suppliers_size() == 0;
    for (const std::string& s : x.suppliers()) supplied |= suppliers_kept.count(s) > 0;
    if (o.Releasable(x.releasable_to()) && supplied) components_kept.insert(x.id());
  }
  EXPECT_EQ(Ids(out.groups()), groups_kept);
  EXPECT_EQ(Ids(out.platforms()), platforms_kept);
  EXPECT_EQ(Ids(out.links()), links_kept);
  EXPECT_EQ(Ids(out.standards()), standards_kept);
  EXPECT_EQ(Ids(out.components()), components_kept);
  EXPECT_EQ(Ids(out.nations()), Ids(in.nations()));

  // Kept mixes: elements with a kept platform, in order; each kept IER selects, among them,
  // what it selected before (the renamed element ids aside).
  int kept_mix = 0;
  for (const v1::ForceMix& mix : in.mixes()) {
    if (!o.Releasable(mix.releasable_to())) continue;
    ASSERT_LT(kept_mix, out.mixes_size());
    const v1::ForceMix& got = out.mixes(kept_mix++);
    std::vector<const v1::ForceElement*> before;
    for (const auto& e : mix.elements()) {
      if (platforms_kept.count(e.platform()) > 0) before.push_back(&e);
    }
    ASSERT_EQ(got.elements_size(), static_cast<int>(before.size()));
    int k = 0;
    for (const v1::Ier& ier : got.iers()) {
      // Find the input IER it came from: IERs keep their order.
      while (k < mix.iers_size() && mix.iers(k).min_level() != ier.min_level()) ++k;
      ASSERT_LT(k, mix.iers_size());
      bool same = false;
      for (int j = k; j < mix.iers_size() && !same; ++j) {
        const v1::Ier& was = mix.iers(j);
        if (was.min_level() != ier.min_level()) continue;
        bool all_same = true;
        for (size_t i = 0; i < before.size(); ++i) {
          for (int side = 0; side < 2; ++side) {
            const bool a = Matches(in, *before[i], side == 0 ? was.from() : was.to());
            const bool b = Matches(out, got.elements(static_cast<int>(i)),
                                   side == 0 ? ier.from() : ier.to());
            all_same &= a == b;
          }
        }
        if (all_same) {
          same = true;
          k = j + 1;
        }
      }
      EXPECT_TRUE(same) << "IER '" << ier.name() << "' changed its meaning";
    }
  }
  int releasable_mixes = 0;
  for (const auto& x : in.mixes()) releasable_mixes += o.Releasable(x.releasable_to()) ? 1 : 0;
  EXPECT_EQ(out.mixes_size(), releasable_mixes);

  // Valid, and idempotent.
  EXPECT_EQ(Errors(out, "output"), 0);
  auto again = FilterForRecipient(out, nation);
  ASSERT_OK(again);
  std::string diff;
  google::protobuf::util::MessageDifferencer d;
  d.ReportDifferencesToString(&diff);
  EXPECT_TRUE(d.Compare(out, again->model)) << "filtering twice changed: " << diff;
}

// A recipient to whom everything is releasable: `nation` appended to every non-empty list.
void CheckEverythingReleasable(v1::Model m, const std::string& nation) {
  auto open = [&](Strings* list) {
    if (!list->empty()) list->Add(std::string(nation));
  };
  for (auto& x : *m.mutable_groups()) open(x.mutable_releasable_to());
  for (auto& x : *m.mutable_platforms()) open(x.mutable_releasable_to());
  for (auto& x : *m.mutable_links()) open(x.mutable_releasable_to());
  for (auto& x : *m.mutable_standards()) open(x.mutable_releasable_to());
  for (auto& x : *m.mutable_components()) open(x.mutable_releasable_to());
  for (auto& x : *m.mutable_suppliers()) open(x.mutable_releasable_to());
  for (auto& x : *m.mutable_mixes()) open(x.mutable_releasable_to());
  for (auto& x : *m.mutable_restrictions()) open(x.mutable_releasable_to());
  auto r = FilterForRecipient(m, nation);
  ASSERT_OK(r);
  for (Format f : {Format::kTextProto, Format::kJson, Format::kBinary}) {
    auto a = SerializeMessage(m, f);
    auto b = SerializeMessage(r->model, f);
    ASSERT_OK(a);
    ASSERT_OK(b);
    EXPECT_TRUE(*a == *b) << "not byte-identical for " << nation;
  }
}

TEST(FilterPropertyTest, RandomModelsEveryRecipient) {
  const uint64_t seed = coalition::testing::TestSeed();
  std::cout << "seed " << seed << " (override with COALITION_SEED)\n";
  coalition::testing::RandomModelOptions opt;
  opt.components = 12;  // C1 next to C10 and C11
  opt.suppliers = 11;   // SUP1 next to SUP10
  opt.elements = 12;
  int removed = 0, redacted = 0, renamed = 0, narrowed = 0;
  for (uint64_t k = 0; k < 60; ++k) {
    v1::Model m = coalition::testing::RandomModel(seed + k, opt);
    coalition::testing::AddRandomReleasability(seed + k, &m);
    const std::string what = absl::StrCat("seed ", seed + k);
    ASSERT_EQ(Errors(m, what + " input"), 0);
    for (const v1::Nation& n : m.nations()) {
      CheckRecipient(m, n.id(), what);
      auto r = FilterForRecipient(m, n.id());
      if (r.ok()) {
        removed += r->summary.entities_removed();
        redacted += r->summary.texts_redacted;
        renamed += r->summary.elements_renamed;
        narrowed += r->summary.lists_narrowed;
      }
    }
    CheckEverythingReleasable(m, m.nations(0).id());
    if (::testing::Test::HasFailure()) break;  // one seed's failures are enough to read
  }
  // The random models exercise every mechanism (not a vacuous pass).
  EXPECT_GT(removed, 0);
  EXPECT_GT(redacted, 0);
  EXPECT_GT(renamed, 0);
  EXPECT_GT(narrowed, 0);
}

// The shipped dataset with every shipped mix, for every nation in it.
TEST(FilterPropertyTest, ShippedDatasetEveryNation) {
  auto loaded = LoadModel("datasets/coalition.textproto");
  ASSERT_OK(loaded);
  v1::Model m = loaded->model;
  for (const char* mix :
       {"aukus_maritime", "exquisite_f35", "frontline_air_defence", "indo_pacific",
        "nato_eastern_flank_iamd", "quantity_f16_gripen"}) {
    auto loaded_mix = LoadMix(absl::StrCat("datasets/mixes/", mix, ".textproto"));
    ASSERT_OK(loaded_mix);
    *m.add_mixes() = loaded_mix->mix;
  }
  ASSERT_EQ(Errors(m, "dataset"), 0);
  int withheld_somewhere = 0;
  for (const v1::Nation& n : m.nations()) {
    CheckRecipient(m, n.id(), "shipped dataset");
    auto r = FilterForRecipient(m, n.id());
    if (r.ok()) withheld_somewhere += r->summary.entities_removed() > 0 ? 1 : 0;
  }
  EXPECT_GT(withheld_somewhere, 0);
}

}  // namespace
}  // namespace coalition::exports
