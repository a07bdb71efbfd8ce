// What both transport adapters (curl.hpp, beast.hpp) can be told: whom to
// trust, which client certificate to present for RFC 8705 requests, how long
// to wait, how much to accept, whether to follow redirects.
#pragma once

#include "../core/secret.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

namespace obauth::transport {

/// The TLS client identity for requests that ask for it
/// (`http_request::use_client_certificate`: mTLS client authentication and
/// certificate-bound tokens). Other requests never present it.
struct client_identity {
    std::string certificate_file; ///< PEM: the certificate, optionally followed by its chain
    std::string private_key_file; ///< PEM private key
    std::optional<secret> private_key_password; ///< for an encrypted key
};

struct transport_options {
    /// PEM file of the CAs to trust, and then only these (a bank's private
    /// CA stays the only one trusted); empty for the system's store.
    std::string ca_file;
    std::optional<client_identity> client_certificate;
    /// Name resolution plus TCP connect plus TLS handshake.
    std::chrono::milliseconds connect_timeout{10'000};
    /// The whole exchange, redirects included.
    std::chrono::milliseconds timeout{30'000};
    /// Larger response bodies are refused (response_too_large), before they
    /// are read when Content-Length announces them.
    std::size_t max_response_bytes = 1024 * 1024;
    /// Limit for the status line and header fields together.
    std::size_t max_header_bytes = 64 * 1024;
    /// Off by default: OAuth endpoints answer directly, and a redirect would
    /// send a request (and its credentials) somewhere the caller did not
    /// choose. When on, only to URLs the same rules allow; to another origin
    /// (scheme, host or port) never with the client certificate, a body or
    /// any header but Accept, Accept-Language and User-Agent, and a 307/308
    /// that would carry a body there is refused (redirect_would_send_body).
    bool follow_redirects = false;
    unsigned max_redirects = 5;
    /// Accept `http://` for loopback IP literals (local test servers);
    /// everything else must be https.
    bool allow_http_loopback = false;
    std::string user_agent = "obauth/0.1";
    /// An HTTP proxy, "http://host:port", reached with CONNECT for every
    /// request (TLS runs end to end through the tunnel). Empty: no proxy,
    /// whatever http_proxy, HTTPS_PROXY or NO_PROXY say in the environment.
    std::string proxy;
};

} // namespace obauth::transport
