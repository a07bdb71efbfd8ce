// Errors of the PKCE module.
#pragma once

#include "../core/error.hpp"

#include <system_error>

namespace obauth::pkce {

enum class errc {
    invalid_verifier = 1, ///< a character outside RFC 7636's unreserved set
    invalid_length,       ///< not 43 to 128 characters
    invalid_challenge,    ///< a stored challenge that cannot be right for its method
    unsupported_method,   ///< not "S256" (or "plain")
    plain_not_allowed,    ///< "plain" without the explicit opt-in
    mismatch,             ///< the verifier does not match the challenge
    already_used,         ///< the single-use verifier was already taken
};

} // namespace obauth::pkce

namespace obauth {
template <>
struct error_traits<pkce::errc> {
    static constexpr const char* name = "obauth.pkce";
    static const char* message(pkce::errc e) noexcept {
        switch (e) {
        case pkce::errc::invalid_verifier:
            return "code_verifier has a character outside the unreserved set";
        case pkce::errc::invalid_length:
            return "code_verifier is not 43 to 128 characters";
        case pkce::errc::invalid_challenge:
            return "invalid code_challenge";
        case pkce::errc::unsupported_method:
            return "unsupported code_challenge_method";
        case pkce::errc::plain_not_allowed:
            return "code_challenge_method plain is not allowed";
        case pkce::errc::mismatch:
            return "code_verifier does not match the code_challenge";
        case pkce::errc::already_used:
            return "code_verifier already used";
        }
        return "unknown pkce error";
    }
    static condition to_condition(pkce::errc e) noexcept {
        switch (e) {
        case pkce::errc::mismatch:
            return condition::verification_failed;
        case pkce::errc::already_used:
            return condition::invalid_state;
        default:
            return condition::invalid_input;
        }
    }
};
} // namespace obauth

OBAUTH_ERROR_CODE_ENUM(obauth::pkce, errc);
