// Freshness of a response for obauth's own caches (JWKS, metadata): the
// Cache-Control directives that matter to a private cache (RFC 9111 §5.2.2)
// and the Age field (§5.1). Parsing is lenient in form and strict in
// meaning: unknown directives are ignored, while an invalid or repeated
// max-age makes the response stale (§4.2.1, §1.2.2) rather than fresh.
#pragma once

#include "headers.hpp"

#include "../core/ascii.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace obauth::http {

struct cache_directives {
    std::optional<std::chrono::seconds> max_age; ///< 0 when the value was invalid
    bool no_store = false;
    bool no_cache = false;
};

/// RFC 9111 §1.2.2 delta-seconds: digits only; values above 2^31 become
/// 2^31. nullopt when `text` is not delta-seconds.
inline std::optional<std::chrono::seconds> parse_delta_seconds(std::string_view text) noexcept {
    if (text.empty())
        return std::nullopt;
    constexpr std::int64_t cap = std::int64_t{1} << 31;
    std::int64_t v = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        v = v * 10 + (c - '0');
        if (v > cap)
            v = cap;
    }
    return std::chrono::seconds(v);
}

/// The directives of every Cache-Control field in `h`.
inline cache_directives parse_cache_control(const http_headers& h) {
    cache_directives d;
    bool seen_max_age = false;
    for (const auto& field : h) {
        if (!ascii_iequals(field.name, "Cache-Control"))
            continue;
        std::string_view rest = field.value;
        while (!rest.empty()) {
            const std::size_t comma = rest.find(',');
            std::string_view item = trim_ows(rest.substr(0, comma));
            rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
            const std::size_t eq = item.find('=');
            const std::string_view name = trim_ows(item.substr(0, eq));
            std::string_view arg =
                eq == std::string_view::npos ? std::string_view() : trim_ows(item.substr(eq + 1));
            if (ascii_iequals(name, "no-store")) {
                d.no_store = true;
            } else if (ascii_iequals(name, "no-cache")) {
                d.no_cache = true;
            } else if (ascii_iequals(name, "max-age")) {
                // §5.2: recipients accept the quoted-string form too.
                if (arg.size() >= 2 && arg.front() == '"' && arg.back() == '"')
                    arg = arg.substr(1, arg.size() - 2);
                auto v = parse_delta_seconds(arg);
                d.max_age = (v && !seen_max_age) ? *v : std::chrono::seconds(0);
                seen_max_age = true;
            }
        }
    }
    return d;
}

/// The Age field (RFC 9111 §5.1); zero when absent or invalid.
inline std::chrono::seconds parse_age(const http_headers& h) {
    const auto* age = find_header(h, "Age");
    if (age == nullptr)
        return std::chrono::seconds(0);
    return parse_delta_seconds(*age).value_or(std::chrono::seconds(0));
}

} // namespace obauth::http
