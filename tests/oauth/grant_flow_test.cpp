#include <obauth/oauth/grant_flow.hpp>

#include "support/fake_bank.hpp"
#include "support/jose_support.hpp"

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

// DPoP: the token request carries a proof, the bank binds the token to its
// key; asked for a nonce, the flow sends the request once more with it.
TEST(GrantFlow, DpopBoundTokensAndOneNonceRetry) {
    for (const bool nonce_required : {false, true}) {
        test::fake_bank bank;
        bank.dpop_nonce_required = nonce_required;
        client c = test::make_client(client_auth::private_key_jwt("client-42", test::client_key()));
        const auto dpop_key = jose::generate_key(jose::algorithm::ES256).value();
        c.dpop = std::make_shared<dpop_binding>(dpop_key);
        auto f = grant_flow::client_credentials(c, {{"accounts"}});
        auto s = f.start(t0);
        ASSERT_TRUE(s) << s.error();
        auto req = std::get<send_request>(*s).request;
        ASSERT_NE(req.header("DPoP"), nullptr);
        auto step = f.on_response(bank.handle(req, t0), t0);
        ASSERT_TRUE(step) << step.error();
        if (nonce_required) {
            // The bank's use_dpop_nonce: the same request, a new proof with the nonce.
            ASSERT_TRUE(std::holds_alternative<send_request>(*step));
            auto again = std::get<send_request>(*step).request;
            EXPECT_EQ(again.body.substr(0, 40), req.body.substr(0, 40));
            EXPECT_NE(*again.header("DPoP"), *req.header("DPoP"));
            EXPECT_EQ(f.state(), flow_state::awaiting_token_response);
            step = f.on_response(bank.handle(again, t0), t0);
            ASSERT_TRUE(step) << step.error();
        }
        auto& done = std::get<flow_complete>(*step);
        EXPECT_EQ(done.tokens.token_type, "DPoP");
        jose::jwt_validation p;
        p.audiences = {"https://api.bank.example"};
        auto at = jose::verify_jwt(done.tokens.access_token.expose_secret_chars(),
                                   test::bank_key().public_key(),
                                   test::allow({jose::algorithm::PS256}), p, t0);
        ASSERT_TRUE(at) << at.error();
        EXPECT_EQ(at->claims()["cnf"]["jkt"], dpop_key.thumbprint().value());
    }
}

TEST(GrantFlow, DpopNonceRetriedOnceOnlyAndBearerRefused) {
    client c = test::make_client(client_auth::private_key_jwt("client-42", test::client_key()));
    c.dpop = std::make_shared<dpop_binding>(jose::generate_key(jose::algorithm::ES256).value());
    // A server that asks for a nonce every time: one retry, then the error.
    const http::http_response wants_nonce{
        400,
        {{"Content-Type", "application/json"}, {"DPoP-Nonce", std::string("n-1")}},
        std::string(R"({"error":"use_dpop_nonce"})")};
    auto f = grant_flow::client_credentials(c, {{"accounts"}});
    ASSERT_TRUE(f.start(t0));
    auto retry = f.on_response(wants_nonce, t0);
    ASSERT_TRUE(retry);
    const auto& proof = *std::get<send_request>(*retry).request.header("DPoP");
    jose::jwt_validation v;
    v.require_exp = false;
    v.typ = "dpop+jwt";
    const auto proof_jwt =
        jose::verify_jwt(std::string_view(proof.data(), proof.size()), c.dpop->key().public_key(),
                         test::allow({jose::algorithm::ES256}), v, t0);
    ASSERT_TRUE(proof_jwt) << proof_jwt.error();
    EXPECT_EQ(proof_jwt->claims()["nonce"], "n-1");
    EXPECT_FALSE(f.on_response(wants_nonce, t0));
    EXPECT_EQ(f.state(), flow_state::failed);

    // A Bearer answer to a DPoP request: refused when binding is required.
    test::fake_bank ignoring;
    ignoring.dpop_ignored = true;
    auto g = grant_flow::client_credentials(c, {{"accounts"}});
    auto s = g.start(t0);
    auto r = g.on_response(ignoring.handle(std::get<send_request>(*s).request, t0), t0);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::unexpected_token_type);
    // Accepted when the client only prefers DPoP.
    c.dpop =
        std::make_shared<dpop_binding>(jose::generate_key(jose::algorithm::ES256).value(), false);
    auto h = grant_flow::client_credentials(c, {{"accounts"}});
    s = h.start(t0);
    auto ok = h.on_response(ignoring.handle(std::get<send_request>(*s).request, t0), t0);
    ASSERT_TRUE(ok) << ok.error();
    EXPECT_TRUE(std::get<flow_complete>(*ok).tokens.is_bearer());
}

} // namespace
