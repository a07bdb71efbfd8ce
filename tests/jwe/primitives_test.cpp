// Wycheproof's vectors for the primitives under JWE (tests/data/wycheproof):
// AES-GCM and A*CBC-HS* content decryption, the AES-CBC padding check behind
// a valid tag, AES key unwrap, RSA-OAEP and RSA-OAEP-256 key decryption, and
// the ECDH agreements (P-256/384/521 as JWKs and as points, X25519, X448).
// Each runs through the code a JWE decryption uses (jwe/detail/crypto.hpp,
// and jose's JWK import for every public key: an "epk" is always a JWK).
//
// Where JWE itself rules an input out, the vector is refused on purpose and
// counted (the exact numbers are asserted): IVs other than 96 bits and tags
// other than 128 bits for AES-GCM (RFC 7518 §5.3), 8-octet keys for AES key
// wrap (a CEK is 16 octets or more), OAEP labels (JWE has none), RSA keys
// under 2048 bits (the key policy), compressed points (a JWK cannot carry
// one), and X25519/X448 agreements whose shared secret is all zero (RFC 7748
// §6.1, OpenSSL refuses them; `acceptable` in Wycheproof).
#include <obauth/jwe/detail/crypto.hpp>

#include <obauth/core/base64url.hpp>
#include <obauth/core/json.hpp>
#include <obauth/jose/jwk.hpp>
#include <obauth/jose/key_access.hpp>

#include "jwe/jwe_support.hpp"
#include "support/test_data.hpp"

#include <gtest/gtest.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <map>
#include <memory>
#include <string>
#include <utility>

