// Consent statuses and the events that move a consent between them, with
// their wire names (UK Open Banking's, which Hamster Bank uses too).
#pragma once

#include "error.hpp"

#include "../core/result.hpp"

#include <array>
#include <string>
#include <string_view>

namespace obauth::consent {

enum class consent_status {
    awaiting_authorisation,
    authorised,
    rejected,
    revoked,
    expired,
    consumed,
};

enum class consent_event {
    authorise, ///< the customer approved it at the bank
    reject,    ///< the customer (or the bank) refused it
    revoke,    ///< withdrawn after authorisation (customer or TPP)
    expire,    ///< its time ran out
    consume,   ///< a payment consent was used for its payment
};

namespace detail {
inline constexpr std::array<std::string_view, 6> status_names{
    "AwaitingAuthorisation", "Authorised", "Rejected", "Revoked", "Expired", "Consumed"};
inline constexpr std::array<std::string_view, 5> event_names{"authorise", "reject", "revoke",
                                                             "expire", "consume"};
} // namespace detail

inline std::string_view status_name(consent_status s) noexcept {
    return detail::status_names[static_cast<std::size_t>(s)];
}
inline std::string_view event_name(consent_event e) noexcept {
    return detail::event_names[static_cast<std::size_t>(e)];
}

inline result<consent_status> parse_status(std::string_view name) {
    for (std::size_t i = 0; i < detail::status_names.size(); ++i)
        if (detail::status_names[i] == name)
            return static_cast<consent_status>(i);
    return make_error(errc::unknown_status, quote(name));
}

/// No further event applies.
inline bool is_final(consent_status s) noexcept {
    return s != consent_status::awaiting_authorisation && s != consent_status::authorised;
}

} // namespace obauth::consent
