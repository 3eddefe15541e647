// BinaryModelStream (issue 15): a clean .binpb read entity by entity is exactly the model the
// loader parses whole (skeleton + entities, ids interned the same, the same typed graph), on
// seeded random models and generated ones; anything not clean (corrupted bytes, truncation,
// unknown fields, kinds out of order) is declined, never misread.
#include "engine/model/binary_stream.h"

#include <cstdint>
#include <random>
#include <string>

#include "engine/generate/generator.h"
#include "engine/graph/typed_graph.h"
#include "engine/model/interner.h"
#include "engine/model/load.h"
#include "engine/snapshot/snapshot.h"
#include "engine/testing/random_model.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace coalition {
namespace {

namespace v1 = ::coalition::v1;
using google::protobuf::util::MessageDifferencer;

// Rebuilds the whole model from a stream: the skeleton plus every entity, in order.
struct Collect {
  v1::Model* m;
  uint32_t expected[kNumIdKinds] = {};
  bool in_order = true;
  void Check(int k, uint32_t i) { in_order = in_order && expected[k]++ == i; }
  void Add(uint32_t i, const v1::Nation& e) { Check(0, i), *m->add_nations() = e; }
  void Add(uint32_t i, const v1::Group& e) { Check(1, i), *m->add_groups() = e; }
  void Add(uint32_t i, const v1::PlatformType& e) { Check(2, i), *m->add_platforms() = e; }
  void Add(uint32_t i, const v1::CommsLink& e) { Check(3, i), *m->add_links() = e; }
  void Add(uint32_t i, const v1::DataStandard& e) { Check(4, i), *m->add_standards() = e; }
  void Add(uint32_t i, const v1::Component& e) { Check(5, i), *m->add_components() = e; }
  void Add(uint32_t i, const v1::Supplier& e) { Check(6, i), *m->add_suppliers() = e; }
};

// The model a stream over `bytes` (a .binpbs when `chunked`) reads, or nullopt when it declines.
std::optional<v1::Model> Reassemble(absl::string_view bytes, bool chunked = false) {
  std::unique_ptr<BinaryModelStream> s = BinaryModelStream::FromBytes(bytes, chunked);
  if (s == nullptr) return std::nullopt;
  v1::Model m = s->skeleton();
  Collect c{&m};
  const ModelIndex index = s->Intern();
  if (!s->ForEach(c, index)) return std::nullopt;
  EXPECT_TRUE(c.in_order);
  for (int k = 0; k < kNumIdKinds; ++k) EXPECT_EQ(c.expected[k], s->counts()[k]);
  return m;
}

std::string Binary(const v1::Model& m) {
  absl::StatusOr<std::string> b = SerializeMessage(m, Format::kBinary);
  EXPECT_TRUE(b.ok());
  return b.ok() ? *b : "";
}

// The graph built through the stream (InternIds + GraphBuilder) equals BuildGraph(model):
// their snapshots (every array the graph holds) are byte-identical.
void ExpectSameGraphThroughStream(const v1::Model& model) {
  const std::string bytes = Binary(model);
  std::unique_ptr<BinaryModelStream> s = BinaryModelStream::FromBytes(bytes);
  ASSERT_NE(s, nullptr);
  const ModelIndex index = s->Intern();
  const ModelIndex whole = InternModel(model);
  for (int k = 0; k < kNumIdKinds; ++k) {
    ASSERT_EQ(index.kind(k).size(), whole.kind(k).size());
    EXPECT_EQ(index.kind(k).distinct(), whole.kind(k).distinct());
    EXPECT_EQ(index.kind(k).first_duplicate(), whole.kind(k).first_duplicate());
    for (uint32_t i = 0; i < whole.kind(k).size(); ++i) {
      EXPECT_EQ(index.kind(k).Id(i), whole.kind(k).Id(i));
      EXPECT_EQ(index.kind(k).Find(whole.kind(k).Id(i)), whole.kind(k).Find(whole.kind(k).Id(i)));
    }
  }
  graph::GraphBuilder b(s->skeleton(), index, s->edge_bound());
  ASSERT_TRUE(s->ForEach(b, index));
  absl::StatusOr<graph::TypedGraph> streamed = std::move(b).Finish();
  absl::StatusOr<graph::TypedGraph> built = graph::BuildGraph(model);
  ASSERT_EQ(streamed.ok(), built.ok()) << streamed.status() << " / " << built.status();
  if (!built.ok()) {
    EXPECT_EQ(streamed.status(), built.status());
    return;
  }
  EXPECT_LE(streamed->num_edges(), s->edge_bound());
  absl::StatusOr<std::string> a = snapshot::SerializeSnapshot(*streamed, model);
  absl::StatusOr<std::string> e = snapshot::SerializeSnapshot(*built, model);
  ASSERT_TRUE(a.ok() && e.ok());
  EXPECT_TRUE(*a == *e) << "graphs differ";
}

v1::Model Random(uint64_t seed) {
  testing::RandomModelOptions o;
  std::mt19937_64 rng(seed);
  o.nations = 2 + static_cast<int>(rng() % 8);
  o.platforms = 1 + static_cast<int>(rng() % 12);
  o.components = 3 + static_cast<int>(rng() % 20);
  o.elements = 1 + static_cast<int>(rng() % 15);
  v1::Model m = testing::RandomModel(seed, o);
  if (seed % 2 == 0) testing::AddRandomReleasability(seed, &m);
  if (seed % 3 == 0) testing::AddRandomCoverageAndSupply(seed, &m);
  return m;
}

TEST(BinaryStreamTest, RandomModelsReassembleExactly) {
  for (uint64_t seed = testing::TestSeed(); seed < testing::TestSeed() + 60; ++seed) {
    SCOPED_TRACE(seed);
    const v1::Model m = Random(seed);
    std::optional<v1::Model> back = Reassemble(Binary(m));
    ASSERT_TRUE(back.has_value());
    // Entities were split out and put back in order: the same message field by field.
    EXPECT_TRUE(MessageDifferencer::Equals(*back, m));
    ExpectSameGraphThroughStream(m);
  }
}

TEST(BinaryStreamTest, SkeletonHoldsEverythingButTheEntities) {
  v1::Model m = Random(7);
  m.set_us_nation(m.nations(0).id());
  m.set_description("described");
  const std::string bytes = Binary(m);  // the stream reads it in place: kept alive
  std::unique_ptr<BinaryModelStream> s = BinaryModelStream::FromBytes(bytes);
  ASSERT_NE(s, nullptr);
  v1::Model expected = m;
  expected.clear_nations();
  expected.clear_groups();
  expected.clear_platforms();
  expected.clear_links();
  expected.clear_standards();
  expected.clear_components();
  expected.clear_suppliers();
  EXPECT_TRUE(MessageDifferencer::Equals(s->skeleton(), expected));
  EXPECT_EQ(s->counts()[static_cast<int>(IdKind::kPlatform)],
            static_cast<uint32_t>(m.platforms_size()));
}

TEST(BinaryStreamTest, GeneratedModelBuildsTheSameGraph) {
  generate::GeneratorOptions o = generate::OptionsForEdges(20000, 200);
  o.seed = 3;
  absl::StatusOr<v1::Model> m = generate::GenerateModel(o);
  ASSERT_TRUE(m.ok()) << m.status();
  ExpectSameGraphThroughStream(*m);
}

// Duplicate ids, dangling references and the last id on the wire winning: the stream's index
// and graph errors are BuildGraph's.
TEST(BinaryStreamTest, InvalidModelsGiveTheSameGraphErrors) {
  v1::Model dup = Random(11);
  *dup.add_platforms() = dup.platforms(0);
  ExpectSameGraphThroughStream(dup);
  v1::Model dangling = Random(12);
  dangling.mutable_platforms(0)->add_links("no-such-link");
  ExpectSameGraphThroughStream(dangling);
  // An entity whose id field appears twice on the wire: the parse keeps the last one.
  v1::Model twice = Random(13);
  std::string bytes = Binary(twice);
  v1::Nation extra;
  extra.set_id("first");
  extra.set_name("N");
  std::string entity = extra.SerializeAsString();
  v1::Nation late;
  late.set_id("last");
  entity += late.SerializeAsString();  // a second id field after the first
  v1::Model holder;
  ASSERT_TRUE(holder.add_nations()->ParseFromString(entity));
  EXPECT_EQ(holder.nations(0).id(), "last");
  // Nations are field 3: put the entity first, before every other field.
  std::string framed;
  framed.push_back(static_cast<char>((3 << 3) | 2));
  framed.push_back(static_cast<char>(entity.size()));
  ASSERT_LT(entity.size(), 128u);
  const std::string whole = framed + entity + bytes;
  v1::Model parsed;
  ASSERT_TRUE(parsed.ParseFromString(whole));
  // Open reads the first id; the parse keeps the last: ForEach declines (the caller then loads
  // the model whole), never builds under the wrong id.
  EXPECT_FALSE(Reassemble(whole).has_value());
  // With the id field last (not first), Open scans for the last one and the stream reads it.
  v1::Nation named;
  named.set_name("N");
  const std::string id_last = named.SerializeAsString() + extra.SerializeAsString().substr(0, 7) +
                              late.SerializeAsString();
  v1::Nation check;
  ASSERT_TRUE(check.ParseFromString(id_last));
  ASSERT_EQ(check.id(), "last");
  std::string framed2;
  framed2.push_back(static_cast<char>((3 << 3) | 2));
  framed2.push_back(static_cast<char>(id_last.size()));
  const std::string whole2 = framed2 + id_last + bytes;
  v1::Model parsed2;
  ASSERT_TRUE(parsed2.ParseFromString(whole2));
  std::optional<v1::Model> back = Reassemble(whole2);
  ASSERT_TRUE(back.has_value());
  EXPECT_TRUE(MessageDifferencer::Equals(*back, parsed2));
  std::unique_ptr<BinaryModelStream> s = BinaryModelStream::FromBytes(whole2);
  EXPECT_EQ(s->Intern()[IdKind::kNation].Id(0), "last");
}

// Platforms written before nations: a valid encoding the stream does not take (the builder
// fills the graph kind by kind); the caller then loads the model whole.
TEST(BinaryStreamTest, KindsOutOfFieldOrderAreDeclined) {
  v1::Model m = Random(21);
  v1::Model platforms_only;
  *platforms_only.mutable_platforms() = m.platforms();
  v1::Model rest = m;
  rest.clear_platforms();
  // `rest` ends with kinds after platforms (links are field 6), then platforms (5) follow.
  ASSERT_GT(rest.links_size(), 0);
  const std::string bytes = Binary(rest) + Binary(platforms_only);
  EXPECT_EQ(BinaryModelStream::FromBytes(bytes), nullptr);
  v1::Model parsed;
  EXPECT_TRUE(parsed.ParseFromString(bytes));  // while protobuf reads it fine
}

TEST(BinaryStreamTest, UnknownFieldsAreDeclined) {
  v1::Model m = Random(22);
  std::string bytes = Binary(m);
  // An unknown top-level field (number 99, varint): goes to the skeleton, which refuses it.
  const std::string unknown = std::string("\x98\x06\x01", 3);
  EXPECT_EQ(BinaryModelStream::FromBytes(bytes + unknown), nullptr);
  // An unknown field inside a supplier (field 9 is the last entity kind; appended last).
  v1::Supplier s;
  s.set_id("S-unknown");
  std::string entity = s.SerializeAsString() + std::string("\xf8\x06\x01", 3);  // field 111
  std::string framed;
  framed.push_back(static_cast<char>((9 << 3) | 2));
  framed.push_back(static_cast<char>(entity.size()));
  framed += entity;
  const std::string with_unknown = bytes + framed;  // the stream reads it in place: kept alive
  std::unique_ptr<BinaryModelStream> stream = BinaryModelStream::FromBytes(with_unknown);
  ASSERT_NE(stream, nullptr);  // the id scan skips fields it does not read
  v1::Model back;
  Collect c{&back};
  EXPECT_FALSE(stream->ForEach(c, stream->Intern()));
}

// Corrupted inputs (flipped bytes, truncation): whenever the stream reads the bytes, protobuf's
// parse of the same bytes succeeds without unknown fields and gives the same model.
TEST(BinaryStreamTest, CorruptedBytesAreNeverMisread) {
  int read = 0, declined = 0;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    const std::string clean = Binary(Random(seed));
    std::mt19937_64 rng(seed);
    for (int trial = 0; trial < 25; ++trial) {
      std::string bytes = clean;
      if (trial % 5 == 0) {
        bytes.resize(rng() % bytes.size());
      } else {
        const int flips = 1 + static_cast<int>(rng() % 3);
        for (int f = 0; f < flips; ++f) {
          bytes[rng() % bytes.size()] ^= static_cast<char>(1 + rng() % 255);
        }
      }
      std::optional<v1::Model> back = Reassemble(bytes);
      v1::Model parsed;
      const bool clean_parse = parsed.ParseFromString(bytes) && !HasUnknownFields(parsed);
      if (!back.has_value()) {
        ++declined;
        continue;
      }
      ++read;
      ASSERT_TRUE(clean_parse) << "seed " << seed << " trial " << trial;
      EXPECT_TRUE(MessageDifferencer::Equals(*back, parsed)) << "seed " << seed;
    }
  }
  // Both outcomes occur (the test would prove nothing otherwise).
  EXPECT_GT(read, 0);
  EXPECT_GT(declined, 0);
}

