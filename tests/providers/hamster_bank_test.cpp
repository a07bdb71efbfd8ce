#include <obauth/providers/hamster_bank.hpp>

#include "support/consent_support.hpp"
#include "support/hostile_bodies.hpp"
#include "support/oauth_support.hpp"

#include <obauth/http/form.hpp>

#include <gtest/gtest.h>

#include <initializer_list>
#include <map>
#include <string>
#include <utility>

namespace {

using namespace obauth;
using namespace obauth::providers;
using namespace std::chrono_literals;
using consent::consent_request;
using consent::permission;

const time_point now = test::consent_now;
const std::string issuer = "https://api.hamsterbank.ai";

json hamster_metadata() {
    return {{"issuer", issuer},
            {"authorization_endpoint", issuer + "/oauth/authorize"},
            {"token_endpoint", issuer + "/oauth/token"},
            {"pushed_authorization_request_endpoint", issuer + "/oauth/par"},
            {"introspection_endpoint", issuer + "/oauth/introspect"},
            {"revocation_endpoint", issuer + "/oauth/revoke"},
            {"jwks_uri", issuer + "/.well-known/jwks.json"},
            {"response_types_supported", {"code", "code id_token"}},
            {"response_modes_supported", {"query", "jwt"}},
            {"subject_types_supported", {"public"}},
            {"id_token_signing_alg_values_supported", {"PS256", "ES256"}},
            {"request_object_signing_alg_values_supported", {"PS256", "ES256"}},
            {"token_endpoint_auth_methods_supported", {"private_key_jwt", "tls_client_auth"}},
            {"token_endpoint_auth_signing_alg_values_supported", {"PS256", "ES256"}},
            {"authorization_signing_alg_values_supported", {"PS256", "ES256"}},
            {"code_challenge_methods_supported", {"S256"}},
            {"authorization_response_iss_parameter_supported", true},
            {"tls_client_certificate_bound_access_tokens", true},
            {"require_pushed_authorization_requests", true},
            {"claims_parameter_supported", true},
            {"request_parameter_supported", true}};
}

http::http_response json_reply(int status, const json& body) {
    return {status, {{"Content-Type", "application/json"}}, body.dump()};
}

oidc::provider_metadata metadata() {
    const auto b = hamster::bank::create().value();
    return hamster::process_discovery_response(b, json_reply(200, hamster_metadata())).value();
}

oauth::client tpp() {
    return hamster::make_client(metadata(),
                                oauth::client_auth::private_key_jwt("tpp-1", test::client_key()))
        .value();
}

consent_request account_access() {
    return consent_request::account_access(
        {permission::read_accounts, permission::read_balances, permission::read_transactions},
        consent::parse_timestamp("2024-03-15T00:00:00Z").value(),
        consent::parse_timestamp("2023-01-01T00:00:00Z").value());
}

consent::consent as_created(const consent_request& r, std::string id = "hb-consent-1") {
    consent::consent c;
    c.id = std::move(id);
    c.request = r;
    c.status = consent::consent_status::awaiting_authorisation;
    c.created = now;
    c.status_updated = now;
    return c;
}

http::http_response consent_response(int status, const consent::consent& c) {
    return {
        status, {{"Content-Type", "application/json"}}, consent::hamster::consent_body(c).value()};
}

TEST(HamsterBank, TheSeedsEndpointsAreTheDefaults) {
    const auto b = hamster::bank::create().value();
    EXPECT_EQ(b.issuer(), issuer);
    EXPECT_EQ(hamster::make_discovery_request(b)->url.buffer(),
              issuer + "/.well-known/openid-configuration");
    EXPECT_EQ(b.url(b.paths().jwks)->buffer(), issuer + "/.well-known/jwks.json");
    EXPECT_EQ(b.url(b.paths().par)->buffer(), issuer + "/oauth/par");
    EXPECT_EQ(hamster::bank::create("http://api.hamsterbank.ai").error().code, errc::insecure_url);
    hamster::endpoint_paths bad;
    bad.token = "oauth/token";
    EXPECT_EQ(hamster::bank::create(hamster::base_url, bad).error().code,
              errc::invalid_configuration);
    bad.token = "/oauth/%zz";
    EXPECT_EQ(hamster::bank::create(hamster::base_url, bad).error().code,
              errc::invalid_configuration);
    EXPECT_EQ(hamster::access_token_lifetime, 5min);
    EXPECT_EQ(hamster::id_token_lifetime, 5min);
    EXPECT_EQ(hamster::refresh_token_lifetime, 90 * 24h);
    const auto o = hamster::token_manager_options();
    EXPECT_EQ(o.default_lifetime, 5min);
    EXPECT_EQ(o.refresh_token_lifetime, 90 * 24h);
}

TEST(HamsterBank, SeedMetadataIsFapiWithTheSeedsEndpoints) {
    const auto b = hamster::bank::create().value();
    auto md = hamster::seed_metadata(b);
    ASSERT_TRUE(md) << md.error();
    EXPECT_TRUE(oidc::check_fapi1_advanced(*md)) << oidc::check_fapi1_advanced(*md).error();
    EXPECT_EQ(md->endpoints.token->buffer(), issuer + "/oauth/token");
    EXPECT_EQ(md->endpoints.pushed_authorization_request->buffer(), issuer + "/oauth/par");
    EXPECT_EQ(md->endpoints.authorization->buffer(), issuer + "/oauth/authorize");
    EXPECT_EQ(md->endpoints.introspection->buffer(), issuer + "/oauth/introspect");
    EXPECT_EQ(md->endpoints.revocation->buffer(), issuer + "/oauth/revoke");
    EXPECT_EQ(md->jwks_uri->buffer(), issuer + "/.well-known/jwks.json");
    // The same endpoints as the discovery document of a bank that follows the seed.
    const auto discovered = metadata();
    for (const auto e : {oidc::endpoint::authorization, oidc::endpoint::token,
                         oidc::endpoint::pushed_authorization_request,
                         oidc::endpoint::introspection, oidc::endpoint::revocation})
        EXPECT_EQ(md->endpoints.get(e)->buffer(), discovered.endpoints.get(e)->buffer());
    EXPECT_TRUE(hamster::make_client(*md, oauth::client_auth::tls_client_auth("tpp-2")));
}

TEST(HamsterBank, DiscoveryMustShowTheBankAsFapi) {
    const auto b = hamster::bank::create().value();
    EXPECT_TRUE(hamster::process_discovery_response(b, json_reply(200, hamster_metadata())));
    json other_issuer = hamster_metadata();
    other_issuer["issuer"] = "https://evil.example";
    EXPECT_FALSE(hamster::process_discovery_response(b, json_reply(200, other_issuer)));
    json no_par = hamster_metadata();
    no_par.erase("require_pushed_authorization_requests");
    no_par.erase("pushed_authorization_request_endpoint");
    EXPECT_FALSE(hamster::process_discovery_response(b, json_reply(200, no_par)));
    json no_revoke = hamster_metadata();
    no_revoke.erase("revocation_endpoint");
    EXPECT_EQ(hamster::process_discovery_response(b, json_reply(200, no_revoke)).error().code,
              errc::invalid_response);
    auto keys = hamster::make_jwks_request(metadata());
    EXPECT_EQ(keys->url.buffer(), issuer + "/.well-known/jwks.json");
    auto set = hamster::process_jwks_response(
        json_reply(200, json{{"keys", {test::bank_key().to_public_json()}}}), now);
    ASSERT_TRUE(set) << set.error();
    EXPECT_FALSE(set->empty());
}

TEST(HamsterBank, ClientIsPrivateKeyJwtOrTlsClientAuthWithBoundTokens) {
    const oauth::client c = tpp();
    EXPECT_TRUE(c.certificate_bound_tokens);
    auto r = hamster::make_consents_token_request(c, now);
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->url.buffer(), issuer + "/oauth/token");
    EXPECT_TRUE(r->use_client_certificate);
    auto f = http::parse_form(r->body).value();
    auto field = [&](const char* n) -> std::string {
        for (const auto& [k, v] : f)
            if (k == n)
                return v;
        return "<none>";
    };
    EXPECT_EQ(field("grant_type"), "client_credentials");
    EXPECT_EQ(field("scope"), "consents");
    EXPECT_EQ(field("client_id"), "tpp-1");
    EXPECT_EQ(field("client_assertion_type"),
              "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    // The assertion's audience is the token endpoint, as in the seed.
    jose::jwt_validation v;
    v.audiences = {issuer + "/oauth/token"};
    v.issuer = "tpp-1";
    v.subject = "tpp-1";
    jose::jws_verify_options ps256;
    ps256.algorithms = jose::algorithm_set{jose::algorithm::PS256};
    EXPECT_TRUE(jose::verify_jwt(field("client_assertion"), test::client_key().public_key(), ps256,
                                 v, now));

    auto mtls = hamster::make_client(metadata(), oauth::client_auth::tls_client_auth("tpp-2"));
    ASSERT_TRUE(mtls);
    EXPECT_TRUE(hamster::make_consents_token_request(*mtls, now)->use_client_certificate);
    EXPECT_EQ(hamster::make_client(metadata(), oauth::client_auth::client_secret_basic(
                                                   "tpp-3", test::secret_of("s")))
                  .error()
                  .code,
              errc::invalid_configuration);
    EXPECT_EQ(hamster::make_client(metadata(),
                                   oauth::client_auth::private_key_jwt("tpp-4", test::client_key(),
                                                                       jose::algorithm::RS256))
                  .error()
                  .code,
              errc::invalid_configuration);
}

TEST(HamsterBank, CreateConsentRequestIsTheSeedsExample) {
    const auto b = hamster::bank::create().value();
    auto r = hamster::make_create_consent_request(b, test::secret_of("cc-token"), account_access(),
                                                  now, "idem-1");
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->method, http::http_method::post);
    EXPECT_EQ(r->url.buffer(), issuer + "/consents/account-access");
    EXPECT_EQ(*r->header("Authorization"), "Bearer cc-token");
    EXPECT_EQ(*r->header("Content-Type"), "application/json");
    EXPECT_EQ(*r->header("x-idempotency-key"), "idem-1");
    EXPECT_EQ(r->header("x-fapi-interaction-id")->size(), 36u);
    EXPECT_TRUE(r->use_client_certificate);
    EXPECT_EQ(parse_json(r->body).value(), parse_json(R"({
        "permissions": ["ReadAccounts", "ReadBalances", "ReadTransactions"],
        "expiration_date": "2024-03-15T00:00:00Z",
        "transaction_from_date": "2023-01-01T00:00:00Z" })")
                                               .value());
    auto generated =
        hamster::make_create_consent_request(b, test::secret_of("cc-token"), account_access(), now);
    EXPECT_EQ(generated->header("x-idempotency-key")->size(), 36u);
    EXPECT_TRUE(hamster::make_create_consent_request(b, test::secret_of("t"), account_access(), now,
                                                     std::string(40, 'k')));
    for (const std::string& bad :
         {std::string(41, 'k'), std::string("idem 1"), std::string("idem-1\r\nX-Injected: 1")})
        EXPECT_EQ(hamster::make_create_consent_request(b, test::secret_of("t"), account_access(),
                                                       now, bad)
                      .error()
                      .code,
                  errc::invalid_argument)
            << bad;
    // An invalid consent is never sent.
    auto expired = consent_request::account_access({permission::read_accounts}, now - 1s);
    EXPECT_EQ(
        hamster::make_create_consent_request(b, test::secret_of("t"), expired, now).error().code,
        consent::errc::expiration_in_past);
    EXPECT_EQ(hamster::make_create_consent_request(b, secret(), account_access(), now).error().code,
              errc::missing_credential);
    auto payment = hamster::make_create_consent_request(
        b, test::secret_of("t"), consent_request::single_payment(test::sample_payment()), now);
    EXPECT_EQ(payment->url.buffer(), issuer + "/consents/payment");
}

