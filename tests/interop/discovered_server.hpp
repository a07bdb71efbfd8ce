// What an interop test learns of a real authorization server before it
// starts: its OpenID Connect metadata (the issuer checked) and its keys,
// fetched through the adapter under test.
#pragma once

#include <obauth/core/result.hpp>
#include <obauth/http/http_request.hpp>
#include <obauth/jose/jwks.hpp>
#include <obauth/oauth/error.hpp>
#include <obauth/oidc/discovery.hpp>
#include <obauth/oidc/provider_metadata.hpp>

#include <string>
#include <utility>

namespace obauth::test {

struct discovered_server {
    oidc::provider_metadata metadata;
    jose::jwks keys;
};

template <class Transport>
result<discovered_server> discover(const Transport& t, const std::string& issuer) {
    OBAUTH_TRY(http::http_request req,
               oidc::make_discovery_request(issuer, oidc::metadata_kind::openid_configuration));
    OBAUTH_TRY(http::http_response resp, t(req));
    oidc::metadata_options mo;
    mo.expected_issuer = issuer;
    discovered_server s;
    OBAUTH_TRY(s.metadata, oidc::process_discovery_response(resp, mo));
    if (!s.metadata.jwks_uri)
        return make_error(oauth::errc::invalid_response, "no jwks_uri");
    http::http_request keys_req;
    keys_req.url = *s.metadata.jwks_uri;
    OBAUTH_TRY(http::http_response keys_resp, t(keys_req));
    OBAUTH_TRY(s.keys, jose::parse_jwks(keys_resp.body));
    return s;
}

} // namespace obauth::test
