#include <obauth/transport/error.hpp>

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace obauth::transport {
namespace {

TEST(TransportError, EveryCodeHasItsOwnMessageAndACondition) {
    std::set<std::string> messages;
    for (int i = static_cast<int>(errc::invalid_request); i <= static_cast<int>(errc::internal);
         ++i) {
        const std::error_code ec = static_cast<errc>(i);
        EXPECT_STREQ(ec.category().name(), "obauth.transport");
        EXPECT_TRUE(messages.insert(ec.message()).second) << ec.message();
        EXPECT_NE(ec.message(), "unknown transport error");
    }
}

TEST(TransportError, ConditionsSayWhetherARetryCanHelp) {
    EXPECT_EQ(std::error_code(errc::timeout), condition::server_error);
    EXPECT_EQ(std::error_code(errc::connect_failed), condition::server_error);
    EXPECT_EQ(std::error_code(errc::dns_failed), condition::server_error);
    EXPECT_EQ(std::error_code(errc::tls_failed), condition::verification_failed);
    EXPECT_EQ(std::error_code(errc::response_too_large), condition::protocol_error);
    EXPECT_EQ(std::error_code(errc::no_client_certificate), condition::invalid_input);
}

} // namespace
} // namespace obauth::transport
