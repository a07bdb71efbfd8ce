// What the libcurl and Boost.Beast adapters share: checking options and
// requests before anything is sent, and redirect targets.
#pragma once

#include "../error.hpp"
#include "../options.hpp"

#include "../../core/ascii.hpp"
#include "../../core/result.hpp"
#include "../../http/http_request.hpp"
#include "../../http/url.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <boost/url/url_view.hpp>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace obauth::transport::detail {

inline bool readable_file(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr)
        return false;
    std::fclose(f);
    return true;
}

/// RFC 9110 §5.1 field names are tokens; values carry no CR, LF or NUL
/// (§5.5), so nothing can be smuggled into the message.
inline bool valid_field_name(std::string_view n) noexcept {
    if (n.empty())
        return false;
    for (const char c : n) {
        const bool alnum =
            (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos)
            return false;
    }
    return true;
}
inline bool valid_field_value(std::string_view v) noexcept {
    return v.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

/// The proxy option as host and port: "http://host:port" and nothing more
/// (no credentials, path, query or fragment).
inline result<boost::urls::url> parse_proxy(const std::string& proxy) {
    auto u = boost::urls::parse_absolute_uri(proxy);
    if (!u || u->scheme_id() != boost::urls::scheme::http || !u->has_authority() ||
        u->encoded_host().empty() || u->has_userinfo() || !u->has_port() || u->port_number() == 0 ||
        !(u->encoded_path().empty() || u->encoded_path() == "/") || u->has_query() ||
        u->has_fragment())
        return make_error(errc::invalid_options, "proxy must be http://host:port");
    return boost::urls::url(*u);
}

inline result<void> check_options(const transport_options& o) {
    if (o.connect_timeout.count() <= 0 || o.timeout.count() <= 0)
        return make_error(errc::invalid_options, "timeouts must be positive");
    if (o.max_response_bytes == 0 || o.max_header_bytes == 0)
        return make_error(errc::invalid_options, "size limits must be positive");
    if (!o.ca_file.empty() && !readable_file(o.ca_file))
        return make_error(errc::invalid_options, "CA file '" + o.ca_file + "' cannot be read");
    if (!valid_field_value(o.user_agent))
        return make_error(errc::invalid_options, "user_agent has CR, LF or NUL");
    if (!o.proxy.empty())
        OBAUTH_TRY_VOID(parse_proxy(o.proxy));
    if (o.client_certificate) {
        const auto& c = *o.client_certificate;
        if (!readable_file(c.certificate_file) || !readable_file(c.private_key_file))
            return make_error(errc::client_certificate_unusable,
                              "certificate or key file cannot be read");
    }
    return {};
}

inline http::url_policy url_policy_of(const transport_options& o) {
    http::url_policy p;
    p.allow_http_loopback = o.allow_http_loopback;
    return p;
}

/// Refuses, before anything is sent: a URL that is not https (or loopback
/// http when allowed), header fields that break the message or its framing
/// (Host, Content-Length, Transfer-Encoding and Connection are the
/// transport's), and a request
/// for mTLS without a configured certificate.
inline result<void> check_request(const http::http_request& r, const transport_options& o) {
    OBAUTH_TRY_VOID(http::check_url(r.url, url_policy_of(o)));
    for (const auto& f : r.headers) {
        if (!valid_field_name(f.name))
            return make_error(errc::invalid_request, "invalid header field name");
        for (std::string_view framing :
             {"Host", "Content-Length", "Transfer-Encoding", "Connection"})
            if (ascii_iequals(f.name, framing))
                return make_error(errc::invalid_request,
                                  std::string(framing) + " is set by the transport");
        if (!valid_field_value(f.value))
            return make_error(errc::invalid_request,
                              "header field '" + f.name.substr(0, 64) + "' has CR, LF or NUL");
    }
    if (r.use_client_certificate && !o.client_certificate)
        return make_error(errc::no_client_certificate);
    return {};
}

/// Where a redirect from `from` to `location` goes, if the options allow it.
inline result<boost::urls::url>
redirect_target(boost::urls::url_view from, std::string_view location, const transport_options& o) {
    auto ref = boost::urls::parse_uri_reference(
        boost::urls::string_view(location.data(), location.size()));
    if (!ref)
        return make_error(errc::redirect_refused, "Location is not a URI reference");
    boost::urls::url target;
    if (!boost::urls::resolve(from, *ref, target))
        return make_error(errc::redirect_refused, "Location cannot be resolved");
    target.remove_fragment();
    auto ok = http::check_url(target, url_policy_of(o));
    if (!ok)
        return make_error(errc::redirect_refused, ok.error().to_string());
    return target;
}

/// The port of `u`, or its scheme's default.
inline std::uint16_t effective_port(boost::urls::url_view u) {
    if (u.has_port())
        return u.port_number();
    return u.scheme_id() == boost::urls::scheme::https ? 443 : 80;
}
/// Whether two URLs share scheme, host and port (credentials stay on one origin).
inline bool same_origin(boost::urls::url_view a, boost::urls::url_view b) {
    return a.scheme_id() == b.scheme_id() && a.encoded_host() == b.encoded_host() &&
           effective_port(a) == effective_port(b);
}

inline bool is_redirect(int status) noexcept {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

/// One request as an adapter sends it, hop after hop of redirects: it
/// starts as the caller's request and only ever loses what it carries.
struct hop {
    http::http_method method;
    boost::urls::url url;
    http::http_headers headers;
    std::string_view body; ///< the caller's body, or empty
    bool use_client_certificate;

    explicit hop(const http::http_request& r)
        : method(r.method), url(r.url), headers(r.headers), body(r.body),
          use_client_certificate(r.use_client_certificate) {}
};

/// Header fields that may follow a redirect to another origin: none that
/// can carry a credential or an API key.
inline bool crosses_origins(std::string_view name) noexcept {
    for (std::string_view ok : {"Accept", "Accept-Language", "User-Agent"})
        if (ascii_iequals(name, ok))
            return true;
    return false;
}

/// The one redirect policy of both adapters: moves `h` to where a 3xx
/// answer with `location` points, or refuses. RFC 9110 §15.4: 303 always,
/// and 301/302 after POST (as browsers do), become GET without a body. To
/// another origin nothing that identifies the client goes along: no client
/// certificate, no body (a 307/308 that would resend one is refused), only
/// the allow-listed header fields. What a hop drops stays dropped, even if
/// a later redirect leads back.
inline result<void> follow_redirect(hop& h, int status, std::string_view location,
                                    const transport_options& o) {
    OBAUTH_TRY(boost::urls::url next, redirect_target(h.url, location, o));
    if (status == 303 ||
        ((status == 301 || status == 302) && h.method == http::http_method::post)) {
        h.method = http::http_method::get;
        h.body = {};
        http::erase_header(h.headers, "Content-Type");
    }
    if (!same_origin(h.url, next)) {
        if (!h.body.empty())
            return make_error(errc::redirect_would_send_body,
                              std::to_string(status) + " to another origin");
        h.use_client_certificate = false;
        for (auto it = h.headers.begin(); it != h.headers.end();)
            it = crosses_origins(it->name) ? it + 1 : h.headers.erase(it);
    }
    h.url = std::move(next);
    return {};
}

} // namespace obauth::transport::detail
