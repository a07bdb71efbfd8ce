#include <obauth/oauth/authorization_code_flow.hpp>

#include "support/fake_bank.hpp"
#include "support/oauth_support.hpp"

#include <gtest/gtest.h>

#include <variant>

namespace {

using namespace obauth;
using namespace obauth::oauth;
using namespace std::chrono_literals;
using obauth::test::fake_bank;

using test::t0;

jose::jwks bank_keys() {
    return jose::jwks({test::bank_key().public_key()});
}

client fapi_client() {
    return test::make_client(client_auth::private_key_jwt("client-42", test::client_key()), true);
}

authorization_code_options fapi_options(response_protection p = response_protection::jarm) {
    return fapi1_advanced("https://client.example/cb", {"openid", "accounts"}, test::client_key(),
                          bank_keys(), p);
}

template <class T>
T take(result<flow_step> r) {
    EXPECT_TRUE(r) << r.error();
    EXPECT_TRUE(std::holds_alternative<T>(*r));
    return std::get<T>(std::move(*r));
}

// Runs a flow against the bank up to the callback URL.
std::string to_callback(authorization_code_flow& f, fake_bank& bank, time_point now) {
    auto par = take<send_request>(f.start(now));
    auto redirect = take<redirect_user>(f.on_response(bank.handle(par.request, now), now));
    return bank.authorize(redirect.url.buffer(), now);
}

TEST(AuthorizationCodeFlow, FapiJarmEndToEnd) {
    fake_bank bank;
    const client c = fapi_client();
    auto o = fapi_options();
    o.binding = access_token_binding{bank.client_cert_thumbprint, "https://api.bank.example"};
    auto f = authorization_code_flow::create(c, std::move(o)).value();
    EXPECT_EQ(f.state(), flow_state::idle);

    auto par = take<send_request>(f.start(t0));
    EXPECT_EQ(f.state(), flow_state::awaiting_par_response);
    EXPECT_EQ(par.request.url.buffer(), "https://mtls.bank.example/par");
    EXPECT_TRUE(par.request.use_client_certificate);
    auto fields = http::parse_form(par.request.body).value();
    ASSERT_EQ(fields.size(), 4u);
    EXPECT_EQ(fields[0].first, "request");
    EXPECT_EQ(fields[1], (std::pair<std::string, std::string>{"client_id", "client-42"}));
    EXPECT_EQ(fields[3].first, "client_assertion");

    auto redirect = take<redirect_user>(f.on_response(bank.handle(par.request, t0), t0));
    EXPECT_EQ(f.state(), flow_state::awaiting_callback);
    EXPECT_EQ(redirect.url.encoded_query(),
              "client_id=client-42&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3A1");
    EXPECT_TRUE(f.authorization_url(t0 + 30s));
    EXPECT_EQ(f.authorization_url(t0 + 60s).error().code, errc::request_uri_expired);

    const std::string callback = bank.authorize(redirect.url.buffer(), t0 + 5s);
    EXPECT_EQ(callback.rfind("https://client.example/cb?response=", 0), 0u) << callback;
    auto tok = take<send_request>(f.on_callback(callback, t0 + 6s));
    EXPECT_EQ(tok.request.url.buffer(), "https://mtls.bank.example/token");
    auto tf = http::parse_form(tok.request.body).value();
    EXPECT_EQ(tf[0], (std::pair<std::string, std::string>{"grant_type", "authorization_code"}));
    EXPECT_EQ(tf[1].first, "code");
    EXPECT_EQ(tf[2],
              (std::pair<std::string, std::string>{"redirect_uri", "https://client.example/cb"}));
    EXPECT_EQ(tf[3].first, "code_verifier");

    auto done = take<flow_complete>(f.on_response(bank.handle(tok.request, t0 + 7s), t0 + 7s));
    EXPECT_EQ(f.state(), flow_state::complete);
    EXPECT_TRUE(done.tokens.is_bearer());
    EXPECT_TRUE(done.tokens.refresh_token);
    ASSERT_TRUE(done.id_token);
    EXPECT_EQ(done.id_token->sub(), "user-1001");
    EXPECT_EQ(done.tokens.expires_at(), t0 + 7s + 300s);
}

TEST(AuthorizationCodeFlow, IdTokenIssuedLongerAgoThanAllowedIsRefused) {
    // The token response's ID token was issued at t0; it expires 5 minutes
    // later, but this client takes none issued more than a minute ago.
    for (const auto& [age, ok] : {std::pair{85s, true}, std::pair{95s, false}}) {
        fake_bank bank;
        const client c = fapi_client();
        auto o = fapi_options();
        o.id_token_max_iat_age = 60s; // + the 30 s leeway
        auto f = authorization_code_flow::create(c, std::move(o)).value();
        auto tok = take<send_request>(f.on_callback(to_callback(f, bank, t0), t0));
        auto r = f.on_response(bank.handle(tok.request, t0), t0 + age);
        if (ok) {
            EXPECT_TRUE(r) << r.error();
        } else {
            ASSERT_FALSE(r);
            EXPECT_EQ(r.error().code, oidc::errc::id_token_too_old);
            EXPECT_EQ(f.state(), flow_state::failed);
        }
    }
}

TEST(AuthorizationCodeFlow, FapiHybridEndToEnd) {
    // With the RFC 9207 iss parameter, and without it: the server advertises
    // it but, as oidc-provider does, may leave it out when the response's ID
    // token carries the (validated) issuer.
    for (const bool iss_parameter : {true, false}) {
        fake_bank bank;
        if (!iss_parameter)
            bank.callback_iss.clear();
        const client c = fapi_client();
        auto f =
            authorization_code_flow::create(c, fapi_options(response_protection::hybrid)).value();
        const std::string callback = to_callback(f, bank, t0);
        EXPECT_NE(callback.find("#code="), std::string::npos);
        EXPECT_EQ(callback.find("iss=") != std::string::npos, iss_parameter);
        auto tok = take<send_request>(f.on_callback(callback, t0 + 1s));
        auto done = take<flow_complete>(f.on_response(bank.handle(tok.request, t0 + 2s), t0 + 2s));
        EXPECT_EQ(done.id_token->iss(), test::bank_issuer);
        // The front-channel ID token is handed over too, validated.
        ASSERT_TRUE(done.front_channel_id_token);
        EXPECT_EQ(done.front_channel_id_token->sub(), done.id_token->sub());
        EXPECT_FALSE(done.front_channel_id_token->claims().at("c_hash").empty());
    }
}

// Outside the FAPI presets the ID token algorithm comes from the client's
// registration (RS256 by default), checked against the provider's metadata;
// never from the token's header.
TEST(AuthorizationCodeFlow, PlainOpenIdClientAlgorithmsFromTheRegistration) {
    auto options = [] {
        authorization_code_options o;
        o.redirect_uri = "https://client.example/cb";
        o.scope = {"openid"};
        o.use_par = true;
        o.issuer_keys = bank_keys();
        return o;
    };
    client c = test::make_client(client_auth::private_key_jwt("client-42", test::client_key()));
    c.server.id_token_signing_alg_values_supported = {"RS256", "PS256"};
    {
        // The bank signs with PS256; the default registration says RS256.
        fake_bank bank;
        auto f = authorization_code_flow::create(c, options()).value();
        auto tok = take<send_request>(f.on_callback(to_callback(f, bank, t0), t0 + 1s));
        auto r = f.on_response(bank.handle(tok.request, t0 + 2s), t0 + 2s);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, jose::errc::algorithm_not_allowed) << r.error();
        EXPECT_NE(r.error().detail.find("PS256"), std::string::npos) << r.error();
    }
    c.id_token_signed_response_alg = jose::algorithm::PS256;
    {
        fake_bank bank;
        auto f = authorization_code_flow::create(c, options()).value();
        auto tok = take<send_request>(f.on_callback(to_callback(f, bank, t0), t0 + 1s));
        auto done = take<flow_complete>(f.on_response(bank.handle(tok.request, t0 + 2s), t0 + 2s));
        ASSERT_TRUE(done.id_token);
        EXPECT_EQ(done.id_token->alg(), jose::algorithm::PS256);
    }
    // A registered algorithm the provider does not advertise: refused up front.
    c.server.id_token_signing_alg_values_supported = {"ES256", "RS256"};
    auto r = authorization_code_flow::create(c, options());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::invalid_options);
    EXPECT_NE(r.error().detail.find("PS256"), std::string::npos) << r.error();
    // JARM: the same rule with authorization_signed_response_alg.
    c.server.id_token_signing_alg_values_supported.clear();
    c.server.authorization_signing_alg_values_supported = {"PS256"};
    auto jarm = options();
    jarm.protection = response_protection::jarm;
    EXPECT_EQ(authorization_code_flow::create(c, jarm).error().code, errc::invalid_options);
    c.authorization_signed_response_alg = jose::algorithm::PS256;
    fake_bank bank;
    auto f = authorization_code_flow::create(c, std::move(jarm)).value();
    auto tok = take<send_request>(f.on_callback(to_callback(f, bank, t0), t0 + 1s));
    EXPECT_TRUE(f.on_response(bank.handle(tok.request, t0 + 2s), t0 + 2s));
}

