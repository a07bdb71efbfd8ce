#include <obauth/core/base64url.hpp>

#include <gtest/gtest.h>

#include <openssl/evp.h>

#include <algorithm>
#include <random>
#include <string>
#include <tuple>

namespace {

using obauth::base64url_decode;
using obauth::base64url_encode;
using obauth::core_errc;

// RFC 4648 §10 vectors (the base64 and base64url alphabets agree on them).
TEST(Base64url, Rfc4648Vectors) {
    const std::pair<const char*, const char*> cases[] = {
        {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},          {"foo", "Zm9v"},
        {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"},
    };
    for (const auto& [plain, enc] : cases) {
        EXPECT_EQ(base64url_encode(std::string(plain)), enc);
        const auto dec = obauth::base64url_decode_to_string(enc);
        ASSERT_TRUE(dec) << enc;
        EXPECT_EQ(*dec, plain);
    }
}

// RFC 7515 Appendix C example: the octets {3, 236, 255, 224, 193}.
TEST(Base64url, Rfc7515AppendixC) {
    const obauth::bytes octets{3, 236, 255, 224, 193};
    EXPECT_EQ(base64url_encode(octets), "A-z_4ME");
    EXPECT_EQ(base64url_decode("A-z_4ME").value(), octets);
}

// Cross-check against OpenSSL's standard base64, translated to the URL alphabet.
TEST(Base64url, AgreesWithOpenSslForAllLengths) {
    std::mt19937 gen(1234);
    for (std::size_t n = 0; n < 300; ++n) {
        obauth::bytes in(n);
        for (auto& b : in)
            b = static_cast<unsigned char>(gen());
        std::string ref(4 * ((n + 2) / 3) + 1, '\0');
        const int len = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(&ref[0]), in.data(),
                                        static_cast<int>(n));
        ref.resize(static_cast<std::size_t>(len));
        ref.erase(std::remove(ref.begin(), ref.end(), '='), ref.end());
        std::replace(ref.begin(), ref.end(), '+', '-');
        std::replace(ref.begin(), ref.end(), '/', '_');
        const std::string enc = base64url_encode(in);
        ASSERT_EQ(enc, ref) << n;
        ASSERT_EQ(enc.size(), obauth::base64url_encoded_size(n));
        const auto dec = base64url_decode(enc);
        ASSERT_TRUE(dec) << n;
        ASSERT_EQ(*dec, in) << n;
    }
}

TEST(Base64url, RejectsEveryByteOutsideTheAlphabet) {
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int c = 0; c < 256; ++c) {
        if (alphabet.find(static_cast<char>(c)) != std::string::npos)
            continue;
        for (std::size_t pos = 0; pos < 8; ++pos) {
            std::string s = "QUJDREVG"; // "ABCDEF"
            s[pos] = static_cast<char>(c);
            const auto r = base64url_decode(s);
            ASSERT_FALSE(r) << c << " at " << pos;
            EXPECT_EQ(r.code(), core_errc::base64url_invalid_character);
            EXPECT_EQ(r.error().detail, "at offset " + std::to_string(pos));
        }
    }
}

TEST(Base64url, RejectsPaddingStandardAlphabetAndWhitespace) {
    for (const char* s : {"Zg==", "Zm8=", "Zg=", "Zm9v\n", " Zm9v", "Zm 9v", "Zm9v\r\n", "+/+/",
                          "ab/c", "a+bc", "Zm9v\t", "Zm9v=", "Zm9\0v"}) {
        const auto r = base64url_decode(s);
        EXPECT_FALSE(r) << s;
    }
    EXPECT_EQ(base64url_decode("Zg==").code(), core_errc::base64url_invalid_character);
    EXPECT_EQ(base64url_decode(std::string("Zm9\0", 4)).code(),
              core_errc::base64url_invalid_character);
}

TEST(Base64url, RejectsImpossibleLengths) {
    for (const char* s : {"A", "AAAAA", "AAAAAAAAA"}) {
        const auto r = base64url_decode(s);
        ASSERT_FALSE(r) << s;
        EXPECT_EQ(r.code(), core_errc::base64url_invalid_length);
    }
    EXPECT_FALSE(obauth::base64url_decoded_size(13));
    EXPECT_EQ(obauth::base64url_decoded_size(14).value(), 10u);
}

TEST(Base64url, RejectsNonZeroTrailingBits) {
    // "Zg" is the only encoding of "f" and "Zm8" the only one of "fo"; the
    // other last characters carry the same octets plus non-zero unused bits.
    EXPECT_EQ(base64url_decode("Zg").value(), (obauth::bytes{'f'}));
    EXPECT_EQ(base64url_decode("Zm8").value(), (obauth::bytes{'f', 'o'}));
    for (char last : std::string("hijklmnopqrstuv")) {
        const auto r = base64url_decode(std::string("Z") + last);
        ASSERT_FALSE(r) << last;
        EXPECT_EQ(r.code(), core_errc::base64url_trailing_bits);
    }
    for (char last : std::string("9-_")) {
        const auto r = base64url_decode(std::string("Zm") + last);
        ASSERT_FALSE(r) << last;
        EXPECT_EQ(r.code(), core_errc::base64url_trailing_bits);
    }
}

TEST(Base64url, IntoCallerBuffer) {
    unsigned char buf[6];
    auto n = obauth::base64url_decode_into("Zm9vYmFy", buf, sizeof buf);
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 6u);
    EXPECT_EQ(std::string(reinterpret_cast<char*>(buf), 6), "foobar");
    EXPECT_EQ(obauth::base64url_decode_into("Zm9vYmFy", buf, 5).code(),
              core_errc::buffer_too_small);

    char out[8];
    const std::string in = "foobar";
    EXPECT_EQ(obauth::base64url_encode_into(in, out), 8u);
    EXPECT_EQ(std::string(out, 8), "Zm9vYmFy");

    std::string appended = "prefix.";
    obauth::base64url_encode_append(std::string("foo"), appended);
    EXPECT_EQ(appended, "prefix.Zm9v");
}

