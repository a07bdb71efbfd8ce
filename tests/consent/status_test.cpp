#include <obauth/consent/status.hpp>

#include <gtest/gtest.h>

namespace obauth::consent {
namespace {

TEST(ConsentStatus, WireNamesRoundTrip) {
    for (auto s : {consent_status::awaiting_authorisation, consent_status::authorised,
                   consent_status::rejected, consent_status::revoked, consent_status::expired,
                   consent_status::consumed})
        EXPECT_EQ(parse_status(status_name(s)).value(), s);
    EXPECT_EQ(status_name(consent_status::awaiting_authorisation), "AwaitingAuthorisation");
    EXPECT_EQ(parse_status("authorised").error().code, errc::unknown_status);
    EXPECT_EQ(parse_status("Authorized").error().code, errc::unknown_status);
    EXPECT_TRUE(is_final(consent_status::consumed));
    EXPECT_FALSE(is_final(consent_status::authorised));
}

} // namespace
} // namespace obauth::consent
