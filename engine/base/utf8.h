// UTF-8 well-formedness and decoding, for checking text read from input (protobuf text format
// and the CSV importers accept any bytes in a string) and for escaping it on output.
//
//   if (!IsValidUtf8(name)) ...                         // reject at validation
//   size_t i = 0; char32_t c;
//   while (i < s.size()) { size_t n = DecodeUtf8(s, i, &c); ... i += n; }
//
// Well-formed means RFC 3629: shortest form only, no surrogates (U+D800..U+DFFF), nothing above
// U+10FFFF. DecodeUtf8 returns the length of the sequence at `pos` (>= 1) and the code point, or
// 1 and kInvalidCodePoint for a byte that does not start a well-formed sequence. O(length).
// AppendUtf8 writes a code point (<= U+10FFFF, not a surrogate) as UTF-8.
#ifndef COALITION_ENGINE_BASE_UTF8_H_
#define COALITION_ENGINE_BASE_UTF8_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace coalition {

inline constexpr char32_t kInvalidCodePoint = 0xFFFFFFFF;

inline size_t DecodeUtf8(absl::string_view s, size_t pos, char32_t* cp) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char b0 = byte(pos);
  *cp = kInvalidCodePoint;
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  size_t len;
  char32_t min, c;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, min = 0x80, c = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, min = 0x800, c = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, min = 0x10000, c = b0 & 0x07;
  } else {
    return 1;
  }
  if (pos + len > s.size()) return 1;
  for (size_t i = 1; i < len; ++i) {
    const unsigned char b = byte(pos + i);
    if ((b & 0xC0) != 0x80) return 1;
    c = (c << 6) | (b & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 1;
  *cp = c;
  return len;
}

inline bool IsValidUtf8(absl::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    char32_t c;
    const size_t n = DecodeUtf8(s, i, &c);
    if (c == kInvalidCodePoint) return false;
    i += n;
  }
  return true;
}

inline void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace coalition

#endif  // COALITION_ENGINE_BASE_UTF8_H_
