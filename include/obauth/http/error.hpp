// Errors of the HTTP transport-contract module (URLs, messages, headers).
#pragma once

#include "../core/error.hpp"

#include <system_error>

namespace obauth::http {

enum class errc {
    invalid_url = 1,         ///< not an absolute URL with a host, or a bad port
    insecure_url,            ///< not https (plain http only for loopback, when allowed)
    forbidden_url_component, ///< user-info or a fragment where neither may appear
    body_too_large,          ///< a response body over the configured limit
    unexpected_status,       ///< an HTTP status the operation does not accept
    unexpected_content_type, ///< a Content-Type the operation does not accept
    invalid_form,            ///< not application/x-www-form-urlencoded
    invalid_header,          ///< a header field value that breaks its grammar
};

} // namespace obauth::http

namespace obauth {
template <>
struct error_traits<http::errc> {
    static constexpr const char* name = "obauth.http";
    static const char* message(http::errc e) noexcept {
        switch (e) {
        case http::errc::invalid_url:
            return "invalid URL";
        case http::errc::insecure_url:
            return "URL is not https";
        case http::errc::forbidden_url_component:
            return "URL has user-info or a fragment";
        case http::errc::body_too_large:
            return "response body too large";
        case http::errc::unexpected_status:
            return "unexpected HTTP status";
        case http::errc::unexpected_content_type:
            return "unexpected Content-Type";
        case http::errc::invalid_form:
            return "invalid form encoding";
        case http::errc::invalid_header:
            return "invalid header field value";
        }
        return "unknown http error";
    }
    static condition to_condition(http::errc e) noexcept {
        switch (e) {
        case http::errc::unexpected_status:
        case http::errc::unexpected_content_type:
        case http::errc::body_too_large:
        case http::errc::invalid_header:
            return condition::protocol_error;
        default:
            return condition::invalid_input;
        }
    }
};
} // namespace obauth

OBAUTH_ERROR_CODE_ENUM(obauth::http, errc);
