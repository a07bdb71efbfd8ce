// The response half of the transport contract: what the caller's HTTP stack
// hands back. Processors check the status, the media type and the body size
// before they parse anything.
#pragma once

#include "error.hpp"
#include "headers.hpp"

#include "../core/ascii.hpp"
#include "../core/result.hpp"

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace obauth::http {

struct http_response {
    http_response() = default;
    http_response(int s, http_headers h = {}, std::string_view b = {})
        : status(s), headers(std::move(h)), body(b) {}

    int status = 0;
    http_headers headers;
    wiping_string body; ///< may carry tokens: wiped when freed

    const wiping_string* header(std::string_view name) const noexcept {
        return find_header(headers, name);
    }
};

/// The media type of a Content-Type value, without parameters, lower-cased
/// (RFC 9110 §8.3.1: type and subtype are case-insensitive).
inline std::string media_type(std::string_view content_type) {
    return ascii_lower(trim_ows(content_type.substr(0, content_type.find(';'))));
}

/// Whether `status` is one of `ok`.
inline bool status_in(int status, std::initializer_list<int> ok) noexcept {
    for (const int s : ok)
        if (s == status)
            return true;
    return false;
}

/// Whether the response's media type is one of `accepted` (lower-case).
/// A missing Content-Type is accepted only when `allow_missing` is set.
inline result<void> check_media_type(const http_response& r,
                                     std::initializer_list<std::string_view> accepted,
                                     bool allow_missing = false) {
    const wiping_string* ct = r.header("Content-Type");
    if (ct == nullptr) {
        if (allow_missing)
            return {};
        return make_error(errc::unexpected_content_type, "no Content-Type");
    }
    const std::string mt = media_type(*ct);
    std::string expected;
    for (std::string_view a : accepted) {
        if (mt == a)
            return {};
        expected += (expected.empty() ? "" : " or ") + quote(a);
    }
    return make_error(errc::unexpected_content_type,
                      "Content-Type " + quote(mt, 64) + ", expected " + expected);
}

/// Fails when the body is larger than `max_bytes`.
inline result<void> check_body_size(const http_response& r, std::size_t max_bytes) {
    if (r.body.size() > max_bytes)
        return make_error(errc::body_too_large, std::to_string(r.body.size()) + " bytes, limit " +
                                                    std::to_string(max_bytes));
    return {};
}

} // namespace obauth::http
