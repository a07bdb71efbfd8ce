// finAPI, seed 002: two ways to an access token.
//
// Access (a long-running user):
//   POST {access}/api/v2/oauth/token   grant_type=client_credentials, client_id, client_secret
//   POST {access}/api/v2/users         Bearer client token; JSON {"id", "password", "email",
//                                      "phone", "isAutoUpdateEnabled"} -> the user (201)
//   POST {access}/api/v2/oauth/token   grant_type=password, client_id, client_secret,
//                                      username, password -> the user's token (and refresh)
//   DELETE {access}/api/v2/users       Bearer user token: deletes the authorized user
// Process Controller (a one-time process):
//   POST {pcl}/api/v1/processes        {"clientId", "clientSecret", "clientReferences":
//                                      [{"clientReference"}], "processId"} -> process tokens
//   GET  {pcl}/api/v1/processes/{processToken}?invalidate=true -> {"accessToken"}
//
// The token endpoint is RFC 6749's, so it is an oauth::client (credentials
// as client_secret_post, as the seed lists them) with hand-made metadata and
// the oauth module's grants, flows and token manager. The seed names the
// sandbox hosts; the production Access host is finAPI's live.finapi.io, and
// the production Process Controller host follows the sandbox host's naming
// (configurable: check it against your contract). The seed leaves the user
// body open: obauth sends finAPI's documented member names. The client
// secret in the process body is written into wiped memory and never copied
// into a JSON document.
#pragma once

#include "detail/common.hpp"
#include "error.hpp"

#include "../oauth/client.hpp"
#include "../oauth/token_request.hpp"
#include "../oauth/token_response.hpp"
#include "../oidc/provider_metadata.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace obauth::providers::finapi {

struct environment {
    std::string access_url;
    std::string process_controller_url;
};
inline environment sandbox() {
    return {"https://sandbox.finapi.io", "https://di-processctl-finapi-general-sandbox.finapi.io"};
}
inline environment production() {
    return {"https://live.finapi.io", "https://di-processctl-finapi-general-live.finapi.io"};
}

class config {
public:
    static result<config> create(const environment& env, std::string client_id,
                                 secret client_secret, bool allow_http_loopback = false) {
        if (client_id.empty() || client_secret.empty())
            return make_error(errc::missing_credential, "finAPI needs a client id and secret");
        OBAUTH_TRY(boost::urls::url access,
                   detail::parse_base_url(env.access_url, allow_http_loopback));
        OBAUTH_TRY(boost::urls::url pcl,
                   detail::parse_base_url(env.process_controller_url, allow_http_loopback));
        OBAUTH_TRY(boost::urls::url token, detail::endpoint_url(access, "/api/v2/oauth/token"));
        oidc::provider_metadata md;
        md.issuer = std::string(access.buffer());
        md.endpoints.token = std::move(token);
        md.token_endpoint_auth_methods_supported = {"client_secret_post"};
        oauth::client c{std::move(md),
                        oauth::client_auth::client_secret_post(client_id, client_secret.clone()),
                        false, 256 * 1024};
        return config(std::move(c), std::move(access), std::move(pcl), std::move(client_id),
                      std::move(client_secret));
    }

    /// The OAuth client of finAPI Access (token requests, token manager).
    const oauth::client& access_client() const noexcept { return client_; }
    const boost::urls::url& access() const noexcept { return access_; }
    const boost::urls::url& process_controller() const noexcept { return pcl_; }
    const std::string& client_id() const noexcept { return client_id_; }
    const secret& client_secret() const noexcept { return client_secret_; }
    std::size_t max_response_bytes = 256 * 1024;

    friend std::ostream& operator<<(std::ostream&, const config&) = delete;

private:
    config(oauth::client c, boost::urls::url access, boost::urls::url pcl, std::string id, secret s)
        : client_(std::move(c)), access_(std::move(access)), pcl_(std::move(pcl)),
          client_id_(std::move(id)), client_secret_(std::move(s)) {}
    oauth::client client_;
    boost::urls::url access_, pcl_;
    std::string client_id_;
    secret client_secret_;
};

