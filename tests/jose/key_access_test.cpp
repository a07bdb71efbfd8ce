#include <obauth/jose/key_access.hpp>

#include <obauth/core/secret.hpp>

#include <gtest/gtest.h>

namespace {

using namespace obauth;
using namespace obauth::jose;

TEST(KeyAccess, BorrowsTheKeyMaterial) {
    const jwk rsa = generate_key(algorithm::RS256, "r").value();
    ASSERT_NE(key_access::pkey(rsa), nullptr);
    EXPECT_EQ(EVP_PKEY_get_bits(key_access::pkey(rsa)), 2048);
    EXPECT_TRUE(key_access::octets(rsa).empty());
    // Copies of a handle share the key: the same EVP_PKEY.
    const jwk copy = rsa;
    EXPECT_EQ(key_access::pkey(copy), key_access::pkey(rsa));

    const secret k(bytes_view(std::string(32, 'k')));
    const jwk oct = make_hmac_key(k.clone(), algorithm::HS256).value();
    EXPECT_EQ(key_access::pkey(oct), nullptr);
    EXPECT_EQ(key_access::octets(oct).as_chars(), std::string(32, 'k'));
}

} // namespace
