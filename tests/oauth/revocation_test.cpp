#include <obauth/oauth/revocation.hpp>

#include "support/fake_bank.hpp"

#include <obauth/oauth/token_request.hpp>
#include <obauth/oauth/token_response.hpp>

#include <gtest/gtest.h>

namespace {

using namespace obauth;
using namespace obauth::oauth;

using test::t0;

TEST(Revocation, RequestBytesAndResponses) {
    const client c =
        test::make_client(client_auth::client_secret_basic("s6BhdRkqt3", test::secret_of("x")));
    auto r =
        make_revocation_request(c, test::secret_of("45ghiukldjahdnhzdauz"), "refresh_token", t0);
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->url.buffer(), "https://as.bank.example/revoke");
    EXPECT_EQ(r->body, "token=45ghiukldjahdnhzdauz&token_type_hint=refresh_token");
    EXPECT_FALSE(make_revocation_request(c, secret(), "", t0));

    EXPECT_TRUE(process_revocation_response({200, {}, "anything"}, t0));
    auto busy = process_revocation_response({503, {{"Retry-After", "5"}}, ""}, t0);
    EXPECT_EQ(busy.error().code, errc::http_server_error);
    EXPECT_EQ(busy.error().retry_after, std::chrono::seconds(5));
    auto unsupported = process_revocation_response(
        {400, {{"Content-Type", "application/json"}}, R"({"error":"unsupported_token_type"})"}, t0);
    EXPECT_EQ(unsupported.error().code, errc::unsupported_token_type);
}

TEST(Revocation, AgainstTheBank) {
    test::fake_bank bank;
    const client c = test::make_client(client_auth::tls_client_auth("client-42"), true);
    auto tokens = process_token_response(
        bank.handle(make_token_request(c, client_credentials_grant{{"accounts"}}, t0).value(), t0),
        t0);
    ASSERT_TRUE(tokens);
    const std::string at(tokens->access_token.expose_secret_chars());
    EXPECT_EQ(bank.access_token_for(at), "active");
    auto req = make_revocation_request(c, tokens->access_token, "access_token", t0).value();
    EXPECT_TRUE(req.use_client_certificate);
    EXPECT_TRUE(process_revocation_response(bank.handle(req, t0), t0));
    EXPECT_EQ(bank.access_token_for(at), "inactive");
}

} // namespace
