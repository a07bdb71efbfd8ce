#include <obauth/oauth/resource_request.hpp>

#include "support/jose_support.hpp"
#include "support/oauth_support.hpp"

#include <gtest/gtest.h>

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

} // namespace
