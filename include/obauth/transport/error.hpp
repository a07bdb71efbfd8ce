// Errors of the transport adapters (libcurl, Boost.Beast): each way a
// request can fail before an HTTP response exists is its own code. URLs the
// adapters refuse to send to are reported with the http module's codes
// (insecure_url, invalid_url), like everywhere else in obauth.
#pragma once

#include "../core/error.hpp"

#include <system_error>

namespace obauth::transport {

enum class errc {
    invalid_request = 1,   ///< a header name or value an HTTP/1.1 message cannot carry
    invalid_options,       ///< transport_options that cannot work (zero limits, missing files)
    no_client_certificate, ///< the request needs mTLS and no client certificate is configured
    client_certificate_unusable, ///< the client certificate or key could not be loaded
    dns_failed,                  ///< the host name did not resolve
    connect_failed,              ///< no TCP connection (refused, unreachable)
    tls_failed,                  ///< TLS handshake failed or the server certificate did not verify
    timeout,                     ///< the connect or the whole exchange took too long
    send_failed,                 ///< the connection broke while sending the request
    receive_failed,              ///< the connection broke before a complete response arrived
    invalid_response,            ///< what arrived is not an HTTP/1.x response
    response_too_large,          ///< the response headers or body exceed the configured limit
    too_many_redirects,          ///< redirects were followed more often than allowed
    redirect_refused,            ///< a redirect to a URL the options do not allow
    redirect_would_send_body,    ///< a 307/308 would carry the request body to another origin
    proxy_failed,                ///< the proxy refused or broke the CONNECT tunnel
    internal,                    ///< the HTTP library failed in a way not listed above
};

} // namespace obauth::transport

namespace obauth {
template <>
struct error_traits<transport::errc> {
    static constexpr const char* name = "obauth.transport";
    static const char* message(transport::errc e) noexcept {
        switch (e) {
        case transport::errc::invalid_request:
            return "request cannot be sent";
        case transport::errc::invalid_options:
            return "invalid transport options";
        case transport::errc::no_client_certificate:
            return "request needs a client certificate and none is configured";
        case transport::errc::client_certificate_unusable:
            return "client certificate or key cannot be used";
        case transport::errc::dns_failed:
            return "host name did not resolve";
        case transport::errc::connect_failed:
            return "could not connect";
        case transport::errc::tls_failed:
            return "TLS handshake or server certificate verification failed";
        case transport::errc::timeout:
            return "timed out";
        case transport::errc::send_failed:
            return "sending the request failed";
        case transport::errc::receive_failed:
            return "receiving the response failed";
        case transport::errc::invalid_response:
            return "malformed HTTP response";
        case transport::errc::response_too_large:
            return "response too large";
        case transport::errc::too_many_redirects:
            return "too many redirects";
        case transport::errc::redirect_refused:
            return "redirect refused";
        case transport::errc::redirect_would_send_body:
            return "redirect would send the request body to another origin";
        case transport::errc::proxy_failed:
            return "proxy refused the tunnel";
        case transport::errc::internal:
            return "HTTP library failure";
        }
        return "unknown transport error";
    }
    static condition to_condition(transport::errc e) noexcept {
        switch (e) {
        case transport::errc::invalid_request:
        case transport::errc::invalid_options:
        case transport::errc::no_client_certificate:
        case transport::errc::client_certificate_unusable:
            return condition::invalid_input;
        case transport::errc::tls_failed:
            return condition::verification_failed;
        case transport::errc::invalid_response:
        case transport::errc::response_too_large:
        case transport::errc::too_many_redirects:
        case transport::errc::redirect_refused:
        case transport::errc::redirect_would_send_body:
            return condition::protocol_error;
        case transport::errc::internal:
            return condition::internal_error;
        default: // the network or the server: worth a retry later
            return condition::server_error;
        }
    }
};
} // namespace obauth

OBAUTH_ERROR_CODE_ENUM(obauth::transport, errc);
