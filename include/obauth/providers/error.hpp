// Errors of the provider profiles: what a provider's API refused (each
// documented status its own code, so a caller can tell expired from invalid
// credentials, or back off on rate limiting) and what a profile refuses
// before anything is sent (plain-HTTP URLs, missing credentials or
// headers). OAuth endpoints keep the oauth module's codes.
#pragma once

#include "../core/error.hpp"

#include <cstddef>
#include <system_error>

namespace obauth::providers {

enum class errc {
    insecure_url = 1,       ///< a URL that is not https (refused before building)
    missing_credential,     ///< an API key, app key or secret that is empty
    invalid_configuration,  ///< a base URL, path or preset that cannot be used
    invalid_header,         ///< a required header missing or not a valid value
    invalid_argument,       ///< a request parameter out of its rules
    invalid_response,       ///< a success response of the wrong shape
    bad_request,            ///< HTTP 400: the provider refused the request's format
    invalid_credentials,    ///< HTTP 401: wrong credentials
    token_expired,          ///< HTTP 401: the token expired, authenticate again
    forbidden,              ///< HTTP 403: permissions or certificate
    not_found,              ///< HTTP 404
    rate_limited,           ///< HTTP 429 (error_info::retry_after when known)
    server_error,           ///< HTTP 5xx
    unexpected_status,      ///< any other status the operation does not accept
    tenant_mismatch,        ///< an answer for another tenant or customer
    session_mismatch,       ///< a refreshed session for another user
    refresh_not_due,        ///< FinHub: more than 10 % of the session is left
    consent_mismatch,       ///< tokens bound to another consent than the one created
    consent_not_authorised, ///< the consent did not reach Authorised
    session_incomplete,     ///< Hoseki: no accounts linked to the session yet
};

namespace detail {
struct errc_entry {
    errc code;
    const char* message;
    condition cond;
};
inline constexpr errc_entry errc_table[] = {
    {errc::insecure_url, "URL is not https", condition::invalid_input},
    {errc::missing_credential, "credential missing", condition::invalid_input},
    {errc::invalid_configuration, "invalid provider configuration", condition::invalid_input},
    {errc::invalid_header, "required header missing or invalid", condition::invalid_input},
    {errc::invalid_argument, "invalid request parameter", condition::invalid_input},
    {errc::invalid_response, "malformed provider response", condition::protocol_error},
    {errc::bad_request, "HTTP 400 Bad Request", condition::protocol_error},
    {errc::invalid_credentials, "HTTP 401: invalid credentials", condition::protocol_error},
    {errc::token_expired, "HTTP 401: token expired", condition::invalid_state},
    {errc::forbidden, "HTTP 403 Forbidden", condition::protocol_error},
    {errc::not_found, "HTTP 404 Not Found", condition::protocol_error},
    {errc::rate_limited, "HTTP 429 Too Many Requests", condition::server_error},
    {errc::server_error, "HTTP server error (5xx)", condition::server_error},
    {errc::unexpected_status, "unexpected HTTP status", condition::protocol_error},
    {errc::tenant_mismatch, "answer for another tenant or customer",
     condition::verification_failed},
    {errc::session_mismatch, "refreshed session belongs to another user",
     condition::verification_failed},
    {errc::refresh_not_due, "more than 10% of the session is left", condition::invalid_state},
    {errc::consent_mismatch, "tokens are bound to another consent", condition::verification_failed},
    {errc::consent_not_authorised, "consent is not authorised", condition::invalid_state},
    {errc::session_incomplete, "no accounts linked to the session yet", condition::invalid_state},
};
static_assert(sizeof(errc_table) / sizeof(errc_table[0]) ==
                  static_cast<std::size_t>(errc::session_incomplete),
              "one entry per code, in order");
} // namespace detail

} // namespace obauth::providers

namespace obauth {
template <>
struct error_traits<providers::errc> {
    static constexpr const char* name = "obauth.providers";
    static bool known(providers::errc e) noexcept {
        const auto v = static_cast<std::size_t>(e);
        return v >= 1 && v <= static_cast<std::size_t>(providers::errc::session_incomplete);
    }
    static const char* message(providers::errc e) noexcept {
        return known(e) ? providers::detail::errc_table[static_cast<std::size_t>(e) - 1].message
                        : "unknown provider error";
    }
    static condition to_condition(providers::errc e) noexcept {
        return known(e) ? providers::detail::errc_table[static_cast<std::size_t>(e) - 1].cond
                        : condition::protocol_error;
    }
};
} // namespace obauth

OBAUTH_ERROR_CODE_ENUM(obauth::providers, errc);
