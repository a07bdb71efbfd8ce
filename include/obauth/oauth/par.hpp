// Pushed authorization requests (RFC 9126): the authorization request goes
// to the server over the authenticated back channel, as plain parameters or
// as a signed request object, and comes back as a short-lived request_uri
// for the authorization URL (make_authorization_url_by_reference).
#pragma once

#include "authorization_request.hpp"
#include "client.hpp"
#include "endpoint_response.hpp"

#include "../core/clock.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace obauth::oauth {

/// RFC 9126 §2.1 with the parameters in the body.
inline result<http::http_request> make_par_request(const client& c, const authorization_request& r,
                                                   time_point now,
                                                   random_generator& rng = default_random()) {
    OBAUTH_TRY(const parameter_list params, authorization_parameters(c, r));
    http::form_body body;
    for (const auto& [name, value] : params)
        if (name != "client_id") // the client authentication adds it
            body.add(name, value);
    return make_endpoint_request(c, oidc::endpoint::pushed_authorization_request, std::move(body),
                                 now, rng);
}

/// RFC 9126 §3 with a signed request object (make_request_object).
inline result<http::http_request> make_par_request(const client& c, std::string_view request_object,
                                                   time_point now,
                                                   random_generator& rng = default_random()) {
    if (request_object.empty())
        return make_error(errc::invalid_options, "empty request object");
    http::form_body body;
    body.add("request", request_object);
    return make_endpoint_request(c, oidc::endpoint::pushed_authorization_request, std::move(body),
                                 now, rng);
}

struct par_response {
    std::string request_uri;
    std::chrono::seconds expires_in{0};
    time_point expires_at{};

    bool expired(time_point now) const noexcept { return now >= expires_at; }
};

/// RFC 9126 §2.2: 201 Created with request_uri and a positive expires_in
/// (200 is accepted too: deployed servers send it).
inline result<par_response> process_par_response(const http::http_response& r, time_point now,
                                                 std::size_t max_bytes = 64 * 1024) {
    OBAUTH_TRY(const json doc, parse_json_success(r, {201, 200}, max_bytes, now));
    auto uri = get_string(doc, "request_uri");
    if (!uri || uri->empty())
        return make_error(errc::invalid_response, "request_uri missing, empty or not a string");
    auto exp = get_int64(doc, "expires_in");
    if (!exp || *exp <= 0)
        return make_error(errc::invalid_response, "expires_in missing or not a positive integer");
    par_response p;
    p.request_uri = std::string(*uri);
    p.expires_in = std::chrono::seconds(std::min<std::int64_t>(*exp, 86400));
    p.expires_at = now + p.expires_in;
    return p;
}

} // namespace obauth::oauth
