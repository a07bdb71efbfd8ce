// Where a provider publishes its metadata: OpenID Connect Discovery 1.0 §4
// (`{issuer}/.well-known/openid-configuration`) and RFC 8414 §3.1 (the
// well-known segment inserted between the host and the issuer's path, so
// `https://as.example/tenant` →
// `https://as.example/.well-known/oauth-authorization-server/tenant`).
// The issuer identifier itself must be an https URL without query or
// fragment (RFC 8414 §2, Discovery §2).
#pragma once

#include "error.hpp"

#include "../core/result.hpp"
#include "../http/http_request.hpp"
#include "../http/url.hpp"

#include <string>
#include <string_view>

namespace obauth::oidc {

enum class metadata_kind {
    openid_configuration,       ///< OpenID Connect Discovery 1.0
    oauth_authorization_server, ///< RFC 8414
};

/// The issuer identifier as a URL, or invalid_issuer.
inline result<boost::urls::url> parse_issuer(std::string_view issuer,
                                             const http::url_policy& policy = {}) {
    http::url_policy p = policy;
    p.allow_query = false;
    auto u = http::parse_url(issuer, p);
    if (!u)
        return make_error(errc::invalid_issuer, u.error().detail);
    return u;
}

/// The metadata document's URL for `issuer`.
inline result<boost::urls::url> metadata_url(std::string_view issuer, metadata_kind kind,
                                             const http::url_policy& policy = {}) {
    OBAUTH_TRY(boost::urls::url u, parse_issuer(issuer, policy));
    std::string path(u.encoded_path());
    while (!path.empty() && path.back() == '/')
        path.pop_back(); // both specifications drop a terminating '/'
    if (kind == metadata_kind::openid_configuration)
        path += "/.well-known/openid-configuration";
    else
        path.insert(0, "/.well-known/oauth-authorization-server");
    // The path came from a parsed URL, so it is validly percent-encoded.
    u.set_encoded_path(path);
    return u;
}

/// The GET request for the metadata document.
inline result<http::http_request> make_discovery_request(std::string_view issuer,
                                                         metadata_kind kind,
                                                         const http::url_policy& policy = {}) {
    http::http_request r;
    OBAUTH_TRY(r.url, metadata_url(issuer, kind, policy));
    r.headers.push_back({"Accept", "application/json"});
    return r;
}

} // namespace obauth::oidc
