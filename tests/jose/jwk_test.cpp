#include <obauth/jose/detail/signature.hpp>
#include <obauth/jose/jwk.hpp>
#include <obauth/jose/key_io.hpp>

#include <obauth/core/base64url.hpp>

#include "support/test_data.hpp"

#include <gtest/gtest.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <array>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace {

namespace jose = obauth::jose;
using jose::errc;
using obauth::json;
using obauth::test::load_json;

json ec_public(const json& full) {
    return {{"kty", "EC"}, {"crv", full["crv"]}, {"x", full["x"]}, {"y", full["y"]}};
}

TEST(Jwk, Rfc7638Thumbprint) {
    const json v = load_json("rfc/rfc7638_3.1_jwk_thumbprint.json");
    const auto key = jose::jwk_from_json(v["jwk"], {std::nullopt, true, {}, {}});
    ASSERT_TRUE(key) << key.error();
    EXPECT_EQ(key->thumbprint().value(), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    EXPECT_EQ(key->kid(), "2011-04-29");
    EXPECT_EQ(key->alg(), jose::algorithm::RS256);
    EXPECT_EQ(key->bits(), 2048u);
    EXPECT_FALSE(key->has_private());
    EXPECT_EQ(key->thumbprint("SHA1").code(), errc::unsupported_algorithm);
}

TEST(Jwk, Rfc8037Ed25519KeysAndThumbprint) {
    const json v = load_json("rfc/rfc8037_A_ed25519.json");
    const auto priv = jose::jwk_from_json(v["A1_private_jwk"]);
    ASSERT_TRUE(priv) << priv.error();
    EXPECT_TRUE(priv->has_private());
    EXPECT_EQ(priv->curve(), jose::curve::ed25519);
    EXPECT_EQ(priv->thumbprint().value(), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
    EXPECT_EQ(priv->to_public_json(), v["A2_public_jwk"]);
    EXPECT_EQ(priv->default_algorithm().value(), jose::algorithm::EdDSA);

    json wrong = v["A1_private_jwk"];
    wrong["x"] = v["A1_private_jwk"]["d"]; // x that does not belong to d
    EXPECT_EQ(jose::jwk_from_json(wrong).code(), errc::invalid_key);
}

// Regression (issue 19, item 8): an Ed25519 or Ed448 public key of small
// order (the identity, for one) imported, and then one fixed signature
// verified for every payload. Refused now, as a JWK and as DER/PEM, with
// either sign bit and in the non-canonical encodings of 0 and 1.
TEST(Jwk, SmallOrderEdwardsKeysAreRefused) {
    std::vector<std::vector<unsigned char>> ed25519;
    for (const auto& y : jose::detail::ed25519_small_order)
        ed25519.emplace_back(y.begin(), y.end());
    std::vector<std::vector<unsigned char>> ed448;
    for (const auto fill : {std::array<unsigned char, 4>{0x00, 0x00, 0x00, 0x00},
                            {0x01, 0x00, 0x00, 0x00},
                            {0xfe, 0xff, 0xfe, 0xff},
                            {0xff, 0xff, 0xfe, 0xff},
                            {0x00, 0x00, 0xff, 0xff}}) {
        std::vector<unsigned char> y(57, 0);
        y[0] = fill[0];
        for (std::size_t i = 1; i < 56; ++i)
            y[i] = i < 28 ? fill[1] : i == 28 ? fill[2] : fill[3];
        ed448.push_back(y);
    }
    // DER SubjectPublicKeyInfo prefixes (RFC 8410 §4).
    const std::vector<unsigned char> spki25519 = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
                                                  0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    const std::vector<unsigned char> spki448 = {0x30, 0x43, 0x30, 0x05, 0x06, 0x03,
                                                0x2b, 0x65, 0x71, 0x03, 0x3a, 0x00};
    int refused = 0;
    for (const auto& [crv, points, spki] :
         {std::tuple{"Ed25519", &ed25519, &spki25519}, std::tuple{"Ed448", &ed448, &spki448}}) {
        for (auto point : *points) {
            for (const unsigned sign : {0x00u, 0x80u}) {
                point.back() = static_cast<unsigned char>((point.back() & 0x7fu) | sign);
                const json j = {{"kty", "OKP"},
                                {"crv", crv},
                                {"x", obauth::base64url_encode(obauth::bytes_view(point))}};
                const auto k = jose::jwk_from_json(j);
                ASSERT_FALSE(k) << j.dump();
                EXPECT_EQ(k.code(), errc::invalid_key) << j.dump();
                std::vector<unsigned char> der = *spki;
                der.insert(der.end(), point.begin(), point.end());
                const auto d = jose::import_der(obauth::bytes_view(der));
                ASSERT_FALSE(d) << j.dump();
                ++refused;
            }
        }
    }
    EXPECT_EQ(refused, 24);
    // Ordinary keys still import.
    for (const auto crv : {jose::curve::ed25519, jose::curve::ed448}) {
        const auto k = jose::generate_okp_key(crv).value();
        EXPECT_TRUE(jose::jwk_from_json(k.to_public_json())) << k.to_public_json().dump();
        EXPECT_TRUE(jose::import_der(jose::export_public_der(k).value()));
    }
}

// Encryption keys (RFC 7518 §4.1 names in "alg", "use": "enc") import for
// the jwe module and are never usable for signatures.
// A symmetric JWE key from secret octets (e.g. one derived from a client
// secret): marked for encryption, never a signing key.
TEST(Jwk, MakeEncryptionKey) {
    auto k = jose::make_encryption_key(obauth::secret(obauth::bytes(16, 7)), "A128KW", "k1");
    ASSERT_TRUE(k) << k.error();
    EXPECT_EQ(k->type(), jose::key_type::oct);
    EXPECT_EQ(k->use(), "enc");
    EXPECT_EQ(k->jwe_alg(), "A128KW");
    EXPECT_EQ(k->kid(), "k1");
    EXPECT_FALSE(k->alg());
    EXPECT_FALSE(k->check_usable(jose::algorithm::HS256, jose::key_operation::verify));
    EXPECT_TRUE(jose::make_encryption_key(obauth::secret(obauth::bytes(64, 7)), "A256CBC-HS512"));
    EXPECT_EQ(jose::make_encryption_key(obauth::secret(obauth::bytes(16, 7)), "RS256").error().code,
              jose::errc::unsupported_algorithm);
    EXPECT_EQ(
        jose::make_encryption_key(obauth::secret(obauth::bytes(16, 7)), "ECDH-ES").error().code,
        jose::errc::algorithm_key_mismatch);
    EXPECT_EQ(jose::make_encryption_key(obauth::secret(obauth::bytes(8, 7)), "A128KW").error().code,
              jose::errc::weak_key);
    EXPECT_EQ(jose::make_encryption_key(obauth::secret(obauth::bytes(65, 7)), "dir").error().code,
              jose::errc::weak_key);
}

TEST(Jwk, EncryptionKeys) {
    const auto rsa = jose::generate_key(jose::algorithm::RS256).value();
    json j = rsa.to_public_json();
    for (const char* name : {"RSA-OAEP", "RSA-OAEP-256", "RSA-OAEP-512", "RSA1_5"}) {
        j["alg"] = name;
        const auto k = jose::jwk_from_json(j);
        ASSERT_TRUE(k) << name << ": " << k.error();
        EXPECT_EQ(k->jwe_alg(), std::optional<std::string>(name));
        EXPECT_EQ(k->to_public_json().at("alg"), name);
        EXPECT_EQ(k->check_usable(jose::algorithm::RS256, jose::key_operation::verify).code(),
                  errc::algorithm_key_mismatch);
        EXPECT_FALSE(k->with_alg(jose::algorithm::RS256));
    }
    // The name must fit the key type.
    j["alg"] = "ECDH-ES";
    EXPECT_EQ(jose::jwk_from_json(j).code(), errc::algorithm_key_mismatch);
    j["alg"] = "A128KW";
    EXPECT_EQ(jose::jwk_from_json(j).code(), errc::algorithm_key_mismatch);
    j["alg"] = "RSA-OAEP-1024";
    EXPECT_EQ(jose::jwk_from_json(j).code(), errc::unsupported_algorithm);
    // ECDH-ES on X25519.
    json x = jose::generate_okp_key(jose::curve::x25519).value().to_public_json();
    x["alg"] = "ECDH-ES+A256KW";
    EXPECT_TRUE(jose::jwk_from_json(x));
    x["crv"] = "Ed25519";
    EXPECT_FALSE(jose::jwk_from_json(x));
    // AES keys of 16 and 24 octets: only marked for encryption.
    for (std::size_t n : {16u, 24u}) {
        json k = {{"kty", "oct"},
                  {"k", obauth::base64url_encode(obauth::bytes_view(std::string(n, 'a')))}};
        EXPECT_EQ(jose::jwk_from_json(k).code(), errc::weak_key) << n;
        k["use"] = "enc";
        EXPECT_TRUE(jose::jwk_from_json(k)) << n;
        k.erase("use");
        k["alg"] = n == 16 ? "A128KW" : "A192GCMKW";
        EXPECT_TRUE(jose::jwk_from_json(k)) << n;
        k["alg"] = "HS256";
        EXPECT_EQ(jose::jwk_from_json(k).code(), errc::weak_key) << n;
    }
    const json tiny = {{"kty", "oct"}, {"use", "enc"}, {"k", "AAAAAAAAAAAAAAAAAAAA"}};
    EXPECT_EQ(jose::jwk_from_json(tiny).code(), errc::weak_key);
}

TEST(Jwk, RsaPrivateKeyRoundTrip) {
    const json v = load_json("rfc/rfc7515_A2_rs256.json");
    const auto key = jose::jwk_from_json(v["jwk"], {jose::algorithm::RS256, false, {}, {}});
    ASSERT_TRUE(key) << key.error();
    EXPECT_TRUE(key->has_private());
    const auto exported = key->export_private_json();
    ASSERT_TRUE(exported);
    const auto again = obauth::parse_json(exported->expose_secret_chars()).value();
    for (const char* m : {"n", "e", "d", "p", "q", "dp", "dq", "qi"})
        EXPECT_EQ(again[m], v["jwk"][m]) << m;
    EXPECT_EQ(again["alg"], "RS256");
    // The public JSON never carries private members.
    const json pub = key->to_public_json();
    for (const char* m : {"d", "p", "q", "dp", "dq", "qi"})
        EXPECT_FALSE(pub.contains(m)) << m;
    EXPECT_FALSE(key->public_key().has_private());
    EXPECT_EQ(key->public_key().to_public_json(), pub);
}

TEST(Jwk, EcPrivateKeyRoundTrip) {
    for (const char* file : {"rfc/rfc7515_A3_es256.json", "rfc/rfc7515_A4_es512.json"}) {
        const json v = load_json(file);
        const auto key = jose::jwk_from_json(v["jwk"]);
        ASSERT_TRUE(key) << file << ": " << key.error();
        const auto exported = key->export_private_json();
        ASSERT_TRUE(exported);
        const auto again = obauth::parse_json(exported->expose_secret_chars()).value();
        for (const char* m : {"crv", "x", "y", "d"})
            EXPECT_EQ(again[m], v["jwk"][m]) << file << " " << m;
        EXPECT_EQ(key->public_key().export_private_json().code(), errc::private_key_required);
    }
}

TEST(Jwk, EcPointOffTheCurveIsRejected) {
    json k = ec_public(load_json("rfc/rfc7515_A3_es256.json")["jwk"]);
    std::string y = k["y"];
    y[5] = y[5] == 'A' ? 'B' : 'A';
    k["y"] = y;
    EXPECT_EQ(jose::jwk_from_json(k).code(), errc::invalid_key);
    // Every EC curve: a point moved off the curve, and (P-256) a coordinate
    // equal to the field prime, are refused at import (OpenSSL decodes the
    // point only on its curve; with cofactor 1 nothing more is needed).
    using jose::algorithm;
    for (const auto alg :
         {algorithm::ES256, algorithm::ES384, algorithm::ES512, algorithm::ES256K}) {
        json pub = jose::generate_key(alg).value().to_public_json();
        std::string moved = pub["y"];
        moved[3] = moved[3] == 'A' ? 'B' : 'A';
        pub["y"] = moved;
        EXPECT_EQ(jose::jwk_from_json(pub).code(), errc::invalid_key) << jose::to_string(alg);
    }
    json at_p = jose::generate_key(jose::algorithm::ES256).value().to_public_json();
    const unsigned char p256[32] = {0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0,    0,   0,
                                    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,   0,
                                    0,    0,    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    at_p["x"] = obauth::base64url_encode(obauth::bytes_view(p256, sizeof p256));
    EXPECT_EQ(jose::jwk_from_json(at_p).code(), errc::invalid_key);
}

TEST(Jwk, EcPublicKeysImportedOneAfterAnotherStayTheirOwn) {
    // Public EC keys are copies of one template key per curve with the
    // point replaced (detail/ec_public.hpp): each import holds its own
    // point, an earlier one unchanged by a later one, and exports the
    // coordinates it was given.
    using jose::algorithm;
    for (const auto alg :
         {algorithm::ES256, algorithm::ES384, algorithm::ES512, algorithm::ES256K}) {
        const auto a = jose::generate_key(alg).value(), b = jose::generate_key(alg).value();
        const json a_json = a.to_public_json(), b_json = b.to_public_json();
        const auto a_pub = jose::jwk_from_json(a_json), b_pub = jose::jwk_from_json(b_json);
        ASSERT_TRUE(a_pub && b_pub) << jose::to_string(alg);
        EXPECT_EQ(a_pub->to_public_json(), a_json) << jose::to_string(alg);
        EXPECT_EQ(b_pub->to_public_json(), b_json) << jose::to_string(alg);
        EXPECT_EQ(jose::export_public_der(*a_pub).value(), jose::export_public_der(a).value())
            << jose::to_string(alg);
        const obauth::bytes_view input(std::string_view("signing input"));
        obauth::bytes sig(256);
        const auto n = jose::detail::sign_raw(a.data(), alg, input, sig.data());
        ASSERT_TRUE(n);
        sig.resize(*n);
        EXPECT_TRUE(jose::detail::verify_raw(a_pub->data(), alg, input, sig))
            << jose::to_string(alg);
        EXPECT_FALSE(jose::detail::verify_raw(b_pub->data(), alg, input, sig))
            << jose::to_string(alg);
    }
}

TEST(Jwk, EcCoordinatesMustHaveTheCurveLength) {
    const json base = ec_public(load_json("rfc/rfc7515_A3_es256.json")["jwk"]);
    json k = base;
    k["x"] = obauth::base64url_encode(std::string(31, 'a'));
    EXPECT_EQ(jose::jwk_from_json(k).code(), errc::invalid_key);
    k = base;
    k["crv"] = "P-384"; // 32-octet coordinates claimed as P-384
    EXPECT_EQ(jose::jwk_from_json(k).code(), errc::invalid_key);
    k = base;
    k["crv"] = "P-192";
    EXPECT_EQ(jose::jwk_from_json(k).code(), errc::unsupported_key);
    k = base;
    k["crv"] = "Ed25519"; // an OKP curve on an EC key
    EXPECT_EQ(jose::jwk_from_json(k).code(), errc::unsupported_key);
}

TEST(Jwk, AlgorithmMustFitTheKey) {
    json k = ec_public(load_json("rfc/rfc7515_A3_es256.json")["jwk"]);
    k["alg"] = "ES384";
    EXPECT_EQ(jose::jwk_from_json(k).code(), errc::algorithm_key_mismatch);
    k["alg"] = "RS256";
    EXPECT_EQ(jose::jwk_from_json(k).code(), errc::algorithm_key_mismatch);
    k["alg"] = "HS256";
    EXPECT_EQ(jose::jwk_from_json(k).code(), errc::algorithm_key_mismatch);
    k["alg"] = "none";
    EXPECT_EQ(jose::jwk_from_json(k).code(), errc::unsupported_algorithm);
    k["alg"] = "es256"; // names are case-sensitive
    EXPECT_EQ(jose::jwk_from_json(k).code(), errc::unsupported_algorithm);
    k["alg"] = "ES256";
    EXPECT_TRUE(jose::jwk_from_json(k));
    EXPECT_EQ(jose::jwk_from_json(k, {jose::algorithm::ES384, true, {}, {}}).code(),
              errc::algorithm_key_mismatch);
}

TEST(Jwk, WeakKeysAreRefused) {
    // A 16-octet HMAC key.
    const json short_oct = {{"kty", "oct"}, {"k", obauth::base64url_encode(std::string(16, 'k'))}};
    EXPECT_EQ(jose::jwk_from_json(short_oct).code(), errc::weak_key);
    // 32 octets are enough for HS256 but not for HS512.
    const json oct32 = {{"kty", "oct"}, {"k", obauth::base64url_encode(std::string(32, 'k'))}};
    const auto k32 = jose::jwk_from_json(oct32);
    ASSERT_TRUE(k32);
    EXPECT_TRUE(k32->compatible_with(jose::algorithm::HS256));
    EXPECT_EQ(k32->check_algorithm(jose::algorithm::HS512).code(), errc::weak_key);

    // A 1024-bit RSA key, made with OpenSSL directly.
    EVP_PKEY* raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{1024});
    ASSERT_NE(raw, nullptr);
    BIGNUM *n = nullptr, *e = nullptr;
    ASSERT_EQ(EVP_PKEY_get_bn_param(raw, OSSL_PKEY_PARAM_RSA_N, &n), 1);
    ASSERT_EQ(EVP_PKEY_get_bn_param(raw, OSSL_PKEY_PARAM_RSA_E, &e), 1);
    auto b64 = [](BIGNUM* bn) {
        obauth::bytes b(static_cast<size_t>(BN_num_bytes(bn)));
        BN_bn2bin(bn, b.data());
        return obauth::base64url_encode(b);
    };
    const json rsa1024 = {{"kty", "RSA"}, {"n", b64(n)}, {"e", b64(e)}};
    BN_free(n);
    BN_free(e);
    EVP_PKEY_free(raw);
    EXPECT_EQ(jose::jwk_from_json(rsa1024).code(), errc::weak_key);
    jose::jwk_options lowered;
    lowered.policy.min_rsa_bits = 1024; // lowering alone has no effect
    EXPECT_EQ(jose::jwk_from_json(rsa1024, lowered).code(), errc::weak_key);
    lowered.policy.allow_rsa_below_2048 = true; // the explicit opt-in
    EXPECT_TRUE(jose::jwk_from_json(rsa1024, lowered));
    jose::jwk_options raised;
    raised.policy.min_rsa_bits = 3072;
    EXPECT_EQ(
        jose::jwk_from_json(load_json("rfc/rfc7515_A2_rs256.json")["public_jwk"], raised).code(),
        errc::weak_key);
}

TEST(Jwk, RsaIntegersMustBeMinimal) {
    json k = load_json("rfc/rfc7515_A2_rs256.json")["public_jwk"];
    k["e"] = "AAEAAQ"; // 0x00 0x01 0x00 0x01
    EXPECT_EQ(jose::jwk_from_json(k).code(), errc::invalid_key);
}

TEST(Jwk, PublicOnlyRefusesPrivateMembers) {
    const jose::jwk_options public_only{std::nullopt, true, {}, {}};
    EXPECT_EQ(
        jose::jwk_from_json(load_json("rfc/rfc7515_A2_rs256.json")["jwk"], public_only).code(),
        errc::private_key_refused);
    EXPECT_EQ(
        jose::jwk_from_json(load_json("rfc/rfc7515_A3_es256.json")["jwk"], public_only).code(),
        errc::private_key_refused);
    EXPECT_EQ(
        jose::jwk_from_json(load_json("rfc/rfc7515_A1_hs256.json")["jwk"], public_only).code(),
        errc::private_key_refused);
}

TEST(Jwk, UseAndKeyOps) {
    json k = ec_public(load_json("rfc/rfc7515_A3_es256.json")["jwk"]);
    k["use"] = "enc";
    auto enc = jose::jwk_from_json(k);
    ASSERT_TRUE(enc);
    EXPECT_EQ(enc->check_usable(jose::algorithm::ES256, jose::key_operation::verify).code(),
              errc::key_use_mismatch);
    k["use"] = "sig";
    k["key_ops"] = {"encrypt"};
    EXPECT_EQ(jose::jwk_from_json(k).code(), errc::invalid_key);
    k.erase("use");
    k["key_ops"] = {"verify", "verify"};
    EXPECT_EQ(jose::jwk_from_json(k).code(), errc::invalid_key);
    k["key_ops"] = {"verify"};
    auto verify_only = jose::jwk_from_json(k);
    ASSERT_TRUE(verify_only);
    EXPECT_TRUE(verify_only->check_usable(jose::algorithm::ES256, jose::key_operation::verify));
    k["key_ops"] = {"sign"};
    EXPECT_EQ(jose::jwk_from_json(k)
                  ->check_usable(jose::algorithm::ES256, jose::key_operation::verify)
                  .code(),
              errc::key_use_mismatch);
    k["key_ops"] = "verify";
    EXPECT_EQ(jose::jwk_from_json(k).code(), errc::invalid_key);
}

TEST(Jwk, KidIsALengthLimitedString) {
    json k = ec_public(load_json("rfc/rfc7515_A3_es256.json")["jwk"]);
    k["kid"] = std::string(257, 'a');
    EXPECT_EQ(jose::jwk_from_json(k).code(), errc::invalid_key);
    k["kid"] = 5;
    EXPECT_EQ(jose::jwk_from_json(k).code(), errc::invalid_key);
    k["kid"] = "../../etc/passwd\"; DROP TABLE keys; --";
    const auto ok = jose::jwk_from_json(k);
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->kid(), "../../etc/passwd\"; DROP TABLE keys; --");
}

TEST(Jwk, MalformedDocuments) {
    for (const char* text : {"[]", "{}", R"({"kty":1})", R"({"kty":"RSA"})", R"({"kty":"XYZ"})",
                             R"({"kty":"EC","crv":"P-256","x":"!!","y":"AA"})",
                             R"({"kty":"oct","k":"Zg=="})", R"({"kty":"oct","kty":"oct"})"}) {
        const auto r = jose::parse_jwk(text);
        EXPECT_FALSE(r) << text;
    }
    EXPECT_EQ(jose::parse_jwk(R"({"kty":"XYZ"})").code(), errc::unsupported_key);
    EXPECT_EQ(jose::parse_jwk(R"({"kty":"oct","kty":"oct"})").code(), errc::invalid_key);
}

TEST(Jwk, GenerationForEveryAlgorithm) {
    for (const jose::algorithm a : jose::all_algorithms) {
        const auto key = jose::generate_key(a, "k1");
        ASSERT_TRUE(key) << jose::to_string(a) << ": " << key.error();
        EXPECT_EQ(key->alg(), a);
        EXPECT_TRUE(key->has_private());
        EXPECT_TRUE(key->check_usable(a, jose::key_operation::sign));
        // Private export and re-import give the same key.
        const auto exported = key->export_private_json();
        ASSERT_TRUE(exported);
        const auto again = jose::parse_jwk(exported->expose_secret_chars());
        ASSERT_TRUE(again) << again.error();
        EXPECT_EQ(again->thumbprint().value(), key->thumbprint().value());
    }
    for (const auto crv : {jose::curve::ed448, jose::curve::x25519, jose::curve::x448}) {
        const auto key = jose::generate_okp_key(crv);
        ASSERT_TRUE(key);
        const bool signs = crv == jose::curve::ed448;
        EXPECT_EQ(key->compatible_with(jose::algorithm::EdDSA), signs);
        const auto again = jose::jwk_from_json(key->to_public_json());
        ASSERT_TRUE(again) << again.error();
    }
    EXPECT_EQ(jose::generate_key(jose::algorithm::RS256, {}, 1024).code(), errc::weak_key);
}

TEST(Jwk, MetadataCopies) {
    const auto key = jose::generate_key(jose::algorithm::ES256).value();
    const auto named = key.with_kid("new-kid");
    ASSERT_TRUE(named);
    EXPECT_EQ(named->kid(), "new-kid");
    EXPECT_EQ(named->thumbprint().value(), key.thumbprint().value());
    EXPECT_EQ(key.with_alg(jose::algorithm::ES384).code(), errc::algorithm_key_mismatch);
    EXPECT_FALSE(key.with_kid(std::string(300, 'k')));
}

} // namespace
