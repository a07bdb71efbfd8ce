#include <obauth/dpop/error.hpp>

#include <gtest/gtest.h>

namespace {

using obauth::dpop::challenge_error;
using obauth::dpop::errc;

TEST(DpopError, EveryCodeHasAMessageAndAChallenge) {
    for (int i = static_cast<int>(errc::missing_proof);
         i <= static_cast<int>(errc::invalid_options); ++i) {
        const std::error_code ec = static_cast<errc>(i);
        EXPECT_EQ(ec.category().name(), std::string("obauth.dpop"));
        EXPECT_NE(ec.message(), "unknown dpop error") << i;
        EXPECT_FALSE(challenge_error(static_cast<errc>(i)).empty());
    }
    EXPECT_EQ(challenge_error(errc::nonce_required), "use_dpop_nonce");
    EXPECT_EQ(challenge_error(errc::nonce_invalid), "use_dpop_nonce");
    EXPECT_EQ(challenge_error(errc::invalid_signature), "invalid_dpop_proof");
    EXPECT_EQ(challenge_error(errc::key_mismatch), "invalid_token");
    EXPECT_EQ(std::error_code(errc::replay_store_unavailable), obauth::condition::server_error);
}

} // namespace
