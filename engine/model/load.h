// Loading and writing coalition.v1 messages in the three exchange formats (SPEC §7).
//
// Recommended API:
//   ASSIGN_OR_RETURN(Format f, FormatForPath("model.textproto", /*override=*/""));
//   ASSIGN_OR_RETURN(LoadedModel m, LoadModel("model.textproto"));
//   // m.model is the parsed proto; m.source resolves field paths to file:line:column.
//   RETURN_IF_ERROR(WriteMessage(m.model, "model.binpb", Format::kBinary));
//
// Formats, chosen by extension unless overridden (`-` = stdin/stdout needs an explicit format):
//   .textproto .txtpb .pbtxt -> text format (locations of every field are recorded)
//   .binpb .pb               -> binary wire format (read from a file with pread, never whole;
//                               ParseOptions may parse it on both cores; strings are copied
//                               once, into the message)
//   .json                    -> the protobuf JSON mapping
//   .binpbs                  -> binary as a stream of length-delimited chunks (protobuf's
//                               delimited-message framing), each chunk a message of the same
//                               type holding a slice of the top-level repeated message fields
//                               (entities, mixes); chunks are merged on load by moving the
//                               parsed elements, not copying them. No 2 GiB ceiling: use it
//                               for models near 10^8 edges. Read from the file incrementally.
// Errors: NotFound / PermissionDenied for files; InvalidArgument for unknown extensions and
// parse errors, the message starting "FILE:LINE:COLUMN: " where the format has positions (text
// format; JSON syntax errors when protobuf's context snippet can be placed in the input),
// "FILE: byte offset N: " for binary input (the first malformed tag, varint, length or proto3
// string; for .binpbs "FILE: chunk K at byte offset N", the bad chunk's start; a chunk length
// prefix that is not a valid varint is an error, never taken for the end of the stream). A single-message input (text,
// binary, JSON) over 2 GiB is refused before it is read. Files read are recorded as inputs
// (engine/base/file_io.h), so no output can replace them.
#ifndef COALITION_ENGINE_MODEL_LOAD_H_
#define COALITION_ENGINE_MODEL_LOAD_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "coalition/v1/mix.pb.h"
#include "coalition/v1/model.pb.h"
#include "google/protobuf/io/zero_copy_stream.h"
#include "google/protobuf/message.h"
#include "google/protobuf/text_format.h"

namespace coalition {

enum class Format { kTextProto, kBinary, kJson, kBinaryStream };

// "textproto", "binpb", "json", "binpbs" (also "text", "binary", "pb", "txtpb", "stream").
absl::StatusOr<Format> ParseFormatName(absl::string_view name);
absl::string_view FormatName(Format f);

// The format for `path`: `override_name` when non-empty, else from the extension.
absl::StatusOr<Format> FormatForPath(absl::string_view path, absl::string_view override_name);

// One step of a field path from a root message: a field and, for repeated fields, an index.
struct FieldStep {
  const google::protobuf::FieldDescriptor* field;
  int index;  // -1 for singular fields
};

// Where a message came from, and the position of each field when the format records them.
class SourceInfo {
 public:
  SourceInfo() = default;
  explicit SourceInfo(std::string file) : file_(std::move(file)) {}

  // The file as the user named it ("-" for stdin).
  const std::string& file() const { return file_; }

  // 1-based {line, column} of the field at `path`, or {0, 0} when unknown.
  std::pair<int, int> Locate(const std::vector<FieldStep>& path) const;

  // Used by the loader.
  google::protobuf::TextFormat::ParseInfoTree* mutable_tree();

