#include <obauth/resource/challenge.hpp>

#include "support/resource_support.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using namespace obauth;
using namespace obauth::resource;
namespace rs = obauth::test::resource_support;

challenge answer(std::error_code e, std::optional<token_scheme> used,
                 const challenge_options& o = {}) {
    return make_challenge(error_info{e, "detail with a value", {}}, used, o, rs::issued);
}

TEST(ResourceChallenge, NoCredentialsNoErrorCode) {
    challenge_options o;
    o.realm = "accounts";
    o.offer_dpop = true;
    o.dpop_algorithms = {jose::algorithm::ES256, jose::algorithm::EdDSA};
    const auto c = answer(errc::missing_token, std::nullopt, o);
    EXPECT_EQ(c.status, 401);
    EXPECT_EQ(c.www_authenticate,
              (std::vector<std::string>{R"(Bearer realm="accounts")",
                                        R"(DPoP realm="accounts", algs="ES256 EdDSA")"}));
    EXPECT_EQ(answer(errc::unsupported_scheme, std::nullopt).www_authenticate,
              std::vector<std::string>{"Bearer"});
}

TEST(ResourceChallenge, Rfc6750Errors) {
    const auto bad = answer(errc::multiple_authorizations, token_scheme::bearer);
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(
        bad.www_authenticate.at(0),
        R"(Bearer error="invalid_request", error_description="more than one Authorization header")");
    for (const auto e : {errc::invalid_token, errc::missing_claim, errc::unknown_key,
                         errc::certificate_mismatch, errc::certificate_required,
                         errc::unbound_token, errc::not_a_jwt, errc::token_too_large}) {
        const auto c = answer(e, token_scheme::bearer);
        EXPECT_EQ(c.status, 401) << std::error_code(e).message();
        EXPECT_NE(c.www_authenticate.at(0).find(R"(error="invalid_token")"), std::string::npos);
        // The description is the code's message, never the error's detail.
        EXPECT_EQ(c.www_authenticate.at(0).find("detail with a value"), std::string::npos);
    }
    challenge_options o;
    o.scope = {"accounts", "payments"};
    const auto scope = answer(errc::insufficient_scope, token_scheme::bearer, o);
    EXPECT_EQ(scope.status, 403);
    EXPECT_EQ(
        scope.www_authenticate.at(0),
        R"(Bearer error="insufficient_scope", error_description="insufficient scope", scope="accounts payments")");
    EXPECT_EQ(answer(errc::keys_unavailable, token_scheme::bearer).status, 503);
    EXPECT_TRUE(answer(errc::keys_unavailable, token_scheme::bearer).www_authenticate.empty());
    EXPECT_EQ(answer(errc::invalid_options, token_scheme::bearer).status, 500);
}

TEST(ResourceChallenge, DpopErrorsGoOnTheDpopChallenge) {
    auto key = secret(bytes_view(std::string_view("0123456789abcdef0123456789abcdef")));
    std::vector<secret> keys;
    keys.push_back(std::move(key));
    const auto nonces = dpop::nonce_issuer::create(std::move(keys)).value();
    challenge_options o;
    o.nonces = &nonces;
    const auto c = answer(dpop::errc::nonce_required, token_scheme::dpop, o);
    EXPECT_EQ(c.status, 401);
    ASSERT_EQ(c.www_authenticate.size(), 2u);
    EXPECT_EQ(c.www_authenticate[0], "Bearer");
    EXPECT_EQ(
        c.www_authenticate[1].rfind(R"(DPoP algs="PS256 ES256 EdDSA", error="use_dpop_nonce")", 0),
        0u)
        << c.www_authenticate[1];
    ASSERT_TRUE(c.dpop_nonce);
    EXPECT_TRUE(nonces.accepts(*c.dpop_nonce, rs::issued));

    EXPECT_NE(answer(dpop::errc::replayed, token_scheme::dpop)
                  .www_authenticate[1]
                  .find(R"(error="invalid_dpop_proof")"),
              std::string::npos);
    EXPECT_NE(answer(dpop::errc::key_mismatch, token_scheme::dpop)
                  .www_authenticate[1]
                  .find(R"(error="invalid_token")"),
              std::string::npos);
    EXPECT_EQ(answer(dpop::errc::replay_store_unavailable, token_scheme::dpop).status, 503);
    // A DPoP-bound token sent as Bearer: the error on the DPoP challenge.
    const auto as_bearer = answer(errc::dpop_required, token_scheme::bearer);
    EXPECT_EQ(as_bearer.www_authenticate.at(0), "Bearer");
    EXPECT_NE(as_bearer.www_authenticate.at(1).find(R"(error="invalid_token")"), std::string::npos);
}

TEST(ResourceChallenge, RealmIsQuotedAndTheSchemeReadFromTheRequest) {
    challenge_options o;
    o.realm = R"(a "quoted" \ realm)";
    auto r = rs::request("DPoP abc.def.ghi");
    const auto c = make_challenge(error_info{errc::not_dpop_bound, {}, {}}, r, o, rs::issued);
    // DPoP is not offered, but the request used it: the error goes there.
    ASSERT_EQ(c.www_authenticate.size(), 2u);
    EXPECT_EQ(c.www_authenticate[0], R"(Bearer realm="a \"quoted\" \\ realm")");
    EXPECT_NE(c.www_authenticate[1].find(R"(error="invalid_token")"), std::string::npos)
        << c.www_authenticate[1];
    // A Bearer request: only the Bearer challenge, with the error.
    auto b = rs::request("Bearer abc.def.ghi");
    const auto d = make_challenge(error_info{errc::invalid_token, {}, {}}, b, {}, rs::issued);
    EXPECT_EQ(d.www_authenticate,
              std::vector<std::string>{
                  R"(Bearer error="invalid_token", error_description="invalid access token")"});
}

} // namespace
