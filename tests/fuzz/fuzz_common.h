// What every fuzz target checks (tests/fuzz/README.md): the invariants of issue 16.
//
//   ParseMessage / import -> Validate -> (valid only) round trip through every format, build the
//   graph, resolve each small mix, run the analyses, render every text format.
//
// A violated invariant calls FuzzFail, which prints what broke and aborts (libFuzzer then saves
// the input as a crash; the replay test fails). Sanitizer reports abort on their own under
// --config=fuzz / --config=asan.
#ifndef COALITION_TESTS_FUZZ_FUZZ_COMMON_H_
#define COALITION_TESTS_FUZZ_FUZZ_COMMON_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "coalition/v1/model.pb.h"
#include "engine/graph/typed_graph.h"
#include "google/protobuf/message.h"

namespace coalition::fuzz {

// Prints `what` to stderr and aborts.
[[noreturn]] void FuzzFail(absl::string_view what);

// Status classes: a reader may only answer ok or a user-facing error (InvalidArgument,
// NotFound, OutOfRange, FailedPrecondition: exit 2). Anything else (Internal: exit 3) is a bug.
void CheckUserFacing(const absl::Status& s, absl::string_view where);

// `m` written in every format (textproto, binpb, binpbs, json) and read back equals `m`.
void CheckRoundTrip(const google::protobuf::Message& m);

// Validates `model`; when it has no errors: round trip, graph, and for every mix small enough
// (elements and pairs bounded so one input stays fast) gaps, risk, spof, matrix and their
// renderings. Returns whether the model was valid.
bool RunModel(const coalition::v1::Model& model);

// The analyses and renderings of RunModel for one mix of `g` (a valid mix of the model `g` was
// built from); mixes over the element or pair bound are skipped.
void RunMix(const graph::TypedGraph& g, const coalition::v1::ForceMix& mix);

}  // namespace coalition::fuzz

#endif  // COALITION_TESTS_FUZZ_FUZZ_COMMON_H_
