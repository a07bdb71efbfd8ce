// Errors of the client assertion module (RFC 7521, RFC 7523).
#pragma once

#include "../core/error.hpp"

#include <system_error>

namespace obauth::assertion {

enum class errc {
    invalid_options = 1, ///< issuing: no client_id or audience, an insane lifetime
    wrong_key_type,      ///< private_key_jwt with an HMAC key, client_secret_jwt with another
    missing_jti,         ///< the assertion has no usable "jti"
    replayed,            ///< the "jti" was seen before and its assertion has not expired
    /// The replay store gave no answer (an in-process one full of live
    /// entries, a shared one unreachable): refused, never accepted.
    replay_store_unavailable,
    replay_cache_full = replay_store_unavailable, ///< the former name
};

} // namespace obauth::assertion

namespace obauth {
template <>
struct error_traits<assertion::errc> {
    static constexpr const char* name = "obauth.assertion";
    static const char* message(assertion::errc e) noexcept {
        switch (e) {
        case assertion::errc::invalid_options:
            return "invalid client assertion options";
        case assertion::errc::wrong_key_type:
            return "key type does not fit the client authentication method";
        case assertion::errc::missing_jti:
            return "client assertion without a usable jti";
        case assertion::errc::replayed:
            return "client assertion replayed";
        case assertion::errc::replay_store_unavailable:
            return "replay store unavailable";
        }
        return "unknown assertion error";
    }
    static condition to_condition(assertion::errc e) noexcept {
        switch (e) {
        case assertion::errc::missing_jti:
        case assertion::errc::replayed:
            return condition::verification_failed;
        case assertion::errc::replay_store_unavailable:
            return condition::server_error;
        default:
            return condition::invalid_input;
        }
    }
};
} // namespace obauth

OBAUTH_ERROR_CODE_ENUM(obauth::assertion, errc);
