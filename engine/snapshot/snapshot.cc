#include "engine/snapshot/snapshot.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <map>
#include <thread>
#include <type_traits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/base/file_io.h"
#include "engine/base/status_macros.h"
#include "engine/model/load.h"
#include "engine/snapshot/row_fields.h"
#include "google/protobuf/generated_enum_reflection.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace coalition::snapshot {

namespace v1 = ::coalition::v1;
using graph::EdgeKind;
using graph::EntityKind;
using graph::StringColumn;
using graph::TypedGraph;

// ---- the bytes ---------------------------------------------------------------------------------

class SnapshotBytes {
 public:
  SnapshotBytes(const SnapshotBytes&) = delete;
  SnapshotBytes& operator=(const SnapshotBytes&) = delete;
  const char* data() const { return data_; }
  uint64_t size() const { return size_; }

  static absl::StatusOr<std::shared_ptr<const SnapshotBytes>> Map(absl::string_view path) {
    ASSIGN_OR_RETURN(std::unique_ptr<MappedFile> mapped, MappedFile::Map(path));
    auto b = std::shared_ptr<SnapshotBytes>(new SnapshotBytes());
    b->data_ = mapped->bytes().data();
    b->size_ = mapped->bytes().size();
    b->mapped_ = std::move(mapped);
    return std::shared_ptr<const SnapshotBytes>(std::move(b));
  }

  static std::shared_ptr<const SnapshotBytes> Copy(absl::string_view bytes) {
    auto b = std::shared_ptr<SnapshotBytes>(new SnapshotBytes());
    b->owned_.reset(new uint64_t[bytes.size() / 8 + 1]);
    if (!bytes.empty()) std::memcpy(b->owned_.get(), bytes.data(), bytes.size());
    b->data_ = reinterpret_cast<const char*>(b->owned_.get());
    b->size_ = bytes.size();
    return b;
  }

 private:
  SnapshotBytes() = default;
  std::unique_ptr<MappedFile> mapped_;
  std::unique_ptr<uint64_t[]> owned_;  // 8-byte aligned copy
  const char* data_ = nullptr;
  uint64_t size_ = 0;
};

