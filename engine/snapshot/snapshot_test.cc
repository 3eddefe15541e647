#include "engine/snapshot/snapshot.h"

#include <cstring>
#include <random>
#include <string>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "engine/graph/typed_graph.h"
#include "engine/snapshot/row_fields.h"
#include "engine/testing/random_model.h"
#include "engine/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace coalition::snapshot {
namespace {

namespace v1 = ::coalition::v1;
using graph::EdgeKind;
using graph::EntityKind;
using graph::TypedGraph;
using ::testing::HasSubstr;

// ---- helpers -----------------------------------------------------------------------------------

// The file layout, as snapshot.cc writes it (header 80 bytes, table at 128, 32-byte entries).
constexpr size_t kNumSectionsAt = 40;
constexpr size_t kTableAt = 128;
constexpr size_t kEntryBytes = 32;

template <typename T>
T Get(const std::string& b, size_t at) {
  T v;
  std::memcpy(&v, b.data() + at, sizeof v);
  return v;
}
template <typename T>
void Put(std::string* b, size_t at, T v) {
  std::memcpy(b->data() + at, &v, sizeof v);
}

struct Entry {
  size_t at;  // of the table entry
  uint64_t offset, size;
};

// The table entry of the section called `name` (as snapshot.cc names them).
Entry FindSection(const std::string& b, absl::string_view name) {
  const uint32_t tag = static_cast<uint32_t>(graph::StableIdHash(name));
  const uint32_t n = Get<uint32_t>(b, kNumSectionsAt);
  for (uint32_t i = 0; i < n; ++i) {
    const size_t at = kTableAt + i * kEntryBytes;
    if (Get<uint32_t>(b, at) == tag) return {at, Get<uint64_t>(b, at + 8), Get<uint64_t>(b, at + 16)};
  }
  ADD_FAILURE() << "no section " << name;
  return {0, 0, 0};
}

// Recomputes every checksum, so that a deliberate change reaches the structural checks.
void FixChecksums(std::string* b) { *b = ResealSnapshotChecksums(std::move(*b)); }

// Every accessor of `a` and `b` agrees.
void ExpectSameGraph(const TypedGraph& a, const TypedGraph& b) {
  ASSERT_EQ(a.num_nodes(), b.num_nodes());
  ASSERT_EQ(a.num_edges(), b.num_edges());
  EXPECT_EQ(a.model_name(), b.model_name());
  EXPECT_EQ(a.us_nation(), b.us_nation());
  for (int k = 0; k < graph::kNumEntityKinds; ++k) {
    const auto kind = static_cast<EntityKind>(k);
    ASSERT_EQ(a.Count(kind), b.Count(kind));
    for (uint32_t i = 0; i < a.Count(kind); ++i) {
      EXPECT_EQ(a.Id(kind, i), b.Id(kind, i));
      EXPECT_EQ(a.Name(kind, i), b.Name(kind, i));
      EXPECT_EQ(b.Find(kind, a.Id(kind, i)), std::optional<uint32_t>(i));
    }
    EXPECT_EQ(b.Find(kind, "no such id"), std::nullopt);
  }
  EXPECT_TRUE(std::equal(a.row_starts().begin(), a.row_starts().end(), b.row_starts().begin()));
  EXPECT_TRUE(std::equal(a.targets().begin(), a.targets().end(), b.targets().begin()));
  EXPECT_TRUE(std::equal(a.edge_kinds().begin(), a.edge_kinds().end(), b.edge_kinds().begin()));
  for (graph::NodeId v = 0; v < a.num_nodes(); ++v) {
    for (int e = 0; e < graph::kNumEdgeKinds; ++e) {
      auto na = a.Neighbors(v, static_cast<EdgeKind>(e));
      auto nb = b.Neighbors(v, static_cast<EdgeKind>(e));
      EXPECT_TRUE(std::equal(na.begin(), na.end(), nb.begin(), nb.end()));
    }
  }
  for (uint32_t p = 0; p < a.Count(EntityKind::kPlatform); ++p) {
    EXPECT_EQ(a.platform(p).unit_cost_musd, b.platform(p).unit_cost_musd);
    EXPECT_EQ(a.gateways(p).size(), b.gateways(p).size());
    auto ra = a.roles(p), rb = b.roles(p);
    EXPECT_TRUE(std::equal(ra.begin(), ra.end(), rb.begin(), rb.end()));
    for (uint32_t r : ra) EXPECT_EQ(b.FindRole(a.role_name(r)), std::optional<uint32_t>(r));
  }
  ASSERT_EQ(a.num_families(), b.num_families());
  for (uint32_t f = 0; f < a.num_families(); ++f) EXPECT_EQ(a.family_name(f), b.family_name(f));
  ASSERT_EQ(a.num_restrictions(), b.num_restrictions());
  for (uint32_t r = 0; r < a.num_restrictions(); ++r) {
    EXPECT_EQ(a.restriction_id(r), b.restriction_id(r));
    EXPECT_EQ(a.restriction_name(r), b.restriction_name(r));
    EXPECT_EQ(b.FindRestriction(a.restriction_id(r)), std::optional<uint32_t>(r));
    auto da = a.restriction_denied(r), db = b.restriction_denied(r);
    EXPECT_TRUE(std::equal(da.begin(), da.end(), db.begin(), db.end()));
  }
  const graph::MemoryStats ma = a.Memory(), mb = b.Memory();
  EXPECT_EQ(ma.topology_bytes, mb.topology_bytes);
  EXPECT_EQ(ma.side_table_bytes, mb.side_table_bytes);
  EXPECT_EQ(ma.id_bytes, mb.id_bytes);
}

testing::RandomModelOptions OptionsFor(int i) {
  testing::RandomModelOptions o;
  o.nations = 2 + i % 7;
  o.groups = 1 + i % 4;
  o.platforms = 1 + (i * 3) % 11;
  o.links = 1 + i % 5;
  o.standards = 1 + i % 7;
  o.elements = 1 + (i * 5) % 13;
  o.components = 1 + i % 9;
  o.suppliers = 1 + i % 4;
  return o;
}

struct Case {
  v1::Model model;
  std::string bytes;
};

Case MakeCase(uint64_t seed, int i) {
  Case c;
  c.model = testing::RandomModel(seed + i, OptionsFor(i));
  absl::StatusOr<TypedGraph> g = graph::BuildGraph(c.model);
  EXPECT_TRUE(g.ok()) << g.status();
  absl::StatusOr<std::string> bytes = SerializeSnapshot(*g, c.model);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  c.bytes = *bytes;
  return c;
}

// ---- round trip --------------------------------------------------------------------------------

TEST(SnapshotTest, RoundTripOnRandomModelsIsLossless) {
  const uint64_t seed = testing::TestSeed();
  SCOPED_TRACE(absl::StrCat("seed ", seed));
  for (int i = 0; i < 40; ++i) {
    SCOPED_TRACE(absl::StrCat("model ", i));
    Case c = MakeCase(seed, i);
    ASSERT_OK_AND_ASSIGN(TypedGraph built, graph::BuildGraph(c.model));
    ASSERT_OK_AND_ASSIGN(Snapshot s, OpenSnapshotFromBytes(c.bytes));
    ExpectSameGraph(built, *s.graph);
    // model -> snapshot -> model is lossless, mixes included.
    ASSERT_OK_AND_ASSIGN(v1::Model back, s.Model());
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(c.model, back));
    ASSERT_EQ(s.mix_names.size(), static_cast<size_t>(c.model.mixes_size()));
    for (int m = 0; m < c.model.mixes_size(); ++m) {
      EXPECT_EQ(s.mix_names[m], c.model.mixes(m).name());
      ASSERT_OK_AND_ASSIGN(v1::ForceMix mix, s.Mix(m));
      EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(c.model.mixes(m), mix));
    }
    // The mapped graph written again gives the same bytes: every array member and row field
    // went through (and the output is deterministic).
    ASSERT_OK_AND_ASSIGN(std::string again, SerializeSnapshot(*s.graph, back));
    EXPECT_TRUE(again == c.bytes);
    // A graph outlives the Snapshot it came from (it shares the mapping).
    std::unique_ptr<TypedGraph> kept = std::move(s.graph);
    s = Snapshot();
    ExpectSameGraph(built, *kept);
  }
}

