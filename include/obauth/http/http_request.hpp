// The request half of the transport contract: what obauth asks the caller's
// HTTP stack to send. A plain value; obauth never sends it itself.
#pragma once

#include "headers.hpp"

#include <boost/url/url.hpp>

#include <string>
#include <string_view>

namespace obauth::http {

enum class http_method { get, post, put, patch, delete_ };

inline std::string_view method_name(http_method m) noexcept {
    switch (m) {
    case http_method::get:
        return "GET";
    case http_method::post:
        return "POST";
    case http_method::put:
        return "PUT";
    case http_method::patch:
        return "PATCH";
    case http_method::delete_:
        return "DELETE";
    }
    return "GET";
}

struct http_request {
    http_method method = http_method::get;
    boost::urls::url url;
    http_headers headers;
    wiping_string body; ///< may carry credentials and tokens: wiped when freed
    /// RFC 8705: send over TLS with the client's certificate (mutual-TLS
    /// client authentication or certificate-bound tokens).
    bool use_client_certificate = false;

    const wiping_string* header(std::string_view name) const noexcept {
        return find_header(headers, name);
    }
};

} // namespace obauth::http