// --- Access -----------------------------------------------------------------

/// grant_type=client_credentials with the client's id and secret.
inline result<http::http_request> make_client_token_request(const config& c, time_point now) {
    return oauth::make_token_request(c.access_client(), oauth::client_credentials_grant{}, now);
}

/// grant_type=password for a user (the id and password from user creation).
inline result<http::http_request> make_user_token_request(const config& c, std::string username,
                                                          secret password, time_point now) {
    if (password.empty())
        return make_error(errc::invalid_argument, "empty user password");
    return oauth::make_token_request(
        c.access_client(), oauth::password_grant{std::move(username), std::move(password), {}},
        now);
}

/// Either token answer (finAPI sends token_type "bearer").
inline result<oauth::token_set>
process_token_response(const config& c, const http::http_response& r, time_point now) {
    oauth::token_response_options o;
    o.max_bytes = c.max_response_bytes;
    return oauth::process_token_response(r, now, o);
}

/// A user to create; every member optional (finAPI generates id and password).
struct new_user {
    std::optional<std::string> id;
    std::optional<secret> password;
    std::optional<std::string> email;
    std::optional<std::string> phone;
    std::optional<bool> auto_update;
};

/// A created user. Move-only (the password).
struct user {
    std::string id;
    secret password;
    std::optional<std::string> email;
    std::optional<std::string> phone;
    bool auto_update = false;
};

/// POST /api/v2/users with the client's access token.
inline result<http::http_request>
make_create_user_request(const config& c, const secret& client_token, const new_user& u) {
    OBAUTH_TRY(boost::urls::url url, detail::endpoint_url(c.access(), "/api/v2/users"));
    http::http_request r = detail::json_request(http::http_method::post, std::move(url), true);
    OBAUTH_TRY_VOID(detail::set_bearer(r, client_token));
    detail::json_writer body;
    if (u.id) {
        if (u.id->empty() || u.id->size() > 36)
            return make_error(errc::invalid_argument, "user id of 1 to 36 characters");
        OBAUTH_TRY_VOID(body.add("id", *u.id));
    }
    if (u.password) {
        if (u.password->size() < 6 || u.password->size() > 128)
            return make_error(errc::invalid_argument, "user password of 6 to 128 characters");
        OBAUTH_TRY_VOID(body.add("password", *u.password));
    }
    if (u.email)
        OBAUTH_TRY_VOID(body.add("email", *u.email));
    if (u.phone)
        OBAUTH_TRY_VOID(body.add("phone", *u.phone));
    if (u.auto_update)
        OBAUTH_TRY_VOID(body.add_json("isAutoUpdateEnabled", *u.auto_update));
    body.finish_into(r);
    return r;
}

/// The created user (201).
inline result<user> process_create_user_response(const config& c, const http::http_response& r,
                                                 time_point now) {
    OBAUTH_TRY(json doc, detail::parse_success(r, {200, 201}, c.max_response_bytes, now));
    user u;
    OBAUTH_TRY(u.id, detail::required_string(doc, "id"));
    OBAUTH_TRY(u.password, detail::take_secret(doc, "password"));
    OBAUTH_TRY(u.email, detail::optional_string(doc, "email"));
    OBAUTH_TRY(u.phone, detail::optional_string(doc, "phone"));
    auto au = get_optional_bool(doc, "isAutoUpdateEnabled");
    if (!au)
        return make_error(errc::invalid_response, au.error().detail);
    u.auto_update = au->value_or(false);
    return u;
}

/// DELETE /api/v2/users with the user's own access token.
inline result<http::http_request> make_delete_user_request(const config& c,
                                                           const secret& user_token) {
    OBAUTH_TRY(boost::urls::url url, detail::endpoint_url(c.access(), "/api/v2/users"));
    http::http_request r = detail::json_request(http::http_method::delete_, std::move(url), false);
    OBAUTH_TRY_VOID(detail::set_bearer(r, user_token));
    return r;
}

