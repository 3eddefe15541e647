#include "engine/export/filter.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "engine/model/element_id.h"
#include "engine/model/releasability.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_field.h"

namespace coalition::exports {
namespace {

namespace pb = ::google::protobuf;
namespace v1 = ::coalition::v1;
using IdSet = absl::flat_hash_set<std::string>;
using Strings = pb::RepeatedPtrField<std::string>;

constexpr absl::string_view kMarker = "[redacted]";
constexpr absl::string_view kFallbackMarker = "[***]";  // no word byte: no term can occur in it

// ---------------------------------------------------------------------------------------------
// Terms: the ids and display names of withheld entities, and where they occur.

bool IsWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c >= 0x80;
}

class TermSet {
 public:
  // Terms without a letter, digit or non-ASCII byte say nothing and are not searched.
  void Add(absl::string_view term) {
    bool informative = false;
    for (unsigned char c : term) informative |= IsWordByte(c) && c != '_';
    if (!informative) return;
    std::string lowered = absl::AsciiStrToLower(term);
    first_[static_cast<unsigned char>(lowered.front())] = true;
    if (terms_.insert(lowered).second) {
      if (std::find(lengths_.begin(), lengths_.end(), lowered.size()) == lengths_.end()) {
        lengths_.push_back(lowered.size());
        std::sort(lengths_.rbegin(), lengths_.rend());  // longest first
      }
    }
  }
  bool empty() const { return terms_.empty(); }
  const absl::flat_hash_set<std::string>& terms() const { return terms_; }

  // The length of the longest term occurring at position i of `text` (`lowered` is its ASCII
  // lower case), 0 when none.
  size_t MatchAt(absl::string_view text, absl::string_view lowered, size_t i) const {
    // Cheap rejections first: no term starts with this byte, or a word byte inside a word (a
    // term starting there would need a boundary before it).
    const unsigned char c = static_cast<unsigned char>(lowered[i]);
    if (!first_[c]) return 0;
    if (IsWordByte(c) && i > 0 && IsWordByte(static_cast<unsigned char>(text[i - 1]))) return 0;
    for (size_t len : lengths_) {
      if (i + len > text.size()) continue;
      absl::string_view cand = lowered.substr(i, len);
      if (!terms_.contains(cand)) continue;
      const bool word_start = IsWordByte(static_cast<unsigned char>(cand.front()));
      const bool word_end = IsWordByte(static_cast<unsigned char>(cand.back()));
      if (word_start && i > 0 && IsWordByte(static_cast<unsigned char>(text[i - 1]))) continue;
      if (word_end && i + len < text.size() &&
          IsWordByte(static_cast<unsigned char>(text[i + len]))) {
        continue;
      }
      return len;
    }
    return 0;
  }

  // The first occurrence of a term in `text`: {position, length}.
  std::optional<std::pair<size_t, size_t>> Find(absl::string_view text) const {
    if (terms_.empty()) return std::nullopt;
    const std::string lowered = absl::AsciiStrToLower(text);
    for (size_t i = 0; i < text.size(); ++i) {
      if (size_t len = MatchAt(text, lowered, i); len > 0) return std::make_pair(i, len);
    }
    return std::nullopt;
  }

  // Replaces every occurrence by `marker`, longest term first, until none is left. Returns
  // whether anything changed. Terminates: each replacement removes a word byte of the original
  // text and the marker holds no term.
  bool Redact(std::string* text, absl::string_view marker) const {
    if (terms_.empty()) return false;
    bool changed = false;
    for (;;) {
      const std::string lowered = absl::AsciiStrToLower(*text);
      std::string out;
      bool pass_changed = false;
      for (size_t i = 0; i < text->size();) {
        if (size_t len = MatchAt(*text, lowered, i); len > 0) {
          out.append(marker.data(), marker.size());
          i += len;
          pass_changed = true;
        } else {
          out.push_back((*text)[i]);
          ++i;
        }
      }
      if (!pass_changed) return changed;
      *text = std::move(out);
      changed = true;
    }
  }

