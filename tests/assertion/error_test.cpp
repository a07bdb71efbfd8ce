#include <obauth/assertion/error.hpp>

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace {

using obauth::assertion::errc;

TEST(AssertionError, CodesMessagesConditions) {
    std::set<std::string> messages;
    for (int v = 1; v <= static_cast<int>(errc::replay_store_unavailable); ++v)
        EXPECT_TRUE(messages.insert(std::error_code(static_cast<errc>(v)).message()).second);
    EXPECT_EQ(std::error_code(errc::replayed), obauth::condition::verification_failed);
    EXPECT_EQ(std::error_code(errc::replay_store_unavailable), obauth::condition::server_error);
    EXPECT_EQ(std::error_code(errc::invalid_options), obauth::condition::invalid_input);
    EXPECT_STREQ(std::error_code(errc::replayed).category().name(), "obauth.assertion");
}

} // namespace
