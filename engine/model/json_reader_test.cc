// The fast JSON reader against protobuf's own (JsonStringToMessage): the same verdict and the
// same message (MessageDifferencer::Equals, NaN equal to NaN, and byte-identical deterministic
// binary, which also tells -0.0 from +0.0) on
//   - every shipped dataset, in four JSON spellings (proto / json names, compact / indented,
//     default values printed, enums as numbers) — and there the fast path must be taken;
//   - seeded random models (engine/testing/random_model.h) and generated models
//     (engine/generate), same spellings, fast path required;
//   - seeded random messages of every coalition.v1 message type (models, mixes, what-ifs and
//     every report) and of the test schema testdata/json_types.proto (every scalar kind,
//     oneofs, optional, recursion, maps and bytes — the last two read by protobuf's reader);
//   - hand-written hostile and lenient inputs (syntax, escapes, surrogates, UTF-8, numbers,
//     duplicates, oneofs, null, depth) and seeded mutations (truncation, byte flips and
//     insertions of JSON punctuation) of valid documents.
// The seed is printed; COALITION_SEED overrides it.
#include "engine/model/json_reader.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "coalition/v1/change.pb.h"
#include "coalition/v1/compare.pb.h"
#include "coalition/v1/mix.pb.h"
#include "coalition/v1/model.pb.h"
#include "coalition/v1/recommend.pb.h"
#include "coalition/v1/report.pb.h"
#include "engine/base/file_io.h"
#include "engine/generate/generator.h"
#include "engine/model/load.h"
#include "engine/model/testdata/json_types.pb.h"
#include "engine/testing/random_model.h"
#include "engine/testing/status_matchers.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/field_comparator.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace coalition {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
namespace json = coalition::testing::json;

std::string Serialized(const Message& m) {
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  m.SerializeWithCachedSizes(&coded);
  return out;
}

bool SameMessage(const Message& a, const Message& b) {
  google::protobuf::util::DefaultFieldComparator comparator;
  comparator.set_treat_nan_as_equal(true);
  google::protobuf::util::MessageDifferencer differencer;
  differencer.set_field_comparator(&comparator);
  return differencer.Compare(a, b) && a.ByteSizeLong() == b.ByteSizeLong() &&
         Serialized(a) == Serialized(b);
}

struct Counts {
  int fast = 0;
  int fallback_ok = 0;
  int rejected = 0;
};

// The property. Returns whether the fast path read `text`.
bool CheckSame(const std::string& text, const Message& prototype, const std::string& what,
               Counts* counts = nullptr) {
  std::unique_ptr<Message> by_protobuf(prototype.New());
  const absl::Status reference = ParseJsonWithProtobuf(text, by_protobuf.get());
  std::unique_ptr<Message> fast(prototype.New());
  JsonFastStop stop;
  const bool took_fast = TryParseJsonFast(text, fast.get(), &stop);
  if (took_fast) {
    EXPECT_TRUE(reference.ok()) << what << ": the fast path accepted what protobuf refuses ("
                                << reference << ")\n" << text.substr(0, 2000);
    if (reference.ok()) {
      EXPECT_TRUE(SameMessage(*fast, *by_protobuf))
          << what << ": the fast path read another message\nfast: " << fast->ShortDebugString()
          << "\nprotobuf: " << by_protobuf->ShortDebugString() << "\ninput: " << text.substr(0, 2000);
    }
  }
  // The public entry point: protobuf's verdict, message and error text.
  std::unique_ptr<Message> combined(prototype.New());
  const absl::Status status = ParseJsonMessage(text, combined.get());
  EXPECT_EQ(status.code(), reference.code()) << what << "\n" << text.substr(0, 2000);
  EXPECT_EQ(status.message(), reference.message()) << what;
  if (status.ok() && reference.ok()) {
    EXPECT_TRUE(SameMessage(*combined, *by_protobuf)) << what;
  }
  if (counts != nullptr) {
    if (took_fast) {
      ++counts->fast;
    } else if (reference.ok()) {
      ++counts->fallback_ok;
    } else {
      ++counts->rejected;
    }
  }
  return took_fast;
}

std::string WhyNotFast(const std::string& text, const Message& prototype) {
  std::unique_ptr<Message> m(prototype.New());
  JsonFastStop stop;
  if (TryParseJsonFast(text, m.get(), &stop)) return "fast";
  return absl::StrCat("stopped at byte ", stop.offset, ": ", stop.reason, " near '",
                      text.substr(stop.offset > 20 ? stop.offset - 20 : 0, 40), "'");
}