namespace {

using namespace obauth;
using obauth::jwe::content_encryption;
using obauth::jwe::errc;
using obauth::jwe::info;
using obauth::test::load_json;
using obauth::test::str;
using obauth::test::jwe_support::from_hex;

// Outcome counts per file: what passed as labelled, and what JWE refuses on
// purpose (each asserted to the exact number).
struct tally {
    std::size_t as_labelled = 0, refused_on_purpose = 0;
};

std::string id_of(const json& t) {
    return std::to_string(t.at("tcId").get<int>()) + " " + str(t, "comment");
}

bytes hex(const json& t, const char* name) {
    return from_hex(str(t, name));
}

bool expected_valid(const json& t) {
    return str(t, "result") != "invalid";
}

content_encryption gcm_for(std::size_t key_bits) {
    return key_bits == 128   ? content_encryption::A128GCM
           : key_bits == 192 ? content_encryption::A192GCM
                             : content_encryption::A256GCM;
}

TEST(JwePrimitives, AesGcm) {
    const json v = load_json("wycheproof/aes_gcm_test.json");
    tally n;
    for (const auto& g : v.at("testGroups")) {
        const auto key_bits = g.at("keySize").get<std::size_t>();
        const bool jwe_shape = g.at("ivSize") == 96 && g.at("tagSize") == 128 &&
                               (key_bits == 128 || key_bits == 192 || key_bits == 256);
        for (const auto& t : g.at("tests")) {
            const bytes key = hex(t, "key"), iv = hex(t, "iv"), aad = hex(t, "aad"),
                        ct = hex(t, "ct"), tag = hex(t, "tag"), msg = hex(t, "msg");
            auto d =
                jwe::detail::decrypt_content(gcm_for(key_bits), bytes_view(key), bytes_view(iv),
                                             bytes_view(aad), bytes_view(ct), bytes_view(tag));
            if (!jwe_shape) {
                // Another IV or tag length: never decrypted by a JWE layer.
                EXPECT_FALSE(d) << id_of(t);
                n.refused_on_purpose += expected_valid(t);
                n.as_labelled += !expected_valid(t);
                continue;
            }
            if (expected_valid(t)) {
                ASSERT_TRUE(d) << id_of(t);
                EXPECT_EQ(bytes(d->expose_secret().begin(), d->expose_secret().end()), msg)
                    << id_of(t);
            } else {
                EXPECT_FALSE(d) << id_of(t);
            }
            ++n.as_labelled;
        }
    }
    EXPECT_EQ(n.as_labelled + n.refused_on_purpose, v.at("numberOfTests").get<std::size_t>());
    EXPECT_EQ(n.refused_on_purpose, 113u); // valid GCM with IVs other than 96 bits
}

TEST(JwePrimitives, CbcHmac) {
    const std::map<std::string, content_encryption> files = {
        {"wycheproof/a128cbc_hs256_test.json", content_encryption::A128CBC_HS256},
        {"wycheproof/a192cbc_hs384_test.json", content_encryption::A192CBC_HS384},
        {"wycheproof/a256cbc_hs512_test.json", content_encryption::A256CBC_HS512}};
    for (const auto& [file, enc] : files) {
        const json v = load_json(file);
        std::size_t count = 0;
        for (const auto& g : v.at("testGroups"))
            for (const auto& t : g.at("tests")) {
                ++count;
                const bytes key = hex(t, "key"), iv = hex(t, "iv"), aad = hex(t, "aad"),
                            ct = hex(t, "ct"), tag = hex(t, "tag"), msg = hex(t, "msg");
                auto d =
                    jwe::detail::decrypt_content(enc, bytes_view(key), bytes_view(iv),
                                                 bytes_view(aad), bytes_view(ct), bytes_view(tag));
                if (!expected_valid(t)) {
                    ASSERT_FALSE(d) << file << " " << id_of(t);
                    EXPECT_EQ(d.error().code, errc::decryption_failed);
                    continue;
                }
                ASSERT_TRUE(d) << file << " " << id_of(t);
                EXPECT_EQ(bytes(d->expose_secret().begin(), d->expose_secret().end()), msg);
                // Encrypting gives the same ciphertext and tag.
                unsigned char out_tag[32];
                auto e = jwe::detail::encrypt_content(enc, bytes_view(key), bytes_view(iv),
                                                      bytes_view(aad), bytes_view(msg), out_tag);
                ASSERT_TRUE(e);
                EXPECT_EQ(bytes(e->begin(), e->end()), ct) << file << " " << id_of(t);
                EXPECT_EQ(bytes(out_tag, out_tag + tag.size()), tag) << file << " " << id_of(t);
            }
        EXPECT_EQ(count, v.at("numberOfTests").get<std::size_t>());
    }
}

// The AES-CBC + PKCS #7 step inside A*CBC-HS*: each ciphertext gets a valid
// tag under a MAC key of our own, so what is tested is the padding check
// that follows the tag (and fails as decryption_failed, like the tag).
TEST(JwePrimitives, CbcPaddingBehindAValidTag) {
    const json v = load_json("wycheproof/aes_cbc_pkcs5_test.json");
    std::size_t count = 0;
    for (const auto& g : v.at("testGroups")) {
        const auto key_bits = g.at("keySize").get<std::size_t>();
        const content_encryption enc = key_bits == 128   ? content_encryption::A128CBC_HS256
                                       : key_bits == 192 ? content_encryption::A192CBC_HS384
                                                         : content_encryption::A256CBC_HS512;
        const auto& e = info(enc);
        for (const auto& t : g.at("tests")) {
            ++count;
            const bytes enc_key = hex(t, "key"), iv = hex(t, "iv"), ct = hex(t, "ct"),
                        msg = hex(t, "msg");
            bytes key(e.cek_size / 2, 0x5a);
            key.insert(key.end(), enc_key.begin(), enc_key.end());
            const bytes aad = {'h', 'd', 'r'};
            unsigned char tag[32];
            ASSERT_TRUE(jwe::detail::cbc_hmac_tag(e, bytes_view(key.data(), e.cek_size / 2),
                                                  bytes_view(aad), bytes_view(iv), bytes_view(ct),
                                                  tag));
            auto d =
                jwe::detail::decrypt_content(enc, bytes_view(key), bytes_view(iv), bytes_view(aad),
                                             bytes_view(ct), bytes_view(tag, e.tag_size));
            if (expected_valid(t)) {
                ASSERT_TRUE(d) << id_of(t);
                EXPECT_EQ(bytes(d->expose_secret().begin(), d->expose_secret().end()), msg);
            } else {
                ASSERT_FALSE(d) << id_of(t);
                EXPECT_EQ(d.error().code, errc::decryption_failed);
            }
        }
    }
    EXPECT_EQ(count, v.at("numberOfTests").get<std::size_t>());
}

TEST(JwePrimitives, AesKeyUnwrap) {
    const json v = load_json("wycheproof/aes_wrap_test.json");
    tally n;
    for (const auto& g : v.at("testGroups"))
        for (const auto& t : g.at("tests")) {
            const bytes kek = hex(t, "key"), ct = hex(t, "ct"), msg = hex(t, "msg");
            const secret out = jwe::detail::aes_key_wrap(false, bytes_view(kek), bytes_view(ct));
            if (str(t, "result") == "valid") {
                EXPECT_EQ(bytes(out.expose_secret().begin(), out.expose_secret().end()), msg)
                    << id_of(t);
                ++n.as_labelled;
            } else {
                // Invalid, and the acceptable 8-octet keys: no CEK is that short.
                EXPECT_TRUE(out.empty()) << id_of(t);
                ++(str(t, "result") == "invalid" ? n.as_labelled : n.refused_on_purpose);
            }
        }
    EXPECT_EQ(n.as_labelled + n.refused_on_purpose, v.at("numberOfTests").get<std::size_t>());
    EXPECT_EQ(n.refused_on_purpose, 3u);
}

TEST(JwePrimitives, RsaOaep) {
    tally n;
    std::size_t total = 0;
    for (const char* file : {"wycheproof/rsa_oaep_2048_sha1_mgf1sha1_test.json",
                             "wycheproof/rsa_oaep_2048_sha256_mgf1sha256_test.json",
                             "wycheproof/rsa_oaep_3072_sha256_mgf1sha256_test.json",
                             "wycheproof/rsa_oaep_4096_sha256_mgf1sha256_test.json",
                             "wycheproof/rsa_oaep_misc_test.json"}) {
        const json v = load_json(file);
        for (const auto& g : v.at("testGroups")) {
            // Only the groups with a JWK are RSA-OAEP or RSA-OAEP-256.
            if (!g.contains("privateKeyJwk"))
                continue;
            const auto key = jose::jwk_from_json(g.at("privateKeyJwk"));
            const std::string md = g.at("sha") == "SHA-1" ? "SHA1" : "SHA256";
            for (const auto& t : g.at("tests")) {
                ++total;
                const bytes ct = hex(t, "ct"), msg = hex(t, "msg");
                if (!key) {
                    // RSA keys under 2048 bits are refused at import.
                    EXPECT_LT(g.at("keySize").get<int>(), 2048) << key.error();
                    ++n.refused_on_purpose;
                    continue;
                }
                const secret out =
                    jwe::detail::rsa_oaep(false, jose::key_access::pkey(*key), md, bytes_view(ct));
                if (!str(t, "label").empty()) {
                    // JWE uses no OAEP label: such a ciphertext never decrypts.
                    EXPECT_TRUE(out.empty()) << file << " " << id_of(t);
                    ++n.refused_on_purpose;
                } else if (expected_valid(t)) {
                    EXPECT_EQ(bytes(out.expose_secret().begin(), out.expose_secret().end()), msg)
                        << file << " " << id_of(t);
                    ++n.as_labelled;
                } else {
                    EXPECT_TRUE(out.empty()) << file << " " << id_of(t);
                    ++n.as_labelled;
                }
            }
        }
    }
    EXPECT_EQ(n.as_labelled + n.refused_on_purpose, total);
    EXPECT_EQ(n.refused_on_purpose, 56u); // 9 cases of keys under 2048 bits, 47 with a label
}

bytes secret_bytes(const secret& s) {
    return bytes(s.expose_secret().begin(), s.expose_secret().end());
}

// One agreement against its label; `z` is empty when it was refused. A
// refused case that is not invalid must be acceptable (and, for X25519/X448,
// one whose shared secret is all zero): it counts as refused on purpose.
void judge(const json& t, const secret& z, const std::string& where, bool zero_secret, tally& n) {
    if (str(t, "result") == "invalid") {
        EXPECT_TRUE(z.empty()) << where << " " << id_of(t);
        ++n.as_labelled;
    } else if (!z.empty()) {
        EXPECT_EQ(secret_bytes(z), hex(t, "shared")) << where << " " << id_of(t);
        ++n.as_labelled;
    } else {
        EXPECT_EQ(str(t, "result"), "acceptable") << where << " " << id_of(t);
        if (zero_secret) {
            EXPECT_EQ(str(t, "shared"), std::string(str(t, "shared").size(), '0'))
                << where << " " << id_of(t);
        }
        ++n.refused_on_purpose;
    }
}

// ECDH on JWKs, as a JWE recipient meets them: our private key, the
// sender's "epk" (public only, our type and curve, the point checked).
TEST(JwePrimitives, EcdhWithJwks) {
    for (const char* file : {"wycheproof/ecdh_secp256r1_webcrypto_test.json",
                             "wycheproof/ecdh_secp384r1_webcrypto_test.json",
                             "wycheproof/ecdh_secp521r1_webcrypto_test.json"}) {
        const json v = load_json(file);
        std::size_t count = 0;
        for (const auto& g : v.at("testGroups"))
            for (const auto& t : g.at("tests")) {
                ++count;
                const auto own = jose::jwk_from_json(t.at("private"));
                ASSERT_TRUE(own) << file << " " << id_of(t) << own.error();
                auto z = jwe::detail::shared_secret(*own, t.at("public"));
                if (str(t, "result") == "invalid") {
                    EXPECT_FALSE(z) << file << " " << id_of(t);
                    continue;
                }
                ASSERT_TRUE(z) << file << " " << id_of(t) << z.error();
                EXPECT_EQ(secret_bytes(*z), hex(t, "shared")) << file << " " << id_of(t);
            }
        EXPECT_EQ(count, v.at("numberOfTests").get<std::size_t>());
    }
}

// X25519 and X448 on JWKs: every agreement with a non-zero shared secret
// as labelled; the all-zero ones refused (acceptable), invalid JWKs refused.
TEST(JwePrimitives, XdhWithJwks) {
    for (const auto& [file, zeros] : {std::pair{"wycheproof/x25519_jwk_test.json", 31u},
                                      std::pair{"wycheproof/x448_jwk_test.json", 11u}}) {
        const json v = load_json(file);
        tally n;
        for (const auto& g : v.at("testGroups"))
            for (const auto& t : g.at("tests")) {
                const auto own = jose::jwk_from_json(t.at("private"));
                auto z = own ? jwe::detail::shared_secret(*own, t.at("public"))
                             : result<secret>(own.error());
                judge(t, z ? std::move(*z) : secret(), file, true, n);
            }
        EXPECT_EQ(n.as_labelled + n.refused_on_purpose, v.at("numberOfTests").get<std::size_t>());
        EXPECT_EQ(n.refused_on_purpose, zeros) << file;
    }
}

// The same agreements with raw keys: the public point or u-coordinate
// becomes the "epk" JWK; the private scalar an OpenSSL key of our own.
using pkey_ptr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

pkey_ptr ec_private(const char* group, const bytes& scalar) {
    BIGNUM* d = BN_bin2bn(scalar.data(), static_cast<int>(scalar.size()), nullptr);
    OSSL_PARAM_BLD* b = OSSL_PARAM_BLD_new();
    OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, group, 0);
    OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_PRIV_KEY, d);
    OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(b);
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
    EVP_PKEY* k = nullptr;
    if (EVP_PKEY_fromdata_init(ctx) != 1 ||
        EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_KEYPAIR, params) != 1)
        k = nullptr;
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(b);
    BN_clear_free(d);
    return pkey_ptr(k, EVP_PKEY_free);
}

