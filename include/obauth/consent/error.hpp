// Errors of the consent module: each broken rule of a consent, its
// permissions, its dates, its amounts and its lifecycle is its own code.
#pragma once

#include "../core/ascii.hpp"
#include "../core/error.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>

namespace obauth::consent {

enum class errc {
    unknown_permission = 1, ///< a permission name the model does not know
    duplicate_permission,   ///< the same permission listed twice
    empty_permissions,      ///< a consent without permissions
    redundant_permission,   ///< a detailed permission with its basic variant
    missing_dependency, ///< a permission that needs another (UK: transactions and credits/debits)
    invalid_timestamp,  ///< not an RFC 3339 date-time with a zone, or not a real date
    invalid_date,       ///< not a full-date (YYYY-MM-DD), or not a real date
    expiration_in_past, ///< the consent would expire before it is used
    expiration_too_far, ///< beyond the consent type's maximum duration
    invalid_date_range, ///< transaction_from after transaction_to
    invalid_amount,     ///< not a positive decimal amount with at most 13.5 digits
    invalid_currency,   ///< not an ISO 4217 alphabetic code
    invalid_account,    ///< a creditor or debtor account without scheme or identification
    invalid_field,      ///< a text field empty, too long or with control characters
    invalid_json,       ///< a body of the wrong shape (types, missing or repeated members)
    too_many_items,     ///< an array over the configured limit
    wrong_consent_type, ///< a field or operation for another consent type
    unknown_status,     ///< a status value the model does not know
    illegal_transition, ///< a lifecycle step the transition table does not allow
    not_usable,         ///< the consent may not be used now for that purpose
    invalid_consent_id, ///< empty, too long, or characters no convention can carry
};

namespace detail {

struct errc_entry {
    errc code;
    const char* message;
    condition cond;
};
inline constexpr errc_entry errc_table[] = {
    {errc::unknown_permission, "unknown permission", condition::invalid_input},
    {errc::duplicate_permission, "permission listed twice", condition::invalid_input},
    {errc::empty_permissions, "no permissions", condition::invalid_input},
    {errc::redundant_permission, "permission already covered by a detailed one",
     condition::invalid_input},
    {errc::missing_dependency, "permission needs another one", condition::invalid_input},
    {errc::invalid_timestamp, "invalid RFC 3339 date-time", condition::invalid_input},
    {errc::invalid_date, "invalid date", condition::invalid_input},
    {errc::expiration_in_past, "expiration is not in the future", condition::invalid_input},
    {errc::expiration_too_far, "expiration beyond the maximum duration", condition::invalid_input},
    {errc::invalid_date_range, "transaction_from is after transaction_to",
     condition::invalid_input},
    {errc::invalid_amount, "invalid amount", condition::invalid_input},
    {errc::invalid_currency, "invalid currency code", condition::invalid_input},
    {errc::invalid_account, "invalid account", condition::invalid_input},
    {errc::invalid_field, "invalid text field", condition::invalid_input},
    {errc::invalid_json, "consent body of the wrong shape", condition::protocol_error},
    {errc::too_many_items, "too many items", condition::invalid_input},
    {errc::wrong_consent_type, "not for this consent type", condition::invalid_input},
    {errc::unknown_status, "unknown consent status", condition::protocol_error},
    {errc::illegal_transition, "consent status change not allowed", condition::invalid_state},
    {errc::not_usable, "consent not usable", condition::invalid_state},
    {errc::invalid_consent_id, "invalid consent id", condition::invalid_input},
};
static_assert(sizeof(errc_table) / sizeof(errc_table[0]) ==
                  static_cast<std::size_t>(errc::invalid_consent_id),
              "one entry per code, in order");
} // namespace detail

} // namespace obauth::consent

namespace obauth {
template <>
struct error_traits<consent::errc> {
    static constexpr const char* name = "obauth.consent";
    static bool known(consent::errc e) noexcept {
        const auto v = static_cast<std::size_t>(e);
        return v >= 1 && v <= static_cast<std::size_t>(consent::errc::invalid_consent_id);
    }
    static const char* message(consent::errc e) noexcept {
        return known(e) ? consent::detail::errc_table[static_cast<std::size_t>(e) - 1].message
                        : "unknown consent error";
    }
    static condition to_condition(consent::errc e) noexcept {
        return known(e) ? consent::detail::errc_table[static_cast<std::size_t>(e) - 1].cond
                        : condition::invalid_input;
    }
};
} // namespace obauth

OBAUTH_ERROR_CODE_ENUM(obauth::consent, errc);