namespace {

// ---- file layout -------------------------------------------------------------------------------

struct FileHeader {
  char magic[8];
  uint32_t version;
  uint32_t layout;  // LayoutFingerprint()
  uint64_t file_size;
  uint64_t header_checksum;  // Checksum of the header with this field 0
  uint64_t table_checksum;   // Checksum of the section table
  uint32_t num_sections;
  uint32_t us_nation;  // local nation index, kNoUs when the model has none
  uint32_t counts[graph::kNumEntityKinds];
  uint32_t reserved;  // 0
};
static_assert(sizeof(FileHeader) == 80, "the header layout is part of the format");
constexpr uint32_t kNoUs = std::numeric_limits<uint32_t>::max();

struct SectionEntry {
  uint32_t tag;        // StableIdHash of the section's name, low 32 bits
  uint32_t elem_size;  // bytes per element
  uint64_t offset;     // from the start of the file, a multiple of kAlign
  uint64_t size;       // bytes
  uint64_t checksum;   // Checksum of the bytes
};
static_assert(sizeof(SectionEntry) == 32, "the section table layout is part of the format");

constexpr uint64_t kAlign = 64;
constexpr uint64_t kTableOffset = 128;
// Far above any real model's mixes; bounds the table before it is read.
constexpr uint32_t kMaxSections = 1 << 20;

uint64_t AlignUp(uint64_t x) { return (x + kAlign - 1) / kAlign * kAlign; }

// A 64-bit checksum in the style of xxHash64 (four independent lanes over 32-byte stripes):
// fast enough to read a snapshot at memory speed, and any flipped bit changes it.
inline uint64_t Rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
inline uint64_t Load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
constexpr uint64_t kP1 = 0x9E3779B185EBCA87ULL;
constexpr uint64_t kP2 = 0xC2B2AE3D27D4EB4FULL;
constexpr uint64_t kP3 = 0x165667B19E3779F9ULL;
inline uint64_t Round(uint64_t acc, uint64_t w) { return Rotl(acc + w * kP2, 31) * kP1; }

uint64_t Checksum(const char* p, uint64_t n) {
  uint64_t a = kP1 + kP2, b = kP2, c = 0, d = 0 - kP1;
  uint64_t i = 0;
  for (; i + 32 <= n; i += 32) {
    a = Round(a, Load64(p + i));
    b = Round(b, Load64(p + i + 8));
    c = Round(c, Load64(p + i + 16));
    d = Round(d, Load64(p + i + 24));
  }
  uint64_t h = Rotl(a, 1) + Rotl(b, 7) + Rotl(c, 12) + Rotl(d, 18) + n;
  for (; i + 8 <= n; i += 8) h = Rotl(h ^ Round(0, Load64(p + i)), 27) * kP1 + kP3;
  for (; i < n; ++i) h = Rotl(h ^ (static_cast<unsigned char>(p[i]) * kP3), 11) * kP1;
  h ^= h >> 33;
  h *= kP2;
  h ^= h >> 29;
  h *= kP3;
  h ^= h >> 32;
  return h;
}

uint32_t Tag(absl::string_view name) { return static_cast<uint32_t>(graph::StableIdHash(name)); }

using internal::Fields;

struct IgnoreField {
  template <typename U>
  void operator()(const U&) const {}
};
template <typename T, typename = void>
struct HasFields : std::false_type {};
template <typename T>
struct HasFields<T, std::void_t<decltype(Fields(std::declval<const T&>(), IgnoreField()))>>
    : std::true_type {};

// Whether the bytes of an enum or bool field hold a value of its type (reading a bool or an
// enum from arbitrary bytes is only defined once this holds).
template <typename T>
bool ValidFieldBytes(const char* p) {
  if constexpr (std::is_same_v<T, bool>) {
    unsigned char c;
    std::memcpy(&c, p, 1);
    return c <= 1;
  } else if constexpr (std::is_enum_v<T>) {
    std::underlying_type_t<T> v;
    std::memcpy(&v, p, sizeof v);
    // Every proto enum used in a row has small non-negative values; one bitmask per type.
    static const uint64_t valid = [] {
      uint64_t mask = 0;
      const auto* d = google::protobuf::GetEnumDescriptor<T>();
      for (int i = 0; i < d->value_count(); ++i) {
        const int n = d->value(i)->number();
        if (n >= 0 && n < 64) mask |= uint64_t{1} << n;
      }
      return mask;
    }();
    return v >= 0 && v < 64 && ((valid >> v) & 1) != 0;
  } else {
    return true;
  }
}

template <typename T>
void LayoutOf(std::string* out) {
  T probe{};
  absl::StrAppend(out, sizeof(T), "{");
  Fields(probe, [&](const auto& field) {
    absl::StrAppend(out, reinterpret_cast<const char*>(&field) -
                             reinterpret_cast<const char*>(&probe),
                    ":", sizeof(field), ",");
  });
  absl::StrAppend(out, "}");
}

uint32_t LayoutFingerprint() {
  static const uint32_t fingerprint = [] {
    std::string s;
    LayoutOf<graph::NationRow>(&s);
    LayoutOf<graph::GroupRow>(&s);
    LayoutOf<graph::PlatformRow>(&s);
    LayoutOf<graph::LinkRow>(&s);
    LayoutOf<graph::StandardRow>(&s);
    LayoutOf<graph::ComponentRow>(&s);
    LayoutOf<graph::GatewayRow>(&s);
    LayoutOf<graph::RestrictionRow>(&s);
    absl::StrAppend(&s, "EdgeKind", sizeof(EdgeKind), "NodeId", sizeof(graph::NodeId),
                    "kinds", graph::kNumEntityKinds, "/", graph::kNumEdgeKinds);
    return static_cast<uint32_t>(graph::StableIdHash(s));
  }();
  return fingerprint;
}

// The rows of `span` as bytes: raw for plain integers, field by field into zeroed rows for the
// row structs.
template <typename T>
std::string RowBytes(absl::Span<const T> span) {
  std::string out(span.size() * sizeof(T), '\0');
  if constexpr (HasFields<T>::value) {
    for (size_t i = 0; i < span.size(); ++i) {
      const T& row = span[i];
      char* dst = out.data() + i * sizeof(T);
      Fields(row, [&](const auto& field) {
        const size_t at =
            reinterpret_cast<const char*>(&field) - reinterpret_cast<const char*>(&row);
        std::memcpy(dst + at, &field, sizeof(field));
      });
    }
  } else {
    static_assert(std::is_integral_v<T> || std::is_enum_v<T>, "rows need a Fields() list");
    if (!span.empty()) std::memcpy(out.data(), span.data(), out.size());
  }
  return out;
}

// ---- writer --------------------------------------------------------------------------------

struct PendingSection {
  std::string name;
  uint32_t elem_size;
  std::string bytes;
};

// The names of the graph's sections, in order, with an ordinal for repeated names.
class SectionNamer {
 public:
  std::string Next(absl::string_view name, absl::string_view part) {
    const int n = seen_[absl::StrCat(name, ".", part)]++;
    std::string s(name);
    if (name == "ids" || name == "names" || name == "id_index") {
      absl::StrAppend(&s, "[", graph::EntityKindName(static_cast<EntityKind>(n)), "]");
    }
    if (!part.empty()) absl::StrAppend(&s, ".", part);
    return s;
  }

 private:
  std::map<std::string, int> seen_;
};

}  // namespace