 private:
  std::string file_;
  std::shared_ptr<google::protobuf::TextFormat::ParseInfoTree> tree_;
};

// How a binary parse (.binpb, .binpbs) may use several cores. A .binpb is cut at top-level
// field boundaries (its wire encoding is the concatenation of its fields) into `threads` byte
// ranges, each parsed into a message of its own on its own thread and merged in order; the
// chunks of a .binpbs are parsed on `threads` threads and merged in order. The result is the
// serial parse's exactly (singular fields: the last one on the wire wins, even a default value;
// types whose top level has a singular message field, a oneof, a map or extensions are parsed
// serially). Malformed input is parsed again serially, so errors and their offsets are the
// serial parse's. Parallel parts allocate on `msg`'s arena when it has one.
// Serial by default: measured on the 2-core machine (docs/performance.md, issue 15), the split
// parse is 1.6x faster at 10^6 edges but at 10^7 spends 2-2.5x the CPU of the serial parse
// (two threads allocating ~1.3 GB at once), so it does not pay there yet.
struct ParseOptions {
  int threads = 1;  // 0: both cores (min(2, hardware_concurrency)); 1: serial
  int64_t min_parallel_bytes = int64_t{4} << 20;  // smaller inputs are parsed serially
};

// Parses `bytes` (already read from `file`) in `format` into `msg`.
absl::Status ParseMessage(absl::string_view bytes, Format format, absl::string_view file,
                          google::protobuf::Message* msg, SourceInfo* source);
absl::Status ParseMessage(absl::string_view bytes, Format format, absl::string_view file,
                          google::protobuf::Message* msg, SourceInfo* source,
                          const ParseOptions& options);

// Reads and parses a file ("-" = stdin; then `format_override` is required). Binary formats
// from a regular file are read with pread by the parsing threads (the whole file is never
// held in memory); other inputs are read whole first.
absl::Status LoadMessage(absl::string_view path, absl::string_view format_override,
                         google::protobuf::Message* msg, SourceInfo* source);
absl::Status LoadMessage(absl::string_view path, absl::string_view format_override,
                         google::protobuf::Message* msg, SourceInfo* source,
                         const ParseOptions& options);

struct LoadedModel {
  coalition::v1::Model model;
  SourceInfo source;
};
absl::StatusOr<LoadedModel> LoadModel(absl::string_view path,
                                      absl::string_view format_override = "");

struct LoadedMix {
  coalition::v1::ForceMix mix;
  SourceInfo source;
};
absl::StatusOr<LoadedMix> LoadMix(absl::string_view path, absl::string_view format_override = "");

// Serializes in `format`. Text format is deterministic (field order); binary uses
// deterministic serialization; JSON keeps proto field names.
absl::StatusOr<std::string> SerializeMessage(const google::protobuf::Message& msg, Format format);

// The length-delimited stream (Format::kBinaryStream) of `msg`: chunks of at most
// `max_chunk_bytes` each (a single element larger than that gets a chunk of its own). The first
// chunk also holds every field that is not a repeated message (e.g. the model's name). Each
// chunk is byte-identical to SerializeDelimitedToOstream of a message holding that slice.
// Errors: InvalidArgument when one element is over 2 GiB.
inline constexpr size_t kDefaultStreamChunkBytes = size_t{64} << 20;
absl::StatusOr<std::string> SerializeStream(const google::protobuf::Message& msg,
                                            size_t max_chunk_bytes = kDefaultStreamChunkBytes);

// Parses a length-delimited stream into `msg` (cleared first), moving each chunk's repeated
// message elements into `msg` (no copies) and merging its other fields. `file` names the input
// in errors.
absl::Status ParseStream(google::protobuf::io::ZeroCopyInputStream* input, absl::string_view file,
                         google::protobuf::Message* msg);

// Whether `m` or any message inside it kept unknown fields (binary input: a field number or
// wire type the schema does not have; the loaders refuse them). Walks only the message-typed
// fields of each type.
bool HasUnknownFields(const google::protobuf::Message& m);

// SerializeMessage, then WriteFileAtomically ("-" = stdout). Binary (.binpb) output over 2 GiB
// is refused with InvalidArgument naming .binpbs.
absl::Status WriteMessage(const google::protobuf::Message& msg, absl::string_view path,
                          Format format);

}  // namespace coalition

#endif  // COALITION_ENGINE_MODEL_LOAD_H_
