#include "engine/model/json_reader.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/charconv.h"
#include "engine/base/utf8.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/repeated_field.h"
#include "google/protobuf/util/json_util.h"

namespace coalition {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::EnumValueDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// What the fast path does with a field's value.
enum class Kind : uint8_t {
  kString,
  kInt32,
  kInt64,
  kUInt32,
  kUInt64,
  kDouble,
  kFloat,
  kBool,
  kEnum,
  kMessage,
  kUnsupported,  // bytes, groups, maps, well-known types, proto2 messages: protobuf reads them
};

struct MessageTable;

struct FieldEntry {
  const FieldDescriptor* field = nullptr;
  Kind kind = Kind::kUnsupported;
  bool repeated = false;
  int oneof = -1;                         // index of its real oneof, or -1
  const MessageTable* child = nullptr;    // kMessage
  const EnumDescriptor* enum_type = nullptr;  // kEnum
};

// Per message type: its fields and the keys that name them.
struct MessageTable {
  bool supported = false;  // proto3, not a well-known type or map entry, <= 64 oneofs
  std::vector<FieldEntry> fields;
  // json_name -> field first, then proto name -> field (protobuf's TypeInfo::FindField tries
  // the json_name table, then the name as given).
  absl::flat_hash_map<std::string, int> by_key;
};

bool IsWellKnownPackage(const FileDescriptor* file) { return file->package() == "google.protobuf"; }

class Tables {
 public:
  const MessageTable* Get(const Descriptor* d) {
    std::lock_guard<std::mutex> lock(mu_);
    return GetLocked(d);
  }

 private:
  const MessageTable* GetLocked(const Descriptor* d) {
    auto it = tables_.find(d);
    if (it != tables_.end()) return it->second.get();
    auto owned = std::make_unique<MessageTable>();
    MessageTable* t = owned.get();
    tables_.emplace(d, std::move(owned));  // before the children: recursive types terminate
    t->supported = d->file()->syntax() == FileDescriptor::SYNTAX_PROTO3 &&
                   !IsWellKnownPackage(d->file()) && !d->options().map_entry() &&
                   d->oneof_decl_count() <= 64;
    t->fields.resize(static_cast<size_t>(d->field_count()));
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      FieldEntry& e = t->fields[static_cast<size_t>(i)];
      e.field = f;
      e.repeated = f->is_repeated();
      const google::protobuf::OneofDescriptor* oneof = f->containing_oneof();
      // A proto3 `optional` field sits in a synthetic oneof of its own: a key given twice is
      // refused by the duplicate check anyway, so only real oneofs are tracked.
      if (oneof != nullptr && !oneof->is_synthetic()) {
        e.oneof = oneof->index();
      }
      switch (f->type()) {
        case FieldDescriptor::TYPE_STRING:
          e.kind = Kind::kString;
          break;
        case FieldDescriptor::TYPE_INT32:
        case FieldDescriptor::TYPE_SINT32:
        case FieldDescriptor::TYPE_SFIXED32:
          e.kind = Kind::kInt32;
          break;
        case FieldDescriptor::TYPE_INT64:
        case FieldDescriptor::TYPE_SINT64:
        case FieldDescriptor::TYPE_SFIXED64:
          e.kind = Kind::kInt64;
          break;
        case FieldDescriptor::TYPE_UINT32:
        case FieldDescriptor::TYPE_FIXED32:
          e.kind = Kind::kUInt32;
          break;
        case FieldDescriptor::TYPE_UINT64:
        case FieldDescriptor::TYPE_FIXED64:
          e.kind = Kind::kUInt64;
          break;
        case FieldDescriptor::TYPE_DOUBLE:
          e.kind = Kind::kDouble;
          break;
        case FieldDescriptor::TYPE_FLOAT:
          e.kind = Kind::kFloat;
          break;
        case FieldDescriptor::TYPE_BOOL:
          e.kind = Kind::kBool;
          break;
        case FieldDescriptor::TYPE_ENUM:
          // google.protobuf.NullValue reads null as a value: protobuf's business.
          if (!IsWellKnownPackage(f->enum_type()->file())) {
            e.kind = Kind::kEnum;
            e.enum_type = f->enum_type();
          }
          break;
        case FieldDescriptor::TYPE_MESSAGE:
          if (!f->is_map()) {
            const MessageTable* child = GetLocked(f->message_type());
            // A child still being built (recursive type) has `supported` set already.
            if (child->supported) {
              e.kind = Kind::kMessage;
              e.child = child;
            }
          }
          break;
        default:  // bytes (base64 leniencies), groups
          break;
      }
    }
    for (int i = 0; i < d->field_count(); ++i) t->by_key.emplace(d->field(i)->json_name(), i);
    for (int i = 0; i < d->field_count(); ++i) t->by_key.emplace(d->field(i)->name(), i);
    return t;
  }

