#include <obauth/consent/hamster.hpp>

#include "support/consent_support.hpp"

#include <gtest/gtest.h>

#include <string>

namespace obauth::consent {
namespace {

using namespace std::chrono_literals;
using test::consent_now;

// The body of the seed's "Creating a Consent" example, verbatim.
const char* const seed_body = R"({
    "permissions": [
      "ReadAccounts",
      "ReadBalances",
      "ReadTransactions"
    ],
    "expiration_date": "2024-03-15T00:00:00Z",
    "transaction_from_date": "2023-01-01T00:00:00Z"
  })";

TEST(HamsterConsent, TheSeedsExampleBodyIsWhatWeSend) {
    const auto r = consent_request::account_access(
        {permission::read_accounts, permission::read_balances, permission::read_transactions},
        parse_timestamp("2024-03-15T00:00:00Z").value(),
        parse_timestamp("2023-01-01T00:00:00Z").value());
    auto body = hamster::request_body(r, consent_now);
    ASSERT_TRUE(body) << body.error();
    EXPECT_EQ(*parse_json(*body), *parse_json(seed_body));
    EXPECT_EQ(hamster::create_path(r.type), "/consents/account-access");

    // And the bank reads the seed's body back into the same request.
    auto back = hamster::parse_request_body(consent_type::account_access, seed_body, consent_now);
    ASSERT_TRUE(back) << back.error();
    EXPECT_EQ(back->permissions, r.permissions);
    EXPECT_EQ(back->expiration, r.expiration);
    EXPECT_EQ(back->transaction_from, r.transaction_from);
    EXPECT_FALSE(back->transaction_to);
}

TEST(HamsterConsent, InvalidConsentsAreNeverSerialized) {
    auto r = consent_request::account_access({permission::read_balances}, consent_now - 1s);
    EXPECT_EQ(hamster::request_body(r, consent_now).error().code, errc::expiration_in_past);
    // Text that is not UTF-8 is refused by validation, as any bad text is:
    // as a bad field, or as a bad account when it is part of one.
    auto p = consent_request::single_payment(test::sample_payment());
    p.payment->reference = "\xff\xfe";
    EXPECT_EQ(hamster::request_body(p, consent_now).error().code, errc::invalid_field);
    p = consent_request::single_payment(test::sample_payment());
    p.payment->creditor_account.name = "\xff\xfe";
    EXPECT_EQ(hamster::request_body(p, consent_now).error().code, errc::invalid_account);
}

TEST(HamsterConsent, EveryTypeRoundTripsThroughTheResponse) {
    const consent_request requests[] = {
        consent_request::account_access(
            {permission::read_accounts_basic, permission::read_direct_debits},
            consent_now + 24h * 10, consent_now - 24h * 300, consent_now - 24h),
        consent_request::single_payment(test::sample_payment()),
        consent_request::funds_confirmation({"UK.OBIE.IBAN", "GB29NWBK60161331926819", "Ada", ""},
                                            consent_now + 24h),
    };
    for (const auto& r : requests) {
        SCOPED_TRACE(std::string(consent_type_name(r.type)));
        auto body = hamster::request_body(r, consent_now);
        ASSERT_TRUE(body) << body.error();
        auto parsed = hamster::parse_request_body(r.type, *body, consent_now);
        ASSERT_TRUE(parsed) << parsed.error();

        consent c;
        c.id = "urn-hamster-consent-7f3a";
        c.request = *parsed;
        c.status = consent_status::authorised;
        c.created = consent_now;
        c.status_updated = consent_now + 90s;
        auto out = hamster::consent_body(c);
        ASSERT_TRUE(out) << out.error();
        auto back = hamster::parse_consent_body(r.type, *out);
        ASSERT_TRUE(back) << back.error();
        EXPECT_EQ(back->id, c.id);
        EXPECT_EQ(back->status, consent_status::authorised);
        EXPECT_EQ(back->created, consent_now);
        EXPECT_EQ(back->status_updated, consent_now + 90s);
        // Same request again: its body is byte-identical.
        EXPECT_EQ(hamster::request_body(back->request, consent_now).value(), *body);
    }
}