absl::StatusOr<std::string> SerializeSnapshot(const TypedGraph& g, const v1::Model& model) {
  std::vector<PendingSection> sections;
  SectionNamer namer;
  TypedGraph::Arrays arrays = g.arrays();
  auto add = [&](const std::string& name, uint32_t elem_size, std::string bytes) {
    sections.push_back({name, elem_size, std::move(bytes)});
  };
  TypedGraph::ForEachArray(arrays, [&](absl::string_view name, auto& member) {
    using M = std::decay_t<decltype(member)>;
    if constexpr (std::is_same_v<M, StringColumn>) {
      add(namer.Next(name, "offsets"), 4, RowBytes(member.offsets));
      add(namer.Next(name, "chars"), 1, std::string(member.chars.data(), member.chars.size()));
    } else {
      using T = typename M::value_type;
      add(namer.Next(name, ""), sizeof(T), RowBytes<T>(member));
    }
  });
  add("model_name", 1, g.model_name());
  {
    std::vector<uint32_t> offsets = {0};
    std::string chars;
    for (const v1::ForceMix& m : model.mixes()) {
      chars += m.name();
      offsets.push_back(static_cast<uint32_t>(chars.size()));
    }
    if (chars.size() >= UINT32_MAX) return absl::InvalidArgumentError("mix names over 4 GiB");
    add("mix_names.offsets", 4, RowBytes<uint32_t>(offsets));
    add("mix_names.chars", 1, std::move(chars));
  }
  for (const v1::ForceMix& m : model.mixes()) {
    if (m.ByteSizeLong() > static_cast<size_t>(std::numeric_limits<int>::max())) {
      return absl::InvalidArgumentError(absl::StrCat("mix '", m.name(), "' is over 2 GiB"));
    }
    // Deterministic: the same mix always gives the same bytes.
    std::string bytes;
    {
      google::protobuf::io::StringOutputStream raw(&bytes);
      google::protobuf::io::CodedOutputStream coded(&raw);
      coded.SetSerializationDeterministic(true);
      m.SerializeToCodedStream(&coded);
    }
    add("mix", 1, std::move(bytes));
  }
  ASSIGN_OR_RETURN(std::string model_bytes, SerializeStream(model));
  add("model", 1, std::move(model_bytes));

  // Lay out: header, table, then each section at a 64-byte boundary.
  uint64_t at = AlignUp(kTableOffset + sections.size() * sizeof(SectionEntry));
  std::vector<SectionEntry> table(sections.size());
  for (size_t i = 0; i < sections.size(); ++i) {
    table[i].tag = Tag(sections[i].name);
    table[i].elem_size = sections[i].elem_size;
    table[i].offset = at;
    table[i].size = sections[i].bytes.size();
    table[i].checksum = Checksum(sections[i].bytes.data(), sections[i].bytes.size());
    at = AlignUp(at + sections[i].bytes.size());
  }
  std::string out(at, '\0');
  for (size_t i = 0; i < sections.size(); ++i) {
    if (!sections[i].bytes.empty()) {
      std::memcpy(out.data() + table[i].offset, sections[i].bytes.data(),
                  sections[i].bytes.size());
    }
    std::string().swap(sections[i].bytes);
  }
  std::memcpy(out.data() + kTableOffset, table.data(), table.size() * sizeof(SectionEntry));
  FileHeader h;
  std::memset(&h, 0, sizeof h);
  std::memcpy(h.magic, kSnapshotMagic.data(), 8);
  h.version = kSnapshotVersion;
  h.layout = LayoutFingerprint();
  h.file_size = out.size();
  h.table_checksum = Checksum(out.data() + kTableOffset, table.size() * sizeof(SectionEntry));
  h.num_sections = static_cast<uint32_t>(table.size());
  const std::optional<uint32_t> us = g.us_nation();
  h.us_nation = us.has_value() ? *us : kNoUs;
  for (int k = 0; k < graph::kNumEntityKinds; ++k) h.counts[k] = g.Count(static_cast<EntityKind>(k));
  h.header_checksum = 0;
  h.header_checksum = Checksum(reinterpret_cast<const char*>(&h), sizeof h);
  std::memcpy(out.data(), &h, sizeof h);
  return out;
}

absl::Status WriteSnapshot(const TypedGraph& g, const v1::Model& model, absl::string_view path) {
  ASSIGN_OR_RETURN(std::string bytes, SerializeSnapshot(g, model));
  return WriteFileAtomically(path, bytes);
}

// ---- reader --------------------------------------------------------------------------------

// Friend of TypedGraph: assembles a graph over mapped arrays and checks every index in it.
class GraphAccess {
 public:
  static absl::StatusOr<TypedGraph> Assemble(const FileHeader& h, const TypedGraph::Arrays& a,
                                             std::string model_name,
                                             std::shared_ptr<const void> owner) {
    TypedGraph g;
    uint64_t base = 0;
    for (int k = 0; k < graph::kNumEntityKinds; ++k) {
      g.counts_[k] = h.counts[k];
      g.base_[k] = static_cast<uint32_t>(base);
      base += h.counts[k];
      if (base >= std::numeric_limits<uint32_t>::max()) {
        return absl::InvalidArgumentError("entity counts exceed 2^32");
      }
    }
    g.base_[graph::kNumEntityKinds] = static_cast<uint32_t>(base);
    if (h.us_nation != kNoUs) {
      if (h.us_nation >= h.counts[0]) {
        return absl::InvalidArgumentError(
            absl::StrCat("the US nation index ", h.us_nation, " is out of range"));
      }
      g.us_nation_ = h.us_nation;
    }
    g.model_name_ = std::move(model_name);
    g.a_ = a;
    g.owners_.push_back(std::move(owner));
    RETURN_IF_ERROR(Check(g));
    for (uint32_t r = 0; r < a.role_names.size(); ++r) {
      g.role_index_.try_emplace(std::string(a.role_names[r]), r);
    }
    return std::move(g);
  }

