#include <obauth/providers/error.hpp>

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace {

using namespace obauth;
using providers::errc;

TEST(ProvidersError, EveryCodeHasItsOwnMessageAndACondition) {
    std::set<std::string> messages;
    for (int v = 1; v <= static_cast<int>(errc::session_incomplete); ++v) {
        const std::error_code ec = static_cast<errc>(v);
        EXPECT_STREQ(ec.category().name(), "obauth.providers");
        EXPECT_TRUE(messages.insert(ec.message()).second) << ec.message();
    }
    EXPECT_EQ(std::error_code(errc::rate_limited), condition::server_error);
    EXPECT_EQ(std::error_code(errc::insecure_url), condition::invalid_input);
    EXPECT_EQ(std::error_code(errc::consent_mismatch), condition::verification_failed);
    EXPECT_EQ(std::error_code(errc::token_expired), condition::invalid_state);
    EXPECT_EQ(std::error_code(static_cast<errc>(999)).message(), "unknown provider error");
}

} // namespace
