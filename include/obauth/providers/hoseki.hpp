// Hoseki Connect, seed 000: the server side of account linking. The
// application's server creates a session with its API key (a Bearer token,
// HTTPS only), hands the session's `client_secret` to its client
// application, which runs Hoseki's user interface; once the user has linked
// accounts, the server reads the session back and retrieves the accounts'
// data.
//
// The seed fixes the authentication (Bearer API key over HTTPS, anything
// else refused) and the session's client_secret; it leaves the paths and
// bodies open. obauth uses the conventional REST shapes and makes the paths
// configurable:
//   POST {base}/sessions                  body: the caller's JSON object (may be {})
//        -> {"id", "client_secret", "status", "accounts": [...]}
//   GET  {base}/sessions/{id}             -> the same, accounts once linked
//   GET  {base}/accounts/{id}[/{resource}] -> the account's JSON (resource:
//        "balances", "transactions", ...)
// A request is refused before it is built when the URL is not https or the
// API key is empty.
#pragma once

#include "detail/common.hpp"
#include "error.hpp"

#include "../core/ascii.hpp"

#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace obauth::providers::hoseki {

class config {
public:
    static result<config> create(std::string_view base_url, secret api_key,
                                 bool allow_http_loopback = false) {
        OBAUTH_TRY(boost::urls::url u, detail::parse_base_url(base_url, allow_http_loopback));
        config c(std::move(u), std::move(api_key));
        OBAUTH_TRY_VOID(c.check());
        return c;
    }

    const boost::urls::url& base() const noexcept { return base_; }
    const secret& api_key() const noexcept { return api_key_; }

    std::string sessions_path = "/sessions";
    std::string accounts_path = "/accounts";
    std::size_t max_response_bytes = 4 * 1024 * 1024;

    /// The rules every request is checked against before it is built.
    result<void> check() const {
        if (api_key_.empty())
            return make_error(errc::missing_credential, "no Hoseki API key");
        if (!is_vschar_text(api_key_.expose_secret_chars()))
            return make_error(errc::invalid_configuration,
                              "the Hoseki API key has characters outside %x20-7E");
        if (base_.scheme_id() != boost::urls::scheme::https && !allow_loopback_)
            return make_error(errc::insecure_url, "Hoseki requests go over HTTPS only");
        return {};
    }

    friend std::ostream& operator<<(std::ostream&, const config&) = delete;

private:
    config(boost::urls::url u, secret key)
        : base_(std::move(u)), api_key_(std::move(key)),
          allow_loopback_(base_.scheme_id() != boost::urls::scheme::https) {}
    boost::urls::url base_;
    secret api_key_;
    bool allow_loopback_; // only create() sets it, after parse_base_url allowed it
};

/// A linked account as the session lists it.
struct account {
    std::string id;
    std::string name;
    std::string type;
    json other = json::object(); ///< every other member, as sent
};

/// A session. Move-only: it carries the client_secret for the client app.
struct session {
    std::string id;
    std::string status;
    std::optional<secret> client_secret; ///< on creation (and when sent again)
    std::vector<account> accounts;
};

namespace detail {
using namespace obauth::providers::detail;

inline result<http::http_request> request(const config& c, http::http_method m,
                                          const std::string& path, bool json_body) {
    OBAUTH_TRY_VOID(c.check());
    OBAUTH_TRY(boost::urls::url url, endpoint_url(c.base(), path));
    http::http_request r = json_request(m, std::move(url), json_body);
    OBAUTH_TRY_VOID(set_bearer(r, c.api_key()));
    return r;
}

inline result<std::vector<account>> accounts_of(const json& doc) {
    std::vector<account> out;
    const json* list = find_member(doc, "accounts");
    if (list == nullptr || list->is_null())
        return out;
    if (!list->is_array() || list->size() > 1000)
        return make_error(errc::invalid_response, "'accounts' is not an array of at most 1000");
    for (const json& a : *list) {
        if (!a.is_object())
            return make_error(errc::invalid_response, "an account is not an object");
        account acc;
        OBAUTH_TRY(acc.id, required_string(a, "id"));
        OBAUTH_TRY(auto name, optional_string(a, "name"));
        OBAUTH_TRY(auto type, optional_string(a, "type"));
        acc.name = name.value_or("");
        acc.type = type.value_or("");
        for (const auto& [k, v] : a.items())
            if (k != "id" && k != "name" && k != "type")
                acc.other[k] = v;
        out.push_back(std::move(acc));
    }
    return out;
}
} // namespace detail