 private:
  static absl::Status Bad(absl::string_view what) { return absl::InvalidArgumentError(what); }

  static absl::Status CheckColumn(const StringColumn& c, absl::string_view name,
                                  std::optional<uint32_t> expected) {
    if (c.offsets.empty()) {
      if (!c.chars.empty() || (expected.has_value() && *expected != 0)) {
        return Bad(absl::StrCat(name, ": no offsets for ", c.chars.size(), " bytes"));
      }
      return absl::OkStatus();
    }
    if (expected.has_value() && c.offsets.size() != uint64_t{*expected} + 1) {
      return Bad(absl::StrCat(name, ": ", c.offsets.size() - 1, " strings, expected ", *expected));
    }
    if (c.offsets[0] != 0 || c.offsets.back() != c.chars.size()) {
      return Bad(absl::StrCat(name, ": offsets do not span the characters"));
    }
    for (size_t i = 1; i < c.offsets.size(); ++i) {
      if (c.offsets[i] < c.offsets[i - 1]) {
        return Bad(absl::StrCat(name, ": offset ", i, " goes backwards"));
      }
    }
    return absl::OkStatus();
  }

  template <typename T>
  static absl::Status CheckRows(absl::Span<const T> rows, absl::string_view name,
                                std::optional<uint32_t> expected) {
    if (expected.has_value() && rows.size() != *expected) {
      return Bad(absl::StrCat(name, ": ", rows.size(), " rows, expected ", *expected));
    }
    for (size_t i = 0; i < rows.size(); ++i) {
      const T& row = rows[i];
      bool ok = true;
      Fields(row, [&](const auto& field) {
        ok = ok && ValidFieldBytes<std::decay_t<decltype(field)>>(
                       reinterpret_cast<const char*>(&field));
      });
      if (!ok) return Bad(absl::StrCat(name, "[", i, "]: a field holds no valid value"));
    }
    return absl::OkStatus();
  }

  // The entity kinds an edge kind goes from and to (contiguous ranges of EntityKind).
  struct EdgeRule {
    EntityKind src_first, src_last, dst_first, dst_last;
  };
  static EdgeRule Rule(EdgeKind e) {
    using K = EntityKind;
    switch (e) {
      case EdgeKind::kMemberOf: return {K::kNation, K::kNation, K::kGroup, K::kGroup};
      case EdgeKind::kDesignedBy: return {K::kPlatform, K::kStandard, K::kNation, K::kNation};
      case EdgeKind::kProducedBy: return {K::kPlatform, K::kPlatform, K::kNation, K::kNation};
      case EdgeKind::kFits: return {K::kPlatform, K::kPlatform, K::kLink, K::kLink};
      case EdgeKind::kSpeaks: return {K::kPlatform, K::kPlatform, K::kStandard, K::kStandard};
      case EdgeKind::kUsesCritical:
      case EdgeKind::kUses: return {K::kPlatform, K::kPlatform, K::kComponent, K::kComponent};
      case EdgeKind::kCarries: return {K::kLink, K::kLink, K::kStandard, K::kStandard};
      case EdgeKind::kReleasableTo: return {K::kLink, K::kStandard, K::kNation, K::kGroup};
      case EdgeKind::kSuppliedBy: return {K::kComponent, K::kComponent, K::kSupplier, K::kSupplier};
      case EdgeKind::kSubCritical:
      case EdgeKind::kSub: return {K::kComponent, K::kComponent, K::kComponent, K::kComponent};
      case EdgeKind::kLocatedIn: return {K::kSupplier, K::kSupplier, K::kNation, K::kNation};
    }
    return {K::kSupplier, K::kNation, K::kSupplier, K::kNation};  // empty ranges: refused
  }

  static absl::Status CheckEdges(const TypedGraph& g) {
    const TypedGraph::Arrays& a = g.a_;
    const uint32_t n = g.num_nodes();
    const uint64_t e = a.edge_kinds.size();
    if (a.row_start.size() != uint64_t{n} + 1) {
      return Bad(absl::StrCat("row_start: ", a.row_start.size(), " entries for ", n, " nodes"));
    }
    if (a.targets.size() != e) {
      return Bad(absl::StrCat("targets: ", a.targets.size(), " for ", e, " edge kinds"));
    }
    if (a.row_start[0] != 0 || a.row_start[n] != e) {
      return Bad("row_start: rows do not span the edges");
    }
    struct Range {
      uint32_t src_lo, src_hi, dst_lo, dst_hi;  // kinds [src_lo, src_hi], NodeIds [dst_lo, dst_hi)
    };
    Range rules[graph::kNumEdgeKinds];
    for (int k = 0; k < graph::kNumEdgeKinds; ++k) {
      const EdgeRule r = Rule(static_cast<EdgeKind>(k));
      rules[k] = {static_cast<uint32_t>(r.src_first), static_cast<uint32_t>(r.src_last),
                  g.base_[static_cast<int>(r.dst_first)],
                  g.base_[static_cast<int>(r.dst_last) + 1]};
    }
    for (uint32_t kind = 0; kind < graph::kNumEntityKinds; ++kind) {
      for (uint32_t v = g.base_[kind]; v < g.base_[kind + 1]; ++v) {
        const uint32_t begin = a.row_start[v], end = a.row_start[v + 1];
        if (end < begin || end > e) {
          return Bad(absl::StrCat("row_start[", v, "]: row out of range"));
        }
        uint8_t prev = 0;
        for (uint32_t i = begin; i < end; ++i) {
          const uint8_t ek = static_cast<uint8_t>(a.edge_kinds[i]);
          if (ek >= graph::kNumEdgeKinds || ek < prev) {
            return Bad(absl::StrCat("edge_kinds[", i, "]: ", int{ek},
                                    ek < prev ? " out of order" : " is no edge kind"));
          }
          prev = ek;
          const Range& r = rules[ek];
          const uint32_t t = a.targets[i];
          if (kind < r.src_lo || kind > r.src_hi || t < r.dst_lo || t >= r.dst_hi) {
            return Bad(absl::StrCat("edge ", i, " (",
                                    graph::EdgeKindName(static_cast<EdgeKind>(ek)), ") from ",
                                    graph::EntityKindName(static_cast<EntityKind>(kind)), " ", v,
                                    " to ", t, ": endpoints of the wrong kind"));
          }
        }
      }
    }
    return absl::OkStatus();
  }

