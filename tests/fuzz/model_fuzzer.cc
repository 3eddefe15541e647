// Fuzz target: a coalition.v1.Model in one format (COALITION_FUZZ_FORMAT: textproto, binpb,
// binpbs, json), through the loader, the validator and, when valid, every analysis.
// Invariants: the reader answers ok or a user-facing error (never Internal, never a crash or a
// sanitizer report); a valid model round-trips losslessly through every format. JSON: the fast
// reader and protobuf's JsonStringToMessage agree on accept/reject and on the message. binpb and
// binpbs:
// when the entity-by-entity reader (engine/model/binary_stream.h, what the CLI's analyses use)
// reads the input, the loader reads it too, the same model; EntityValidator's report equals
// Validate's and GraphBuilder's graph (or error) BuildGraph's.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "engine/graph/typed_graph.h"
#include "engine/model/binary_stream.h"
#include "engine/model/json_reader.h"
#include "engine/model/validate.h"
#include "engine/model/load.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/field_comparator.h"
#include "google/protobuf/util/message_differencer.h"
#include "tests/fuzz/fuzz_common.h"

#ifndef COALITION_FUZZ_FORMAT
#error "define COALITION_FUZZ_FORMAT (textproto, binpb, binpbs, json)"
#endif
#define COALITION_FUZZ_STR2(x) #x
#define COALITION_FUZZ_STR(x) COALITION_FUZZ_STR2(x)

namespace {

std::string Deterministic(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  m.SerializeWithCachedSizes(&coded);
  return out;
}

// The differential check of the JSON target (engine/model/json_reader.h): when the fast path
// reads the input, protobuf's own reader (JsonStringToMessage) accepts it too and reads the
// same message; the loader's verdict is protobuf's.
void CheckJsonReadersAgree(absl::string_view bytes, const absl::Status& loaded) {
  coalition::v1::Model fast, reference;
  const bool took_fast = coalition::TryParseJsonFast(bytes, &fast);
  const absl::Status ref = coalition::ParseJsonWithProtobuf(bytes, &reference);
  if (loaded.ok() != ref.ok()) {
    coalition::fuzz::FuzzFail(absl::StrCat("json: the loader says ", loaded.ToString(),
                                           ", protobuf's reader says ", ref.ToString()));
  }
  if (!took_fast) return;
  if (!ref.ok()) {
    coalition::fuzz::FuzzFail(absl::StrCat(
        "json: the fast reader accepted what protobuf's reader refuses: ", ref.ToString()));
  }
  google::protobuf::util::DefaultFieldComparator comparator;
  comparator.set_treat_nan_as_equal(true);
  google::protobuf::util::MessageDifferencer differencer;
  differencer.set_field_comparator(&comparator);
  if (!differencer.Compare(fast, reference) || Deterministic(fast) != Deterministic(reference)) {
    coalition::fuzz::FuzzFail(absl::StrCat("json: the fast reader read another message\nfast: ",
                                           fast.ShortDebugString(), "\nprotobuf: ",
                                           reference.ShortDebugString()));
  }
}

// Rebuilds the model a stream reads: its skeleton plus every entity, in order.
struct Collect {
  coalition::v1::Model* m;
  void Add(uint32_t, const coalition::v1::Nation& e) { *m->add_nations() = e; }
  void Add(uint32_t, const coalition::v1::Group& e) { *m->add_groups() = e; }
  void Add(uint32_t, const coalition::v1::PlatformType& e) { *m->add_platforms() = e; }
  void Add(uint32_t, const coalition::v1::CommsLink& e) { *m->add_links() = e; }
  void Add(uint32_t, const coalition::v1::DataStandard& e) { *m->add_standards() = e; }
  void Add(uint32_t, const coalition::v1::Component& e) { *m->add_components() = e; }
  void Add(uint32_t, const coalition::v1::Supplier& e) { *m->add_suppliers() = e; }
};

// The differential check of the binpb target (engine/model/binary_stream.h).
void CheckBinaryStreamAgrees(absl::string_view bytes, const absl::Status& loaded,
                             const coalition::v1::Model& model, bool chunked) {
  using coalition::fuzz::FuzzFail;
  std::unique_ptr<coalition::BinaryModelStream> stream =
      coalition::BinaryModelStream::FromBytes(bytes, chunked);
  if (stream == nullptr) return;
  const coalition::ModelIndex index = stream->Intern(/*parallel=*/false);
  coalition::v1::Model back = stream->skeleton();
  Collect collect{&back};
  if (!stream->ForEach(collect, index)) return;
  if (!loaded.ok()) {
    FuzzFail(absl::StrCat("binpb: the stream read what the loader refuses: ", loaded.ToString()));
  }
  if (!google::protobuf::util::MessageDifferencer::Equals(back, model)) {
    FuzzFail("binpb: the stream read another model than the loader");
  }
  const coalition::SourceInfo source("fuzz");
  const std::vector<coalition::MixInput> no_mix_files;  // outlives the validator (a reference)
  coalition::EntityValidator validator(stream->skeleton(), source, no_mix_files, index);
  coalition::graph::GraphBuilder builder(stream->skeleton(), index, stream->edge_bound());
  if (!stream->ForEach(validator, index) || !stream->ForEach(builder, index)) {
    FuzzFail("binpb: a second pass over the stream failed");
  }
  const coalition::v1::ValidationReport streamed = validator.Finish();
  const coalition::v1::ValidationReport whole = coalition::Validate(model, source);
  if (!google::protobuf::util::MessageDifferencer::Equals(streamed, whole)) {
    FuzzFail(absl::StrCat("binpb: EntityValidator's report differs from Validate's:\n",
                          streamed.ShortDebugString(), "\n", whole.ShortDebugString()));
  }
  absl::StatusOr<coalition::graph::TypedGraph> a = std::move(builder).Finish();
  absl::StatusOr<coalition::graph::TypedGraph> b = coalition::graph::BuildGraph(model);
  if (a.status() != b.status() ||
      (a.ok() && (a->num_edges() != b->num_edges() || a->num_nodes() != b->num_nodes()))) {
    FuzzFail(absl::StrCat("binpb: GraphBuilder's graph differs from BuildGraph's: ",
                          a.status().ToString(), " / ", b.status().ToString()));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const coalition::Format format =
      *coalition::ParseFormatName(COALITION_FUZZ_STR(COALITION_FUZZ_FORMAT));
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  coalition::v1::Model model;
  coalition::SourceInfo source;
  const absl::Status s = coalition::ParseMessage(bytes, format, "fuzz", &model, &source);
  coalition::fuzz::CheckUserFacing(s, "load");
  if (format == coalition::Format::kJson) CheckJsonReadersAgree(bytes, s);
  if (format == coalition::Format::kBinary || format == coalition::Format::kBinaryStream) {
    CheckBinaryStreamAgrees(bytes, s, model, format == coalition::Format::kBinaryStream);
  }
  if (s.ok()) coalition::fuzz::RunModel(model);
  return 0;
}