// DPoP in the authorization code flow: PAR and token requests carry proofs,
// the code is exchanged for a DPoP-bound token after one nonce retry;
// without PAR the authorization URL carries dpop_jkt (RFC 9449 §10).
TEST(AuthorizationCodeFlow, DpopWithParAndANonceRetry) {
    fake_bank bank;
    bank.dpop_nonce_required = true;
    client c = fapi_client();
    const auto dpop_key = jose::generate_key(jose::algorithm::ES256).value();
    c.dpop = std::make_shared<dpop_binding>(dpop_key);
    auto f = authorization_code_flow::create(c, fapi_options()).value();
    auto par = take<send_request>(f.start(t0));
    EXPECT_NE(par.request.header("DPoP"), nullptr);
    auto redirect = take<redirect_user>(f.on_response(bank.handle(par.request, t0), t0));
    const std::string callback = bank.authorize(redirect.url.buffer(), t0);
    auto tok = take<send_request>(f.on_callback(callback, t0 + 1s));
    ASSERT_NE(tok.request.header("DPoP"), nullptr);
    auto retry = take<send_request>(f.on_response(bank.handle(tok.request, t0 + 1s), t0 + 1s));
    auto done = take<flow_complete>(f.on_response(bank.handle(retry.request, t0 + 2s), t0 + 2s));
    EXPECT_EQ(done.tokens.token_type, "DPoP");
    ASSERT_TRUE(done.id_token);

    authorization_code_options plain;
    plain.redirect_uri = "https://client.example/cb";
    plain.scope = {"accounts"};
    auto g = authorization_code_flow::create(c, std::move(plain)).value();
    auto url = take<redirect_user>(g.start(t0)).url;
    auto jkt = url.params().find("dpop_jkt");
    ASSERT_NE(jkt, url.params().end());
    EXPECT_EQ((*jkt).value, dpop_key.thumbprint().value());
}