TEST(HamsterBank, CreatedConsentMustBeWhatWasAskedFor) {
    const auto asked = account_access();
    auto c = hamster::process_create_consent_response(
        asked, consent_response(201, as_created(asked)), now);
    ASSERT_TRUE(c) << c.error();
    EXPECT_EQ(c->id, "hb-consent-1");
    EXPECT_EQ(c->status, consent::consent_status::awaiting_authorisation);

    auto changed = as_created(asked);
    changed.request.permissions = consent::permission_set{permission::read_accounts};
    EXPECT_EQ(hamster::process_create_consent_response(asked, consent_response(201, changed), now)
                  .error()
                  .code,
              errc::invalid_response);
    auto authorised = as_created(asked);
    authorised.status = consent::consent_status::authorised;
    EXPECT_EQ(
        hamster::process_create_consent_response(asked, consent_response(201, authorised), now)
            .error()
            .code,
        errc::invalid_response);
    EXPECT_EQ(hamster::process_create_consent_response(
                  asked, json_reply(401, json{{"error", "invalid_token"}}), now)
                  .error()
                  .code,
              errc::invalid_credentials);
    EXPECT_EQ(hamster::process_create_consent_response(
                  asked, json_reply(201, json{{"consent_id", "x"}}), now)
                  .error()
                  .code,
              errc::invalid_response);
}

