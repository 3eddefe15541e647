#include "engine/model/load.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/base/file_io.h"
#include "engine/base/utf8.h"
#include "engine/base/status_macros.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/io/zero_copy_stream_impl.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/delimited_message_util.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/wire_format.h"
#include "google/protobuf/wire_format_lite.h"

namespace coalition {
namespace {

using google::protobuf::TextFormat;

// Collects every text-format parse error with its position (the parser stops at the first
// syntax error but reports each unknown field / bad value it passes).
class CollectingErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  explicit CollectingErrorCollector(absl::string_view file) : file_(file) {}
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    errors_.push_back(absl::StrCat(file_, ":", line + 1, ":", column + 1, ": ", message));
  }
  void AddWarning(int line, google::protobuf::io::ColumnNumber column,
                  const std::string& message) override {}
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::string file_;
  std::vector<std::string> errors_;
};

// A ZeroCopyInputStream over a string_view of any size (ArrayInputStream takes an int size).
class StringViewInputStream : public google::protobuf::io::ZeroCopyInputStream {
 public:
  explicit StringViewInputStream(absl::string_view data) : data_(data) {}
  bool Next(const void** data, int* size) override {
    if (pos_ >= data_.size()) return false;
    const size_t n = std::min(data_.size() - pos_, kBlock);
    *data = data_.data() + pos_;
    *size = static_cast<int>(n);
    pos_ += n;
    return true;
  }
  void BackUp(int count) override { pos_ -= static_cast<size_t>(count); }
  bool Skip(int count) override {
    if (static_cast<size_t>(count) > data_.size() - pos_) {
      pos_ = data_.size();
      return false;
    }
    pos_ += static_cast<size_t>(count);
    return true;
  }
  int64_t ByteCount() const override { return static_cast<int64_t>(pos_); }

 private:
  static constexpr size_t kBlock = size_t{64} << 20;
  absl::string_view data_;
  size_t pos_ = 0;
};

// Moves `src`'s repeated message elements to the end of `dst`'s (ownership transfer, no copy:
// both are heap messages), then merges what is left (names, scalars) with MergeFrom.
void MoveMerge(google::protobuf::Message* src, google::protobuf::Message* dst) {
  const google::protobuf::Reflection* r = src->GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  r->ListFields(*src, &fields);
  std::vector<google::protobuf::Message*> moved;
  for (const google::protobuf::FieldDescriptor* f : fields) {
    if (!f->is_repeated() || f->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
      continue;
    }
    // ReleaseLast hands over the element itself (heap messages: no copy); keep the order.
    const int n = r->FieldSize(*src, f);
    moved.resize(static_cast<size_t>(n));
    for (int i = n - 1; i >= 0; --i) moved[static_cast<size_t>(i)] = r->ReleaseLast(src, f);
    for (google::protobuf::Message* m : moved) r->AddAllocatedMessage(dst, f, m);
  }
  dst->MergeFrom(*src);
}

// Line and column (1-based) of byte `offset` of `text`.
std::pair<int64_t, int64_t> LineColumn(absl::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  int64_t line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, static_cast<int64_t>(offset - line_start) + 1};
}

// protobuf's JSON parser ends a syntax error with up to 20 bytes of context either side of the
// error and a caret line under it ("MESSAGE\nCONTEXT\n    ^"). Finds the context in `json` and
// returns the byte offset of the caret, or -1 when it cannot be placed (then no position).
int64_t JsonErrorOffset(absl::string_view json, absl::string_view message) {
  const size_t caret_nl = message.rfind('\n');
  if (caret_nl == absl::string_view::npos || !absl::EndsWith(message, "^")) return -1;
  const size_t context_nl = message.rfind('\n', caret_nl - 1);
  if (context_nl == absl::string_view::npos) return -1;
  // The context may itself hold newlines: it is everything between the message's first line
  // break that leaves a caret line of the right shape. Take the text after the first newline.
  const size_t first_nl = message.find('\n');
  const absl::string_view context = message.substr(first_nl + 1, caret_nl - first_nl - 1);
  const size_t caret = message.size() - caret_nl - 2;  // spaces before '^'
  const size_t at = json.find(context);
  if (at == absl::string_view::npos || caret > context.size()) return -1;
  return static_cast<int64_t>(at + caret);
}

