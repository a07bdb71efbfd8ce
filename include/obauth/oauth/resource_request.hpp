// Requests to a resource server with an access token: `Authorization:
// Bearer <token>` (RFC 6750 §2.1), or for a DPoP-bound token `Authorization:
// DPoP <token>` with a fresh proof carrying the token's hash (RFC 9449 §7);
// over the client certificate when the client uses one (RFC 8705 bound
// tokens). A resource server that answers 401 with `WWW-Authenticate: DPoP
// error="use_dpop_nonce"` has given a DPoP-Nonce: resource_exchange (or
// send_resource_request with a transport) remembers it and makes the
// request again, once.
#pragma once

#include "client.hpp"
#include "dpop_binding.hpp"
#include "token_response.hpp"

#include "../core/ascii.hpp"
#include "../core/clock.hpp"
#include "../core/random.hpp"
#include "../http/headers.hpp"
#include "../http/http_request.hpp"
#include "../http/url.hpp"

#include <boost/url/url.hpp>

#include <utility>

namespace obauth::oauth {

/// Adds the access token to `req` (Authorization, and a fresh DPoP proof
/// for a DPoP-bound token) and marks it for the client certificate when the
/// client uses one.
inline result<void> authorize_resource_request(const client& c, http::http_request& req,
                                               const token_set& tokens, time_point now,
                                               random_generator& rng = default_random()) {
    if (tokens.access_token.empty())
        return make_error(errc::invalid_options, "no access token");
    if (!is_vschar_text(tokens.access_token.expose_secret_chars()))
        return make_error(errc::invalid_options, "the access token has characters outside %x20-7E");
    const bool dpop_bound = ascii_iequals(tokens.token_type, "DPoP");
    if (dpop_bound && !c.dpop)
        return make_error(errc::invalid_options, "a DPoP-bound token needs the client's DPoP key");
    req.use_client_certificate = c.uses_client_certificate();
    const std::string_view token = tokens.access_token.expose_secret_chars();
    http::set_header(req.headers, "Authorization",
                     http::authorization_value(dpop_bound ? "DPoP" : "Bearer", token));
    if (dpop_bound)
        OBAUTH_TRY_VOID(c.dpop->prove(req, now, rng, token));
    return {};
}

inline result<http::http_request> make_resource_request(const client& c, http::http_method method,
                                                        boost::urls::url url,
                                                        const token_set& tokens, time_point now,
                                                        random_generator& rng = default_random()) {
    http::http_request req;
    req.method = method;
    req.url = std::move(url);
    OBAUTH_TRY_VOID(authorize_resource_request(c, req, tokens, now, rng));
    return req;
}

/// One resource request with the DPoP nonce dance, sans-IO: send
/// request(now); hand the answer to on_response(); when that returns true
/// the server asked for a nonce (now remembered), so send request(now)
/// again -- once: a second nonce challenge is the answer. `c` and `tokens`
/// must outlive the exchange.
class resource_exchange {
public:
    /// `prototype`: method, URL, headers and body; the exchange adds the
    /// token, the proof and the certificate flag to each copy it sends.
    resource_exchange(const client& c, http::http_request prototype, const token_set& tokens)
        : c_(&c), prototype_(std::move(prototype)), tokens_(&tokens) {}

    result<http::http_request> request(time_point now,
                                       random_generator& rng = default_random()) const {
        http::http_request req = prototype_;
        OBAUTH_TRY_VOID(authorize_resource_request(*c_, req, *tokens_, now, rng));
        return req;
    }

    /// Keeps the response's DPoP-Nonce; true when the request (with a
    /// DPoP-bound token) must be sent again with it.
    bool on_response(const http::http_response& r) {
        if (!c_->dpop || !ascii_iequals(tokens_->token_type, "DPoP"))
            return false;
        c_->dpop->remember(r, prototype_.url);
        if (retried_ || !asks_for_dpop_nonce(r))
            return false;
        retried_ = true;
        return true;
    }

private:
    const client* c_;
    http::http_request prototype_;
    const token_set* tokens_;
    bool retried_ = false;
};

/// resource_exchange driven by a transport (any callable
/// `result<http::http_response>(const http::http_request&)`).
template <class Transport>
result<http::http_response> send_resource_request(const client& c, http::http_request prototype,
                                                  const token_set& tokens, Transport&& transport,
                                                  const clock_source& clock,
                                                  random_generator& rng = default_random()) {
    resource_exchange x(c, std::move(prototype), tokens);
    for (;;) {
        OBAUTH_TRY(const http::http_request req, x.request(clock.now(), rng));
        OBAUTH_TRY(http::http_response resp, transport(req));
        if (!x.on_response(resp))
            return resp;
    }
}

} // namespace obauth::oauth
