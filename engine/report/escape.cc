#include "engine/report/escape.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "engine/base/utf8.h"

namespace coalition::report {
namespace {

bool IsInvisibleFormat(char32_t c) {
  return (c >= 0x80 && c <= 0x9F) || c == 0x061C || (c >= 0x200B && c <= 0x200F) ||
         c == 0x2028 || c == 0x2029 || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2060 && c <= 0x2064) || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
}

bool NeedsTextEscape(absl::string_view s) {
  for (unsigned char b : s) {
    if (b < 0x20 || b >= 0x7F) return true;
  }
  return false;
}

// A plain decimal number (optionally signed, with a fraction or exponent): left alone in csv.
bool IsPlainNumber(absl::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  bool digits = false, dot = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if (c == '.' && !dot) {
      dot = true;
    } else if ((c == 'e' || c == 'E') && digits && i + 1 < s.size()) {
      size_t j = i + 1;
      if (s[j] == '-' || s[j] == '+') ++j;
      if (j == s.size()) return false;
      for (; j < s.size(); ++j) {
        if (s[j] < '0' || s[j] > '9') return false;
      }
      return true;
    } else {
      return false;
    }
  }
  return digits;
}

}  // namespace

std::string TextSafe(absl::string_view s) {
  if (!NeedsTextEscape(s)) return std::string(s);
  std::string out;
  out.reserve(s.size() + 8);
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      if (b == '\n') {
        out += "\\n";
      } else if (b == '\r') {
        out += "\\r";
      } else if (b == '\t') {
        out += "\\t";
      } else if (b < 0x20 || b == 0x7F) {
        absl::StrAppend(&out, absl::StrFormat("\\x%02x", b));
      } else {
        out += static_cast<char>(b);
      }
      ++i;
      continue;
    }
    char32_t c;
    const size_t n = DecodeUtf8(s, i, &c);
    if (c == kInvalidCodePoint) {
      absl::StrAppend(&out, absl::StrFormat("\\x%02x", b));
    } else if (IsInvisibleFormat(c)) {
      absl::StrAppend(&out, absl::StrFormat("\\u{%04X}", static_cast<uint32_t>(c)));
    } else {
      out.append(s.data() + i, n);
    }
    i += n;
  }
  return out;
}

std::string MarkdownSafe(absl::string_view s) {
  const std::string t = TextSafe(s);
  if (t.find_first_of("|`<>&") == std::string::npos) return t;
  std::string out;
  out.reserve(t.size() + 8);
  for (size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    switch (c) {
      case '|':
        // A backslash right before '|' would escape our escape: double it.
        if (i > 0 && t[i - 1] == '\\') out += '\\';
        out += "\\|";
        break;
      case '`':
        out += "\\`";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        if (i > 0 && t[i - 1] == '-') {
          out += '>';  // the "->" arrow of our own sentences
        } else {
          out += "&gt;";
        }
        break;
      case '&':
        out += "&amp;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

void MakeStringsTextSafe(google::protobuf::Message* m) {
  using google::protobuf::FieldDescriptor;
  const google::protobuf::Reflection* r = m->GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(*m, &fields);
  for (const FieldDescriptor* f : fields) {
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(*m, f); ++i) {
          MakeStringsTextSafe(r->MutableRepeatedMessage(m, f, i));
        }
      } else {
        MakeStringsTextSafe(r->MutableMessage(m, f));
      }
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING &&
               f->type() != FieldDescriptor::TYPE_BYTES) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(*m, f); ++i) {
          std::string scratch;
          const std::string& v = r->GetRepeatedStringReference(*m, f, i, &scratch);
          if (NeedsTextEscape(v)) r->SetRepeatedString(m, f, i, TextSafe(v));
        }
      } else {
        std::string scratch;
        const std::string& v = r->GetStringReference(*m, f, &scratch);
        if (NeedsTextEscape(v)) r->SetString(m, f, TextSafe(v));
      }
    }
  }
}

std::string CsvCell(absl::string_view s) {
  // Line feeds stay (quoted, RFC 4180 allows them); every other control character is escaped.
  std::string t;
  for (size_t start = 0;;) {
    const size_t nl = s.find('\n', start);
    t += TextSafe(s.substr(start, nl == absl::string_view::npos ? absl::string_view::npos : nl - start));
    if (nl == absl::string_view::npos) break;
    t += '\n';
    start = nl + 1;
  }
  if (!s.empty()) {
    const char first = s[0];
    const bool formula = first == '=' || first == '+' || first == '-' || first == '@' ||
                         first == '\t' || first == '\r';
    if (formula && !IsPlainNumber(s)) t.insert(0, "'");
  }
  if (t.find_first_of(",\"\r\n") == std::string::npos) return t;
  return absl::StrCat("\"", absl::StrReplaceAll(t, {{"\"", "\"\""}}), "\"");
}

std::string XmlSafe(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // Control characters other than tab / newline are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += "?";
        } else {
          out.push_back(c);
        }
    }
  }
  return out;
}

}  // namespace coalition::report
