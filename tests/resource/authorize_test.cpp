#include <obauth/resource/authorize.hpp>

#include <obauth/resource/validator.hpp>

#include "support/resource_support.hpp"

#include <gtest/gtest.h>

namespace {

using namespace obauth;
using namespace obauth::resource;
using namespace std::chrono_literals;
namespace rs = obauth::test::resource_support;
using consent::permission;

std::shared_ptr<const verified_access_token> token_with(json c) {
    static oidc::jwks_cache keys = rs::keys_cache();
    auto v = validator::create(rs::options(), keys).value();
    return v.validate(rs::request("Bearer " + rs::sign(c)), rs::issued).value();
}

consent::consent authorised(std::string id) {
    consent::consent c;
    c.id = std::move(id);
    c.request = consent::consent_request::account_access(
        {permission::read_accounts, permission::read_balances}, rs::issued + 24h * 90);
    c.status = consent::consent_status::authorised;
    c.created = rs::issued - 1h;
    c.status_updated = rs::issued - 1h;
    return c;
}

TEST(ResourceAuthorize, RequiredScopes) {
    const auto t = token_with(rs::claims()); // openid accounts payments
    EXPECT_TRUE(require_scopes(*t, {"accounts"}));
    EXPECT_TRUE(require_scopes(*t, {"accounts", "payments"}));
    EXPECT_TRUE(require_scopes(*t, {}));
    auto missing = require_scopes(*t, {"accounts", "fundsconfirmations", "admin"});
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, errc::insufficient_scope);
    EXPECT_EQ(missing.error().detail, "missing: fundsconfirmations admin");
    // A prefix of a granted scope is not the scope.
    EXPECT_FALSE(require_scopes(*t, {"account"}));
}

TEST(ResourceAuthorize, TheConsentBehindTheToken) {
    json c = rs::claims();
    c["openbanking_intent_id"] = "consent-42";
    const auto t = token_with(c);
    EXPECT_EQ(consent_id(*t), "consent-42");
    const auto usable = authorised("consent-42");
    EXPECT_TRUE(require_consent(*t, usable, rs::issued, permission::read_balances));
    auto other = require_consent(*t, authorised("consent-43"), rs::issued);
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().code, errc::consent_not_usable);
    // Not granted, revoked, expired.
    EXPECT_FALSE(require_consent(*t, usable, rs::issued, permission::read_transactions));
    auto revoked = usable;
    revoked.status = consent::consent_status::revoked;
    EXPECT_FALSE(require_consent(*t, revoked, rs::issued));
    EXPECT_FALSE(require_consent(*t, usable, rs::issued + 24h * 91));
    // Another claim name; a token without one.
    json named = rs::claims();
    named["consent_id"] = "consent-42";
    EXPECT_TRUE(require_consent(*token_with(named), usable, rs::issued, {}, "consent_id"));
    EXPECT_EQ(require_consent(*token_with(rs::claims()), usable, rs::issued).error().code,
              errc::consent_not_usable);
    json number = rs::claims();
    number["openbanking_intent_id"] = 42;
    EXPECT_FALSE(consent_id(*token_with(number)));
}

} // namespace