// The byte offset at which `bytes` stops being a well-formed encoding of `d` (protobuf's parser
// says only that it failed): a bad tag or wire type, a varint over 10 bytes, a length past the
// end of its enclosing message, or a proto3 string that is not UTF-8 (at its first byte). -1 when
// the wire structure is sound.
int64_t WireErrorOffset(google::protobuf::io::CodedInputStream* in, int64_t end,
                        const google::protobuf::Descriptor* d, int depth) {
  using google::protobuf::FieldDescriptor;
  using google::protobuf::internal::WireFormatLite;
  while (in->CurrentPosition() < end) {
    const int64_t tag_at = in->CurrentPosition();
    const uint32_t tag = in->ReadTagNoLastTag();
    if (tag == 0 || (tag >> 3) == 0) return tag_at;
    const int64_t value_at = in->CurrentPosition();
    const FieldDescriptor* f = d == nullptr ? nullptr : d->FindFieldByNumber(static_cast<int>(tag >> 3));
    // A field the schema does not have, or with another wire type, is an unknown field: refused
    // as the text and JSON readers refuse unknown fields (it could not round-trip losslessly).
    if (d != nullptr) {
      if (f == nullptr) return tag_at;
      const auto expected = WireFormatLite::WireTypeForFieldType(
          static_cast<WireFormatLite::FieldType>(f->type()));
      const auto got = WireFormatLite::GetTagWireType(tag);
      if (got != expected &&
          !(f->is_packable() && got == WireFormatLite::WIRETYPE_LENGTH_DELIMITED)) {
        return tag_at;
      }
    }
    switch (WireFormatLite::GetTagWireType(tag)) {
      case WireFormatLite::WIRETYPE_VARINT: {
        uint64_t v;
        if (!in->ReadVarint64(&v)) return value_at;
        break;
      }
      case WireFormatLite::WIRETYPE_FIXED64: {
        uint64_t v;
        if (!in->ReadLittleEndian64(&v)) return value_at;
        break;
      }
      case WireFormatLite::WIRETYPE_FIXED32: {
        uint32_t v;
        if (!in->ReadLittleEndian32(&v)) return value_at;
        break;
      }
      case WireFormatLite::WIRETYPE_LENGTH_DELIMITED: {
        uint32_t len;
        if (!in->ReadVarint32(&len)) return value_at;
        const int64_t body = in->CurrentPosition();
        if (len > static_cast<uint64_t>(end - body)) return value_at;
        if (f != nullptr && f->type() == FieldDescriptor::TYPE_MESSAGE && depth < 100) {
          const auto limit = in->PushLimit(static_cast<int>(len));
          const int64_t inner = WireErrorOffset(in, body + len, f->message_type(), depth + 1);
          in->PopLimit(limit);
          if (inner >= 0) return inner;
        } else if (f != nullptr && f->type() == FieldDescriptor::TYPE_STRING &&
                   f->file()->syntax() == google::protobuf::FileDescriptor::SYNTAX_PROTO3) {
          std::string value;
          if (!in->ReadString(&value, static_cast<int>(len))) return body;
          if (!IsValidUtf8(value)) return body;
        } else if (!in->Skip(static_cast<int>(len))) {
          return body;
        }
        break;
      }
      default:  // groups (never in proto3) and wire types 6, 7
        return tag_at;
    }
  }
  return -1;
}

// Whether `m` or any message inside it kept unknown fields (binary input only).
bool HasUnknownFields(const google::protobuf::Message& m) {
  const google::protobuf::Reflection* r = m.GetReflection();
  if (!r->GetUnknownFields(m).empty()) return true;
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const google::protobuf::FieldDescriptor* f : fields) {
    if (f->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(m, f); ++i) {
        if (HasUnknownFields(r->GetRepeatedMessage(m, f, i))) return true;
      }
    } else if (HasUnknownFields(r->GetMessage(m, f))) {
      return true;
    }
  }
  return false;
}

}  // namespace

absl::StatusOr<Format> ParseFormatName(absl::string_view name) {
  std::string n = absl::AsciiStrToLower(name);
  if (n == "textproto" || n == "text" || n == "txtpb" || n == "pbtxt") return Format::kTextProto;
  if (n == "binpb" || n == "binary" || n == "pb") return Format::kBinary;
  if (n == "json") return Format::kJson;
  if (n == "binpbs" || n == "stream") return Format::kBinaryStream;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown format '", name, "' (allowed: textproto, binpb, json, binpbs)"));
}

absl::string_view FormatName(Format f) {
  switch (f) {
    case Format::kTextProto:
      return "textproto";
    case Format::kBinary:
      return "binpb";
    case Format::kJson:
      return "json";
    case Format::kBinaryStream:
      return "binpbs";
  }
  return "?";
}

