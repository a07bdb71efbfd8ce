#include <obauth/store/error.hpp>

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace {

using obauth::store::errc;

TEST(StoreError, CodesMessagesConditions) {
    std::set<std::string> messages;
    for (int v = 1; v <= static_cast<int>(errc::sealing_failed); ++v)
        EXPECT_TRUE(messages.insert(std::error_code(static_cast<errc>(v)).message()).second);
    // An unreachable or refusing store is the server side's failure: callers
    // treat it like a 5xx (retry later), never as a verdict on the input.
    EXPECT_EQ(std::error_code(errc::unavailable), obauth::condition::server_error);
    EXPECT_EQ(std::error_code(errc::refused), obauth::condition::server_error);
    EXPECT_EQ(std::error_code(errc::protocol_error), obauth::condition::protocol_error);
    EXPECT_EQ(std::error_code(errc::invalid_options), obauth::condition::invalid_state);
    EXPECT_EQ(std::error_code(errc::conflict), obauth::condition::invalid_state);
    EXPECT_EQ(std::error_code(errc::sealed_value_invalid), obauth::condition::verification_failed);
    EXPECT_EQ(std::error_code(errc::sealing_failed), obauth::condition::internal_error);
    EXPECT_STREQ(std::error_code(errc::unavailable).category().name(), "obauth.store");
}

} // namespace
