// Fuzz target: a coalition.v1.Model in one format (COALITION_FUZZ_FORMAT: textproto, binpb,
// binpbs, json), through the loader, the validator and, when valid, every analysis.
// Invariants: the reader answers ok or a user-facing error (never Internal, never a crash or a
// sanitizer report); a valid model round-trips losslessly through every format.
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "engine/model/load.h"
#include "tests/fuzz/fuzz_common.h"

#ifndef COALITION_FUZZ_FORMAT
#error "define COALITION_FUZZ_FORMAT (textproto, binpb, binpbs, json)"
#endif
#define COALITION_FUZZ_STR2(x) #x
#define COALITION_FUZZ_STR(x) COALITION_FUZZ_STR2(x)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const coalition::Format format =
      *coalition::ParseFormatName(COALITION_FUZZ_STR(COALITION_FUZZ_FORMAT));
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  coalition::v1::Model model;
  coalition::SourceInfo source;
  const absl::Status s = coalition::ParseMessage(bytes, format, "fuzz", &model, &source);
  coalition::fuzz::CheckUserFacing(s, "load");
  if (s.ok()) coalition::fuzz::RunModel(model);
  return 0;
}
