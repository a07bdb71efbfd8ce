// Finicity (Mastercard Open Banking), seed 004: an application exchanges its
// client id and secret for a Bearer access token at `POST /oauth/token`,
// sent as JSON with the `Finicity-App-Key` header; every API request then
// carries `Authorization: Bearer`, the App-Key and JSON `Accept` /
// `Content-Type`. Tokens are refreshed before `expires_in` runs out by the
// oauth token manager with this profile's request builder.
//
// The seed shows the token request's body and answer, which are an
// RFC 6749 §5.1 token response; the token path is configurable. The client
// secret and the App-Key are secrets: no operator<<, never in an error.
#pragma once

#include "detail/common.hpp"
#include "error.hpp"

#include "../core/ascii.hpp"
#include "../oauth/token_manager.hpp"
#include "../oauth/token_response.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace obauth::providers::finicity {

inline constexpr std::string_view base_url = "https://api.finicity.com";

/// What the developer portal issues. Move-only.
struct credentials {
    std::string client_id;
    secret client_secret;
    secret app_key;
};

class config {
public:
    /// Checks the URL (https; http only to loopback when allowed, for
    /// tests) and that no credential is empty.
    static result<config> create(credentials creds, std::string_view url = base_url,
                                 bool allow_http_loopback = false) {
        if (creds.client_id.empty() || creds.client_secret.empty() || creds.app_key.empty())
            return make_error(errc::missing_credential,
                              "Finicity needs a client id, a client secret and an App-Key");
        if (!is_vschar_text(creds.app_key.expose_secret_chars()))
            return make_error(errc::invalid_configuration,
                              "the App-Key has characters outside %x20-7E");
        OBAUTH_TRY(boost::urls::url u, detail::parse_base_url(url, allow_http_loopback));
        return config(std::move(creds), std::move(u));
    }

    const boost::urls::url& base() const noexcept { return base_; }
    const std::string& client_id() const noexcept { return creds_.client_id; }
    const secret& client_secret() const noexcept { return creds_.client_secret; }
    const secret& app_key() const noexcept { return creds_.app_key; }

    std::string token_path = "/oauth/token";
    std::size_t max_response_bytes = 1024 * 1024;

    friend std::ostream& operator<<(std::ostream&, const config&) = delete;

private:
    config(credentials c, boost::urls::url u) : creds_(std::move(c)), base_(std::move(u)) {}
    credentials creds_;
    boost::urls::url base_;
};

namespace detail {
using namespace obauth::providers::detail;
inline http::http_request finicity_request(const config& c, http::http_method m,
                                           boost::urls::url url) {
    http::http_request r = json_request(m, std::move(url), true);
    r.headers.push_back({"Finicity-App-Key", c.app_key().expose_secret_chars()});
    return r;
}
} // namespace detail

/// POST /oauth/token: {"client_id", "client_secret", "grant_type": "client_credentials"}.
inline result<http::http_request> make_token_request(const config& c) {
    OBAUTH_TRY(boost::urls::url url, detail::endpoint_url(c.base(), c.token_path));
    http::http_request r = detail::finicity_request(c, http::http_method::post, std::move(url));
    detail::json_writer body;
    OBAUTH_TRY_VOID(body.add("client_id", c.client_id()));
    OBAUTH_TRY_VOID(body.add("client_secret", c.client_secret()));
    OBAUTH_TRY_VOID(body.add("grant_type", "client_credentials"));
    body.finish_into(r);
    return r;
}

/// The token answer: access_token, token_type Bearer, expires_in.
inline result<oauth::token_set>
process_token_response(const config& c, const http::http_response& r, time_point now) {
    oauth::token_response_options o;
    o.max_bytes = std::min<std::size_t>(c.max_response_bytes, 64 * 1024);
    return oauth::process_token_response(r, now, o);
}

/// An API request: `path` under the base URL with `query` parameters, the
/// Bearer token, the App-Key, JSON Accept and Content-Type, and `body`
/// (JSON text, for POST and PUT).
inline result<http::http_request> make_api_request(
    const config& c, http::http_method m, std::string_view path, const secret& access_token,
    const std::vector<std::pair<std::string, std::string>>& query = {}, std::string body = {}) {
    OBAUTH_TRY(boost::urls::url url, detail::endpoint_url(c.base(), path));
    for (const auto& [name, value] : query)
        url.params().append({name, value});
    http::http_request r = detail::finicity_request(c, m, std::move(url));
    OBAUTH_TRY_VOID(detail::set_bearer(r, access_token));
    r.body = std::move(body);
    return r;
}

/// An API answer: a JSON object with a 2xx status, or the refusal (401
/// invalid_credentials: fetch a new token; 429 with Retry-After; ...).
inline result<json> process_api_response(const config& c, const http::http_response& r,
                                         time_point now) {
    return detail::parse_success(r, {200, 201, 202}, c.max_response_bytes, now);
}

/// Token manager options for Finicity: a token is fetched again when less
/// than `skew` (or 10 % of its lifetime) is left, well before `expires_in`
/// runs out; an answer without expires_in is taken to last the 3600 s of
/// the seed's example.
inline oauth::token_manager_options
token_manager_options(std::chrono::seconds skew = std::chrono::seconds(120)) {
    oauth::token_manager_options o;
    o.refresh_skew = skew;
    o.refresh_fraction = 0.1;
    o.default_lifetime = std::chrono::seconds(3600);
    o.client_credentials = true;
    return o;
}

/// The request builder for oauth::token_manager: Finicity issues no refresh
/// tokens, so every fetch is a new token request. `c` must outlive it.
inline oauth::token_request_builder token_requests(const config& c) {
    return
        [&c](const oauth::token_key&, const secret*, time_point) { return make_token_request(c); };
}

/// A token manager that keeps a Finicity token fresh (proactive refresh,
/// one request in flight). `c` and `clock` must outlive it.
inline oauth::token_manager
make_token_manager(const config& c, oauth::transport_function transport, const clock_source& clock,
                   oauth::token_manager_options o = token_manager_options()) {
    return oauth::token_manager(token_requests(c), std::move(transport), clock, o,
                                std::min<std::size_t>(c.max_response_bytes, 64 * 1024));
}

} // namespace obauth::providers::finicity
