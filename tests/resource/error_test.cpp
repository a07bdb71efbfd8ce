#include <obauth/resource/error.hpp>

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace {

using obauth::resource::errc;

TEST(ResourceError, CodesMessagesConditions) {
    std::set<std::string> messages;
    for (int v = 1; v <= static_cast<int>(errc::invalid_options); ++v)
        EXPECT_TRUE(messages.insert(std::error_code(static_cast<errc>(v)).message()).second) << v;
    EXPECT_EQ(std::error_code(errc::multiple_authorizations), obauth::condition::invalid_input);
    EXPECT_EQ(std::error_code(errc::certificate_mismatch), obauth::condition::verification_failed);
    EXPECT_EQ(std::error_code(errc::keys_unavailable), obauth::condition::server_error);
    EXPECT_EQ(std::error_code(errc::invalid_options), obauth::condition::invalid_state);
    EXPECT_STREQ(std::error_code(errc::invalid_token).category().name(), "obauth.resource");
}

} // namespace