TEST(HamsterBank, ReadingAndDeletingAConsent) {
    const auto b = hamster::bank::create().value();
    const auto t = consent::consent_type::account_access;
    auto get = hamster::make_get_consent_request(b, test::secret_of("cc"), t, "hb-consent-1");
    ASSERT_TRUE(get);
    EXPECT_EQ(get->method, http::http_method::get);
    EXPECT_EQ(get->url.buffer(), issuer + "/consents/account-access/hb-consent-1");
    EXPECT_EQ(hamster::make_get_consent_request(b, test::secret_of("cc"), t, "a b").error().code,
              consent::errc::invalid_consent_id);
    auto c = as_created(account_access());
    c.status = consent::consent_status::authorised;
    auto read =
        hamster::process_get_consent_response(t, "hb-consent-1", consent_response(200, c), now);
    ASSERT_TRUE(read) << read.error();
    EXPECT_TRUE(hamster::check_authorised(*read, now));
    EXPECT_EQ(
        hamster::check_authorised(*read, consent::parse_timestamp("2024-03-16T00:00:00Z").value())
            .error()
            .code,
        errc::consent_not_authorised); // past its expiration
    EXPECT_EQ(hamster::check_authorised(as_created(account_access()), now).error().code,
              errc::consent_not_authorised);
    EXPECT_EQ(hamster::process_get_consent_response(t, "other", consent_response(200, c), now)
                  .error()
                  .code,
              errc::consent_mismatch);

    auto del = hamster::make_delete_consent_request(b, test::secret_of("cc"), t, "hb-consent-1");
    EXPECT_EQ(del->method, http::http_method::delete_);
    EXPECT_EQ(del->url.buffer(), issuer + "/consents/account-access/hb-consent-1");
    EXPECT_TRUE(hamster::process_delete_consent_response({204, {}, ""}, now));
    EXPECT_EQ(
        hamster::process_delete_consent_response(json_reply(404, json::object()), now).error().code,
        errc::not_found);
}

