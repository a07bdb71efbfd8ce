#include <obauth/oauth/resource_request.hpp>

#include "support/jose_support.hpp"
#include "support/oauth_support.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using namespace obauth;
using namespace obauth::oauth;
using test::t0;

token_set tokens(const char* type) {
    token_set t;
    t.access_token = test::secret_of("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU");
    t.token_type = type;
    return t;
}

TEST(ResourceRequest, BearerOrDpopWithTheTokensHash) {
    client c = test::make_client(client_auth::none("app"));
    auto bearer = make_resource_request(c, http::http_method::get,
                                        boost::urls::url("https://rs.example/accounts"),
                                        tokens("Bearer"), t0);
    ASSERT_TRUE(bearer) << bearer.error();
    EXPECT_EQ(*bearer->header("Authorization"),
              "Bearer Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU");
    EXPECT_EQ(bearer->header("DPoP"), nullptr);
    // A DPoP-bound token without the key cannot be used.
    EXPECT_EQ(make_resource_request(c, http::http_method::get,
                                    boost::urls::url("https://rs.example/accounts"), tokens("DPoP"),
                                    t0)
                  .error()
                  .code,
              errc::invalid_options);

    c.dpop = std::make_shared<dpop_binding>(jose::generate_key(jose::algorithm::ES256).value());
    auto bound = make_resource_request(c, http::http_method::get,
                                       boost::urls::url("https://rs.example/accounts?page=2"),
                                       tokens("DPoP"), t0);
    ASSERT_TRUE(bound) << bound.error();
    EXPECT_EQ(*bound->header("Authorization"), "DPoP Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU");
    const auto* proof = bound->header("DPoP");
    ASSERT_NE(proof, nullptr);
    jose::jwt_validation v;
    v.require_exp = false;
    v.typ = "dpop+jwt";
    auto jwt =
        jose::verify_jwt(std::string_view(proof->data(), proof->size()), c.dpop->key().public_key(),
                         test::allow({jose::algorithm::ES256}), v, t0);
    ASSERT_TRUE(jwt) << jwt.error();
    EXPECT_EQ(jwt->claims()["htm"], "GET");
    EXPECT_EQ(jwt->claims()["htu"], "https://rs.example/accounts");
    // RFC 9449 §7.1's example token and ath.
    EXPECT_EQ(jwt->claims()["ath"], "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo");
}

// A resource server that wants a nonce: the first answer is the RFC 9449
// §9 challenge, the request goes again with the nonce in a new proof; a
// second challenge is the answer (no loop). Bearer requests never retry.
TEST(ResourceRequest, ExchangeAnswersOneNonceChallenge) {
    client c = test::make_client(client_auth::none("app"));
    c.dpop = std::make_shared<dpop_binding>(jose::generate_key(jose::algorithm::ES256).value());
    const manual_clock clock(t0);
    http::http_request prototype;
    prototype.method = http::http_method::post;
    prototype.url = boost::urls::url("https://rs.example:8443/payments");
    prototype.headers.push_back({"x-fapi-interaction-id", "93bac548-d2de-4546-b106-880a5018460d"});
    prototype.body = "{}";
    auto nonce_of = [&](const http::http_request& r) {
        const auto* proof = r.header("DPoP");
        EXPECT_NE(proof, nullptr);
        jose::jwt_validation v;
        v.require_exp = false;
        v.typ = "dpop+jwt";
        auto jwt = jose::verify_jwt(std::string_view(proof->data(), proof->size()),
                                    c.dpop->key().public_key(),
                                    test::allow({jose::algorithm::ES256}), v, t0);
        EXPECT_TRUE(jwt) << jwt.error();
        return jwt && jwt->claims().contains("nonce") ? jwt->claims()["nonce"].get<std::string>()
                                                      : std::string();
    };
    const http::http_response challenge{
        401,
        {{"WWW-Authenticate", std::string(R"(DPoP error="use_dpop_nonce", algs="ES256")")},
         {"DPoP-Nonce", std::string("n-1")}},
        std::string()};
    std::vector<std::string> nonces;
    auto wants_nonce = [&](const http::http_request& r) -> result<http::http_response> {
        EXPECT_EQ(*r.header("x-fapi-interaction-id"), "93bac548-d2de-4546-b106-880a5018460d");
        EXPECT_EQ(r.body, "{}");
        nonces.push_back(nonce_of(r));
        if (nonces.back() != "n-1")
            return challenge;
        return http::http_response{201, {}, std::string("{}")};
    };
    auto r = send_resource_request(c, prototype, tokens("DPoP"), wants_nonce, clock);
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->status, 201);
    EXPECT_EQ(nonces, (std::vector<std::string>{"", "n-1"}));

    int sent = 0;
    auto always = [&](const http::http_request&) -> result<http::http_response> {
        ++sent;
        return challenge;
    };
    r = send_resource_request(c, prototype, tokens("DPoP"), always, clock);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401);
    EXPECT_EQ(sent, 2);

    sent = 0;
    r = send_resource_request(c, prototype, tokens("Bearer"), always, clock);
    EXPECT_EQ(sent, 1);
    EXPECT_EQ(r->status, 401);
}

} // namespace