TEST(SnapshotTest, EmptyModel) {
  v1::Model m;
  ASSERT_OK_AND_ASSIGN(TypedGraph g, graph::BuildGraph(m));
  ASSERT_OK_AND_ASSIGN(std::string bytes, SerializeSnapshot(g, m));
  ASSERT_OK_AND_ASSIGN(Snapshot s, OpenSnapshotFromBytes(bytes));
  EXPECT_EQ(s.graph->num_nodes(), 0u);
  EXPECT_EQ(s.graph->num_edges(), 0u);
  EXPECT_TRUE(s.mix_names.empty());
}

// ---- every member is serialized ----------------------------------------------------------------

// The number of fields of an aggregate (brace-initialisable from that many convertibles).
struct AnyField {
  template <typename T>
  constexpr operator T() const noexcept;  // never called
};
template <typename T, typename Void, typename... A>
struct BraceInit : std::false_type {};
template <typename T, typename... A>
struct BraceInit<T, std::void_t<decltype(T{std::declval<A>()...})>, A...> : std::true_type {};
template <typename T, typename... A>
constexpr size_t FieldCount() {
  if constexpr (sizeof...(A) > 32) {
    return 0;
  } else if constexpr (BraceInit<T, void, A..., AnyField>::value) {
    return FieldCount<T, A..., AnyField>();
  } else {
    return sizeof...(A);
  }
}
template <typename T>
size_t ListedFields() {
  T row{};
  size_t n = 0;
  internal::Fields(row, [&](const auto&) { ++n; });
  return n;
}