TEST(HamsterBank, AuthorizationIsBoundToTheConsent) {
    const auto c = as_created(account_access());
    auto o = hamster::authorization_options(c, "https://tpp.example/cb", test::client_key(),
                                            jose::jwks({test::bank_key().public_key()}));
    ASSERT_TRUE(o) << o.error();
    EXPECT_EQ(o->profile, oauth::security_profile::fapi1_advanced);
    EXPECT_TRUE(o->use_par);
    EXPECT_EQ(o->protection, oauth::response_protection::jarm);
    EXPECT_EQ(o->scope, (std::vector<std::string>{"openid", "accounts", "offline_access"}));
    EXPECT_EQ(o->parameters.claims["id_token"]["openbanking_intent_id"]["value"], "hb-consent-1");
    EXPECT_EQ(o->parameters.claims["id_token"]["openbanking_intent_id"]["essential"], true);
    EXPECT_EQ(o->id_token_max_iat_age, hamster::id_token_lifetime);
    // The FAPI flow takes these options as they are.
    const oauth::client tpp_client = tpp();
    EXPECT_TRUE(oauth::authorization_code_flow::create(tpp_client, std::move(*o)));

    auto pay = as_created(consent_request::single_payment(test::sample_payment()));
    EXPECT_EQ(hamster::authorization_options(pay, "https://tpp.example/cb", test::client_key(),
                                             jose::jwks({test::bank_key().public_key()}))
                  ->scope,
              (std::vector<std::string>{"openid", "payments"}));
    auto used = c;
    used.status = consent::consent_status::authorised;
    EXPECT_EQ(hamster::authorization_options(used, "https://tpp.example/cb", test::client_key(),
                                             jose::jwks({test::bank_key().public_key()}))
                  .error()
                  .code,
              errc::consent_not_authorised);
}