/// POST {sessions_path} with `parameters` (a JSON object; {} by default).
inline result<http::http_request>
make_create_session_request(const config& c, const json& parameters = json::object()) {
    if (!parameters.is_object())
        return make_error(errc::invalid_argument, "session parameters are a JSON object");
    OBAUTH_TRY(http::http_request r,
               detail::request(c, http::http_method::post, c.sessions_path, true));
    OBAUTH_TRY(r.body, serialize_json(parameters));
    return r;
}

/// GET {sessions_path}/{id}.
inline result<http::http_request> make_get_session_request(const config& c,
                                                           std::string_view session_id) {
    OBAUTH_TRY(const std::string id, detail::path_segment(session_id));
    return detail::request(c, http::http_method::get, c.sessions_path + "/" + id, false);
}

/// The create (200/201) or GET answer. `require_client_secret` for the
/// create answer: the client application cannot go on without it.
inline result<session> process_session_response(const config& c, const http::http_response& r,
                                                time_point now, bool require_client_secret) {
    std::array<secret_member, 1> secrets{{{"client_secret", {}}}};
    OBAUTH_TRY(json doc, detail::parse_success(r, {200, 201}, c.max_response_bytes, now, secrets));
    session s;
    OBAUTH_TRY(s.id, detail::required_string(doc, "id"));
    OBAUTH_TRY(auto status, detail::optional_string(doc, "status"));
    s.status = status.value_or("");
    if (find_member(doc, "client_secret") != nullptr || require_client_secret) {
        OBAUTH_TRY(s.client_secret, detail::take_token(doc, "client_secret", &secrets[0]));
    }
    OBAUTH_TRY(s.accounts, detail::accounts_of(doc));
    return s;
}

/// What the server hands to its client application: {"client_secret": ...}
/// as a secret (the session id stays on the server).
inline result<secret> client_handoff(const session& s) {
    if (!s.client_secret)
        return make_error(errc::invalid_argument, "the session has no client_secret");
    std::string body = "{\"client_secret\":";
    body.reserve(body.size() + s.client_secret->size() * 6 + 3);
    if (!append_json_string(s.client_secret->expose_secret_chars(), body)) {
        secret::wipe(body);
        return make_error(errc::invalid_response, "client_secret is not UTF-8");
    }
    body += '}';
    return secret::take(body);
}

/// The accounts the user linked; session_incomplete while there are none.
inline result<const std::vector<account>*> linked_accounts(const session& s) {
    if (s.accounts.empty())
        return make_error(errc::session_incomplete,
                          "session " + quote(s.id) + " status " + quote(s.status));
    return &s.accounts;
}

/// GET {accounts_path}/{account id}[/{resource}].
inline result<http::http_request> make_account_request(const config& c, std::string_view account_id,
                                                       std::string_view resource = {}) {
    OBAUTH_TRY(std::string path, detail::path_segment(account_id));
    path = c.accounts_path + "/" + path;
    if (!resource.empty()) {
        OBAUTH_TRY(const std::string seg, detail::path_segment(resource));
        path += "/" + seg;
    }
    return detail::request(c, http::http_method::get, path, false);
}

/// An account data answer: the JSON object as sent.
inline result<json> process_account_response(const config& c, const http::http_response& r,
                                             time_point now) {
    return detail::parse_success(r, {200}, c.max_response_bytes, now);
}

} // namespace obauth::providers::hoseki