TEST(SnapshotTest, EveryRowFieldIsListed) {
  // Fails when a field is added to a row struct and not to engine/snapshot/row_fields.h.
  EXPECT_EQ(ListedFields<graph::NationRow>(), FieldCount<graph::NationRow>());
  EXPECT_EQ(ListedFields<graph::GroupRow>(), FieldCount<graph::GroupRow>());
  EXPECT_EQ(ListedFields<graph::PlatformRow>(), FieldCount<graph::PlatformRow>());
  EXPECT_EQ(ListedFields<graph::LinkRow>(), FieldCount<graph::LinkRow>());
  EXPECT_EQ(ListedFields<graph::StandardRow>(), FieldCount<graph::StandardRow>());
  EXPECT_EQ(ListedFields<graph::ComponentRow>(), FieldCount<graph::ComponentRow>());
  EXPECT_EQ(ListedFields<graph::GatewayRow>(), FieldCount<graph::GatewayRow>());
  EXPECT_EQ(ListedFields<graph::RestrictionRow>(), FieldCount<graph::RestrictionRow>());
}

// sizeof(TypedGraph) when the snapshot last covered every member (x86-64, libstdc++).
constexpr size_t kTypedGraphSize = 1568;

TEST(SnapshotTest, EveryArrayMemberIsListed) {
  // Fails when a member is added to TypedGraph::Arrays and not to TypedGraph::ForEachArray.
  TypedGraph::Arrays a;
  size_t listed = 0;
  TypedGraph::ForEachArray(a, [&](absl::string_view, auto& member) { listed += sizeof(member); });
  EXPECT_EQ(listed, sizeof(TypedGraph::Arrays));
  // Fails when a member is added to TypedGraph outside Arrays: the accessors must read arrays
  // the snapshot carries. Update the expected size only after making the snapshot carry the new
  // member (and bumping kSnapshotVersion when the file changes).
  EXPECT_EQ(sizeof(TypedGraph), kTypedGraphSize)
      << "TypedGraph changed: does engine/snapshot carry the new member?";
}

// ---- refusing bad bytes ------------------------------------------------------------------------

TEST(SnapshotTest, EveryFlippedByteIsRefused) {
  Case c = MakeCase(testing::TestSeed(), 7);
  for (size_t at = 0; at < c.bytes.size(); ++at) {
    std::string b = c.bytes;
    b[at] ^= 0x20;
    absl::StatusOr<Snapshot> s = OpenSnapshotFromBytes(b, "x.snapshot");
    if (!s.ok()) {
      EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument) << at;
      EXPECT_THAT(std::string(s.status().message()), HasSubstr("x.snapshot: ")) << at;
      continue;
    }
    // Only the lazily checked sections (mixes, model) may hold it: reading them must fail.
    bool refused = !s->Model().ok();
    for (size_t m = 0; m < s->mix_names.size(); ++m) refused = refused || !s->Mix(m).ok();
    EXPECT_TRUE(refused) << "byte " << at << " flipped and nothing noticed";
  }
}

TEST(SnapshotTest, TruncatedOrExtendedIsRefused) {
  Case c = MakeCase(testing::TestSeed(), 3);
  for (size_t n = 0; n < c.bytes.size(); n += 13) {
    absl::StatusOr<Snapshot> s = OpenSnapshotFromBytes(c.bytes.substr(0, n));
    EXPECT_FALSE(s.ok()) << n;
  }
  absl::StatusOr<Snapshot> s = OpenSnapshotFromBytes(c.bytes + std::string(64, '\0'));
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.status().message()), HasSubstr("truncated or extended"));
  s = OpenSnapshotFromBytes("textproto is not a snapshot");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.status().message()), HasSubstr("not a coalition snapshot"));
}

TEST(SnapshotTest, WrongVersionIsRefused) {
  Case c = MakeCase(testing::TestSeed(), 3);
  Put<uint32_t>(&c.bytes, 8, kSnapshotVersion + 1);
  FixChecksums(&c.bytes);
  absl::StatusOr<Snapshot> s = OpenSnapshotFromBytes(c.bytes);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.status().message()), HasSubstr("format version"));
  EXPECT_THAT(std::string(s.status().message()), HasSubstr("coalition snapshot MODEL OUT"));
}