TEST(HamsterBank, ResourceRequestsCarryTheFapiHeaders) {
    const auto b = hamster::bank::create().value();
    hamster::fapi_headers h;
    h.interaction_id = "93bac548-d2de-4546-b106-880a5018460d";
    h.customer_ip_address = "203.0.113.7";
    h.auth_date = obauth::from_unix_seconds(784111777);
    auto r = hamster::make_resource_request(b, http::http_method::get, "/open-banking/accounts",
                                            test::secret_of("at-1"), h, {{"page", "2"}});
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->url.buffer(), issuer + "/open-banking/accounts?page=2");
    EXPECT_TRUE(r->use_client_certificate);
    EXPECT_EQ(*r->header("Authorization"), "Bearer at-1");
    EXPECT_EQ(*r->header("Accept"), "application/json");
    EXPECT_EQ(*r->header("x-fapi-interaction-id"), "93bac548-d2de-4546-b106-880a5018460d");
    EXPECT_EQ(*r->header("x-fapi-customer-ip-address"), "203.0.113.7");
    EXPECT_EQ(*r->header("x-fapi-auth-date"), "Sun, 06 Nov 1994 08:49:37 GMT");
    auto plain = hamster::make_resource_request(b, http::http_method::get, "/accounts",
                                                test::secret_of("at-1"));
    EXPECT_EQ(plain->header("x-fapi-interaction-id")->size(), 36u);
    EXPECT_EQ(plain->header("x-fapi-auth-date"), nullptr);
    // FAPI's values or nothing: a UUID, an IP address.
    for (const auto& [id, ip] : std::initializer_list<std::pair<const char*, const char*>>{
             {"not-a-uuid", ""},
             {"93bac548-d2de-4546-b106-880a5018460d\r\nX-Injected: 1", ""},
             {"93bac548-d2de-4546-b106+880a5018460d", ""},
             {"", "203.0.113.7\r\nX-Injected: 1"},
             {"", "customer.example"},
             {"", "203.0.113.256"}}) {
        hamster::fapi_headers bad;
        bad.interaction_id = id;
        bad.customer_ip_address = ip;
        EXPECT_EQ(hamster::make_resource_request(b, http::http_method::get, "/accounts",
                                                 test::secret_of("at-1"), bad)
                      .error()
                      .code,
                  errc::invalid_argument)
            << id << ip;
    }
    hamster::fapi_headers v6;
    v6.customer_ip_address = "2001:db8::7";
    EXPECT_TRUE(hamster::make_resource_request(b, http::http_method::get, "/accounts",
                                               test::secret_of("at-1"), v6));

    http::http_response ok = json_reply(200, json{{"Data", json::object()}});
    EXPECT_TRUE(hamster::process_resource_response(*r, ok, now));
    ok.headers.push_back({"x-fapi-interaction-id", "93bac548-d2de-4546-b106-880a5018460d"});
    EXPECT_TRUE(hamster::process_resource_response(*r, ok, now));
    ok.headers.back().value = "someone-else";
    EXPECT_EQ(hamster::process_resource_response(*r, ok, now).error().code, errc::invalid_response);
    EXPECT_EQ(hamster::process_resource_response(
                  *r, json_reply(403, json{{"error", "consent_not_usable"}}), now)
                  .error()
                  .code,
              errc::forbidden);
}

