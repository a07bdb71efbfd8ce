#include <obauth/consent/berlin_group.hpp>

#include "support/consent_support.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace obauth::consent {
namespace {

using namespace std::chrono_literals;
namespace bg = berlin_group;
using test::consent_now; // 2024-01-10T09:00:00Z

bg::account_reference iban(const char* i) {
    bg::account_reference a;
    a.iban = i;
    return a;
}

// The NextGenPSD2 specification's example consent request, dated for "now".
const char* const spec_request = R"({
  "access": {
    "balances": [{"iban": "DE40100100103307118608"},
                 {"iban": "DE02100100109307118603", "currency": "USD"},
                 {"iban": "DE67100100101306118605"}],
    "transactions": [{"iban": "DE40100100103307118608"}, {"maskedPan": "123456xxxxxx1234"}]
  },
  "recurringIndicator": true,
  "validUntil": "2024-03-01",
  "frequencyPerDay": 4
})";

TEST(BerlinGroup, TheSpecificationsExampleRoundTrips) {
    auto r = bg::parse_request_body(spec_request, consent_now);
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->access.balances.size(), 3u);
    EXPECT_EQ(r->access.balances[1].currency, "USD");
    EXPECT_EQ(r->access.transactions[1].masked_pan, "123456xxxxxx1234");
    EXPECT_EQ(r->valid_until, (civil_date{2024, 3, 1}));
    auto body = bg::request_body(*r, consent_now);
    ASSERT_TRUE(body) << body.error();
    json expected = *parse_json(spec_request);
    expected["combinedServiceIndicator"] = false; // always sent
    EXPECT_EQ(*parse_json(*body), expected);
}

TEST(BerlinGroup, AllAccountsAndTheModelsPermissions) {
    bg::account_consent_request all;
    all.access.all = bg::all_accounts::all_psd2;
    all.valid_until = {2024, 2, 1};
    EXPECT_EQ(*parse_json(bg::request_body(all, consent_now).value()),
              *parse_json(R"({"access":{"allPsd2":"allAccounts"},"recurringIndicator":true,
                              "validUntil":"2024-02-01","frequencyPerDay":4,
                              "combinedServiceIndicator":false})"));

    const auto m = consent_request::account_access(
        {permission::read_accounts, permission::read_balances, permission::read_transactions},
        parse_timestamp("2024-03-15T00:00:00Z").value());
    auto r = bg::from_model(m, {iban("DE40100100103307118608")}, consent_now);
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->access.accounts.size(), 1u);
    EXPECT_EQ(r->access.balances.size(), 1u);
    EXPECT_EQ(r->access.transactions.size(), 1u);
    EXPECT_EQ(r->valid_until, (civil_date{2024, 3, 15}));
    auto standing =
        consent_request::account_access({permission::read_standing_orders}, std::nullopt);
    EXPECT_EQ(bg::from_model(standing, {iban("DE40100100103307118608")}, consent_now).error().code,
              errc::unknown_permission);
}

TEST(BerlinGroup, EveryRuleBrokenOnItsOwn) {
    bg::account_consent_request ok;
    ok.access.accounts = {iban("DE40100100103307118608")};
    ok.valid_until = {2024, 2, 1};
    ASSERT_TRUE(bg::validate(ok, consent_now));

    auto check = [&](bg::account_consent_request r, errc code) {
        auto v = bg::validate(r, consent_now);
        ASSERT_FALSE(v);
        EXPECT_EQ(v.error().code, code) << v.error();
    };
    auto none = ok;
    none.access.accounts.clear();
    check(none, errc::empty_permissions);
    auto both = ok;
    both.access.all = bg::all_accounts::available_accounts;
    check(both, errc::empty_permissions);
    auto bad_iban = ok;
    bad_iban.access.accounts = {iban("DE40100100103307118609")}; // check digits do not match
    check(bad_iban, errc::invalid_account);
    auto two_ids = ok;
    two_ids.access.accounts[0].bban = "3307118608";
    check(two_ids, errc::invalid_account);
    auto yesterday = ok;
    yesterday.valid_until = {2024, 1, 9};
    check(yesterday, errc::expiration_in_past);
    auto today = ok; // still valid until the end of today
    today.valid_until = {2024, 1, 10};
    EXPECT_TRUE(bg::validate(today, consent_now));
    auto far = ok;
    far.valid_until = {2024, 4, 10};
    check(far, errc::expiration_too_far);
    auto once = ok;
    once.recurring_indicator = false;
    check(once, errc::invalid_field); // frequencyPerDay must be 1
    once.frequency_per_day = 1;
    EXPECT_TRUE(bg::validate(once, consent_now));
    auto currency = ok;
    currency.access.accounts[0].currency = "eur";
    check(currency, errc::invalid_currency);
}

