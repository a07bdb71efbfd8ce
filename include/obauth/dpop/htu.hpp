// The htu of a DPoP proof (RFC 9449 §4.2, §4.3 step 9): the request's URL
// without query and fragment, compared after syntax- and scheme-based
// normalisation (RFC 3986 §6.2.2, §6.2.3): scheme and host in lower case,
// percent-encodings of unreserved characters decoded and the others in
// upper case (an encoded "/" stays encoded: it is not the same path), dot
// segments removed, the default port dropped, an empty path as "/".
//
// Done here rather than with Boost.URL's normalize(), which (1.81) decodes
// "%2F" in paths, and whose parser takes "host:x" as an empty port and a
// path that does not start with "/": both are refused or kept apart here
// (found by the dpop fuzz harness).
#pragma once

#include "error.hpp"

#include "../core/ascii.hpp"
#include "../core/result.hpp"

#include <boost/url/parse.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace obauth::dpop {

namespace detail {

inline bool is_unreserved(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

/// RFC 3986 §6.2.2.2: %XX of unreserved characters decoded, the rest with
/// upper-case hex digits. False on a malformed escape.
inline bool normalize_percent(std::string_view in, std::string& out) {
    static constexpr char hex[] = "0123456789ABCDEF";
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out += in[i];
            continue;
        }
        if (i + 2 >= in.size())
            return false;
        const int hi = hex_digit_value(in[i + 1]);
        const int lo = hex_digit_value(in[i + 2]);
        if (hi < 0 || lo < 0)
            return false;
        const char c = static_cast<char>(hi * 16 + lo);
        if (is_unreserved(c)) {
            out += c;
        } else {
            out += '%';
            out += hex[hi];
            out += hex[lo];
        }
        i += 2;
    }
    return true;
}

/// RFC 3986 §5.2.4, for an absolute path.
inline std::string remove_dot_segments(std::string_view in) {
    std::string out;
    while (!in.empty()) {
        if (in.substr(0, 3) == "/./") {
            in.remove_prefix(2);
        } else if (in == "/.") {
            in = "/";
        } else if (in.substr(0, 4) == "/../") {
            in.remove_prefix(3);
            out.erase(out.empty() ? 0 : out.rfind('/'));
        } else if (in == "/..") {
            in = "/";
            out.erase(out.empty() ? 0 : out.rfind('/'));
        } else {
            const std::size_t next = in.find('/', 1);
            const std::size_t n = next == std::string_view::npos ? in.size() : next;
            out.append(in.data(), n);
            in.remove_prefix(n);
        }
    }
    return out;
}

} // namespace detail

/// The normalised htu of `url` (http or https, a host, no user info), or
/// `url_mismatch` when it is not such a URL.
inline result<std::string> normalized_htu(std::string_view url) {
    auto u = boost::urls::parse_uri(url);
    if (!u)
        return make_error(errc::url_mismatch, "not an absolute URI");
    std::string out = ascii_lower(u->scheme());
    const bool https = out == "https";
    if (!https && out != "http")
        return make_error(errc::url_mismatch, "not an http(s) URI");
    const auto host = u->encoded_host();
    if (u->has_userinfo() || host.empty() || host.find('%') != std::string_view::npos)
        return make_error(errc::url_mismatch, "user info, no host, or an encoded host");
    out += "://";
    out += ascii_lower(std::string_view(host.data(), host.size()));
    const std::string_view port = u->port();
    if (!port.empty()) {
        std::size_t value = 0;
        for (const char c : port) {
            if (c < '0' || c > '9' || value > 65535)
                return make_error(errc::url_mismatch, "bad port");
            value = value * 10 + static_cast<std::size_t>(c - '0');
        }
        if (value > 65535)
            return make_error(errc::url_mismatch, "bad port");
        if (value != (https ? 443u : 80u)) {
            out += ':';
            out += std::to_string(value);
        }
    }
    const auto path = u->encoded_path();
    if (!path.empty() && path.front() != '/')
        return make_error(errc::url_mismatch, "a path that does not start with '/'");
    std::string decoded;
    if (!detail::normalize_percent(std::string_view(path.data(), path.size()), decoded))
        return make_error(errc::url_mismatch, "bad percent-encoding");
    const std::string clean = detail::remove_dot_segments(decoded);
    out += clean.empty() ? std::string("/") : clean;
    return out;
}

} // namespace obauth::dpop
