// Hamster Bank, seed 001: FAPI 1.0 Advanced open banking.
//
//   1. client credentials (scope "consents"), private_key_jwt (recommended)
//      or tls_client_auth, tokens bound to the client certificate;
//   2. POST /consents/{account-access|payment|funds-confirmation} with that
//      token -> the consent, AwaitingAuthorisation;
//   3. PAR + signed request object + PKCE, the request naming the consent
//      (the essential openbanking_intent_id claim), JARM by default;
//   4. token exchange; the ID token's openbanking_intent_id must be the
//      consent's id; the consent is then Authorised;
//   5. refresh (token manager: access 5 minutes, refresh 90 days), RFC 7662
//      introspection, and when the user disconnects: RFC 7009 revocation of
//      both tokens and deletion of the consent.
//
// The seed's endpoints are the defaults (/.well-known/openid-configuration,
// /.well-known/jwks.json, /oauth/par, /oauth/authorize, /oauth/token,
// /oauth/introspect, /oauth/revoke, /consents/...). The seed shows only the
// account-access create request; reading a consent back and deleting it use
// GET and DELETE on /consents/{type}/{consent id}, and the scope per
// consent type is accounts / payments / fundsconfirmations (the UK Open
// Banking names, which the seed's consent model follows). Paths are
// configurable.
#pragma once

#include "detail/common.hpp"
#include "error.hpp"

#include "../consent/binding.hpp"
#include "../consent/consent.hpp"
#include "../consent/hamster.hpp"
#include "../consent/lifecycle.hpp"
#include "../core/ascii.hpp"
#include "../jose/jwks.hpp"
#include "../oauth/authorization_code_flow.hpp"
#include "../oauth/client.hpp"
#include "../oauth/introspection.hpp"
#include "../oauth/revocation.hpp"
#include "../oauth/token_manager.hpp"
#include "../oauth/token_request.hpp"
#include "../oidc/discovery.hpp"
#include "../oidc/fapi.hpp"
#include "../oidc/provider_metadata.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace obauth::providers::hamster {

inline constexpr std::string_view base_url = "https://api.hamsterbank.ai";

/// The seed's token lifetimes.
inline constexpr std::chrono::seconds access_token_lifetime{5 * 60};
inline constexpr std::chrono::seconds refresh_token_lifetime{90 * 24 * 3600};
inline constexpr std::chrono::seconds id_token_lifetime{5 * 60};

/// The seed's endpoints, relative to the base URL.
struct endpoint_paths {
    std::string discovery = "/.well-known/openid-configuration";
    std::string jwks = "/.well-known/jwks.json";
    std::string par = "/oauth/par";
    std::string authorize = "/oauth/authorize";
    std::string token = "/oauth/token";
    std::string introspect = "/oauth/introspect";
    std::string revoke = "/oauth/revoke";
    std::string consents = "/consents";
};

/// Where the bank is.
class bank {
public:
    static result<bank> create(std::string_view url = base_url, endpoint_paths paths = {},
                               bool allow_http_loopback = false) {
        OBAUTH_TRY(boost::urls::url u, detail::parse_base_url(url, allow_http_loopback));
        for (const std::string* p :
             {&paths.discovery, &paths.jwks, &paths.par, &paths.authorize, &paths.token,
              &paths.introspect, &paths.revoke, &paths.consents})
            OBAUTH_TRY_VOID(detail::endpoint_url(u, *p));
        return bank(std::move(u), std::move(paths), allow_http_loopback);
    }

    /// The issuer: the base URL.
    std::string issuer() const { return std::string(base_.buffer()); }
    const endpoint_paths& paths() const noexcept { return paths_; }
    result<boost::urls::url> url(std::string_view path) const {
        return detail::endpoint_url(base_, path);
    }
    bool allows_http_loopback() const noexcept { return loopback_; }

private:
    bank(boost::urls::url u, endpoint_paths p, bool loopback)
        : base_(std::move(u)), paths_(std::move(p)), loopback_(loopback) {}
    boost::urls::url base_;
    endpoint_paths paths_;
    bool loopback_;
};

// --- discovery and keys -----------------------------------------------------

inline result<http::http_request> make_discovery_request(const bank& b) {
    OBAUTH_TRY(boost::urls::url url, b.url(b.paths().discovery));
    return detail::json_request(http::http_method::get, std::move(url), false);
}

