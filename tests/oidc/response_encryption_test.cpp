#include <obauth/oidc/response_encryption.hpp>

#include <obauth/jose/jwt.hpp>
#include <obauth/jose/key_access.hpp>
#include <obauth/oidc/id_token.hpp>

#include <obauth/core/json.hpp>

#include "support/jose_support.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace obauth;
using jwe::content_encryption;
using jwe::key_management;
using oidc::errc;

const obauth::time_point enc_t0 = obauth::from_unix_seconds(1'800'000'000);
const std::string enc_issuer = "https://as.bank.example";

const jose::jwk& enc_client_key() {
    static const jose::jwk k = obauth::test::as_encryption_key(
        jose::generate_key(jose::algorithm::RS256).value(), "client-enc");
    return k;
}
const jose::jwk& enc_bank_key() {
    static const jose::jwk k = jose::generate_key(jose::algorithm::PS256, "bank").value();
    return k;
}

const std::string message = R"({"sub":"psu-1","iss":"https://as.bank.example"})";

jwe::encrypt_options how(key_management alg, content_encryption enc, bool nested = true) {
    jwe::encrypt_options o;
    o.alg = alg;
    o.enc = enc;
    if (nested)
        o.cty = "JWT";
    return o;
}

struct ResponseEncryption : ::testing::Test {
    jose::jwks keys{{enc_client_key()}};
    oidc::response_decryption d{&keys, {key_management::RSA_OAEP_256, content_encryption::A256GCM}};

    std::string encrypt(const std::string& text, const jwe::encrypt_options& o,
                        const jose::jwk& to = enc_client_key().public_key()) const {
        return jwe::encrypt_compact(bytes_view(text), to, o).value();
    }
};

TEST_F(ResponseEncryption, RegistrationDefaultsAreTheSpecifications) {
    const oidc::encryption_algorithms a{key_management::RSA_OAEP};
    EXPECT_EQ(a.enc, content_encryption::A128CBC_HS256);
}

TEST_F(ResponseEncryption, CompactJweHasFiveParts) {
    EXPECT_TRUE(oidc::is_compact_jwe("a.b.c.d.e"));
    EXPECT_TRUE(oidc::is_compact_jwe("...."));
    EXPECT_FALSE(oidc::is_compact_jwe("a.b.c"));
    EXPECT_FALSE(oidc::is_compact_jwe("a.b.c.d.e.f"));
    EXPECT_FALSE(oidc::is_compact_jwe(""));
}

TEST_F(ResponseEncryption, DecryptsWhatWasRegistered) {
    const std::string token =
        encrypt(message, how(key_management::RSA_OAEP_256, content_encryption::A256GCM));
    auto r = oidc::decrypt_nested_response(token, d, 64 * 1024);
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->plaintext().expose_secret().as_chars(), message);
    // Unsigned content (an encrypted-only UserInfo answer) has no cty.
    const std::string plain =
        encrypt(message, how(key_management::RSA_OAEP_256, content_encryption::A256GCM, false));
    EXPECT_TRUE(oidc::decrypt_response(plain, d, 64 * 1024));
    auto nested = oidc::decrypt_nested_response(plain, d, 64 * 1024);
    ASSERT_FALSE(nested);
    EXPECT_EQ(nested.error().code, jwe::errc::invalid_header);
}

TEST_F(ResponseEncryption, PlainAnswerIsADowngrade) {
    const std::string jws = jose::sign_jwt(json{{"sub", "psu-1"}}, enc_bank_key()).value();
    auto r = oidc::decrypt_response(jws, d, 64 * 1024);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::response_not_encrypted);
    EXPECT_EQ(r.error().code.category(), error_category_for<errc>());
    EXPECT_TRUE(oidc::refuse_unexpected_jwe(jws));
}

TEST_F(ResponseEncryption, OnlyTheRegisteredAlgorithms) {
    for (const auto& o : {how(key_management::RSA_OAEP, content_encryption::A256GCM),
                          how(key_management::RSA_OAEP_256, content_encryption::A128GCM),
                          how(key_management::RSA_OAEP_512, content_encryption::A256GCM)}) {
        auto r = oidc::decrypt_response(encrypt(message, o), d, 64 * 1024);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, jwe::errc::algorithm_not_allowed) << r.error();
    }
}

TEST_F(ResponseEncryption, FailuresAreUniform) {
    const std::string token =
        encrypt(message, how(key_management::RSA_OAEP_256, content_encryption::A256GCM));
    // Another recipient's key of the same kind (the kid still matches).
    const jose::jwk other = obauth::test::as_encryption_key(
        jose::generate_key(jose::algorithm::RS256).value(), "client-enc");
    auto r = oidc::decrypt_response(
        encrypt(message, how(key_management::RSA_OAEP_256, content_encryption::A256GCM),
                other.public_key()),
        d, 64 * 1024);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, jwe::errc::decryption_failed);
    EXPECT_TRUE(r.error().detail.empty());
    // A changed ciphertext and a changed tag.
    for (const std::size_t part : {3u, 4u}) {
        std::string t = token;
        std::size_t at = 0;
        for (std::size_t i = 0; i < part; ++i)
            at = t.find('.', at) + 1;
        t[at + 2] = t[at + 2] == 'A' ? 'B' : 'A';
        auto c = oidc::decrypt_response(t, d, 64 * 1024);
        ASSERT_FALSE(c);
        EXPECT_EQ(c.error().code, jwe::errc::decryption_failed);
    }
    // Over the size limit, and without keys.
    EXPECT_EQ(oidc::decrypt_response(token, d, 100).error().code, jwe::errc::too_large);
    oidc::response_decryption none{nullptr, d.registered};
    EXPECT_EQ(oidc::decrypt_response(token, none, 64 * 1024).error().code,
              jwe::errc::invalid_options);
}

