// FinHub, seed 003: a JSON login that opens a user session.
//
//   POST {base}{login_path}    headers Content-Type, sec-ch-ua-platform,
//                              X-Forwarded-For, User-Agent, X-Tenant-ID (all required)
//                              {"username", "password", "customerId", "customerSecret",
//                               "accountType": "b2b"|"b2c", "grantType"}
//     -> {"expires_in", "token_type", "scope", "customerId", "tenantId",
//         "userSessionToken" (a JWT), "refreshToken"}
//   POST {base}{refresh_path}  the same headers, Authorization: Bearer <userSessionToken>
//                              {"refreshToken", "internalTokenKey"}
//
// `internalTokenKey` is read from the userSessionToken's claims: verified
// with the configured keys, or read unverified (session::verified says
// which) when FinHub's keys are not configured. The server refreshes only
// in the last 10 % of a session's validity (it answers with the current
// validity otherwise), so make_refresh_request refuses earlier with
// refresh_not_due; a refreshed session must belong to the same user.
// Errors: 400 bad_request, 401 token_expired (the message says the token
// expired: log in again) or invalid_credentials, 403 forbidden (permissions
// or certificate), 429 rate_limited (back off: retry_delay), 500
// server_error. Integration and production presets: 3600 s vs 1800 s
// sessions, the client certificate optional vs mandatory.
//
// The seed gives neither host nor paths, nor the refresh request's shape:
// the base URL is the caller's, the paths default to /auth/login and
// /auth/refresh, and the refresh body is the conventional one above.
#pragma once

#include "detail/common.hpp"
#include "error.hpp"

