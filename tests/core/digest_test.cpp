#include <obauth/core/digest.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace {

TEST(Digest, Sha256KnownAnswer) {
    // FIPS 180-2 example: SHA-256("abc").
    const auto d = obauth::sha256(std::string("abc"));
    const unsigned char expected[] = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
                                      0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
                                      0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
                                      0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
    EXPECT_TRUE(std::equal(d.begin(), d.end(), expected));
}

TEST(Digest, FetchedOnceByName) {
    for (const char* name : {"SHA256", "SHA384", "SHA512", "SHA1", "SHAKE256"}) {
        const EVP_MD* md = obauth::fetched_digest(name);
        ASSERT_NE(md, nullptr) << name;
        EXPECT_EQ(md, obauth::fetched_digest(name)); // the same object every time
    }
    EXPECT_EQ(obauth::fetched_digest("MD5"), nullptr);
    EXPECT_EQ(obauth::fetched_digest("sha256"), nullptr);
    EXPECT_EQ(EVP_MD_get_size(obauth::fetched_digest("SHA384")), 48);
    EXPECT_NE(EVP_MD_get_flags(obauth::fetched_digest("SHAKE256")) & EVP_MD_FLAG_XOF, 0u);
}

} // namespace
