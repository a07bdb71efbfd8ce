#include <obauth/oauth/grant_flow.hpp>

#include "support/fake_bank.hpp"

#include <gtest/gtest.h>

namespace {

using namespace obauth;
using namespace obauth::oauth;

using test::t0;

TEST(GrantFlow, ClientCredentialsOverMtls) {
    test::fake_bank bank;
    const client c = test::make_client(client_auth::tls_client_auth("client-42"), true);
    auto f = grant_flow::client_credentials(c, {{"accounts"}});
    auto s = f.start(t0);
    ASSERT_TRUE(s) << s.error();
    auto& req = std::get<send_request>(*s).request;
    EXPECT_EQ(req.url.buffer(), "https://mtls.bank.example/token");
    EXPECT_EQ(req.body, "grant_type=client_credentials&scope=accounts&client_id=client-42");
    auto done = f.on_response(bank.handle(req, t0), t0);
    ASSERT_TRUE(done) << done.error();
    EXPECT_EQ(std::get<flow_complete>(*done).tokens.scope,
              std::optional<std::vector<std::string>>({"accounts"}));
    EXPECT_EQ(f.state(), flow_state::complete);
    EXPECT_EQ(f.on_response(bank.handle(req, t0), t0).error().code, errc::flow_out_of_order);
    EXPECT_EQ(f.start(t0).error().code, errc::flow_failed);
}

TEST(GrantFlow, PasswordGrantBytesAndErrors) {
    const client c =
        test::make_client(client_auth::client_secret_post("legacy", test::secret_of("s3")));
    auto f = grant_flow::password(c, {"jane", test::secret_of("p@ss word"), {"read"}});
    auto s = f.start(t0);
    ASSERT_TRUE(s);
    EXPECT_EQ(std::get<send_request>(*s).request.body,
              "grant_type=password&username=jane&password=p%40ss+word&scope=read"
              "&client_id=legacy&client_secret=s3");
    auto r = f.on_response(
        {400, {{"Content-Type", "application/json"}}, R"({"error":"invalid_grant"})"}, t0);
    EXPECT_EQ(r.error().code, errc::invalid_grant);
    EXPECT_EQ(f.state(), flow_state::failed);
    EXPECT_EQ(f.on_callback("https://x/cb", t0).error().code, errc::flow_failed);
}

} // namespace
