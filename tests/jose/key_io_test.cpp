#include <obauth/jose/key_io.hpp>

#include "support/test_data.hpp"

#include <gtest/gtest.h>

#include <openssl/pem.h>

#include <string>

namespace {

namespace jose = obauth::jose;
using jose::algorithm;
using jose::errc;

TEST(KeyIo, PemAndDerRoundTripForEveryKeyType) {
    for (const algorithm a : {algorithm::RS256, algorithm::ES256, algorithm::ES384,
                              algorithm::ES512, algorithm::ES256K, algorithm::EdDSA}) {
        const auto key = jose::generate_key(a).value();
        const std::string thumb = key.thumbprint().value();

        const auto pub_pem = jose::export_public_pem(key);
        ASSERT_TRUE(pub_pem) << jose::to_string(a);
        EXPECT_EQ(pub_pem->rfind("-----BEGIN PUBLIC KEY-----", 0), 0u);
        const auto pub = jose::import_pem(*pub_pem);
        ASSERT_TRUE(pub) << jose::to_string(a) << ": " << pub.error();
        EXPECT_FALSE(pub->has_private());
        EXPECT_EQ(pub->thumbprint().value(), thumb);

        const auto pub_der = jose::export_public_der(key);
        ASSERT_TRUE(pub_der);
        EXPECT_EQ(jose::import_der(*pub_der)->thumbprint().value(), thumb);

        for (const auto enc :
             {jose::private_key_encoding::pkcs8, jose::private_key_encoding::traditional}) {
            if (a == algorithm::EdDSA && enc == jose::private_key_encoding::traditional) {
                EXPECT_EQ(jose::export_private_pem(key, enc).code(), errc::unsupported_key);
                continue;
            }
            const auto pem = jose::export_private_pem(key, enc);
            ASSERT_TRUE(pem) << jose::to_string(a);
            const auto priv = jose::import_pem(pem->expose_secret_chars());
            ASSERT_TRUE(priv) << jose::to_string(a) << ": " << priv.error();
            EXPECT_TRUE(priv->has_private());
            EXPECT_EQ(priv->thumbprint().value(), thumb);
            const auto der = jose::export_private_der(key, enc);
            ASSERT_TRUE(der);
            EXPECT_EQ(jose::import_der(der->expose_secret())->thumbprint().value(), thumb);
        }
    }
    EXPECT_EQ(jose::export_private_pem(jose::generate_key(algorithm::ES256)->public_key()).code(),
              errc::private_key_required);
    EXPECT_EQ(jose::export_public_pem(jose::generate_key(algorithm::HS256).value()).code(),
              errc::unsupported_key);
}

TEST(KeyIo, Pkcs1RsaHeaders) {
    const auto key = jose::generate_key(algorithm::PS256).value();
    const auto pem = jose::export_private_pem(key, jose::private_key_encoding::traditional);
    ASSERT_TRUE(pem);
    EXPECT_EQ(pem->expose_secret_chars().rfind("-----BEGIN RSA PRIVATE KEY-----", 0), 0u);
    // An imported RSA key needs its algorithm given (RS* or PS*).
    const auto imported =
        jose::import_pem(pem->expose_secret_chars(), {algorithm::PS256, false, {}, {}}, "rsa-1");
    ASSERT_TRUE(imported);
    EXPECT_EQ(imported->alg(), algorithm::PS256);
    EXPECT_EQ(imported->kid(), "rsa-1");
    // An EC key learns its algorithm from the curve; a conflicting one is refused.
    const auto ec = jose::export_public_pem(jose::generate_key(algorithm::ES384).value()).value();
    EXPECT_EQ(jose::import_pem(ec)->alg(), algorithm::ES384);
    EXPECT_EQ(jose::import_pem(ec, {algorithm::ES256, false, {}, {}}).code(),
              errc::algorithm_key_mismatch);
}

TEST(KeyIo, PolicyApplies) {
    const auto key = jose::generate_key(algorithm::ES256).value();
    const auto pem = jose::export_private_pem(key).value();
    EXPECT_EQ(jose::import_pem(pem.expose_secret_chars(), {std::nullopt, true, {}, {}}).code(),
              errc::private_key_refused);

    EVP_PKEY* small = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{1024});
    ASSERT_NE(small, nullptr);
    BIO* bio = BIO_new(BIO_s_mem());
    ASSERT_EQ(PEM_write_bio_PUBKEY(bio, small), 1);
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    const std::string small_pem(data, static_cast<std::size_t>(len));
    BIO_free(bio);
    EVP_PKEY_free(small);
    EXPECT_EQ(jose::import_pem(small_pem).code(), errc::weak_key);
}

TEST(KeyIo, EncryptedPemIsRefusedWithoutPrompting) {
    EVP_PKEY* k = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "prime256v1");
    ASSERT_NE(k, nullptr);
    BIO* bio = BIO_new(BIO_s_mem());
    char pass[] = "passphrase";
    ASSERT_EQ(PEM_write_bio_PKCS8PrivateKey(bio, k, EVP_aes_256_cbc(), pass, 10, nullptr, nullptr),
              1);
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    const std::string pem(data, static_cast<std::size_t>(len));
    BIO_free(bio);
    EVP_PKEY_free(k);
    EXPECT_NE(pem.find("ENCRYPTED"), std::string::npos);
    EXPECT_EQ(jose::import_pem(pem).code(), errc::invalid_key);
}

TEST(KeyIo, GarbageIsAnError) {
    for (const std::string& text :
         {std::string(""), std::string("hello"),
          std::string("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"),
          std::string("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")})
        EXPECT_EQ(jose::import_pem(text).code(), errc::invalid_key) << text;
    EXPECT_EQ(jose::import_der(obauth::bytes{0x30, 0x03, 0x02, 0x01, 0x00}).code(),
              errc::invalid_key);
    EXPECT_EQ(jose::import_pem(std::string(70 * 1024, 'A')).code(), errc::too_large);
}

} // namespace
