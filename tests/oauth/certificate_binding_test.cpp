#include <obauth/oauth/certificate_binding.hpp>

#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

namespace {

using namespace obauth;
using namespace obauth::oauth;

// A throwaway self-signed certificate, made with OpenSSL in the test.
std::string make_pem_certificate(std::string& der_thumbprint) {
    EVP_PKEY* key = EVP_EC_gen("P-256");
    X509* cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("client-42"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509_sign(cert, key, EVP_sha256());
    unsigned char* der = nullptr;
    const int n = i2d_X509(cert, &der);
    der_thumbprint = certificate_thumbprint(bytes_view(der, static_cast<std::size_t>(n)));
    OPENSSL_free(der);
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, cert);
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<std::size_t>(len));
    BIO_free(bio);
    X509_free(cert);
    EVP_PKEY_free(key);
    return pem;
}

TEST(CertificateBinding, ThumbprintOfDerAndPem) {
    // SHA-256 of the empty string, base64url.
    EXPECT_EQ(certificate_thumbprint(bytes_view()), "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
    std::string expected;
    const std::string pem = make_pem_certificate(expected);
    auto t = certificate_thumbprint_from_pem(pem);
    ASSERT_TRUE(t) << t.error();
    EXPECT_EQ(*t, expected);
    EXPECT_EQ(t->size(), 43u);
    EXPECT_FALSE(certificate_thumbprint_from_pem(
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"));
    EXPECT_FALSE(certificate_thumbprint_from_pem(""));
    EXPECT_FALSE(certificate_thumbprint_from_pem(std::string(70 * 1024, 'A')));
}

TEST(CertificateBinding, CnfCheck) {
    const json ok = {{"cnf", {{"x5t#S256", "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"}}}};
    EXPECT_TRUE(check_certificate_binding(ok, "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"));
    EXPECT_EQ(
        check_certificate_binding(ok, "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg3").error().code,
        errc::certificate_mismatch);
    EXPECT_FALSE(check_certificate_binding(ok, ""));
    for (const json& bad : {json::object(), json{{"cnf", "x"}}, json{{"cnf", {{"jkt", "x"}}}},
                            json{{"cnf", {{"x5t#S256", 5}}}}, json::array()})
        EXPECT_EQ(check_certificate_binding(bad, "x").error().code, errc::certificate_mismatch);
}

} // namespace
