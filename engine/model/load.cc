#include "engine/model/load.h"

#include <fcntl.h>
#include <unistd.h>

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/base/file_io.h"
#include "engine/base/utf8.h"
#include "engine/model/json_reader.h"
#include "engine/base/status_macros.h"
#include "google/protobuf/descriptor.pb.h"
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

// A ZeroCopyInputStream over bytes [begin, end) of a regular file, read with pread into a buffer
// of its own: several streams may read one descriptor at once (one per parsing thread), and the
// file is never held in memory whole. Skip past the buffer moves the offset without reading.
class PreadInputStream : public google::protobuf::io::ZeroCopyInputStream {
 public:
  PreadInputStream(int fd, int64_t begin, int64_t end)
      : fd_(fd), begin_(begin), end_(end), next_(begin), buffer_(kBlock) {}
  bool Next(const void** data, int* size) override {
    if (used_ < len_) {
      *data = buffer_.data() + used_;
      *size = static_cast<int>(len_ - used_);
      used_ = len_;
      return true;
    }
    next_ += static_cast<int64_t>(len_);
    len_ = used_ = 0;
    if (next_ >= end_) return false;
    const size_t want = static_cast<size_t>(std::min<int64_t>(end_ - next_, kBlock));
    ssize_t n;
    do {
      n = ::pread(fd_, buffer_.data(), want, static_cast<off_t>(next_));
    } while (n < 0 && errno == EINTR);
    if (n <= 0) return false;  // a read error or a file that shrank: the parse sees the end
    len_ = used_ = static_cast<size_t>(n);
    *data = buffer_.data();
    *size = static_cast<int>(n);
    return true;
  }
  void BackUp(int count) override { used_ -= static_cast<size_t>(count); }
  bool Skip(int count) override {
    const size_t left = len_ - used_;
    if (static_cast<size_t>(count) <= left) {
      used_ += static_cast<size_t>(count);
      return true;
    }
    const int64_t target = next_ + static_cast<int64_t>(used_) + count;
    next_ = std::min(target, end_);
    len_ = used_ = 0;
    return target <= end_;
  }
  int64_t ByteCount() const override { return next_ + static_cast<int64_t>(used_) - begin_; }

 private:
  static constexpr int64_t kBlock = int64_t{1} << 20;
  int fd_;
  int64_t begin_, end_;
  int64_t next_;  // file offset of buffer_[0]
  std::vector<char> buffer_;
  size_t len_ = 0;   // bytes in buffer_
  size_t used_ = 0;  // bytes of buffer_ handed out
};

// Moves `src`'s repeated message elements to the end of `dst`'s, keeping their order: an
// ownership transfer, no copy, when both are on the heap or on one arena (else copied).
void MoveRepeatedMessages(google::protobuf::Message* src, google::protobuf::Message* dst) {
  using google::protobuf::Message;
  using google::protobuf::RepeatedPtrField;
  const google::protobuf::Reflection* r = src->GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  r->ListFields(*src, &fields);
  const bool same_arena = src->GetArena() == dst->GetArena();
  std::vector<Message*> moved;
  for (const google::protobuf::FieldDescriptor* f : fields) {
    if (!f->is_repeated() || f->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE ||
        f->is_map()) {
      continue;
    }
    RepeatedPtrField<Message>* from = r->MutableRepeatedPtrField<Message>(src, f);
    RepeatedPtrField<Message>* to = r->MutableRepeatedPtrField<Message>(dst, f);
    if (!same_arena) {
      for (const Message& m : *from) to->Add()->CopyFrom(m);  // rare: differing arenas
      from->Clear();
      continue;
    }
    if (to->empty()) {
      to->Swap(from);  // same arena: swaps the arrays
      continue;
    }
    moved.resize(static_cast<size_t>(from->size()));
    from->UnsafeArenaExtractSubrange(0, from->size(), moved.data());
    to->Reserve(to->size() + static_cast<int>(moved.size()));
    for (Message* m : moved) to->UnsafeArenaAddAllocated(m);
  }
}