 private:
  absl::flat_hash_set<std::string> terms_;  // ASCII-lowered
  std::vector<size_t> lengths_;             // distinct term lengths, descending
  std::array<bool, 256> first_{};           // bytes some term starts with
};

// A display name without its trailing parenthetical, the way prose names it: "Link 16 (JTIDS/MIDS)"
// -> "Link 16". Empty when the name has none.
absl::string_view ShortName(absl::string_view name) {
  if (name.empty() || name.back() != ')') return {};
  const size_t open = name.rfind('(');
  if (open == absl::string_view::npos || open == 0) return {};
  if (name.substr(open + 1, name.size() - open - 2).find_first_of("()") != absl::string_view::npos) {
    return {};
  }
  return absl::StripTrailingAsciiWhitespace(name.substr(0, open));
}

// The words the textproto and JSON serializations print besides the message's strings: field and
// enum value names of every message reachable from Model, and the literals.
void CollectSchemaWords(const pb::Descriptor* d, absl::flat_hash_set<const pb::Descriptor*>* seen,
                        std::string* out) {
  if (!seen->insert(d).second) return;
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    absl::StrAppend(out, " ", f->name(), " ", f->json_name());
    if (const pb::EnumDescriptor* e = f->enum_type(); e != nullptr) {
      for (int k = 0; k < e->value_count(); ++k) absl::StrAppend(out, " ", e->value(k)->name());
    }
    if (const pb::Descriptor* m = f->message_type(); m != nullptr) CollectSchemaWords(m, seen, out);
  }
}

const std::string& SchemaWords() {
  static const std::string* words = [] {
    // The literals, and the header `coalition convert` and `export` put on a textproto model.
    auto* s = new std::string(
        " true false inf nan Infinity NaN proto-file: coalition/v1/model.proto proto-message: "
        "coalition.v1.Model");
    absl::flat_hash_set<const pb::Descriptor*> seen;
    CollectSchemaWords(v1::Model::descriptor(), &seen, s);
    s->append(" ");
    return s;
  }();
  return *words;
}

// ---------------------------------------------------------------------------------------------
// Structural helpers.

// Removes the elements for which `drop(T&)` holds (called once per element, in order; it may
// change the element), keeping the order of the rest; returns how many were removed.
template <typename T, typename Drop>
int64_t EraseIf(pb::RepeatedPtrField<T>* field, Drop drop) {
  int kept = 0;
  for (int i = 0; i < field->size(); ++i) {
    if (drop(*field->Mutable(i))) continue;
    if (kept != i) field->SwapElements(kept, i);
    ++kept;
  }
  const int removed = field->size() - kept;
  if (removed > 0) field->DeleteSubrange(kept, removed);
  return removed;
}

int64_t DropNamed(Strings* refs, const IdSet& removed) {
  if (removed.empty()) return 0;
  return EraseIf(refs, [&](const std::string& r) { return removed.contains(r); });
}

// The path of a message in the output, for the refusal message: fields by name, repeated
// elements by their id (or name), else their index.
std::string ElementKey(const pb::Message& m, int index) {
  const pb::Descriptor* d = m.GetDescriptor();
  for (const char* key : {"id", "name"}) {
    const pb::FieldDescriptor* f = d->FindFieldByName(key);
    if (f == nullptr || f->is_repeated() || f->type() != pb::FieldDescriptor::TYPE_STRING) continue;
    std::string v = m.GetReflection()->GetString(m, f);
    if (!v.empty()) return absl::StrCat("[\"", absl::CEscape(v), "\"]");
  }
  return absl::StrCat("[", index, "]");
}

