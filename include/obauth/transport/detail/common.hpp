// What the libcurl and Boost.Beast adapters share: checking options and
// requests before anything is sent, and redirect targets.
#pragma once

#include "../error.hpp"
#include "../options.hpp"

#include "../../core/ascii.hpp"
#include "../../core/result.hpp"
#include "../../http/http_request.hpp"
#include "../../http/url.hpp"

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

inline result<void> check_options(const transport_options& o) {
    if (o.connect_timeout.count() <= 0 || o.timeout.count() <= 0)
        return make_error(errc::invalid_options, "timeouts must be positive");
    if (o.max_response_bytes == 0 || o.max_header_bytes == 0)
        return make_error(errc::invalid_options, "size limits must be positive");
    if (!o.ca_file.empty() && !readable_file(o.ca_file))
        return make_error(errc::invalid_options, "CA file '" + o.ca_file + "' cannot be read");
    if (o.client_certificate) {
        const auto& c = *o.client_certificate;
        if (!readable_file(c.certificate_file) || !readable_file(c.private_key_file))
            return make_error(errc::client_certificate_unusable,
                              "certificate or key file cannot be read");
    }
    return {};
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

/// Whether two URLs share scheme, host and port (credentials stay on one origin).
inline std::uint16_t effective_port(boost::urls::url_view u) {
    if (u.has_port())
        return u.port_number();
    return u.scheme_id() == boost::urls::scheme::https ? 443 : 80;
}
inline bool same_origin(boost::urls::url_view a, boost::urls::url_view b) {
    return a.scheme_id() == b.scheme_id() && a.encoded_host() == b.encoded_host() &&
           effective_port(a) == effective_port(b);
}

} // namespace obauth::transport::detail
