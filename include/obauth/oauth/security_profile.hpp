// The options of the authorization code flow and the security profiles a
// flow can be held to. A preset fills the options a profile needs; the
// flow's create() runs check_profile and refuses a client or options that
// break the profile the options name, with the rule in the error:
//
//   fapi1_advanced()        FAPI 1.0 Advanced (Final)
//   fapi2_security()        FAPI 2.0 Security Profile
//   fapi2_message_signing() FAPI 2.0 Message Signing (on top of Security)
//
// FAPI 2.0 wants PAR, PKCE S256 (always used by the flow), response type
// `code` with RFC 9207 `iss`, tokens bound by DPoP (client::dpop) or mTLS,
// client authentication by private_key_jwt (audience: the issuer alone) or
// mTLS, and PS256, ES256 or EdDSA. Message Signing adds a signed request
// object and a JARM response; signed introspection answers are asked for
// with make_introspection_request(..., jwt_response = true) and checked
// with introspection_options.
#pragma once

#include "authorization_request.hpp"
#include "client.hpp"
#include "error.hpp"
#include "token_response.hpp"

#include "../core/result.hpp"
#include "../jose/algorithm.hpp"
#include "../jose/jwk.hpp"
#include "../jose/jwks.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace obauth::oauth {

/// How the authorization response is protected against tampering.
enum class response_protection {
    none,   ///< plain query parameters (state, PKCE and iss still checked)
    jarm,   ///< a signed JWT response (response_mode=jwt)
    hybrid, ///< response_type "code id_token": ID token with c_hash and s_hash
};

/// The profile a flow is held to.
enum class security_profile : std::uint8_t {
    none,
    fapi1_advanced,
    fapi2_security,
    fapi2_message_signing,
};

/// Verify a JWT access token's cnf binding to the client certificate.
struct access_token_binding {
    std::string thumbprint; ///< x5t#S256 of the client certificate
    std::string audience;   ///< the resource server the access token is for
};

struct authorization_code_options {
    std::string redirect_uri;
    std::vector<std::string> scope;
    response_protection protection = response_protection::none;
    bool use_par = false;
    /// Sign the request (RFC 9101) with this key; by value or via PAR.
    std::optional<jose::jwk> request_object_key;
    request_object_options request_object;
    /// The issuer's keys: ID tokens and JARM responses.
    jose::jwks issuer_keys;
    /// The algorithms accepted for ID tokens and JARM responses. Unset: the
    /// one the client registered for each (client::id_token_signed_response_alg,
    /// client::authorization_signed_response_alg; RS256 by default), which
    /// the provider must list in its metadata when it lists any. Never taken
    /// from a token's header. The FAPI presets pin PS256 and ES256.
    std::optional<jose::algorithm_set> algorithms;
    /// Further request parameters (resources, authorization_details,
    /// max_age, acr_values, prompt, claims, extra); the flow sets
    /// response_type, response_mode, redirect_uri, scope, state, nonce and
    /// the code challenge itself.
    authorization_request parameters;
    /// RFC 9207: require iss in the response; by default when the server
    /// advertises authorization_response_iss_parameter_supported.
    std::optional<bool> require_iss;
    token_response_options token_response;
    std::optional<access_token_binding> binding;
    /// ID tokens issued (iat) longer ago than this are refused, on top of
    /// their exp: a provider profile sets its bank's ID token lifetime.
    std::chrono::seconds id_token_max_iat_age{600};
    /// The profile create() checks (set by the presets below).
    security_profile profile = security_profile::none;
};

/// FAPI 1.0 Advanced: PAR, a signed request object, PKCE S256, PS256/ES256,
/// JARM (or the hybrid flow), iss checked, certificate-bound tokens.
inline authorization_code_options
fapi1_advanced(std::string redirect_uri, std::vector<std::string> scope,
               jose::jwk request_object_key, jose::jwks issuer_keys,
               response_protection p = response_protection::jarm) {
    authorization_code_options o;
    o.redirect_uri = std::move(redirect_uri);
    o.scope = std::move(scope);
    o.protection = p;
    o.use_par = true;
    o.request_object_key = std::move(request_object_key);
    o.issuer_keys = std::move(issuer_keys);
    o.algorithms = jose::fapi_algorithms;
    o.profile = security_profile::fapi1_advanced;
    return o;
}

/// FAPI 2.0 Security Profile: PAR, PKCE S256, response type code with iss
/// required, PS256/ES256/EdDSA for ID tokens. The client brings the sender
/// constraint (client::dpop or a client certificate) and its
/// authentication (private_key_jwt or mTLS); `issuer_keys` may be empty
/// when no ID token is asked for.
inline authorization_code_options
fapi2_security(std::string redirect_uri, std::vector<std::string> scope, jose::jwks issuer_keys) {
    authorization_code_options o;
    o.redirect_uri = std::move(redirect_uri);
    o.scope = std::move(scope);
    o.use_par = true;
    o.issuer_keys = std::move(issuer_keys);
    o.algorithms = jose::fapi2_algorithms;
    o.require_iss = true;
    o.profile = security_profile::fapi2_security;
    return o;
}