// Calls f(path, field, value*) for every string of `m` (recursively). `value` may be changed.
template <typename F>
void ForEachString(pb::Message* m, const std::string& path, F&& f) {
  const pb::Descriptor* d = m->GetDescriptor();
  const pb::Reflection* r = m->GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* fd = d->field(i);
    const std::string here = path.empty() ? fd->name() : absl::StrCat(path, ".", fd->name());
    if (fd->type() == pb::FieldDescriptor::TYPE_STRING ||
        fd->type() == pb::FieldDescriptor::TYPE_BYTES) {
      if (fd->is_repeated()) {
        for (int k = 0; k < r->FieldSize(*m, fd); ++k) {
          std::string v = r->GetRepeatedString(*m, fd, k);
          if (f(absl::StrCat(here, "[", k, "]"), fd, &v)) r->SetRepeatedString(m, fd, k, v);
        }
      } else if (r->HasField(*m, fd) || !fd->has_presence()) {
        std::string v = r->GetString(*m, fd);
        if (v.empty()) continue;
        if (f(here, fd, &v)) r->SetString(m, fd, v);
      }
    } else if (fd->type() == pb::FieldDescriptor::TYPE_MESSAGE) {
      if (fd->is_repeated()) {
        for (int k = 0; k < r->FieldSize(*m, fd); ++k) {
          pb::Message* sub = r->MutableRepeatedMessage(m, fd, k);
          ForEachString(sub, absl::StrCat(here, ElementKey(*sub, k)), f);
        }
      } else if (r->HasField(*m, fd)) {
        ForEachString(r->MutableMessage(m, fd), here, f);
      }
    }
  }
}

bool IsFreeText(const pb::FieldDescriptor* f) {
  const std::string& n = f->name();
  return !f->is_repeated() && (n == "name" || n == "description" || n == "source" || n == "edition");
}

// ---------------------------------------------------------------------------------------------

class Filter {
 public:
  Filter(const v1::Model& model, const v1::Nation& recipient) : in_(model) {
    summary_.recipient = recipient.id();
    in_parties_.nation = recipient.id();
    for (const std::string& g : recipient.groups()) in_parties_.groups.insert(g);
  }

  absl::StatusOr<FilterResult> Run();

 private:
  template <typename List>
  bool Releasable(const List& list, absl::string_view designer) const {
    return ReleasableToNation(list, designer, in_parties_);
  }
  void Withhold(IdSet* set, const std::string& id, const std::string& name) {
    set->insert(id);
    AddTerms(id, name);
  }
  void AddTerms(absl::string_view id, absl::string_view name) {
    terms_.Add(id);
    terms_.Add(name);
    terms_.Add(ShortName(name));
  }
  void DecideRemovals();
  // Drops removed groups from a kept entity's list; appends the recipient where the list would
  // otherwise be empty or no longer grant it.
  void RewriteList(Strings* list, absl::string_view designer);
  void FilterEntities(v1::Model* out);
  void FilterMix(v1::ForceMix* mix);
  // Drops selector values naming removed entities; false when the IER must go.
  bool FilterSelector(v1::Selector* sel, const IdSet& removed_elements);
  void Redact(v1::Model* out);
  void RenameElements(v1::ForceMix* mix);
  absl::Status CheckResidue(v1::Model* out);

  const v1::Model& in_;
  RecipientParties in_parties_;   // the recipient with its groups in the input
  RecipientParties out_parties_;  // ... and with its kept groups
  IdSet groups_, platforms_, links_, standards_, components_, suppliers_;  // removed ids
  TermSet terms_;
  FilterSummary summary_;
};