TEST_F(ResponseEncryption, UnexpectedJweIsRefused) {
    const std::string token =
        encrypt(message, how(key_management::RSA_OAEP_256, content_encryption::A256GCM));
    auto r = oidc::refuse_unexpected_jwe(token);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::response_encrypted);
    EXPECT_EQ(r.error().code.default_error_condition(), condition::protocol_error);
}

// The ID token as OpenID Connect Core §10.2 sends it: signed, then
// encrypted; validated with the same rules as a signed one.
TEST_F(ResponseEncryption, EncryptedIdToken) {
    const std::int64_t now = to_unix_seconds(enc_t0);
    const json claims = {{"iss", enc_issuer},
                         {"sub", "psu-1"},
                         {"aud", "client-42"},
                         {"iat", now},
                         {"exp", now + 300}};
    const std::string jws = jose::sign_jwt(claims, enc_bank_key()).value();
    const std::string jwe =
        encrypt(jws, how(key_management::RSA_OAEP_256, content_encryption::A256GCM));
    const jose::jwks issuer_keys({enc_bank_key().public_key()});
    oidc::id_token_validation v;
    v.issuer = enc_issuer;
    v.client_id = "client-42";
    v.algorithms = {jose::algorithm::PS256};
    // Not registered: the JWE is refused; the JWS passes.
    EXPECT_EQ(oidc::validate_id_token(jwe, issuer_keys, v, enc_t0).error().code,
              errc::response_encrypted);
    EXPECT_TRUE(oidc::validate_id_token(jws, issuer_keys, v, enc_t0));
    // Registered: the JWE passes, the JWS is refused.
    v.decryption = d;
    auto t = oidc::validate_id_token(jwe, issuer_keys, v, enc_t0);
    ASSERT_TRUE(t) << t.error();
    EXPECT_EQ(t->sub(), "psu-1");
    EXPECT_EQ(oidc::validate_id_token(jws, issuer_keys, v, enc_t0).error().code,
              errc::response_not_encrypted);
    // The rules still apply inside: another audience.
    json other = claims;
    other["aud"] = "client-43";
    const std::string wrong_aud =
        encrypt(jose::sign_jwt(other, enc_bank_key()).value(),
                how(key_management::RSA_OAEP_256, content_encryption::A256GCM));
    EXPECT_EQ(oidc::validate_id_token(wrong_aud, issuer_keys, v, enc_t0).error().code,
              errc::id_token_audience_mismatch);
    // Signed by someone else, encrypted correctly.
    const std::string forged = encrypt(
        jose::sign_jwt(claims, jose::generate_key(jose::algorithm::PS256, "bank").value()).value(),
        how(key_management::RSA_OAEP_256, content_encryption::A256GCM));
    EXPECT_FALSE(oidc::validate_id_token(forged, issuer_keys, v, enc_t0));
}

// OpenID Connect Core §10.2: the left-most octets of SHA-256/384/512 of
// the secret. Expected values: Python's hashlib over "obauth-local-bank-secret".
TEST_F(ResponseEncryption, KeysDerivedFromAClientSecret) {
    const secret s = secret(bytes_view(std::string_view("obauth-local-bank-secret")));
    const std::string sha256 = "34fa029dfd94d921d18f8562c1931c869db5df22f35cb25da13bbb8ac192bd4d";
    const std::string sha512 = "1d75f851616254da5c086e6398dc98fb6fce2f3ad8412f7b1d57e0f7e80aec73d72"
                               "1554cdecbd0eabd9d2ccc66d5ab19914eed08978927229149c14a1af14e23";
    struct case_ {
        oidc::encryption_algorithms a;
        std::string expected_hex;
    };
    const case_ cases[] = {
        {{key_management::A128KW}, sha256.substr(0, 32)},
        {{key_management::A192GCMKW}, sha256.substr(0, 48)},
        {{key_management::A256KW}, sha256},
        {{key_management::dir, content_encryption::A128GCM}, sha256.substr(0, 32)},
        {{key_management::dir, content_encryption::A256CBC_HS512}, sha512},
    };
    for (const auto& c : cases) {
        auto k = oidc::client_secret_encryption_key(s, c.a);
        ASSERT_TRUE(k) << k.error();
        EXPECT_EQ(k->use(), "enc");
        std::string hex;
        for (const unsigned char b : jose::key_access::octets(*k)) {
            static const char digits[] = "0123456789abcdef";
            hex += digits[b >> 4];
            hex += digits[b & 15];
        }
        EXPECT_EQ(hex, c.expected_hex) << jwe::to_string(c.a.alg);
        // And it opens what is encrypted with it.
        const jose::jwks set({*k});
        const oidc::response_decryption derived{&set, c.a};
        jwe::encrypt_options o;
        o.alg = c.a.alg;
        o.enc = c.a.enc;
        auto r = oidc::decrypt_response(encrypt(message, o, *k), derived, 64 * 1024);
        ASSERT_TRUE(r) << r.error();
    }
    // The asymmetric algorithms take no secret; an empty secret is refused.
    EXPECT_FALSE(oidc::client_secret_encryption_key(s, {key_management::RSA_OAEP_256}));
    EXPECT_FALSE(oidc::client_secret_encryption_key(s, {key_management::ECDH_ES}));
    EXPECT_FALSE(oidc::client_secret_encryption_key(secret(), {key_management::A128KW}));
}

} // namespace
