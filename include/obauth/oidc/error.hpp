// Errors of the OpenID Connect module: provider metadata, the JWKS cache and
// ID token validation. Every ID token rule has its own code, so a caller (or
// a log) can tell exactly which check refused a token. Signature-level
// failures keep their obauth::jose codes (invalid_signature, key_not_found,
// algorithm_not_allowed, ...), decryption failures their obauth::jwe codes.
#pragma once

#include "../core/error.hpp"

#include <system_error>

namespace obauth::oidc {

enum class errc {
    // Provider metadata (OpenID Connect Discovery 1.0 §3-4, RFC 8414 §2-3)
    invalid_issuer = 1,       ///< the expected issuer is not a valid issuer identifier
    metadata_invalid,         ///< not a JSON object, or a member of the wrong type
    metadata_missing_member,  ///< a required member is absent
    metadata_issuer_mismatch, ///< `issuer` differs from the expected issuer
    metadata_invalid_url,     ///< an endpoint is not an absolute https URL
    endpoint_not_advertised,  ///< the metadata has no such endpoint
    fapi_noncompliant,        ///< the metadata fails the FAPI 1.0 Advanced check
    // JWKS cache
    jwks_invalid,     ///< the fetched document is not a usable JWK Set
    jwks_unavailable, ///< no keys yet (never fetched successfully)
    no_fetch_pending, ///< a response arrived although no fetch was started
    // ID token (OpenID Connect Core 1.0 §3.1.3.7, §3.3.2.12; FAPI 1.0 Advanced §5.2.2)
    id_token_invalid_claim,      ///< a claim has the wrong JSON type
    id_token_issuer_mismatch,    ///< `iss` is not the issuer
    id_token_sub_missing,        ///< no `sub`
    id_token_audience_mismatch,  ///< `aud` does not contain the client_id
    id_token_untrusted_audience, ///< `aud` lists an audience the client does not trust
    id_token_azp_missing,        ///< several audiences and no `azp`
    id_token_azp_mismatch,       ///< `azp` is not the client_id
    id_token_exp_missing,        ///< no `exp`
    id_token_expired,            ///< `exp` has passed
    id_token_not_yet_valid,      ///< `nbf` is in the future
    id_token_iat_missing,        ///< no `iat`
    id_token_issued_in_future,   ///< `iat` is in the future
    id_token_too_old,            ///< `iat` older than the allowed age
    id_token_auth_time_missing,  ///< `auth_time` required (max_age requested) but absent
    id_token_auth_time_invalid,  ///< `auth_time` in the future
    id_token_auth_too_old,       ///< the authentication is older than max_age
    id_token_nonce_missing,      ///< a nonce was sent and the token has none
    id_token_nonce_mismatch,     ///< `nonce` differs from the one sent
    id_token_acr_missing,        ///< an acr was requested as essential and the token has none
    id_token_acr_not_accepted,   ///< `acr` is not one of the requested values
    at_hash_missing,             ///< `at_hash` required and absent
    at_hash_mismatch,            ///< `at_hash` does not match the access token
    c_hash_missing,              ///< `c_hash` required (hybrid flow) and absent
    c_hash_mismatch,             ///< `c_hash` does not match the code
    s_hash_missing,              ///< `s_hash` required (FAPI hybrid flow) and absent
    s_hash_mismatch,             ///< `s_hash` does not match the state
    /// A hash claim (at_hash, c_hash, s_hash) is present and the caller gave
    /// no value to check it against: the token cannot be validated as is.
    token_hash_unverifiable,
    // Encrypted responses (OpenID Connect Core §10.2, Registration §2)
    response_not_encrypted, ///< encryption was registered and the response is not a JWE
    response_encrypted,     ///< a JWE arrived and no encryption was registered
};

} // namespace obauth::oidc