/// A flow_complete whose ID token names `intent`.
oauth::flow_complete completed(const char* intent) {
    jose::jwt_claims cl;
    cl.iss = issuer;
    cl.sub = "user-1001";
    cl.aud = {"tpp-1"};
    cl.iat = now;
    cl.exp = now + 5min;
    if (intent != nullptr)
        cl.extra["openbanking_intent_id"] = intent;
    const std::string token = jose::sign_jwt(cl, test::bank_key()).value();
    oidc::id_token_validation v;
    v.issuer = issuer;
    v.client_id = "tpp-1";
    oauth::flow_complete done{oauth::token_set{}, std::nullopt, std::nullopt};
    done.id_token = oidc::validate_id_token(token, test::bank_key().public_key(), v, now).value();
    return done;
}

TEST(HamsterBank, TokensMustNameTheConsent) {
    EXPECT_TRUE(hamster::check_consent_binding(completed("hb-consent-1"), "hb-consent-1"));
    EXPECT_EQ(
        hamster::check_consent_binding(completed("hb-consent-2"), "hb-consent-1").error().code,
        errc::consent_mismatch);
    EXPECT_EQ(hamster::check_consent_binding(completed(nullptr), "hb-consent-1").error().code,
              errc::consent_mismatch);
    EXPECT_EQ(hamster::check_consent_binding(oauth::flow_complete{}, "hb-consent-1").error().code,
              errc::consent_mismatch);
}

TEST(HamsterBank, DisconnectRevokesBothTokensAndDeletesTheConsent) {
    const auto b = hamster::bank::create().value();
    const oauth::client c = tpp();
    oauth::token_set tokens;
    tokens.access_token = test::secret_of("at-1");
    tokens.refresh_token = test::secret_of("rt-1");
    auto reqs = hamster::make_disconnect_requests(c, b, tokens, test::secret_of("cc"),
                                                  as_created(account_access()), now);
    ASSERT_TRUE(reqs) << reqs.error();
    ASSERT_EQ(reqs->size(), 3u);
    auto form = [](const http::http_request& r) {
        std::map<std::string, std::string> m;
        const auto fields = http::parse_form(r.body).value();
        for (const auto& [k, v] : fields)
            m[k] = v;
        return m;
    };
    EXPECT_EQ((*reqs)[0].url.buffer(), issuer + "/oauth/revoke");
    EXPECT_EQ(form((*reqs)[0])["token"], "rt-1");
    EXPECT_EQ(form((*reqs)[0])["token_type_hint"], "refresh_token");
    EXPECT_EQ(form((*reqs)[1])["token"], "at-1");
    EXPECT_EQ(form((*reqs)[1])["token_type_hint"], "access_token");
    EXPECT_EQ((*reqs)[2].method, http::http_method::delete_);
    EXPECT_EQ((*reqs)[2].url.buffer(), issuer + "/consents/account-access/hb-consent-1");
}

TEST(HamsterBank, HostileAnswersAreRefused) {
    const auto b = hamster::bank::create().value();
    const auto asked = account_access();
    for (int status : {200, 201}) {
        for (const auto& r : test::hostile_responses(status)) {
            SCOPED_TRACE(r.body.substr(0, 40));
            EXPECT_FALSE(hamster::process_discovery_response(b, r));
            EXPECT_FALSE(hamster::process_jwks_response(r, now));
            EXPECT_FALSE(hamster::process_create_consent_response(asked, r, now));
            EXPECT_FALSE(hamster::process_get_consent_response(
                consent::consent_type::account_access, "hb-consent-1", r, now));
        }
    }
}

} // namespace