// The JSON spellings the project's writers and protobuf's printer produce.
std::vector<std::string> Spellings(const Message& m) {
  std::vector<std::string> out;
  for (int variant = 0; variant < 4; ++variant) {
    google::protobuf::util::JsonPrintOptions o;
    o.add_whitespace = variant == 0 || variant == 2;
    o.preserve_proto_field_names = variant == 0 || variant == 3;
    o.always_print_primitive_fields = variant == 2;
    o.always_print_enums_as_ints = variant == 3;
    std::string s;
    const auto status = google::protobuf::util::MessageToJsonString(m, &s, o);
    EXPECT_TRUE(status.ok()) << status.message();
    out.push_back(std::move(s));
  }
  return out;
}

// Whether a message type reaches a map or bytes field (read by protobuf's reader: the
// spelling that prints default values prints them even when unset).
bool ReachesMapOrBytes(const Descriptor* d, std::vector<const Descriptor*>* seen) {
  if (std::find(seen->begin(), seen->end(), d) != seen->end()) return false;
  seen->push_back(d);
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->is_map() || f->type() == FieldDescriptor::TYPE_BYTES) return true;
    if (f->message_type() != nullptr && ReachesMapOrBytes(f->message_type(), seen)) return true;
  }
  return false;
}

// Checks every spelling of `m`: fast, and equal to protobuf's reading.
void CheckFastOnEverySpelling(const Message& m, const std::string& what) {
  const std::vector<std::string> spellings = Spellings(m);
  std::vector<const Descriptor*> seen;
  const bool defaults_need_protobuf = ReachesMapOrBytes(m.GetDescriptor(), &seen);
  for (size_t i = 0; i < spellings.size(); ++i) {
    const bool fast = CheckSame(spellings[i], m, absl::StrCat(what, " spelling ", i));
    if (i == 2 && defaults_need_protobuf) continue;  // always_print_primitive_fields
    EXPECT_TRUE(fast) << what << " spelling " << i << ": " << WhyNotFast(spellings[i], m);
  }
}

uint64_t Seed() {
  const uint64_t seed = testing::TestSeed();
  std::printf("json_reader_test seed %llu (COALITION_SEED overrides)\n",
              static_cast<unsigned long long>(seed));
  return seed;
}

TEST(JsonReaderTest, EveryShippedDatasetTakesTheFastPathAndEqualsProtobuf) {
  const std::vector<std::string> files = {
      "datasets/coalition.textproto",
      "datasets/starter.textproto",
      "datasets/mixes/aukus_maritime.textproto",
      "datasets/mixes/exquisite_f35.textproto",
      "datasets/mixes/frontline_air_defence.textproto",
      "datasets/mixes/indo_pacific.textproto",
      "datasets/mixes/nato_eastern_flank_iamd.textproto",
      "datasets/mixes/quantity_f16_gripen.textproto",
  };
  for (const std::string& file : files) {
    SCOPED_TRACE(file);
    ASSERT_OK_AND_ASSIGN(const std::string text, ReadFile(file));
    std::unique_ptr<Message> m;
    if (absl::StrContains(text, "proto-message: coalition.v1.ForceMix")) {
      m = std::make_unique<v1::ForceMix>();
    } else {
      m = std::make_unique<v1::Model>();
    }
    ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(text, m.get()));
    ASSERT_GT(m->ByteSizeLong(), 0u);
    CheckFastOnEverySpelling(*m, file);
    // And through the loader, as `coalition ... FILE.json` reads it.
    ASSERT_OK_AND_ASSIGN(const std::string json, SerializeMessage(*m, Format::kJson));
    std::unique_ptr<Message> back(m->New());
    SourceInfo source;
    ASSERT_OK(ParseMessage(json, Format::kJson, "x.json", back.get(), &source));
    EXPECT_TRUE(SameMessage(*back, *m));
  }
}

