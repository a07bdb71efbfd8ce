// Endpoint URLs: every URL obauth sends a request to, or accepts from a
// server's metadata, is parsed here with Boost.URL and held to the rules of
// RFC 6749 §3.1/§3.2 (absolute, no fragment), RFC 8414 §2 and FAPI 1.0
// (TLS everywhere). Plain http is refused unless the caller opts in for
// loopback addresses (RFC 8252 §7.3 style test servers); only IP literals
// count as loopback, because a name like "localhost" is whatever the
// resolver says it is.
#pragma once

#include "error.hpp"

#include "../core/result.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <boost/url/url_view.hpp>

#include <string>
#include <string_view>

namespace obauth::http {

struct url_policy {
    /// Accept `http://127.0.0.0/8` and `http://[::1]` (tests, local servers).
    bool allow_http_loopback = false;
    /// Accept a query component (RFC 6749 allows one on endpoints; an
    /// issuer identifier must not have one, RFC 8414 §2).
    bool allow_query = true;
};

/// Whether the URL's host is an IPv4 loopback address (127.0.0.0/8) or ::1.
inline bool is_loopback(boost::urls::url_view u) noexcept {
    if (u.host_type() == boost::urls::host_type::ipv4)
        return u.host_ipv4_address().is_loopback();
    if (u.host_type() == boost::urls::host_type::ipv6)
        return u.host_ipv6_address().is_loopback();
    return false;
}

namespace detail {
inline std::string quote_url(std::string_view text) {
    // URLs in error details are cut short: a query could carry a secret.
    std::string d = "'";
    d.append(text.substr(0, text.find_first_of("?#")).substr(0, 120));
    d += "'";
    return d;
}
} // namespace detail

/// Checks an already parsed URL against the policy.
inline result<void> check_url(boost::urls::url_view u, const url_policy& policy = {}) {
    const std::string where = detail::quote_url(u.buffer());
    if (!u.has_scheme() || !u.has_authority() || u.encoded_host().empty())
        return make_error(errc::invalid_url, where + " is not an absolute URL with a host");
    if (u.host_type() == boost::urls::host_type::ipvfuture)
        return make_error(errc::invalid_url, where + " has an IPvFuture host");
    // Boost.URL 1.81 lets a path follow the authority without a '/':
    // "https://127.0.0.1.evil.example/" parses as host 127.0.0.1 with path
    // ".evil.example/", while an HTTP stack would connect to the whole name.
    // RFC 3986 §3.3: after an authority the path is empty or starts with '/'.
    if (!u.encoded_path().empty() && u.encoded_path().front() != '/')
        return make_error(errc::invalid_url, where + " has an invalid host");
    if (u.has_port()) {
        // port_number() wraps modulo 2^16 (99999 reads as 34463).
        const auto port = u.port();
        unsigned long value = 0;
        for (const char c : port)
            value = value > 65535 ? value : value * 10 + static_cast<unsigned long>(c - '0');
        if (port.empty() || value == 0 || value > 65535)
            return make_error(errc::invalid_url, where + " has an invalid port");
    }
    if (u.has_userinfo())
        return make_error(errc::forbidden_url_component, where + " has user-info");
    if (u.has_fragment())
        return make_error(errc::forbidden_url_component, where + " has a fragment");
    if (!policy.allow_query && u.has_query())
        return make_error(errc::forbidden_url_component, where + " has a query");
    switch (u.scheme_id()) {
    case boost::urls::scheme::https:
        return {};
    case boost::urls::scheme::http:
        if (policy.allow_http_loopback && is_loopback(u))
            return {};
        return make_error(
            errc::insecure_url,
            where + (policy.allow_http_loopback ? " is http and not loopback" : " is http"));
    default:
        return make_error(errc::insecure_url, where + " is not https");
    }
}

/// Parses and checks an endpoint URL.
inline result<boost::urls::url> parse_url(std::string_view text, const url_policy& policy = {}) {
    auto parsed = boost::urls::parse_uri(boost::urls::string_view(text.data(), text.size()));
    if (!parsed)
        return make_error(errc::invalid_url, detail::quote_url(text) + " is not a URI (RFC 3986)");
    OBAUTH_TRY_VOID(check_url(*parsed, policy));
    return boost::urls::url(*parsed);
}

} // namespace obauth::http
