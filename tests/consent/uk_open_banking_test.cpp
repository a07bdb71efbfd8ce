#include <obauth/consent/uk_open_banking.hpp>

#include "support/consent_support.hpp"

#include <gtest/gtest.h>

#include <string>

namespace obauth::consent {
namespace {

using namespace std::chrono_literals;
using test::consent_now;
using uk::uk_permission;

TEST(UkOpenBanking, AccountAccessRequestFromHamstersModel) {
    const auto r = consent_request::account_access(
        {permission::read_accounts, permission::read_balances, permission::read_transactions},
        parse_timestamp("2024-03-15T00:00:00Z").value(),
        parse_timestamp("2023-01-01T00:00:00Z").value());
    auto body = uk::account_access_request_body(r, consent_now);
    ASSERT_TRUE(body) << body.error();
    EXPECT_EQ(*parse_json(*body), *parse_json(R"({
      "Data": {
        "Permissions": ["ReadAccountsDetail", "ReadBalances", "ReadTransactionsCredits",
                        "ReadTransactionsDebits", "ReadTransactionsDetail"],
        "ExpirationDateTime": "2024-03-15T00:00:00Z",
        "TransactionFromDateTime": "2023-01-01T00:00:00Z"
      },
      "Risk": {}
    })"));
}

TEST(UkOpenBanking, PermissionDependencies) {
    EXPECT_EQ(uk::check_dependencies({uk_permission::read_transactions_detail}).error().code,
              errc::missing_dependency);
    EXPECT_EQ(uk::check_dependencies({uk_permission::read_transactions_credits}).error().code,
              errc::missing_dependency);
    EXPECT_TRUE(uk::check_dependencies(
        {uk_permission::read_transactions_basic, uk_permission::read_transactions_debits}));
    EXPECT_TRUE(uk::check_dependencies({uk_permission::read_balances, uk_permission::read_pan}));
    EXPECT_EQ(uk::check_dependencies({}).error().code, errc::empty_permissions);

    uk::account_access_request r{
        {uk_permission::read_transactions_detail}, consent_now + 24h, {}, {}};
    EXPECT_EQ(uk::account_access_request_body(r, consent_now).error().code,
              errc::missing_dependency);
    r.permissions.insert(uk_permission::read_transactions_credits);
    EXPECT_TRUE(uk::account_access_request_body(r, consent_now));
    r.expiration = consent_now + 24h * 91;
    EXPECT_EQ(uk::account_access_request_body(r, consent_now).error().code,
              errc::expiration_too_far);
}

// The shape of the v3.1 specification's account-access-consent response.
const char* const access_response = R"({
  "Data": {
    "ConsentId": "urn-alphabank-intent-88379",
    "Status": "AwaitingAuthorisation",
    "StatusUpdateDateTime": "2017-05-02T00:00:00+00:00",
    "CreationDateTime": "2017-05-02T00:00:00+00:00",
    "Permissions": ["ReadAccountsDetail", "ReadBalances", "ReadBeneficiariesDetail",
                    "ReadDirectDebits", "ReadProducts", "ReadStandingOrdersDetail",
                    "ReadTransactionsCredits", "ReadTransactionsDebits", "ReadTransactionsDetail",
                    "ReadOffers", "ReadPAN", "ReadParty", "ReadPartyPSU",
                    "ReadScheduledPaymentsDetail", "ReadStatementsDetail"],
    "ExpirationDateTime": "2017-08-02T00:00:00+00:00",
    "TransactionFromDateTime": "2017-05-03T00:00:00+00:00",
    "TransactionToDateTime": "2017-12-03T00:00:00+00:00"
  },
  "Risk": {},
  "Links": {"Self": "https://api.alphabank.com/open-banking/v3.1/aisp/account-access-consents/urn-alphabank-intent-88379"},
  "Meta": {"TotalPages": 1}
})";

