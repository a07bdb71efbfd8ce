#include <obauth/oauth/dpop_binding.hpp>

#include "support/jose_support.hpp"
#include "support/oauth_support.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace obauth;
using namespace obauth::oauth;
using test::t0;

json proof_claims(const http::http_request& r, const jose::jwk& key) {
    const auto* h = r.header("DPoP");
    EXPECT_NE(h, nullptr);
    jose::jwt_validation v;
    v.require_exp = false;
    v.typ = "dpop+jwt";
    auto jwt = jose::verify_jwt(std::string_view(h->data(), h->size()), key.public_key(),
                                test::allow({jose::algorithm::ES256}), v, t0);
    EXPECT_TRUE(jwt) << jwt.error();
    return jwt ? jwt->claims() : json();
}

TEST(DpopBinding, ProvesARequestWithTheServersLatestNonce) {
    dpop_binding b(jose::generate_key(jose::algorithm::ES256).value());
    http::http_request r;
    r.method = http::http_method::post;
    r.url = boost::urls::url("https://as.example:8443/token?x=1");
    ASSERT_TRUE(b.prove(r, t0, default_random()));
    json c = proof_claims(r, b.key());
    EXPECT_EQ(c["htm"], "POST");
    EXPECT_EQ(c["htu"], "https://as.example:8443/token");
    EXPECT_FALSE(c.contains("nonce"));
    EXPECT_FALSE(c.contains("ath"));

    // A nonce from this server (scheme, host and port) goes into the next
    // proof; one from another port does not.
    http::http_response other{200, {{"DPoP-Nonce", std::string("other-port")}}, std::string()};
    b.remember(other, boost::urls::url("https://as.example/token"));
    http::http_response mine{400, {{"DPoP-Nonce", std::string("n-42")}}, std::string()};
    b.remember(mine, r.url);
    r.method = http::http_method::get;
    ASSERT_TRUE(b.prove(r, t0, default_random(), std::string_view("the-token")));
    std::size_t headers = 0;
    for (const auto& h : r.headers)
        headers += h.name == "DPoP";
    EXPECT_EQ(headers, 1u); // replaced, not added
    c = proof_claims(r, b.key());
    EXPECT_EQ(c["htm"], "GET");
    EXPECT_EQ(c["nonce"], "n-42");
    EXPECT_EQ(c["ath"], dpop::access_token_hash("the-token"));
    EXPECT_EQ(b.nonce_for("https://as.example"), "other-port");
}

TEST(DpopBinding, RecognisesBothNonceChallenges) {
    const std::string nonce_body = R"({"error":"use_dpop_nonce"})";
    EXPECT_TRUE(asks_for_dpop_nonce(
        {400,
         {{"DPoP-Nonce", std::string("n")}, {"Content-Type", "application/json"}},
         nonce_body}));
    // Without the nonce there is nothing to retry with.
    EXPECT_FALSE(asks_for_dpop_nonce({400, {}, nonce_body}));
    EXPECT_FALSE(asks_for_dpop_nonce(
        {400, {{"DPoP-Nonce", std::string("n")}}, std::string(R"({"error":"invalid_grant"})")}));
    EXPECT_FALSE(asks_for_dpop_nonce({400, {{"DPoP-Nonce", std::string("n")}}, "not json"}));
    // The resource server's challenge (RFC 9449 §9).
    EXPECT_TRUE(asks_for_dpop_nonce(
        {401,
         {{"WWW-Authenticate",
           std::string(
               R"(DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof")")},
          {"DPoP-Nonce", std::string("n")}},
         std::string()}));
    EXPECT_FALSE(
        asks_for_dpop_nonce({401,
                             {{"WWW-Authenticate", std::string(R"(Bearer error="invalid_token")")},
                              {"DPoP-Nonce", std::string("n")}},
                             std::string()}));
}

} // namespace
