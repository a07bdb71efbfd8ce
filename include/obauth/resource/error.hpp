// Errors of the resource module: why an incoming request's access token was
// refused. Each maps onto the answer a gateway sends (resource/challenge.hpp):
// RFC 6750 §3.1 (`invalid_request` 400, `invalid_token` 401,
// `insufficient_scope` 403, no error code when the request carries no
// credentials) and RFC 9449 §7.1 (DPoP errors keep their dpop::errc).
#pragma once

#include "../core/error.hpp"

namespace obauth::resource {

enum class errc {
    missing_token = 1,       ///< no Authorization header field
    unsupported_scheme,      ///< neither Bearer nor DPoP
    multiple_authorizations, ///< more than one Authorization header field
    malformed_authorization, ///< not "scheme SP token68"
    token_in_query,          ///< an access_token in the URL (RFC 6750 §2.3 is not accepted)
    token_too_large,         ///< longer than validator_options::max_token_size
    not_a_jwt,               ///< an opaque token and no introspection configured
    invalid_token,           ///< signature, typ, issuer, audience, times (the detail says which)
    missing_claim,           ///< a claim RFC 9068 §2.2 requires is absent or not a string
    unknown_key,             ///< no key with the token's kid: a key set refresh is requested
    keys_unavailable,        ///< no key set yet (never fetched, or too stale)
    unbound_token,           ///< a sender constraint is required and the token has none
    certificate_required,    ///< certificate-bound token, no client certificate presented
    certificate_mismatch,    ///< cnf.x5t#S256 is not the presented certificate's
    dpop_required,           ///< a DPoP-bound token presented as a Bearer token
    not_dpop_bound,          ///< the DPoP scheme with a token that has no cnf.jkt
    insufficient_scope,      ///< a required scope is missing (403)
    consent_not_usable,      ///< the consent behind the token does not allow this (403)
    introspection_required,  ///< an opaque token not introspected yet: not an answer, a step
    introspection_failed,    ///< the introspection endpoint gave no usable answer
    invalid_options,         ///< the validator is configured wrongly
};

} // namespace obauth::resource

namespace obauth {
template <>
struct error_traits<resource::errc> {
    static constexpr const char* name = "obauth.resource";
    static const char* message(resource::errc e) noexcept {
        using resource::errc;
        switch (e) {
        case errc::missing_token:
            return "no access token";
        case errc::unsupported_scheme:
            return "unsupported authorization scheme";
        case errc::multiple_authorizations:
            return "more than one Authorization header";
        case errc::malformed_authorization:
            return "malformed Authorization header";
        case errc::token_in_query:
            return "access token in the URL";
        case errc::token_too_large:
            return "access token too large";
        case errc::not_a_jwt:
            return "not a JWT access token";
        case errc::invalid_token:
            return "invalid access token";
        case errc::missing_claim:
            return "access token claim missing";
        case errc::unknown_key:
            return "access token signed with an unknown key";
        case errc::keys_unavailable:
            return "the issuer's keys are unavailable";
        case errc::unbound_token:
            return "access token not sender-constrained";
        case errc::certificate_required:
            return "certificate-bound token without a client certificate";
        case errc::certificate_mismatch:
            return "client certificate does not match the token";
        case errc::dpop_required:
            return "DPoP-bound token presented as a Bearer token";
        case errc::not_dpop_bound:
            return "DPoP scheme with a token that is not DPoP-bound";
        case errc::insufficient_scope:
            return "insufficient scope";
        case errc::consent_not_usable:
            return "the consent does not allow this request";
        case errc::introspection_required:
            return "the token must be introspected";
        case errc::introspection_failed:
            return "token introspection failed";
        case errc::invalid_options:
            return "invalid resource validator options";
        }
        return "unknown resource error";
    }
    static condition to_condition(resource::errc e) noexcept {
        switch (e) {
        case resource::errc::invalid_options:
            return condition::invalid_state;
        case resource::errc::keys_unavailable:
        case resource::errc::introspection_failed:
            return condition::server_error;
        case resource::errc::introspection_required:
            return condition::invalid_state;
        case resource::errc::missing_token:
        case resource::errc::unsupported_scheme:
        case resource::errc::multiple_authorizations:
        case resource::errc::malformed_authorization:
        case resource::errc::token_in_query:
        case resource::errc::token_too_large:
            return condition::invalid_input;
        default:
            return condition::verification_failed;
        }
    }
};
} // namespace obauth
OBAUTH_ERROR_CODE_ENUM(obauth::resource, errc);
