// Errors of the jwe module. Every failure to decrypt a well-formed JWE --
// a key that does not unwrap, a wrong tag, bad padding -- is the one code
// decryption_failed with no detail, so no answer separates them (no
// padding or unwrap oracle).
#pragma once

#include "../core/error.hpp"

namespace obauth::jwe {

enum class errc {
    malformed = 1,         ///< not a JWE: its parts, base64url or header JSON
    invalid_header,        ///< a header member missing, of the wrong type or value
    unsupported_algorithm, ///< an "alg" or "enc" this library does not know
    algorithm_left_out,    ///< RSA1_5 or PBES2-*: refused on purpose (see jwe/algorithm.hpp)
    compression_refused,   ///< "zip": refused on purpose (decompression bombs)
    algorithm_not_allowed, ///< an algorithm the caller did not allow
    unsupported_critical,  ///< "crit" names a member that is not understood
    key_not_found,         ///< no key of the set fits the header
    key_mismatch,          ///< the key cannot be used for this algorithm or operation
    decryption_failed,     ///< the JWE does not decrypt with this key (no more detail)
    too_large,             ///< over the configured size limits
    invalid_options,       ///< the options cannot work (nothing allowed, bad sizes)
    crypto_failure,        ///< OpenSSL failed on a valid operation (allocation, RNG)
};

} // namespace obauth::jwe

namespace obauth {
template <>
struct error_traits<jwe::errc> {
    static constexpr const char* name = "obauth.jwe";
    static const char* message(jwe::errc e) noexcept {
        switch (e) {
        case jwe::errc::malformed:
            return "malformed JWE";
        case jwe::errc::invalid_header:
            return "invalid JWE header";
        case jwe::errc::unsupported_algorithm:
            return "unsupported JWE algorithm";
        case jwe::errc::algorithm_left_out:
            return "JWE algorithm refused on purpose";
        case jwe::errc::compression_refused:
            return "compressed JWE refused";
        case jwe::errc::algorithm_not_allowed:
            return "JWE algorithm not allowed";
        case jwe::errc::unsupported_critical:
            return "unsupported critical header member";
        case jwe::errc::key_not_found:
            return "no decryption key fits";
        case jwe::errc::key_mismatch:
            return "the key cannot be used for this JWE";
        case jwe::errc::decryption_failed:
            return "decryption failed";
        case jwe::errc::too_large:
            return "JWE too large";
        case jwe::errc::invalid_options:
            return "invalid JWE options";
        case jwe::errc::crypto_failure:
            return "cryptographic operation failed";
        }
        return "unknown JWE error";
    }
    static condition to_condition(jwe::errc e) noexcept {
        switch (e) {
        case jwe::errc::decryption_failed:
        case jwe::errc::key_not_found:
            return condition::verification_failed;
        case jwe::errc::invalid_options:
        case jwe::errc::key_mismatch:
            return condition::invalid_state;
        case jwe::errc::crypto_failure:
            return condition::internal_error;
        default:
            return condition::invalid_input;
        }
    }
};
} // namespace obauth
OBAUTH_ERROR_CODE_ENUM(obauth::jwe, errc);