absl::StatusOr<Format> FormatForPath(absl::string_view path, absl::string_view override_name) {
  if (!override_name.empty()) return ParseFormatName(override_name);
  if (path == "-") {
    return absl::InvalidArgumentError(
        "reading '-' (stdin) or writing '-' (stdout) needs an explicit format "
        "(--input_format / --output_format = textproto, binpb or json)");
  }
  for (absl::string_view ext : {".textproto", ".txtpb", ".pbtxt"}) {
    if (absl::EndsWith(path, ext)) return Format::kTextProto;
  }
  if (absl::EndsWith(path, ".binpbs")) return Format::kBinaryStream;
  for (absl::string_view ext : {".binpb", ".pb"}) {
    if (absl::EndsWith(path, ext)) return Format::kBinary;
  }
  if (absl::EndsWith(path, ".json")) return Format::kJson;
  return absl::InvalidArgumentError(
      absl::StrCat("cannot tell the format of '", path,
                   "' from its extension (use .textproto, .txtpb, .binpb, .binpbs or .json, or give the "
                   "format explicitly)"));
}

std::pair<int, int> SourceInfo::Locate(const std::vector<FieldStep>& path) const {
  if (tree_ == nullptr || path.empty()) return {0, 0};
  // ParseInfoTree CHECK-fails when a repeated field comes without an index (or vice versa).
  for (const FieldStep& step : path) {
    if (step.field == nullptr || step.field->is_repeated() != (step.index >= 0)) return {0, 0};
  }
  const TextFormat::ParseInfoTree* tree = tree_.get();
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    tree = tree->GetTreeForNested(path[i].field, path[i].index);
    if (tree == nullptr) return {0, 0};
  }
  TextFormat::ParseLocation loc = tree->GetLocation(path.back().field, path.back().index);
  if (loc.line < 0) return {0, 0};
  return {loc.line + 1, loc.column + 1};
}

TextFormat::ParseInfoTree* SourceInfo::mutable_tree() {
  if (tree_ == nullptr) tree_ = std::make_shared<TextFormat::ParseInfoTree>();
  return tree_.get();
}

absl::Status ParseMessage(absl::string_view bytes, Format format, absl::string_view file,
                          google::protobuf::Message* msg, SourceInfo* source) {
  *source = SourceInfo(std::string(file));
  switch (format) {
    case Format::kTextProto: {
      TextFormat::Parser parser;
      CollectingErrorCollector errors(file);
      parser.RecordErrorsTo(&errors);
      parser.WriteLocationsTo(source->mutable_tree());
      google::protobuf::io::ArrayInputStream input(bytes.data(), static_cast<int>(bytes.size()));
      if (!parser.Parse(&input, msg) || !errors.errors().empty()) {
        if (errors.errors().empty()) {
          return absl::InvalidArgumentError(absl::StrCat(file, ": cannot parse as text format"));
        }
        return absl::InvalidArgumentError(absl::StrJoin(errors.errors(), "\n"));
      }
      return absl::OkStatus();
    }
    case Format::kBinary: {
      // Parse straight from the buffer: each string is copied once, into the message.
      google::protobuf::io::CodedInputStream input(reinterpret_cast<const uint8_t*>(bytes.data()),
                                                   static_cast<int>(bytes.size()));
      input.SetTotalBytesLimit(INT32_MAX);
      bool parsed = msg->ParseFromCodedStream(&input) && input.ConsumedEntireMessage();
      const bool unknown = parsed && HasUnknownFields(*msg);
      if (!parsed || unknown) {
        google::protobuf::io::CodedInputStream scan(reinterpret_cast<const uint8_t*>(bytes.data()),
                                                    static_cast<int>(bytes.size()));
        scan.SetTotalBytesLimit(INT32_MAX);
        const int64_t at = WireErrorOffset(&scan, static_cast<int64_t>(bytes.size()),
                                           msg->GetDescriptor(), 0);
        return absl::InvalidArgumentError(absl::StrCat(
            file, at >= 0 ? absl::StrCat(": byte offset ", at) : "", ": not a valid binary ",
            msg->GetDescriptor()->full_name(),
            unknown ? " (a field number or wire type the schema does not have: unknown fields "
                      "are refused, as in text and JSON)"
                    : " (truncated or corrupt wire data)"));
      }
      return absl::OkStatus();
    }
    case Format::kBinaryStream: {
      StringViewInputStream input(bytes);
      return ParseStream(&input, file, msg);
    }
    case Format::kJson: {
      google::protobuf::util::JsonParseOptions options;
      options.ignore_unknown_fields = false;
      auto status = google::protobuf::util::JsonStringToMessage(
          google::protobuf::StringPiece(bytes.data(), bytes.size()), msg, options);
      if (!status.ok()) {
        const std::string message(status.message());
        const int64_t at = JsonErrorOffset(bytes, message);
        std::string position;
        if (at >= 0) {
          const auto [line, column] = LineColumn(bytes, static_cast<size_t>(at));
          position = absl::StrCat(":", line, ":", column);
        }
        return absl::InvalidArgumentError(absl::StrCat(
            file, position, ": invalid JSON for ", msg->GetDescriptor()->full_name(), ": ",
            message));
      }
      return absl::OkStatus();
    }
  }
  return absl::InternalError("unknown format");
}

