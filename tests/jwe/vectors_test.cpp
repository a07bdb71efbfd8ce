// The published JWE examples: RFC 7516 Appendix A, RFC 7518 Appendices B
// and C, RFC 8037 A.6/A.7 and the JOSE cookbook (RFC 7520 §5), copied into
// tests/data with their sources and licenses.
#include <obauth/jwe/jwe.hpp>

#include <obauth/core/base64url.hpp>
#include <obauth/jose/jwk.hpp>
#include <obauth/jose/key_access.hpp>

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
using obauth::test::jwe_support::from_hex;
using obauth::test::jwe_support::text;

jose::jwk key_of(const json& j) {
    auto k = jose::jwk_from_json(j);
    EXPECT_TRUE(k) << (k ? "" : k.error().to_string());
    return k ? *k : jose::generate_okp_key(jose::curve::x25519).value();
}

TEST(JweVectors, Rfc7516A1RsaOaepA256Gcm) {
    const json v = load_json("rfc/rfc7516_A1_rsa_oaep_a256gcm.json");
    const auto d = decrypt_compact(str(v, "compact"), key_of(v.at("jwk")), allow_all());
    ASSERT_TRUE(d) << d.error().to_string();
    EXPECT_EQ(text(d->plaintext()), str(v, "plaintext"));
    EXPECT_EQ(d->alg(), key_management::RSA_OAEP);
    EXPECT_EQ(d->enc(), content_encryption::A256GCM);
}

TEST(JweVectors, Rfc7516A2Rsa15IsLeftOut) {
    const json v = load_json("rfc/rfc7516_A2_rsa1_5_a128cbc_hs256.json");
    const auto d = decrypt_compact(str(v, "compact"), key_of(v.at("jwk")), allow_all());
    ASSERT_FALSE(d);
    EXPECT_EQ(d.error().code, errc::algorithm_left_out);
}

TEST(JweVectors, Rfc7516A3A128KwA128CbcHs256) {
    const json v = load_json("rfc/rfc7516_A3_a128kw_a128cbc_hs256.json");
    // The RFC's key is a bare 16-octet oct JWK. jose refuses unmarked oct
    // keys under 32 octets (they could serve HMAC); marked for encryption,
    // as a recipient publishes it, it imports.
    json key = v.at("jwk");
    EXPECT_EQ(jose::jwk_from_json(key).error().code, jose::errc::weak_key);
    key["use"] = "enc";
    const auto d = decrypt_compact(str(v, "compact"), key_of(key), allow_all());
    ASSERT_TRUE(d) << d.error().to_string();
    EXPECT_EQ(text(d->plaintext()), str(v, "plaintext"));
}

TEST(JweVectors, Rfc7518BAesCbcHmacSha2) {
    const json v = load_json("rfc/rfc7518_B_aes_cbc_hmac_sha2.json");
    ASSERT_EQ(v.at("cases").size(), 3u);
    for (const auto& c : v.at("cases")) {
        const auto enc = parse_content_encryption(str(c, "enc")).value();
        const bytes k = from_hex(str(c, "K")), p = from_hex(str(c, "P")),
                    iv = from_hex(str(c, "IV")), a = from_hex(str(c, "A"));
        unsigned char tag[32];
        const auto e = jwe::detail::encrypt_content(enc, bytes_view(k), bytes_view(iv),
                                                    bytes_view(a), bytes_view(p), tag);
        ASSERT_TRUE(e) << str(c, "section");
        EXPECT_EQ(bytes(e->begin(), e->end()), from_hex(str(c, "E"))) << str(c, "section");
        EXPECT_EQ(bytes(tag, tag + info(enc).tag_size), from_hex(str(c, "T"))) << str(c, "section");
        const auto back =
            jwe::detail::decrypt_content(enc, bytes_view(k), bytes_view(iv), bytes_view(a),
                                         bytes_view(*e), bytes_view(tag, info(enc).tag_size));
        ASSERT_TRUE(back);
        EXPECT_EQ(back->expose_secret().to_bytes(), p);
    }
}

