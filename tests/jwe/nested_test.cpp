#include <obauth/jwe/nested.hpp>

#include <obauth/core/json.hpp>
#include <obauth/jose/jwk.hpp>
#include <obauth/jose/jwt_claims.hpp>

#include "jwe/jwe_support.hpp"
#include "support/test_data.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace obauth;
using namespace obauth::jwe;
using obauth::test::load_json;
using obauth::test::str;
using obauth::test::jwe_support::allow_all;

constexpr std::int64_t nested_t0 = 1900000000;

struct nested_setup {
    jose::jwk bank_signer = jose::generate_key(jose::algorithm::PS256, "bank-sig").value();
    jose::jwks bank_keys{std::vector<jose::jwk>{bank_signer.public_key()}};
    jose::jwk client_enc = [] {
        json j = parse_json(jose::generate_key(jose::algorithm::ES256)
                                .value()
                                .export_private_json()
                                .value()
                                .expose_secret()
                                .as_chars())
                     .value();
        j["alg"] = "ECDH-ES+A256KW";
        j["use"] = "enc";
        j["kid"] = "client-enc";
        return jose::jwk_from_json(j).value();
    }();
    json claims = {{"iss", "https://bank.example"},
                   {"aud", "client-1"},
                   {"sub", "alice"},
                   {"iat", nested_t0},
                   {"exp", nested_t0 + 300}};
    jose::jws_verify_options vopt{jose::algorithm_set{jose::algorithm::PS256}, {}, 64 * 1024, {}};
    jose::jwt_validation policy = [] {
        jose::jwt_validation p;
        p.issuer = "https://bank.example";
        p.audiences = {"client-1"};
        return p;
    }();
    time_point now = from_unix_seconds(nested_t0 + 10);

    std::string seal(const json& c) {
        encrypt_options eo;
        eo.alg = key_management::ECDH_ES_A256KW;
        eo.enc = content_encryption::A256GCM;
        return sign_and_encrypt_jwt(c, bank_signer, {}, client_enc.public_key(), eo).value();
    }
};

TEST(NestedJwt, SignedThenEncryptedRoundTrips) {
    nested_setup s;
    const std::string token = s.seal(s.claims);
    const auto jwt = decrypt_and_verify_jwt(token, s.client_enc, allow_all(), s.bank_keys, s.vopt,
                                            s.policy, s.now);
    ASSERT_TRUE(jwt) << jwt.error().to_string();
    EXPECT_EQ(jwt->sub(), "alice");
    EXPECT_EQ(jwt->alg(), jose::algorithm::PS256);
    // Through a key set too.
    const jose::jwks ours(std::vector<jose::jwk>{s.client_enc});
    EXPECT_TRUE(
        decrypt_and_verify_jwt(token, ours, allow_all(), s.bank_keys, s.vopt, s.policy, s.now));
}

TEST(NestedJwt, TheInnerJwtIsCheckedLikeAnyOther) {
    nested_setup s;
    json c = s.claims;
    c["aud"] = "another-client";
    auto r = decrypt_and_verify_jwt(s.seal(c), s.client_enc, allow_all(), s.bank_keys, s.vopt,
                                    s.policy, s.now);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, jose::errc::audience_mismatch);
    // Signed by someone else.
    const jose::jwk stranger = jose::generate_key(jose::algorithm::PS256, "bank-sig").value();
    encrypt_options eo;
    eo.alg = key_management::ECDH_ES_A256KW;
    const std::string forged =
        sign_and_encrypt_jwt(s.claims, stranger, {}, s.client_enc.public_key(), eo).value();
    r = decrypt_and_verify_jwt(forged, s.client_enc, allow_all(), s.bank_keys, s.vopt, s.policy,
                               s.now);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, jose::errc::invalid_signature);
}

TEST(NestedJwt, OnlyAJweThatSaysItCarriesAJwt) {
    nested_setup s;
    const std::string jws = jose::sign_jwt(s.claims, s.bank_signer).value();
    encrypt_options eo;
    eo.alg = key_management::ECDH_ES_A256KW;
    const std::string plain = encrypt_compact(bytes_view(jws), s.client_enc, eo).value(); // no cty
    const auto r = decrypt_and_verify_jwt(plain, s.client_enc, allow_all(), s.bank_keys, s.vopt,
                                          s.policy, s.now);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::invalid_header);
    eo.cty = "application/jwt";
    EXPECT_TRUE(decrypt_and_verify_jwt(encrypt_compact(bytes_view(jws), s.client_enc, eo).value(),
                                       s.client_enc, allow_all(), s.bank_keys, s.vopt, s.policy,
                                       s.now));
}

// RFC 7520 §6: a PS256 JWT encrypted with RSA-OAEP and A128GCM.
TEST(NestedJwt, Rfc7520Section6) {
    const json v = load_json("jose-cookbook/6.nesting_signatures_and_encryption.json");
    const jose::jwk signer = jose::jwk_from_json(v.at("sign").at("input").at("key")).value();
    const jose::jwk ours = jose::jwk_from_json(v.at("encrypt").at("input").at("key")).value();
    jose::jwt_validation p;
    p.leeway = std::chrono::seconds(0);
    const jose::jws_verify_options vopt{jose::algorithm_set{jose::algorithm::PS256}, {}, 65536, {}};
    const auto jwt =
        decrypt_and_verify_jwt(str(v.at("encrypt").at("output"), "compact"), ours, allow_all(),
                               jose::jwks(std::vector<jose::jwk>{signer.public_key()}), vopt, p,
                               from_unix_seconds(1300819380 - 60));
    ASSERT_TRUE(jwt) << jwt.error().to_string();
    EXPECT_EQ(jwt->iss(), "hobbiton.example");
    EXPECT_EQ(jwt->claims().at("http://example.com/is_root"), true);
}

} // namespace
