// Secret members of a JSON object (a token response's access_token and
// refresh_token) taken out of the text before it is parsed. nlohmann_json's
// lexer grows its string buffer by reallocation and frees the smaller
// buffers unwiped: each held a prefix of the string being read. So the
// values are read in place with the allocation-free scanner into `secret`s,
// and blanked in the (wiped) text, which the parser then reads with "" in
// their place (RFC 8259 §7 escapes are decoded here).
#pragma once

#include "json_scanner.hpp"
#include "secret.hpp"
#include "wiping_allocator.hpp"

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace obauth {

/// A top-level member to take out of a JSON object.
struct secret_member {
    std::string_view name;
    std::optional<secret> value; ///< its string value, when it has one
};

namespace detail {

struct secret_member_scan {
    secret_member* members = nullptr;
    std::size_t count = 0;
    std::string_view current; ///< the top-level member name being read
    struct found {
        std::size_t member, offset, size;
        bool escaped;
    };
    std::array<found, 8> at{};
    std::size_t n = 0;
    const char* base = nullptr;
    bool ok = true;

    void key(std::size_t depth, std::string_view name) noexcept {
        if (depth == 1)
            current = name;
    }
    void string(std::size_t depth, std::string_view raw, bool escaped) noexcept {
        if (depth != 1)
            return;
        for (std::size_t i = 0; i < count; ++i) {
            if (members[i].name != current)
                continue;
            if (n == at.size()) {
                ok = false; // more than we keep track of: let the parser decide
                return;
            }
            at[n++] = {i, static_cast<std::size_t>(raw.data() - base), raw.size(), escaped};
        }
    }
    void number(std::size_t, std::string_view, bool) noexcept {}
    void literal(std::size_t, char) noexcept {}
    void open(std::size_t, bool) noexcept {}
    void close(std::size_t) noexcept {}
};

/// The value of a JSON string body the scanner has already checked
/// (escapes well-formed, surrogates paired), decoded into wiped memory.
inline secret unescape(std::string_view raw) {
    wiping_string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '\\') {
            out += raw[i];
            continue;
        }
        const char e = raw[++i];
        if (const char c = json_simple_escape(e); c != 0) {
            out += c;
            continue;
        }
        // \uXXXX, a surrogate pair as two of them
        const char* end = raw.data() + raw.size();
        unsigned cp = 0;
        (void)read_hex4(raw.data() + i + 1, end, cp);
        i += 4;
        unsigned low = 0;
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < raw.size() && raw[i + 1] == '\\' &&
            raw[i + 2] == 'u' && read_hex4(raw.data() + i + 3, end, low) && low >= 0xDC00 &&
            low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            i += 6;
        }
        append_utf8(cp, out);
    }
    secret s(bytes_view(reinterpret_cast<const unsigned char*>(out.data()), out.size()));
    wipe(out);
    return s;
}

} // namespace detail

/// Reads the named top-level string members of the JSON object `text` into
/// the members' values and blanks them in `text` ("" in their place).
/// Returns false, and changes nothing, when the scanner gives up (escaped
/// member names, deep nesting, invalid JSON, ...): the caller then parses
/// `text` as it is, and the parser has the verdict. A member whose value is
/// not a string is left for the parser. At most eight values are taken.
template <std::size_t N>
bool take_secret_members(wiping_string& text, std::array<secret_member, N>& members,
                         std::size_t max_depth = 16) {
    detail::secret_member_scan h;
    h.members = members.data();
    h.count = N;
    h.base = text.data();
    json_scanner scanner(text, max_depth);
    if (!scanner.scan(h) || !h.ok)
        return false;
    // Back to front, so that the offsets of the others stay valid.
    for (std::size_t k = h.n; k-- > 0;) {
        const auto& f = h.at[k];
        const std::string_view raw(text.data() + f.offset, f.size);
        members[f.member].value =
            f.escaped ? detail::unescape(raw)
                      : secret(bytes_view(reinterpret_cast<const unsigned char*>(raw.data()),
                                          raw.size()));
        text.erase(f.offset, f.size);
    }
    return true;
}

} // namespace obauth
