#include <obauth/http/error.hpp>

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace {

using obauth::http::errc;

TEST(HttpError, CodesMessagesConditions) {
    std::set<std::string> messages;
    for (int v = 1; v <= static_cast<int>(errc::invalid_header); ++v)
        EXPECT_TRUE(messages.insert(std::error_code(static_cast<errc>(v)).message()).second);
    EXPECT_EQ(std::error_code(errc::insecure_url), obauth::condition::invalid_input);
    EXPECT_EQ(std::error_code(errc::unexpected_status), obauth::condition::protocol_error);
    EXPECT_STREQ(std::error_code(errc::invalid_url).category().name(), "obauth.http");
}

} // namespace