void Filter::DecideRemovals() {
  for (const v1::Group& g : in_.groups()) {
    if (!Releasable(g.releasable_to(), "")) Withhold(&groups_, g.id(), g.name());
  }
  summary_.groups = groups_.size();
  for (const v1::PlatformType& p : in_.platforms()) {
    if (!Releasable(p.releasable_to(), "")) Withhold(&platforms_, p.id(), p.name());
  }
  summary_.platforms = platforms_.size();
  for (const v1::CommsLink& l : in_.links()) {
    if (!Releasable(l.releasable_to(), l.designer_nation())) Withhold(&links_, l.id(), l.name());
  }
  summary_.links = links_.size();
  for (const v1::DataStandard& s : in_.standards()) {
    if (!Releasable(s.releasable_to(), s.designer_nation())) {
      Withhold(&standards_, s.id(), s.name());
    }
  }
  summary_.standards = standards_.size();
  for (const v1::Supplier& s : in_.suppliers()) {
    if (!Releasable(s.releasable_to(), "")) Withhold(&suppliers_, s.id(), s.name());
  }
  summary_.suppliers = suppliers_.size();
  for (const v1::Component& c : in_.components()) {
    if (!Releasable(c.releasable_to(), "")) Withhold(&components_, c.id(), c.name());
  }
  // Cascade: a releasable component that had suppliers and keeps none (not a term: it is
  // releasable, its name may stay in text).
  for (const v1::Component& c : in_.components()) {
    if (components_.contains(c.id()) || c.suppliers_size() == 0) continue;
    bool any = false;
    for (const std::string& s : c.suppliers()) any |= !suppliers_.contains(s);
    if (!any) {
      components_.insert(c.id());
      ++summary_.components_no_supplier;
    }
  }
  summary_.components = components_.size();
  for (const v1::ForceMix& m : in_.mixes()) {
    if (!Releasable(m.releasable_to(), "")) AddTerms("", m.name());
  }
  for (const v1::SupplyRestriction& r : in_.restrictions()) {
    if (!Releasable(r.releasable_to(), "")) AddTerms(r.id(), r.name());
  }
  out_parties_.nation = in_parties_.nation;
  for (const std::string& g : in_parties_.groups) {
    if (!groups_.contains(g)) out_parties_.groups.insert(g);
  }
}

void Filter::RewriteList(Strings* list, absl::string_view designer) {
  if (list->empty()) return;
  const int64_t dropped = DropNamed(list, groups_);
  if (dropped == 0) return;  // unchanged: still grants the recipient as it did
  summary_.references += dropped;
  if (list->empty() || !ReleasableToNation(*list, designer, out_parties_)) {
    list->Add(std::string(out_parties_.nation));
    ++summary_.lists_narrowed;
  }
}

void Filter::FilterEntities(v1::Model* out) {
  int64_t& refs = summary_.references;
  for (v1::Nation& n : *out->mutable_nations()) refs += DropNamed(n.mutable_groups(), groups_);

  EraseIf(out->mutable_groups(), [&](const v1::Group& g) { return groups_.contains(g.id()); });
  for (v1::Group& g : *out->mutable_groups()) RewriteList(g.mutable_releasable_to(), "");

  EraseIf(out->mutable_platforms(),
          [&](const v1::PlatformType& p) { return platforms_.contains(p.id()); });
  for (v1::PlatformType& p : *out->mutable_platforms()) {
    refs += DropNamed(p.mutable_links(), links_);
    refs += DropNamed(p.mutable_standards(), standards_);
    refs += EraseIf(p.mutable_gateways(), [&](const v1::Gateway& g) {
      return standards_.contains(g.standard_a()) || standards_.contains(g.standard_b());
    });
    refs += EraseIf(p.mutable_components(), [&](const v1::ComponentUse& u) {
      return components_.contains(u.component());
    });
    RewriteList(p.mutable_releasable_to(), "");
  }

  EraseIf(out->mutable_links(), [&](const v1::CommsLink& l) { return links_.contains(l.id()); });
  for (v1::CommsLink& l : *out->mutable_links()) {
    refs += DropNamed(l.mutable_standards(), standards_);
    RewriteList(l.mutable_releasable_to(), l.designer_nation());
  }

  EraseIf(out->mutable_standards(),
          [&](const v1::DataStandard& s) { return standards_.contains(s.id()); });
  for (v1::DataStandard& s : *out->mutable_standards()) {
    RewriteList(s.mutable_releasable_to(), s.designer_nation());
  }

  EraseIf(out->mutable_components(),
          [&](const v1::Component& c) { return components_.contains(c.id()); });
  for (v1::Component& c : *out->mutable_components()) {
    refs += DropNamed(c.mutable_suppliers(), suppliers_);
    refs += EraseIf(c.mutable_sub_components(), [&](const v1::SubComponent& s) {
      return components_.contains(s.component());
    });
    RewriteList(c.mutable_releasable_to(), "");
  }

  EraseIf(out->mutable_suppliers(),
          [&](const v1::Supplier& s) { return suppliers_.contains(s.id()); });
  for (v1::Supplier& s : *out->mutable_suppliers()) RewriteList(s.mutable_releasable_to(), "");

  summary_.restrictions = EraseIf(out->mutable_restrictions(), [&](v1::SupplyRestriction& r) {
    if (!Releasable(r.releasable_to(), "")) return true;
    if (!r.supplier().empty() && suppliers_.contains(r.supplier())) return true;
    const bool had = r.denied_to_size() > 0;
    const int64_t dropped = DropNamed(r.mutable_denied_to(), groups_);
    if (had && r.denied_to_size() == 0) return true;
    refs += dropped;
    return false;
  });
  for (v1::SupplyRestriction& r : *out->mutable_restrictions()) {
    RewriteList(r.mutable_releasable_to(), "");
  }

  summary_.mixes = EraseIf(out->mutable_mixes(), [&](const v1::ForceMix& m) {
    return !Releasable(m.releasable_to(), "");
  });
  for (v1::ForceMix& m : *out->mutable_mixes()) {
    FilterMix(&m);
    RewriteList(m.mutable_releasable_to(), "");
  }
}

