#include <obauth/consent/consent.hpp>

#include "support/consent_support.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace obauth::consent {
namespace {

using namespace std::chrono_literals;
using test::consent_now;
using test::sample_payment;

TEST(Consent, TheSeedsAccountAccessExampleIsValid) {
    auto r = consent_request::account_access(
        {permission::read_accounts, permission::read_balances, permission::read_transactions},
        parse_timestamp("2024-03-15T00:00:00Z").value(),
        parse_timestamp("2023-01-01T00:00:00Z").value());
    EXPECT_TRUE(validate(r, consent_now)) << validate(r, consent_now).error();
}

TEST(Consent, EveryRuleBrokenOnItsOwn) {
    auto ok = consent_request::account_access({permission::read_balances}, consent_now + 24h);
    ASSERT_TRUE(validate(ok, consent_now));

    auto empty = ok;
    empty.permissions = {};
    EXPECT_EQ(validate(empty, consent_now).error().code, errc::empty_permissions);
    auto redundant = ok;
    redundant.permissions = {permission::read_accounts, permission::read_accounts_basic};
    EXPECT_EQ(validate(redundant, consent_now).error().code, errc::redundant_permission);
    auto past = ok;
    past.expiration = consent_now - 1s;
    EXPECT_EQ(validate(past, consent_now).error().code, errc::expiration_in_past);
    auto exactly_now = ok;
    exactly_now.expiration = consent_now;
    EXPECT_EQ(validate(exactly_now, consent_now).error().code, errc::expiration_in_past);
    auto far = ok;
    far.expiration = consent_now + 24h * 90 + 1s;
    EXPECT_EQ(validate(far, consent_now).error().code, errc::expiration_too_far);
    far.expiration = consent_now + 24h * 90; // exactly 90 days is allowed
    EXPECT_TRUE(validate(far, consent_now));
    auto window = ok;
    window.transaction_from = consent_now;
    window.transaction_to = consent_now - 1s;
    EXPECT_EQ(validate(window, consent_now).error().code, errc::invalid_date_range);
    window.transaction_to = consent_now; // equal is fine
    EXPECT_TRUE(validate(window, consent_now));
    auto mixed = ok;
    mixed.payment = sample_payment();
    EXPECT_EQ(validate(mixed, consent_now).error().code, errc::wrong_consent_type);
}

TEST(Consent, Payments) {
    auto r = consent_request::single_payment(sample_payment());
    ASSERT_TRUE(validate(r, consent_now)) << validate(r, consent_now).error();

    for (const char* bad : {"", "0", "0.00", "-1.00", "1e3", "1,00", " 1.00", "1.", ".5",
                            "1.123456", "12345678901234", "1.0.0", "NaN", "１.00"}) {
        auto p = r;
        p.payment->instructed_amount.value = bad;
        EXPECT_EQ(validate(p, consent_now).error().code, errc::invalid_amount) << bad;
    }
    for (const char* good : {"1", "0.01", "1234567890123.12345", "165.88"}) {
        auto p = r;
        p.payment->instructed_amount.value = good;
        EXPECT_TRUE(validate(p, consent_now)) << good;
    }
    for (const char* bad : {"gbp", "GB", "GBPX", "G1P", ""}) {
        auto p = r;
        p.payment->instructed_amount.currency = bad;
        EXPECT_EQ(validate(p, consent_now).error().code, errc::invalid_currency) << bad;
    }
    auto no_account = r;
    no_account.payment->creditor_account.identification.clear();
    EXPECT_EQ(validate(no_account, consent_now).error().code, errc::invalid_account);
    auto control = r;
    control.payment->creditor_account.name = "ACME\nInc";
    EXPECT_EQ(validate(control, consent_now).error().code, errc::invalid_account);
    auto long_ref = r;
    long_ref.payment->reference = std::string(36, 'r');
    EXPECT_EQ(validate(long_ref, consent_now).error().code, errc::invalid_field);
    auto no_id = r;
    no_id.payment->instruction_identification.clear();
    EXPECT_EQ(validate(no_id, consent_now).error().code, errc::invalid_field);
    auto expiring = r;
    expiring.expiration = consent_now + 1h;
    EXPECT_EQ(validate(expiring, consent_now).error().code, errc::wrong_consent_type);
    auto missing = r;
    missing.payment.reset();
    EXPECT_EQ(validate(missing, consent_now).error().code, errc::wrong_consent_type);
}

TEST(Consent, FundsConfirmation) {
    auto r = consent_request::funds_confirmation(
        {"UK.OBIE.SortCodeAccountNumber", "11280001234567", "Ada", ""}, consent_now + 24h * 30);
    EXPECT_TRUE(validate(r, consent_now));
    r.expiration = consent_now + 24h * 91;
    EXPECT_EQ(validate(r, consent_now).error().code, errc::expiration_too_far);
    r.expiration.reset();
    r.debtor_account.reset();
    EXPECT_EQ(validate(r, consent_now).error().code, errc::invalid_account);
    auto with_permissions = consent_request::funds_confirmation(
        {"IBAN", "GB29NWBK60161331926819", "", ""}, std::nullopt);
    with_permissions.permissions = {permission::read_balances};
    EXPECT_EQ(validate(with_permissions, consent_now).error().code, errc::wrong_consent_type);
}

TEST(Consent, ExpiryDefaultsToTheMaximumDuration) {
    consent c;
    c.created = consent_now;
    c.request = consent_request::account_access({permission::read_balances}, std::nullopt);
    EXPECT_EQ(c.expires_at(), consent_now + 24h * 90);
    c.request = consent_request::single_payment(sample_payment());
    EXPECT_FALSE(c.expires_at());
}

TEST(Consent, IdempotencyKeysAreRandomVersion4Uuids) {
    std::set<std::string> keys;
    for (int i = 0; i < 100; ++i) {
        const std::string k = new_idempotency_key().value();
        ASSERT_EQ(k.size(), 36u);
        EXPECT_EQ(k[8], '-');
        EXPECT_EQ(k[14], '4');
        EXPECT_NE(std::string("89ab").find(k[19]), std::string::npos);
        keys.insert(k);
    }
    EXPECT_EQ(keys.size(), 100u);
}

} // namespace
} // namespace obauth::consent
