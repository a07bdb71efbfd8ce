#include <obauth/oauth/token_request.hpp>

#include "support/oauth_support.hpp"

#include <gtest/gtest.h>

namespace {

using namespace obauth;
using namespace obauth::oauth;
using obauth::test::make_client;
using obauth::test::secret_of;

using test::t0;

client basic_client() {
    return make_client(client_auth::client_secret_basic("s6BhdRkqt3", secret_of("gX1fBat3bV")));
}

TEST(TokenRequest, AuthorizationCodeWithPkceMatchesRfc6749Example) {
    const auto c = basic_client();
    authorization_code_grant g{secret_of("SplxlOBeZQQYbYS6WxSbIA"), "https://client.example.com/cb",
                               secret_of("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")};
    auto r = make_token_request(c, g, t0);
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->url.buffer(), "https://as.bank.example/token");
    EXPECT_EQ(*r->header("Authorization"), "Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW");
    EXPECT_EQ(r->body, "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA"
                       "&redirect_uri=https%3A%2F%2Fclient.example.com%2Fcb"
                       "&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    authorization_code_grant empty{secret(), "https://client.example.com/cb", std::nullopt};
    EXPECT_EQ(make_token_request(c, empty, t0).error().code, errc::invalid_options);
}

TEST(TokenRequest, RefreshWithScopeAndResources) {
    const auto c = basic_client();
    token_request_options o;
    o.resources = {"https://api.bank.example/accounts", "https://api.bank.example/payments"};
    auto r = make_token_request(
        c, refresh_token_grant{secret_of("tGzv3JOkF0XG5Qx2TlKWIA"), {"accounts", "openid"}}, t0, o);
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->body, "grant_type=refresh_token&refresh_token=tGzv3JOkF0XG5Qx2TlKWIA"
                       "&scope=accounts+openid"
                       "&resource=https%3A%2F%2Fapi.bank.example%2Faccounts"
                       "&resource=https%3A%2F%2Fapi.bank.example%2Fpayments");
    o.resources = {"not a uri"};
    EXPECT_EQ(make_token_request(c, refresh_token_grant{secret_of("x"), {}}, t0, o).error().code,
              errc::invalid_options);
}

TEST(TokenRequest, ClientCredentialsWithAuthorizationDetails) {
    const auto c = basic_client();
    token_request_options o;
    o.authorization_details =
        json::array({{{"type", "payment_initiation"},
                      {"instructedAmount", {{"currency", "EUR"}, {"amount", "12.00"}}}}});
    auto r = make_token_request(c, client_credentials_grant{{"payments"}}, t0, o);
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->body, "grant_type=client_credentials&scope=payments&authorization_details="
                       "%5B%7B%22instructedAmount%22%3A%7B%22amount%22%3A%2212.00%22%2C%22currency"
                       "%22%3A%22EUR%22%7D%2C%22type%22%3A%22payment_initiation%22%7D%5D");
    o.authorization_details = json::object();
    EXPECT_EQ(make_token_request(c, client_credentials_grant{}, t0, o).error().code,
              errc::invalid_options);
    const auto pub = make_client(client_auth::none("app"));
    EXPECT_EQ(make_token_request(pub, client_credentials_grant{}, t0).error().code,
              errc::invalid_options);
}

TEST(TokenRequest, PasswordGrant) {
    const auto c = basic_client();
    auto r = make_token_request(c, password_grant{"johndoe", secret_of("A3ddj3w"), {}}, t0);
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->body, "grant_type=password&username=johndoe&password=A3ddj3w");
    EXPECT_FALSE(make_token_request(c, password_grant{"", secret_of("x"), {}}, t0));
}

TEST(TokenRequest, ExtensionGrantAndExtraParameters) {
    const auto c = basic_client();
    token_request_options o;
    o.extra = {{"audience", "payments-api"}};
    auto r = make_token_request(
        c,
        extension_grant{"urn:ietf:params:oauth:grant-type:token-exchange",
                        {{"subject_token", "abc"},
                         {"subject_token_type", "urn:ietf:params:oauth:token-type:access_token"}}},
        t0, o);
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->body, "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange"
                       "&subject_token=abc&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-"
                       "type%3Aaccess_token&audience=payments-api");
    EXPECT_FALSE(make_token_request(c, extension_grant{"token-exchange", {}}, t0));
}

} // namespace