bool Filter::FilterSelector(v1::Selector* sel, const IdSet& removed_elements) {
  if (sel->all()) return true;
  for (const std::string& g : sel->groups()) {
    if (groups_.contains(g)) return false;  // narrowing by a group would change the meaning
  }
  int64_t dropped = 0;
  // A kind that loses every value drops the IER: never widened to "all".
  auto keeps_some = [&](Strings* values, const IdSet& removed) {
    if (values->empty()) return true;  // kind not listed
    dropped += DropNamed(values, removed);
    return !values->empty();
  };
  if (!keeps_some(sel->mutable_elements(), removed_elements) ||
      !keeps_some(sel->mutable_platforms(), platforms_)) {
    return false;
  }
  summary_.references += dropped;
  return true;
}

void Filter::FilterMix(v1::ForceMix* mix) {
  IdSet removed_elements;
  summary_.elements += EraseIf(mix->mutable_elements(), [&](const v1::ForceElement& e) {
    if (!platforms_.contains(e.platform())) return false;
    removed_elements.insert(EffectiveElementId(e));
    return true;
  });
  summary_.iers += EraseIf(mix->mutable_iers(), [&](v1::Ier& ier) {
    // Both sides are filtered on a copy first, so a dropped IER counts no references.
    v1::Ier copy = ier;
    if (!FilterSelector(copy.mutable_from(), removed_elements) ||
        !FilterSelector(copy.mutable_to(), removed_elements)) {
      return true;
    }
    ier = std::move(copy);
    return false;
  });
}

// Explicit element ids holding a term are renamed "element-K"; selectors follow.
void Filter::RenameElements(v1::ForceMix* mix) {
  if (terms_.empty()) return;
  IdSet taken;
  for (const v1::ForceElement& e : mix->elements()) taken.insert(EffectiveElementId(e));
  absl::flat_hash_map<std::string, std::string> renamed;
  int k = 0;
  for (v1::ForceElement& e : *mix->mutable_elements()) {
    ++k;
    if (e.id().empty() || !terms_.Find(e.id()).has_value()) continue;
    std::string id = absl::StrCat("element-", k);
    for (int n = 2; taken.contains(id) || terms_.Find(id).has_value(); ++n) {
      id = absl::StrCat("element-", k, "-", n);
    }
    taken.insert(id);
    renamed.emplace(e.id(), id);
    e.set_id(id);
    ++summary_.elements_renamed;
  }
  if (renamed.empty()) return;
  for (v1::Ier& ier : *mix->mutable_iers()) {
    for (v1::Selector* sel : {ier.mutable_from(), ier.mutable_to()}) {
      for (std::string& v : *sel->mutable_elements()) {
        if (auto it = renamed.find(v); it != renamed.end()) v = it->second;
      }
    }
  }
}

