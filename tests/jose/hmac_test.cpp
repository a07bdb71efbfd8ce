// obauth's HMAC (jose/detail/hmac.hpp: keyed hash states made once per key
// and thread) against OpenSSL's EVP_Q_mac as a second implementation, at the
// lengths where HMAC changes course: keys around the hash's block size
// (longer keys are hashed first, RFC 2104 §2) and messages around the block
// and padding boundaries; and RFC 4231's large-key test cases 6 and 7.
#include <obauth/jose/detail/signature.hpp>

#include <obauth/jose/jwk.hpp>

#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstddef>
#include <string>
#include <vector>

namespace {

namespace jose = obauth::jose;
namespace detail = obauth::jose::detail;
using jose::algorithm;

obauth::bytes random_bytes(std::size_t n) {
    obauth::bytes b(n);
    if (n > 0) {
        EXPECT_EQ(RAND_bytes(b.data(), static_cast<int>(n)), 1);
    }
    return b;
}

obauth::bytes openssl_hmac(const char* digest, const obauth::bytes& key, const obauth::bytes& msg) {
    unsigned char out[EVP_MAX_MD_SIZE];
    std::size_t len = 0;
    EXPECT_NE(EVP_Q_mac(nullptr, "HMAC", nullptr, digest, nullptr, key.data(), key.size(),
                        msg.data(), msg.size(), out, sizeof out, &len),
              nullptr);
    return obauth::bytes(out, out + len);
}

obauth::bytes obauth_hmac(const jose::jwk& key, algorithm a, const obauth::bytes& msg) {
    obauth::bytes out(EVP_MAX_MD_SIZE);
    auto len = detail::sign_raw(key.data(), a, msg, out.data());
    EXPECT_TRUE(len) << len.error().to_string();
    out.resize(len ? *len : 0);
    return out;
}

struct hash_case {
    algorithm alg;
    const char* digest;
    std::size_t block;
};
const hash_case hashes[] = {{algorithm::HS256, "SHA256", 64},
                            {algorithm::HS384, "SHA384", 128},
                            {algorithm::HS512, "SHA512", 128}};

TEST(Hmac, MatchesOpenSslAroundBlockAndPaddingBoundaries) {
    for (const auto& h : hashes) {
        const std::size_t min_key = jose::info(h.alg).digest_size;
        const std::size_t b = h.block;
        for (const std::size_t key_len : {min_key, b - 1, b, b + 1, 2 * b + 3}) {
            const obauth::bytes secret = random_bytes(key_len);
            auto key = jose::make_hmac_key(obauth::secret(obauth::bytes_view(secret)), h.alg);
            ASSERT_TRUE(key) << key.error().to_string();
            // The length field takes 8 (SHA-256) or 16 (SHA-384/512)
            // octets after the 0x80 marker: the last message length that
            // fits one final block, the first that needs another.
            const std::size_t len_field = b == 64 ? 8 : 16;
            for (const std::size_t msg_len :
                 {std::size_t{0}, std::size_t{1}, b - len_field - 1, b - len_field, b - 1, b, b + 1,
                  3 * b + 17, std::size_t{390}}) {
                const obauth::bytes msg = random_bytes(msg_len);
                const std::string where = std::string(h.digest) + " key " +
                                          std::to_string(key_len) + " message " +
                                          std::to_string(msg_len);
                const obauth::bytes expected = openssl_hmac(h.digest, secret, msg);
                EXPECT_EQ(obauth_hmac(*key, h.alg, msg), expected) << where;
                EXPECT_TRUE(detail::verify_raw(key->data(), h.alg, msg, expected)) << where;
                obauth::bytes flipped = expected;
                flipped[msg_len % flipped.size()] ^= 0x01;
                EXPECT_EQ(detail::verify_raw(key->data(), h.alg, msg, flipped).code(),
                          jose::errc::invalid_signature)
                    << where;
            }
        }
    }
}

TEST(Hmac, RepeatedUseOfTheKeyedStateDoesNotCarryOver) {
    // The pad states are copied for each MAC, never advanced themselves.
    const obauth::bytes secret = random_bytes(32);
    auto key = jose::make_hmac_key(obauth::secret(obauth::bytes_view(secret)), algorithm::HS256);
    ASSERT_TRUE(key);
    const obauth::bytes a = random_bytes(100), b = random_bytes(7);
    const obauth::bytes mac_a = obauth_hmac(*key, algorithm::HS256, a);
    EXPECT_EQ(obauth_hmac(*key, algorithm::HS256, b), openssl_hmac("SHA256", secret, b));
    EXPECT_EQ(obauth_hmac(*key, algorithm::HS256, a), mac_a);
    EXPECT_EQ(mac_a, openssl_hmac("SHA256", secret, a));
}

obauth::bytes from_hex(const std::string& h) {
    obauth::bytes b;
    for (std::size_t i = 0; i + 1 < h.size(); i += 2)
        b.push_back(static_cast<unsigned char>(std::stoi(h.substr(i, 2), nullptr, 16)));
    return b;
}

TEST(Hmac, Rfc4231LargerThanBlockSizeKeys) {
    // RFC 4231 §4.7 and §4.8: a 131-octet key of 0xaa, hashed first.
    const obauth::bytes secret(131, 0xaa);
    const std::string case6 = "Test Using Larger Than Block-Size Key - Hash Key First";
    const std::string case7 =
        "This is a test using a larger than block-size key and a larger than block-size data. "
        "The key needs to be hashed before being used by the HMAC algorithm.";
    struct expected {
        algorithm alg;
        const char* case6;
        const char* case7;
    };
    for (const auto& e : {
             expected{algorithm::HS256,
                      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
                      "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
             expected{algorithm::HS384,
                      "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab40"
                      "30fe8296248df163f44952",
                      "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e7"
                      "99176d3860e6110c46523e"},
             expected{algorithm::HS512,
                      "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e0"
                      "5f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598",
                      "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c"
                      "4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"},
         }) {
        auto key = jose::make_hmac_key(obauth::secret(obauth::bytes_view(secret)), e.alg);
        ASSERT_TRUE(key);
        EXPECT_EQ(obauth_hmac(*key, e.alg, obauth::bytes(case6.begin(), case6.end())),
                  from_hex(e.case6));
        EXPECT_EQ(obauth_hmac(*key, e.alg, obauth::bytes(case7.begin(), case7.end())),
                  from_hex(e.case7));
    }
}

} // namespace
