// Errors of the JOSE module (JWK, JWKS, JWS, JWT), each mapped onto one of
// the coarse obauth::condition values.
#pragma once

#include "../core/error.hpp"

#include <system_error>

namespace obauth::jose {

enum class errc {
    // Keys
    invalid_key = 1,      ///< a JWK/PEM/DER key is malformed or inconsistent
    unsupported_key,      ///< key type or curve not supported
    weak_key,             ///< RSA modulus or HMAC secret below the policy minimum
    private_key_refused,  ///< private members where only public keys are accepted
    private_key_required, ///< signing needs a private key
    key_use_mismatch,     ///< `use`/`key_ops` forbid this operation
    // Algorithms
    unsupported_algorithm,  ///< not a JWS algorithm obauth implements (including "none")
    algorithm_not_allowed,  ///< not in the caller's allow-list
    algorithm_key_mismatch, ///< the algorithm cannot be used with this key
    // Serialization and headers
    malformed,            ///< not a JWS/JWT in the expected serialization
    too_large,            ///< over a configured size limit
    invalid_header,       ///< protected header not an object, wrong member types
    invalid_crit,         ///< `crit` misused (RFC 7515 §4.1.11)
    unsupported_critical, ///< `crit` names an extension the caller does not understand
    invalid_b64,          ///< `b64` misused (RFC 7797)
    // Verification
    invalid_signature,   ///< the signature does not verify
    malformed_signature, ///< wrong length, DER instead of R||S, r or s out of range
    key_not_found,       ///< no key with the token's `kid`
    ambiguous_key,       ///< several keys match and the caller did not opt in
    // JWT claims
    invalid_claim,     ///< a claim has the wrong type or an insane value
    missing_claim,     ///< a required claim is absent
    expired,           ///< `exp` has passed
    not_yet_valid,     ///< `nbf` is in the future
    issued_in_future,  ///< `iat` is in the future
    too_old,           ///< `iat` older than the maximum age
    lifetime_too_long, ///< `exp` - `iat` above the policy maximum
    issuer_mismatch,   ///< `iss` differs from the expected issuer
    audience_mismatch, ///< `aud` contains none of the accepted audiences
    subject_mismatch,  ///< `sub` differs from the expected subject
    type_mismatch,     ///< `typ` differs from the expected type (RFC 8725 §3.11)
    // Platform
    crypto_failure, ///< OpenSSL failed for reasons unrelated to the input
};

} // namespace obauth::jose

namespace obauth {
template <>
struct error_traits<jose::errc> {
    static constexpr const char* name = "obauth.jose";
    static const char* message(jose::errc e) noexcept {
        using jose::errc;
        switch (e) {
        case errc::invalid_key:
            return "invalid key";
        case errc::unsupported_key:
            return "unsupported key type or curve";
        case errc::weak_key:
            return "key too weak for the policy";
        case errc::private_key_refused:
            return "private key material where a public key is expected";
        case errc::private_key_required:
            return "a private key is required";
        case errc::key_use_mismatch:
            return "key use or key_ops forbid this operation";
        case errc::unsupported_algorithm:
            return "unsupported algorithm";
        case errc::algorithm_not_allowed:
            return "algorithm not allowed";
        case errc::algorithm_key_mismatch:
            return "algorithm does not match the key";
        case errc::malformed:
            return "malformed JWS";
        case errc::too_large:
            return "input too large";
        case errc::invalid_header:
            return "invalid JOSE header";
        case errc::invalid_crit:
            return "invalid crit header parameter";
        case errc::unsupported_critical:
            return "unsupported critical header parameter";
        case errc::invalid_b64:
            return "invalid b64 header parameter";
        case errc::invalid_signature:
            return "signature verification failed";
        case errc::malformed_signature:
            return "malformed signature";
        case errc::key_not_found:
            return "no matching key";
        case errc::ambiguous_key:
            return "several keys match";
        case errc::invalid_claim:
            return "invalid claim";
        case errc::missing_claim:
            return "missing claim";
        case errc::expired:
            return "token expired";
        case errc::not_yet_valid:
            return "token not yet valid";
        case errc::issued_in_future:
            return "token issued in the future";
        case errc::too_old:
            return "token too old";
        case errc::lifetime_too_long:
            return "token lifetime too long";
        case errc::issuer_mismatch:
            return "issuer mismatch";
        case errc::audience_mismatch:
            return "audience mismatch";
        case errc::subject_mismatch:
            return "subject mismatch";
        case errc::type_mismatch:
            return "type mismatch";
        case errc::crypto_failure:
            return "cryptographic library failure";
        }
        return "unknown jose error";
    }
    static condition to_condition(jose::errc e) noexcept {
        using jose::errc;
        switch (e) {
        case errc::invalid_signature:
        case errc::malformed_signature:
        case errc::key_not_found:
        case errc::expired:
        case errc::not_yet_valid:
        case errc::issued_in_future:
        case errc::too_old:
        case errc::lifetime_too_long:
        case errc::issuer_mismatch:
        case errc::audience_mismatch:
        case errc::subject_mismatch:
        case errc::type_mismatch:
        case errc::algorithm_not_allowed:
        case errc::algorithm_key_mismatch:
            return condition::verification_failed;
        case errc::crypto_failure:
            return condition::internal_error;
        default:
            return condition::invalid_input;
        }
    }
};
} // namespace obauth

OBAUTH_ERROR_CODE_ENUM(obauth::jose, errc);