// Free text redacted; then mix and IER names made unique again.
void Filter::Redact(v1::Model* out) {
  if (terms_.empty()) return;
  const absl::string_view marker = terms_.Find(kMarker).has_value() ? kFallbackMarker : kMarker;
  ForEachString(out, "", [&](const std::string&, const pb::FieldDescriptor* f, std::string* v) {
    if (!IsFreeText(f) || !terms_.Redact(v, marker)) return false;
    ++summary_.texts_redacted;
    return true;
  });
  auto unique = [&](auto* items) {
    absl::flat_hash_set<std::string> seen;
    for (auto& item : *items) {
      if (seen.insert(item.name()).second) continue;
      std::string name;
      for (int n = 2;; ++n) {
        name = absl::StrCat(item.name(), " (", n, ")");
        if (!seen.contains(name) && !terms_.Find(name).has_value()) break;
      }
      seen.insert(name);
      item.set_name(name);
    }
  };
  unique(out->mutable_mixes());
  for (v1::ForceMix& m : *out->mutable_mixes()) {
    RenameElements(&m);
    unique(m.mutable_iers());
  }
}

absl::Status Filter::CheckResidue(v1::Model* out) {
  if (terms_.empty()) return absl::OkStatus();
  // A term that is a word of the serializations themselves, or a number, cannot be kept out of
  // them.
  for (const std::string& t : terms_.terms()) {
    double number;
    TermSet one;
    one.Add(t);
    if (absl::SimpleAtod(t, &number) || one.Find(SchemaWords()).has_value()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "cannot export for ", summary_.recipient, ": the withheld id or name '", t,
          "' is a number or a word of the file formats themselves (a field or enum name), so it "
          "would appear in the output; rename the entity"));
    }
  }
  absl::Status status;
  ForEachString(out, "", [&](const std::string& path, const pb::FieldDescriptor*, std::string* v) {
    if (!status.ok()) return false;
    if (auto at = terms_.Find(*v); at.has_value()) {
      status = absl::FailedPreconditionError(absl::StrCat(
          "cannot export for ", summary_.recipient, ": ", path, " ('", absl::CEscape(*v),
          "') is kept but contains '", v->substr(at->first, at->second),
          "', the id or name of an entity not releasable to ", summary_.recipient,
          "; rename it, or make it not releasable to ", summary_.recipient, " too"));
    }
    return false;
  });
  return status;
}

absl::StatusOr<FilterResult> Filter::Run() {
  DecideRemovals();
  FilterResult result;
  result.model = in_;
  FilterEntities(&result.model);
  Redact(&result.model);
  if (absl::Status s = CheckResidue(&result.model); !s.ok()) return s;
  result.summary = summary_;
  return result;
}

}  // namespace

absl::StatusOr<FilterResult> FilterForRecipient(const v1::Model& model,
                                                absl::string_view recipient) {
  for (const v1::Nation& n : model.nations()) {
    if (n.id() == recipient) return Filter(model, n).Run();
  }
  return absl::NotFoundError(
      absl::StrCat("the recipient '", recipient, "' is not a nation of the model"));
}

std::string SummaryText(const FilterSummary& s) {
  auto n = [](int64_t count, absl::string_view one, absl::string_view many) {
    return absl::StrCat(count, " ", count == 1 ? one : many);
  };
  std::string components = n(s.components, "component", "components");
  if (s.components_no_supplier > 0) {
    absl::StrAppend(&components, " (", s.components_no_supplier,
                    " of them releasable but left without a supplier)");
  }
  return absl::StrCat(
      "export for ", s.recipient, ": removed ",
      absl::StrJoin({n(s.groups, "group", "groups"), n(s.platforms, "platform type", "platform types"),
                     n(s.links, "link", "links"), n(s.standards, "standard", "standards"),
                     components, n(s.suppliers, "supplier", "suppliers"),
                     n(s.restrictions, "supply restriction", "supply restrictions"),
                     n(s.mixes, "mix", "mixes")},
                    ", "),
      "; from the kept mixes ", n(s.elements, "force element", "force elements"), " and ",
      n(s.iers, "IER", "IERs"), "; ", n(s.references, "reference", "references"), " dropped, ",
      n(s.texts_redacted, "text", "texts"), " redacted, ",
      n(s.elements_renamed, "element id", "element ids"), " renamed, ",
      n(s.lists_narrowed, "releasability list", "releasability lists"), " narrowed to ",
      s.recipient, "\n");
}

}  // namespace coalition::exports
