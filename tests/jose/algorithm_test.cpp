#include <obauth/jose/algorithm.hpp>

#include <gtest/gtest.h>

namespace {

namespace jose = obauth::jose;

TEST(Algorithm, NamesRoundTripCaseSensitively) {
    for (const jose::algorithm a : jose::all_algorithms) {
        const auto parsed = jose::parse_algorithm(jose::to_string(a));
        ASSERT_TRUE(parsed);
        EXPECT_EQ(*parsed, a);
    }
    for (const char* bad : {"none", "NONE", "hs256", "Hs256", "RS256 ", "", "EDDSA", "ES256k",
                            "RSA-OAEP", "dir", "A128KW"})
        EXPECT_EQ(jose::parse_algorithm(bad).code(), jose::errc::unsupported_algorithm) << bad;
}

TEST(Algorithm, Sets) {
    constexpr jose::algorithm_set s{jose::algorithm::PS256, jose::algorithm::ES256};
    static_assert(s.contains(jose::algorithm::PS256));
    static_assert(!s.contains(jose::algorithm::RS256));
    EXPECT_TRUE(s == jose::fapi_algorithms);
    EXPECT_TRUE(jose::algorithm_set{}.empty());
    for (const jose::algorithm a : jose::all_algorithms)
        EXPECT_TRUE(jose::algorithm_set::all().contains(a));
}

TEST(Algorithm, Properties) {
    EXPECT_EQ(jose::family(jose::algorithm::PS384), jose::algorithm_family::rsa_pss);
    EXPECT_EQ(jose::info(jose::algorithm::ES512).ec_coordinate, 66u);
    EXPECT_EQ(jose::info(jose::algorithm::ES256K).ec_curve, "secp256k1");
    EXPECT_EQ(jose::info(jose::algorithm::HS384).digest_size, 48u);
}

TEST(Algorithm, ErrorsMapOntoConditions) {
    EXPECT_EQ(std::error_code(jose::errc::invalid_signature),
              obauth::condition::verification_failed);
    EXPECT_EQ(std::error_code(jose::errc::expired), obauth::condition::verification_failed);
    EXPECT_EQ(std::error_code(jose::errc::malformed), obauth::condition::invalid_input);
    EXPECT_EQ(std::error_code(jose::errc::crypto_failure), obauth::condition::internal_error);
    EXPECT_STREQ(std::error_code(jose::errc::malformed).category().name(), "obauth.jose");
    for (int v = 1; v <= static_cast<int>(jose::errc::crypto_failure); ++v)
        EXPECT_NE(std::error_code(static_cast<jose::errc>(v)).message(), "unknown jose error");
}

} // namespace