namespace obauth {
template <>
struct error_traits<oidc::errc> {
    static constexpr const char* name = "obauth.oidc";
    static const char* message(oidc::errc e) noexcept {
        using oidc::errc;
        switch (e) {
        case errc::invalid_issuer:
            return "invalid issuer identifier";
        case errc::metadata_invalid:
            return "invalid provider metadata";
        case errc::metadata_missing_member:
            return "provider metadata lacks a required member";
        case errc::metadata_issuer_mismatch:
            return "provider metadata issuer differs from the expected issuer";
        case errc::metadata_invalid_url:
            return "provider metadata has an invalid endpoint URL";
        case errc::endpoint_not_advertised:
            return "endpoint not advertised in the provider metadata";
        case errc::fapi_noncompliant:
            return "provider metadata does not meet FAPI 1.0 Advanced";
        case errc::jwks_invalid:
            return "fetched JWK Set is invalid";
        case errc::jwks_unavailable:
            return "no JWK Set available yet";
        case errc::no_fetch_pending:
            return "JWKS response without a pending fetch";
        case errc::id_token_invalid_claim:
            return "ID token claim has the wrong type";
        case errc::id_token_issuer_mismatch:
            return "ID token iss is not the issuer";
        case errc::id_token_sub_missing:
            return "ID token has no sub";
        case errc::id_token_audience_mismatch:
            return "ID token aud does not contain the client_id";
        case errc::id_token_untrusted_audience:
            return "ID token aud contains an untrusted audience";
        case errc::id_token_azp_missing:
            return "ID token has several audiences and no azp";
        case errc::id_token_azp_mismatch:
            return "ID token azp is not the client_id";
        case errc::id_token_exp_missing:
            return "ID token has no exp";
        case errc::id_token_expired:
            return "ID token expired";
        case errc::id_token_not_yet_valid:
            return "ID token not yet valid (nbf)";
        case errc::id_token_iat_missing:
            return "ID token has no iat";
        case errc::id_token_issued_in_future:
            return "ID token iat is in the future";
        case errc::id_token_too_old:
            return "ID token iat is too old";
        case errc::id_token_auth_time_missing:
            return "ID token has no auth_time";
        case errc::id_token_auth_time_invalid:
            return "ID token auth_time is in the future";
        case errc::id_token_auth_too_old:
            return "authentication older than max_age";
        case errc::id_token_nonce_missing:
            return "ID token has no nonce";
        case errc::id_token_nonce_mismatch:
            return "ID token nonce does not match";
        case errc::id_token_acr_missing:
            return "ID token has no acr";
        case errc::id_token_acr_not_accepted:
            return "ID token acr is not one of the requested values";
        case errc::at_hash_missing:
            return "ID token has no at_hash";
        case errc::at_hash_mismatch:
            return "ID token at_hash does not match the access token";
        case errc::c_hash_missing:
            return "ID token has no c_hash";
        case errc::c_hash_mismatch:
            return "ID token c_hash does not match the code";
        case errc::s_hash_missing:
            return "ID token has no s_hash";
        case errc::s_hash_mismatch:
            return "ID token s_hash does not match the state";
        case errc::token_hash_unverifiable:
            return "ID token hash claim cannot be checked: no value to compare";
        case errc::response_not_encrypted:
            return "response not encrypted although encryption was registered";
        case errc::response_encrypted:
            return "response encrypted but no encryption was registered";
        }
        return "unknown oidc error";
    }
    static condition to_condition(oidc::errc e) noexcept {
        using oidc::errc;
        switch (e) {
        case errc::invalid_issuer:
            return condition::invalid_input;
        case errc::metadata_invalid:
        case errc::metadata_missing_member:
        case errc::metadata_invalid_url:
        case errc::endpoint_not_advertised:
        case errc::fapi_noncompliant:
        case errc::jwks_invalid:
            return condition::protocol_error;
        case errc::jwks_unavailable:
        case errc::no_fetch_pending:
            return condition::invalid_state;
        case errc::id_token_invalid_claim:
            return condition::invalid_input;
        case errc::response_encrypted:
            return condition::protocol_error;
        default: // the issuer mismatch and every ID token rule
            return condition::verification_failed;
        }
    }
};
} // namespace obauth

OBAUTH_ERROR_CODE_ENUM(obauth::oidc, errc);
