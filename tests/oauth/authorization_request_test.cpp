#include <obauth/oauth/authorization_request.hpp>

#include "support/oauth_support.hpp"

#include <gtest/gtest.h>

namespace {

using namespace obauth;
using namespace obauth::oauth;
using namespace std::chrono_literals;

using test::t0;

authorization_request sample() {
    authorization_request r;
    r.redirect_uri = "https://client.example.org/cb";
    r.scope = {"openid", "accounts"};
    r.state = "af0ifjsldkj";
    r.nonce = "n-0S6_WzA2Mj";
    r.code_challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    return r;
}

TEST(AuthorizationRequest, PlainUrlIsExact) {
    const client c = test::make_client(client_auth::none("s6BhdRkqt3"));
    auto r = sample();
    r.max_age = 300s;
    r.claims = {{"id_token", {{"acr", {{"essential", true}}}}}};
    r.extra = {{"ui_locales", "de en"}};
    auto u = make_authorization_url(c, r);
    ASSERT_TRUE(u) << u.error();
    EXPECT_EQ(u->buffer(),
              "https://as.bank.example/authorize?client_id=s6BhdRkqt3&response_type=code"
              "&redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb&scope=openid+accounts"
              "&state=af0ifjsldkj&nonce=n-0S6_WzA2Mj"
              "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
              "&code_challenge_method=S256&max_age=300"
              "&claims=%7B%22id_token%22%3A%7B%22acr%22%3A%7B%22essential%22%3Atrue%7D%7D%7D"
              "&ui_locales=de+en");
}

TEST(AuthorizationRequest, InvalidParametersAreRefused) {
    const client c = test::make_client(client_auth::none("app"));
    auto r = sample();
    r.code_challenge_method = "plain";
    EXPECT_EQ(make_authorization_url(c, r).error().code, errc::invalid_options);
    r = sample();
    r.redirect_uri.clear();
    EXPECT_FALSE(make_authorization_url(c, r));
    r = sample();
    r.claims = json::array();
    EXPECT_FALSE(make_authorization_url(c, r));
    r = sample();
    r.resources = {"relative/path"};
    EXPECT_FALSE(make_authorization_url(c, r));
}

TEST(AuthorizationRequest, RequestObjectCarriesFapiClaims) {
    const client c =
        test::make_client(client_auth::private_key_jwt("client-42", test::client_key()));
    auto r = sample();
    r.authorization_details = json::array({{{"type", "account_information"}}});
    r.max_age = 60s;
    auto jwt = make_request_object(c, r, test::client_key(), t0);
    ASSERT_TRUE(jwt) << jwt.error();
    jose::jws_verify_options vo;
    vo.algorithms = jose::fapi_algorithms;
    jose::jwt_validation p;
    p.issuer = "client-42";
    p.audiences = {test::bank_issuer};
    p.typ = "oauth-authz-req+jwt";
    auto v = jose::verify_jwt(*jwt, jose::jwks({test::client_key().public_key()}), vo, p, t0);
    ASSERT_TRUE(v) << v.error();
    const json& cl = v->claims();
    EXPECT_EQ(cl["nbf"], to_unix_seconds(t0));
    EXPECT_EQ(cl["exp"], to_unix_seconds(t0 + 300s));
    EXPECT_EQ(cl["max_age"], 60);
    EXPECT_EQ(cl["authorization_details"][0]["type"], "account_information");
    EXPECT_EQ(cl["state"], "af0ifjsldkj");
    EXPECT_FALSE(v->jti().empty());
    request_object_options too_long;
    too_long.lifetime = 61min;
    EXPECT_EQ(make_request_object(c, r, test::client_key(), t0, too_long).error().code,
              errc::invalid_options);

    auto by_value = make_authorization_url_by_value(c, r, *jwt);
    ASSERT_TRUE(by_value);
    EXPECT_EQ(by_value->encoded_query(),
              "client_id=client-42&response_type=code&scope=openid+accounts&request=" + *jwt);
}

TEST(AuthorizationRequest, ByReference) {
    const client c = test::make_client(client_auth::none("s6BhdRkqt3"));
    auto u = make_authorization_url_by_reference(c, "urn:example:bwc4JK-ESC0w8acc191e-Y1LTC2");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->buffer(), "https://as.bank.example/authorize?client_id=s6BhdRkqt3"
                           "&request_uri=urn%3Aexample%3Abwc4JK-ESC0w8acc191e-Y1LTC2");
    EXPECT_FALSE(make_authorization_url_by_reference(c, ""));
}

// request_object_encryption_alg/enc registered: signed by the client, then
// encrypted to the key the server publishes for encryption.
TEST(AuthorizationRequest, EncryptedRequestObject) {
    client c = test::make_client(client_auth::private_key_jwt("client-42", test::client_key()));
    c.encryption.request_object = {jwe::key_management::ECDH_ES_A256KW,
                                   jwe::content_encryption::A256GCM};
    // The server's set: its signing key first, then its encryption key.
    const jose::jwks server(
        {test::bank_key().public_key(), test::bank_encryption_key().public_key()});
    request_object_options o;
    o.server_keys = &server;
    auto sealed = make_request_object(c, sample(), test::client_key(), t0, o);
    ASSERT_TRUE(sealed) << sealed.error();
    jwe::decrypt_options d;
    d.algorithms = {jwe::key_management::ECDH_ES_A256KW};
    d.encryptions = {jwe::content_encryption::A256GCM};
    auto opened = jwe::decrypt_compact(*sealed, test::bank_encryption_key(), d);
    ASSERT_TRUE(opened) << opened.error();
    EXPECT_EQ(opened->header().at("kid"), "bank-enc");
    EXPECT_EQ(opened->header().at("cty"), "JWT");
    // Inside: the signed request object, as without encryption.
    jose::jws_verify_options vo;
    vo.algorithms = {jose::algorithm::PS256};
    jose::jwt_validation p;
    p.issuer = "client-42";
    p.audiences = {test::bank_issuer};
    p.typ = "oauth-authz-req+jwt";
    auto inner = jose::verify_jwt(opened->plaintext().expose_secret().as_chars(),
                                  test::client_key().public_key(), vo, p, t0);
    ASSERT_TRUE(inner) << inner.error();
    EXPECT_EQ(inner->claims().at("state"), "af0ifjsldkj");
    // Without the server's keys, or with a set that marks no key for
    // encryption (a signing key is never taken for it).
    EXPECT_EQ(make_request_object(c, sample(), test::client_key(), t0).error().code,
              errc::invalid_options);
    const jose::jwks signing_only({test::bank_key().public_key()});
    o.server_keys = &signing_only;
    EXPECT_EQ(make_request_object(c, sample(), test::client_key(), t0, o).error().code,
              errc::invalid_options);
}

} // namespace