/// FAPI 2.0 Message Signing: the Security Profile with a signed request
/// object (JAR, pushed) and a signed authorization response (JARM).
inline authorization_code_options fapi2_message_signing(std::string redirect_uri,
                                                        std::vector<std::string> scope,
                                                        jose::jwk request_object_key,
                                                        jose::jwks issuer_keys) {
    authorization_code_options o =
        fapi2_security(std::move(redirect_uri), std::move(scope), std::move(issuer_keys));
    o.request_object_key = std::move(request_object_key);
    o.protection = response_protection::jarm;
    o.profile = security_profile::fapi2_message_signing;
    return o;
}

namespace detail {
/// `chosen`, else `key`'s own algorithm, is in `allowed`.
inline bool signs_within(const std::optional<jose::algorithm>& chosen, const jose::jwk& key,
                         jose::algorithm_set allowed) {
    auto a = chosen ? result<jose::algorithm>(*chosen) : key.default_algorithm();
    return a && allowed.contains(*a);
}

inline result<void> check_fapi1(const client& c, const authorization_code_options& o) {
    auto fail = [](const char* what) { return make_error(errc::invalid_options, what); };
    if (!o.use_par)
        return fail("FAPI: pushed authorization requests are required");
    if (!o.request_object_key)
        return fail("FAPI: a signed request object is required");
    if (!signs_within(o.request_object.alg, *o.request_object_key, jose::fapi_algorithms))
        return fail("FAPI: the request object is signed with PS256 or ES256");
    if (o.protection == response_protection::none)
        return fail("FAPI: JARM or the hybrid flow is required");
    if (!o.algorithms || !(*o.algorithms == jose::fapi_algorithms))
        return fail("FAPI: only PS256 and ES256 are accepted");
    const auth_method m = c.auth.method();
    if (m == auth_method::private_key_jwt) {
        if (!signs_within(c.auth.algorithm(), *c.auth.key(), jose::fapi_algorithms))
            return fail("FAPI: private_key_jwt is signed with PS256 or ES256");
    } else if (!c.auth.uses_client_certificate()) {
        return fail("FAPI: client authentication is private_key_jwt or tls_client_auth");
    }
    if (!c.uses_client_certificate())
        return fail("FAPI: access tokens are bound to the client certificate (mTLS)");
    return {};
}

inline result<void> check_fapi2(const client& c, const authorization_code_options& o) {
    auto fail = [](const char* what) { return make_error(errc::invalid_options, what); };
    const auto algs = jose::fapi2_algorithms;
    if (!o.use_par)
        return fail("FAPI 2.0: pushed authorization requests are required");
    if (o.protection == response_protection::hybrid)
        return fail("FAPI 2.0: response type code only (no hybrid or implicit flow)");
    if (o.require_iss != true)
        return fail("FAPI 2.0: the authorization response must carry iss (RFC 9207)");
    if (!o.algorithms || !o.algorithms->subset_of(algs))
        return fail("FAPI 2.0: only PS256, ES256 and EdDSA are accepted");
    if (o.request_object_key && !signs_within(o.request_object.alg, *o.request_object_key, algs))
        return fail("FAPI 2.0: the request object is signed with PS256, ES256 or EdDSA");
    if (o.profile == security_profile::fapi2_message_signing) {
        if (!o.request_object_key)
            return fail("FAPI 2.0 Message Signing: a signed request object is required");
        if (o.protection != response_protection::jarm)
            return fail("FAPI 2.0 Message Signing: a signed authorization response (JARM) is "
                        "required");
    }
    const auth_method m = c.auth.method();
    if (m == auth_method::private_key_jwt) {
        if (!signs_within(c.auth.algorithm(), *c.auth.key(), algs))
            return fail("FAPI 2.0: private_key_jwt is signed with PS256, ES256 or EdDSA");
        if (c.auth.assertion_audience_sources !=
            std::vector<audience_source>{audience_source::issuer})
            return fail("FAPI 2.0: the client assertion's audience is the issuer alone");
    } else if (!c.auth.uses_client_certificate()) {
        return fail("FAPI 2.0: client authentication is private_key_jwt or tls_client_auth");
    }
    if (c.dpop) {
        if (!c.dpop->require_binding())
            return fail("FAPI 2.0: DPoP-bound tokens must be required (no Bearer fallback)");
        auto a = c.dpop->algorithm();
        if (!a || !algs.contains(*a))
            return fail("FAPI 2.0: DPoP proofs are signed with PS256, ES256 or EdDSA");
    } else if (!c.uses_client_certificate()) {
        return fail("FAPI 2.0: access tokens are sender-constrained (client::dpop or mTLS)");
    }
    return {};
}

/// The rules of the profile `o` names, applied to `c` and `o`.
inline result<void> check_profile(const client& c, const authorization_code_options& o) {
    switch (o.profile) {
    case security_profile::none:
        return {};
    case security_profile::fapi1_advanced:
        return check_fapi1(c, o);
    case security_profile::fapi2_security:
    case security_profile::fapi2_message_signing:
        return check_fapi2(c, o);
    }
    return {};
}
} // namespace detail

} // namespace obauth::oauth