// Regression (issue 19, item 6): any YYYY-MM-DD is a full-date, but only
// about 1678-2262 fits a time_point; converting validUntil overflowed
// (undefined behaviour). The limits are now judged in whole seconds.
TEST(BerlinGroup, ValidUntilOutsideTheRepresentableYears) {
    auto refused = [](const char* until) {
        const std::string body =
            std::string(R"({"access":{"allPsd2":"allAccounts"},"recurringIndicator":true,)") +
            R"("validUntil":")" + until + R"(","frequencyPerDay":4})";
        const auto r = bg::parse_request_body(body, consent_now);
        return r ? errc{} : r.error().code;
    };
    for (const char* until : {"1012-03-15", "0000-01-01", "1677-09-20"})
        EXPECT_EQ(refused(until), errc::expiration_in_past) << until;
    for (const char* until : {"5012-03-15", "9999-12-31", "2262-04-12"})
        EXPECT_EQ(refused(until), errc::expiration_too_far) << until;
    // From a `now` at the far end of the range, too.
    bg::account_consent_request r;
    r.access.all = bg::all_accounts::all_psd2;
    r.valid_until = {9999, 12, 31};
    EXPECT_EQ(bg::validate(r, obauth::from_unix_seconds(INT64_MIN)).error().code,
              errc::expiration_too_far);
    r.valid_until = {0, 1, 1};
    EXPECT_EQ(bg::validate(r, obauth::from_unix_seconds(INT64_MAX)).error().code,
              errc::expiration_in_past);
}

TEST(BerlinGroup, HostileBodies) {
    const std::pair<const char*, errc> cases[] = {
        {R"({"access":{},"recurringIndicator":true,"validUntil":"2024-02-01","frequencyPerDay":4})",
         errc::empty_permissions},
        {R"({"access":{"accounts":[{"iban":"DE40100100103307118608"}]},"recurringIndicator":"yes",
            "validUntil":"2024-02-01","frequencyPerDay":4})",
         errc::invalid_json},
        {R"({"access":{"accounts":[{"iban":"DE40100100103307118608"}]},"recurringIndicator":true,
            "validUntil":"2024-02-30","frequencyPerDay":4})",
         errc::invalid_date},
        {R"({"access":{"accounts":[{"iban":"DE40100100103307118608"}]},"recurringIndicator":true,
            "validUntil":"2024-02-01T00:00:00Z","frequencyPerDay":4})",
         errc::invalid_date},
        {R"({"access":{"accounts":[{"iban":"DE40100100103307118608"}]},"recurringIndicator":true,
            "validUntil":"2024-02-01","frequencyPerDay":4.5})",
         errc::invalid_json},
        {R"({"access":{"accounts":[{"iban":"DE40100100103307118608"}]},"recurringIndicator":true,
            "validUntil":"2024-02-01","frequencyPerDay":-1})",
         errc::invalid_field},
        {R"({"access":{"allPsd2":"everything"},"recurringIndicator":true,
            "validUntil":"2024-02-01","frequencyPerDay":4})",
         errc::invalid_json},
        {R"({"access":{"accounts":[{"iban":"DE40100100103307118608","owner":"x"}]},
            "recurringIndicator":true,"validUntil":"2024-02-01","frequencyPerDay":4})",
         errc::invalid_json},
        {R"({"access":{"accounts":"DE40100100103307118608"},"recurringIndicator":true,
            "validUntil":"2024-02-01","frequencyPerDay":4})",
         errc::invalid_json},
    };
    for (const auto& [body, code] : cases) {
        auto r = bg::parse_request_body(body, consent_now);
        ASSERT_FALSE(r) << body;
        EXPECT_EQ(r.error().code, code) << body << " -> " << r.error();
    }
    std::string many = R"({"access":{"accounts":[)";
    for (int i = 0; i < 500; ++i)
        many += R"({"iban":"DE40100100103307118608"},)";
    many +=
        R"({"iban":"DE40100100103307118608"}]},"recurringIndicator":true,"validUntil":"2024-02-01","frequencyPerDay":4})";
    EXPECT_EQ(bg::parse_request_body(many, consent_now).error().code, errc::too_many_items);
}

TEST(BerlinGroup, ResponsesAndStatuses) {
    auto created = bg::parse_response(R"({"consentStatus":"received","consentId":"1234-wertiq-983",
        "_links":{"scaRedirect":{"href":"https://www.testbank.com/authentication/1234-wertiq-983"},
                  "status":{"href":"/v1/consents/1234-wertiq-983/status"}}})");
    ASSERT_TRUE(created) << created.error();
    EXPECT_EQ(created->consent_id, "1234-wertiq-983");
    EXPECT_EQ(bg::to_consent_status(created->status), consent_status::awaiting_authorisation);
    auto status = bg::parse_response(R"({"consentStatus":"terminatedByTpp"})");
    ASSERT_TRUE(status);
    EXPECT_TRUE(status->consent_id.empty());
    EXPECT_EQ(bg::to_consent_status(status->status), consent_status::revoked);
    EXPECT_EQ(bg::to_consent_status(bg::parse_bg_status("valid").value()),
              consent_status::authorised);
    EXPECT_EQ(bg::parse_response(R"({"consentStatus":"Valid"})").error().code,
              errc::unknown_status);
    EXPECT_EQ(bg::parse_response(R"({"consentStatus":7})").error().code, errc::invalid_json);
}

} // namespace
} // namespace obauth::consent