absl::Status LoadMessage(absl::string_view path, absl::string_view format_override,
                         google::protobuf::Message* msg, SourceInfo* source) {
  ASSIGN_OR_RETURN(Format format, FormatForPath(path, format_override));
  if (format == Format::kBinaryStream && path != "-") {
    // Read incrementally: the whole file is never held in memory beside the message.
    ASSIGN_OR_RETURN(const int fd, OpenInputFile(path));  // recorded: never an output
    *source = SourceInfo(std::string(path));
    google::protobuf::io::FileInputStream input(fd, /*block_size=*/1 << 20);
    input.SetCloseOnDelete(true);
    return ParseStream(&input, path, msg);
  }
  // A single message over 2 GiB is refused before reading it (ReadFile checks the size first).
  ASSIGN_OR_RETURN(std::string bytes,
                   ReadFile(path, format == Format::kBinaryStream ? kNoSizeLimit
                                                                  : static_cast<uint64_t>(INT32_MAX)));
  if (bytes.size() > static_cast<size_t>(INT32_MAX) && format != Format::kBinaryStream) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": ", bytes.size(),
        " bytes is over protobuf's 2 GiB single-message limit (write large models as a "
        "length-delimited stream, .binpbs)"));
  }
  return ParseMessage(bytes, format, path, msg, source);
}

absl::StatusOr<LoadedModel> LoadModel(absl::string_view path, absl::string_view format_override) {
  LoadedModel out;
  RETURN_IF_ERROR(LoadMessage(path, format_override, &out.model, &out.source));
  return out;
}

absl::StatusOr<LoadedMix> LoadMix(absl::string_view path, absl::string_view format_override) {
  LoadedMix out;
  RETURN_IF_ERROR(LoadMessage(path, format_override, &out.mix, &out.source));
  return out;
}

absl::StatusOr<std::string> SerializeMessage(const google::protobuf::Message& msg, Format format) {
  std::string out;
  switch (format) {
    case Format::kTextProto: {
      TextFormat::Printer printer;
      printer.SetUseUtf8StringEscaping(true);
      if (!printer.PrintToString(msg, &out)) return absl::InternalError("text format failed");
      return out;
    }
    case Format::kBinary: {
      const size_t size = msg.ByteSizeLong();  // caches every sub-message's size
      if (size > static_cast<size_t>(INT32_MAX)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "cannot write ", msg.GetDescriptor()->full_name(), " as one binary message: ", size,
            " bytes is over protobuf's 2 GiB limit; write it as a length-delimited stream "
            "instead (.binpbs extension or format binpbs)"));
      }
      out.reserve(size);
      google::protobuf::io::StringOutputStream stream(&out);
      google::protobuf::io::CodedOutputStream coded(&stream);
      coded.SetSerializationDeterministic(true);
      msg.SerializeWithCachedSizes(&coded);
      if (coded.HadError()) return absl::InternalError("binary serialization failed");
      coded.Trim();
      return out;
    }
    case Format::kBinaryStream:
      return SerializeStream(msg);
    case Format::kJson: {
      google::protobuf::util::JsonPrintOptions options;
      options.add_whitespace = true;
      options.preserve_proto_field_names = true;
      auto status = google::protobuf::util::MessageToJsonString(msg, &out, options);
      if (!status.ok()) return absl::InternalError(std::string(status.message()));
      return out;
    }
  }
  return absl::InternalError("unknown format");
}