  static absl::Status CheckIndex(absl::Span<const uint32_t> slots, uint32_t count,
                                 absl::string_view name) {
    if (slots.size() < 2 || (slots.size() & (slots.size() - 1)) != 0 ||
        slots.size() <= count) {
      return Bad(absl::StrCat(name, ": ", slots.size(), " slots for ", count, " ids"));
    }
    uint64_t used = 0;
    for (uint32_t s : slots) {
      if (s > count) return Bad(absl::StrCat(name, ": slot value ", s, " out of range"));
      used += s != 0;
    }
    if (used != count) return Bad(absl::StrCat(name, ": ", used, " ids indexed of ", count));
    return absl::OkStatus();
  }

  static absl::Status Check(const TypedGraph& g) {
    const TypedGraph::Arrays& a = g.a_;
    RETURN_IF_ERROR(CheckEdges(g));
    for (int k = 0; k < graph::kNumEntityKinds; ++k) {
      const std::string kind(graph::EntityKindName(static_cast<EntityKind>(k)));
      RETURN_IF_ERROR(CheckColumn(a.ids[k], absl::StrCat("ids[", kind, "]"), g.counts_[k]));
      RETURN_IF_ERROR(CheckColumn(a.names[k], absl::StrCat("names[", kind, "]"), g.counts_[k]));
      RETURN_IF_ERROR(CheckIndex(a.id_index[k], g.counts_[k], absl::StrCat("id_index[", kind, "]")));
    }
    auto count = [&](EntityKind k) { return g.Count(k); };
    RETURN_IF_ERROR(CheckRows(a.nations, "nations", count(EntityKind::kNation)));
    RETURN_IF_ERROR(CheckRows(a.groups, "groups", count(EntityKind::kGroup)));
    RETURN_IF_ERROR(CheckRows(a.platforms, "platforms", count(EntityKind::kPlatform)));
    RETURN_IF_ERROR(CheckRows(a.links, "links", count(EntityKind::kLink)));
    RETURN_IF_ERROR(CheckRows(a.standards, "standards", count(EntityKind::kStandard)));
    RETURN_IF_ERROR(CheckRows(a.components, "components", count(EntityKind::kComponent)));
    RETURN_IF_ERROR(CheckRows(a.gateways, "gateways", std::nullopt));
    RETURN_IF_ERROR(CheckRows(a.restrictions, "restrictions", std::nullopt));
    RETURN_IF_ERROR(CheckColumn(a.role_names, "role_names", std::nullopt));
    RETURN_IF_ERROR(CheckColumn(a.family_names, "family_names", std::nullopt));
    RETURN_IF_ERROR(CheckColumn(a.restriction_ids, "restriction_ids", a.restrictions.size()));
    RETURN_IF_ERROR(CheckColumn(a.restriction_names, "restriction_names", a.restrictions.size()));
    for (size_t p = 0; p < a.platforms.size(); ++p) {
      const graph::PlatformRow& r = a.platforms[p];
      if (r.gateway_begin > r.gateway_end || r.gateway_end > a.gateways.size()) {
        return Bad(absl::StrCat("platforms[", p, "]: gateways out of range"));
      }
    }
    for (size_t i = 0; i < a.gateways.size(); ++i) {
      const graph::GatewayRow& r = a.gateways[i];
      if (r.standard_a >= count(EntityKind::kStandard) ||
          r.standard_b >= count(EntityKind::kStandard) || r.level_cap < 1 || r.level_cap > 3) {
        return Bad(absl::StrCat("gateways[", i, "]: standard or level cap out of range"));
      }
    }
    for (size_t i = 0; i < a.standards.size(); ++i) {
      if (a.standards[i].family >= a.family_names.size()) {
        return Bad(absl::StrCat("standards[", i, "]: family out of range"));
      }
    }
    if (a.role_begin.size() != a.platforms.size() + 1 || a.role_begin[0] != 0 ||
        a.role_begin.back() != a.role_ids.size()) {
      return Bad("role_begin: rows do not span the roles");
    }
    for (size_t p = 0; p < a.platforms.size(); ++p) {
      if (a.role_begin[p + 1] < a.role_begin[p]) {
        return Bad(absl::StrCat("role_begin[", p + 1, "] goes backwards"));
      }
    }
    for (size_t i = 0; i < a.role_ids.size(); ++i) {
      if (a.role_ids[i] >= a.role_names.size()) {
        return Bad(absl::StrCat("role_ids[", i, "] out of range"));
      }
    }
    for (size_t i = 0; i < a.restrictions.size(); ++i) {
      const graph::RestrictionRow& r = a.restrictions[i];
      if ((r.supplier != graph::kNoIndex && r.supplier >= count(EntityKind::kSupplier)) ||
          (r.supplier_nation != graph::kNoIndex &&
           r.supplier_nation >= count(EntityKind::kNation)) ||
          r.denied_begin > r.denied_end || r.denied_end > a.restriction_denied.size()) {
        return Bad(absl::StrCat("restrictions[", i, "]: index out of range"));
      }
    }
    const uint32_t parties_end = g.base_[static_cast<int>(EntityKind::kGroup) + 1];
    for (size_t i = 0; i < a.restriction_denied.size(); ++i) {
      if (a.restriction_denied[i] >= parties_end) {
        return Bad(absl::StrCat("restriction_denied[", i, "]: not a nation or group"));
      }
    }
    return absl::OkStatus();
  }
};

