// Errors of the dpop module: one code per check of RFC 9449 §4.3, each
// mapping onto the error a server sends back (challenge_error): §5 and
// §7.1 know `invalid_dpop_proof` and `use_dpop_nonce`; a proof that is
// fine but does not fit the token is the token's problem (`invalid_token`).
#pragma once

#include "../core/error.hpp"

#include <string_view>

namespace obauth::dpop {

enum class errc {
    missing_proof = 1,        ///< no DPoP header field
    multiple_proofs,          ///< more than one DPoP header field (§4.3 step 1)
    malformed_proof,          ///< not a compact JWS with a JSON header and claims, or too large
    invalid_typ,              ///< typ is not dpop+jwt
    algorithm_not_allowed,    ///< symmetric, none, or not in the allow-list
    invalid_key,              ///< jwk missing, with private members, or not a usable public key
    invalid_signature,        ///< the signature does not verify with the header's key
    missing_claim,            ///< jti, htm, htu or iat absent or not of the right type
    method_mismatch,          ///< htm is not the request's method
    url_mismatch,             ///< htu is not the request's URL (after normalisation)
    iat_out_of_window,        ///< iat too old or in the future
    nonce_required,           ///< the server requires a nonce and there is none
    nonce_invalid,            ///< the nonce is not one the server issued, or expired
    replayed,                 ///< the jti was seen within the window
    replay_store_unavailable, ///< the replay store gave no answer: refused (fail closed)
    ath_missing,              ///< a proof for a resource request without ath
    ath_mismatch,             ///< ath is not the hash of the presented access token
    key_mismatch,             ///< the proof's key is not the one the token is bound to (cnf.jkt)
    invalid_options,          ///< the caller's configuration is wrong
};

/// The error code a server sends for `e` (RFC 9449 §5, §7.1; RFC 6750 §3.1).
inline std::string_view challenge_error(errc e) noexcept {
    switch (e) {
    case errc::nonce_required:
    case errc::nonce_invalid:
        return "use_dpop_nonce";
    case errc::key_mismatch:
    case errc::ath_mismatch:
        return "invalid_token";
    case errc::invalid_options:
    case errc::replay_store_unavailable:
        return "server_error";
    default:
        return "invalid_dpop_proof";
    }
}

} // namespace obauth::dpop

namespace obauth {
template <>
struct error_traits<dpop::errc> {
    static constexpr const char* name = "obauth.dpop";
    static const char* message(dpop::errc e) noexcept {
        using dpop::errc;
        switch (e) {
        case errc::missing_proof:
            return "no DPoP proof";
        case errc::multiple_proofs:
            return "more than one DPoP proof";
        case errc::malformed_proof:
            return "malformed DPoP proof";
        case errc::invalid_typ:
            return "DPoP proof typ is not dpop+jwt";
        case errc::algorithm_not_allowed:
            return "DPoP proof algorithm not allowed";
        case errc::invalid_key:
            return "DPoP proof key unusable";
        case errc::invalid_signature:
            return "DPoP proof signature invalid";
        case errc::missing_claim:
            return "DPoP proof claim missing or malformed";
        case errc::method_mismatch:
            return "DPoP proof htm does not match the request";
        case errc::url_mismatch:
            return "DPoP proof htu does not match the request";
        case errc::iat_out_of_window:
            return "DPoP proof iat outside the accepted window";
        case errc::nonce_required:
            return "DPoP nonce required";
        case errc::nonce_invalid:
            return "DPoP nonce invalid or expired";
        case errc::replayed:
            return "DPoP proof replayed";
        case errc::replay_store_unavailable:
            return "DPoP replay store unavailable";
        case errc::ath_missing:
            return "DPoP proof without ath";
        case errc::ath_mismatch:
            return "DPoP proof ath does not match the access token";
        case errc::key_mismatch:
            return "DPoP proof key is not the token's";
        case errc::invalid_options:
            return "invalid DPoP options";
        }
        return "unknown dpop error";
    }
    static condition to_condition(dpop::errc e) noexcept {
        switch (e) {
        case dpop::errc::invalid_options:
            return condition::invalid_state;
        case dpop::errc::replay_store_unavailable:
            return condition::server_error;
        case dpop::errc::missing_proof:
        case dpop::errc::multiple_proofs:
        case dpop::errc::malformed_proof:
        case dpop::errc::missing_claim:
            return condition::invalid_input;
        default:
            return condition::verification_failed;
        }
    }
};
} // namespace obauth
OBAUTH_ERROR_CODE_ENUM(obauth::dpop, errc);

namespace obauth::dpop {
/// challenge_error for any error code verify_proof returned.
inline std::string_view challenge_error(const std::error_code& ec) noexcept {
    if (ec.category() != error_category_for<errc>())
        return "invalid_dpop_proof";
    return challenge_error(static_cast<errc>(ec.value()));
}
} // namespace obauth::dpop