// A .binpbs (length-delimited chunks, each a slice of the entities): read chunk by chunk, the
// same model ParseStream reads; corrupted chunk framing or contents are never misread.
TEST(BinaryStreamTest, ChunkedStreamsReadAsParseStreamReadsThem) {
  int read = 0, declined = 0;
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    SCOPED_TRACE(seed);
    const v1::Model m = Random(seed);
    // Small chunks: entities of one kind spread over several chunks, some chunks of one kind.
    absl::StatusOr<std::string> chunked = SerializeStream(m, /*max_chunk_bytes=*/64 + seed * 16);
    ASSERT_TRUE(chunked.ok());
    std::optional<v1::Model> back = Reassemble(*chunked, /*chunked=*/true);
    ASSERT_TRUE(back.has_value());
    EXPECT_TRUE(MessageDifferencer::Equals(*back, m));
    std::mt19937_64 rng(seed);
    for (int trial = 0; trial < 20; ++trial) {
      std::string bytes = *chunked;
      if (trial % 4 == 0) {
        bytes.resize(rng() % bytes.size());
      } else {
        bytes[rng() % bytes.size()] ^= static_cast<char>(1 + rng() % 255);
      }
      std::optional<v1::Model> got = Reassemble(bytes, /*chunked=*/true);
      if (!got.has_value()) {
        ++declined;
        continue;
      }
      ++read;
      v1::Model parsed;
      google::protobuf::io::ArrayInputStream input(bytes.data(), static_cast<int>(bytes.size()));
      ASSERT_TRUE(ParseStream(&input, "t", &parsed).ok()) << "trial " << trial;
      EXPECT_TRUE(MessageDifferencer::Equals(*got, parsed)) << "trial " << trial;
    }
  }
  EXPECT_GT(read, 0);
  EXPECT_GT(declined, 0);
  // An empty stream is an empty model, as the loader reads it.
  std::optional<v1::Model> empty = Reassemble("", /*chunked=*/true);
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->ByteSizeLong(), 0u);
}

TEST(BinaryStreamTest, OpenMapsAFileAndReportsMissingOnes) {
  EXPECT_EQ(BinaryModelStream::Open("/no/such/file.binpb").status().code(),
            absl::StatusCode::kNotFound);
  const std::string path = ::testing::TempDir() + "/stream.binpb";
  const v1::Model m = Random(5);
  ASSERT_TRUE(WriteMessage(m, path, Format::kBinary).ok());
  absl::StatusOr<std::unique_ptr<BinaryModelStream>> s = BinaryModelStream::Open(path);
  ASSERT_TRUE(s.ok() && *s != nullptr);
  v1::Model back = (*s)->skeleton();
  Collect c{&back};
  ASSERT_TRUE((*s)->ForEach(c, (*s)->Intern()));
  EXPECT_TRUE(MessageDifferencer::Equals(back, m));
}

}  // namespace
}  // namespace coalition