/// The bank's metadata: issued by the bank's base URL, FAPI 1.0 Advanced
/// (oidc::check_fapi1_advanced), and the endpoints the profile uses.
inline result<oidc::provider_metadata> process_discovery_response(const bank& b,
                                                                  const http::http_response& r) {
    oidc::metadata_options o;
    o.expected_issuer = b.issuer();
    o.urls.allow_http_loopback = b.allows_http_loopback();
    OBAUTH_TRY(oidc::provider_metadata md, oidc::process_discovery_response(r, o));
    OBAUTH_TRY_VOID(oidc::check_fapi1_advanced(md));
    for (const auto e :
         {oidc::endpoint::token, oidc::endpoint::pushed_authorization_request,
          oidc::endpoint::authorization, oidc::endpoint::introspection, oidc::endpoint::revocation})
        if (!md.endpoints.get(e))
            return make_error(errc::invalid_response,
                              std::string("no ") + oidc::endpoint_name(e) + " in the metadata");
    if (!md.jwks_uri)
        return make_error(errc::invalid_response, "no jwks_uri in the metadata");
    return md;
}

/// The metadata the seed documents, for when discovery cannot be used (or
/// to compare it with): the seed's endpoints under the base URL, FAPI 1.0
/// Advanced (PAR required, signed request objects, PS256/ES256, PKCE S256,
/// JARM, certificate-bound tokens), private_key_jwt and tls_client_auth.
inline result<oidc::provider_metadata> seed_metadata(const bank& b) {
    oidc::provider_metadata md;
    md.issuer = b.issuer();
    const endpoint_paths& p = b.paths();
    OBAUTH_TRY(md.endpoints.authorization, b.url(p.authorize));
    OBAUTH_TRY(md.endpoints.token, b.url(p.token));
    OBAUTH_TRY(md.endpoints.pushed_authorization_request, b.url(p.par));
    OBAUTH_TRY(md.endpoints.introspection, b.url(p.introspect));
    OBAUTH_TRY(md.endpoints.revocation, b.url(p.revoke));
    OBAUTH_TRY(md.jwks_uri, b.url(p.jwks));
    const std::vector<std::string> algs{"PS256", "ES256"};
    md.scopes_supported = {"openid",   "accounts",      "payments", "fundsconfirmations",
                           "consents", "offline_access"};
    md.response_types_supported = {"code", "code id_token"};
    md.response_modes_supported = {"query", "fragment", "jwt"};
    md.grant_types_supported = {"authorization_code", "refresh_token", "client_credentials"};
    md.subject_types_supported = {"public"};
    md.code_challenge_methods_supported = {"S256"};
    md.token_endpoint_auth_methods_supported = {"private_key_jwt", "tls_client_auth"};
    md.token_endpoint_auth_signing_alg_values_supported = algs;
    md.id_token_signing_alg_values_supported = algs;
    md.request_object_signing_alg_values_supported = algs;
    md.authorization_signing_alg_values_supported = algs;
    md.require_pushed_authorization_requests = true;
    md.require_signed_request_object = true;
    md.request_parameter_supported = true;
    md.claims_parameter_supported = true;
    md.tls_client_certificate_bound_access_tokens = true;
    return md;
}

/// GET the metadata's jwks_uri.
inline result<http::http_request> make_jwks_request(const oidc::provider_metadata& md) {
    if (!md.jwks_uri)
        return make_error(errc::invalid_configuration, "no jwks_uri");
    return detail::json_request(http::http_method::get, *md.jwks_uri, false);
}

/// The bank's public signing keys (ID tokens, JARM, introspection JWTs).
inline result<jose::jwks> process_jwks_response(const http::http_response& r, time_point now) {
    if (r.status != 200)
        return detail::status_error(r, now);
    if (auto ct = http::check_media_type(r, {"application/json", "application/jwk-set+json"}); !ct)
        return make_error(errc::invalid_response, ct.error().detail);
    auto keys = jose::parse_jwks(r.body);
    if (!keys)
        return make_error(errc::invalid_response, keys.error().to_string());
    return keys;
}

// --- the client ----------------------------------------------------------------