#include "../core/ascii.hpp"
#include "../core/random.hpp"
#include "../jose/jwks.hpp"
#include "../jose/jwt.hpp"

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace obauth::providers::finhub {

struct environment {
    const char* name;
    std::chrono::seconds session_lifetime; ///< when expires_in is absent
    bool client_certificate_required;
};
inline constexpr environment integration{"integration", std::chrono::seconds(3600), false};
inline constexpr environment production{"production", std::chrono::seconds(1800), true};

enum class account_type { b2b, b2c };
inline std::string_view to_string(account_type t) noexcept {
    return t == account_type::b2b ? "b2b" : "b2c";
}

/// The headers FinHub requires on every request, describing the end user's
/// client. Content-Type is set by obauth.
struct client_headers {
    std::string platform;      ///< sec-ch-ua-platform, e.g. Windows
    std::string forwarded_for; ///< X-Forwarded-For: the client's IP address(es)
    std::string user_agent;    ///< User-Agent
    std::string tenant_id;     ///< X-Tenant-ID
};

/// The login parameters. Move-only.
struct login {
    std::string username;
    secret password;
    std::string customer_id;
    secret customer_secret;
    account_type type = account_type::b2c;
    std::string grant_type = "password"; ///< or client_credentials, ...
};

class config {
public:
    /// `has_client_certificate`: the caller's transport presents one;
    /// production requires it.
    static result<config> create(std::string_view base_url, environment env,
                                 bool has_client_certificate, bool allow_http_loopback = false) {
        if (env.client_certificate_required && !has_client_certificate)
            return make_error(errc::invalid_configuration,
                              std::string(env.name) + " requires a client certificate");
        OBAUTH_TRY(boost::urls::url u, detail::parse_base_url(base_url, allow_http_loopback));
        return config(std::move(u), env, has_client_certificate);
    }

    const boost::urls::url& base() const noexcept { return base_; }
    const environment& env() const noexcept { return env_; }
    bool uses_client_certificate() const noexcept { return certificate_; }

    std::string login_path = "/auth/login";
    std::string refresh_path = "/auth/refresh";
    /// FinHub's keys for userSessionToken; empty: claims read unverified.
    jose::jwks session_keys;
    jose::algorithm_set session_algorithms{jose::algorithm::RS256, jose::algorithm::PS256,
                                           jose::algorithm::ES256};
    std::optional<std::string> session_issuer; ///< checked when set
    std::size_t max_response_bytes = 64 * 1024;

private:
    config(boost::urls::url u, environment e, bool cert)
        : base_(std::move(u)), env_(e), certificate_(cert) {}
    boost::urls::url base_;
    environment env_;
    bool certificate_;
};

/// A user session. Move-only.
struct session {
    secret user_session_token;
    secret refresh_token;
    std::string token_type;
    std::vector<std::string> scope;
    std::chrono::seconds expires_in{0};
    time_point issued_at{};
    std::string customer_id;
    std::string tenant_id;
    std::string internal_token_key; ///< from the userSessionToken's claims
    std::string subject;            ///< its `sub`, when present
    bool verified = false;          ///< claims verified with config::session_keys

    time_point expires_at() const noexcept { return issued_at + expires_in; }
    /// The 10 % rule: due when at most a tenth of the validity is left.
    bool refresh_due(time_point now) const noexcept {
        return (expires_at() - now) * 10 <= expires_in;
    }
};

namespace detail {
using namespace obauth::providers::detail;

inline bool printable(std::string_view s, std::size_t max) noexcept {
    return !s.empty() && s.size() <= max && is_vschar_text(s);
}
} // namespace detail

/// Every required header present and well-formed (checked before any
/// request is built).
inline result<void> check_headers(const client_headers& h) {
    auto bad = [](const char* name) { return make_error(errc::invalid_header, name); };
    if (!detail::printable(h.platform, 64))
        return bad("sec-ch-ua-platform: 1 to 64 printable characters");
    if (!detail::printable(h.user_agent, 512))
        return bad("User-Agent: 1 to 512 printable characters");
    if (h.tenant_id.empty() || h.tenant_id.size() > 64)
        return bad("X-Tenant-ID: 1 to 64 characters");
    for (const char c : h.tenant_id)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return bad("X-Tenant-ID: letters, digits, '-', '_' and '.'");
    std::string_view list = h.forwarded_for;
    if (list.empty() || list.size() > 512)
        return bad("X-Forwarded-For: one or more IP addresses");
    while (true) {
        const auto comma = list.find(',');
        if (!detail::ip_address(trim_ows(list.substr(0, comma))))
            return bad("X-Forwarded-For: not a list of IP addresses");
        if (comma == std::string_view::npos)
            break;
        list.remove_prefix(comma + 1);
    }
    return {};
}

namespace detail {
inline result<http::http_request> finhub_request(const config& c, const client_headers& h,
                                                 const std::string& path) {
    OBAUTH_TRY_VOID(check_headers(h));
    OBAUTH_TRY(boost::urls::url url, endpoint_url(c.base(), path));
    http::http_request r = json_request(http::http_method::post, std::move(url), true);
    r.headers.push_back({"sec-ch-ua-platform", h.platform});
    r.headers.push_back({"X-Forwarded-For", h.forwarded_for});
    r.headers.push_back({"User-Agent", h.user_agent});
    r.headers.push_back({"X-Tenant-ID", h.tenant_id});
    r.use_client_certificate = c.uses_client_certificate();
    return r;
}

/// The session token's claims: verified when keys are configured.
inline result<json> session_claims(const config& c, std::string_view token, time_point now,
                                   bool& verified) {
    if (c.session_keys.empty()) {
        verified = false;
        return unverified_jwt_claims(token);
    }
    jose::jws_verify_options o;
    o.algorithms = c.session_algorithms;
    jose::jwt_validation v;
    v.issuer = c.session_issuer;
    auto jwt = jose::verify_jwt(token, c.session_keys, o, v, now);
    if (!jwt)
        return make_error(errc::invalid_response,
                          "userSessionToken does not verify: " + jwt.error().to_string());
    verified = true;
    return jwt->claims();
}

/// FinHub's error statuses; a 401 says whether the token expired.
inline error_info finhub_error(const http::http_response& r, time_point now) {
    error_info e = status_error(r, now);
    if (r.status == 401) {
        std::string text = response_message(r);
        for (const auto& h : r.headers)
            if (ascii_iequals(h.name, "WWW-Authenticate"))
                text += h.value;
        for (char& ch : text)
            ch = ascii_lower(ch);
        if (text.find("expired") != std::string::npos)
            e.code = make_error_code(errc::token_expired);
    }
    return e;
}

inline result<session> read_session(const config& c, const client_headers& h,
                                    std::string_view customer_id, const http::http_response& r,
                                    time_point now, std::optional<secret> previous_refresh) {
    if (r.status != 200 && r.status != 201)
        return finhub_error(r, now);
    std::array<secret_member, 2> tokens{{{"userSessionToken", {}}, {"refreshToken", {}}}};
    OBAUTH_TRY(json doc, parse_success(r, {200, 201}, c.max_response_bytes, now, tokens));
    session s;
    s.issued_at = now;
    OBAUTH_TRY(s.user_session_token, take_token(doc, "userSessionToken", &tokens[0]));
    if (find_member(doc, "refreshToken") != nullptr || !previous_refresh) {
        OBAUTH_TRY(s.refresh_token, take_token(doc, "refreshToken", &tokens[1]));
    } else {
        s.refresh_token = std::move(*previous_refresh);
    }
    OBAUTH_TRY(s.token_type, required_string(doc, "token_type"));
    if (!ascii_iequals(s.token_type, "Bearer"))
        return make_error(errc::invalid_response, "token_type " + quote(s.token_type));
    auto expires = get_optional_int64(doc, "expires_in");
    if (!expires || (*expires && (**expires <= 0 || **expires > 86400 * 30)))
        return make_error(errc::invalid_response, "expires_in is not 1 s to 30 days");
    s.expires_in = std::chrono::seconds(expires->value_or(c.env().session_lifetime.count()));
    OBAUTH_TRY(auto scope, optional_string(doc, "scope"));
    const std::string scope_text = scope.value_or("");
    for (std::string_view rest = scope_text; !rest.empty();) {
        const auto sp = rest.find(' ');
        if (sp != 0)
            s.scope.emplace_back(rest.substr(0, sp));
        rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
    }
    OBAUTH_TRY(s.customer_id, required_string(doc, "customerId"));
    OBAUTH_TRY(s.tenant_id, required_string(doc, "tenantId"));
    if (s.tenant_id != h.tenant_id)
        return make_error(errc::tenant_mismatch, "tenantId " + quote(s.tenant_id));
    if (s.customer_id != customer_id)
        return make_error(errc::tenant_mismatch, "customerId " + quote(s.customer_id));
    OBAUTH_TRY(const json claims,
               session_claims(c, s.user_session_token.expose_secret_chars(), now, s.verified));
    OBAUTH_TRY(s.internal_token_key, required_string(claims, "internalTokenKey"));
    OBAUTH_TRY(auto sub, optional_string(claims, "sub"));
    s.subject = sub.value_or("");
    return s;
}
} // namespace detail

/// The login request. Checks the headers and the parameters first.
inline result<http::http_request> make_login_request(const config& c, const client_headers& h,
                                                     const login& l) {
    if (l.username.empty() || l.password.empty() || l.customer_id.empty() ||
        l.customer_secret.empty() || l.grant_type.empty())
        return make_error(errc::missing_credential,
                          "username, password, customerId, customerSecret and grantType");
    OBAUTH_TRY(http::http_request r, detail::finhub_request(c, h, c.login_path));
    detail::json_writer body;
    OBAUTH_TRY_VOID(body.add("username", l.username));
    OBAUTH_TRY_VOID(body.add("password", l.password));
    OBAUTH_TRY_VOID(body.add("customerId", l.customer_id));
    OBAUTH_TRY_VOID(body.add("customerSecret", l.customer_secret));
    OBAUTH_TRY_VOID(body.add("accountType", to_string(l.type)));
    OBAUTH_TRY_VOID(body.add("grantType", l.grant_type));
    body.finish_into(r);
    return r;
}

/// The login answer: the session, its tenant and customer the ones asked
/// for, internalTokenKey read from the session token.
inline result<session> process_login_response(const config& c, const client_headers& h,
                                              const login& l, const http::http_response& r,
                                              time_point now) {
    return detail::read_session(c, h, l.customer_id, r, now, std::nullopt);
}

/// The refresh request, refused with refresh_not_due while more than 10 %
/// of the session is left (FinHub would not refresh it) unless `force`.
inline result<http::http_request> make_refresh_request(const config& c, const client_headers& h,
                                                       const session& s, time_point now,
                                                       bool force = false) {
    if (!force && !s.refresh_due(now))
        return make_error(errc::refresh_not_due);
    if (s.refresh_token.empty())
        return make_error(errc::missing_credential, "no refresh token");
    OBAUTH_TRY(http::http_request r, detail::finhub_request(c, h, c.refresh_path));
    OBAUTH_TRY_VOID(detail::set_bearer(r, s.user_session_token));
    detail::json_writer body;
    OBAUTH_TRY_VOID(body.add("refreshToken", s.refresh_token));
    OBAUTH_TRY_VOID(body.add("internalTokenKey", s.internal_token_key));
    body.finish_into(r);
    return r;
}

/// The refresh answer: a new session (or the current one with its current
/// validity) for the same user; a refresh token not sent again is kept.
inline result<session> process_refresh_response(const config& c, const client_headers& h,
                                                const session& previous,
                                                const http::http_response& r, time_point now) {
    OBAUTH_TRY(session s, detail::read_session(c, h, previous.customer_id, r, now,
                                               previous.refresh_token.clone()));
    if (s.subject != previous.subject || s.internal_token_key.empty())
        return make_error(errc::session_mismatch);
    return s;
}

/// How long to wait before retrying after `e`: the server's Retry-After
/// when it sent one, else exponential back-off from 1 s (attempt 0) up to
/// `cap`, with up to 50 % random jitter so clients do not retry in step.
inline std::chrono::milliseconds retry_delay(const error_info& e, unsigned attempt,
                                             std::chrono::seconds cap = std::chrono::seconds(300),
                                             random_generator& rng = default_random()) {
    if (e.retry_after)
        return std::chrono::duration_cast<std::chrono::milliseconds>(*e.retry_after);
    const auto capped = std::chrono::milliseconds(cap);
    std::chrono::milliseconds d(1000);
    for (unsigned i = 0; i < attempt && d < capped; ++i)
        d *= 2;
    d = std::min(d, capped);
    unsigned char b[2] = {0, 0};
    if (rng.fill(b, sizeof b))
        d += d * ((b[0] << 8) | b[1]) / 131072; // [0, 0.5) of d
    return d;
}

} // namespace obauth::providers::finhub
