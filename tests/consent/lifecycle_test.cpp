#include <obauth/consent/lifecycle.hpp>

#include "support/consent_support.hpp"

#include <gtest/gtest.h>

namespace obauth::consent {
namespace {

using namespace std::chrono_literals;
const time_point t0 = test::consent_now;

consent access_consent() {
    consent c;
    c.id = "aac-1";
    c.created = c.status_updated = t0;
    c.request = consent_request::account_access(
        {permission::read_accounts, permission::read_transactions}, t0 + 24h * 30);
    return c;
}

consent payment_consent() {
    consent c;
    c.id = "pc-1";
    c.created = c.status_updated = t0;
    c.request = consent_request::single_payment(test::sample_payment());
    return c;
}

TEST(Lifecycle, AccountAccessFromAuthorisationToRevocation) {
    consent c = access_consent();
    EXPECT_FALSE(is_usable(c, t0)); // not yet authorised
    ASSERT_TRUE(apply(c, consent_event::authorise, t0 + 1min));
    EXPECT_EQ(c.status, consent_status::authorised);
    EXPECT_EQ(c.status_updated, t0 + 1min);
    EXPECT_TRUE(is_usable(c, t0 + 2min, permission::read_transactions));
    EXPECT_TRUE(is_usable(c, t0 + 2min, permission::read_transactions_basic)); // covered
    EXPECT_EQ(check_usable(c, t0 + 2min, permission::read_balances).error().code, errc::not_usable);
    // Expired by time, whether recorded or not.
    EXPECT_EQ(effective_status(c, t0 + 24h * 30), consent_status::expired);
    EXPECT_FALSE(is_usable(c, t0 + 24h * 30, permission::read_accounts));
    ASSERT_TRUE(apply(c, consent_event::revoke, t0 + 1h));
    EXPECT_EQ(c.status, consent_status::revoked);
    EXPECT_FALSE(is_usable(c, t0 + 2h));
}

TEST(Lifecycle, PaymentsAreConsumedOnce) {
    consent c = payment_consent();
    ASSERT_TRUE(apply(c, consent_event::authorise, t0));
    EXPECT_TRUE(is_usable(c, t0 + 24h * 365)); // no expiry of its own
    EXPECT_EQ(check_usable(c, t0, permission::read_balances).error().code,
              errc::wrong_consent_type);
    EXPECT_EQ(apply(c, consent_event::revoke, t0).error().code, errc::illegal_transition);
    ASSERT_TRUE(apply(c, consent_event::consume, t0 + 1s));
    EXPECT_FALSE(is_usable(c, t0 + 2s));
    auto again = apply(c, consent_event::consume, t0 + 2s);
    EXPECT_EQ(again.error().code, errc::illegal_transition);
    EXPECT_EQ(again.error().detail, "consume from Consumed (payment)");
}

TEST(Lifecycle, EveryIllegalTransitionIsRefusedAndChangesNothing) {
    const consent_status all[] = {consent_status::awaiting_authorisation,
                                  consent_status::authorised,
                                  consent_status::rejected,
                                  consent_status::revoked,
                                  consent_status::expired,
                                  consent_status::consumed};
    const consent_event events[] = {consent_event::authorise, consent_event::reject,
                                    consent_event::revoke, consent_event::expire,
                                    consent_event::consume};
    int allowed = 0;
    for (consent base : {access_consent(), payment_consent()})
        for (auto s : all)
            for (auto e : events) {
                consent c = base;
                c.status = s;
                const bool ok = can_apply(c.type(), s, e);
                auto r = apply(c, e, t0 + 1h);
                EXPECT_EQ(r.has_value(), ok);
                if (ok) {
                    ++allowed;
                } else {
                    EXPECT_EQ(r.error().code, errc::illegal_transition);
                    EXPECT_EQ(c.status, s);
                    EXPECT_EQ(c.status_updated, t0);
                }
                if (is_final(s)) {
                    EXPECT_FALSE(ok);
                }
            }
    EXPECT_EQ(allowed, 10); // 5 for standing consents (no consume), 5 for payments (no revoke)
    EXPECT_FALSE(can_apply(consent_type::account_access, consent_status::authorised,
                           consent_event::consume));
}

} // namespace
} // namespace obauth::consent
