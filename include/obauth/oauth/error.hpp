// Errors of the OAuth 2.0 client: the error codes an authorization server
// sends (RFC 6749 §4.1.2.1 and §5.2, RFC 6750 §3.1, RFC 7009 §2.2.1,
// RFC 9126 §2.3, RFC 9101 §6.3, OpenID Connect Core §3.1.2.6), each its own
// code so a caller can branch on invalid_grant without string compares;
// HTTP-level refusals (401, 403, 429, 5xx); and the client's own checks
// (state, issuer, JARM, certificate binding, flow order).
//
// One table holds every code: its wire name (for the server's codes), its
// message and its coarse condition.
#pragma once

#include "../core/error.hpp"

#include <cstddef>
#include <string_view>
#include <system_error>

namespace obauth::oauth {

enum class errc {
    // Sent by the server (wire names as in the RFCs)
    invalid_request = 1,
    invalid_client,
    invalid_grant,
    unauthorized_client,
    unsupported_grant_type,
    invalid_scope,
    access_denied,
    unsupported_response_type,
    server_error,
    temporarily_unavailable,
    invalid_token,
    insufficient_scope,
    unsupported_token_type,
    invalid_request_uri,
    invalid_request_object,
    request_not_supported,
    request_uri_not_supported,
    interaction_required,
    login_required,
    account_selection_required,
    consent_required,
    invalid_target,
    invalid_authorization_details,
    other_server_error, ///< an `error` value not listed above (kept in the detail)
    // HTTP-level refusals without an RFC 6749 error body
    http_unauthorized, ///< 401 (WWW-Authenticate in the detail)
    http_forbidden,    ///< 403
    rate_limited,      ///< 429 (Retry-After in error_info::retry_after)
    http_server_error, ///< 5xx
    unexpected_status, ///< any other status the operation does not accept
    // The client's own checks
    invalid_options,          ///< a request or flow configured wrongly
    invalid_response,         ///< a success response that breaks its format
    unexpected_token_type,    ///< a token_type the client did not accept
    invalid_callback,         ///< a redirect URL without the parameters it must carry
    state_mismatch,           ///< `state` differs from the one sent
    issuer_mismatch,          ///< `iss` (RFC 9207) differs from the issuer: mix-up
    jarm_invalid,             ///< a JARM response JWT that does not verify
    certificate_mismatch,     ///< cnf x5t#S256 is not the client certificate's
    request_uri_expired,      ///< the PAR request_uri expired before it was used
    flow_out_of_order,        ///< an event the flow's state does not accept
    flow_failed,              ///< the flow failed earlier (the error is sticky)
    callback_replayed,        ///< a second callback for a flow that had one
    reauthorization_required, ///< refresh failed for good: the user must log in again
    token_inactive,           ///< introspection says the token is not active
    shared_store_unavailable, ///< the fleet's token store or lease did not answer (policy: refuse)
    shared_refresh_timeout,   ///< another process held the refresh lease past the wait
};

namespace detail {
struct errc_entry {
    errc code;
    std::string_view wire; ///< the server's error value, or empty
    const char* message;
    condition cond;
};
inline constexpr errc_entry errc_table[] = {
    {errc::invalid_request, "invalid_request", "invalid_request", condition::protocol_error},
    {errc::invalid_client, "invalid_client", "invalid_client", condition::protocol_error},
    {errc::invalid_grant, "invalid_grant", "invalid_grant", condition::protocol_error},
    {errc::unauthorized_client, "unauthorized_client", "unauthorized_client",
     condition::protocol_error},
    {errc::unsupported_grant_type, "unsupported_grant_type", "unsupported_grant_type",
     condition::protocol_error},
    {errc::invalid_scope, "invalid_scope", "invalid_scope", condition::protocol_error},
    {errc::access_denied, "access_denied", "access_denied", condition::protocol_error},
    {errc::unsupported_response_type, "unsupported_response_type", "unsupported_response_type",
     condition::protocol_error},
    {errc::server_error, "server_error", "server_error", condition::server_error},
    {errc::temporarily_unavailable, "temporarily_unavailable", "temporarily_unavailable",
     condition::server_error},
    {errc::invalid_token, "invalid_token", "invalid_token", condition::protocol_error},
    {errc::insufficient_scope, "insufficient_scope", "insufficient_scope",
     condition::protocol_error},
    {errc::unsupported_token_type, "unsupported_token_type", "unsupported_token_type",
     condition::protocol_error},
    {errc::invalid_request_uri, "invalid_request_uri", "invalid_request_uri",
     condition::protocol_error},
    {errc::invalid_request_object, "invalid_request_object", "invalid_request_object",
     condition::protocol_error},
    {errc::request_not_supported, "request_not_supported", "request_not_supported",
     condition::protocol_error},
    {errc::request_uri_not_supported, "request_uri_not_supported", "request_uri_not_supported",
     condition::protocol_error},
    {errc::interaction_required, "interaction_required", "interaction_required",
     condition::protocol_error},
    {errc::login_required, "login_required", "login_required", condition::protocol_error},
    {errc::account_selection_required, "account_selection_required", "account_selection_required",
     condition::protocol_error},
    {errc::consent_required, "consent_required", "consent_required", condition::protocol_error},
    {errc::invalid_target, "invalid_target", "invalid_target", condition::protocol_error},
    {errc::invalid_authorization_details, "invalid_authorization_details",
     "invalid_authorization_details", condition::protocol_error},
    {errc::other_server_error, "", "error code not known to obauth", condition::protocol_error},
    {errc::http_unauthorized, "", "HTTP 401 Unauthorized", condition::protocol_error},
    {errc::http_forbidden, "", "HTTP 403 Forbidden", condition::protocol_error},
    {errc::rate_limited, "", "HTTP 429 Too Many Requests", condition::server_error},
    {errc::http_server_error, "", "HTTP server error (5xx)", condition::server_error},
    {errc::unexpected_status, "", "unexpected HTTP status", condition::protocol_error},
    {errc::invalid_options, "", "invalid client or flow options", condition::invalid_input},
    {errc::invalid_response, "", "malformed response", condition::protocol_error},
    {errc::unexpected_token_type, "", "token_type not accepted", condition::protocol_error},
    {errc::invalid_callback, "", "invalid authorization callback", condition::protocol_error},
    {errc::state_mismatch, "", "state does not match", condition::verification_failed},
    {errc::issuer_mismatch, "", "iss is not the expected issuer (mix-up)",
     condition::verification_failed},
    {errc::jarm_invalid, "", "JARM response does not verify", condition::verification_failed},
    {errc::certificate_mismatch, "", "token is not bound to the client certificate",
     condition::verification_failed},
    {errc::request_uri_expired, "", "PAR request_uri expired", condition::invalid_state},
    {errc::flow_out_of_order, "", "event not expected in the flow's state",
     condition::invalid_state},
    {errc::flow_failed, "", "flow already failed", condition::invalid_state},
    {errc::callback_replayed, "", "callback already processed", condition::invalid_state},
    {errc::reauthorization_required, "", "refresh refused: authorize again",
     condition::invalid_state},
    {errc::token_inactive, "", "token is not active", condition::verification_failed},
    {errc::shared_store_unavailable, "", "shared token store unavailable", condition::server_error},
    {errc::shared_refresh_timeout, "", "another process's refresh did not finish in time",
     condition::server_error},
};
static_assert(sizeof(errc_table) / sizeof(errc_table[0]) ==
                  static_cast<std::size_t>(errc::shared_refresh_timeout),
              "one entry per code, in order");

inline const errc_entry& entry(errc e) noexcept {
    return errc_table[static_cast<std::size_t>(e) - 1];
}
} // namespace detail

/// The code for an `error` value a server sent; other_server_error when the
/// value is not one obauth knows.
inline errc errc_from_wire(std::string_view error) noexcept {
    for (const auto& e : detail::errc_table)
        if (!e.wire.empty() && e.wire == error)
            return e.code;
    return errc::other_server_error;
}

} // namespace obauth::oauth

namespace obauth {
template <>
struct error_traits<oauth::errc> {
    static constexpr const char* name = "obauth.oauth";
    static const char* message(oauth::errc e) noexcept {
        const auto v = static_cast<std::size_t>(e);
        return v >= 1 && v <= static_cast<std::size_t>(oauth::errc::shared_refresh_timeout)
                   ? oauth::detail::entry(e).message
                   : "unknown oauth error";
    }
    static condition to_condition(oauth::errc e) noexcept {
        const auto v = static_cast<std::size_t>(e);
        return v >= 1 && v <= static_cast<std::size_t>(oauth::errc::shared_refresh_timeout)
                   ? oauth::detail::entry(e).cond
                   : condition::protocol_error;
    }
};
} // namespace obauth

OBAUTH_ERROR_CODE_ENUM(obauth::oauth, errc);