// Glewlwyd's token endpoint puts c_hash and s_hash into its ID token: the
// flow checks them against the code and state it holds.
TEST(AuthorizationCodeFlow, TokenEndpointIdTokenWithCodeAndStateHashes) {
    for (const auto protection : {response_protection::jarm, response_protection::hybrid}) {
        fake_bank bank;
        bank.token_id_token_code_hashes = true;
        const client c = fapi_client();
        auto f = authorization_code_flow::create(c, fapi_options(protection)).value();
        auto tok = take<send_request>(f.on_callback(to_callback(f, bank, t0), t0 + 1s));
        auto done = take<flow_complete>(f.on_response(bank.handle(tok.request, t0 + 2s), t0 + 2s));
        ASSERT_TRUE(done.id_token);
        EXPECT_TRUE(done.id_token->claims().contains("c_hash"));
        EXPECT_TRUE(done.id_token->claims().contains("s_hash"));
        EXPECT_EQ(done.front_channel_id_token.has_value(),
                  protection == response_protection::hybrid);

        fake_bank lying;
        lying.token_id_token_code_hashes = true;
        lying.token_id_token_wrong_c_hash = true;
        auto g = authorization_code_flow::create(c, fapi_options(protection)).value();
        auto tok2 = take<send_request>(g.on_callback(to_callback(g, lying, t0), t0 + 1s));
        auto r = g.on_response(lying.handle(tok2.request, t0 + 2s), t0 + 2s);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, oidc::errc::c_hash_mismatch);
    }
}