TEST(JsonReaderTest, SeededRandomAndGeneratedModelsTakeTheFastPath) {
  const uint64_t seed = Seed();
  for (int i = 0; i < 40; ++i) {
    testing::RandomModelOptions options;
    options.elements = 3 + i % 12;
    const v1::Model m = testing::RandomModel(seed + static_cast<uint64_t>(i), options);
    CheckFastOnEverySpelling(m, absl::StrCat("random model seed ", seed + i));
    if (HasFailure()) return;
  }
  for (int i = 0; i < 3; ++i) {
    generate::GeneratorOptions o = generate::OptionsForEdges(20'000, 200);
    o.seed = seed + static_cast<uint64_t>(i);
    ASSERT_OK_AND_ASSIGN(const v1::Model m, generate::GenerateModel(o));
    CheckFastOnEverySpelling(m, absl::StrCat("generated model seed ", o.seed));
  }
}

// A seeded random filler over any message type, through reflection: every field kind, the
// values that stress a JSON mapping (extremes, NaN, infinities, -0.0, subnormals, strings with
// quotes, backslashes, control characters, U+2028, astral characters; undeclared enum numbers).
class RandomFiller {
 public:
  RandomFiller(uint64_t seed, bool maps_and_bytes) : rng_(seed), maps_and_bytes_(maps_and_bytes) {}

  void Fill(Message* m, int depth) {
    const Descriptor* d = m->GetDescriptor();
    const Reflection* r = m->GetReflection();
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      if (!maps_and_bytes_ && (f->is_map() || f->type() == FieldDescriptor::TYPE_BYTES)) continue;
      if (f->containing_oneof() != nullptr && !f->containing_oneof()->is_synthetic() &&
          r->HasOneof(*m, f->containing_oneof())) {
        continue;
      }
      if (Pick(3) == 0) continue;
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && depth >= 3) continue;
      if (f->is_repeated()) {
        const int n = static_cast<int>(Pick(4));
        for (int k = 0; k < n; ++k) AddOne(m, f, depth);
      } else {
        SetOne(m, f, depth);
      }
    }
  }

 private:
  uint64_t Pick(uint64_t n) { return std::uniform_int_distribution<uint64_t>(0, n - 1)(rng_); }

  int64_t Int64() {
    static const int64_t kEdges[] = {0, 1, -1, 127, -128, 1LL << 31, -(1LL << 31),
                                     (1LL << 31) - 1, (1LL << 53) + 1, -(1LL << 53) - 1,
                                     std::numeric_limits<int64_t>::max(),
                                     std::numeric_limits<int64_t>::min()};
    if (Pick(2) == 0) return kEdges[Pick(sizeof(kEdges) / sizeof(kEdges[0]))];
    return static_cast<int64_t>(rng_()) >> Pick(64);
  }
  uint64_t UInt64() { return Pick(3) == 0 ? std::numeric_limits<uint64_t>::max() - Pick(3) : rng_() >> Pick(64); }
  double Double() {
    switch (Pick(12)) {
      case 0: return std::numeric_limits<double>::quiet_NaN();
      case 1: return std::numeric_limits<double>::infinity();
      case 2: return -std::numeric_limits<double>::infinity();
      case 3: return -0.0;
      case 4: return std::numeric_limits<double>::denorm_min() * static_cast<double>(Pick(1000) + 1);
      case 5: return std::numeric_limits<double>::max();
      case 6: return static_cast<double>(Int64());
      case 7: return static_cast<double>(Pick(100000)) / 100.0;
      default: {
        uint64_t bits = rng_();
        double d;
        std::memcpy(&d, &bits, sizeof d);
        return d;
      }
    }
  }
  float Float() {
    switch (Pick(8)) {
      case 0: return std::numeric_limits<float>::max();
      case 1: return std::numeric_limits<float>::denorm_min();
      case 2: return static_cast<float>(Int64());
      default: {
        uint32_t bits = static_cast<uint32_t>(rng_());
        float f;
        std::memcpy(&f, &bits, sizeof f);
        return f;
      }
    }
  }
  std::string String() {
    static const char* kPieces[] = {"F-16C", "POL", "a\"b", "back\\slash", "tab\tnew\nline",
                                    "\x01\x1f", "/", "\xe2\x80\xa8", "\xf0\x9f\x9a\x80",
                                    "\xc3\xa9t\xc3\xa9", "", " ", "NaN", "123", "true",
                                    "\xef\xbf\xbf", "\x7f", "</script>", "\\u0041"};
    std::string s;
    const int n = static_cast<int>(Pick(4));
    for (int i = 0; i < n; ++i) s += kPieces[Pick(sizeof(kPieces) / sizeof(kPieces[0]))];
    return s;
  }
  int Enum(const FieldDescriptor* f) {
    if (Pick(6) == 0) return static_cast<int>(Pick(200)) - 100;  // undeclared too (open enums)
    const auto* e = f->enum_type();
    return e->value(static_cast<int>(Pick(static_cast<uint64_t>(e->value_count()))))->number();
  }

  void SetOne(Message* m, const FieldDescriptor* f, int depth) {
    const Reflection* r = m->GetReflection();
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32: r->SetInt32(m, f, static_cast<int32_t>(Int64())); break;
      case FieldDescriptor::CPPTYPE_INT64: r->SetInt64(m, f, Int64()); break;
      case FieldDescriptor::CPPTYPE_UINT32: r->SetUInt32(m, f, static_cast<uint32_t>(UInt64())); break;
      case FieldDescriptor::CPPTYPE_UINT64: r->SetUInt64(m, f, UInt64()); break;
      case FieldDescriptor::CPPTYPE_DOUBLE: r->SetDouble(m, f, Double()); break;
      case FieldDescriptor::CPPTYPE_FLOAT: r->SetFloat(m, f, Float()); break;
      case FieldDescriptor::CPPTYPE_BOOL: r->SetBool(m, f, Pick(2) == 0); break;
      case FieldDescriptor::CPPTYPE_ENUM: r->SetEnumValue(m, f, Enum(f)); break;
      case FieldDescriptor::CPPTYPE_STRING: r->SetString(m, f, String()); break;
      case FieldDescriptor::CPPTYPE_MESSAGE: Fill(r->MutableMessage(m, f), depth + 1); break;
    }
  }
  void AddOne(Message* m, const FieldDescriptor* f, int depth) {
    const Reflection* r = m->GetReflection();
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32: r->AddInt32(m, f, static_cast<int32_t>(Int64())); break;
      case FieldDescriptor::CPPTYPE_INT64: r->AddInt64(m, f, Int64()); break;
      case FieldDescriptor::CPPTYPE_UINT32: r->AddUInt32(m, f, static_cast<uint32_t>(UInt64())); break;
      case FieldDescriptor::CPPTYPE_UINT64: r->AddUInt64(m, f, UInt64()); break;
      case FieldDescriptor::CPPTYPE_DOUBLE: r->AddDouble(m, f, Double()); break;
      case FieldDescriptor::CPPTYPE_FLOAT: r->AddFloat(m, f, Float()); break;
      case FieldDescriptor::CPPTYPE_BOOL: r->AddBool(m, f, Pick(2) == 0); break;
      case FieldDescriptor::CPPTYPE_ENUM: r->AddEnumValue(m, f, Enum(f)); break;
      case FieldDescriptor::CPPTYPE_STRING: r->AddString(m, f, String()); break;
      case FieldDescriptor::CPPTYPE_MESSAGE: Fill(r->AddMessage(m, f), depth + 1); break;
    }
  }

  std::mt19937_64 rng_;
  bool maps_and_bytes_;
};

