// Token revocation (RFC 7009): the client tells the server a refresh or
// access token is no longer needed. 200 means revoked (or unknown, which
// the RFC treats the same); 503 carries Retry-After.
#pragma once

#include "client.hpp"
#include "endpoint_response.hpp"

#include <string_view>

namespace obauth::oauth {

/// RFC 7009 §2.1. `token_type_hint`: "access_token", "refresh_token" or empty.
inline result<http::http_request>
make_revocation_request(const client& c, const secret& token, std::string_view token_type_hint,
                        time_point now, random_generator& rng = default_random()) {
    return make_token_operation_request(c, oidc::endpoint::revocation, token, token_type_hint, now,
                                        rng);
}

/// RFC 7009 §2.2: 200 is success whatever the body; anything else is the
/// server's error (unsupported_token_type, 503 with Retry-After, ...).
inline result<void> process_revocation_response(const http::http_response& r, time_point now) {
    if (r.status != 200)
        return parse_endpoint_error(r, now).to_error_info();
    return {};
}

} // namespace obauth::oauth