TEST(SnapshotTest, OffsetsAndIndicesOutOfRangeAreRefused) {
  Case c = MakeCase(testing::TestSeed(), 5);
  {  // A section outside the file.
    std::string b = c.bytes;
    Entry e = FindSection(b, "targets");
    Put<uint64_t>(&b, e.at + 8, uint64_t{1} << 40);
    FixChecksums(&b);
    absl::StatusOr<Snapshot> s = OpenSnapshotFromBytes(b);
    ASSERT_FALSE(s.ok());
    EXPECT_THAT(std::string(s.status().message()), HasSubstr("'targets' lies outside the file"));
  }
  {  // An edge target past the last node.
    std::string b = c.bytes;
    Entry e = FindSection(b, "targets");
    ASSERT_GT(e.size, 0u);
    Put<uint32_t>(&b, e.offset, 0x7fffffff);
    FixChecksums(&b);
    absl::StatusOr<Snapshot> s = OpenSnapshotFromBytes(b);
    ASSERT_FALSE(s.ok());
    EXPECT_THAT(std::string(s.status().message()), HasSubstr("endpoints of the wrong kind"));
  }
  {  // An edge to a node of the wrong kind (a link where a nation is expected, or similar).
    std::string b = c.bytes;
    Entry e = FindSection(b, "targets");
    Entry k = FindSection(b, "edge_kinds");
    // The first edge: send it to node 0 with kind kFits (platform -> link), which no node 0
    // (a nation) has.
    Put<uint8_t>(&b, k.offset, static_cast<uint8_t>(EdgeKind::kFits));
    Put<uint32_t>(&b, e.offset, 0);
    FixChecksums(&b);
    EXPECT_FALSE(OpenSnapshotFromBytes(b).ok());
  }
  {  // An id index slot past the ids.
    std::string b = c.bytes;
    Entry e = FindSection(b, "id_index[nation]");
    Put<uint32_t>(&b, e.offset, 1000000);
    FixChecksums(&b);
    absl::StatusOr<Snapshot> s = OpenSnapshotFromBytes(b);
    ASSERT_FALSE(s.ok());
    EXPECT_THAT(std::string(s.status().message()), HasSubstr("id_index[nation]"));
  }
  {  // A string offset past the characters.
    std::string b = c.bytes;
    Entry e = FindSection(b, "ids[platform].offsets");
    ASSERT_GE(e.size, 8u);
    Put<uint32_t>(&b, e.offset + 4, 0xfffffff0u);
    FixChecksums(&b);
    EXPECT_FALSE(OpenSnapshotFromBytes(b).ok());
  }
  {  // A bool that is neither 0 nor 1.
    std::string b = c.bytes;
    Entry e = FindSection(b, "groups");
    if (e.size > 0) {
      Put<uint8_t>(&b, e.offset, 7);
      FixChecksums(&b);
      absl::StatusOr<Snapshot> s = OpenSnapshotFromBytes(b);
      ASSERT_FALSE(s.ok());
      EXPECT_THAT(std::string(s.status().message()), HasSubstr("no valid value"));
    }
  }
}

// Random damage with the checksums recomputed, so every structural check is exercised: opening
// either succeeds or fails cleanly, and a graph that opens can be walked (run under ASan).
TEST(SnapshotTest, RandomDamageWithValidChecksumsNeverCrashes) {
  const uint64_t seed = testing::TestSeed();
  std::mt19937_64 rng(seed);
  int refused = 0;
  for (int round = 0; round < 3000; ++round) {
    Case c = MakeCase(seed, round % 11);
    std::string& b = c.bytes;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) {
      const size_t at = kTableAt + rng() % (b.size() - kTableAt);
      b[at] = static_cast<char>(rng());
    }
    FixChecksums(&b);
    absl::StatusOr<Snapshot> s = OpenSnapshotFromBytes(b);
    if (!s.ok()) {
      ++refused;
      continue;
    }
    const TypedGraph& g = *s->graph;
    size_t walked = 0;
    for (graph::NodeId v = 0; v < g.num_nodes(); ++v) {
      for (int e = 0; e < graph::kNumEdgeKinds; ++e) {
        g.ForEachLocal(v, static_cast<EdgeKind>(e), [&](uint32_t) { ++walked; });
      }
      (void)g.IdOf(v);
      (void)g.Find(g.KindOf(v), g.IdOf(v));
    }
    EXPECT_EQ(walked, g.num_edges());
  }
  EXPECT_GT(refused, 0);
}

}  // namespace
}  // namespace coalition::snapshot