// Moves `src`'s repeated message elements to the end of `dst`'s, then merges what is left
// (names, scalars) with MergeFrom.
void MoveMerge(google::protobuf::Message* src, google::protobuf::Message* dst) {
  MoveRepeatedMessages(src, dst);
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

}  // namespace

namespace {

// HasUnknownFields with m's reflection and descriptor given: the elements of a repeated message
// field share one (looked up once per field, not once per element).
bool HasUnknownFieldsIn(const google::protobuf::Message& m, const google::protobuf::Reflection* r,
                        const google::protobuf::Descriptor* d) {
  if (!r->GetUnknownFields(m).empty()) return true;
  for (int k = 0; k < d->field_count(); ++k) {
    const google::protobuf::FieldDescriptor* f = d->field(k);
    if (f->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (f->is_repeated()) {
      const int n = r->FieldSize(m, f);
      if (n == 0) continue;
      const google::protobuf::Reflection* sr = r->GetRepeatedMessage(m, f, 0).GetReflection();
      for (int i = 0; i < n; ++i) {
        if (HasUnknownFieldsIn(r->GetRepeatedMessage(m, f, i), sr, f->message_type())) return true;
      }
    } else if (r->HasField(m, f)) {
      const google::protobuf::Message& sub = r->GetMessage(m, f);
      if (HasUnknownFieldsIn(sub, sub.GetReflection(), f->message_type())) return true;
    }
  }
  return false;
}

}  // namespace

bool HasUnknownFields(const google::protobuf::Message& m) {
  return HasUnknownFieldsIn(m, m.GetReflection(), m.GetDescriptor());
}

namespace {

// Where the bytes of one input are: in memory, or a regular file read with pread (one stream
// per thread, no copy of the whole file).
struct ByteSource {
  absl::string_view bytes;
  int fd = -1;
  int64_t size = 0;
  std::unique_ptr<google::protobuf::io::ZeroCopyInputStream> Open(int64_t begin,
                                                                  int64_t end) const {
    if (fd >= 0) return std::make_unique<PreadInputStream>(fd, begin, end);
    return std::make_unique<StringViewInputStream>(
        bytes.substr(static_cast<size_t>(begin), static_cast<size_t>(end - begin)));
  }
};

int PartsFor(int64_t size, const ParseOptions& options) {
  int threads = options.threads;
  if (threads <= 0) threads = static_cast<int>(std::min(2u, std::thread::hardware_concurrency()));
  if (threads < 2 || size < options.min_parallel_bytes) return 1;
  return threads;
}

// Runs work(0) .. work(n - 1), work(0) on the calling thread and each other on a thread of its
// own; joins all of them on every path and rethrows the first exception (bad_alloc) after.
template <typename Work>
void RunParts(int n, const Work& work) {
  std::vector<std::exception_ptr> failures(static_cast<size_t>(n));
  std::vector<std::thread> threads;
  auto guarded = [&](int k) {
    try {
      work(k);
    } catch (...) {
      failures[static_cast<size_t>(k)] = std::current_exception();
    }
  };
  for (int k = 1; k < n; ++k) threads.emplace_back(guarded, k);
  guarded(0);
  for (std::thread& t : threads) t.join();
  for (const std::exception_ptr& e : failures) {
    if (e) std::rethrow_exception(e);
  }
}

// Skips one field of a message's wire encoding; its field number in *number. False on a
// malformed tag, varint or length (or a group: never in proto3).
bool SkipField(google::protobuf::io::CodedInputStream* in, int* number) {
  using google::protobuf::internal::WireFormatLite;
  const uint32_t tag = in->ReadTagNoLastTag();
  if (tag == 0 || (tag >> 3) == 0) return false;
  *number = static_cast<int>(tag >> 3);
  switch (WireFormatLite::GetTagWireType(tag)) {
    case WireFormatLite::WIRETYPE_VARINT: {
      uint64_t v;
      return in->ReadVarint64(&v);
    }
    case WireFormatLite::WIRETYPE_FIXED64: {
      uint64_t v;
      return in->ReadLittleEndian64(&v);
    }
    case WireFormatLite::WIRETYPE_FIXED32: {
      uint32_t v;
      return in->ReadLittleEndian32(&v);
    }
    case WireFormatLite::WIRETYPE_LENGTH_DELIMITED: {
      uint32_t len;
      return in->ReadVarint32(&len) && len <= static_cast<uint32_t>(INT32_MAX) &&
             in->Skip(static_cast<int>(len));
    }
    default:
      return false;
  }
}

// Whether a message of type `d` may be parsed in byte ranges split at top-level field
// boundaries and merged exactly: the wire encoding of a message is the concatenation of its
// fields, and parsing a concatenation equals parsing each part and merging in order, except
// that a singular message field merges (excluded here), a oneof clears its siblings, and a
// singular scalar or string last seen with its default value is not "set" (handled by
// MergePart from the field numbers each part holds).
bool SplittableAtTopLevel(const google::protobuf::Descriptor* d) {
  if (d->extension_range_count() > 0 || d->real_oneof_decl_count() > 0 ||
      d->options().message_set_wire_format()) {
    return false;
  }
  for (int i = 0; i < d->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* f = d->field(i);
    if (f->is_map()) return false;
    if (!f->is_repeated() && f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
      return false;
    }
  }
  return true;
}

// The cut points begin = c0 < c1 < ... < end of the message encoded in [begin, end): top-level
// field boundaries at or just after begin + (end - begin) * k / parts. False when the wire is
// malformed before the last cut.
bool FindCuts(const ByteSource& src, int64_t begin, int64_t end, int parts,
              std::vector<int64_t>* cuts) {
  cuts->assign(1, begin);
  auto stream = src.Open(begin, end);
  google::protobuf::io::CodedInputStream in(stream.get());
  in.SetTotalBytesLimit(INT32_MAX);
  const int64_t size = end - begin;
  for (int k = 1; k < parts; ++k) {
    const int64_t target = size / parts * k;
    while (in.CurrentPosition() < target) {
      int number;
      if (!SkipField(&in, &number)) return false;
    }
    const int64_t at = begin + in.CurrentPosition();
    if (at >= end) break;
    if (at > cuts->back()) cuts->push_back(at);
  }
  cuts->push_back(end);
  return true;
}

// The singular (non-repeated) top-level fields of type `d` that [begin, end) holds.
bool SingularFieldsIn(const ByteSource& src, int64_t begin, int64_t end,
                      const google::protobuf::Descriptor* d, std::vector<int>* numbers) {
  auto stream = src.Open(begin, end);
  google::protobuf::io::CodedInputStream in(stream.get());
  in.SetTotalBytesLimit(INT32_MAX);
  const int64_t size = end - begin;
  while (in.CurrentPosition() < size) {
    int number;
    if (!SkipField(&in, &number)) return false;
    const google::protobuf::FieldDescriptor* f = d->FindFieldByNumber(number);
    if (f != nullptr && !f->is_repeated() &&
        std::find(numbers->begin(), numbers->end(), number) == numbers->end()) {
      numbers->push_back(number);
    }
  }
  return true;
}

// Parses [begin, end) as a whole message into `msg` (cleared first): true when it is well formed
// with no unknown field.
bool ParseRange(const ByteSource& src, int64_t begin, int64_t end, google::protobuf::Message* msg) {
  auto stream = src.Open(begin, end);
  google::protobuf::io::CodedInputStream in(stream.get());
  in.SetTotalBytesLimit(INT32_MAX);
  return msg->ParseFromCodedStream(&in) && in.ConsumedEntireMessage() && !HasUnknownFields(*msg);
}

// Merges `part` (the bytes after dst's) into `dst` as if their bytes had been parsed together:
// each singular field `part` held on the wire (`singular`) takes part's value, even a default
// one; repeated message elements move; other repeated fields are appended (MergeFrom).
void MergePart(google::protobuf::Message* part, const std::vector<int>& singular,
               google::protobuf::Message* dst) {
  using google::protobuf::FieldDescriptor;
  const google::protobuf::Reflection* r = dst->GetReflection();
  const google::protobuf::Descriptor* d = dst->GetDescriptor();
  for (int number : singular) {
    const FieldDescriptor* f = d->FindFieldByNumber(number);
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        r->SetInt32(dst, f, r->GetInt32(*part, f));
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        r->SetInt64(dst, f, r->GetInt64(*part, f));
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        r->SetUInt32(dst, f, r->GetUInt32(*part, f));
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        r->SetUInt64(dst, f, r->GetUInt64(*part, f));
        break;
      case FieldDescriptor::CPPTYPE_DOUBLE:
        r->SetDouble(dst, f, r->GetDouble(*part, f));
        break;
      case FieldDescriptor::CPPTYPE_FLOAT:
        r->SetFloat(dst, f, r->GetFloat(*part, f));
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        r->SetBool(dst, f, r->GetBool(*part, f));
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        r->SetEnumValue(dst, f, r->GetEnumValue(*part, f));
        break;
      case FieldDescriptor::CPPTYPE_STRING:
        r->SetString(dst, f, r->GetString(*part, f));
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE:  // excluded by SplittableAtTopLevel
        break;
    }
    r->ClearField(part, f);
  }
  MoveRepeatedMessages(part, dst);
  dst->MergeFrom(*part);
}

// The parallel parse of one binary message: split at top-level field boundaries, each part
// parsed on its own thread, merged in order. False (and `msg` unspecified) when anything is
// malformed: the caller then parses serially, which locates the error.
bool ParseBinaryInParts(const ByteSource& src, int parts, google::protobuf::Message* msg) {
  std::vector<int64_t> cuts;
  if (!FindCuts(src, 0, src.size, parts, &cuts) || cuts.size() < 3) return false;
  const int n = static_cast<int>(cuts.size()) - 1;
  google::protobuf::Arena* arena = msg->GetArena();
  std::vector<google::protobuf::Message*> pieces(static_cast<size_t>(n), msg);
  std::vector<std::unique_ptr<google::protobuf::Message>> owned;
  for (int k = 1; k < n; ++k) {
    pieces[static_cast<size_t>(k)] = msg->New(arena);
    if (arena == nullptr) owned.emplace_back(pieces[static_cast<size_t>(k)]);
  }
  std::vector<std::vector<int>> singular(static_cast<size_t>(n));
  std::vector<char> ok(static_cast<size_t>(n), 0);
  RunParts(n, [&](int k) {
    const size_t i = static_cast<size_t>(k);
    ok[i] = (k == 0 || SingularFieldsIn(src, cuts[i], cuts[i + 1], msg->GetDescriptor(),
                                         &singular[i])) &&
            ParseRange(src, cuts[i], cuts[i + 1], pieces[i]);
  });
  for (char good : ok) {
    if (!good) return false;
  }
  for (int k = 1; k < n; ++k) {
    MergePart(pieces[static_cast<size_t>(k)], singular[static_cast<size_t>(k)], msg);
  }
  return true;
}

// The binary parse of `src` into `msg`: in parts on several threads when `options` allow and
// the type splits, else (and to locate an error) on one thread.
absl::Status ParseBinary(const ByteSource& src, absl::string_view file,
                         google::protobuf::Message* msg, const ParseOptions& options) {
  const int parts = PartsFor(src.size, options);
  if (parts > 1 && SplittableAtTopLevel(msg->GetDescriptor()) &&
      ParseBinaryInParts(src, parts, msg)) {
    return absl::OkStatus();
  }
  bool parsed;
  bool unknown;
  {
    std::unique_ptr<google::protobuf::io::ZeroCopyInputStream> stream;
    std::optional<google::protobuf::io::CodedInputStream> input;
    if (src.fd < 0) {
      // Parse straight from the buffer: each string is copied once, into the message.
      input.emplace(reinterpret_cast<const uint8_t*>(src.bytes.data()),
                    static_cast<int>(src.bytes.size()));
    } else {
      stream = src.Open(0, src.size);
      input.emplace(stream.get());
    }
    input->SetTotalBytesLimit(INT32_MAX);
    parsed = msg->ParseFromCodedStream(&*input) && input->ConsumedEntireMessage();
    unknown = parsed && HasUnknownFields(*msg);
  }
  if (parsed && !unknown) return absl::OkStatus();
  auto stream = src.Open(0, src.size);
  google::protobuf::io::CodedInputStream scan(stream.get());
  scan.SetTotalBytesLimit(INT32_MAX);
  const int64_t at = WireErrorOffset(&scan, src.size, msg->GetDescriptor(), 0);
  return absl::InvalidArgumentError(absl::StrCat(
      file, at >= 0 ? absl::StrCat(": byte offset ", at) : "", ": not a valid binary ",
      msg->GetDescriptor()->full_name(),
      unknown ? " (a field number or wire type the schema does not have: unknown fields "
                "are refused, as in text and JSON)"
              : " (truncated or corrupt wire data)"));
}

// The parallel parse of a length-delimited stream: the chunk boundaries are read first (each
// length prefix, skipping the body); chunks of a type that splits (SplittableAtTopLevel) are cut
// further at top-level field boundaries, so that a few large chunks still keep every thread
// busy; the pieces are parsed on `parts` threads, each into a message of its own, and merged in
// order exactly as ParseStream merges the chunks (MergePart within the first chunk, MoveMerge
// after it); chunks under `min_piece` bytes stay whole. False when anything is malformed or a chunk after the first holds more than
// repeated message fields (ParseStream's merge of those differs): the caller then parses
// serially, which locates the error.
bool ParseStreamInParts(const ByteSource& src, int parts, int64_t min_piece,
                        google::protobuf::Message* msg) {
  struct Piece {
    size_t chunk;
    int64_t begin, end;
    std::vector<int> singular;  // first chunk, pieces after its first: singular fields held
  };
  std::vector<Piece> pieces;
  const bool split = SplittableAtTopLevel(msg->GetDescriptor());
  {
    auto stream = src.Open(0, src.size);
    std::vector<int64_t> cuts;
    for (size_t chunk = 0;; ++chunk) {
      int64_t body, end;
      {
        const int64_t at = stream->ByteCount();  // where this chunk's length prefix starts
        // A fresh CodedInputStream per chunk, as in ParseStream (no 2 GiB limit on the file).
        google::protobuf::io::CodedInputStream in(stream.get());
        const void* data;
        int size;
        if (!in.GetDirectBufferPointer(&data, &size)) break;
        uint32_t len;
        if (!in.ReadVarint32(&len) || len > static_cast<uint32_t>(INT32_MAX)) return false;
        body = at + in.CurrentPosition();
        if (!in.Skip(static_cast<int>(len))) return false;
        end = body + static_cast<int64_t>(len);
      }
      cuts = {body, end};
      if (split && end - body >= std::max<int64_t>(min_piece, 1) && !FindCuts(src, body, end, parts, &cuts)) {
        return false;
      }
      for (size_t k = 0; k + 1 < cuts.size(); ++k) pieces.push_back({chunk, cuts[k], cuts[k + 1], {}});
    }
  }
  if (pieces.size() < 2) return false;
  google::protobuf::Arena* arena = msg->GetArena();
  std::vector<google::protobuf::Message*> parsed(pieces.size());
  std::vector<std::unique_ptr<google::protobuf::Message>> owned;
  for (auto& p : parsed) {
    p = msg->New(arena);
    if (arena == nullptr) owned.emplace_back(p);
  }
  std::vector<char> ok(pieces.size(), 0);
  std::atomic<size_t> next{0};
  RunParts(parts, [&](int) {
    for (size_t i = next++; i < pieces.size(); i = next++) {
      Piece& p = pieces[i];
      if (p.chunk == 0 && i > 0 &&
          !SingularFieldsIn(src, p.begin, p.end, msg->GetDescriptor(), &p.singular)) {
        continue;
      }
      if (!ParseRange(src, p.begin, p.end, parsed[i])) continue;
      ok[i] = 1;
      if (p.chunk == 0) continue;
      std::vector<const google::protobuf::FieldDescriptor*> fields;
      parsed[i]->GetReflection()->ListFields(*parsed[i], &fields);
      for (const google::protobuf::FieldDescriptor* f : fields) {
        if (!f->is_repeated() || f->is_map() ||
            f->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
          ok[i] = 0;
        }
      }
    }
  });
  for (char good : ok) {
    if (!good) return false;
  }
  msg->Clear();
  msg->GetReflection()->Swap(msg, parsed[0]);
  for (size_t i = 1; i < pieces.size(); ++i) {
    if (pieces[i].chunk == 0) {
      MergePart(parsed[i], pieces[i].singular, msg);
    } else {
      MoveMerge(parsed[i], msg);
    }
  }
  return true;
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
  return ParseMessage(bytes, format, file, msg, source, ParseOptions());
}

absl::Status ParseMessage(absl::string_view bytes, Format format, absl::string_view file,
                          google::protobuf::Message* msg, SourceInfo* source,
                          const ParseOptions& options) {
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
    case Format::kBinary:
      return ParseBinary(ByteSource{bytes, -1, static_cast<int64_t>(bytes.size())}, file, msg,
                         options);
    case Format::kBinaryStream: {
      const ByteSource src{bytes, -1, static_cast<int64_t>(bytes.size())};
      const int parts = PartsFor(src.size, options);
      if (parts > 1 && ParseStreamInParts(src, parts, options.min_parallel_bytes, msg)) return absl::OkStatus();
      StringViewInputStream input(bytes);
      return ParseStream(&input, file, msg);
    }
    case Format::kJson: {
      // The fast reader (json_reader.h): protobuf's JSON mapping with unknown fields refused,
      // protobuf's own reader and error text for anything it does not read itself.
      const absl::Status status = ParseJsonMessage(bytes, msg);
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
  return LoadMessage(path, format_override, msg, source, ParseOptions());
}

absl::Status LoadMessage(absl::string_view path, absl::string_view format_override,
                         google::protobuf::Message* msg, SourceInfo* source,
                         const ParseOptions& options) {
  ASSIGN_OR_RETURN(Format format, FormatForPath(path, format_override));
  struct stat st;
  const bool binary = format == Format::kBinary || format == Format::kBinaryStream;
  const bool regular = path != "-" && ::stat(std::string(path).c_str(), &st) == 0 &&
                       S_ISREG(st.st_mode);
  if (binary && regular &&
      (format == Format::kBinaryStream || st.st_size <= static_cast<off_t>(INT32_MAX))) {
    // Binary from a regular file: read with pread (by each parsing thread), never whole into
    // memory beside the message.
    ASSIGN_OR_RETURN(const int fd, OpenInputFile(path));  // recorded: never an output
    struct Closer {
      int fd;
      ~Closer() { ::close(fd); }
    } closer{fd};
    if (::fstat(fd, &st) != 0) {
      return absl::InternalError(absl::StrCat("cannot stat '", path, "': ", std::strerror(errno)));
    }
    *source = SourceInfo(std::string(path));
    const ByteSource src{{}, fd, static_cast<int64_t>(st.st_size)};
    if (format == Format::kBinary) return ParseBinary(src, path, msg, options);
    const int parts = PartsFor(src.size, options);
    if (parts > 1 && ParseStreamInParts(src, parts, options.min_parallel_bytes, msg)) return absl::OkStatus();
    PreadInputStream input(fd, 0, src.size);
    return ParseStream(&input, path, msg);
  }
  if (format == Format::kBinaryStream && path != "-") {
    // Not a regular file (a pipe): read incrementally, the whole never held in memory.
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
  return ParseMessage(bytes, format, path, msg, source, options);
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
