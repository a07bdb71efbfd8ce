#include <obauth/jose/error.hpp>

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace {

using obauth::jose::errc;

TEST(JoseError, EveryCodeHasItsOwnMessageAndACondition) {
    std::set<std::string> messages;
    for (int v = 1; v <= static_cast<int>(errc::crypto_failure); ++v) {
        const std::error_code ec = static_cast<errc>(v);
        EXPECT_TRUE(messages.insert(ec.message()).second) << ec.message();
        EXPECT_EQ(ec.default_error_condition().category(), obauth::condition_category());
    }
    EXPECT_EQ(std::error_code(errc::invalid_signature), obauth::condition::verification_failed);
    EXPECT_EQ(std::error_code(errc::audience_mismatch), obauth::condition::verification_failed);
    EXPECT_EQ(std::error_code(errc::weak_key), obauth::condition::invalid_input);
    EXPECT_EQ(std::error_code(errc::crypto_failure), obauth::condition::internal_error);
    EXPECT_STREQ(std::error_code(errc::malformed).category().name(), "obauth.jose");
}

} // namespace
