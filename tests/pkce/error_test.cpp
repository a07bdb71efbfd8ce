#include <obauth/pkce/error.hpp>

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace {

using obauth::pkce::errc;

TEST(PkceError, CodesMessagesConditions) {
    std::set<std::string> messages;
    for (int v = 1; v <= static_cast<int>(errc::already_used); ++v)
        EXPECT_TRUE(messages.insert(std::error_code(static_cast<errc>(v)).message()).second);
    EXPECT_EQ(std::error_code(errc::mismatch), obauth::condition::verification_failed);
    EXPECT_EQ(std::error_code(errc::already_used), obauth::condition::invalid_state);
    EXPECT_EQ(std::error_code(errc::plain_not_allowed), obauth::condition::invalid_input);
    EXPECT_STREQ(std::error_code(errc::mismatch).category().name(), "obauth.pkce");
}

} // namespace