TEST(JweVectors, Rfc7518CEcdhEsConcatKdf) {
    const json v = load_json("rfc/rfc7518_C_ecdh_es.json");
    const jose::jwk alice = key_of(v.at("alice_ephemeral_jwk")), bob = key_of(v.at("bob_jwk"));
    const secret z =
        jwe::detail::ecdh(jose::key_access::pkey(bob), jose::key_access::pkey(alice), true);
    ASSERT_EQ(z.size(), 32u);
    std::vector<unsigned char> expected_z;
    for (const auto& o : v.at("Z_octets"))
        expected_z.push_back(o.get<unsigned char>());
    EXPECT_EQ(z.expose_secret().to_bytes(), expected_z);
    const auto derived = jwe::detail::ecdh_derived_key(
        z.expose_secret(), key_management::ECDH_ES, content_encryption::A128GCM,
        bytes_view(std::string("Alice")), bytes_view(std::string("Bob")));
    ASSERT_TRUE(derived);
    EXPECT_EQ(base64url_encode(derived->expose_secret()), str(v, "derived_key_b64u"));
}

TEST(JweVectors, Rfc8037X25519AndX448Agreement) {
    const json v = load_json("rfc/rfc8037_A6_A7_ecdh_es_x25519_x448.json");
    for (const char* section : {"A.6", "A.7"}) {
        const json& s = v.at(section);
        // The ephemeral secret as a private OKP key, the recipient's public key.
        json eph = s.at("epk_jwk");
        eph["d"] = base64url_encode(bytes_view(from_hex(str(s, "ephemeral_secret_hex"))));
        const jose::jwk e = key_of(eph), r = key_of(s.at("recipient_public_jwk"));
        const secret z =
            jwe::detail::ecdh(jose::key_access::pkey(e), jose::key_access::pkey(r), false);
        EXPECT_EQ(z.expose_secret().to_bytes(), from_hex(str(s, "Z_hex"))) << section;
    }
}

// RFC 7520 §5: the compact examples decrypt; the ones that use what is left
// out on purpose are refused with their own error.
TEST(JweVectors, CookbookCompact) {
    struct expectation {
        const char* file;
        std::optional<errc> refused;
    };
    const expectation cases[] = {
        {"5_1.key_encryption_using_rsa_v15_and_aes-hmac-sha2.json", errc::algorithm_left_out},
        {"5_2.key_encryption_using_rsa-oaep_with_aes-gcm.json", {}},
        {"5_3.key_wrap_using_pbes2-aes-keywrap_with-aes-cbc-hmac-sha2.json",
         errc::algorithm_left_out},
        {"5_4.key_agreement_with_key_wrapping_using_ecdh-es_and_aes-keywrap_with_aes-gcm.json", {}},
        {"5_5.key_agreement_using_ecdh-es_with_aes-cbc-hmac-sha2.json", {}},
        {"5_6.direct_encryption_using_aes-gcm.json", {}},
        {"5_7.key_wrap_using_aes-gcm_keywrap_with_aes-cbc-hmac-sha2.json", {}},
        {"5_8.key_wrap_using_aes-keywrap_with_aes-gcm.json", {}},
        {"5_9.compressed_content.json", errc::compression_refused},
    };
    for (const auto& c : cases) {
        const json v = load_json(std::string("jose-cookbook/jwe/") + c.file);
        const json& in = v.at("input");
        // PBES2's secret is a password, not a JWK: any key will do to show
        // the refusal.
        const jose::jwk key = in.contains("key") && in.at("key").is_object()
                                  ? key_of(in.at("key"))
                                  : jose::generate_okp_key(jose::curve::x25519).value();
        const auto d = decrypt_compact(str(v.at("output"), "compact"), key, allow_all());
        if (c.refused) {
            ASSERT_FALSE(d) << c.file;
            EXPECT_EQ(d.error().code, *c.refused) << c.file;
        } else {
            ASSERT_TRUE(d) << c.file << ": " << d.error().to_string();
            EXPECT_EQ(text(d->plaintext()), str(in, "plaintext")) << c.file;
        }
    }
}

TEST(JweVectors, CookbookX25519EcdhEs) {
    const json v = load_json("jose-cookbook/curve25519/ecdh-es.json");
    const auto d = decrypt_compact(str(v.at("output"), "compact"), key_of(v.at("input").at("key")),
                                   allow_all());
    ASSERT_TRUE(d) << d.error().to_string();
    EXPECT_EQ(text(d->plaintext()), str(v.at("input"), "plaintext"));
}

} // namespace
