#include <obauth/core/digest.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <string>
#include <thread>
#include <vector>

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

// FIPS 180-2 "abc" under each SHA-2 size, on one reused context per thread,
// one digest after another (a reused context starts clean), from threads at once.
TEST(Digest, OneContextPerThreadReusedAcrossDigests) {
    const auto hex = [](const unsigned char* p, std::size_t n) {
        static const char digits[] = "0123456789abcdef";
        std::string s;
        for (std::size_t i = 0; i < n; ++i) {
            s += digits[p[i] >> 4];
            s += digits[p[i] & 15];
        }
        return s;
    };
    const std::pair<const char*, const char*> abc[] = {
        {"SHA256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"SHA384", "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
                   "8086072ba1e7cc2358baeca134c825a7"},
        {"SHA512", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                   "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"}};
    const auto run = [&] {
        int wrong = 0;
        for (int round = 0; round < 50; ++round)
            for (const auto& [name, expected] : abc) {
                unsigned char out[EVP_MAX_MD_SIZE];
                const std::size_t n = obauth::digest_into(
                    obauth::detail::thread_digest_ctx(), obauth::fetched_digest(name),
                    obauth::bytes_view(std::string("abc")), out);
                wrong += hex(out, n) != expected;
            }
        return wrong;
    };
    EXPECT_EQ(run(), 0);
    EXPECT_EQ(obauth::detail::thread_digest_ctx(), obauth::detail::thread_digest_ctx());
    std::vector<int> wrong(3);
    std::vector<std::thread> threads;
    for (auto& w : wrong)
        threads.emplace_back([&w, &run] { w = run(); });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(wrong, std::vector<int>(3, 0));
    // No context: a failure, not a digest.
    unsigned char out[EVP_MAX_MD_SIZE];
    EXPECT_EQ(obauth::digest_into(nullptr, obauth::fetched_digest("SHA256"),
                                  obauth::bytes_view(std::string("abc")), out),
              0u);
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
