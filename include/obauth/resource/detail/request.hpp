// The resource validator's reading of a request: the token68 check and the
// access_token query parameter (RFC 6750 §2.3, refused).
#pragma once

#include "../../http/form.hpp"

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace obauth::resource::detail {

/// RFC 7235 token68: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
inline bool is_token68(std::string_view t) noexcept {
    static constexpr auto table = [] {
        std::array<bool, 256> a{};
        for (unsigned c = 0; c < 256; ++c)
            a[c] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                   c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
        return a;
    }();
    std::size_t i = 0;
    while (i < t.size() && table[static_cast<unsigned char>(t[i])])
        ++i;
    if (i == 0)
        return false;
    while (i < t.size() && t[i] == '=')
        ++i;
    return i == t.size();
}

/// Whether the URL's query has a parameter named access_token (its name
/// form-decoded).
inline bool has_access_token_parameter(std::string_view url) {
    const auto q = url.find('?');
    if (q == std::string_view::npos)
        return false;
    std::string_view rest = url.substr(q + 1);
    rest = rest.substr(0, rest.find('#'));
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        const std::string_view name = pair.substr(0, pair.find('='));
        std::string decoded;
        // Longer names cannot decode to the twelve octets of access_token.
        if (name.size() <= 36 && http::form_decode(name, decoded) && decoded == "access_token")
            return true;
        if (amp == std::string_view::npos)
            break;
        rest = rest.substr(amp + 1);
    }
    return false;
}

/// Two dots, as a compact JWS has: anything else goes to introspection.
inline bool looks_like_jws(std::string_view t) noexcept {
    std::size_t dots = 0;
    for (const char c : t)
        dots += c == '.';
    return dots == 2;
}

} // namespace obauth::resource::detail