TEST(JwePrimitives, EcdhWithPoints) {
    struct curve_file {
        const char* file;
        const char* group;
        const char* crv;
        std::size_t size;
    };
    for (const auto& c :
         {curve_file{"wycheproof/ecdh_secp256r1_ecpoint_test.json", "P-256", "P-256", 32},
          curve_file{"wycheproof/ecdh_secp384r1_ecpoint_test.json", "P-384", "P-384", 48},
          curve_file{"wycheproof/ecdh_secp521r1_ecpoint_test.json", "P-521", "P-521", 66}}) {
        const json v = load_json(c.file);
        tally n;
        for (const auto& g : v.at("testGroups"))
            for (const auto& t : g.at("tests")) {
                const bytes point = hex(t, "public");
                const pkey_ptr own = ec_private(c.group, hex(t, "private"));
                ASSERT_TRUE(own) << c.file << " " << id_of(t);
                secret z;
                // Only an uncompressed point fits a JWK's x and y.
                if (point.size() == 1 + 2 * c.size && point[0] == 4) {
                    const json epk = {
                        {"kty", "EC"},
                        {"crv", c.crv},
                        {"x", base64url_encode(bytes_view(point.data() + 1, c.size))},
                        {"y", base64url_encode(bytes_view(point.data() + 1 + c.size, c.size))}};
                    const auto peer =
                        jose::jwk_from_json(epk, jose::jwk_options{std::nullopt, true, {}, {}});
                    if (peer)
                        z = jwe::detail::ecdh(own.get(), jose::key_access::pkey(*peer), false);
                }
                judge(t, z, c.file, false, n); // refused on purpose: a compressed point
            }
        EXPECT_EQ(n.as_labelled + n.refused_on_purpose, v.at("numberOfTests").get<std::size_t>());
        EXPECT_EQ(n.refused_on_purpose, 1u) << c.file;
    }
}