namespace {

absl::Status Corrupt(absl::string_view file, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(
      file, ": the snapshot is corrupt: ", what,
      "; rebuild it from the model with `coalition snapshot MODEL OUT`"));
}

struct Located {
  std::string name;
  SectionEntry entry;
};

// Checksums `sections` on two threads (split by bytes) when they are large.
absl::Status VerifyChecksums(const char* base, const std::vector<Located>& sections,
                             absl::string_view file) {
  uint64_t total = 0;
  for (const Located& s : sections) total += s.entry.size;
  std::vector<char> ok(sections.size(), 1);
  auto run = [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      ok[i] = Checksum(base + sections[i].entry.offset, sections[i].entry.size) ==
              sections[i].entry.checksum;
    }
  };
  if (total < (uint64_t{8} << 20) || std::thread::hardware_concurrency() < 2) {
    run(0, sections.size());
  } else {
    // The first sections up to half the bytes on a second thread, the rest here.
    size_t split = 0;
    for (uint64_t acc = 0; split < sections.size() && acc < total / 2; ++split) {
      acc += sections[split].entry.size;
    }
    std::thread other(run, 0, split);
    run(split, sections.size());
    other.join();
  }
  for (size_t i = 0; i < sections.size(); ++i) {
    if (!ok[i]) return Corrupt(file, absl::StrCat("section '", sections[i].name, "' fails its checksum"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Snapshot> Open(std::shared_ptr<const SnapshotBytes> bytes, absl::string_view file) {
  const char* base = bytes->data();
  const uint64_t size = bytes->size();
  if (size < sizeof(FileHeader) ||
      absl::string_view(base, kSnapshotMagic.size()) != kSnapshotMagic) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ": not a coalition snapshot (no '", kSnapshotMagic, "' header)"));
  }
  FileHeader h;
  std::memcpy(&h, base, sizeof h);
  if (h.version != kSnapshotVersion) {
    return absl::InvalidArgumentError(absl::StrCat(
        file, ": snapshot format version ", h.version, ", this coalition reads version ",
        kSnapshotVersion, ": rebuild it from the model with `coalition snapshot MODEL OUT`"));
  }
  {
    FileHeader zeroed = h;
    zeroed.header_checksum = 0;
    if (Checksum(reinterpret_cast<const char*>(&zeroed), sizeof zeroed) != h.header_checksum) {
      return Corrupt(file, "the header fails its checksum");
    }
  }
  if (h.layout != LayoutFingerprint()) {
    return absl::InvalidArgumentError(absl::StrCat(
        file, ": the snapshot was written by a build of coalition with another graph layout: "
              "rebuild it from the model with `coalition snapshot MODEL OUT`"));
  }
  if (h.file_size != size) {
    return Corrupt(file, absl::StrCat("the header says ", h.file_size, " bytes, the file has ",
                                      size, " (truncated or extended)"));
  }
  if (h.num_sections > kMaxSections ||
      kTableOffset + uint64_t{h.num_sections} * sizeof(SectionEntry) > size) {
    return Corrupt(file, absl::StrCat(h.num_sections, " sections do not fit in the file"));
  }
  const uint64_t table_bytes = uint64_t{h.num_sections} * sizeof(SectionEntry);
  if (Checksum(base + kTableOffset, table_bytes) != h.table_checksum) {
    return Corrupt(file, "the section table fails its checksum");
  }
  std::vector<SectionEntry> table(h.num_sections);
  if (table_bytes > 0) std::memcpy(table.data(), base + kTableOffset, table_bytes);
  const uint64_t data_start = AlignUp(kTableOffset + table_bytes);

  // Walk the expected sections in order, checking each entry's tag, element size and bounds.
  size_t next = 0;
  std::vector<Located> graph_sections;
  absl::Status status;
  auto take = [&](const std::string& name, uint32_t elem_size,
                  std::vector<Located>* verify) -> std::optional<SectionEntry> {
    if (!status.ok()) return std::nullopt;
    if (next >= table.size()) {
      status = Corrupt(file, absl::StrCat("section '", name, "' is missing"));
      return std::nullopt;
    }
    const SectionEntry& e = table[next++];
    if (e.tag != Tag(name) || e.elem_size != elem_size) {
      status = Corrupt(file, absl::StrCat("section ", next - 1, " is not '", name, "'"));
      return std::nullopt;
    }
    if (e.offset % kAlign != 0 || e.offset < data_start || e.offset > size ||
        e.size > size - e.offset || e.size % elem_size != 0) {
      status = Corrupt(file, absl::StrCat("section '", name, "' lies outside the file"));
      return std::nullopt;
    }
    if (verify != nullptr) verify->push_back({name, e});
    return e;
  };
  TypedGraph::Arrays arrays;
  SectionNamer namer;
  TypedGraph::ForEachArray(arrays, [&](absl::string_view name, auto& member) {
    using M = std::decay_t<decltype(member)>;
    if constexpr (std::is_same_v<M, StringColumn>) {
      auto off = take(namer.Next(name, "offsets"), 4, &graph_sections);
      auto chars = take(namer.Next(name, "chars"), 1, &graph_sections);
      if (!off || !chars) return;
      member.offsets = absl::MakeConstSpan(
          reinterpret_cast<const uint32_t*>(base + off->offset), off->size / 4);
      member.chars = absl::MakeConstSpan(base + chars->offset, chars->size);
    } else {
      using T = typename M::value_type;
      auto e = take(namer.Next(name, ""), sizeof(T), &graph_sections);
      if (!e) return;
      member = absl::MakeConstSpan(reinterpret_cast<const T*>(base + e->offset),
                                   e->size / sizeof(T));
    }
  });
  auto model_name = take("model_name", 1, &graph_sections);
  auto mix_offsets = take("mix_names.offsets", 4, &graph_sections);
  auto mix_chars = take("mix_names.chars", 1, &graph_sections);
  if (!status.ok()) return status;
  RETURN_IF_ERROR(VerifyChecksums(base, graph_sections, file));

  StringColumn mix_names;
  mix_names.offsets = absl::MakeConstSpan(
      reinterpret_cast<const uint32_t*>(base + mix_offsets->offset), mix_offsets->size / 4);
  mix_names.chars = absl::MakeConstSpan(base + mix_chars->offset, mix_chars->size);
  if (mix_names.offsets.empty() || mix_names.offsets[0] != 0 ||
      mix_names.offsets.back() != mix_names.chars.size()) {
    return Corrupt(file, "mix_names: offsets do not span the characters");
  }
  for (size_t i = 1; i < mix_names.offsets.size(); ++i) {
    if (mix_names.offsets[i] < mix_names.offsets[i - 1]) {
      return Corrupt(file, "mix_names: offsets go backwards");
    }
  }
  Snapshot s;
  s.file = std::string(file);
  s.bytes = bytes;
  for (uint32_t i = 0; i < mix_names.size(); ++i) s.mix_names.emplace_back(mix_names[i]);
  for (size_t i = 0; i < s.mix_names.size(); ++i) {
    auto e = take("mix", 1, nullptr);
    if (!e) return status;
    s.mix_sections.push_back({e->offset, e->size, e->checksum});
  }
  auto model = take("model", 1, nullptr);
  if (!model) return status;
  if (next != table.size()) {
    return Corrupt(file, absl::StrCat(table.size() - next, " sections more than expected"));
  }
  s.model_section = {model->offset, model->size, model->checksum};
  // Sections in file order without overlap, and every byte outside them zero: no byte of the
  // file goes unchecked.
  {
    uint64_t covered = sizeof(FileHeader);
    auto zeros = [&](uint64_t from, uint64_t to) {
      for (uint64_t i = from; i < to; ++i) {
        if (base[i] != 0) return false;
      }
      return true;
    };
    if (!zeros(covered, kTableOffset)) return Corrupt(file, "non-zero bytes after the header");
    covered = kTableOffset + table_bytes;
    for (size_t i = 0; i < table.size(); ++i) {
      if (table[i].offset < covered) {
        return Corrupt(file, absl::StrCat("section ", i, " overlaps the previous one"));
      }
      if (!zeros(covered, table[i].offset)) {
        return Corrupt(file, absl::StrCat("non-zero padding before section ", i));
      }
      covered = table[i].offset + table[i].size;
    }
    if (!zeros(covered, size)) return Corrupt(file, "non-zero bytes after the last section");
  }

  absl::StatusOr<TypedGraph> g = GraphAccess::Assemble(
      h, arrays, std::string(base + model_name->offset, model_name->size), bytes);
  if (!g.ok()) return Corrupt(file, g.status().message());
  s.graph = std::make_unique<TypedGraph>(*std::move(g));
  return s;
}

}  // namespace

