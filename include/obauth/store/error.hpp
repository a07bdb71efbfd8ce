// Errors of the store module: the shared-state contracts (replay keys, sealed
// token sets, leases) and their adapters.
#pragma once

#include "../core/error.hpp"

namespace obauth::store {

enum class errc {
    unavailable = 1,      ///< the store gave no answer (unreachable, timed out, busy)
    refused,              ///< the store answered with an error (authentication, permissions)
    protocol_error,       ///< an answer of a shape the adapter does not expect
    invalid_options,      ///< the adapter is configured wrongly
    conflict,             ///< compare-and-set: the value changed since it was read
    sealed_value_invalid, ///< a sealed value did not open (altered, truncated, moved, unknown key)
    sealing_failed,       ///< the cipher failed while sealing
};

} // namespace obauth::store

namespace obauth {
template <>
struct error_traits<store::errc> {
    static constexpr const char* name = "obauth.store";
    static const char* message(store::errc e) noexcept {
        switch (e) {
        case store::errc::unavailable:
            return "the store is unavailable";
        case store::errc::refused:
            return "the store refused the command";
        case store::errc::protocol_error:
            return "unexpected answer from the store";
        case store::errc::invalid_options:
            return "invalid store options";
        case store::errc::conflict:
            return "the stored value changed meanwhile";
        case store::errc::sealed_value_invalid:
            return "a sealed value does not open";
        case store::errc::sealing_failed:
            return "sealing failed";
        }
        return "unknown store error";
    }
    static condition to_condition(store::errc e) noexcept {
        switch (e) {
        case store::errc::invalid_options:
            return condition::invalid_state;
        case store::errc::protocol_error:
            return condition::protocol_error;
        case store::errc::conflict:
            return condition::invalid_state;
        case store::errc::sealed_value_invalid:
            return condition::verification_failed;
        case store::errc::sealing_failed:
            return condition::internal_error;
        default:
            return condition::server_error;
        }
    }
};
} // namespace obauth
OBAUTH_ERROR_CODE_ENUM(obauth::store, errc);