TEST(AuthorizationCodeFlow, PlainCodeFlowUrlIsExact) {
    const client c =
        test::make_client(client_auth::client_secret_basic("app 1", test::secret_of("s")));
    authorization_code_options o;
    o.redirect_uri = "https://client.example/cb?x=1";
    o.scope = {"accounts", "payments"};
    o.parameters.resources = {"https://api.bank.example/"};
    test::counting_random rng;
    auto f = authorization_code_flow::create(c, std::move(o), rng).value();
    auto r = take<redirect_user>(f.start(t0));
    // state = base64url(0..31); no nonce without openid; the challenge is
    // S256 of base64url(32..63).
    EXPECT_EQ(r.url.buffer(),
              "https://as.bank.example/authorize?client_id=app+1&response_type=code"
              "&redirect_uri=https%3A%2F%2Fclient.example%2Fcb%3Fx%3D1&scope=accounts+payments"
              "&state=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
              "&code_challenge=" +
                  pkce::detail::s256("ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8") +
                  "&code_challenge_method=S256&resource=https%3A%2F%2Fapi.bank.example%2F");
    EXPECT_EQ(f.state(), flow_state::awaiting_callback);
}

TEST(AuthorizationCodeFlow, StateMismatchAndSticky) {
    fake_bank bank;
    const client c = fapi_client();
    auto f = authorization_code_flow::create(c, fapi_options(response_protection::hybrid)).value();
    std::string callback = to_callback(f, bank, t0);
    const auto at = callback.find("&state=") + 7;
    callback[at] = callback[at] == 'A' ? 'B' : 'A';
    auto r = f.on_callback(callback, t0);
    EXPECT_EQ(r.error().code, errc::state_mismatch);
    EXPECT_EQ(f.state(), flow_state::failed);
    EXPECT_EQ(f.on_callback(callback, t0).error().code, errc::flow_failed);
    EXPECT_EQ(f.start(t0).error().code, errc::flow_failed);
    ASSERT_TRUE(f.failure());
    EXPECT_EQ(f.failure()->code, errc::state_mismatch);
}

TEST(AuthorizationCodeFlow, MixUpWrongIssuerIsRefused) {
    fake_bank bank;
    bank.callback_iss = "https://evil.example";
    const client c = fapi_client();
    auto f = authorization_code_flow::create(c, fapi_options(response_protection::hybrid)).value();
    EXPECT_EQ(f.on_callback(to_callback(f, bank, t0), t0).error().code, errc::issuer_mismatch);
}

TEST(AuthorizationCodeFlow, ReplayedCallbackIsRefused) {
    fake_bank bank;
    const client c = fapi_client();
    auto f = authorization_code_flow::create(c, fapi_options()).value();
    const std::string callback = to_callback(f, bank, t0);
    auto tok = take<send_request>(f.on_callback(callback, t0));
    EXPECT_EQ(f.on_callback(callback, t0).error().code, errc::callback_replayed);
    EXPECT_EQ(f.state(), flow_state::failed);
    // The code was used once only: the bank saw no second token request.
    EXPECT_EQ(bank.token_requests, 0);
}

TEST(AuthorizationCodeFlow, JarmSignedByAnotherKeyIsRefused) {
    fake_bank bank;
    bank.jarm_wrong_key = true;
    const client c = fapi_client();
    auto f = authorization_code_flow::create(c, fapi_options()).value();
    auto r = f.on_callback(to_callback(f, bank, t0), t0);
    EXPECT_EQ(r.error().code, errc::jarm_invalid);
    // Plain parameters where JARM was expected are refused as well.
    auto g = authorization_code_flow::create(c, fapi_options()).value();
    (void)to_callback(g, bank, t0);
    EXPECT_EQ(g.on_callback("https://client.example/cb?code=x&state=y", t0).error().code,
              errc::jarm_invalid);
}

TEST(AuthorizationCodeFlow, ExpiredParRequestUri) {
    fake_bank bank;
    const client c = fapi_client();
    auto f = authorization_code_flow::create(c, fapi_options(response_protection::hybrid)).value();
    auto par = take<send_request>(f.start(t0));
    auto redirect = take<redirect_user>(f.on_response(bank.handle(par.request, t0), t0));
    EXPECT_EQ(f.authorization_url(t0 + 61s).error().code, errc::request_uri_expired);
    const std::string callback = bank.authorize(redirect.url.buffer(), t0 + 61s);
    auto r = f.on_callback(callback, t0 + 62s);
    EXPECT_EQ(r.error().code, errc::invalid_request_uri) << r.error();
}