TEST(UkOpenBanking, AccountAccessResponse) {
    auto c = uk::parse_account_access_response(access_response);
    ASSERT_TRUE(c) << c.error();
    EXPECT_EQ(c->consent_id, "urn-alphabank-intent-88379");
    EXPECT_EQ(c->status, consent_status::awaiting_authorisation);
    EXPECT_TRUE(c->request.permissions.contains(uk_permission::read_party_psu));
    EXPECT_EQ(c->request.permissions.names().size(), 15u);
    EXPECT_EQ(format_timestamp(*c->request.transaction_to), "2017-12-03T00:00:00Z");

    std::string unknown = access_response;
    unknown.replace(unknown.find("ReadOffers"), 10, "ReadSecret");
    EXPECT_EQ(uk::parse_account_access_response(unknown).error().code, errc::unknown_permission);
    std::string no_data = R"({"Risk":{}})";
    EXPECT_EQ(uk::parse_account_access_response(no_data).error().code, errc::invalid_json);
    std::string bad_status = access_response;
    bad_status.replace(bad_status.find("AwaitingAuthorisation"), 21, "Pending");
    EXPECT_EQ(uk::parse_account_access_response(bad_status).error().code, errc::unknown_status);
}

TEST(UkOpenBanking, DomesticPaymentConsentRoundTrip) {
    const auto r = consent_request::single_payment(test::sample_payment());
    auto body = uk::payment_request_body(r, consent_now);
    ASSERT_TRUE(body) << body.error();
    EXPECT_EQ(*parse_json(*body), *parse_json(R"({
      "Data": {"Initiation": {
        "InstructionIdentification": "ACME412",
        "EndToEndIdentification": "FRESCO.21302.GFX.20",
        "InstructedAmount": {"Amount": "165.88", "Currency": "GBP"},
        "CreditorAccount": {"SchemeName": "UK.OBIE.SortCodeAccountNumber",
                            "Identification": "08080021325698", "Name": "ACME Inc"},
        "RemittanceInformation": {"Reference": "FRESCO-101"}}},
      "Risk": {}
    })"));
    json response = *parse_json(*body);
    response["Data"]["ConsentId"] = "58923";
    response["Data"]["Status"] = "Consumed";
    response["Data"]["CreationDateTime"] = "2017-06-05T15:15:13+00:00";
    response["Data"]["StatusUpdateDateTime"] = "2017-06-05T15:15:22+00:00";
    auto c = uk::parse_payment_response(response.dump());
    ASSERT_TRUE(c) << c.error();
    EXPECT_EQ(c->id, "58923");
    EXPECT_EQ(c->status, consent_status::consumed);
    EXPECT_EQ(c->request.payment->instructed_amount.value, "165.88");
    EXPECT_EQ(uk::payment_request_body(c->request, consent_now).value(), *body);

    response["Data"]["Initiation"]["InstructedAmount"]["Amount"] = "-5";
    EXPECT_EQ(uk::parse_payment_response(response.dump()).error().code, errc::invalid_amount);
    EXPECT_EQ(
        uk::payment_request_body(
            consent_request::funds_confirmation({"IBAN", "X", "", ""}, std::nullopt), consent_now)
            .error()
            .code,
        errc::wrong_consent_type);
}

TEST(UkOpenBanking, FundsConfirmationConsentRoundTrip) {
    const auto r = consent_request::funds_confirmation(
        {"UK.OBIE.SortCodeAccountNumber", "11280001234567", "Ada Lovelace", ""},
        consent_now + 24h * 60);
    auto body = uk::funds_confirmation_request_body(r, consent_now);
    ASSERT_TRUE(body) << body.error();
    json response = *parse_json(*body);
    EXPECT_FALSE(response.contains("Risk"));
    response["Data"]["ConsentId"] = "88379";
    response["Data"]["Status"] = "Authorised";
    response["Data"]["CreationDateTime"] = "2024-01-10T09:00:00Z";
    response["Data"]["StatusUpdateDateTime"] = "2024-01-10T09:05:00Z";
    auto c = uk::parse_funds_confirmation_response(response.dump());
    ASSERT_TRUE(c) << c.error();
    EXPECT_EQ(c->status, consent_status::authorised);
    EXPECT_EQ(c->request.expiration, consent_now + 24h * 60);
    EXPECT_EQ(c->request.debtor_account->name, "Ada Lovelace");
}

} // namespace
} // namespace obauth::consent
