// A fast reader of the protobuf JSON mapping: JSON bytes -> message in one pass, with no DOM
// and no JSON -> binary -> message detour. It answers exactly what protobuf's own reader
// (google::protobuf::util::JsonStringToMessage with JsonParseOptions{} — unknown fields
// refused, enum names case-sensitive — as engine/model/load.cc called it) answers: the same
// message when protobuf accepts, protobuf's own error when it refuses.
//
// Recommended API:
//   coalition::v1::Model m;
//   absl::Status s = ParseJsonMessage(bytes, &m);   // == JsonStringToMessage(bytes, &m, {})
//
// How: a single-pass tokenizer over the bytes sets fields through Reflection, driven by a
// table per message Descriptor built once per process (each field's json_name and proto
// name, as protobuf's TypeInfo looks them up: json_name first; its kind; its oneof). The fast
// path reads the subset of the mapping every writer of this project emits and that protobuf
// reads the same way: RFC 8259 JSON (double-quoted keys and strings with the escapes \" \\ \/
// \b \f \n \r \t \uXXXX incl. surrogate pairs; ASCII whitespace as protobuf's isspace), valid
// UTF-8, proto3 messages; strings; bools as true/false; int32/int64/uint32/uint64 as JSON
// integers or as decimal strings; double/float as JSON numbers or "NaN", "Infinity",
// "-Infinity"; enums by name or by number; null = the field left unset (in a list: no
// element); repeated fields as lists; nested messages and oneofs.
//
// Anything else — a syntax or type error, an unknown field, invalid UTF-8, a key given twice,
// two members of one oneof, a lenient form protobuf also accepts (single quotes, bare keys,
// trailing commas, "\v", bools or numbers written as other strings, a scalar where a list is
// expected, nested lists), maps, bytes, well-known types (google.protobuf.*), proto2
// messages, nesting deeper than 64 objects — stops the fast path, and the whole input is
// read again by protobuf's reader, whose answer (message or error text) is returned. So error
// messages are protobuf's, word for word, and load.cc locates them as before.
//
// Equality with protobuf's reader is checked by json_reader_test (every shipped dataset,
// every message type the CLI reads, seeded random models and messages, hostile inputs) and
// by the differential fuzz target //tests/fuzz:model_json_fuzzer.
//
// Complexity: O(bytes) on the fast path, one allocation per string and message as protobuf's
// binary parser; the first call per message type builds its tables (O(fields)).
// Thread-safety: every function is safe to call concurrently (the tables are built under a
// mutex and immutable afterwards).
#ifndef COALITION_ENGINE_MODEL_JSON_READER_H_
#define COALITION_ENGINE_MODEL_JSON_READER_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace coalition {

// Parses `json` into `msg` (cleared first). Equals protobuf's JsonStringToMessage with default
// JsonParseOptions in result and status. On error `*msg` is left cleared or partly filled.
absl::Status ParseJsonMessage(absl::string_view json, google::protobuf::Message* msg);

// Why the fast path stopped: the byte offset in the input and a short reason.
struct JsonFastStop {
  size_t offset = 0;
  const char* reason = "";
};

// The fast path alone: true when it read the whole input into `msg` (cleared first); false
// when it stopped (then `*stop` says where and why, and `*msg` is unspecified). For tests and
// benchmarks; ParseJsonMessage is this, then protobuf's reader on false.
bool TryParseJsonFast(absl::string_view json, google::protobuf::Message* msg,
                      JsonFastStop* stop = nullptr);

// protobuf's reader alone (JsonStringToMessage, default JsonParseOptions), its status as an
// absl::Status (same code and message). The reference the fast path is compared with.
absl::Status ParseJsonWithProtobuf(absl::string_view json, google::protobuf::Message* msg);

}  // namespace coalition

#endif  // COALITION_ENGINE_MODEL_JSON_READER_H_