TEST(AuthorizationCodeFlow, OutOfOrderEvents) {
    const client c = fapi_client();
    auto f = authorization_code_flow::create(c, fapi_options()).value();
    EXPECT_EQ(f.on_callback("https://client.example/cb?code=x", t0).error().code,
              errc::flow_out_of_order);
    EXPECT_EQ(f.state(), flow_state::failed);
    auto g = authorization_code_flow::create(c, fapi_options()).value();
    EXPECT_EQ(g.on_response({200, {}, "{}"}, t0).error().code, errc::flow_out_of_order);
    auto h = authorization_code_flow::create(c, fapi_options()).value();
    ASSERT_TRUE(h.start(t0));
    EXPECT_EQ(h.start(t0).error().code, errc::flow_out_of_order);
}

TEST(AuthorizationCodeFlow, HostileTokenResponses) {
    fake_bank bank;
    const client c = fapi_client();
    auto run_to_token = [&](authorization_code_flow& f) {
        return take<send_request>(f.on_callback(to_callback(f, bank, t0), t0));
    };
    {
        auto f = authorization_code_flow::create(c, fapi_options()).value();
        (void)run_to_token(f);
        auto r = f.on_response({200, {{"Content-Type", "text/html"}}, "<html>oops</html>"}, t0);
        EXPECT_EQ(r.error().code, http::errc::unexpected_content_type);
    }
    {
        auto f = authorization_code_flow::create(c, fapi_options()).value();
        (void)run_to_token(f);
        auto r = f.on_response({200,
                                {{"Content-Type", "application/json"}},
                                R"({"access_token":"a","token_type":"Bearer"})"},
                               t0);
        EXPECT_EQ(r.error().code, errc::invalid_response); // no id_token
    }
    {
        auto f = authorization_code_flow::create(c, fapi_options()).value();
        (void)run_to_token(f);
        auto r = f.on_response(
            {400, {{"Content-Type", "application/json"}}, R"({"error":"invalid_grant"})"}, t0);
        EXPECT_EQ(r.error().code, errc::invalid_grant);
    }
    {
        // Hybrid: the token endpoint's ID token names another user.
        bank.token_id_token_other_sub = true;
        auto f =
            authorization_code_flow::create(c, fapi_options(response_protection::hybrid)).value();
        auto tok = run_to_token(f);
        auto r = f.on_response(bank.handle(tok.request, t0), t0);
        EXPECT_EQ(r.error().code, errc::invalid_response);
        bank.token_id_token_other_sub = false;
    }
    {
        auto o = fapi_options();
        o.binding = access_token_binding{"another-certificate", "https://api.bank.example"};
        auto f = authorization_code_flow::create(c, std::move(o)).value();
        auto tok = run_to_token(f);
        EXPECT_EQ(f.on_response(bank.handle(tok.request, t0), t0).error().code,
                  errc::certificate_mismatch);
    }
}

TEST(AuthorizationCodeFlow, FapiPresetRefusesWeakConfigurations) {
    const client c = fapi_client();
    auto no_par = fapi_options();
    no_par.use_par = false;
    EXPECT_EQ(authorization_code_flow::create(c, std::move(no_par)).error().code,
              errc::invalid_options);
    auto plain = fapi_options(response_protection::none);
    EXPECT_FALSE(authorization_code_flow::create(c, std::move(plain)));
    auto rs256 = fapi_options();
    rs256.request_object.alg = jose::algorithm::RS256;
    EXPECT_FALSE(authorization_code_flow::create(c, std::move(rs256)));
    auto algs = fapi_options();
    algs.algorithms->insert(jose::algorithm::RS256);
    EXPECT_FALSE(authorization_code_flow::create(c, std::move(algs)));
    const client basic =
        test::make_client(client_auth::client_secret_basic("c", test::secret_of("s")), true);
    EXPECT_FALSE(authorization_code_flow::create(basic, fapi_options()));
    const client unbound =
        test::make_client(client_auth::private_key_jwt("client-42", test::client_key()));
    EXPECT_FALSE(authorization_code_flow::create(unbound, fapi_options()));
    const client mtls = test::make_client(client_auth::tls_client_auth("client-42"));
    EXPECT_TRUE(authorization_code_flow::create(mtls, fapi_options()));
}

} // namespace
