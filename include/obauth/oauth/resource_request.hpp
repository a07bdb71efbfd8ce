// Requests to a resource server with an access token: `Authorization:
// Bearer <token>` (RFC 6750 §2.1), or for a DPoP-bound token `Authorization:
// DPoP <token>` with a fresh proof carrying the token's hash (RFC 9449 §7);
// over the client certificate when the client uses one (RFC 8705 bound
// tokens). A resource server that answers 401 with `WWW-Authenticate: DPoP
// error="use_dpop_nonce"` has given a DPoP-Nonce: remember it
// (`client::dpop->remember`) and make the request again, once.
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

inline result<http::http_request> make_resource_request(const client& c, http::http_method method,
                                                        boost::urls::url url,
                                                        const token_set& tokens, time_point now,
                                                        random_generator& rng = default_random()) {
    if (tokens.access_token.empty())
        return make_error(errc::invalid_options, "no access token");
    if (!is_vschar_text(tokens.access_token.expose_secret_chars()))
        return make_error(errc::invalid_options, "the access token has characters outside %x20-7E");
    const bool dpop_bound = ascii_iequals(tokens.token_type, "DPoP");
    if (dpop_bound && !c.dpop)
        return make_error(errc::invalid_options, "a DPoP-bound token needs the client's DPoP key");
    http::http_request req;
    req.method = method;
    req.url = std::move(url);
    req.use_client_certificate = c.uses_client_certificate();
    const std::string_view token = tokens.access_token.expose_secret_chars();
    req.headers.push_back(
        {"Authorization", http::authorization_value(dpop_bound ? "DPoP" : "Bearer", token)});
    if (dpop_bound)
        OBAUTH_TRY_VOID(c.dpop->prove(req, now, rng, token));
    return req;
}

} // namespace obauth::oauth
