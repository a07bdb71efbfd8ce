#include <obauth/consent/error.hpp>

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace obauth::consent {
namespace {

TEST(ConsentError, EveryCodeHasItsOwnMessage) {
    std::set<std::string> seen;
    for (int i = 1; i <= static_cast<int>(errc::invalid_consent_id); ++i) {
        const std::error_code ec = static_cast<errc>(i);
        EXPECT_STREQ(ec.category().name(), "obauth.consent");
        EXPECT_TRUE(seen.insert(ec.message()).second) << ec.message();
    }
    EXPECT_EQ(std::error_code(errc::unknown_permission), condition::invalid_input);
    EXPECT_EQ(std::error_code(errc::illegal_transition), condition::invalid_state);
    EXPECT_EQ(std::error_code(errc::invalid_json), condition::protocol_error);
}

} // namespace
} // namespace obauth::consent
