#include <obauth/oidc/error.hpp>

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace {

using obauth::oidc::errc;

TEST(OidcError, EveryCodeHasItsOwnMessage) {
    std::set<std::string> messages;
    for (int v = 1; v <= static_cast<int>(errc::s_hash_mismatch); ++v)
        EXPECT_TRUE(messages.insert(std::error_code(static_cast<errc>(v)).message()).second) << v;
    EXPECT_STREQ(std::error_code(errc::c_hash_mismatch).category().name(), "obauth.oidc");
}

TEST(OidcError, Conditions) {
    EXPECT_EQ(std::error_code(errc::id_token_nonce_mismatch),
              obauth::condition::verification_failed);
    EXPECT_EQ(std::error_code(errc::metadata_issuer_mismatch),
              obauth::condition::verification_failed);
    EXPECT_EQ(std::error_code(errc::s_hash_missing), obauth::condition::verification_failed);
    EXPECT_EQ(std::error_code(errc::metadata_invalid), obauth::condition::protocol_error);
    EXPECT_EQ(std::error_code(errc::jwks_unavailable), obauth::condition::invalid_state);
    EXPECT_EQ(std::error_code(errc::invalid_issuer), obauth::condition::invalid_input);
}

} // namespace
