// Token endpoint responses (RFC 6749 §5.1, §5.2): a typed token_set whose
// tokens are secrets, checked strictly: access_token and token_type
// required strings, token_type one the client accepts (compared
// case-insensitively, RFC 6749 §7.1), expires_in a non-negative integer,
// refresh_token, scope and id_token strings, authorization_details an
// array. A failure is the server's error with its own code (see
// endpoint_response.hpp). The ID token is returned as received; the flows
// validate it with oidc::validate_id_token.
#pragma once

#include "endpoint_response.hpp"
#include "error.hpp"

#include "../core/ascii.hpp"
#include "../core/clock.hpp"
#include "../core/json.hpp"
#include "../core/secret.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace obauth::oauth {

/// The tokens of one successful token response. Move-only (it holds
/// secrets); clone() copies on purpose.
struct token_set {
    secret access_token;
    std::string token_type; ///< as sent, e.g. "Bearer"
    std::optional<std::chrono::seconds> expires_in;
    time_point issued_at{}; ///< `now` of the processing call
    std::optional<secret> refresh_token;
    std::optional<std::vector<std::string>> scope; ///< when the server said which
    std::optional<std::string> id_token;           ///< compact JWT, not yet validated
    std::optional<std::string> issued_token_type;  ///< RFC 8693
    json authorization_details;                    ///< RFC 9396; null when absent
    json other = json::object();                   ///< members not modelled above

    bool is_bearer() const noexcept { return ascii_iequals(token_type, "Bearer"); }
    std::optional<time_point> expires_at() const {
        if (!expires_in)
            return std::nullopt;
        return issued_at + *expires_in;
    }
    token_set clone() const {
        token_set t;
        t.access_token = access_token.clone();
        t.token_type = token_type;
        t.expires_in = expires_in;
        t.issued_at = issued_at;
        if (refresh_token)
            t.refresh_token = refresh_token->clone();
        t.scope = scope;
        t.id_token = id_token;
        t.issued_token_type = issued_token_type;
        t.authorization_details = authorization_details;
        t.other = other;
        return t;
    }
};

struct token_response_options {
    /// Accepted token_type values (case-insensitive).
    std::vector<std::string> token_types{"Bearer"};
    bool require_id_token = false;
    bool require_refresh_token = false;
    std::size_t max_bytes = 256 * 1024;
};

namespace detail {
/// A token set from a token response's parsed object, whose access and
/// refresh tokens were taken out of the text into `tokens` first.
inline result<token_set> token_set_from(json& doc, std::array<secret_member, 2>& tokens,
                                        time_point now, const token_response_options& opt) {
    token_set t;
    t.issued_at = now;
    OBAUTH_TRY(auto access, detail::take_token(doc, "access_token", &tokens[0]));
    if (!access)
        return make_error(errc::invalid_response, "no access_token");
    t.access_token = std::move(*access);
    OBAUTH_TRY(auto refresh, detail::take_token(doc, "refresh_token", &tokens[1]));
    t.refresh_token = std::move(refresh);

    OBAUTH_TRY(auto type, detail::optional_string(doc, "token_type"));
    if (!type)
        return make_error(errc::invalid_response, "no token_type");
    bool accepted = false;
    for (const auto& a : opt.token_types)
        accepted = accepted || ascii_iequals(a, *type);
    if (!accepted)
        return make_error(errc::unexpected_token_type, "'" + detail::printable(*type, 32) + "'");
    t.token_type = std::move(*type);
    if (find_member(doc, "expires_in") != nullptr) {
        auto v = get_int64(doc, "expires_in");
        if (!v || *v < 0)
            return make_error(errc::invalid_response, "expires_in is not a non-negative integer");
        t.expires_in = std::chrono::seconds(std::min<std::int64_t>(*v, 10LL * 365 * 86400));
    }
    OBAUTH_TRY(auto scope, detail::optional_string(doc, "scope"));
    if (scope)
        t.scope = detail::split_scope(*scope);
    OBAUTH_TRY(t.id_token, detail::optional_string(doc, "id_token"));
    OBAUTH_TRY(t.issued_token_type, detail::optional_string(doc, "issued_token_type"));
    if (const json* ad = find_member(doc, "authorization_details")) {
        if (!ad->is_array())
            return make_error(errc::invalid_response, "authorization_details is not an array");
        t.authorization_details = *ad;
    }
    if (opt.require_id_token && !t.id_token)
        return make_error(errc::invalid_response, "no id_token");
    if (opt.require_refresh_token && !t.refresh_token)
        return make_error(errc::invalid_response, "no refresh_token");
    for (auto& [name, value] : *doc.get_ptr<json::object_t*>()) // an object: parse_json_success
        if (name != "access_token" && name != "refresh_token" && name != "token_type" &&
            name != "expires_in" && name != "scope" && name != "id_token" &&
            name != "issued_token_type" && name != "authorization_details")
            t.other[name] = std::move(value);
    return t;
}
} // namespace detail

/// Reads a token response. The token values never pass through the JSON
/// parser: they are taken out of a wiped copy of the body first
/// (core/json_secrets.hpp); the caller's response body is the caller's.
inline result<token_set> process_token_response(const http::http_response& r, time_point now,
                                                const token_response_options& opt = {}) {
    std::array<secret_member, 2> tokens{{{"access_token", {}}, {"refresh_token", {}}}};
    OBAUTH_TRY(json doc, parse_json_success(r, {200}, opt.max_bytes, now, tokens));
    return detail::token_set_from(doc, tokens, now, opt);
}

} // namespace obauth::oauth
