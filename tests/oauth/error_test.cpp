#include <obauth/oauth/error.hpp>

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace {

using obauth::oauth::errc;

TEST(OauthError, CodesMessagesConditions) {
    std::set<std::string> messages;
    for (int v = 1; v <= static_cast<int>(errc::shared_refresh_timeout); ++v)
        EXPECT_TRUE(messages.insert(std::error_code(static_cast<errc>(v)).message()).second) << v;
    EXPECT_EQ(std::error_code(errc::invalid_grant), obauth::condition::protocol_error);
    EXPECT_EQ(std::error_code(errc::temporarily_unavailable), obauth::condition::server_error);
    EXPECT_EQ(std::error_code(errc::rate_limited), obauth::condition::server_error);
    EXPECT_EQ(std::error_code(errc::shared_store_unavailable), obauth::condition::server_error);
    EXPECT_EQ(std::error_code(errc::state_mismatch), obauth::condition::verification_failed);
    EXPECT_EQ(std::error_code(errc::flow_out_of_order), obauth::condition::invalid_state);
    EXPECT_EQ(std::error_code(errc::invalid_options), obauth::condition::invalid_input);
    EXPECT_STREQ(std::error_code(errc::invalid_grant).category().name(), "obauth.oauth");
}

TEST(OauthError, WireNames) {
    EXPECT_EQ(obauth::oauth::errc_from_wire("invalid_grant"), errc::invalid_grant);
    EXPECT_EQ(obauth::oauth::errc_from_wire("invalid_request_uri"), errc::invalid_request_uri);
    EXPECT_EQ(obauth::oauth::errc_from_wire("slow_down"), errc::other_server_error);
    EXPECT_EQ(obauth::oauth::errc_from_wire(""), errc::other_server_error);
    EXPECT_EQ(obauth::oauth::errc_from_wire("Invalid_Grant"), errc::other_server_error);
}

} // namespace
