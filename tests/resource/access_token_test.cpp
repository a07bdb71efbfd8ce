#include <obauth/resource/access_token.hpp>

#include <obauth/resource/validator.hpp>

#include "support/resource_support.hpp"

#include <gtest/gtest.h>

#include <type_traits>

namespace {

using namespace obauth;
using namespace obauth::resource;
namespace rs = obauth::test::resource_support;

// Only the validator makes one.
static_assert(!std::is_default_constructible_v<verified_access_token>);

TEST(VerifiedAccessToken, CarriesTheClaimsNotTheToken) {
    oidc::jwks_cache keys = rs::keys_cache();
    auto v = validator::create(rs::options(), keys).value();
    json c = rs::claims();
    c["scope"] = "  accounts  payments ";
    c["openbanking_intent_id"] = "urn:hamsterbank:consent:42";
    c["nbf"] = to_unix_seconds(rs::issued);
    c["cnf"] = {{"x5t#S256", "thumbprint-of-the-certificate-0123456789abcd"}};
    const std::string token = rs::sign(c);
    auto r = rs::request("Bearer " + token);
    r.client_certificate_thumbprint = "thumbprint-of-the-certificate-0123456789abcd";
    auto t = v.validate(r, rs::issued).value();
    EXPECT_EQ(t->scopes(), (std::vector<std::string_view>{"accounts", "payments"}));
    EXPECT_FALSE(t->has_scope(""));
    EXPECT_EQ(t->iat(), to_unix_seconds(rs::issued));
    EXPECT_EQ(t->nbf(), to_unix_seconds(rs::issued));
    EXPECT_TRUE(t->sender_constrained());
    EXPECT_FALSE(t->dpop_thumbprint());
    EXPECT_EQ(t->claims().at("openbanking_intent_id"), "urn:hamsterbank:consent:42");
    // The claims, not the signed token.
    EXPECT_EQ(t->claims().dump().find(token.substr(token.rfind('.') + 1)), std::string::npos);
}

TEST(VerifiedAccessToken, AudiencesAndScopesKeptApart) {
    // One buffer of views holds both: neither list may run into the other,
    // escaped values (decoded through the DOM) included.
    oidc::jwks_cache keys = rs::keys_cache();
    auto v = validator::create(rs::options(), keys).value();
    json c = rs::claims();
    c["aud"] = {"https://other.example", rs::audience, "x\"y"};
    c["scope"] = "accounts";
    auto t = v.validate(rs::request("Bearer " + rs::sign(c)), rs::issued).value();
    EXPECT_EQ(t->audiences(),
              (std::vector<std::string_view>{"https://other.example", rs::audience, "x\"y"}));
    EXPECT_EQ(t->scopes(), std::vector<std::string_view>{"accounts"});
    c["aud"] = rs::audience;
    c["scope"] = "";
    t = v.validate(rs::request("Bearer " + rs::sign(c)), rs::issued).value();
    EXPECT_EQ(t->audiences().size(), 1u);
    EXPECT_TRUE(t->scopes().empty());
    EXPECT_FALSE(t->has_scope(rs::audience));
}

} // namespace