// Every message type of coalition.v1 (the CLI reads each as JSON: convert --type, --changes,
// models, mixes) and of the test schema.
std::vector<const Message*> AllPrototypes() {
  std::vector<const Message*> out;
  auto* factory = google::protobuf::MessageFactory::generated_factory();
  // One message of each schema file names the file (and links its code in).
  std::vector<const Descriptor*> stack;
  for (const google::protobuf::FileDescriptor* fd :
       {v1::Domain_descriptor()->file(), v1::ForceMix::descriptor()->file(),
        v1::Model::descriptor()->file(), v1::Change::descriptor()->file(),
        v1::GapReport::descriptor()->file(), v1::Plan::descriptor()->file(),
        v1::CompareReport::descriptor()->file(), json::Node::descriptor()->file()}) {
    for (int i = 0; i < fd->message_type_count(); ++i) stack.push_back(fd->message_type(i));
  }
  while (!stack.empty()) {
    const Descriptor* d = stack.back();
    stack.pop_back();
    if (d->options().map_entry()) continue;
    out.push_back(factory->GetPrototype(d));
    for (int i = 0; i < d->nested_type_count(); ++i) stack.push_back(d->nested_type(i));
  }
  return out;
}

TEST(JsonReaderTest, SeededRandomMessagesOfEveryTypeEqualProtobuf) {
  const uint64_t seed = Seed();
  const std::vector<const Message*> prototypes = AllPrototypes();
  ASSERT_GT(prototypes.size(), 60u);
  int checked = 0;
  for (const Message* prototype : prototypes) {
    SCOPED_TRACE(prototype->GetDescriptor()->full_name());
    for (int i = 0; i < 25; ++i) {
      // Without maps and bytes: every spelling takes the fast path.
      std::unique_ptr<Message> m(prototype->New());
      RandomFiller(seed * 31 + static_cast<uint64_t>(i), false).Fill(m.get(), 0);
      CheckFastOnEverySpelling(*m, absl::StrCat(prototype->GetDescriptor()->full_name(), " #", i));
      // With them (json_types only has any): equal, through protobuf's reader where needed.
      std::unique_ptr<Message> n(prototype->New());
      RandomFiller(seed * 37 + static_cast<uint64_t>(i), true).Fill(n.get(), 0);
      for (const std::string& text : Spellings(*n)) {
        CheckSame(text, *n, absl::StrCat(prototype->GetDescriptor()->full_name(), " maps #", i));
      }
      checked += 1;
      if (HasFailure()) return;
    }
  }
  EXPECT_GT(checked, 1500);
}