/// The TPP as the bank's client: private_key_jwt (PS256 or ES256, the
/// assertion's audience the token endpoint as in the seed) or
/// tls_client_auth; access tokens bound to the client certificate.
inline result<oauth::client> make_client(oidc::provider_metadata md, oauth::client_auth auth) {
    if (auth.method() == oauth::auth_method::private_key_jwt) {
        auto alg = auth.algorithm() ? result<jose::algorithm>(*auth.algorithm())
                                    : auth.key()->default_algorithm();
        if (!alg || (*alg != jose::algorithm::PS256 && *alg != jose::algorithm::ES256))
            return make_error(errc::invalid_configuration,
                              "private_key_jwt is signed with PS256 or ES256");
        if (!md.endpoints.token)
            return make_error(errc::invalid_configuration, "no token endpoint");
        auth.assertion_audience_sources = {oauth::audience_source::token_endpoint};
    } else if (auth.method() != oauth::auth_method::tls_client_auth) {
        return make_error(errc::invalid_configuration,
                          "Hamster Bank takes private_key_jwt or tls_client_auth");
    }
    return oauth::client{std::move(md), std::move(auth), true, 256 * 1024};
}

/// Client credentials for consent management: scope "consents".
inline result<http::http_request>
make_consents_token_request(const oauth::client& c, time_point now,
                            random_generator& rng = default_random()) {
    return oauth::make_token_request(c, oauth::client_credentials_grant{{"consents"}}, now, {},
                                     rng);
}

/// The token manager's settings for the seed's lifetimes: an access token
/// without expires_in lasts 5 minutes; a refresh token is not used after
/// 90 days (the user authorizes again, as the consent needs anyway).
inline oauth::token_manager_options token_manager_options() {
    oauth::token_manager_options o;
    o.default_lifetime = access_token_lifetime;
    o.refresh_token_lifetime = refresh_token_lifetime;
    o.refresh_skew = std::chrono::seconds(30);
    return o;
}

// --- consents ------------------------------------------------------------------

namespace detail {
using namespace obauth::providers::detail;

inline result<http::http_request> consent_request(const bank& b, http::http_method m,
                                                  consent::consent_type t, std::string_view id,
                                                  const secret& token, bool body) {
    std::string path = b.paths().consents + "/" + std::string(consent::consent_type_name(t));
    if (!id.empty()) {
        OBAUTH_TRY_VOID(consent::check_consent_id(id));
        OBAUTH_TRY(const std::string seg, path_segment(id));
        path += "/" + seg;
    }
    OBAUTH_TRY(boost::urls::url url, b.url(path));
    http::http_request r = json_request(m, std::move(url), body);
    OBAUTH_TRY_VOID(set_bearer(r, token));
    r.use_client_certificate = true; // the token is bound to the certificate
    return r;
}

inline result<consent::consent> read_consent(consent::consent_type t, const http::http_response& r,
                                             std::initializer_list<int> ok, time_point now) {
    if (!http::status_in(r.status, ok))
        return status_error(r, now);
    if (r.body.size() > 64 * 1024)
        return make_error(errc::invalid_response, "consent over 64 KiB");
    if (auto ct = http::check_media_type(r, {"application/json"}); !ct)
        return make_error(errc::invalid_response, ct.error().detail);
    auto c = consent::hamster::parse_consent_body(t, r.body);
    if (!c)
        return make_error(errc::invalid_response, c.error().to_string());
    return c;
}
} // namespace detail

/// POST /consents/{type}: the consent (validated first) with the client
/// credentials token, an `x-idempotency-key` (a new v4 UUID unless given;
/// a given one is 1 to 40 visible ASCII characters, as UK Open Banking's)
/// and an `x-fapi-interaction-id`.
inline result<http::http_request> make_create_consent_request(
    const bank& b, const secret& consents_token, const consent::consent_request& r, time_point now,
    std::string idempotency_key = {}, random_generator& rng = default_random()) {
    OBAUTH_TRY(std::string body, consent::hamster::request_body(r, now));
    OBAUTH_TRY(http::http_request req, detail::consent_request(b, http::http_method::post, r.type,
                                                               {}, consents_token, true));
    if (idempotency_key.empty()) {
        OBAUTH_TRY(idempotency_key, consent::new_idempotency_key(rng));
    } else if (idempotency_key.size() > 40 || !is_vschar_text(idempotency_key) ||
               idempotency_key.find(' ') != std::string::npos) {
        return make_error(errc::invalid_argument,
                          "x-idempotency-key is 1 to 40 visible ASCII characters");
    }
    OBAUTH_TRY(std::string interaction, consent::new_idempotency_key(rng));
    req.headers.push_back({"x-idempotency-key", std::move(idempotency_key)});
    req.headers.push_back({"x-fapi-interaction-id", std::move(interaction)});
    req.body = std::move(body);
    return req;
}