  std::mutex mu_;
  std::unordered_map<const Descriptor*, std::unique_ptr<MessageTable>> tables_;
};

Tables& GlobalTables() {
  static Tables* tables = new Tables();
  return *tables;
}

// Byte classes for the string scanner: 0 plain, 1 '"', 2 '\\', 3 a byte >= 0x80.
struct ByteClasses {
  uint8_t c[256];
  constexpr ByteClasses() : c() {
    for (int i = 0x80; i < 256; ++i) c[i] = 3;
    c[static_cast<int>('"')] = 1;
    c[static_cast<int>('\\')] = 2;
  }
};
constexpr ByteClasses kClasses;

// protobuf's ascii_isspace, which its JSON parser skips between tokens.
inline bool IsSpace(char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

// After a number protobuf's tokenizer keeps reading these as part of it.
inline bool IsNumberChar(char c) {
  return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-' ||
         c == 'x';
}

inline int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A JSON number token as protobuf's tokenizer would split it, in the strict JSON grammar.
struct Number {
  bool integer = true;    // no fraction, no exponent
  bool negative = false;
  bool overflow = false;  // integer magnitude above UINT64_MAX
  uint64_t magnitude = 0;
  const char* begin = nullptr;
  const char* end = nullptr;
};

constexpr int kMaxDepth = 64;  // objects; protobuf's limit is 100, deeper input is its to judge

class FastReader {
 public:
  explicit FastReader(absl::string_view json)
      : begin_(json.data()), p_(json.data()), end_(json.data() + json.size()) {}

  bool ParseRoot(const MessageTable& table, Message* msg) {
    if (!table.supported) return Stop("message type read by protobuf's reader");
    SkipSpace();
    if (p_ == end_ || *p_ != '{') return Stop("the input is not a JSON object");
    if (!ParseObject(table, msg, 1)) return false;
    SkipSpace();
    if (p_ != end_) return Stop("text after the top-level object");
    return true;
  }

  JsonFastStop stop() const { return stop_; }

 private:
  bool Stop(const char* reason) {
    stop_.offset = static_cast<size_t>(p_ - begin_);
    stop_.reason = reason;
    return false;
  }

  void SkipSpace() {
    while (p_ != end_ && IsSpace(*p_)) ++p_;
  }

  // p_ at '{'.
  bool ParseObject(const MessageTable& table, Message* msg, int depth) {
    if (depth > kMaxDepth) return Stop("nesting deeper than the fast reader goes");
    ++p_;
    const Reflection* r = msg->GetReflection();
    const size_t n = table.fields.size();
    uint64_t seen_small = 0;
    std::vector<bool> seen_large;
    if (n > 64) seen_large.resize(n);
    uint64_t oneofs_taken = 0;
    SkipSpace();
    if (p_ != end_ && *p_ == '}') {
      ++p_;
      return true;
    }
    for (;;) {
      if (p_ == end_ || *p_ != '"') return Stop("expected a double-quoted key");
      const char* key_begin = ++p_;
      while (p_ != end_ && *p_ != '"' && *p_ != '\\' && static_cast<unsigned char>(*p_) < 0x80) {
        ++p_;
      }
      if (p_ == end_ || *p_ != '"') return Stop("key with an escape or non-ASCII byte");
      const absl::string_view key(key_begin, static_cast<size_t>(p_ - key_begin));
      const auto it = table.by_key.find(key);
      if (it == table.by_key.end()) {
        p_ = key_begin - 1;
        return Stop("unknown field");
      }
      ++p_;
      const size_t index = static_cast<size_t>(it->second);
      const FieldEntry& f = table.fields[index];
      SkipSpace();
      if (p_ == end_ || *p_ != ':') return Stop("expected ':'");
      ++p_;
      SkipSpace();
      if (p_ == end_) return Stop("unexpected end of input");
      if (f.kind == Kind::kUnsupported) return Stop("field kind read by protobuf's reader");
      if (IsNull()) {
        p_ += 4;  // null: the field stays as it is (protobuf writes nothing)
      } else {
        if (n <= 64) {
          const uint64_t bit = uint64_t{1} << index;
          if (seen_small & bit) return Stop("key given twice");
          seen_small |= bit;
        } else {
          if (seen_large[index]) return Stop("key given twice");
          seen_large[index] = true;
        }
        if (f.oneof >= 0) {
          const uint64_t bit = uint64_t{1} << f.oneof;
          if (oneofs_taken & bit) return Stop("two members of one oneof");
          oneofs_taken |= bit;
        }
        if (f.repeated) {
          if (!ParseList(f, msg, r, depth)) return false;
        } else if (f.kind == Kind::kMessage) {
          if (*p_ != '{') return Stop("expected an object");
          if (!ParseObject(*f.child, r->MutableMessage(msg, f.field), depth + 1)) return false;
        } else if (!ParseScalar(f, msg, r, /*add=*/false)) {
          return false;
        }
      }
      SkipSpace();
      if (p_ == end_) return Stop("unexpected end of input");
      if (*p_ == '}') {
        ++p_;
        return true;
      }
      if (*p_ != ',') return Stop("expected ',' or '}'");
      ++p_;
      SkipSpace();
    }
  }

  bool IsNull() const {
    return end_ - p_ >= 4 && p_[0] == 'n' && p_[1] == 'u' && p_[2] == 'l' && p_[3] == 'l' &&
           Delimited(p_ + 4);
  }
  bool IsWord(const char* word, size_t len) const {
    return static_cast<size_t>(end_ - p_) >= len && std::memcmp(p_, word, len) == 0 &&
           Delimited(p_ + len);
  }
  // A literal must be followed by a delimiter for protobuf to read it alone.
  bool Delimited(const char* q) const {
    return q == end_ || IsSpace(*q) || *q == ',' || *q == '}' || *q == ']';
  }

  // p_ at the value of a repeated field.
  bool ParseList(const FieldEntry& f, Message* msg, const Reflection* r, int depth) {
    if (*p_ != '[') return Stop("a repeated field not given as a list");
    ++p_;
    SkipSpace();
    if (p_ != end_ && *p_ == ']') {
      ++p_;
      return true;
    }
    // The list itself, so each element is one Add() (GetMutableRepeatedFieldRef, the
    // non-deprecated spelling, goes through a virtual accessor per element).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    google::protobuf::RepeatedPtrField<std::string>* strings =
        f.kind == Kind::kString ? r->MutableRepeatedPtrField<std::string>(msg, f.field) : nullptr;
#pragma GCC diagnostic pop
    for (;;) {
      if (p_ == end_) return Stop("unexpected end of input");
      if (IsNull()) {
        p_ += 4;  // protobuf drops a null list element
      } else if (strings != nullptr) {
        if (*p_ != '"') return Stop("expected a string");
        std::string* s = strings->Add();
        if (!ReadString(s)) return false;
      } else if (f.kind == Kind::kMessage) {
        if (*p_ != '{') return Stop("expected an object");
        if (!ParseObject(*f.child, r->AddMessage(msg, f.field), depth + 1)) return false;
      } else if (!ParseScalar(f, msg, r, /*add=*/true)) {
        return false;
      }
      SkipSpace();
      if (p_ == end_) return Stop("unexpected end of input");
      if (*p_ == ']') {
        ++p_;
        return true;
      }
      if (*p_ != ',') return Stop("expected ',' or ']'");
      ++p_;
      SkipSpace();
      if (p_ != end_ && *p_ == ']') return Stop("trailing comma");
    }
  }

  // p_ at '"'; appends the decoded string to `out`.
  bool ReadString(std::string* out) {
    ++p_;
    const char* run = p_;
    for (;;) {
      const uint8_t* q = reinterpret_cast<const uint8_t*>(p_);
      const uint8_t* e = reinterpret_cast<const uint8_t*>(end_);
      while (q != e && kClasses.c[*q] == 0) ++q;
      p_ = reinterpret_cast<const char*>(q);
      if (q == e) return Stop("unterminated string");
      switch (kClasses.c[*q]) {
        case 1:  // closing quote
          out->append(run, static_cast<size_t>(p_ - run));
          ++p_;
          return true;
        case 3: {
          char32_t cp;
          const size_t len = DecodeUtf8(
              absl::string_view(reinterpret_cast<const char*>(q), static_cast<size_t>(e - q)), 0,
              &cp);
          if (cp == kInvalidCodePoint) return Stop("invalid UTF-8");
          p_ += len;
          break;
        }
        default:  // backslash
          out->append(run, static_cast<size_t>(p_ - run));
          if (!ReadEscape(out)) return false;
          run = p_;
      }
    }
  }

  // p_ at '\\'.
  bool ReadEscape(std::string* out) {
    if (end_ - p_ < 2) return Stop("unterminated string");
    const char c = p_[1];
    char plain;
    switch (c) {
      case '"':
      case '\\':
      case '/':
        plain = c;
        break;
      case 'b':
        plain = '\b';
        break;
      case 'f':
        plain = '\f';
        break;
      case 'n':
        plain = '\n';
        break;
      case 'r':
        plain = '\r';
        break;
      case 't':
        plain = '\t';
        break;
      case 'u': {
        uint32_t cp;
        if (!ReadHex4(p_ + 2, &cp)) return Stop("bad \\u escape");
        p_ += 6;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          uint32_t low;
          if (end_ - p_ < 6 || p_[0] != '\\' || p_[1] != 'u' || !ReadHex4(p_ + 2, &low) ||
              low < 0xDC00 || low > 0xDFFF) {
            return Stop("unpaired surrogate");
          }
          p_ += 6;
          cp = 0x10000 + (((cp & 0x3FF) << 10) | (low & 0x3FF));
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          return Stop("unpaired surrogate");
        }
        AppendUtf8(cp, out);
        return true;
      }
      default:
        return Stop("escape outside JSON's set");  // protobuf reads "\v", "\a" -> 'a', ...
    }
    out->push_back(plain);
    p_ += 2;
    return true;
  }

  bool ReadHex4(const char* q, uint32_t* cp) const {
    if (end_ - q < 4) return false;
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const int h = HexValue(q[i]);
      if (h < 0) return false;
      v = (v << 4) | static_cast<uint32_t>(h);
    }
    *cp = v;
    return true;
  }

  // p_ at '-' or a digit: the strict JSON grammar, and nothing protobuf would read on.
  bool ReadNumber(Number* n) {
    n->begin = p_;
    if (p_ != end_ && *p_ == '-') {
      n->negative = true;
      ++p_;
    }
    if (p_ == end_ || *p_ < '0' || *p_ > '9') return Stop("bad number");
    if (*p_ == '0') {
      ++p_;
    } else {
      while (p_ != end_ && *p_ >= '0' && *p_ <= '9') {
        const uint64_t d = static_cast<uint64_t>(*p_ - '0');
        if (n->magnitude > (std::numeric_limits<uint64_t>::max() - d) / 10) n->overflow = true;
        n->magnitude = n->magnitude * 10 + d;
        ++p_;
      }
    }
    if (p_ != end_ && *p_ == '.') {
      n->integer = false;
      ++p_;
      if (p_ == end_ || *p_ < '0' || *p_ > '9') return Stop("bad number");
      while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      n->integer = false;
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ == end_ || *p_ < '0' || *p_ > '9') return Stop("bad number");
      while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    }
    n->end = p_;
    if (p_ != end_ && IsNumberChar(*p_)) return Stop("number form outside JSON's grammar");
    return true;
  }

  // A floating-point value of the token (correctly rounded, as protobuf's strtod).
  bool NumberToDouble(const Number& n, double* out) {
    if (n.integer && !n.overflow) {
      // protobuf reads an integer token as uint64 / int64 first, then converts: "-0" is +0.
      const double v = static_cast<double>(n.magnitude);
      *out = n.negative && n.magnitude != 0 ? -v : v;
      return true;
    }
    double v;
    const absl::from_chars_result res = absl::from_chars(n.begin, n.end, v);
    if (res.ec != std::errc() || res.ptr != n.end || !std::isfinite(v)) {
      return Stop("number out of double's range");
    }
    *out = v;
    return true;
  }

  // A decimal integer inside a string ("123", "-5"): the form MessageToJsonString writes int64s
  // in. Leading zeros, "+", spaces and "-0" are left to protobuf.
  static bool StringToInteger(absl::string_view s, bool* negative, uint64_t* magnitude) {
    size_t i = 0;
    *negative = false;
    if (!s.empty() && s[0] == '-') {
      *negative = true;
      i = 1;
    }
    if (i == s.size() || s[i] < '0' || s[i] > '9') return false;
    if (s[i] == '0' && (s.size() != i + 1 || *negative)) return false;
    uint64_t v = 0;
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      const uint64_t d = static_cast<uint64_t>(s[i] - '0');
      if (v > (std::numeric_limits<uint64_t>::max() - d) / 10) return false;
      v = v * 10 + d;
    }
    *magnitude = v;
    return true;
  }

  // Reads an integer value (JSON integer or decimal string) as sign and magnitude.
  bool ReadInteger(bool* negative, uint64_t* magnitude) {
    if (*p_ == '"') {
      scratch_.clear();
      if (!ReadString(&scratch_)) return false;
      if (!StringToInteger(scratch_, negative, magnitude)) return Stop("integer string form");
      return true;
    }
    if (*p_ != '-' && (*p_ < '0' || *p_ > '9')) return Stop("expected an integer");
    Number n;
    if (!ReadNumber(&n)) return false;
    if (!n.integer || n.overflow) return Stop("integer written as a fraction or too large");
    *negative = n.negative;
    *magnitude = n.magnitude;
    return true;
  }

  // An integer in [-min_magnitude, max].
  bool ReadSigned(uint64_t min_magnitude, int64_t max, int64_t* out) {
    bool negative;
    uint64_t m;
    if (!ReadInteger(&negative, &m)) return false;
    if (negative) {
      if (m > min_magnitude) return Stop("integer out of range");
      *out = m == 0 ? 0 : static_cast<int64_t>(0 - m);
    } else {
      if (m > static_cast<uint64_t>(max)) return Stop("integer out of range");
      *out = static_cast<int64_t>(m);
    }
    return true;
  }

  bool ReadFloating(double* out, bool* is_float_token, Number* n) {
    if (*p_ == '"') {
      scratch_.clear();
      if (!ReadString(&scratch_)) return false;
      if (scratch_ == "NaN") {
        *out = std::numeric_limits<double>::quiet_NaN();
      } else if (scratch_ == "Infinity") {
        *out = std::numeric_limits<double>::infinity();
      } else if (scratch_ == "-Infinity") {
        *out = -std::numeric_limits<double>::infinity();
      } else {
        return Stop("number written as a string");
      }
      *is_float_token = false;
      n->integer = false;
      return true;
    }
    if (*p_ != '-' && (*p_ < '0' || *p_ > '9')) return Stop("expected a number");
    if (!ReadNumber(n)) return false;
    *is_float_token = true;
    return NumberToDouble(*n, out);
  }

  // A scalar (not a message) of field f: set, or added when `add`.
  bool ParseScalar(const FieldEntry& f, Message* msg, const Reflection* r, bool add) {
    const FieldDescriptor* fd = f.field;
    switch (f.kind) {
      case Kind::kString: {
        if (*p_ != '"') return Stop("expected a string");
        std::string s;
        if (!ReadString(&s)) return false;
        add ? r->AddString(msg, fd, std::move(s)) : r->SetString(msg, fd, std::move(s));
        return true;
      }
      case Kind::kInt32: {
        int64_t v;
        if (!ReadSigned(uint64_t{1} << 31, std::numeric_limits<int32_t>::max(), &v)) return false;
        add ? r->AddInt32(msg, fd, static_cast<int32_t>(v))
            : r->SetInt32(msg, fd, static_cast<int32_t>(v));
        return true;
      }
      case Kind::kInt64: {
        int64_t v;
        if (!ReadSigned(uint64_t{1} << 63, std::numeric_limits<int64_t>::max(), &v)) return false;
        add ? r->AddInt64(msg, fd, v) : r->SetInt64(msg, fd, v);
        return true;
      }
      case Kind::kUInt32:
      case Kind::kUInt64: {
        bool negative;
        uint64_t m;
        if (!ReadInteger(&negative, &m)) return false;
        if (negative) return Stop("negative unsigned integer");
        if (f.kind == Kind::kUInt32) {
          if (m > std::numeric_limits<uint32_t>::max()) return Stop("integer out of range");
          add ? r->AddUInt32(msg, fd, static_cast<uint32_t>(m))
              : r->SetUInt32(msg, fd, static_cast<uint32_t>(m));
        } else {
          add ? r->AddUInt64(msg, fd, m) : r->SetUInt64(msg, fd, m);
        }
        return true;
      }
      case Kind::kDouble: {
        double v;
        bool token;
        Number n;
        if (!ReadFloating(&v, &token, &n)) return false;
        add ? r->AddDouble(msg, fd, v) : r->SetDouble(msg, fd, v);
        return true;
      }
      case Kind::kFloat: {
        double v;
        bool token;
        Number n;
        if (!ReadFloating(&v, &token, &n)) return false;
        float x;
        if (token && n.integer) {
          // protobuf converts an integer token to float directly from the integer.
          if (n.negative && n.magnitude > (uint64_t{1} << 63)) return Stop("float range");
          x = n.negative ? -static_cast<float>(n.magnitude) : static_cast<float>(n.magnitude);
          if (n.negative && n.magnitude == 0) x = 0.0f;
        } else if (std::isfinite(v)) {
          constexpr float kMax = std::numeric_limits<float>::max();
          if (v > kMax || v < -kMax) {
            // protobuf's DoubleToFloat: a double just above FLT_MAX that rounds to it (as
            // "3.40282347e+38", FLT_MAX printed) is FLT_MAX; halving keeps the rounding exact.
            const double half = v * 0.5;
            if (!(half < kMax && half > -kMax)) return Stop("number out of float's range");
            const float half_after = static_cast<float>(half);
            if (!(half_after <= kMax * 0.5f && half_after >= -kMax * 0.5f)) {
              return Stop("number out of float's range");
            }
            x = half_after + half_after;
          } else {
            x = static_cast<float>(v);
          }
        } else {
          x = static_cast<float>(v);  // NaN, +-Infinity from their strings
        }
        add ? r->AddFloat(msg, fd, x) : r->SetFloat(msg, fd, x);
        return true;
      }
      case Kind::kBool: {
        bool v;
        if (IsWord("true", 4)) {
          v = true;
          p_ += 4;
        } else if (IsWord("false", 5)) {
          v = false;
          p_ += 5;
        } else {
          return Stop("expected true or false");
        }
        add ? r->AddBool(msg, fd, v) : r->SetBool(msg, fd, v);
        return true;
      }
      case Kind::kEnum: {
        int number;
        if (*p_ == '"') {
          scratch_.clear();
          if (!ReadString(&scratch_)) return false;
          const EnumValueDescriptor* value = f.enum_type->FindValueByName(scratch_);
          if (value == nullptr) return Stop("enum value not named in the schema");
          number = value->number();
        } else {
          int64_t v;
          if (!ReadSigned(uint64_t{1} << 31, std::numeric_limits<int32_t>::max(), &v)) {
            return false;
          }
          number = static_cast<int>(v);  // proto3 enums are open: any int32 is kept
        }
        add ? r->AddEnumValue(msg, fd, number) : r->SetEnumValue(msg, fd, number);
        return true;
      }
      default:
        return Stop("field kind read by protobuf's reader");
    }
  }

  const char* begin_;
  const char* p_;
  const char* end_;
  std::string scratch_;
  JsonFastStop stop_;
};

}  // namespace

bool TryParseJsonFast(absl::string_view json, google::protobuf::Message* msg, JsonFastStop* stop) {
  msg->Clear();
  const MessageTable* table = GlobalTables().Get(msg->GetDescriptor());
  FastReader reader(json);
  const bool ok = reader.ParseRoot(*table, msg);
  if (!ok && stop != nullptr) *stop = reader.stop();
  return ok;
}

absl::Status ParseJsonWithProtobuf(absl::string_view json, google::protobuf::Message* msg) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), msg, options);
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.code()),
                      std::string(status.message()));
}

absl::Status ParseJsonMessage(absl::string_view json, google::protobuf::Message* msg) {
  if (TryParseJsonFast(json, msg)) return absl::OkStatus();
  msg->Clear();
  return ParseJsonWithProtobuf(json, msg);
}

}  // namespace coalition