// Hand-written inputs: each is read the same way by both (accepted or refused); the comment
// says which way protobuf 3.21 goes and whether the fast path reads it.
TEST(JsonReaderTest, HostileAndLenientInputsAgreeWithProtobuf) {
  const json::Scalars scalars;
  const json::Lists lists;
  const json::Node node;
  const v1::Model model;
  struct Case {
    const Message* prototype;
    std::string text;
  };
  std::vector<Case> cases = {
      // Syntax.
      {&model, ""}, {&model, "   "}, {&model, "{"}, {&model, "}"}, {&model, "{}"},
      {&model, " \t\r\n\v\f{}\v"}, {&model, "{} {}"}, {&model, "{}x"}, {&model, "[]"},
      {&model, "null"}, {&model, "\"x\""}, {&model, "\xef\xbb\xbf{}"},
      {&model, "{\"name\": \"a\",}"}, {&model, "{,}"}, {&model, "{\"name\" \"a\"}"},
      {&model, "{\"name\": \"a\" \"description\": \"b\"}"}, {&model, "{'name': 'a'}"},
      {&model, "{name: \"a\"}"}, {&model, "{\"name\": 'a'}"}, {&model, "{\"nations\": [,]}"},
      {&model, "{\"nations\": [{},]}"}, {&model, "{\"nations\": [{}}"},
      {&model, "{\"nations\": [{}] ]}"}, {&model, "{\"name\": \"a\""}, {&model, "{\"name\": \"a"},
      {&model, "{\"na"}, {&model, "{\"name\":"}, {&model, "{\"name\": tru}"},
      {&model, "{\"nations\": [{\"id\": 1 ]\n}"},
      // Unknown fields and names.
      {&model, "{\"idd\": 1}"}, {&model, "{\"nations\": [{\"idd\": \"x\"}]}"},
      {&model, "{\"usNation\": \"USA\"}"}, {&model, "{\"us_nation\": \"USA\"}"},
      {&model, "{\"UsNation\": \"USA\"}"}, {&model, "{\"\": 1}"},
      {&model, "{\"nations\": [{\"\": {}}]}"}, {&model, "{\"na\\u006de\": \"a\"}"},
      {&scalars, "{\"renamed\": \"x\"}"}, {&scalars, "{\"field_with_json_name\": \"x\"}"},
      {&scalars, "{\"fieldWithJsonName\": \"x\"}"}, {&scalars, "{\"snakeCaseName\": \"x\"}"},
      {&scalars, "{\"snake_case_name\": \"x\", \"snakeCaseName\": \"y\"}"},
      // Strings and escapes.
      {&scalars, "{\"s\": \"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}"}, {&scalars, "{\"s\": \"\\v\"}"},
      {&scalars, "{\"s\": \"\\a\\'\\x\"}"}, {&scalars, "{\"s\": \"\\u0000\"}"},
      {&scalars, "{\"s\": \"\\u00e9\\u20AC\"}"}, {&scalars, "{\"s\": \"\\ud83d\\ude80\"}"},
      {&scalars, "{\"s\": \"\\ud83d\"}"}, {&scalars, "{\"s\": \"\\ude80\"}"},
      {&scalars, "{\"s\": \"\\ud83d\\u0041\"}"}, {&scalars, "{\"s\": \"\\ud83dx\"}"},
      {&scalars, "{\"s\": \"\\u12\"}"}, {&scalars, "{\"s\": \"\\u12g4\"}"},
      {&scalars, "{\"s\": \"\\"}, {&scalars, "{\"s\": \"raw\ttab\nnewline\x01\"}"},
      {&scalars, "{\"s\": \"\xc3\xa9\"}"}, {&scalars, "{\"s\": \"\xff\"}"},
      {&scalars, "{\"s\": \"\xc3\"}"}, {&scalars, "{\"s\": \"\xc0\xaf\"}"},
      {&scalars, "{\"s\": \"\xed\xa0\x80\"}"}, {&scalars, "{\"s\": \"\xf4\x90\x80\x80\"}"},
      {&scalars, "{\"s\": \"\xef\xbf\xbf\xf0\x9f\x9a\x80\"}"}, {&scalars, "{\"s\": \"a\"}\xff"},
      {&scalars, "{\"s\"\xff: \"a\"}"}, {&scalars, "{\"s\": 1}"}, {&scalars, "{\"s\": true}"},
      {&scalars, "{\"s\": [\"a\"]}"}, {&scalars, "{\"s\": {}}"}, {&scalars, "{\"s\": null}"},
      // Integers.
      {&scalars, "{\"i32\": 2147483647, \"i64\": \"-9223372036854775808\"}"},
      {&scalars, "{\"i32\": 2147483648}"}, {&scalars, "{\"i32\": -2147483648}"},
      {&scalars, "{\"i32\": -2147483649}"}, {&scalars, "{\"i32\": 1.0}"},
      {&scalars, "{\"i32\": 1.5}"}, {&scalars, "{\"i32\": 1e2}"}, {&scalars, "{\"i32\": \"1e2\"}"},
      {&scalars, "{\"i32\": -0}"}, {&scalars, "{\"i32\": \"-0\"}"}, {&scalars, "{\"i32\": 01}"},
      {&scalars, "{\"i32\": -01}"}, {&scalars, "{\"i32\": 0x10}"}, {&scalars, "{\"i32\": +1}"},
      {&scalars, "{\"i32\": \"+1\"}"}, {&scalars, "{\"i32\": \" 1\"}"},
      {&scalars, "{\"i32\": \"\\t1\"}"}, {&scalars, "{\"i32\": \"007\"}"},
      {&scalars, "{\"i32\": \"12\"}"}, {&scalars, "{\"i32\": true}"}, {&scalars, "{\"i32\": 1-2}"},
      {&scalars, "{\"i32\": -}"}, {&scalars, "{\"i32\": 1.}"}, {&scalars, "{\"i32\": .5}"},
      {&scalars, "{\"i64\": 9223372036854775807}"}, {&scalars, "{\"i64\": 9223372036854775808}"},
      {&scalars, "{\"i64\": -9223372036854775808}"}, {&scalars, "{\"i64\": -9223372036854775809}"},
      {&scalars, "{\"i64\": \"9223372036854775808\"}"}, {&scalars, "{\"i64\": 1e18}"},
      {&scalars, "{\"i64\": 18446744073709551616}"}, {&scalars, "{\"u32\": 4294967295}"},
      {&scalars, "{\"u32\": 4294967296}"}, {&scalars, "{\"u32\": -1}"}, {&scalars, "{\"u32\": -0}"},
      {&scalars, "{\"u64\": 18446744073709551615}"}, {&scalars, "{\"u64\": \"18446744073709551615\"}"},
      {&scalars, "{\"u64\": 18446744073709551616}"}, {&scalars, "{\"s32\": -5, \"s64\": \"-5\"}"},
      {&scalars, "{\"f32\": 7, \"f64\": \"8\", \"sf32\": -9, \"sf64\": \"-10\"}"},
      // Floating point.
      {&scalars, "{\"d\": 1.5, \"f\": 1.5}"}, {&scalars, "{\"d\": -0}"}, {&scalars, "{\"d\": -0.0}"},
      {&scalars, "{\"d\": 0e0}"}, {&scalars, "{\"d\": 1E+2}"}, {&scalars, "{\"d\": 1e400}"},
      {&scalars, "{\"d\": -1e400}"}, {&scalars, "{\"d\": 1e-400}"}, {&scalars, "{\"d\": 4.9e-324}"},
      {&scalars, "{\"d\": 2.4703282292062328e-324}"}, {&scalars, "{\"d\": 1.7976931348623157e308}"},
      {&scalars, "{\"d\": 9007199254740993}"}, {&scalars, "{\"d\": -9223372036854775809}"},
      {&scalars, "{\"d\": 123456789012345678901234567890}"}, {&scalars, "{\"d\": \"NaN\"}"},
      {&scalars, "{\"d\": \"Infinity\", \"f\": \"-Infinity\"}"}, {&scalars, "{\"d\": NaN}"},
      {&scalars, "{\"d\": Infinity}"}, {&scalars, "{\"d\": \"nan\"}"}, {&scalars, "{\"d\": \"1.5\"}"},
      {&scalars, "{\"d\": \"1e400\"}"}, {&scalars, "{\"d\": true}"}, {&scalars, "{\"f\": 3.4028235e38}"},
      {&scalars, "{\"f\": 3.4028236e38}"}, {&scalars, "{\"f\": 3.5e38}"}, {&scalars, "{\"f\": 1e39}"},
      {&scalars, "{\"f\": 1e-50}"}, {&scalars, "{\"f\": 16777217}"}, {&scalars, "{\"f\": -16777217}"},
      {&scalars, "{\"f\": 9223372036854775807}"}, {&scalars, "{\"f\": -9223372036854775808}"},
      {&scalars, "{\"f\": -9223372036854775809}"}, {&scalars, "{\"f\": 0.1}"}, {&scalars, "{\"f\": -0}"},
      {&scalars, "{\"opt_d\": 0, \"opt_i32\": 0, \"opt_s\": \"\"}"}, {&scalars, "{\"optD\": -0.0}"},
      // Bools.
      {&scalars, "{\"b\": true}"}, {&scalars, "{\"b\": false}"}, {&scalars, "{\"b\": \"true\"}"},
      {&scalars, "{\"b\": \"t\"}"}, {&scalars, "{\"b\": 1}"}, {&scalars, "{\"b\": True}"},
      {&scalars, "{\"b\": truex}"}, {&scalars, "{\"b\": true1}"},
      // Enums.
      {&scalars, "{\"color\": \"RED\"}"}, {&scalars, "{\"color\": \"red\"}"},
      {&scalars, "{\"color\": \"BLUE\"}"}, {&scalars, "{\"color\": -3}"}, {&scalars, "{\"color\": 99}"},
      {&scalars, "{\"color\": \"1\"}"}, {&scalars, "{\"color\": \"99\"}"}, {&scalars, "{\"color\": 1.0}"},
      {&scalars, "{\"color\": 2147483648}"}, {&scalars, "{\"color\": \"PURPLE\"}"},
      {&scalars, "{\"color\": null}"}, {&scalars, "{\"color\": true}"},
      {&model, "{\"platforms\": [{\"domain\": \"AIR\", \"tier\": 2}]}"},
      // null.
      {&scalars, "{\"i32\": null, \"d\": null, \"b\": null, \"opt_i32\": null}"},
      {&lists, "{\"s\": [null, \"a\", null], \"scalars\": [null, {}], \"i32\": null}"},
      {&node, "{\"child\": null, \"text\": null, \"number\": \"5\"}"},
      {&model, "null"}, {&model, "{\"nations\": null}"}, {&model, "{\"nations\": [null]}"},
      // Lists and their lenient forms.
      {&lists, "{\"i32\": [], \"s\": []}"}, {&lists, "{\"i32\": 5}"}, {&lists, "{\"s\": \"a\"}"},
      {&lists, "{\"scalars\": {}}"}, {&lists, "{\"i32\": [[1, 2], [3]]}"},
      {&lists, "{\"i32\": [1, \"2\", -3], \"u64\": [\"1\", 2], \"d\": [1, 1.5, \"NaN\"]}"},
      {&lists, "{\"b\": [true, false], \"color\": [\"RED\", 2, 77]}"}, {&lists, "{\"f\": [1e39]}"},
      {&scalars, "{\"i32\": [1]}"}, {&node, "{\"child\": [{}]}"}, {&node, "{\"child\": 5}"},
      // Duplicates: scalars (last wins), messages (merged), lists (concatenated), oneofs.
      {&scalars, "{\"i32\": 1, \"i32\": 2}"}, {&scalars, "{\"i32\": 1, \"i32\": 0}"},
      {&scalars, "{\"opt_i32\": 1, \"opt_i32\": 2}"}, {&scalars, "{\"opt_i32\": 1, \"optI32\": 2}"},
      {&scalars, "{\"i32\": 1, \"i32\": null}"}, {&scalars, "{\"i32\": null, \"i32\": 3}"},
      {&node, "{\"scalars\": {\"i32\": 1}, \"scalars\": {\"d\": 2}}"},
      {&lists, "{\"s\": [\"a\"], \"s\": [\"b\"]}"}, {&node, "{\"text\": \"a\", \"number\": 1}"},
      {&node, "{\"text\": \"a\", \"text\": \"b\"}"}, {&node, "{\"text\": null, \"number\": 1}"},
      {&node, "{\"oneScalars\": {}, \"one_scalars\": {}}"}, {&node, "{\"oneColor\": \"RED\"}"},
      {&node, "{\"text\": \"\"}"}, {&node, "{\"number\": \"0\"}"},
      {&model, "{\"name\": \"a\", \"name\": \"b\"}"},
      {&model, "{\"mixes\": [{\"iers\": [{\"from\": {\"all\": true}, \"from\": {\"roles\": [\"x\"]}}]}]}"},
      {&model, "{\"mixes\": [{\"iers\": [{\"weight\": 1, \"weight\": 2}]}]}"},
      {&model, "{\"platforms\": [{\"gateways\": [{\"levelCap\": 0}]}]}"},
      // Maps and bytes (protobuf's reader).
      {&node, "{\"counts\": {\"a\": 1, \"b\": 2}}"}, {&node, "{\"counts\": {\"a\": 1, \"a\": 2}}"},
      {&node, "{\"counts\": null}"}, {&node, "{\"counts\": []}"}, {&scalars, "{\"by\": \"aGk=\"}"},
      {&scalars, "{\"by\": \"aGk\"}"}, {&scalars, "{\"by\": \"a-_b\"}"}, {&scalars, "{\"by\": \"!\"}"},
      {&scalars, "{\"by\": null}"},
  };
  // Depth: protobuf refuses objects nested deeper than 100.
  for (int depth : {3, 60, 63, 64, 65, 99, 100, 101, 150}) {
    std::string text;
    for (int i = 0; i < depth; ++i) text += i == 0 ? "{" : "\"child\": {";
    text += std::string(static_cast<size_t>(depth), '}');
    cases.push_back({&node, text});
    std::string lists_text = "{\"children\": [";
    for (int i = 1; i < depth; ++i) lists_text += "{\"children\": [";
    for (int i = 1; i < depth; ++i) lists_text += "]}";
    lists_text += "]}";
    cases.push_back({&node, lists_text});
  }
  Counts counts;
  for (size_t i = 0; i < cases.size(); ++i) {
    CheckSame(cases[i].text, *cases[i].prototype, absl::StrCat("case ", i, ": ", cases[i].text),
              &counts);
  }
  std::printf("hand-written cases: %zu (fast path %d, protobuf's reader accepted %d, refused %d)\n",
              cases.size(), counts.fast, counts.fallback_ok, counts.rejected);
  EXPECT_GT(counts.fast, 60);
  EXPECT_GT(counts.rejected, 60);
}

