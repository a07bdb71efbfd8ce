#include <obauth/oauth/client.hpp>

#include "support/oauth_support.hpp"

#include <obauth/assertion/assertion_verifier.hpp>

#include <gtest/gtest.h>

namespace {

using namespace obauth;
using namespace obauth::oauth;
using obauth::test::make_client;
using obauth::test::secret_of;

using test::t0;

http::http_request post(const client& c) {
    http::form_body body;
    body.add("grant_type", "client_credentials");
    auto r = make_endpoint_request(c, oidc::endpoint::token, std::move(body), t0);
    EXPECT_TRUE(r) << r.error();
    return std::move(r).value();
}

TEST(OauthClient, MethodNamesRoundTrip) {
    for (int i = 0; i <= static_cast<int>(auth_method::self_signed_tls_client_auth); ++i) {
        const auto m = static_cast<auth_method>(i);
        EXPECT_EQ(*parse_auth_method(to_string(m)), m);
    }
    EXPECT_EQ(parse_auth_method("client_secret").error().code, errc::invalid_options);
}

TEST(OauthClient, ClientSecretBasicIsAHeaderNotAField) {
    const auto c = make_client(
        client_auth::client_secret_basic("s6BhdRkqt3", secret_of("7Fjfp0ZBr1KtDRbnfVdmIw")));
    const auto r = post(c);
    EXPECT_EQ(r.method, http::http_method::post);
    EXPECT_EQ(r.url.buffer(), "https://as.bank.example/token");
    EXPECT_FALSE(r.use_client_certificate);
    // RFC 6749 §2.3.1 example credentials.
    ASSERT_NE(r.header("Authorization"), nullptr);
    EXPECT_EQ(*r.header("Authorization"), "Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3");
    EXPECT_EQ(*r.header("Content-Type"), "application/x-www-form-urlencoded");
    EXPECT_EQ(*r.header("Accept"), "application/json");
    EXPECT_EQ(r.body, "grant_type=client_credentials");
}

TEST(OauthClient, ClientSecretPostFormEncodesTheSecret) {
    const auto c = make_client(client_auth::client_secret_post("client 1", secret_of("p&ss=w%rd")));
    const auto r = post(c);
    EXPECT_EQ(r.header("Authorization"), nullptr);
    EXPECT_EQ(r.body,
              "grant_type=client_credentials&client_id=client+1&client_secret=p%26ss%3Dw%25rd");
}

TEST(OauthClient, PrivateKeyJwtAssertionVerifiesAtTheServer) {
    const auto c = make_client(client_auth::private_key_jwt("client-42", test::client_key()));
    const auto r = post(c);
    auto fields = http::parse_form(r.body).value();
    ASSERT_EQ(fields.size(), 4u);
    EXPECT_EQ(fields[1], (std::pair<std::string, std::string>{"client_id", "client-42"}));
    EXPECT_EQ(fields[2].second, "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    assertion::jti_replay_cache seen;
    jose::jwks keys({test::client_key().public_key()});
    auto v = assertion::verify_client_assertion(
        fields[3].second, keys, assertion::assertion_policy::fapi("client-42", {test::bank_issuer}),
        seen, t0);
    EXPECT_TRUE(v) << v.error();
}

// The assertion's aud for a request to endpoint `e` (verified with the key).
json assertion_audience(const client& c, oidc::endpoint e) {
    http::form_body body;
    body.add("token", "t");
    auto r = make_endpoint_request(c, e, std::move(body), t0);
    EXPECT_TRUE(r) << r.error();
    if (!r)
        return {};
    const auto fields = http::parse_form(r->body).value();
    jose::jws_verify_options vo;
    vo.algorithms = jose::fapi_algorithms;
    jose::jwt_validation p;
    p.issuer = c.auth.client_id();
    // Any audience a policy may produce; the test compares the claim itself.
    p.audiences = {test::bank_issuer, "https://aud.example", std::string(r->url.buffer()),
                   std::string(c.server.endpoints.token->buffer())};
    auto jwt = jose::verify_jwt(fields.back().second, test::client_key().public_key(), vo, p, t0);
    EXPECT_TRUE(jwt) << jwt.error();
    return jwt ? jwt->claims().at("aud") : json();
}

// Servers differ on the audience of a client assertion: one policy, applied
// per request to the token, PAR, introspection and revocation endpoints.
TEST(OauthClient, AssertionAudiencePolicyPerEndpoint) {
    auto c = make_client(client_auth::private_key_jwt("client-42", test::client_key()));
    const auto url = [&](oidc::endpoint e) {
        return std::string(oidc::select_endpoint(c.server, e, oidc::client_certificate::not_used)
                               .value()
                               .buffer());
    };
    const std::string token_url = url(oidc::endpoint::token);
    const oidc::endpoint endpoints[] = {oidc::endpoint::token,
                                        oidc::endpoint::pushed_authorization_request,
                                        oidc::endpoint::introspection, oidc::endpoint::revocation};
    for (const oidc::endpoint e : endpoints) {
        SCOPED_TRACE(url(e));
        // The default, as before: the issuer.
        c.auth.assertion_audience_sources = {audience_source::issuer};
        EXPECT_EQ(assertion_audience(c, e), test::bank_issuer);
        c.auth.assertion_audience_sources = {audience_source::token_endpoint};
        EXPECT_EQ(assertion_audience(c, e), token_url);
        c.auth.assertion_audience_sources = {audience_source::endpoint_called};
        EXPECT_EQ(assertion_audience(c, e), url(e));
        // Several: an array, each value once.
        c.auth.assertion_audience_sources = {audience_source::issuer,
                                             audience_source::token_endpoint,
                                             audience_source::endpoint_called};
        json expected = json::array({test::bank_issuer, token_url});
        if (e != oidc::endpoint::token)
            expected.push_back(url(e));
        EXPECT_EQ(assertion_audience(c, e), expected);
        // Fixed values replace the sources.
        c.auth.assertion_audience = {"https://aud.example"};
        EXPECT_EQ(assertion_audience(c, e), "https://aud.example");
        c.auth.assertion_audience.clear();
    }
    // No source at all is a configuration error, not an assertion without aud.
    c.auth.assertion_audience_sources.clear();
    http::form_body body;
    EXPECT_EQ(make_endpoint_request(c, oidc::endpoint::token, std::move(body), t0).error().code,
              errc::invalid_options);
}

TEST(OauthClient, ClientSecretJwtUsesTheSecretAsHmacKey) {
    const std::string s(32, 'k');
    const auto c = make_client(
        client_auth::client_secret_jwt("client-7", secret_of(s), jose::algorithm::HS256));
    const auto r = post(c);
    auto fields = http::parse_form(r.body).value();
    ASSERT_EQ(fields.size(), 4u);
    auto key = jose::make_hmac_key(secret_of(s), jose::algorithm::HS256).value();
    jose::jws_verify_options vo;
    vo.algorithms = {jose::algorithm::HS256};
    jose::jwt_validation p;
    p.audiences = {test::bank_issuer};
    p.issuer = "client-7";
    EXPECT_TRUE(jose::verify_jwt(fields[3].second, key, vo, p, t0));
    // A secret too short for HS256 is refused before anything is sent.
    const auto weak = make_client(client_auth::client_secret_jwt("client-7", secret_of("short")));
    http::form_body body;
    EXPECT_FALSE(make_endpoint_request(weak, oidc::endpoint::token, std::move(body), t0));
}

TEST(OauthClient, TlsClientAuthUsesTheMtlsAlias) {
    for (bool self_signed : {false, true}) {
        const auto c =
            make_client(self_signed ? client_auth::self_signed_tls_client_auth("client-9")
                                    : client_auth::tls_client_auth("client-9"));
        const auto r = post(c);
        EXPECT_TRUE(r.use_client_certificate);
        EXPECT_EQ(r.url.buffer(), "https://mtls.bank.example/token");
        EXPECT_EQ(r.body, "grant_type=client_credentials&client_id=client-9");
    }
    // Certificate-bound tokens also go to the alias, with any authentication.
    const auto c = make_client(client_auth::private_key_jwt("client-42", test::client_key()), true);
    const auto r = post(c);
    EXPECT_TRUE(r.use_client_certificate);
    EXPECT_EQ(r.url.buffer(), "https://mtls.bank.example/token");
}

TEST(OauthClient, NoneSendsOnlyTheClientId) {
    const auto c = make_client(client_auth::none("public-app"));
    EXPECT_EQ(post(c).body, "grant_type=client_credentials&client_id=public-app");
    const auto empty = make_client(client_auth::none(""));
    http::form_body body;
    EXPECT_EQ(make_endpoint_request(empty, oidc::endpoint::token, std::move(body), t0).error().code,
              errc::invalid_options);
}

TEST(OauthClient, UnadvertisedEndpointIsAnError) {
    auto c = make_client(client_auth::none("app"));
    c.server.endpoints.revocation.reset();
    http::form_body body;
    auto r = make_endpoint_request(c, oidc::endpoint::revocation, std::move(body), t0);
    EXPECT_EQ(r.error().code, oidc::errc::endpoint_not_advertised);
}

} // namespace
