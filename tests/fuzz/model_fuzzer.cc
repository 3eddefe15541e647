// Fuzz target: a coalition.v1.Model in one format (COALITION_FUZZ_FORMAT: textproto, binpb,
// binpbs, json), through the loader, the validator and, when valid, every analysis.
// Invariants: the reader answers ok or a user-facing error (never Internal, never a crash or a
// sanitizer report); a valid model round-trips losslessly through every format. JSON: the fast
// reader and protobuf's JsonStringToMessage agree on accept/reject and on the message.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "engine/model/json_reader.h"
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
  if (s.ok()) coalition::fuzz::RunModel(model);
  return 0;
}