// Seeded mutations of valid documents: truncations, flipped and inserted bytes, deleted and
// repeated spans. Each mutant is read the same way by both readers.
TEST(JsonReaderTest, SeededMutationsAgreeWithProtobuf) {
  const uint64_t seed = Seed();
  std::mt19937_64 rng(seed);
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  std::vector<std::pair<std::string, const Message*>> docs;
  v1::Model model = testing::RandomModel(seed, testing::RandomModelOptions{});
  static const v1::Model kModel;
  for (const std::string& s : Spellings(model)) docs.push_back({s, &kModel});
  static const json::Node kNode;
  for (int i = 0; i < 4; ++i) {
    json::Node n;
    RandomFiller(seed + static_cast<uint64_t>(i), i % 2 == 1).Fill(&n, 0);
    for (const std::string& s : Spellings(n)) docs.push_back({s, &kNode});
  }
  static const char* kTokens[] = {"{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud83d",
                                  "null", "true", "-", "0", ".", "e", "1e400", " ", "\n",
                                  "\xff", "\xc3", "'", "\"name\"", "\"id\": 1"};
  Counts counts;
  int mutants = 0;
  for (const auto& [doc, prototype] : docs) {
    for (int k = 0; k < 150; ++k) {
      std::string m = doc;
      switch (k % 5) {
        case 0:
          m.resize(pick(m.size() + 1));
          break;
        case 1:
          m[pick(m.size())] = static_cast<char>(pick(256));
          break;
        case 2:
          m.insert(pick(m.size() + 1), kTokens[pick(sizeof(kTokens) / sizeof(kTokens[0]))]);
          break;
        case 3: {
          const size_t a = pick(m.size());
          m.erase(a, pick(std::min<size_t>(m.size() - a, 16) + 1));
          break;
        }
        default: {
          const size_t a = pick(m.size());
          const size_t len = pick(std::min<size_t>(m.size() - a, 40) + 1);
          m.insert(pick(m.size() + 1), m.substr(a, len));
        }
      }
      CheckSame(m, *prototype, absl::StrCat("mutant ", k, " of a ",
                                            prototype->GetDescriptor()->full_name()),
                &counts);
      ++mutants;
      if (HasFailure()) return;
    }
  }
  std::printf("mutants: %d (fast path %d, protobuf's reader accepted %d, refused %d)\n", mutants,
              counts.fast, counts.fallback_ok, counts.rejected);
  EXPECT_GT(counts.fast, 50);
  EXPECT_GT(counts.rejected, 500);
}

// The error the loader shows is protobuf's, located as before (hostile_input_test pins it too).
TEST(JsonReaderTest, LoaderErrorsStayLocated) {
  v1::Model m;
  SourceInfo source;
  const absl::Status s = ParseMessage("{\n  \"name\": \"x\",\n  \"nations\": [ {\"id\": 1 ]\n}\n",
                                      Format::kJson, "j.json", &m, &source);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(s.message(), "j.json:3:")) << s;
  const absl::Status u = ParseMessage("{\"nations\": [{\"idd\": 1}]}", Format::kJson, "u.json", &m,
                                      &source);
  EXPECT_TRUE(absl::StrContains(u.message(), "u.json")) << u;
  EXPECT_TRUE(absl::StrContains(u.message(), "idd")) << u;
}

}  // namespace
}  // namespace coalition
