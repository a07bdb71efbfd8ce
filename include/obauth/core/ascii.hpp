// ASCII helpers for protocol text (HTTP field names and values, media
// types, percent- and \u-escapes): locale-free, so "I" never lower-cases to
// a dotless i behind the caller's back.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace obauth {

inline char ascii_lower(char c) noexcept {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

inline std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = ascii_lower(c);
    return out;
}

/// Up to `max` characters of untrusted text for an error detail: quoted,
/// printable ASCII only (anything else as '?'), "..." when cut short. Never
/// for secrets: error details are logged.
inline std::string quote(std::string_view s, std::size_t max = 40) {
    std::string out = "'";
    for (std::size_t i = 0; i < s.size() && i < max; ++i)
        out += (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
    return out + (s.size() > max ? "...'" : "'");
}

/// Equal ignoring ASCII case.
inline bool ascii_iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i]))
            return false;
    return true;
}

/// RFC 7515 §4.1.9 (typ, cty): media types compare case-insensitively, and
/// "application/" may be omitted.
inline bool same_media_type(std::string_view a, std::string_view b) noexcept {
    auto strip = [](std::string_view t) {
        constexpr std::string_view prefix = "application/";
        if (t.size() > prefix.size() && ascii_iequals(t.substr(0, prefix.size()), prefix))
            t.remove_prefix(prefix.size());
        return t;
    };
    return ascii_iequals(strip(a), strip(b));
}

/// The value of a hexadecimal digit (either case), or -1.
inline int hex_digit_value(char c) noexcept {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/// Reads four hexadecimal digits at `p` (before `end`) into `v` (the digits
/// of a JSON u-escape); false when there are fewer or one is not a digit.
inline bool read_hex4(const char* p, const char* end, unsigned& v) noexcept {
    if (end - p < 4)
        return false;
    v = 0;
    for (int i = 0; i < 4; ++i) {
        const int d = hex_digit_value(p[i]);
        if (d < 0)
            return false;
        v = v * 16 + static_cast<unsigned>(d);
    }
    return true;
}

/// The character a one-letter JSON escape stands for (the letter after the
/// backslash: quote, backslash, slash, b, f, n, r or t), or 0 for any other
/// letter (u included).
inline char json_simple_escape(char e) noexcept {
    switch (e) {
    case '"':
    case '\\':
    case '/':
        return e;
    case 'b':
        return '\b';
    case 'f':
        return '\f';
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 't':
        return '\t';
    default:
        return 0;
    }
}

/// Every character is visible ASCII or a space (%x20-7E, RFC 6749
/// Appendix A's VSCHAR): text that can go into an HTTP field value as it is.
inline bool is_vschar_text(std::string_view s) noexcept {
    for (const char c : s)
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e)
            return false;
    return true;
}

/// `s` without leading and trailing spaces and tabs (HTTP's OWS).
inline std::string_view trim_ows(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

} // namespace obauth