TEST(HamsterConsent, ResponsesAsABankWouldSendThem) {
    auto c = hamster::parse_consent_body(consent_type::account_access, R"({
      "consent_id": "aac-01HQ3Z",
      "status": "AwaitingAuthorisation",
      "created_at": "2024-01-10T09:00:01Z",
      "status_updated_at": "2024-01-10T09:00:01Z",
      "permissions": ["ReadAccounts", "ReadBalances"],
      "expiration_date": "2024-03-15T00:00:00+00:00",
      "_links": {"self": "/consents/account-access/aac-01HQ3Z"}
    })");
    ASSERT_TRUE(c) << c.error();
    EXPECT_EQ(c->id, "aac-01HQ3Z");
    EXPECT_EQ(c->status, consent_status::awaiting_authorisation);
    EXPECT_EQ(c->request.permissions.size(), 2u);
}

TEST(HamsterConsent, HostileBodiesAreRefused) {
    const std::pair<const char*, errc> cases[] = {
        {R"({"permissions":"ReadAccounts"})", errc::invalid_json},
        {R"({"permissions":[1,2]})", errc::invalid_json},
        {R"({"permissions":[]})", errc::empty_permissions},
        {R"({"permissions":["ReadAccounts","ReadAll"]})", errc::unknown_permission},
        {R"({"permissions":["ReadBalances"],"permissions":["ReadAccounts"]})", errc::invalid_json},
        {R"({"permissions":["ReadBalances"],"expiration_date":"2024-02-30T00:00:00Z"})",
         errc::invalid_timestamp},
        {R"({"permissions":["ReadBalances"],"expiration_date":"2024-03-01T00:00:00"})",
         errc::invalid_timestamp},
        {R"({"permissions":["ReadBalances"],"expiration_date":20240301})", errc::invalid_json},
        {R"({"permissions":["ReadBalances"],"scope":"all"})", errc::invalid_json},
        {R"({"permissions":["ReadBalances"],"transaction_from_date":"2024-01-05T00:00:00Z",
             "transaction_to_date":"2024-01-01T00:00:00Z"})",
         errc::invalid_date_range},
        {R"(["ReadBalances"])", errc::invalid_json},
        {R"({"permissions":["ReadBalances"])", errc::invalid_json},
        {"", errc::invalid_json},
    };
    for (const auto& [body, code] : cases) {
        auto r = hamster::parse_request_body(consent_type::account_access, body, consent_now);
        ASSERT_FALSE(r) << body;
        EXPECT_EQ(r.error().code, code) << body << " -> " << r.error();
    }
    std::string huge = R"({"permissions":[)";
    for (int i = 0; i < 100000; ++i)
        huge += "\"ReadBalances\",";
    huge += "\"ReadBalances\"]}";
    EXPECT_EQ(
        hamster::parse_request_body(consent_type::account_access, huge, consent_now).error().code,
        errc::invalid_json); // over the body size limit
    std::string deep = R"({"permissions":["ReadBalances"],"x":)" + std::string(50, '[') +
                       std::string(50, ']') + "}";
    EXPECT_EQ(
        hamster::parse_request_body(consent_type::account_access, deep, consent_now).error().code,
        errc::invalid_json);

    const char* payment = R"({"instruction_identification":"A","end_to_end_identification":"B",
        "instructed_amount":{"amount":165.88,"currency":"GBP"},
        "creditor_account":{"scheme_name":"IBAN","identification":"GB29NWBK60161331926819"}})";
    EXPECT_EQ(hamster::parse_request_body(consent_type::payment, payment, consent_now).error().code,
              errc::invalid_json); // an amount as a JSON number: never a binary float
    EXPECT_EQ(hamster::parse_consent_body(consent_type::account_access,
                                          R"({"consent_id":"x","status":"Approved",
                                              "created_at":"2024-01-10T09:00:01Z",
                                              "status_updated_at":"2024-01-10T09:00:01Z",
                                              "permissions":["ReadBalances"]})")
                  .error()
                  .code,
              errc::unknown_status);
}

} // namespace
} // namespace obauth::consent