TEST(Base64url, EmptyInput) {
    EXPECT_EQ(base64url_encode(obauth::bytes{}), "");
    const auto r = base64url_decode("");
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->empty());
}

} // namespace

namespace {

// Long inputs go through the 16-character SIMD blocks (where the CPU has
// them): every invalid byte at every position must still be caught, at the
// right offset, and long valid inputs must decode exactly.
TEST(Base64url, LongInputsInvalidCharacterAtEveryPosition) {
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string valid;
    for (int i = 0; i < 96; ++i)
        valid += alphabet[static_cast<std::size_t>(i * 7 % 64)];
    ASSERT_TRUE(obauth::base64url_decode(valid));
    for (int c = 0; c < 256; ++c) {
        if (alphabet.find(static_cast<char>(c)) != std::string::npos)
            continue;
        for (std::size_t pos = 0; pos < valid.size(); ++pos) {
            std::string s = valid;
            s[pos] = static_cast<char>(c);
            const auto r = obauth::base64url_decode(s);
            ASSERT_FALSE(r) << c << " at " << pos;
            ASSERT_EQ(r.error().detail, "at offset " + std::to_string(pos));
        }
    }
}

TEST(Base64url, LongRandomRoundTrips) {
    std::mt19937 gen(99);
    for (int round = 0; round < 500; ++round) {
        obauth::bytes in(gen() % 2000);
        for (auto& b : in)
            b = static_cast<unsigned char>(gen());
        const auto dec = obauth::base64url_decode(base64url_encode(in));
        ASSERT_TRUE(dec);
        ASSERT_EQ(*dec, in);
        // Into a buffer with exactly the room needed (no slack for wide stores).
        obauth::bytes exact(in.size());
        const std::string enc = base64url_encode(in);
        ASSERT_EQ(obauth::base64url_decode_into(enc, exact.data(), exact.size()).value(),
                  in.size());
        ASSERT_EQ(exact, in);
    }
}

} // namespace

#ifdef OBAUTH_BASE64URL_SSSE3
namespace {

std::string openssl_base64url(const obauth::bytes& in) {
    std::string ref(4 * ((in.size() + 2) / 3) + 1, '\0');
    const int len = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(&ref[0]), in.data(),
                                    static_cast<int>(in.size()));
    ref.resize(static_cast<std::size_t>(len));
    ref.erase(std::remove(ref.begin(), ref.end(), '='), ref.end());
    std::replace(ref.begin(), ref.end(), '+', '-');
    std::replace(ref.begin(), ref.end(), '/', '_');
    return ref;
}

// The dispatch picks one kernel per CPU; each is checked here on its own
// (where the CPU has it) against OpenSSL, block by block: every octet value
// in every position of a block, and a block with one bad character stops
// the kernel before it.
TEST(Base64url, EachSimdKernelAgreesWithOpenSsl) {
    namespace d = obauth::detail;
    std::mt19937 gen(7);
    for (std::size_t n = 0; n < 260; ++n) {
        obauth::bytes in(n);
        for (std::size_t k = 0; k < n; ++k)
            in[k] = static_cast<unsigned char>(n < 200 ? (k * 31 + n) & 0xFF : gen());
        const std::string ref = openssl_base64url(in);
        // (available, kernel, octets per step, octets each step reads)
        using encoder = std::size_t (*)(const unsigned char*, std::size_t, char*);
        const std::tuple<bool, encoder, std::size_t, std::size_t> encoders[] = {
            {d::has_ssse3(), d::base64url_encode_blocks_ssse3, 12, 16},
            {d::has_avx2(), d::base64url_encode_blocks_avx2, 24, 28}};
        for (const auto& [available, encode, block, reads] : encoders) {
            if (!available)
                continue;
            std::string enc(ref.size(), '\0');
            const std::size_t used = encode(in.data(), n, &enc[0]);
            ASSERT_EQ(used % block, 0u);
            ASSERT_GT(used + reads, n) << n; // no step left that it could take
            ASSERT_EQ(enc.substr(0, used / 3 * 4), ref.substr(0, used / 3 * 4)) << n;
        }
        const auto* text = reinterpret_cast<const unsigned char*>(ref.data());
        using kernel =
            std::size_t (*)(const unsigned char*, std::size_t, unsigned char*, std::size_t);
        const std::tuple<bool, kernel, std::size_t> decoders[] = {
            {d::has_ssse3(), d::base64url_decode_blocks_ssse3, 16},
            {d::has_avx2(), d::base64url_decode_blocks_avx2, 32}};
        for (const auto& [available, decode, block] : decoders) {
            if (!available)
                continue;
            obauth::bytes out(n + 32);
            const std::size_t used = decode(text, ref.size(), out.data(), out.size());
            ASSERT_EQ(used % block, 0u);
            ASSERT_TRUE(
                std::equal(in.begin(), in.begin() + static_cast<long>(used / 4 * 3), out.begin()))
                << n;
            if (used == 0)
                continue;
            std::string bad = ref;
            bad[used - 1] = '+';
            ASSERT_EQ(decode(reinterpret_cast<const unsigned char*>(bad.data()), bad.size(),
                             out.data(), out.size()),
                      used - block)
                << n;
        }
    }
}

} // namespace
#endif
