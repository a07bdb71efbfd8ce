#include <obauth/consent/binding.hpp>

#include <gtest/gtest.h>

#include <string>

namespace obauth::consent {
namespace {

TEST(ConsentBinding, ClaimsRequestForTheRequestObject) {
    auto c = intent_claims("urn-alphabank-intent-88379", "openbanking_intent_id",
                           {"urn:openbanking:psd2:sca"});
    ASSERT_TRUE(c) << c.error();
    EXPECT_EQ(*c, *parse_json(R"({
      "id_token": {
        "openbanking_intent_id": {"value": "urn-alphabank-intent-88379", "essential": true},
        "acr": {"essential": true, "values": ["urn:openbanking:psd2:sca"]}
      },
      "userinfo": {
        "openbanking_intent_id": {"value": "urn-alphabank-intent-88379", "essential": true}
      }
    })"));
    EXPECT_FALSE(intent_claims("x")->at("id_token").contains("acr"));
}

TEST(ConsentBinding, ScopeValue) {
    EXPECT_EQ(consent_scope("AIS", "1234-wertiq-983").value(), "AIS:1234-wertiq-983");
    EXPECT_EQ(consent_scope("PIS", "a b").error().code, errc::invalid_consent_id);
    EXPECT_EQ(consent_scope("A IS", "1").error().code, errc::invalid_field);
    EXPECT_EQ(consent_scope("", "1").error().code, errc::invalid_field);
}

TEST(ConsentBinding, AuthorizationDetails) {
    auto d = consent_authorization_details(consent_type::account_access, "aac-1", {},
                                           {{"locations", {"https://api.hamsterbank.ai/"}}});
    ASSERT_TRUE(d) << d.error();
    EXPECT_EQ(*d, *parse_json(R"([{"type":"account-access","consent_id":"aac-1",
                                   "locations":["https://api.hamsterbank.ai/"]}])"));
    EXPECT_EQ(consent_authorization_details(consent_type::payment, "p-1", "payment_initiation")
                  ->at(0)
                  .at("type"),
              "payment_initiation");
    EXPECT_EQ(
        consent_authorization_details(consent_type::payment, "p-1", {}, json::array()).error().code,
        errc::invalid_json);
}

TEST(ConsentBinding, IdsThatNoConventionCanCarryAreRefused) {
    for (const std::string& bad : {std::string(), std::string(129, 'a'), std::string("a\"b"),
                                   std::string("a\\b"), std::string("a\nb"), std::string("é")})
        EXPECT_EQ(check_consent_id(bad).error().code, errc::invalid_consent_id) << bad;
    EXPECT_TRUE(check_consent_id("urn:hamster:consent:7f3a-01"));
}

} // namespace
} // namespace obauth::consent
