#include "engine/model/validate.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "engine/base/checked_math.h"
#include "engine/base/utf8.h"
#include "engine/model/interner.h"
#include "engine/model/selector_rule.h"
#include "engine/model/sourcing.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_field.h"

namespace coalition {
namespace {

namespace pb = ::google::protobuf;
using ::coalition::v1::CommsLink;
using ::coalition::v1::Component;
using ::coalition::v1::ComponentUse;
using ::coalition::v1::DataStandard;
using ::coalition::v1::Diagnostic;
using ::coalition::v1::ForceElement;
using ::coalition::v1::ForceMix;
using ::coalition::v1::Gateway;
using ::coalition::v1::Group;
using ::coalition::v1::Ier;
using ::coalition::v1::Model;
using ::coalition::v1::Nation;
using ::coalition::v1::PlatformType;
using ::coalition::v1::Selector;
using ::coalition::v1::SubComponent;
using ::coalition::v1::Supplier;
using ::coalition::v1::ValidationReport;

// Did-you-mean scans at most this many ids of one kind; larger kinds get no suggestion.
constexpr int kSuggestionScanCap = 100000;
// Ids longer than this are never compared for a suggestion (keeps each comparison cheap).
constexpr int kSuggestionMaxLength = 256;
// A cycle message lists at most this many ids before eliding the rest.
constexpr int kCycleMessageIds = 32;
// Total cycle length walked while naming cycles; beyond it the remaining cycles are counted.
constexpr int64_t kCycleWorkBudget = 20'000'000;

constexpr absl::string_view kIdPattern = "[A-Za-z0-9._:-]+";

// Upper bounds on input numbers, so that every total the engine computes from them stays far
// inside int64 and finite doubles (issue 16): units of one force element, and any cost or budget
// in USD millions (10^9 M$ = 10^15 USD).
constexpr int64_t kMaxQuantity = 1'000'000'000;
constexpr double kMaxCostMusd = 1e9;

bool IsValidId(absl::string_view id) {
  if (id.empty()) return false;
  for (char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// Levenshtein distance (insert, delete, substitute) if it is <= bound, else bound + 1.
int BoundedEditDistance(absl::string_view a, absl::string_view b, int bound) {
  if (std::abs(static_cast<int>(a.size()) - static_cast<int>(b.size())) > bound) return bound + 1;
  if (a.size() > static_cast<size_t>(kSuggestionMaxLength) ||
      b.size() > static_cast<size_t>(kSuggestionMaxLength)) {
    return bound + 1;
  }
  std::array<int, kSuggestionMaxLength + 1> prev;
  std::array<int, kSuggestionMaxLength + 1> cur;
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 0; i < a.size(); ++i) {
    cur[0] = static_cast<int>(i) + 1;
    int row_min = cur[0];
    for (size_t j = 0; j < b.size(); ++j) {
      const int cost = a[i] == b[j] ? 0 : 1;
      cur[j + 1] = std::min({prev[j + 1] + 1, cur[j] + 1, prev[j] + cost});
      row_min = std::min(row_min, cur[j + 1]);
    }
    if (row_min > bound) return bound + 1;
    std::swap(prev, cur);
  }
  return std::min(prev[b.size()], bound + 1);
}

std::string Quoted(absl::string_view s) { return absl::StrCat("'", absl::CEscape(s), "'"); }

// ---------------------------------------------------------------------------------------------
// Where a diagnostic points: a root message (the model or a mix file) and a field path in it.

// One root message and the file it came from.
struct Scope {
  const SourceInfo* source = nullptr;  // null: no positions
  std::string file;                    // "" for stdin
  int file_index = 0;                  // 0 = the model, 1.. = extra mixes in the given order
};

// One step of an entity path: a field of `msg` (by number), an index for repeated fields, and
// for entities the id that names them in the path (`platforms["F-16C"]`).
struct Seg {
  const pb::Descriptor* msg = nullptr;
  int number = 0;
  int index = -1;
  absl::string_view id;
  bool keyed = false;  // path shows ["id"] when id is non-empty
  bool locate = true;  // part of the FieldStep path (false for the `mixes[...]` of a mix file)
};

// An entity path under construction; cheap to copy, turned into strings only when reported.
struct Ctx {
  const Scope* scope = nullptr;
  std::array<Seg, 5> segs;
  int n = 0;

  Ctx Sub(const pb::Descriptor* msg, int number, int index = -1) const {
    Ctx c = *this;
    c.segs[c.n++] = Seg{msg, number, index, {}, false, true};
    return c;
  }
  Ctx Keyed(const pb::Descriptor* msg, int number, int index, absl::string_view id) const {
    Ctx c = *this;
    c.segs[c.n++] = Seg{msg, number, index, id, true, true};
    return c;
  }
};

const pb::FieldDescriptor* FieldOf(const Seg& s) { return s.msg->FindFieldByNumber(s.number); }

std::string PathString(const Ctx& c) {
  std::string out;
  for (int i = 0; i < c.n; ++i) {
    const Seg& s = c.segs[i];
    const pb::FieldDescriptor* f = FieldOf(s);
    if (i > 0) out += '.';
    out += f == nullptr ? absl::StrCat("#", s.number) : f->name();
    if (s.index < 0) continue;
    if (s.keyed && !s.id.empty()) {
      absl::StrAppend(&out, "[\"", absl::CEscape(s.id), "\"]");
    } else {
      absl::StrAppend(&out, "[", s.index, "]");
    }
  }
  return out;
}

// The position of the deepest recorded step of the path (a missing field falls back to the
// entity that lacks it), or {0, 0}.
std::pair<int, int> LocateCtx(const Ctx& c) {
  if (c.scope->source == nullptr) return {0, 0};
  std::vector<FieldStep> steps;
  for (int i = 0; i < c.n; ++i) {
    const Seg& s = c.segs[i];
    if (!s.locate) continue;
    const pb::FieldDescriptor* f = FieldOf(s);
    // ParseInfoTree insists on an index for repeated fields and none for singular ones; a path
    // to a whole repeated field (no index) is located at its parent.
    if (f == nullptr || f->is_repeated() != (s.index >= 0)) break;
    steps.push_back(FieldStep{f, s.index});
  }
  while (!steps.empty()) {
    std::pair<int, int> loc = c.scope->source->Locate(steps);
    if (loc.first > 0) return loc;
    steps.pop_back();
  }
  return {0, 0};
}

// A diagnostic with its sort key.
struct Pending {
  Diagnostic d;
  int file_index;
  int top_number;  // field number of the first located step (model order of entity kinds)
  int top_index;   // its index
  int phase;       // the check that emitted it (Phase): streamed and batch runs sort alike
  int64_t seq;     // emission order
};

// The checks in the order Validate() has always run them. A diagnostic's sort key breaks ties
// (same file, position and entity) by phase before emission order, so that entities fed one at a
// time (each running its kind checks, field walk and releasability check together) report in
// the same order as a pass per check over the whole model.
enum Phase : int {
  kPhaseKinds = 0,      // us_nation, then each entity kind's own checks
  kPhaseCycles,         // sub-component cycles
  kPhaseMixes,          // mixes and their selectors
  kPhaseFields,         // the reflection walk (and the empty-model warning)
  kPhaseReleasability,  // releasable_to of groups, platforms, components, suppliers, ...
  kPhaseRestrictions,   // supply restrictions
};

// Copies of short strings that outlive the message they came from (an added entity is reused
// by the caller): blocks of 64 KiB, so one allocation serves thousands of strings; views stay
// valid for the arena's life.
class StringArena {
 public:
  absl::string_view Copy(absl::string_view s) {
    if (s.empty()) return absl::string_view();
    if (s.size() > kBlock / 4) {  // a long string gets a block of its own
      blocks_.push_back(std::make_unique<char[]>(s.size()));
      std::memcpy(blocks_.back().get(), s.data(), s.size());
      return absl::string_view(blocks_.back().get(), s.size());
    }
    if (left_ < s.size()) {
      blocks_.push_back(std::make_unique<char[]>(kBlock));
      cur_ = blocks_.back().get();
      left_ = kBlock;
    }
    std::memcpy(cur_, s.data(), s.size());
    const absl::string_view out(cur_, s.size());
    cur_ += s.size();
    left_ -= s.size();
    return out;
  }

 private:
  static constexpr size_t kBlock = 64 * 1024;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* cur_ = nullptr;
  size_t left_ = 0;
};

int SeverityRank(Diagnostic::Severity s) {
  switch (s) {
    case Diagnostic::ERROR:
      return 0;
    case Diagnostic::WARNING:
      return 1;
    default:
      return 2;
  }
}

// ---------------------------------------------------------------------------------------------
// Id indexes.

struct IdIndex {
  absl::flat_hash_map<absl::string_view, int> first;  // id -> index of its first entity
  std::vector<absl::string_view> ids;                 // distinct ids, first-use order

  void Reserve(int n) {
    first.reserve(n);
    ids.reserve(n);
  }
  // Returns the index of the first entity with `id` (and registers it if new).
  int Add(absl::string_view id, int index) {
    auto [it, inserted] = first.try_emplace(id, index);
    if (inserted) ids.push_back(id);
    return it->second;
  }
  int Find(absl::string_view id) const {
    auto it = first.find(id);
    return it == first.end() ? -1 : it->second;
  }
};

// A model kind's ids: a view of the shared interner (engine/model/interner.h).
struct KindIndex {
  const InternedKind* ids = nullptr;
  int Find(absl::string_view id) const { return ids->Find(id); }
};

enum class Kind {
  kNation,
  kGroup,
  kPlatform,
  kLink,
  kStandard,
  kComponent,
  kSupplier,
  kNationOrGroup,
  kElement,
};

absl::string_view KindLabel(Kind k) {
  switch (k) {
    case Kind::kNation:
      return "nation";
    case Kind::kGroup:
      return "group";
    case Kind::kPlatform:
      return "platform";
    case Kind::kLink:
      return "link";
    case Kind::kStandard:
      return "standard";
    case Kind::kComponent:
      return "component";
    case Kind::kSupplier:
      return "supplier";
    case Kind::kNationOrGroup:
      return "nation or group";
    case Kind::kElement:
      return "element";
  }
  return "entity";
}

// Membership test over a selector's repeated string values: linear for short lists, hashed for
// long ones.
class ValueSet {
 public:
  explicit ValueSet(const pb::RepeatedPtrField<std::string>& values) : values_(values) {
    if (values.size() > 8) {
      for (const std::string& v : values) set_.insert(v);
    }
  }
  bool empty() const { return values_.empty(); }
  bool Contains(absl::string_view v) const {
    if (!set_.empty()) return set_.contains(v);
    for (const std::string& x : values_) {
      if (x == v) return true;
    }
    return false;
  }

 private:
  const pb::RepeatedPtrField<std::string>& values_;
  absl::flat_hash_set<absl::string_view> set_;
};

// Whether `sel` lists kind `k` (selector_rule.h).
bool Lists(const Selector& sel, SelectorKind k) {
  switch (k) {
    case SelectorKind::kElements:
      return sel.elements_size() > 0;
    case SelectorKind::kPlatforms:
      return sel.platforms_size() > 0;
    case SelectorKind::kNations:
      return sel.nations_size() > 0;
    case SelectorKind::kGroups:
      return sel.groups_size() > 0;
    case SelectorKind::kDomains:
      return sel.domains_size() > 0;
    case SelectorKind::kRoles:
      return sel.roles_size() > 0;
  }
  return false;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

namespace validate_internal {

// The rules, for EntityValidator (validate.h) and so for Validate(): each entity's checks run
// when it is added (Add), the checks over the whole model in Finish().
class Validator {
 public:
  // `model`: the skeleton (its entity lists, if any, are ignored: entities come through Add).
  Validator(const Model& model, const SourceInfo& source, const std::vector<MixInput>& extra,
            const ModelIndex& index)
      : model_(model), extra_(extra), index_(index) {
    model_scope_.source = &source;
    model_scope_.file = FileName(source.file());
    model_scope_.file_index = 0;
    extra_scopes_.resize(extra.size());
    for (size_t k = 0; k < extra.size(); ++k) {
      extra_scopes_[k].source = extra[k].source;
      extra_scopes_[k].file = extra[k].source == nullptr ? "" : FileName(extra[k].source->file());
      extra_scopes_[k].file_index = static_cast<int>(k) + 1;
    }
    root_.scope = &model_scope_;
    BuildIndexes();
    // The side tables' sizes are known from the index.
    sub_begin_.reserve(static_cast<size_t>(index[IdKind::kComponent].size()) + 1);
    nation_group_begin_.reserve(static_cast<size_t>(index[IdKind::kNation].size()) + 1);
    platform_domain_.reserve(index[IdKind::kPlatform].size());
    platform_role_begin_.reserve(static_cast<size_t>(index[IdKind::kPlatform].size()) + 1);
    phase_ = kPhaseKinds;
    CheckUsNation();
  }

  // Each runs the entity's own checks, the reflection walk of its fields and (where the kind
  // has one) the check of its releasable_to list. Nothing is kept that points into the entity.
  void Add(int i, const Nation& n);
  void Add(int i, const Group& g);
  void Add(int i, const PlatformType& p);
  void Add(int i, const CommsLink& l);
  void Add(int i, const DataStandard& s);
  void Add(int i, const Component& c);
  void Add(int i, const Supplier& s);
  // The checks over the whole model, then the sorted report.
  ValidationReport Finish();

 private:
  static std::string FileName(const std::string& f) { return f == "-" ? "" : f; }

  void Report(Diagnostic::Severity severity, const Ctx& at, absl::string_view code,
              std::string message);
  void Error(const Ctx& at, absl::string_view code, std::string message) {
    Report(Diagnostic::ERROR, at, code, std::move(message));
  }
  void Warning(const Ctx& at, absl::string_view code, std::string message) {
    Report(Diagnostic::WARNING, at, code, std::move(message));
  }

  void BuildIndexes();
  // bad-id and duplicate-id for the id of entity `index` of a kind.
  void CheckEntityId(const Ctx& id_at, absl::string_view id, absl::string_view kind_label,
                     absl::string_view list_name, const KindIndex& index, int i);
  // CheckRef (RequireRef when `required`) on every entry of a list of n references, entry j
  // get(j), at at(j): resolved in one batch, a path built only for an entry that fails. Kinds
  // of the model only (not kElement). `resolved` (optional) receives each entry's local index
  // or -1.
  template <typename Get, typename At>
  void CheckRefList(int n, const Get& get, const At& at, Kind kind,
                    absl::string_view required_field = {},
                    std::vector<int32_t>* resolved = nullptr);
  void RequireString(const Ctx& at, absl::string_view value, absl::string_view field_name);
  void RequireEnum(const Ctx& at, int value);
  void NonNegativeCost(const Ctx& at, double value, absl::string_view field_name);
  // dangling-reference; returns whether `ref` resolves. `elements` is the mix's element index
  // for Kind::kElement.
  bool CheckRef(const Ctx& at, absl::string_view ref, Kind kind, const IdIndex* elements = nullptr);
  // A required reference: missing-field when empty, else CheckRef.
  bool RequireRef(const Ctx& at, absl::string_view ref, Kind kind, absl::string_view field_name);
  std::string Suggest(absl::string_view ref, Kind kind, const IdIndex* elements);

  // The entity kinds' descriptors, looked up once (X::descriptor() is not free, and the
  // per-entity checks run millions of times).
  struct Descriptors {
    const pb::Descriptor* model = Model::descriptor();
    const pb::Descriptor* nation = Nation::descriptor();
    const pb::Descriptor* group = Group::descriptor();
    const pb::Descriptor* platform = PlatformType::descriptor();
    const pb::Descriptor* gateway = Gateway::descriptor();
    const pb::Descriptor* component_use = ComponentUse::descriptor();
    const pb::Descriptor* link = CommsLink::descriptor();
    const pb::Descriptor* standard = DataStandard::descriptor();
    const pb::Descriptor* component = Component::descriptor();
    const pb::Descriptor* sub_component = SubComponent::descriptor();
    const pb::Descriptor* supplier = Supplier::descriptor();
  };
  const Descriptors desc_;

  // The path of entity i of the kind at Model field `number`.
  Ctx EntityCtx(int number, int i, absl::string_view id) const {
    return root_.Keyed(desc_.model, number, i, id);
  }
  void CheckUsNation();
  void CheckNation(const Ctx& e, int i, const Nation& n);
  void CheckGroup(const Ctx& e, int i, const Group& g);
  void CheckPlatform(const Ctx& e, int i, const PlatformType& p);
  void CheckSourcing(const Ctx& at, const PlatformType& p);
  void CheckLink(const Ctx& e, int i, const CommsLink& l);
  void CheckStandard(const Ctx& e, int i, const DataStandard& s);
  void CheckComponent(const Ctx& e, int i, const Component& c);
  void CheckComponentCycles();
  void CheckSupplier(const Ctx& e, int i, const Supplier& s);
  void CheckMixes();
  void CheckMix(const ForceMix& mix, const Ctx& m);
  // Over every field of the model and the extra mixes, by reflection (so new schema fields are
  // covered too): enum values the schema does not define (out-of-range), strings that are not
  // UTF-8 (invalid-utf8), and repeated strings or enums listing one value twice
  // (duplicate-entry). An empty model gets the empty-model warning. The entities are walked
  // as they are added (Add); this walks the rest of the model (mixes, restrictions, ...).
  void CheckEveryField();
  // `skip_entities`: leave out the Model's entity lists (the skeleton walk).
  void CheckFields(const pb::Message& msg, const Ctx& at, bool skip_entities = false);
  // releasable_to on the entity kinds other than links and standards (SPEC §1, §7): one list
  // (the entities' when added, the rest in Finish).
  void CheckReleasabilityList(const Ctx& e, const pb::Descriptor* d, int number,
                              const pb::RepeatedPtrField<std::string>& list);
  void CheckOtherReleasabilityLists();
  // Supply restrictions in force (SPEC §1, §4): ids, exactly one of supplier / supplier_nation,
  // references, at least one denied party.
  void CheckRestrictions();

  const Model& model_;
  const std::vector<MixInput>& extra_;
  Scope model_scope_;
  std::vector<Scope> extra_scopes_;
  Ctx root_;

  const ModelIndex& index_;
  KindIndex nations_, groups_, platforms_, links_, standards_, components_, suppliers_;
  // Resolved sub-component references (CheckComponent), reused by CheckComponentCycles:
  // component i's are sub_targets_[sub_begin_[i] .. sub_begin_[i + 1]).
  std::vector<int32_t> sub_targets_;
  std::vector<uint32_t> sub_begin_ = {0};
  // What the selector check (CheckMix) reads of the entities, kept as they are added. Nation i's
  // groups, resolved (-1: dangling, which no valid selector group can name):
  // nation_groups_[nation_group_begin_[i] .. nation_group_begin_[i + 1]).
  std::vector<int32_t> nation_groups_;
  std::vector<uint32_t> nation_group_begin_ = {0};
  // Platform i's domain, and its roles (copied into arena_):
  // platform_roles_[platform_role_begin_[i] .. platform_role_begin_[i + 1]).
  std::vector<int> platform_domain_;
  std::vector<absl::string_view> platform_roles_;
  std::vector<uint32_t> platform_role_begin_ = {0};
  // The first standard of each (family, version) (family copied into arena_).
  absl::flat_hash_map<std::pair<absl::string_view, int>, int> family_version_;
  StringArena arena_;
  bool any_entity_ = false;
  int phase_ = kPhaseKinds;

  absl::Span<const int32_t> NationGroups(int n) const {
    return absl::MakeConstSpan(nation_groups_.data() + nation_group_begin_[n],
                               nation_group_begin_[n + 1] - nation_group_begin_[n]);
  }
  absl::Span<const absl::string_view> PlatformRoles(int p) const {
    return absl::MakeConstSpan(platform_roles_.data() + platform_role_begin_[p],
                               platform_role_begin_[p + 1] - platform_role_begin_[p]);
  }
  std::vector<int32_t> batch_;  // CheckRefList scratch
  // CheckFields scratch, one per path depth (the recursion never shares a depth).
  std::array<std::vector<const pb::FieldDescriptor*>, 8> field_bufs_;
  // UsNationId(model_); false when us_nation is set but names no nation (sourcing unchecked).
  absl::string_view us_nation_;
  bool us_nation_known_ = true;
  absl::flat_hash_map<std::string, std::string> suggestion_memo_;

  std::vector<Pending> pending_;
  int64_t seq_ = 0;
};

void Validator::Report(Diagnostic::Severity severity, const Ctx& at, absl::string_view code,
                       std::string message) {
  Pending p;
  p.d.set_severity(severity);
  p.d.set_file(at.scope->file);
  std::pair<int, int> loc = LocateCtx(at);
  p.d.set_line(loc.first);
  p.d.set_column(loc.second);
  p.d.set_path(PathString(at));
  p.d.set_code(std::string(code));
  p.d.set_message(std::move(message));
  p.file_index = at.scope->file_index;
  p.top_number = 0;
  p.top_index = 0;
  for (int i = 0; i < at.n; ++i) {
    if (!at.segs[i].locate) continue;
    p.top_number = at.segs[i].number;
    p.top_index = at.segs[i].index;
    break;
  }
  p.seq = seq_++;
  p.phase = phase_;
  pending_.push_back(std::move(p));
}

void Validator::BuildIndexes() {
  nations_.ids = &index_[IdKind::kNation];
  groups_.ids = &index_[IdKind::kGroup];
  platforms_.ids = &index_[IdKind::kPlatform];
  links_.ids = &index_[IdKind::kLink];
  standards_.ids = &index_[IdKind::kStandard];
  components_.ids = &index_[IdKind::kComponent];
  suppliers_.ids = &index_[IdKind::kSupplier];
}

void Validator::CheckEntityId(const Ctx& id_at, absl::string_view id, absl::string_view kind_label,
                              absl::string_view list_name, const KindIndex& index, int i) {
  if (id.empty()) {
    Error(id_at, "bad-id", absl::StrCat(kind_label, " id is empty"));
    return;
  }
  if (!IsValidId(id)) {
    Error(id_at, "bad-id",
          absl::StrCat(kind_label, " id ", Quoted(id), " must match ", kIdPattern));
  }
  const int first = static_cast<int>(index.ids->FirstOf(static_cast<uint32_t>(i)));
  if (first != i) {
    Error(id_at, "duplicate-id",
          absl::StrCat("duplicate ", kind_label, " id ", Quoted(id), " (first used by ", list_name,
                       "[", first, "])"));
  }
}

void Validator::RequireString(const Ctx& at, absl::string_view value,
                              absl::string_view field_name) {
  if (value.empty()) {
    Error(at, "missing-field", absl::StrCat("required field '", field_name, "' is empty"));
  }
}

void Validator::RequireEnum(const Ctx& at, int value) {
  if (value != 0) return;
  const pb::FieldDescriptor* f = FieldOf(at.segs[at.n - 1]);
  const pb::EnumValueDescriptor* zero =
      f != nullptr && f->enum_type() != nullptr ? f->enum_type()->FindValueByNumber(0) : nullptr;
  Error(at, "unspecified-enum",
        absl::StrCat("required field '", f == nullptr ? "?" : f->name(), "' is ",
                     zero == nullptr ? "unspecified" : zero->name()));
}

void Validator::NonNegativeCost(const Ctx& at, double value, absl::string_view field_name) {
  if (std::isnan(value) || std::isinf(value)) {
    Error(at, "negative-value",
          absl::StrCat(field_name, " must be a finite number >= 0, is ", value));
  } else if (value < 0) {
    Error(at, "negative-value", absl::StrCat(field_name, " must be >= 0, is ", value));
  } else if (value > kMaxCostMusd) {
    Error(at, "out-of-range",
          absl::StrCat(field_name, " must be at most ", kMaxCostMusd, " (USD millions), is ", value));
  }
}

bool Validator::CheckRef(const Ctx& at, absl::string_view ref, Kind kind, const IdIndex* elements) {
  bool found = false;
  switch (kind) {
    case Kind::kNation:
      found = nations_.Find(ref) >= 0;
      break;
    case Kind::kGroup:
      found = groups_.Find(ref) >= 0;
      break;
    case Kind::kPlatform:
      found = platforms_.Find(ref) >= 0;
      break;
    case Kind::kLink:
      found = links_.Find(ref) >= 0;
      break;
    case Kind::kStandard:
      found = standards_.Find(ref) >= 0;
      break;
    case Kind::kComponent:
      found = components_.Find(ref) >= 0;
      break;
    case Kind::kSupplier:
      found = suppliers_.Find(ref) >= 0;
      break;
    case Kind::kNationOrGroup:
      found = nations_.Find(ref) >= 0 || groups_.Find(ref) >= 0;
      break;
    case Kind::kElement:
      found = elements != nullptr && elements->Find(ref) >= 0;
      break;
  }
  if (found) return true;
  if (ref.empty()) {
    Error(at, "dangling-reference", absl::StrCat("empty ", KindLabel(kind), " reference"));
    return false;
  }
  std::string message = absl::StrCat(KindLabel(kind), " ", Quoted(ref), " does not exist");
  const std::string suggestion = Suggest(ref, kind, elements);
  if (!suggestion.empty()) absl::StrAppend(&message, "; did you mean ", Quoted(suggestion), "?");
  Error(at, "dangling-reference", std::move(message));
  return false;
}

bool Validator::RequireRef(const Ctx& at, absl::string_view ref, Kind kind,
                           absl::string_view field_name) {
  if (ref.empty()) {
    RequireString(at, ref, field_name);
    return false;
  }
  return CheckRef(at, ref, kind);
}

namespace {
// Entry j of a repeated string field, for CheckRefList.
auto Entries(const pb::RepeatedPtrField<std::string>& list) {
  return [&list](size_t j) -> absl::string_view { return list.Get(static_cast<int>(j)); };
}
// The field at `number` (entry j) of the entity at `e`, for CheckRefList.
auto EntryAt(const Ctx& e, const pb::Descriptor* d, int number) {
  return [&e, d, number](int j) { return e.Sub(d, number, j); };
}
}  // namespace

template <typename Get, typename At>
void Validator::CheckRefList(int n, const Get& get, const At& at, Kind kind,
                             absl::string_view required_field, std::vector<int32_t>* resolved) {
  if (n <= 0) return;
  const KindIndex* first = nullptr;
  switch (kind) {
    case Kind::kNation:
    case Kind::kNationOrGroup:
      first = &nations_;
      break;
    case Kind::kGroup:
      first = &groups_;
      break;
    case Kind::kPlatform:
      first = &platforms_;
      break;
    case Kind::kLink:
      first = &links_;
      break;
    case Kind::kStandard:
      first = &standards_;
      break;
    case Kind::kComponent:
      first = &components_;
      break;
    case Kind::kSupplier:
      first = &suppliers_;
      break;
    case Kind::kElement:
      return;
  }
  batch_.resize(static_cast<size_t>(n));
  first->ids->FindMany(static_cast<size_t>(n), get, batch_.data());
  if (resolved != nullptr) resolved->insert(resolved->end(), batch_.begin(), batch_.begin() + n);
  for (int j = 0; j < n; ++j) {
    const absl::string_view ref = get(static_cast<size_t>(j));
    if (!required_field.empty() && ref.empty()) {
      RequireString(at(j), ref, required_field);
      continue;
    }
    if (batch_[j] >= 0) continue;
    if (kind == Kind::kNationOrGroup && groups_.Find(ref) >= 0) continue;
    CheckRef(at(j), ref, kind);
  }
}

// The id of the expected kind closest to `ref`: rank 0 for a case-insensitive match, else the
// edit distance (at most 2); ties go to the lexicographically smallest id. "" when none, or
// when the kind has more than kSuggestionScanCap ids.
std::string Validator::Suggest(absl::string_view ref, Kind kind, const IdIndex* elements) {
  // At most two kinds are searched (nation or group).
  std::array<const KindIndex*, 2> indexes = {nullptr, nullptr};
  switch (kind) {
    case Kind::kNation:
      indexes[0] = &nations_;
      break;
    case Kind::kGroup:
      indexes[0] = &groups_;
      break;
    case Kind::kPlatform:
      indexes[0] = &platforms_;
      break;
    case Kind::kLink:
      indexes[0] = &links_;
      break;
    case Kind::kStandard:
      indexes[0] = &standards_;
      break;
    case Kind::kComponent:
      indexes[0] = &components_;
      break;
    case Kind::kSupplier:
      indexes[0] = &suppliers_;
      break;
    case Kind::kNationOrGroup:
      indexes = {&nations_, &groups_};
      break;
    case Kind::kElement:
      break;
  }
  size_t total = 0;
  if (kind == Kind::kElement) {
    if (elements != nullptr) total = elements->ids.size();
  } else {
    for (const KindIndex* index : indexes) {
      if (index != nullptr) total += index->ids->distinct();
    }
  }
  if (total > static_cast<size_t>(kSuggestionScanCap)) return "";

  // Element ids are per mix: memoize only model kinds.
  std::string memo_key;
  if (kind != Kind::kElement) {
    memo_key = absl::StrCat(static_cast<int>(kind), ":", ref);
    auto it = suggestion_memo_.find(memo_key);
    if (it != suggestion_memo_.end()) return it->second;
  }
  constexpr int kMaxDistance = 2;
  int best_rank = kMaxDistance + 1;
  absl::string_view best;
  auto consider = [&](absl::string_view candidate) {
    if (candidate.empty() || candidate == ref) return;
    const int rank = absl::EqualsIgnoreCase(candidate, ref)
                         ? 0
                         : BoundedEditDistance(candidate, ref, kMaxDistance);
    if (rank > kMaxDistance) return;
    if (rank < best_rank || (rank == best_rank && candidate < best)) {
      best_rank = rank;
      best = candidate;
    }
  };
  if (kind == Kind::kElement) {
    if (elements != nullptr) {
      for (absl::string_view candidate : elements->ids) consider(candidate);
    }
  } else {
    // Every entity's id (a repeated id is considered again: the minimum is the same).
    for (const KindIndex* index : indexes) {
      if (index == nullptr) continue;
      for (uint32_t i = 0; i < index->ids->size(); ++i) consider(index->ids->Id(i));
    }
  }
  std::string result(best);
  if (kind != Kind::kElement) suggestion_memo_.emplace(std::move(memo_key), result);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Model entities, in Model field order.

// Nation i's own checks; keeps its resolved groups for the selector check.
void Validator::CheckNation(const Ctx& e, int i, const Nation& n) {
  const pb::Descriptor* d = desc_.nation;
  CheckEntityId(e.Sub(d, Nation::kIdFieldNumber), n.id(), "nation", "nations", nations_, i);
  RequireString(e.Sub(d, Nation::kNameFieldNumber), n.name(), "name");
  CheckRefList(n.groups_size(), Entries(n.groups()), EntryAt(e, d, Nation::kGroupsFieldNumber),
               Kind::kGroup, {}, &nation_groups_);
  nation_group_begin_.push_back(static_cast<uint32_t>(nation_groups_.size()));
  RequireEnum(e.Sub(d, Nation::kPartnerCategoryFieldNumber), n.partner_category());
  RequireEnum(e.Sub(d, Nation::kSupplyRiskFieldNumber), n.supply_risk());
}

void Validator::CheckGroup(const Ctx& e, int i, const Group& g) {
  const pb::Descriptor* d = desc_.group;
  const Ctx id_at = e.Sub(d, Group::kIdFieldNumber);
  CheckEntityId(id_at, g.id(), "group", "groups", groups_, i);
  const int nation = g.id().empty() ? -1 : nations_.Find(g.id());
  if (nation >= 0) {
    Error(
        id_at, "duplicate-id",
        absl::StrCat("group id ", Quoted(g.id()), " is also a nation id (nations[", nation, "])"));
  }
  RequireString(e.Sub(d, Group::kNameFieldNumber), g.name(), "name");
}

// The US nation sourcing is relative to (sourcing.h). Empty means kDefaultUsNation, which a
// model without a US simply lacks; a set us_nation must name a nation.
void Validator::CheckUsNation() {
  us_nation_ = UsNationId(model_);
  if (model_.us_nation().empty()) return;
  us_nation_known_ = CheckRef(root_.Sub(Model::descriptor(), Model::kUsNationFieldNumber),
                              model_.us_nation(), Kind::kNation);
}

// sourcing-mismatch: the declared sourcing differs from ExpectedSourcing (sourcing.h, the rule);
// the message names what contradicts it.
void Validator::CheckSourcing(const Ctx& at, const PlatformType& p) {
  const std::string& designer = p.designer_nation();
  if (designer.empty()) return;   // missing-field already
  if (!us_nation_known_) return;  // dangling us_nation already
  const absl::string_view us = us_nation_;
  const v1::Sourcing expected = ExpectedSourcing(designer, p.producer_nations(), us);
  if (expected == p.sourcing()) return;
  switch (p.sourcing()) {
    case v1::US_BUILT: {
      const std::string need =
          absl::StrCat(" (US_BUILT needs a ", us, " design produced only in the ", us, ")");
      if (expected == v1::THIRD_PARTY) {
        Warning(at, "sourcing-mismatch",
                absl::StrCat("sourcing is US_BUILT but the designer nation is ", Quoted(designer),
                             need));
      } else {  // CO_PRODUCED: some producer is abroad
        const absl::string_view producer = *FirstForeignProducer(p.producer_nations(), us);
        Warning(at, "sourcing-mismatch",
                absl::StrCat("sourcing is US_BUILT but producer nation ", Quoted(producer),
                             " is not ", us, need));
      }
      return;
    }
    case v1::CO_PRODUCED:
      if (expected == v1::THIRD_PARTY) {
        Warning(at, "sourcing-mismatch",
                absl::StrCat("sourcing is CO_PRODUCED but the designer nation is ",
                             Quoted(designer), " (CO_PRODUCED needs a ", us, " design)"));
      } else {  // US_BUILT: no producer abroad
        Warning(at, "sourcing-mismatch",
                absl::StrCat("sourcing is CO_PRODUCED but no producer nation is outside the ", us,
                             " (CO_PRODUCED needs some production outside the ", us, ")"));
      }
      return;
    case v1::THIRD_PARTY:  // expected US_BUILT or CO_PRODUCED: a US design
      Warning(at, "sourcing-mismatch",
              absl::StrCat("sourcing is THIRD_PARTY but the designer nation is ", Quoted(designer),
                           " (THIRD_PARTY needs a non-", us, " design)"));
      return;
    default:
      return;
  }
}

// Platform i's own checks; keeps its domain and roles for the selector check.
void Validator::CheckPlatform(const Ctx& e, int i, const PlatformType& p) {
  const pb::Descriptor* d = desc_.platform;
  const pb::Descriptor* gd = desc_.gateway;
  const pb::Descriptor* cd = desc_.component_use;
  CheckEntityId(e.Sub(d, PlatformType::kIdFieldNumber), p.id(), "platform", "platforms", platforms_,
                i);
  RequireString(e.Sub(d, PlatformType::kNameFieldNumber), p.name(), "name");
  RequireEnum(e.Sub(d, PlatformType::kDomainFieldNumber), p.domain());
  RequireEnum(e.Sub(d, PlatformType::kTierFieldNumber), p.tier());
  NonNegativeCost(e.Sub(d, PlatformType::kUnitCostMusdFieldNumber), p.unit_cost_musd(),
                  "unit_cost_musd");
  RequireRef(e.Sub(d, PlatformType::kDesignerNationFieldNumber), p.designer_nation(), Kind::kNation,
             "designer_nation");
  CheckRefList(p.producer_nations_size(), Entries(p.producer_nations()),
               EntryAt(e, d, PlatformType::kProducerNationsFieldNumber), Kind::kNation);
  const Ctx sourcing_at = e.Sub(d, PlatformType::kSourcingFieldNumber);
  RequireEnum(sourcing_at, p.sourcing());
  CheckRefList(p.links_size(), Entries(p.links()), EntryAt(e, d, PlatformType::kLinksFieldNumber),
               Kind::kLink);
  CheckRefList(p.standards_size(), Entries(p.standards()),
               EntryAt(e, d, PlatformType::kStandardsFieldNumber), Kind::kStandard);
  if (p.gateways_size() > 0) {
    const ValueSet speaks(p.standards());
    for (int k = 0; k < p.gateways_size(); ++k) {
      const Gateway& g = p.gateways(k);
      const Ctx gw = e.Sub(d, PlatformType::kGatewaysFieldNumber, k);
      const std::pair<int, const std::string*> ends[] = {
          {Gateway::kStandardAFieldNumber, &g.standard_a()},
          {Gateway::kStandardBFieldNumber, &g.standard_b()}};
      for (const auto& [number, standard] : ends) {
        const Ctx at = gw.Sub(gd, number);
        const pb::FieldDescriptor* f = gd->FindFieldByNumber(number);
        if (RequireRef(at, *standard, Kind::kStandard, f->name()) && !speaks.Contains(*standard)) {
          Error(at, "gateway-standard",
                absl::StrCat("gateway standard ", Quoted(*standard), " is not among the ",
                             "standards platform ", Quoted(p.id()), " speaks"));
        }
      }
      if (g.has_level_cap() && (g.level_cap() < 1 || g.level_cap() > 3)) {
        Error(gw.Sub(gd, Gateway::kLevelCapFieldNumber), "out-of-range",
              absl::StrCat("level_cap must be in 1..3, is ", g.level_cap()));
      }
    }
  }
  CheckRefList(
      p.components_size(),
      [&p](size_t k) -> absl::string_view { return p.components(static_cast<int>(k)).component(); },
      [&](int k) {
        return e.Sub(d, PlatformType::kComponentsFieldNumber, k)
            .Sub(cd, ComponentUse::kComponentFieldNumber);
      },
      Kind::kComponent, "component");
  if (p.sourcing() != v1::SOURCING_UNSPECIFIED) CheckSourcing(sourcing_at, p);
  platform_domain_.push_back(p.domain());
  for (const std::string& r : p.roles()) platform_roles_.push_back(arena_.Copy(r));
  platform_role_begin_.push_back(static_cast<uint32_t>(platform_roles_.size()));
}

void Validator::CheckLink(const Ctx& e, int i, const CommsLink& l) {
  const pb::Descriptor* d = desc_.link;
  CheckEntityId(e.Sub(d, CommsLink::kIdFieldNumber), l.id(), "link", "links", links_, i);
  RequireString(e.Sub(d, CommsLink::kNameFieldNumber), l.name(), "name");
  RequireEnum(e.Sub(d, CommsLink::kKindFieldNumber), l.kind());
  CheckRefList(l.standards_size(), Entries(l.standards()),
               EntryAt(e, d, CommsLink::kStandardsFieldNumber), Kind::kStandard);
  CheckRefList(l.releasable_to_size(), Entries(l.releasable_to()),
               EntryAt(e, d, CommsLink::kReleasableToFieldNumber), Kind::kNationOrGroup);
  RequireEnum(e.Sub(d, CommsLink::kExportControlFieldNumber), l.export_control());
  NonNegativeCost(e.Sub(d, CommsLink::kRetrofitCostMusdFieldNumber), l.retrofit_cost_musd(),
                  "retrofit_cost_musd");
  if (!l.designer_nation().empty()) {
    CheckRef(e.Sub(d, CommsLink::kDesignerNationFieldNumber), l.designer_nation(), Kind::kNation);
  }
}

void Validator::CheckStandard(const Ctx& e, int i, const DataStandard& s) {
  const pb::Descriptor* d = desc_.standard;
  CheckEntityId(e.Sub(d, DataStandard::kIdFieldNumber), s.id(), "standard", "standards", standards_,
                i);
  RequireString(e.Sub(d, DataStandard::kNameFieldNumber), s.name(), "name");
  RequireString(e.Sub(d, DataStandard::kFamilyFieldNumber), s.family(), "family");
  if (s.has_upgrade_cost_musd()) {
    NonNegativeCost(e.Sub(d, DataStandard::kUpgradeCostMusdFieldNumber), s.upgrade_cost_musd(),
                    "upgrade_cost_musd");
  }
  const Ctx version_at = e.Sub(d, DataStandard::kVersionFieldNumber);
  if (s.version() < 0) {
    Error(version_at, "negative-value", absl::StrCat("version must be >= 0, is ", s.version()));
  }
  if (!s.family().empty()) {
    // Looked up with the entity's view; an inserted key owns a copy (the entity is reused).
    auto it = family_version_.find(std::make_pair(absl::string_view(s.family()), s.version()));
    if (it != family_version_.end()) {
      Error(version_at, "duplicate-id",
            absl::StrCat("duplicate family ", Quoted(s.family()), " version ", s.version(),
                         " (first used by standards[", it->second, "])"));
    } else {
      family_version_.emplace(std::make_pair(arena_.Copy(s.family()), s.version()), i);
    }
  }
  CheckRefList(s.releasable_to_size(), Entries(s.releasable_to()),
               EntryAt(e, d, DataStandard::kReleasableToFieldNumber), Kind::kNationOrGroup);
  if (!s.designer_nation().empty()) {
    CheckRef(e.Sub(d, DataStandard::kDesignerNationFieldNumber), s.designer_nation(),
             Kind::kNation);
  }
}

void Validator::CheckComponent(const Ctx& e, int i, const Component& c) {
  const pb::Descriptor* d = desc_.component;
  const pb::Descriptor* sd = desc_.sub_component;
  CheckEntityId(e.Sub(d, Component::kIdFieldNumber), c.id(), "component", "components", components_,
                i);
  RequireString(e.Sub(d, Component::kNameFieldNumber), c.name(), "name");
  RequireEnum(e.Sub(d, Component::kKindFieldNumber), c.kind());
  if (c.suppliers_size() == 0) {
    Warning(e.Sub(d, Component::kSuppliersFieldNumber), "component-no-supplier",
            "component has no suppliers, so it is never available");
  }
  CheckRefList(c.suppliers_size(), Entries(c.suppliers()),
               EntryAt(e, d, Component::kSuppliersFieldNumber), Kind::kSupplier);
  CheckRefList(
      c.sub_components_size(),
      [&c](size_t j) -> absl::string_view {
        return c.sub_components(static_cast<int>(j)).component();
      },
      [&](int j) {
        return e.Sub(d, Component::kSubComponentsFieldNumber, j)
            .Sub(sd, SubComponent::kComponentFieldNumber);
      },
      Kind::kComponent, "component", &sub_targets_);
  sub_begin_.push_back(static_cast<uint32_t>(sub_targets_.size()));
  RequireEnum(e.Sub(d, Component::kExportControlFieldNumber), c.export_control());
  if (!(std::isfinite(c.stock_months()) && c.stock_months() >= 0 && c.stock_months() <= 1200)) {
    Error(
        e.Sub(d, Component::kStockMonthsFieldNumber), "out-of-range",
        absl::StrCat("stock_months must be a number of months in 0..1200, is ", c.stock_months()));
  }
}

void Validator::CheckRestrictions() {
  const pb::Descriptor* d = v1::SupplyRestriction::descriptor();
  absl::flat_hash_map<std::string, int> ids;
  for (int i = 0; i < model_.restrictions_size(); ++i) {
    const v1::SupplyRestriction& r = model_.restrictions(i);
    const Ctx e = root_.Keyed(Model::descriptor(), Model::kRestrictionsFieldNumber, i, r.id());
    const Ctx id_at = e.Sub(d, v1::SupplyRestriction::kIdFieldNumber);
    if (r.id().empty()) {
      Error(id_at, "bad-id", "restriction id is empty");
    } else if (!IsValidId(r.id())) {
      Error(id_at, "bad-id",
            absl::StrCat("restriction id ", Quoted(r.id()), " must match ", kIdPattern));
    } else if (auto [it, inserted] = ids.try_emplace(r.id(), i); !inserted) {
      Error(id_at, "duplicate-id",
            absl::StrCat("duplicate restriction id ", Quoted(r.id()),
                         " (first used by restrictions[", it->second, "])"));
    }
    const bool by_supplier = !r.supplier().empty(), by_nation = !r.supplier_nation().empty();
    if (by_supplier == by_nation) {
      Error(e, "restriction-source",
            "a restriction sets exactly one of 'supplier' and 'supplier_nation'");
    }
    if (by_supplier) {
      CheckRef(e.Sub(d, v1::SupplyRestriction::kSupplierFieldNumber), r.supplier(),
               Kind::kSupplier);
    }
    if (by_nation) {
      CheckRef(e.Sub(d, v1::SupplyRestriction::kSupplierNationFieldNumber), r.supplier_nation(),
               Kind::kNation);
    }
    if (r.denied_to_size() == 0) {
      Error(e.Sub(d, v1::SupplyRestriction::kDeniedToFieldNumber), "missing-field",
            "a restriction denies at least one nation or group ('denied_to')");
    }
    for (int j = 0; j < r.denied_to_size(); ++j) {
      CheckRef(e.Sub(d, v1::SupplyRestriction::kDeniedToFieldNumber, j), r.denied_to(j),
               Kind::kNationOrGroup);
    }
  }
}

// Every back edge of an iterative depth-first search over sub-component references closes a
// distinct cycle (the tree path from the back edge's target to its source, plus the edge), and
// every cycle of the graph contains a back edge, so each strongly connected component with a
// cycle is reported at least once and no cycle twice. Roots and edges go in model order, so the
// cycles found are deterministic. A cycle is named from its lexicographically smallest id and
// reported at that component's sub_components entry that continues the cycle.
void Validator::CheckComponentCycles() {
  // The components added (all of them, by contract; never more than the index knows).
  const InternedKind& ids = index_[IdKind::kComponent];
  const int n =
      static_cast<int>(std::min<size_t>(sub_begin_.size() - 1, static_cast<size_t>(ids.size())));
  if (n == 0) return;
  const pb::Descriptor* d = desc_.component;
  enum : uint8_t { kWhite = 0, kOnStack = 1, kDone = 2 };
  std::vector<uint8_t> color(n, kWhite);
  std::vector<int> stack_pos(n, -1);
  struct Frame {
    int node;
    int next_edge;
  };
  std::vector<Frame> stack;
  int64_t work = 0;
  int64_t unnamed_cycles = 0;
  int unnamed_first = -1;  // a component on the first cycle left unnamed, for the location
  absl::flat_hash_set<std::pair<int, int>> reported_edges;

  for (int root = 0; root < n; ++root) {
    if (color[root] != kWhite) continue;
    stack.push_back({root, 0});
    color[root] = kOnStack;
    stack_pos[root] = 0;
    while (!stack.empty()) {
      Frame& top = stack.back();
      if (top.next_edge >= static_cast<int>(sub_begin_[top.node + 1] - sub_begin_[top.node])) {
        color[top.node] = kDone;
        stack_pos[top.node] = -1;
        stack.pop_back();
        continue;
      }
      const int u = top.node;
      const int edge = top.next_edge++;
      const int v = sub_targets_[sub_begin_[u] + edge];
      if (v < 0 || v >= n) continue;  // dangling: reported elsewhere
      if (color[v] == kWhite) {
        color[v] = kOnStack;
        stack_pos[v] = static_cast<int>(stack.size());
        stack.push_back({v, 0});
        continue;
      }
      if (color[v] != kOnStack) continue;
      if (!reported_edges.insert({u, v}).second) continue;  // parallel back edge: same cycle
      // The cycle is stack[stack_pos[v]] .. stack.back(), then back to v.
      const int start = stack_pos[v];
      const int len = static_cast<int>(stack.size()) - start;
      if (work + len > kCycleWorkBudget) {
        if (unnamed_cycles++ == 0) unnamed_first = v;
        continue;
      }
      work += len;
      int min_at = start;
      for (int p = start + 1; p < static_cast<int>(stack.size()); ++p) {
        if (ids.Id(stack[p].node) < ids.Id(stack[min_at].node)) {
          min_at = p;
        }
      }
      std::string message = "cycle: ";
      const int shown = std::min(len, kCycleMessageIds);
      for (int k = 0; k < shown; ++k) {
        const int p = start + (min_at - start + k) % len;
        absl::StrAppend(&message, ids.Id(stack[p].node), " -> ");
      }
      if (shown < len) absl::StrAppend(&message, "... (", len - shown, " more) -> ");
      absl::StrAppend(&message, ids.Id(stack[min_at].node));
      // The edge leaving the smallest component along the cycle: the one its frame last took.
      const int node = stack[min_at].node;
      const int out_edge = stack[min_at].next_edge - 1;
      const Ctx at =
          root_.Keyed(Model::descriptor(), Model::kComponentsFieldNumber, node, ids.Id(node))
              .Sub(d, Component::kSubComponentsFieldNumber, out_edge);
      Error(at, "component-cycle", std::move(message));
    }
  }
  if (unnamed_cycles > 0) {
    const Ctx at = root_.Keyed(Model::descriptor(), Model::kComponentsFieldNumber, unnamed_first,
                               ids.Id(unnamed_first));
    Error(at, "component-cycle",
          absl::StrCat(unnamed_cycles, " more sub-component cycles not named (too long to list)"));
  }
}

void Validator::CheckSupplier(const Ctx& e, int i, const Supplier& s) {
  const pb::Descriptor* d = desc_.supplier;
  CheckEntityId(e.Sub(d, Supplier::kIdFieldNumber), s.id(), "supplier", "suppliers", suppliers_, i);
  RequireString(e.Sub(d, Supplier::kNameFieldNumber), s.name(), "name");
  RequireRef(e.Sub(d, Supplier::kNationFieldNumber), s.nation(), Kind::kNation, "nation");
}

// ---------------------------------------------------------------------------------------------
// Mixes.

void Validator::CheckMixes() {
  // Mix names are unique over the model's mixes and the extra mix files together.
  absl::flat_hash_map<absl::string_view, int> names;
  std::vector<const Scope*> scope_of;
  auto check_name = [&](const ForceMix& mix, const Ctx& m, int combined) {
    const Ctx at = m.Sub(ForceMix::descriptor(), ForceMix::kNameFieldNumber);
    if (mix.name().empty()) {
      RequireString(at, mix.name(), "name");
      return;
    }
    auto [it, inserted] = names.try_emplace(mix.name(), combined);
    if (inserted) return;
    std::string message = absl::StrCat("duplicate mix name ", Quoted(mix.name()),
                                       " (first used by mixes[", it->second, "]");
    const Scope* first_scope = scope_of[it->second];
    if (first_scope != m.scope) {
      absl::StrAppend(&message, " in ", first_scope->file.empty() ? "-" : first_scope->file);
    }
    message += ")";
    Error(at, "duplicate-id", std::move(message));
  };
  int combined = 0;
  for (int i = 0; i < model_.mixes_size(); ++i, ++combined) {
    const ForceMix& mix = model_.mixes(i);
    const Ctx m = root_.Keyed(Model::descriptor(), Model::kMixesFieldNumber, i, mix.name());
    scope_of.push_back(&model_scope_);
    check_name(mix, m, combined);
    CheckMix(mix, m);
  }
  for (size_t k = 0; k < extra_.size(); ++k) {
    if (extra_[k].mix == nullptr) continue;
    const ForceMix& mix = *extra_[k].mix;
    Ctx m;
    m.scope = &extra_scopes_[k];
    m.segs[m.n++] = Seg{Model::descriptor(), Model::kMixesFieldNumber, combined, mix.name(), true,
                        /*locate=*/false};
    scope_of.push_back(&extra_scopes_[k]);
    check_name(mix, m, combined);
    CheckMix(mix, m);
    ++combined;
  }
}

void Validator::CheckMix(const ForceMix& mix, const Ctx& m) {
  const pb::Descriptor* md = ForceMix::descriptor();
  const pb::Descriptor* ed = ForceElement::descriptor();
  const pb::Descriptor* id = Ier::descriptor();
  const pb::Descriptor* sd = Selector::descriptor();
  NonNegativeCost(m.Sub(md, ForceMix::kBudgetMusdFieldNumber), mix.budget_musd(), "budget_musd");

  const InternedKind& group_ids = index_[IdKind::kGroup];

  // Elements. Effective ids are owned here; the index points into them.
  const int ne = mix.elements_size();
  std::vector<std::string> effective(ne);
  for (int e = 0; e < ne; ++e) effective[e] = EffectiveElementId(mix.elements(e));
  IdIndex elements;
  elements.Reserve(ne);
  std::vector<int> platform_of(ne, -1);
  std::vector<int> nation_of(ne, -1);
  for (int e = 0; e < ne; ++e) {
    const ForceElement& el = mix.elements(e);
    const Ctx at = m.Keyed(md, ForceMix::kElementsFieldNumber, e, el.id());
    const Ctx id_at = at.Sub(ed, ForceElement::kIdFieldNumber);
    if (!el.id().empty() && !IsValidId(el.id())) {
      Error(id_at, "bad-id",
            absl::StrCat("element id ", Quoted(el.id()), " must match ", kIdPattern));
    }
    const int first = elements.Add(effective[e], e);
    if (first != e) {
      Error(id_at, "duplicate-id",
            absl::StrCat("duplicate element id ", Quoted(effective[e]), " (first used by elements[",
                         first, "])"));
    }
    // Only entities that were added have side tables (all of them, by contract).
    if (RequireRef(at.Sub(ed, ForceElement::kPlatformFieldNumber), el.platform(), Kind::kPlatform,
                   "platform")) {
      platform_of[e] = platforms_.Find(el.platform());
      if (platform_of[e] >= static_cast<int>(platform_domain_.size())) platform_of[e] = -1;
    }
    if (RequireRef(at.Sub(ed, ForceElement::kNationFieldNumber), el.nation(), Kind::kNation,
                   "nation")) {
      nation_of[e] = nations_.Find(el.nation());
      if (nation_of[e] >= static_cast<int>(nation_group_begin_.size()) - 1) nation_of[e] = -1;
    }
    if (el.quantity() < 1) {
      Error(at.Sub(ed, ForceElement::kQuantityFieldNumber), "negative-value",
            absl::StrCat("quantity must be >= 1, is ", el.quantity()));
    } else if (el.quantity() > kMaxQuantity) {
      Error(at.Sub(ed, ForceElement::kQuantityFieldNumber), "out-of-range",
            absl::StrCat("quantity must be at most ", kMaxQuantity, ", is ", el.quantity()));
    }
  }

  // Elements by each selector kind's value, built on first use, to narrow selector matching.
  struct ByValue {
    absl::flat_hash_map<absl::string_view, std::vector<int>> element, platform, nation, group,
        role;
    absl::flat_hash_map<int, std::vector<int>> domain;
  };
  std::unique_ptr<ByValue> by;
  auto build_by = [&]() -> const ByValue& {
    if (by != nullptr) return *by;
    by = std::make_unique<ByValue>();
    for (int e = 0; e < ne; ++e) {
      const ForceElement& el = mix.elements(e);
      by->element[effective[e]].push_back(e);
      by->platform[el.platform()].push_back(e);
      by->nation[el.nation()].push_back(e);
      if (nation_of[e] >= 0) {
        for (const int32_t g : NationGroups(nation_of[e])) {
          if (g >= 0) by->group[group_ids.Id(static_cast<uint32_t>(g))].push_back(e);
        }
      }
      if (platform_of[e] >= 0) {
        by->domain[platform_domain_[platform_of[e]]].push_back(e);
        for (const absl::string_view r : PlatformRoles(platform_of[e])) by->role[r].push_back(e);
      }
    }
    return *by;
  };

  // Whether any element matches `sel`, by the selector rule (selector_rule.h); this supplies
  // only what "one value of kind K" means on the model's strings.
  auto matches_any = [&](const Selector& sel) -> bool {
    if (sel.all()) return ne > 0;
    const ValueSet sel_elements(sel.elements());
    const ValueSet sel_platforms(sel.platforms());
    const ValueSet sel_nations(sel.nations());
    const ValueSet sel_groups(sel.groups());
    const ValueSet sel_roles(sel.roles());
    absl::flat_hash_set<int> sel_domains(sel.domains().begin(), sel.domains().end());
    auto listed = [&](SelectorKind k) { return Lists(sel, k); };
    auto matches = [&](int e) {
      const ForceElement& el = mix.elements(e);
      return SelectorMatches(sel.all(), listed, [&](SelectorKind k) {
        switch (k) {
          case SelectorKind::kElements:
            return sel_elements.Contains(effective[e]);
          case SelectorKind::kPlatforms:
            return sel_platforms.Contains(el.platform());
          case SelectorKind::kNations:
            return sel_nations.Contains(el.nation());
          case SelectorKind::kGroups:  // the operating nation belongs to one listed group
            if (nation_of[e] < 0) return false;
            for (const int32_t g : NationGroups(nation_of[e])) {
              if (g >= 0 && sel_groups.Contains(group_ids.Id(static_cast<uint32_t>(g)))) {
                return true;
              }
            }
            return false;
          case SelectorKind::kDomains:
            return platform_of[e] >= 0 && sel_domains.contains(platform_domain_[platform_of[e]]);
          case SelectorKind::kRoles:  // the platform type has one listed role
            if (platform_of[e] < 0) return false;
            for (const absl::string_view r : PlatformRoles(platform_of[e])) {
              if (sel_roles.Contains(r)) return true;
            }
            return false;
        }
        return false;
      });
    };
    // Scan only the elements selected by the listed kind that selects the fewest; each must
    // still match every other kind listed.
    const ByValue& b = build_by();
    auto count = [](const auto& map, const auto& values) {
      size_t n = 0;
      for (const auto& v : values) {
        auto it = map.find(v);
        if (it != map.end()) n += it->second.size();
      }
      return n;
    };
    auto any_match = [&](const auto& map, const auto& values) {
      for (const auto& v : values) {
        auto it = map.find(v);
        if (it == map.end()) continue;
        for (int e : it->second) {
          if (matches(e)) return true;
        }
      }
      return false;
    };
    enum { kElements, kPlatforms, kNations, kGroups, kDomains, kRoles, kKinds };
    std::array<size_t, kKinds> counts;
    counts.fill(SIZE_MAX);
    if (sel.elements_size() > 0) counts[kElements] = count(b.element, sel.elements());
    if (sel.platforms_size() > 0) counts[kPlatforms] = count(b.platform, sel.platforms());
    if (sel.nations_size() > 0) counts[kNations] = count(b.nation, sel.nations());
    if (sel.groups_size() > 0) counts[kGroups] = count(b.group, sel.groups());
    if (sel.domains_size() > 0) counts[kDomains] = count(b.domain, sel.domains());
    if (sel.roles_size() > 0) counts[kRoles] = count(b.role, sel.roles());
    switch (std::min_element(counts.begin(), counts.end()) - counts.begin()) {
      case kElements:
        return any_match(b.element, sel.elements());
      case kPlatforms:
        return any_match(b.platform, sel.platforms());
      case kNations:
        return any_match(b.nation, sel.nations());
      case kGroups:
        return any_match(b.group, sel.groups());
      case kDomains:
        return any_match(b.domain, sel.domains());
      case kRoles:
        return any_match(b.role, sel.roles());
      default:
        return false;  // no kind listed: a bad selector, reported elsewhere
    }
  };

  auto check_selector = [&](const Ctx& at, const Selector& sel) {
    bool error = false;
    const bool has_kinds = ListsAnyKind([&](SelectorKind k) { return Lists(sel, k); });
    if (!sel.all() && !has_kinds) {
      Error(at, "bad-selector",
            "selector is empty: set all: true or list elements, platforms, nations, groups, "
            "domains or roles");
      error = true;
    } else if (sel.all() && has_kinds) {
      Error(at, "bad-selector", "selector sets all: true together with other kinds");
      error = true;
    }
    for (int j = 0; j < sel.elements_size(); ++j) {
      error |= !CheckRef(at.Sub(sd, Selector::kElementsFieldNumber, j), sel.elements(j),
                         Kind::kElement, &elements);
    }
    for (int j = 0; j < sel.platforms_size(); ++j) {
      error |= !CheckRef(at.Sub(sd, Selector::kPlatformsFieldNumber, j), sel.platforms(j),
                         Kind::kPlatform);
    }
    for (int j = 0; j < sel.nations_size(); ++j) {
      error |=
          !CheckRef(at.Sub(sd, Selector::kNationsFieldNumber, j), sel.nations(j), Kind::kNation);
    }
    for (int j = 0; j < sel.groups_size(); ++j) {
      error |= !CheckRef(at.Sub(sd, Selector::kGroupsFieldNumber, j), sel.groups(j), Kind::kGroup);
    }
    for (int j = 0; j < sel.domains_size(); ++j) {
      if (sel.domains(j) == v1::DOMAIN_UNSPECIFIED) {
        Error(at.Sub(sd, Selector::kDomainsFieldNumber, j), "unspecified-enum",
              "selector domain is DOMAIN_UNSPECIFIED");
        error = true;
      }
    }
    // Roles are free tags: nothing to resolve.
    if (!error && !matches_any(sel)) {
      Warning(at, "selector-matches-nothing",
              mix.name().empty()
                  ? std::string("selector matches no element of the mix")
                  : absl::StrCat("selector matches no element of mix ", Quoted(mix.name())));
    }
  };

  absl::flat_hash_map<absl::string_view, int> ier_names;
  for (int k = 0; k < mix.iers_size(); ++k) {
    const Ier& ier = mix.iers(k);
    const Ctx at = m.Keyed(md, ForceMix::kIersFieldNumber, k, ier.name());
    const Ctx name_at = at.Sub(id, Ier::kNameFieldNumber);
    if (ier.name().empty()) {
      RequireString(name_at, ier.name(), "name");
    } else {
      auto [it, inserted] = ier_names.try_emplace(ier.name(), k);
      if (!inserted) {
        Error(name_at, "duplicate-id",
              absl::StrCat("duplicate IER name ", Quoted(ier.name()), " (first used by iers[",
                           it->second, "])"));
      }
    }
    check_selector(at.Sub(id, Ier::kFromFieldNumber), ier.from());
    check_selector(at.Sub(id, Ier::kToFieldNumber), ier.to());
    if (ier.min_level() < 1 || ier.min_level() > 4) {
      Error(at.Sub(id, Ier::kMinLevelFieldNumber), "out-of-range",
            absl::StrCat("min_level must be in 1..4, is ", ier.min_level()));
    }
    if (ier.has_weight() &&
        !(std::isfinite(ier.weight()) && ier.weight() > 0 && ier.weight() <= 1e6)) {
      Error(at.Sub(id, Ier::kWeightFieldNumber), "out-of-range",
            absl::StrCat("weight must be a finite number in (0, 1e6], is ", ier.weight()));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Releasability lists of every entity kind besides links and standards (those are checked with
// their entity): each entry names a nation or a group, as on a link. Duplicates are not flagged
// (nor are they on links and standards).

void Validator::CheckReleasabilityList(const Ctx& e, const pb::Descriptor* d, int number,
                                       const pb::RepeatedPtrField<std::string>& list) {
  CheckRefList(list.size(), Entries(list), EntryAt(e, d, number), Kind::kNationOrGroup);
}

// The lists that are not an entity's (those are checked as the entity is added).
void Validator::CheckOtherReleasabilityLists() {
  const pb::Descriptor* md = Model::descriptor();
  for (int i = 0; i < model_.restrictions_size(); ++i) {
    const v1::SupplyRestriction& r = model_.restrictions(i);
    CheckReleasabilityList(root_.Keyed(md, Model::kRestrictionsFieldNumber, i, r.id()),
                           v1::SupplyRestriction::descriptor(),
                           v1::SupplyRestriction::kReleasableToFieldNumber, r.releasable_to());
  }
  for (int i = 0; i < model_.mixes_size(); ++i) {
    const ForceMix& mix = model_.mixes(i);
    CheckReleasabilityList(root_.Keyed(md, Model::kMixesFieldNumber, i, mix.name()),
                           ForceMix::descriptor(), ForceMix::kReleasableToFieldNumber,
                           mix.releasable_to());
  }
  // Mix files: located in their own file, numbered after the model's mixes (as CheckMixes).
  int combined = model_.mixes_size();
  for (size_t k = 0; k < extra_.size(); ++k) {
    if (extra_[k].mix == nullptr) continue;
    const ForceMix& mix = *extra_[k].mix;
    Ctx m;
    m.scope = &extra_scopes_[k];
    m.segs[m.n++] = Seg{md, Model::kMixesFieldNumber, combined++, mix.name(), true,
                        /*locate=*/false};
    CheckReleasabilityList(m, ForceMix::descriptor(), ForceMix::kReleasableToFieldNumber,
                           mix.releasable_to());
  }
}

// ---------------------------------------------------------------------------------------------
// Every field, by reflection.

void Validator::CheckEveryField() {
  if (!any_entity_ && model_.mixes_size() == 0) {
    Warning(root_, "empty-model",
            "the model defines no nations, platforms, links, standards, components, suppliers "
            "or mixes (an empty file or '{}'?)");
  }
  CheckFields(model_, root_, /*skip_entities=*/true);
  int combined = model_.mixes_size();
  for (size_t k = 0; k < extra_.size(); ++k) {
    if (extra_[k].mix == nullptr) continue;
    Ctx m;
    m.scope = &extra_scopes_[k];
    m.segs[m.n++] = Seg{Model::descriptor(), Model::kMixesFieldNumber, combined++,
                        extra_[k].mix->name(), true, /*locate=*/false};
    CheckFields(*extra_[k].mix, m);
  }
}

namespace {
// The id that names element `index` of a repeated message field in paths: an entity's id, a
// mix's or an IER's name, else none (indexed).
const pb::FieldDescriptor* PathKeyField(const pb::Descriptor* d) {
  static const pb::Descriptor* const mix = ForceMix::descriptor();
  static const pb::Descriptor* const ier = Ier::descriptor();
  const pb::FieldDescriptor* key = d->FindFieldByName(d == mix || d == ier ? "name" : "id");
  if (key == nullptr || key->is_repeated() || key->type() != pb::FieldDescriptor::TYPE_STRING) {
    return nullptr;
  }
  return key;
}

absl::string_view PathKey(const pb::Message& element) {
  const pb::FieldDescriptor* key = PathKeyField(element.GetDescriptor());
  if (key == nullptr) return {};
  return element.GetReflection()->GetStringReference(element, key, nullptr);
}

// 1 for ComponentUse, 2 for SubComponent while each is exactly {string component = 1; bool
// critical = 2;} (a field added to the schema sends them back to the reflection walk); else 0.
int ReferenceOnlyKind(const pb::Descriptor* d) {
  auto reference_only = [](const pb::Descriptor* t) {
    if (t->field_count() != 2) return false;
    const pb::FieldDescriptor* c = t->FindFieldByNumber(1);
    const pb::FieldDescriptor* b = t->FindFieldByNumber(2);
    return c != nullptr && b != nullptr && c->name() == "component" && !c->is_repeated() &&
           c->type() == pb::FieldDescriptor::TYPE_STRING && !b->is_repeated() &&
           b->cpp_type() == pb::FieldDescriptor::CPPTYPE_BOOL;
  };
  static const pb::Descriptor* const use_d = ComponentUse::descriptor();
  static const pb::Descriptor* const sub_d = SubComponent::descriptor();
  static const bool use = reference_only(use_d);
  static const bool sub = reference_only(sub_d);
  if (d == use_d) return use ? 1 : 0;
  if (d == sub_d) return sub ? 2 : 0;
  return 0;
}

// Whether `f` is one of the Model's entity lists (walked as each entity is added).
bool IsEntityList(const pb::FieldDescriptor* f) {
  if (f->containing_type() != Model::descriptor()) return false;
  switch (f->number()) {
    case Model::kNationsFieldNumber:
    case Model::kGroupsFieldNumber:
    case Model::kPlatformsFieldNumber:
    case Model::kLinksFieldNumber:
    case Model::kStandardsFieldNumber:
    case Model::kComponentsFieldNumber:
    case Model::kSuppliersFieldNumber:
      return true;
    default:
      return false;
  }
}
}  // namespace

void Validator::CheckFields(const pb::Message& msg, const Ctx& at, bool skip_entities) {
  const pb::Descriptor* d = msg.GetDescriptor();
  const pb::Reflection* r = msg.GetReflection();
  // The depth's buffer (not a vector per message); at.n < field_bufs_.size() (see below).
  std::vector<const pb::FieldDescriptor*>& fields = field_bufs_[at.n];
  fields.clear();
  r->ListFields(msg, &fields);
  for (size_t fi = 0; fi < fields.size(); ++fi) {
    const pb::FieldDescriptor* f = fields[fi];
    if (skip_entities && IsEntityList(f)) continue;
    const int n = f->is_repeated() ? r->FieldSize(msg, f) : 1;
    switch (f->cpp_type()) {
      case pb::FieldDescriptor::CPPTYPE_MESSAGE: {
        if (at.n + 1 >= static_cast<int>(at.segs.size())) break;  // deeper than any schema path
        if (!f->is_repeated()) {
          CheckFields(r->GetMessage(msg, f), at.Sub(d, f->number()));
          break;
        }
        const pb::RepeatedPtrField<pb::Message>& list =
            r->GetRepeatedPtrField<pb::Message>(msg, f);
        // A component use or sub-component (millions in a large model): only its `component`
        // string can be reported (invalid-utf8), so it is read directly; an entry that fails
        // is walked by reflection like any other message, giving the same diagnostic.
        if (const int which = ReferenceOnlyKind(f->message_type()); which != 0) {
          for (int i = 0; i < n; ++i) {
            const pb::Message& sub = list.Get(i);
            const std::string& component =
                which == 1 ? static_cast<const ComponentUse&>(sub).component()
                           : static_cast<const SubComponent&>(sub).component();
            if (!IsValidUtf8(component)) {
              CheckFields(sub, at.Keyed(d, f->number(), i, PathKey(sub)));
            }
          }
          break;
        }
        const pb::FieldDescriptor* key = PathKeyField(f->message_type());
        for (int i = 0; i < n; ++i) {
          const pb::Message& sub = list.Get(i);
          const absl::string_view id =
              key == nullptr ? absl::string_view()
                             : absl::string_view(sub.GetReflection()->GetStringReference(
                                   sub, key, nullptr));
          CheckFields(sub, at.Keyed(d, f->number(), i, id));
        }
        break;
      }
      case pb::FieldDescriptor::CPPTYPE_ENUM: {
        absl::flat_hash_map<int, int> seen;
        for (int i = 0; i < n; ++i) {
          const int v = f->is_repeated() ? r->GetRepeatedEnumValue(msg, f, i)
                                         : r->GetEnumValue(msg, f);
          const Ctx v_at = at.Sub(d, f->number(), f->is_repeated() ? i : -1);
          if (f->enum_type()->FindValueByNumber(v) == nullptr) {
            Error(v_at, "out-of-range",
                  absl::StrCat(f->name(), " is ", v, ", not a value of ",
                               f->enum_type()->full_name()));
            continue;
          }
          if (!f->is_repeated()) continue;
          auto [it, inserted] = seen.try_emplace(v, i);
          if (!inserted) {
            Warning(v_at, "duplicate-entry",
                  absl::StrCat(f->name(), " lists ", f->enum_type()->FindValueByNumber(v)->name(),
                               " again (first at [", it->second, "])"));
          }
        }
        break;
      }
      case pb::FieldDescriptor::CPPTYPE_STRING: {
        if (f->type() == pb::FieldDescriptor::TYPE_BYTES) break;
        if (!f->is_repeated()) {
          std::string scratch;
          const std::string& v = r->GetStringReference(msg, f, &scratch);
          if (!IsValidUtf8(v)) {
            Error(at.Sub(d, f->number()), "invalid-utf8",
                  absl::StrCat(f->name(), " is not valid UTF-8: ", Quoted(v.substr(0, 64)),
                               v.size() > 64 ? "..." : ""));
          }
          break;
        }
        // Short lists (the usual case) look for an earlier copy by a scan, long ones by a hash
        // map; either finds the first copy.
        constexpr int kScanUpTo = 16;
        const pb::RepeatedPtrField<std::string>& list =
            r->GetRepeatedPtrField<std::string>(msg, f);
        absl::flat_hash_map<absl::string_view, int> seen;
        for (int i = 0; i < n; ++i) {
          const std::string& v = list.Get(i);
          if (!IsValidUtf8(v)) {
            Error(at.Sub(d, f->number(), i), "invalid-utf8",
                  absl::StrCat(f->name(), " is not valid UTF-8: ", Quoted(v.substr(0, 64)),
                               v.size() > 64 ? "..." : ""));
          }
          // Repeated strings are lists of references (nations, groups, links, standards,
          // suppliers, roles, selector values): a second copy is a mistake that only multiplies
          // work and explanation text.
          int first = -1;
          if (n <= kScanUpTo) {
            for (int k = 0; k < i; ++k) {
              if (list.Get(k) == v) {
                first = k;
                break;
              }
            }
          } else if (auto [it, inserted] = seen.try_emplace(absl::string_view(v), i); !inserted) {
            first = it->second;
          }
          if (first >= 0) {
            Warning(at.Sub(d, f->number(), i), "duplicate-entry",
                    absl::StrCat(f->name(), " lists ", Quoted(v.substr(0, 64)),
                                 " again (first at [", first, "])"));
          }
        }
        break;
      }
      default:
        break;
    }
  }
}

void Validator::Add(int i, const Nation& n) {
  any_entity_ = true;
  const Ctx e = EntityCtx(Model::kNationsFieldNumber, i, n.id());
  phase_ = kPhaseKinds;
  CheckNation(e, i, n);
  phase_ = kPhaseFields;
  CheckFields(n, e);
}

void Validator::Add(int i, const Group& g) {
  any_entity_ = true;
  const Ctx e = EntityCtx(Model::kGroupsFieldNumber, i, g.id());
  phase_ = kPhaseKinds;
  CheckGroup(e, i, g);
  phase_ = kPhaseFields;
  CheckFields(g, e);
  phase_ = kPhaseReleasability;
  CheckReleasabilityList(e, desc_.group, Group::kReleasableToFieldNumber, g.releasable_to());
}

void Validator::Add(int i, const PlatformType& p) {
  any_entity_ = true;
  const Ctx e = EntityCtx(Model::kPlatformsFieldNumber, i, p.id());
  phase_ = kPhaseKinds;
  CheckPlatform(e, i, p);
  phase_ = kPhaseFields;
  CheckFields(p, e);
  phase_ = kPhaseReleasability;
  CheckReleasabilityList(e, desc_.platform, PlatformType::kReleasableToFieldNumber,
                         p.releasable_to());
}

void Validator::Add(int i, const CommsLink& l) {
  any_entity_ = true;
  const Ctx e = EntityCtx(Model::kLinksFieldNumber, i, l.id());
  phase_ = kPhaseKinds;
  CheckLink(e, i, l);
  phase_ = kPhaseFields;
  CheckFields(l, e);
}

void Validator::Add(int i, const DataStandard& s) {
  any_entity_ = true;
  const Ctx e = EntityCtx(Model::kStandardsFieldNumber, i, s.id());
  phase_ = kPhaseKinds;
  CheckStandard(e, i, s);
  phase_ = kPhaseFields;
  CheckFields(s, e);
}

void Validator::Add(int i, const Component& c) {
  any_entity_ = true;
  const Ctx e = EntityCtx(Model::kComponentsFieldNumber, i, c.id());
  phase_ = kPhaseKinds;
  CheckComponent(e, i, c);
  phase_ = kPhaseFields;
  CheckFields(c, e);
  phase_ = kPhaseReleasability;
  CheckReleasabilityList(e, desc_.component, Component::kReleasableToFieldNumber,
                         c.releasable_to());
}

void Validator::Add(int i, const Supplier& s) {
  any_entity_ = true;
  const Ctx e = EntityCtx(Model::kSuppliersFieldNumber, i, s.id());
  phase_ = kPhaseKinds;
  CheckSupplier(e, i, s);
  phase_ = kPhaseFields;
  CheckFields(s, e);
  phase_ = kPhaseReleasability;
  CheckReleasabilityList(e, desc_.supplier, Supplier::kReleasableToFieldNumber, s.releasable_to());
}

ValidationReport Validator::Finish() {
  phase_ = kPhaseCycles;
  CheckComponentCycles();
  phase_ = kPhaseMixes;
  CheckMixes();
  phase_ = kPhaseFields;
  CheckEveryField();
  phase_ = kPhaseReleasability;
  CheckOtherReleasabilityLists();
  phase_ = kPhaseRestrictions;
  CheckRestrictions();

  std::stable_sort(pending_.begin(), pending_.end(), [](const Pending& a, const Pending& b) {
    return std::make_tuple(SeverityRank(a.d.severity()), a.file_index, a.d.line(), a.d.column(),
                           a.top_number, a.top_index, a.phase, a.seq) <
           std::make_tuple(SeverityRank(b.d.severity()), b.file_index, b.d.line(), b.d.column(),
                           b.top_number, b.top_index, b.phase, b.seq);
  });
  ValidationReport report;
  int errors = 0;
  int warnings = 0;
  report.mutable_diagnostics()->Reserve(static_cast<int>(pending_.size()));
  for (Pending& p : pending_) {
    if (p.d.severity() == Diagnostic::ERROR) ++errors;
    if (p.d.severity() == Diagnostic::WARNING) ++warnings;
    *report.add_diagnostics() = std::move(p.d);
  }
  report.set_errors(errors);
  report.set_warnings(warnings);
  pending_.clear();
  return report;
}

}  // namespace validate_internal

EntityValidator::EntityValidator(const Model& skeleton, const SourceInfo& model_source,
                                 const std::vector<MixInput>& extra_mixes, const ModelIndex& index)
    : impl_(std::make_unique<validate_internal::Validator>(skeleton, model_source, extra_mixes,
                                                           index)) {}
EntityValidator::~EntityValidator() = default;

void EntityValidator::Add(int i, const Nation& nation) { impl_->Add(i, nation); }
void EntityValidator::Add(int i, const Group& group) { impl_->Add(i, group); }
void EntityValidator::Add(int i, const PlatformType& platform) { impl_->Add(i, platform); }
void EntityValidator::Add(int i, const CommsLink& link) { impl_->Add(i, link); }
void EntityValidator::Add(int i, const DataStandard& standard) { impl_->Add(i, standard); }
void EntityValidator::Add(int i, const Component& component) { impl_->Add(i, component); }
void EntityValidator::Add(int i, const Supplier& supplier) { impl_->Add(i, supplier); }
ValidationReport EntityValidator::Finish() { return impl_->Finish(); }

ValidationReport Validate(const Model& model, const SourceInfo& model_source,
                          const std::vector<MixInput>& extra_mixes, const ModelIndex& index) {
  // The model is its own skeleton: the validator never reads a skeleton's entity lists.
  validate_internal::Validator v(model, model_source, extra_mixes, index);
  for (int i = 0; i < model.nations_size(); ++i) v.Add(i, model.nations(i));
  for (int i = 0; i < model.groups_size(); ++i) v.Add(i, model.groups(i));
  for (int i = 0; i < model.platforms_size(); ++i) v.Add(i, model.platforms(i));
  for (int i = 0; i < model.links_size(); ++i) v.Add(i, model.links(i));
  for (int i = 0; i < model.standards_size(); ++i) v.Add(i, model.standards(i));
  for (int i = 0; i < model.components_size(); ++i) v.Add(i, model.components(i));
  for (int i = 0; i < model.suppliers_size(); ++i) v.Add(i, model.suppliers(i));
  return v.Finish();
}

ValidationReport Validate(const Model& model, const SourceInfo& model_source,
                          const std::vector<MixInput>& extra_mixes) {
  const ModelIndex index = InternModel(model, /*parallel=*/false);
  return Validate(model, model_source, extra_mixes, index);
}

std::string FormatDiagnostic(const Diagnostic& d) {
  std::string out = d.file().empty() ? "-" : d.file();
  if (d.line() > 0) {
    absl::StrAppend(&out, ":", d.line());
    if (d.column() > 0) absl::StrAppend(&out, ":", d.column());
  }
  absl::string_view severity = d.severity() == Diagnostic::WARNING ? "warning" : "error";
  absl::StrAppend(&out, ": ", severity, ": ");
  if (!d.path().empty()) absl::StrAppend(&out, d.path(), ": ");
  absl::StrAppend(&out, d.message(), " [", d.code(), "]");
  return out;
}

}  // namespace coalition