absl::StatusOr<v1::ForceMix> Snapshot::Mix(size_t i) const {
  if (i >= mix_sections.size()) {
    return absl::OutOfRangeError(absl::StrCat(file, ": no mix ", i));
  }
  const Section& sec = mix_sections[i];
  const char* p = bytes->data() + sec.offset;
  if (Checksum(p, sec.size) != sec.checksum) {
    return Corrupt(file, absl::StrCat("mix '", mix_names[i], "' fails its checksum"));
  }
  v1::ForceMix mix;
  if (sec.size > static_cast<uint64_t>(std::numeric_limits<int>::max()) ||
      !mix.ParseFromArray(p, static_cast<int>(sec.size))) {
    return Corrupt(file, absl::StrCat("mix '", mix_names[i], "' does not parse"));
  }
  return mix;
}

absl::StatusOr<v1::Model> Snapshot::Model() const {
  const char* p = bytes->data() + model_section.offset;
  if (Checksum(p, model_section.size) != model_section.checksum) {
    return Corrupt(file, "the model section fails its checksum");
  }
  if (model_section.size > static_cast<uint64_t>(std::numeric_limits<int>::max())) {
    // ArrayInputStream takes an int size; models this large are refused rather than cut.
    return absl::ResourceExhaustedError(
        absl::StrCat(file, ": the model section is over 2 GiB; convert from the model files"));
  }
  v1::Model model;
  google::protobuf::io::ArrayInputStream in(p, static_cast<int>(model_section.size));
  RETURN_IF_ERROR(ParseStream(&in, absl::StrCat(file, " (model section)"), &model));
  return model;
}