absl::StatusOr<std::string> SerializeStream(const google::protobuf::Message& msg,
                                            size_t max_chunk_bytes) {
  using google::protobuf::FieldDescriptor;
  using google::protobuf::internal::WireFormat;
  using google::protobuf::internal::WireFormatLite;
  const google::protobuf::Reflection* r = msg.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(msg, &fields);  // field-number order
  std::vector<const FieldDescriptor*> head, split;
  for (const FieldDescriptor* f : fields) {
    const bool repeated_message =
        f->is_repeated() && f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
    (repeated_message ? split : head).push_back(f);
  }
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);

  // A chunk is written as varint(size) then the wire encoding of its fields, exactly what
  // SerializeDelimitedToCodedStream writes for a message holding those fields.
  struct Piece {
    const FieldDescriptor* field;
    int index;
  };
  std::vector<Piece> pending;
  size_t pending_bytes = 0;
  bool first = true;
  for (const FieldDescriptor* f : head) pending_bytes += WireFormat::FieldByteSize(f, msg);
  auto flush = [&]() {
    coded.WriteVarint32(static_cast<uint32_t>(pending_bytes));
    if (first) {
      for (const FieldDescriptor* f : head) WireFormat::SerializeFieldWithCachedSizes(f, msg, &coded);
      first = false;
    }
    for (const Piece& p : pending) {
      WireFormatLite::WriteMessage(p.field->number(),
                                   r->GetRepeatedMessage(msg, p.field, p.index), &coded);
    }
    pending.clear();
    pending_bytes = 0;
  };
  for (const FieldDescriptor* f : split) {
    const int n = r->FieldSize(msg, f);
    const size_t tag = WireFormatLite::TagSize(f->number(), WireFormatLite::TYPE_MESSAGE);
    for (int i = 0; i < n; ++i) {
      const size_t size = r->GetRepeatedMessage(msg, f, i).ByteSizeLong();
      const size_t piece =
          tag + google::protobuf::io::CodedOutputStream::VarintSize64(size) + size;
      if (piece > static_cast<size_t>(INT32_MAX)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "cannot stream ", f->full_name(), "[", i, "]: one element of ", size,
            " bytes is over protobuf's 2 GiB limit"));
      }
      if ((!pending.empty() || first) && pending_bytes + piece > max_chunk_bytes) flush();
      pending.push_back({f, i});
      pending_bytes += piece;
    }
  }
  if (first || !pending.empty()) flush();
  if (coded.HadError()) return absl::InternalError("binary stream serialization failed");
  coded.Trim();
  return out;
}

absl::Status ParseStream(google::protobuf::io::ZeroCopyInputStream* input, absl::string_view file,
                         google::protobuf::Message* msg) {
  msg->Clear();
  std::unique_ptr<google::protobuf::Message> chunk(msg->New());
  for (int64_t index = 0;; ++index) {
    bool clean_eof = false;
    const int64_t chunk_at = input->ByteCount();
    bool parsed;
    {
      // A fresh CodedInputStream per chunk: the 2 GiB limit applies to each chunk, not the file.
      google::protobuf::io::CodedInputStream coded(input);
      // The stream ends cleanly only where no byte is left: a length prefix that cannot be
      // read (truncated, or 10+ continuation bytes) is corruption, not an end.
      const void* data;
      int size;
      if (!coded.GetDirectBufferPointer(&data, &size)) return absl::OkStatus();
      parsed = google::protobuf::util::ParseDelimitedFromCodedStream(chunk.get(), &coded,
                                                                     &clean_eof);
    }
    if (parsed && HasUnknownFields(*chunk)) {
      return absl::InvalidArgumentError(absl::StrCat(
          file, ": chunk ", index, " at byte offset ", chunk_at, " of the length-delimited ",
          msg->GetDescriptor()->full_name(),
          " stream holds a field number or wire type the schema does not have (unknown fields "
          "are refused, as in text and JSON)"));
    }
    if (!parsed) {
      return absl::InvalidArgumentError(absl::StrCat(
          file, ": chunk ", index, " at byte offset ", chunk_at, " of the length-delimited ",
          msg->GetDescriptor()->full_name(), " stream is truncated or corrupt",
          clean_eof ? " (its length prefix is not a valid varint)" : ""));
    }
    if (index == 0) {
      msg->GetReflection()->Swap(msg, chunk.get());
    } else {
      MoveMerge(chunk.get(), msg);
    }
  }
}

absl::Status WriteMessage(const google::protobuf::Message& msg, absl::string_view path,
                          Format format) {
  ASSIGN_OR_RETURN(std::string bytes, SerializeMessage(msg, format));
  return WriteFileAtomically(path, bytes);
}

}  // namespace coalition