/// The created consent: 201 (or 200), AwaitingAuthorisation, and what was
/// asked for (the bank must not have changed the request).
inline result<consent::consent> process_create_consent_response(const consent::consent_request& r,
                                                                const http::http_response& resp,
                                                                time_point now) {
    OBAUTH_TRY(consent::consent c, detail::read_consent(r.type, resp, {200, 201}, now));
    if (c.status != consent::consent_status::awaiting_authorisation)
        return make_error(errc::invalid_response,
                          "a new consent is " + std::string(consent::status_name(c.status)));
    OBAUTH_TRY(const std::string asked, consent::hamster::request_body(r, now));
    OBAUTH_TRY(const std::string got, consent::hamster::request_body(c.request, now));
    if (asked != got)
        return make_error(errc::invalid_response, "the bank changed the consent's terms");
    return c;
}

/// GET /consents/{type}/{id} (to follow its status).
inline result<http::http_request> make_get_consent_request(const bank& b, const secret& token,
                                                           consent::consent_type t,
                                                           std::string_view id) {
    return detail::consent_request(b, http::http_method::get, t, id, token, false);
}

inline result<consent::consent> process_get_consent_response(consent::consent_type t,
                                                             std::string_view id,
                                                             const http::http_response& r,
                                                             time_point now) {
    OBAUTH_TRY(consent::consent c, detail::read_consent(t, r, {200}, now));
    if (c.id != id)
        return make_error(errc::consent_mismatch, "asked for " + quote(id));
    return c;
}

/// DELETE /consents/{type}/{id}: the user disconnects (Revoked).
inline result<http::http_request> make_delete_consent_request(const bank& b, const secret& token,
                                                              consent::consent_type t,
                                                              std::string_view id) {
    return detail::consent_request(b, http::http_method::delete_, t, id, token, false);
}

inline result<void> process_delete_consent_response(const http::http_response& r, time_point now) {
    if (r.status == 200 || r.status == 204)
        return {};
    return detail::status_error(r, now);
}

// --- the authorization bound to the consent --------------------------------------

/// The scope for a consent type (with openid).
inline std::vector<std::string> consent_scopes(consent::consent_type t) {
    switch (t) {
    case consent::consent_type::account_access:
        return {"openid", "accounts"};
    case consent::consent_type::payment:
        return {"openid", "payments"};
    case consent::consent_type::funds_confirmation:
        return {"openid", "fundsconfirmations"};
    }
    return {"openid"};
}

/// FAPI 1.0 Advanced options (PAR, signed request object, PKCE S256, JARM
/// or hybrid, certificate-bound tokens) for authorizing `c`: its type's
/// scope (plus offline_access for standing consents, to get a refresh
/// token) and the essential openbanking_intent_id claim naming it. An ID
/// token issued more than the seed's 5 minutes ago is refused.
inline result<oauth::authorization_code_options>
authorization_options(const consent::consent& c, std::string redirect_uri,
                      jose::jwk request_object_key, jose::jwks bank_keys,
                      oauth::response_protection p = oauth::response_protection::jarm) {
    if (c.status != consent::consent_status::awaiting_authorisation)
        return make_error(errc::consent_not_authorised,
                          "only an AwaitingAuthorisation consent is authorized, not " +
                              std::string(consent::status_name(c.status)));
    std::vector<std::string> scope = consent_scopes(c.request.type);
    if (c.request.type != consent::consent_type::payment)
        scope.emplace_back("offline_access");
    oauth::authorization_code_options o =
        oauth::fapi1_advanced(std::move(redirect_uri), std::move(scope),
                              std::move(request_object_key), std::move(bank_keys), p);
    auto claims = consent::intent_claims(c.id);
    if (!claims)
        return make_error(errc::invalid_argument, claims.error().to_string());
    o.parameters.claims = std::move(*claims);
    o.id_token_max_iat_age = id_token_lifetime;
    return o;
}

/// The tokens are for `consent_id`: the validated ID token's
/// openbanking_intent_id names it.
inline result<void> check_consent_binding(const oauth::flow_complete& done,
                                          std::string_view consent_id) {
    if (!done.id_token)
        return make_error(errc::consent_mismatch, "no validated ID token");
    const json* v = find_member(done.id_token->claims(), "openbanking_intent_id");
    const auto* s = v ? v->get_ptr<const json::string_t*>() : nullptr;
    if (s == nullptr)
        return make_error(errc::consent_mismatch, "the ID token names no consent");
    if (*s != consent_id)
        return make_error(errc::consent_mismatch, "the ID token names " + quote(*s));
    return {};
}