inline result<void> process_delete_user_response(const http::http_response& r, time_point now) {
    if (r.status == 200 || r.status == 204)
        return {};
    return detail::status_error(r, now);
}

// --- Process Controller -------------------------------------------------------

/// A created process: the reference sent and its process token. Move-only.
struct process {
    std::string client_reference;
    secret process_token;
};

/// POST /api/v1/processes: one process per client reference.
inline result<http::http_request>
make_create_process_request(const config& c, const std::vector<std::string>& client_references,
                            std::string_view process_id = "USER_ONLY") {
    if (client_references.empty() || client_references.size() > 100)
        return make_error(errc::invalid_argument, "1 to 100 client references");
    if (process_id.empty())
        return make_error(errc::invalid_argument, "empty processId");
    json refs = json::array();
    for (const auto& ref : client_references) {
        if (ref.empty() || ref.size() > 256)
            return make_error(errc::invalid_argument, "a client reference of 1 to 256 characters");
        refs.push_back({{"clientReference", ref}});
    }
    OBAUTH_TRY(boost::urls::url url,
               detail::endpoint_url(c.process_controller(), "/api/v1/processes"));
    http::http_request r = detail::json_request(http::http_method::post, std::move(url), true);
    detail::json_writer body;
    OBAUTH_TRY_VOID(body.add("clientId", c.client_id()));
    OBAUTH_TRY_VOID(body.add("clientSecret", c.client_secret()));
    OBAUTH_TRY_VOID(body.add_json("clientReferences", refs));
    OBAUTH_TRY_VOID(body.add("processId", process_id));
    body.finish_into(r);
    return r;
}

/// The process tokens, one for each reference sent and no other.
inline result<std::vector<process>>
process_create_process_response(const config& c, const http::http_response& r,
                                const std::vector<std::string>& client_references, time_point now) {
    OBAUTH_TRY(json doc, detail::parse_success(r, {200, 201}, c.max_response_bytes, now));
    json* list = const_cast<json*>(find_member(doc, "processes")); // ours to change
    if (list == nullptr || !list->is_array() || list->empty())
        return make_error(errc::invalid_response, "'processes' is missing or empty");
    std::vector<process> out;
    for (json& p : *list) {
        if (!p.is_object())
            return make_error(errc::invalid_response, "a process is not an object");
        process proc;
        OBAUTH_TRY(proc.client_reference, detail::required_string(p, "clientReference"));
        if (std::find(client_references.begin(), client_references.end(), proc.client_reference) ==
            client_references.end())
            return make_error(errc::invalid_response,
                              "a process for an unknown reference " + quote(proc.client_reference));
        OBAUTH_TRY(proc.process_token, detail::take_token(p, "processToken"));
        out.push_back(std::move(proc));
    }
    if (out.size() != client_references.size())
        return make_error(errc::invalid_response, "not one process per reference");
    return out;
}

/// GET /api/v1/processes/{processToken}?invalidate=true: the token is used up.
inline result<http::http_request> make_process_token_request(const config& c,
                                                             const secret& process_token) {
    OBAUTH_TRY(std::string path, detail::path_segment(process_token.expose_secret_chars()));
    path.insert(0, "/api/v1/processes/");
    auto url = detail::endpoint_url(c.process_controller(), path);
    secret::wipe(path);
    if (!url)
        return std::move(url).error();
    url->params().append({"invalidate", "true"});
    return detail::json_request(http::http_method::get, std::move(*url), false);
}

/// {"accessToken"}: the Access user token the process manages.
inline result<secret> process_process_token_response(const config& c, const http::http_response& r,
                                                     time_point now) {
    std::array<secret_member, 1> token{{{"accessToken", {}}}};
    OBAUTH_TRY(json doc, detail::parse_success(r, {200}, c.max_response_bytes, now, token));
    return detail::take_token(doc, "accessToken", &token[0]);
}

} // namespace obauth::providers::finapi
