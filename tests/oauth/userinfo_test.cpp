#include <obauth/oauth/userinfo.hpp>

#include "support/oauth_support.hpp"

#include <gtest/gtest.h>

namespace {

using namespace obauth;
using namespace obauth::oauth;

using test::t0;

TEST(Userinfo, RequestUsesBearerAndTheMtlsAliasForBoundTokens) {
    const client bound =
        test::make_client(client_auth::private_key_jwt("client-42", test::client_key()), true);
    auto r = make_userinfo_request(bound, test::secret_of("SlAV32hkKG"));
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->method, http::http_method::get);
    EXPECT_EQ(r->url.buffer(), "https://mtls.bank.example/userinfo");
    EXPECT_TRUE(r->use_client_certificate);
    EXPECT_EQ(*r->header("Authorization"), "Bearer SlAV32hkKG");
    EXPECT_TRUE(r->body.empty());
    EXPECT_EQ(make_userinfo_request(bound, test::secret_of("t\r\nX-Injected: 1")).error().code,
              errc::invalid_options);
    const client plain = test::make_client(client_auth::none("app"));
    EXPECT_EQ(make_userinfo_request(plain, test::secret_of("t"))->url.buffer(),
              "https://as.bank.example/userinfo");
}

TEST(Userinfo, PlainResponseSubMustMatch) {
    userinfo_options o;
    o.expected_sub = "248289761001";
    http::http_response r{
        200,
        {{"Content-Type", "application/json"}},
        R"({"sub":"248289761001","name":"Jane Doe","email":"janedoe@example.com"})"};
    auto claims = process_userinfo_response(r, t0, o);
    ASSERT_TRUE(claims) << claims.error();
    EXPECT_EQ((*claims)["name"], "Jane Doe");
    o.expected_sub = "someone-else";
    EXPECT_EQ(process_userinfo_response(r, t0, o).error().code, errc::invalid_response);
    o.expected_sub = "x";
    EXPECT_FALSE(process_userinfo_response(
        {200, {{"Content-Type", "application/json"}}, R"({"name":"x"})"}, t0, o));
    auto expired = process_userinfo_response(
        {401, {{"WWW-Authenticate", R"(Bearer error="invalid_token")"}}, ""}, t0, o);
    EXPECT_EQ(expired.error().code, errc::invalid_token);
}

TEST(Userinfo, SignedResponse) {
    const jose::jwks keys({test::bank_key().public_key()});
    userinfo_options o;
    o.expected_sub = "user-1001";
    o.issuer_keys = &keys;
    o.issuer = test::bank_issuer;
    o.client_id = "client-42";
    json c = {{"iss", test::bank_issuer}, {"aud", "client-42"}, {"sub", "user-1001"}};
    auto ok = process_userinfo_response(
        {200, {{"Content-Type", "application/jwt"}}, jose::sign_jwt(c, test::bank_key()).value()},
        t0, o);
    ASSERT_TRUE(ok) << ok.error();
    c["aud"] = "another-client";
    EXPECT_FALSE(process_userinfo_response(
        {200, {{"Content-Type", "application/jwt"}}, jose::sign_jwt(c, test::bank_key()).value()},
        t0, o));
    EXPECT_FALSE(process_userinfo_response(
        {200, {{"Content-Type", "application/json"}}, R"({"sub":"user-1001"})"}, t0, o));
}

} // namespace