uint64_t Snapshot::file_bytes() const { return bytes->size(); }

v1::Model MixValidationModel(const Snapshot& s) {
  const TypedGraph& g = *s.graph;
  v1::Model m;
  m.set_name(g.model_name());
  for (uint32_t i = 0; i < g.Count(EntityKind::kNation); ++i) {
    v1::Nation* n = m.add_nations();
    n->set_id(std::string(g.Id(EntityKind::kNation, i)));
    n->set_name(std::string(g.Name(EntityKind::kNation, i)));
    for (graph::NodeId grp :
         g.Neighbors(g.Node(EntityKind::kNation, i), EdgeKind::kMemberOf)) {
      n->add_groups(std::string(g.IdOf(grp)));
    }
  }
  for (uint32_t i = 0; i < g.Count(EntityKind::kGroup); ++i) {
    v1::Group* grp = m.add_groups();
    grp->set_id(std::string(g.Id(EntityKind::kGroup, i)));
    grp->set_name(std::string(g.Name(EntityKind::kGroup, i)));
    grp->set_shares_information(g.group(i).shares_information);
    grp->set_itar_exempt(g.group(i).itar_exempt);
  }
  for (uint32_t i = 0; i < g.Count(EntityKind::kPlatform); ++i) {
    v1::PlatformType* p = m.add_platforms();
    p->set_id(std::string(g.Id(EntityKind::kPlatform, i)));
    p->set_name(std::string(g.Name(EntityKind::kPlatform, i)));
    p->set_domain(g.platform(i).domain);
    for (uint32_t r : g.roles(i)) p->add_roles(std::string(g.role_name(r)));
  }
  for (const std::string& name : s.mix_names) m.add_mixes()->set_name(name);
  return m;
}

uint64_t SnapshotChecksum(absl::string_view bytes) { return Checksum(bytes.data(), bytes.size()); }

std::string ResealSnapshotChecksums(std::string b) {
  if (b.size() < kTableOffset) return b;
  FileHeader h;
  std::memcpy(&h, b.data(), sizeof h);
  const uint64_t table_bytes = uint64_t{h.num_sections} * sizeof(SectionEntry);
  if (h.num_sections > kMaxSections || table_bytes > b.size() - kTableOffset) return b;
  for (uint32_t i = 0; i < h.num_sections; ++i) {
    char* at = b.data() + kTableOffset + i * sizeof(SectionEntry);
    SectionEntry e;
    std::memcpy(&e, at, sizeof e);
    if (e.offset <= b.size() && e.size <= b.size() - e.offset) {
      e.checksum = Checksum(b.data() + e.offset, e.size);
      std::memcpy(at, &e, sizeof e);
    }
  }
  h.table_checksum = Checksum(b.data() + kTableOffset, table_bytes);
  h.header_checksum = 0;
  h.header_checksum = Checksum(reinterpret_cast<const char*>(&h), sizeof h);
  std::memcpy(b.data(), &h, sizeof h);
  return b;
}

absl::StatusOr<Snapshot> OpenSnapshot(absl::string_view path) {
  ASSIGN_OR_RETURN(std::shared_ptr<const SnapshotBytes> bytes, SnapshotBytes::Map(path));
  return Open(std::move(bytes), path);
}

absl::StatusOr<Snapshot> OpenSnapshotFromBytes(absl::string_view bytes, absl::string_view name) {
  return Open(SnapshotBytes::Copy(bytes), name);
}

bool IsSnapshotFile(absl::string_view path) {
  if (path == "-") return false;
  const int fd = open(std::string(path).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st;
  char magic[8];
  const bool yes = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
                   read(fd, magic, sizeof magic) == static_cast<ssize_t>(sizeof magic) &&
                   absl::string_view(magic, sizeof magic) == kSnapshotMagic;
  close(fd);
  return yes;
}

}  // namespace coalition::snapshot
