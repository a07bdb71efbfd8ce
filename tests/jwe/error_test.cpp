#include <obauth/jwe/error.hpp>

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace {

using obauth::jwe::errc;

TEST(JweError, CodesMessagesConditions) {
    std::set<std::string> messages;
    for (int v = 1; v <= static_cast<int>(errc::crypto_failure); ++v)
        EXPECT_TRUE(messages.insert(std::error_code(static_cast<errc>(v)).message()).second);
    // A JWE that does not decrypt is a verdict on the input, like a bad
    // signature; one that names no key of ours is too.
    EXPECT_EQ(std::error_code(errc::decryption_failed), obauth::condition::verification_failed);
    EXPECT_EQ(std::error_code(errc::key_not_found), obauth::condition::verification_failed);
    EXPECT_EQ(std::error_code(errc::malformed), obauth::condition::invalid_input);
    EXPECT_EQ(std::error_code(errc::algorithm_left_out), obauth::condition::invalid_input);
    EXPECT_EQ(std::error_code(errc::invalid_options), obauth::condition::invalid_state);
    EXPECT_EQ(std::error_code(errc::crypto_failure), obauth::condition::internal_error);
    EXPECT_STREQ(std::error_code(errc::malformed).category().name(), "obauth.jwe");
}

} // namespace