/// After the authorization, the consent read back must be Authorised.
inline result<void> check_authorised(const consent::consent& c, time_point now) {
    const auto s = consent::effective_status(c, now);
    if (s != consent::consent_status::authorised)
        return make_error(errc::consent_not_authorised,
                          "the consent is " + std::string(consent::status_name(s)));
    return {};
}

// --- the bank's APIs --------------------------------------------------------------

/// The FAPI 1.0 headers of a resource request (Part 1 §6.2.2): the
/// interaction id (an RFC 4122 UUID; a new v4 one when empty) and, when the
/// user is present, their IP address and when they last logged in with the
/// bank. Values that are not what FAPI says are refused.
struct fapi_headers {
    std::string interaction_id;
    std::string customer_ip_address;
    std::optional<time_point> auth_date;
};

/// A request to the bank's API at `path` (with `query`): the access token,
/// over mTLS (it is bound to the certificate), JSON, the FAPI headers.
inline result<http::http_request>
make_resource_request(const bank& b, http::http_method m, std::string_view path,
                      const secret& access_token, fapi_headers h = {},
                      const std::vector<std::pair<std::string, std::string>>& query = {},
                      random_generator& rng = default_random()) {
    OBAUTH_TRY(boost::urls::url url, b.url(path));
    for (const auto& [name, value] : query)
        url.params().append({name, value});
    http::http_request r = detail::json_request(m, std::move(url), false);
    OBAUTH_TRY_VOID(detail::set_bearer(r, access_token));
    r.use_client_certificate = true;
    if (h.interaction_id.empty()) {
        OBAUTH_TRY(h.interaction_id, consent::new_idempotency_key(rng));
    } else if (!detail::uuid(h.interaction_id)) {
        return make_error(errc::invalid_argument, "x-fapi-interaction-id is not an RFC 4122 UUID");
    }
    if (!h.customer_ip_address.empty() && !detail::ip_address(h.customer_ip_address))
        return make_error(errc::invalid_argument,
                          "x-fapi-customer-ip-address is not an IP address");
    r.headers.push_back({"x-fapi-interaction-id", std::move(h.interaction_id)});
    if (!h.customer_ip_address.empty())
        r.headers.push_back({"x-fapi-customer-ip-address", std::move(h.customer_ip_address)});
    if (h.auth_date) // RFC 7231 IMF-fixdate
        r.headers.push_back({"x-fapi-auth-date", http::format_http_date(*h.auth_date)});
    return r;
}

/// The API's answer to `sent`: a JSON object with a 2xx status, the
/// x-fapi-interaction-id echoed when the bank sends one back (FAPI 1.0
/// Part 1 §6.2.1); 401 invalid_credentials (refresh), 403 forbidden (the
/// consent does not allow it), ...
inline result<json> process_resource_response(const http::http_request& sent,
                                              const http::http_response& r, time_point now) {
    OBAUTH_TRY(json doc, detail::parse_success(r, {200, 201}, 4 * 1024 * 1024, now));
    const auto* echoed = r.header("x-fapi-interaction-id");
    const auto* ours = sent.header("x-fapi-interaction-id");
    if (echoed != nullptr && (ours == nullptr || *echoed != *ours))
        return make_error(errc::invalid_response, "x-fapi-interaction-id is not the one sent");
    return doc;
}

// --- disconnecting --------------------------------------------------------------

/// What to send when the user disconnects, in order: revoke the refresh
/// token (RFC 7009 revokes the grant with it), revoke the access token,
/// delete the consent with a client credentials token.
inline result<std::vector<http::http_request>>
make_disconnect_requests(const oauth::client& c, const bank& b, const oauth::token_set& tokens,
                         const secret& consents_token, const consent::consent& consent,
                         time_point now, random_generator& rng = default_random()) {
    std::vector<http::http_request> out;
    if (tokens.refresh_token) {
        OBAUTH_TRY(http::http_request r, oauth::make_revocation_request(c, *tokens.refresh_token,
                                                                        "refresh_token", now, rng));
        out.push_back(std::move(r));
    }
    OBAUTH_TRY(http::http_request a,
               oauth::make_revocation_request(c, tokens.access_token, "access_token", now, rng));
    out.push_back(std::move(a));
    OBAUTH_TRY(http::http_request d,
               make_delete_consent_request(b, consents_token, consent.request.type, consent.id));
    out.push_back(std::move(d));
    return out;
}

} // namespace obauth::providers::hamster
