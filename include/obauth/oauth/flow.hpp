// What a flow asks its caller to do next, as plain values (the h11 model):
// send an HTTP request, send the user to a URL, or take the result.
#pragma once

#include "token_response.hpp"

#include "../http/http_request.hpp"
#include "../oidc/id_token.hpp"

#include <boost/url/url.hpp>

#include <optional>
#include <variant>

namespace obauth::oauth {

/// Send this request and pass the response to on_response().
struct send_request {
    http::http_request request;
};
/// Send the user agent here and pass the callback to on_callback().
struct redirect_user {
    boost::urls::url url;
};
/// The flow finished: validated tokens.
struct flow_complete {
    token_set tokens;
    /// The ID token from the token endpoint, validated (OpenID flows).
    std::optional<oidc::verified_id_token> id_token;
};

using flow_step = std::variant<send_request, redirect_user, flow_complete>;

} // namespace obauth::oauth