TEST(JwePrimitives, XdhWithRawKeys) {
    struct curve_file {
        const char* file;
        int type;
        const char* crv;
        std::size_t zeros;
    };
    for (const auto& c : {curve_file{"wycheproof/x25519_test.json", EVP_PKEY_X25519, "X25519", 31},
                          curve_file{"wycheproof/x448_test.json", EVP_PKEY_X448, "X448", 11}}) {
        const json v = load_json(c.file);
        tally n;
        for (const auto& g : v.at("testGroups"))
            for (const auto& t : g.at("tests")) {
                const bytes priv = hex(t, "private"), pub = hex(t, "public");
                const pkey_ptr own(
                    EVP_PKEY_new_raw_private_key(c.type, nullptr, priv.data(), priv.size()),
                    EVP_PKEY_free);
                ASSERT_TRUE(own) << c.file << " " << id_of(t);
                const json epk = {
                    {"kty", "OKP"}, {"crv", c.crv}, {"x", base64url_encode(bytes_view(pub))}};
                const auto peer =
                    jose::jwk_from_json(epk, jose::jwk_options{std::nullopt, true, {}, {}});
                const secret z =
                    peer ? jwe::detail::ecdh(own.get(), jose::key_access::pkey(*peer), false)
                         : secret();
                judge(t, z, c.file, true, n);
            }
        EXPECT_EQ(n.as_labelled + n.refused_on_purpose, v.at("numberOfTests").get<std::size_t>());
        EXPECT_EQ(n.refused_on_purpose, c.zeros) << c.file;
    }
}

} // namespace
