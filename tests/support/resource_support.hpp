// Shared by the resource module's tests: an issuer with an RS256 key behind a
// JWKS cache, RFC 9068 access tokens made to order, and requests carrying
// them.
#pragma once

#include <obauth/core/json.hpp>
#include <obauth/jose/jwk.hpp>
#include <obauth/jose/jws_sign_options.hpp>
#include <obauth/jose/jwt.hpp>
#include <obauth/oidc/jwks_cache.hpp>
#include <obauth/resource/validator.hpp>
#include <obauth/store/replay_store.hpp>

#include <deque>
#include <memory>
#include <string>

namespace obauth::test::resource_support {

inline const std::string issuer = "https://as.bank.example";
inline const std::string audience = "https://api.bank.example";
inline const time_point issued = from_unix_seconds(1'800'000'000);

inline const jose::jwk& issuer_key() {
    static const jose::jwk k = jose::generate_key(jose::algorithm::RS256, "as-key-1").value();
    return k;
}
/// A key with the issuer's kid that is not in its set.
inline const jose::jwk& impostor_key() {
    static const jose::jwk k = jose::generate_key(jose::algorithm::RS256, "as-key-1").value();
    return k;
}

/// The issuer's key set, fetched once at `issued`.
inline oidc::jwks_cache keys_cache() {
    auto c = oidc::jwks_cache::create(issuer + "/jwks").value();
    auto req = c.begin_fetch(issued);
    (void)req;
    const std::string body =
        R"({"keys":[)" + issuer_key().public_key().to_public_json().dump() + "]}";
    http::http_response r{200, {{"Content-Type", std::string("application/json")}}, body};
    (void)c.on_response(r, issued).value();
    return c;
}

/// RFC 9068 claims of a token issued at `issued`, valid 5 minutes.
inline json claims() {
    return {{"iss", issuer},
            {"aud", audience},
            {"sub", "user-1001"},
            {"client_id", "tpp-42"},
            {"scope", "openid accounts payments"},
            {"jti", "at-1"},
            {"iat", to_unix_seconds(issued)},
            {"exp", to_unix_seconds(issued) + 300}};
}

inline std::string sign(const json& c, const jose::jwk& key = issuer_key(),
                        const char* typ = "at+jwt") {
    jose::jws_sign_options so;
    if (typ != nullptr)
        so.typ = typ;
    return jose::sign_jwt(c, key, so).value();
}

/// Keeps `s` alive for the rest of the test program (requests hold views).
inline std::string_view keep(std::string s) {
    static thread_local std::deque<std::string> kept;
    kept.push_back(std::move(s));
    return kept.back();
}

/// A GET of the accounts endpoint with `authorization` (one header field).
inline resource::resource_request request(std::string authorization) {
    resource::resource_request r;
    r.authorization = {keep(std::move(authorization))};
    r.method = "GET";
    r.url = "https://api.bank.example/accounts";
    return r;
}

inline resource::validator_options options() {
    resource::validator_options o;
    o.issuer = issuer;
    o.audience = audience;
    return o;
}

} // namespace obauth::test::resource_support
