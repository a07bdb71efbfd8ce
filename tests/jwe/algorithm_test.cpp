#include <obauth/jwe/algorithm.hpp>

#include <gtest/gtest.h>

namespace {

using namespace obauth::jwe;

TEST(JweAlgorithm, NamesRoundTrip) {
    for (const auto& a : key_managements) {
        ASSERT_TRUE(parse_key_management(a.name)) << a.name;
        EXPECT_EQ(*parse_key_management(a.name), a.alg);
        EXPECT_EQ(to_string(a.alg), a.name);
        EXPECT_EQ(&info(a.alg), &a);
    }
    for (const auto& e : content_encryptions) {
        ASSERT_TRUE(parse_content_encryption(e.name)) << e.name;
        EXPECT_EQ(*parse_content_encryption(e.name), e.enc);
        EXPECT_EQ(&info(e.enc), &e);
    }
}

TEST(JweAlgorithm, LeftOutOnPurposeHaveTheirOwnError) {
    for (const char* name :
         {"RSA1_5", "PBES2-HS256+A128KW", "PBES2-HS384+A192KW", "PBES2-HS512+A256KW"})
        EXPECT_EQ(parse_key_management(name).error().code, errc::algorithm_left_out) << name;
    for (const char* name : {"", "none", "rsa-oaep", "RSA-OAEP ", "A128GCM", "ECDH-ES+A512KW"})
        EXPECT_EQ(parse_key_management(name).error().code, errc::unsupported_algorithm) << name;
    for (const char* name : {"", "A128KW", "a128gcm", "A128CBC-HS512", "A256CBC"})
        EXPECT_EQ(parse_content_encryption(name).error().code, errc::unsupported_algorithm) << name;
}

TEST(JweAlgorithm, SizesFromRfc7518) {
    // §5.2.3-5.2.5: CBC-HMAC keys are two halves, tags half the hash.
    EXPECT_EQ(info(content_encryption::A128CBC_HS256).cek_size, 32u);
    EXPECT_EQ(info(content_encryption::A192CBC_HS384).tag_size, 24u);
    EXPECT_EQ(info(content_encryption::A256CBC_HS512).cek_size, 64u);
    // §5.3: GCM with 96-bit IVs and 128-bit tags.
    for (auto e :
         {content_encryption::A128GCM, content_encryption::A192GCM, content_encryption::A256GCM}) {
        EXPECT_EQ(info(e).iv_size, 12u);
        EXPECT_EQ(info(e).tag_size, 16u);
    }
    EXPECT_EQ(info(key_management::ECDH_ES_A192KW).kek_size, 24u);
    EXPECT_EQ(info(key_management::RSA_OAEP).digest, "SHA1");
}

TEST(JweAlgorithm, Sets) {
    key_management_set s{key_management::RSA_OAEP_256, key_management::ECDH_ES_A256KW};
    EXPECT_TRUE(s.contains(key_management::RSA_OAEP_256));
    EXPECT_FALSE(s.contains(key_management::RSA_OAEP));
    EXPECT_FALSE(s.empty());
    EXPECT_TRUE(content_encryption_set{}.empty());
    EXPECT_TRUE(content_encryption_set{}
                    .insert(content_encryption::A256GCM)
                    .contains(content_encryption::A256GCM));
}

} // namespace
