// The parallel binary parse (load.h ParseOptions) against the serial one: the same message on
// generated models (in memory and from files, .binpb and .binpbs, heap and arena), hand-built
// inputs where the merge could differ (a singular field last seen with its default value in a
// later part; a later stream chunk holding a name), and the same error, offset included, on
// seeded corruptions.
#include <unistd.h>

#include <cstdlib>
#include <random>
#include <string>

#include "coalition/v1/model.pb.h"
#include "engine/base/file_io.h"
#include "engine/generate/generator.h"
#include "engine/model/load.h"
#include "engine/testing/status_matchers.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace coalition {
namespace {

using google::protobuf::util::MessageDifferencer;

std::string Tmp(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
}

ParseOptions Threads(int n) {
  ParseOptions o;
  o.threads = n;
  o.min_parallel_bytes = 0;  // parallel at every size
  return o;
}

const v1::Model& Generated() {
  static const v1::Model* model = [] {
    generate::GeneratorOptions o = generate::OptionsForEdges(20'000, 50);
    o.seed = 15;
    auto m = generate::GenerateModel(o);
    if (!m.ok()) std::abort();
    return new v1::Model(*std::move(m));
  }();
  return *model;
}

std::string Deterministic(const google::protobuf::Message& m) {
  auto s = SerializeMessage(m, Format::kBinary);
  return s.ok() ? *s : "";
}

// Parses `bytes` serially and with `threads` threads; both must agree (status and message).
void ExpectSameParse(const std::string& bytes, Format format, int threads) {
  v1::Model serial, parallel;
  SourceInfo src;
  const absl::Status a = ParseMessage(bytes, format, "in", &serial, &src, Threads(1));
  const absl::Status b = ParseMessage(bytes, format, "in", &parallel, &src, Threads(threads));
  ASSERT_EQ(a, b);
  if (a.ok()) {
    EXPECT_TRUE(MessageDifferencer::Equals(serial, parallel));
    EXPECT_EQ(Deterministic(serial), Deterministic(parallel));
  }
}

TEST(ParallelLoadTest, BinaryEqualsSerialForAnyThreadCount) {
  const std::string bytes = Deterministic(Generated());
  for (int threads : {2, 3, 4, 7}) {
    SCOPED_TRACE(threads);
    ExpectSameParse(bytes, Format::kBinary, threads);
    v1::Model back;
    SourceInfo src;
    ASSERT_OK(ParseMessage(bytes, Format::kBinary, "in", &back, &src, Threads(threads)));
    EXPECT_TRUE(MessageDifferencer::Equals(back, Generated()));
  }
}

TEST(ParallelLoadTest, StreamEqualsSerial) {
  auto stream = SerializeStream(Generated(), /*max_chunk_bytes=*/16 << 10);
  ASSERT_OK(stream.status());
  for (int threads : {2, 3}) {
    v1::Model back;
    SourceInfo src;
    ASSERT_OK(ParseMessage(*stream, Format::kBinaryStream, "in", &back, &src, Threads(threads)));
    EXPECT_TRUE(MessageDifferencer::Equals(back, Generated()));
    ExpectSameParse(*stream, Format::kBinaryStream, threads);
  }
}

TEST(ParallelLoadTest, ArenaMessageEqualsHeap) {
  const std::string bytes = Deterministic(Generated());
  auto stream = SerializeStream(Generated(), /*max_chunk_bytes=*/16 << 10);
  ASSERT_OK(stream.status());
  google::protobuf::Arena arena;
  auto* m = google::protobuf::Arena::CreateMessage<v1::Model>(&arena);
  SourceInfo src;
  ASSERT_OK(ParseMessage(bytes, Format::kBinary, "in", m, &src, Threads(2)));
  EXPECT_TRUE(MessageDifferencer::Equals(*m, Generated()));
  auto* s = google::protobuf::Arena::CreateMessage<v1::Model>(&arena);
  ASSERT_OK(ParseMessage(*stream, Format::kBinaryStream, "in", s, &src, Threads(2)));
  EXPECT_TRUE(MessageDifferencer::Equals(*s, Generated()));
}

TEST(ParallelLoadTest, FilesEqualBytes) {
  const std::string bytes = Deterministic(Generated());
  ASSERT_OK(WriteMessage(Generated(), Tmp("p.binpb"), Format::kBinary));
  ASSERT_OK(WriteMessage(Generated(), Tmp("p.binpbs"), Format::kBinaryStream));
  for (const char* name : {"p.binpb", "p.binpbs"}) {
    for (int threads : {1, 2}) {
      v1::Model back;
      SourceInfo src;
      ASSERT_OK(LoadMessage(Tmp(name), "", &back, &src, Threads(threads)));
      EXPECT_EQ(src.file(), Tmp(name));
      EXPECT_EQ(Deterministic(back), bytes) << name << " threads " << threads;
    }
  }
  // The default options load it too.
  ASSERT_OK_AND_ASSIGN(LoadedModel m, LoadModel(Tmp("p.binpb")));
  EXPECT_EQ(Deterministic(m.model), bytes);
}

// The wire of field 1 (Model.name) holding `value`.
std::string NameField(const std::string& value) {
  return std::string("\x0a", 1) + static_cast<char>(value.size()) + value;
}

TEST(ParallelLoadTest, LastSingularFieldWinsAcrossPartsEvenWhenDefault) {
  // name "first" at the start, a large body, then name "" (explicitly encoded, the default):
  // parsed together, name is "" (the last one wins); a naive merge of parts would keep "first".
  v1::Model body = Generated();
  body.clear_name();
  const std::string bytes = NameField("first") + Deterministic(body) + NameField("");
  for (int threads : {2, 3}) {
    v1::Model parallel;
    SourceInfo src;
    ASSERT_OK(ParseMessage(bytes, Format::kBinary, "in", &parallel, &src, Threads(threads)));
    EXPECT_EQ(parallel.name(), "");
    ExpectSameParse(bytes, Format::kBinary, threads);
  }
  const std::string later = NameField("first") + Deterministic(body) + NameField("last");
  v1::Model parallel;
  SourceInfo src;
  ASSERT_OK(ParseMessage(later, Format::kBinary, "in", &parallel, &src, Threads(2)));
  EXPECT_EQ(parallel.name(), "last");
}

TEST(ParallelLoadTest, StreamChunkWithANameMergesAsSerial) {
  // A hostile stream: a later chunk holds a name and a description (SerializeStream writes them
  // in the first chunk only). The parallel parse must equal ParseStream's merge of it.
  auto stream = SerializeStream(Generated(), /*max_chunk_bytes=*/16 << 10);
  ASSERT_OK(stream.status());
  v1::Model tail;
  tail.set_name("renamed");
  tail.add_nations()->set_id("ZZ");
  const std::string chunk = Deterministic(tail);
  const std::string hostile =
      *stream + static_cast<char>(chunk.size()) + chunk + *stream;
  ExpectSameParse(hostile, Format::kBinaryStream, 2);
}

TEST(ParallelLoadTest, CorruptionsGiveTheSerialError) {
  const std::string good = Deterministic(Generated());
  auto stream_or = SerializeStream(Generated(), /*max_chunk_bytes=*/16 << 10);
  ASSERT_OK(stream_or.status());
  const std::string stream = *stream_or;
  std::mt19937_64 rng(20261202);
  for (int i = 0; i < 60; ++i) {
    for (const std::string* base : {&good, &stream}) {
      std::string bad = *base;
      const size_t at = rng() % bad.size();
      switch (i % 3) {
        case 0:
          bad[at] = static_cast<char>(rng());
          break;
        case 1:
          bad.resize(at);
          break;
        default:
          bad.insert(at, std::string(1 + rng() % 4, static_cast<char>(rng())));
          break;
      }
      SCOPED_TRACE(i);
      ExpectSameParse(bad, base == &good ? Format::kBinary : Format::kBinaryStream, 2);
    }
  }
  // One known case: a truncated model names the binary error with its offset either way.
  v1::Model m;
  SourceInfo src;
  const absl::Status s =
      ParseMessage(good.substr(0, good.size() - 3), Format::kBinary, "t.binpb", &m, &src,
                   Threads(2));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("t.binpb: byte offset "), std::string::npos) << s;
}

TEST(ParallelLoadTest, TruncatedFileGivesTheSerialError) {
  const std::string good = Deterministic(Generated());
  ASSERT_OK(WriteFileAtomically(Tmp("cut.binpb"), good.substr(0, good.size() / 2)));
  v1::Model a, b;
  SourceInfo src;
  const absl::Status serial = LoadMessage(Tmp("cut.binpb"), "", &a, &src, Threads(1));
  const absl::Status parallel = LoadMessage(Tmp("cut.binpb"), "", &b, &src, Threads(2));
  EXPECT_FALSE(serial.ok());
  EXPECT_EQ(serial, parallel);
  SourceInfo mem_src;
  EXPECT_EQ(ParseMessage(good.substr(0, good.size() / 2), Format::kBinary, Tmp("cut.binpb"), &a,
                         &mem_src, Threads(1)),
            serial);
}

}  // namespace
}  // namespace coalition
