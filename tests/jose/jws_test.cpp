#include <obauth/jose/jws.hpp>

#include <obauth/core/base64url.hpp>
#include <obauth/core/json.hpp>
#include <obauth/jose/detail/jws_impl.hpp>
#include <obauth/jose/jws_sign_options.hpp>

#include "support/jose_support.hpp"
#include "support/test_data.hpp"

#include <gtest/gtest.h>

#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace jose = obauth::jose;
using jose::algorithm;
using jose::errc;
using obauth::json;
using obauth::test::load_json;
using obauth::test::str;

using obauth::test::allow;

jose::jwk key_of(const json& jwk, std::optional<algorithm> alg = std::nullopt) {
    auto k = jose::jwk_from_json(jwk, {alg, false, {}, {}});
    EXPECT_TRUE(k) << k.error();
    return std::move(k).value();
}

std::string b64(const std::string& s) {
    return obauth::base64url_encode(s);
}

// Re-signs `header_json` + `payload` with `key` (a well-formed token with the
// header of an attacker's choosing).
std::string forge(const std::string& header_json, const std::string& payload, const jose::jwk& key,
                  algorithm alg) {
    std::string input = b64(header_json) + "." + b64(payload);
    unsigned char sig[jose::detail::max_signature_size];
    const auto n = jose::detail::sign_raw(key.data(), alg, input, sig);
    EXPECT_TRUE(n);
    return input + "." + obauth::base64url_encode(obauth::bytes_view(sig, *n));
}

TEST(Jws, Rfc7515AppendixAVectorsVerify) {
    struct vec {
        const char* file;
        algorithm alg;
    };
    for (const vec v : {vec{"rfc/rfc7515_A1_hs256.json", algorithm::HS256},
                        vec{"rfc/rfc7515_A2_rs256.json", algorithm::RS256},
                        vec{"rfc/rfc7515_A3_es256.json", algorithm::ES256},
                        vec{"rfc/rfc7515_A4_es512.json", algorithm::ES512}}) {
        const json d = load_json(v.file);
        const json& jwk = d.contains("public_jwk") ? d["public_jwk"] : d["jwk"];
        const auto key = key_of(jwk, v.alg);
        const auto r = jose::verify_compact(str(d, "compact"), key, allow({v.alg}));
        ASSERT_TRUE(r) << v.file << ": " << r.error();
        EXPECT_EQ(r->alg(), v.alg);
        EXPECT_EQ(r->payload(), str(d, "payload"));
        // The header is taken as received (CR LF and all), never re-encoded.
        EXPECT_EQ(r->header()["alg"], jose::to_string(v.alg));
    }
}

TEST(Jws, Rfc7515A2AndRfc8037SignaturesAreReproduced) {
    // RSASSA-PKCS1-v1_5 and Ed25519 are deterministic: signing the same input
    // must give the published signature byte for byte.
    const json a2 = load_json("rfc/rfc7515_A2_rs256.json");
    const auto rsa = key_of(a2["jwk"], algorithm::RS256);
    unsigned char sig[jose::detail::max_signature_size];
    auto n = jose::detail::sign_raw(rsa.data(), algorithm::RS256, str(a2, "signing_input"), sig);
    ASSERT_TRUE(n);
    EXPECT_EQ(obauth::base64url_encode(obauth::bytes_view(sig, *n)), str(a2, "signature_b64u"));

    const json ed = load_json("rfc/rfc8037_A_ed25519.json");
    const auto edkey = key_of(ed["A1_private_jwk"]);
    const auto token = jose::sign_compact(std::string("Example of Ed25519 signing"), edkey);
    ASSERT_TRUE(token);
    EXPECT_EQ(*token, str(ed["A4_jws"], "compact"));
    const auto pub = key_of(ed["A2_public_jwk"]);
    EXPECT_TRUE(jose::verify_compact(*token, pub, allow({algorithm::EdDSA})));
}

TEST(Jws, UnsecuredNoneNeverVerifies) {
    const json a5 = load_json("rfc/rfc7515_A5_unsecured_none.json");
    const auto key = jose::generate_key(algorithm::HS256).value();
    const auto r = jose::verify_compact(str(a5, "compact"), key, allow({algorithm::HS256}));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.code(), errc::unsupported_algorithm);
    // Every spelling, with or without a signature, with every algorithm allowed.
    for (const char* alg : {"none", "None", "NONE", "nOnE", "none ", ""}) {
        const std::string header = std::string(R"({"alg":")") + alg + "\"}";
        for (const std::string& sig : {std::string(""), std::string("AAAA")}) {
            const std::string token = b64(header) + "." + b64("{}") + "." + sig;
            EXPECT_EQ(jose::verify_compact(token, key, allow({algorithm::HS256})).code(),
                      errc::unsupported_algorithm)
                << alg;
        }
    }
    EXPECT_EQ(jose::parse_algorithm("none").code(), errc::unsupported_algorithm);
    EXPECT_EQ(jose::parse_algorithm("hs256").code(), errc::unsupported_algorithm);
}

TEST(Jws, RoundTripEveryAlgorithm) {
    for (const algorithm a : jose::all_algorithms) {
        const auto key = jose::generate_key(a, "kid-1").value();
        const auto token = jose::sign_compact(std::string("hello"), key);
        ASSERT_TRUE(token) << jose::to_string(a) << ": " << token.error();
        const auto r = jose::verify_compact(*token, key.public_key(), allow({a}));
        ASSERT_TRUE(r) << jose::to_string(a) << ": " << r.error();
        EXPECT_EQ(r->payload(), "hello");
        EXPECT_EQ(r->kid(), "kid-1");
        // A different key of the same kind does not verify it.
        const auto other = jose::generate_key(a).value();
        EXPECT_EQ(jose::verify_compact(*token, other, allow({a})).code(), errc::invalid_signature)
            << jose::to_string(a);
    }
}

TEST(Jws, AlgorithmPinning) {
    const auto es = jose::generate_key(algorithm::ES256).value();
    const auto token = jose::sign_compact(std::string("x"), es).value();
    EXPECT_EQ(jose::verify_compact(token, es, allow({algorithm::PS256})).code(),
              errc::algorithm_not_allowed);
    EXPECT_EQ(jose::verify_compact(token, es, jose::jws_verify_options{}).code(),
              errc::algorithm_not_allowed);
    EXPECT_EQ(jose::verify_compact(token, es, allow({algorithm::ES256})).code(), std::error_code());
    // Signing with an algorithm the key is not for.
    jose::jws_sign_options o;
    o.alg = algorithm::ES384;
    EXPECT_EQ(jose::sign_compact(std::string("x"), es, o).code(), errc::algorithm_key_mismatch);
    // Public keys cannot sign.
    EXPECT_EQ(jose::sign_compact(std::string("x"), es.public_key()).code(),
              errc::private_key_required);
}

TEST(Jws, AlgorithmConfusionIsImpossible) {
    // The classic attack: an HS256 token whose MAC key is the server's RSA or
    // EC public key (as PEM text or JWK JSON), sent to a verifier that has
    // only that public key and allows both families.
    const json a2 = load_json("rfc/rfc7515_A2_rs256.json");
    const auto rsa_pub = key_of(a2["public_jwk"]);
    const auto ec_pub = key_of(load_json("rfc/rfc7515_A3_es256.json")["public_jwk"]);
    for (const jose::jwk* pub : {&rsa_pub, &ec_pub}) {
        const std::string public_text = pub->to_public_json().dump();
        auto mac_key =
            jose::make_hmac_key(obauth::secret(obauth::bytes_view(public_text)), algorithm::HS256);
        ASSERT_TRUE(mac_key);
        const std::string token =
            forge(R"({"alg":"HS256"})", R"({"sub":"admin"})", *mac_key, algorithm::HS256);
        const auto r = jose::verify_compact(
            token, *pub, allow({algorithm::HS256, algorithm::RS256, algorithm::ES256}));
        ASSERT_FALSE(r);
        EXPECT_EQ(r.code(), errc::algorithm_key_mismatch);
    }
    // And the reverse: an RS256 token against an HMAC key.
    const auto hmac = jose::generate_key(algorithm::HS256).value();
    const auto rsa = key_of(a2["jwk"], algorithm::RS256);
    const std::string token = jose::sign_compact(std::string("x"), rsa).value();
    EXPECT_EQ(jose::verify_compact(token, hmac, allow({algorithm::HS256, algorithm::RS256})).code(),
              errc::algorithm_key_mismatch);
}

TEST(Jws, EcdsaSignatureEncodingIsStrict) {
    const json a3 = load_json("rfc/rfc7515_A3_es256.json");
    const auto key = key_of(a3["public_jwk"]);
    const std::string input = str(a3, "signing_input");
    auto with_sig = [&](const obauth::bytes& sig) {
        return jose::verify_compact(input + "." + obauth::base64url_encode(sig), key,
                                    allow({algorithm::ES256}));
    };
    const obauth::bytes good = obauth::base64url_decode(str(a3, "signature_b64u")).value();
    EXPECT_TRUE(with_sig(good));

    obauth::bytes zero(64, 0);
    EXPECT_EQ(with_sig(zero).code(), errc::malformed_signature); // r = s = 0
    obauth::bytes r_zero = good;
    std::fill(r_zero.begin(), r_zero.begin() + 32, 0);
    EXPECT_EQ(with_sig(r_zero).code(), errc::malformed_signature);
    // r = n and s = n, and r = 0xFF..FF (> n).
    const std::string_view order = jose::detail::ec_group_order("P-256");
    obauth::bytes r_n = good;
    std::copy(order.begin(), order.end(), r_n.begin());
    EXPECT_EQ(with_sig(r_n).code(), errc::malformed_signature);
    obauth::bytes s_n = good;
    std::copy(order.begin(), order.end(), s_n.begin() + 32);
    EXPECT_EQ(with_sig(s_n).code(), errc::malformed_signature);
    obauth::bytes r_big = good;
    std::fill(r_big.begin(), r_big.begin() + 32, 0xFF);
    EXPECT_EQ(with_sig(r_big).code(), errc::malformed_signature);
    // Wrong lengths.
    EXPECT_EQ(with_sig(obauth::bytes(good.begin(), good.end() - 1)).code(),
              errc::malformed_signature);
    obauth::bytes longer = good;
    longer.push_back(0);
    EXPECT_EQ(with_sig(longer).code(), errc::malformed_signature);
    // The same signature DER-encoded (as some libraries emit it).
    unsigned char der[jose::detail::ecdsa_der_max_size(32)];
    const std::size_t der_len = jose::detail::ecdsa_raw_to_der(good.data(), 32, der);
    EXPECT_EQ(with_sig(obauth::bytes(der, der + der_len)).code(), errc::malformed_signature);
    // A flipped bit in a well-formed signature.
    obauth::bytes flipped = good;
    flipped[40] ^= 1;
    EXPECT_EQ(with_sig(flipped).code(), errc::invalid_signature);
}

TEST(Jws, EcGroupOrdersMatchOpenSsl) {
    for (const auto& [crv, nid] :
         {std::pair{"P-256", NID_X9_62_prime256v1}, std::pair{"P-384", NID_secp384r1},
          std::pair{"P-521", NID_secp521r1}, std::pair{"secp256k1", NID_secp256k1}}) {
        EC_GROUP* g = EC_GROUP_new_by_curve_name(nid);
        ASSERT_NE(g, nullptr);
        const std::string_view order = jose::detail::ec_group_order(crv);
        obauth::bytes expected(order.size());
        ASSERT_GT(BN_bn2binpad(EC_GROUP_get0_order(g), expected.data(),
                               static_cast<int>(expected.size())),
                  0);
        EC_GROUP_free(g);
        EXPECT_EQ(obauth::bytes(order.begin(), order.end()), expected) << crv;
    }
}

TEST(Jws, NonCanonicalBase64IsRejected) {
    const json a1 = load_json("rfc/rfc7515_A1_hs256.json");
    const auto key = key_of(a1["jwk"], algorithm::HS256);
    const std::string token = str(a1, "compact");
    EXPECT_TRUE(jose::verify_compact(token, key, allow({algorithm::HS256})));
    for (const std::string& bad : {token + "=", token + " ", " " + token, token + "\n",
                                   token.substr(0, token.size() - 1) + "l", // trailing bits
                                   token + "A"}) {
        EXPECT_FALSE(jose::verify_compact(bad, key, allow({algorithm::HS256}))) << bad;
    }
    std::string plus = token;
    plus[plus.rfind('.') + 3] = '+';
    EXPECT_EQ(jose::verify_compact(plus, key, allow({algorithm::HS256})).code(),
              errc::malformed_signature);
}

TEST(Jws, MalformedStructure) {
    const auto key = jose::generate_key(algorithm::HS256).value();
    const auto opts = allow({algorithm::HS256});
    for (const std::string& t :
         {std::string(""), std::string("."), std::string(".."), std::string("..."),
          std::string("a.b"), std::string("a.b.c.d"), b64("{}") + "." + b64("x") + ".AAAA"}) {
        EXPECT_FALSE(jose::verify_compact(t, key, opts)) << t;
    }
    EXPECT_EQ(jose::verify_compact("a.b.c.d", key, opts).code(), errc::malformed);
    // Header that is not an object, duplicate members, deep nesting, huge input.
    for (const std::string& h : {std::string("[]"), std::string("\"HS256\""),
                                 std::string(R"({"alg":"HS256","alg":"HS256"})"),
                                 std::string(R"({"alg":"HS256","x":)") + std::string(5000, '[') +
                                     std::string(5000, ']') + "}"}) {
        const std::string t = forge(h, "{}", key, algorithm::HS256);
        EXPECT_EQ(jose::verify_compact(t, key, opts).code(), errc::invalid_header)
            << h.substr(0, 40);
    }
    std::string huge(300 * 1024, 'A');
    EXPECT_EQ(jose::verify_compact(huge + ".A.A", key, opts).code(), errc::too_large);
    // alg of the wrong type.
    EXPECT_EQ(jose::verify_compact(forge(R"({"alg":256})", "{}", key, algorithm::HS256), key, opts)
                  .code(),
              errc::invalid_header);
    // kid of the wrong type or absurd length.
    EXPECT_EQ(jose::verify_compact(forge(R"({"alg":"HS256","kid":1})", "{}", key, algorithm::HS256),
                                   key, opts)
                  .code(),
              errc::invalid_header);
}

TEST(Jws, CritHandling) {
    const auto key = jose::generate_key(algorithm::HS256).value();
    auto opts = allow({algorithm::HS256});
    opts.critical = {"http://openbanking.org.uk/iat"};
    struct c {
        const char* header;
        errc expected;
    };
    for (
        const c& t : {
            c{R"({"alg":"HS256","crit":[]})", errc::invalid_crit},
            c{R"({"alg":"HS256","crit":"exp"})", errc::invalid_crit},
            c{R"({"alg":"HS256","crit":[1]})", errc::invalid_crit},
            c{R"({"alg":"HS256","crit":["alg"]})", errc::invalid_crit},
            c{R"({"alg":"HS256","crit":["kid"],"kid":"a"})", errc::invalid_crit},
            c{R"({"alg":"HS256","crit":["exp"]})", errc::invalid_crit},
            c{R"({"alg":"HS256","crit":["exp"],"exp":1})", errc::unsupported_critical},
            c{R"({"alg":"HS256","crit":["http://openbanking.org.uk/iat","http://openbanking.org.uk/iat"],"http://openbanking.org.uk/iat":1})",
              errc::invalid_crit},
        }) {
        EXPECT_EQ(
            jose::verify_compact(forge(t.header, "x", key, algorithm::HS256), key, opts).code(),
            t.expected)
            << t.header;
    }
    // An extension the caller understands.
    const auto ok = jose::verify_compact(
        forge(
            R"({"alg":"HS256","crit":["http://openbanking.org.uk/iat"],"http://openbanking.org.uk/iat":1700000000})",
            "x", key, algorithm::HS256),
        key, opts);
    ASSERT_TRUE(ok) << ok.error();
    EXPECT_EQ(ok->header()["http://openbanking.org.uk/iat"], 1700000000);
    // Signing with an extension.
    jose::jws_sign_options so;
    so.extra_header = {{"http://openbanking.org.uk/iat", 1700000000}};
    so.critical = {"http://openbanking.org.uk/iat"};
    const auto signed_token = jose::sign_compact(std::string("x"), key, so);
    ASSERT_TRUE(signed_token);
    EXPECT_TRUE(jose::verify_compact(*signed_token, key, opts));
    EXPECT_EQ(jose::verify_compact(*signed_token, key, allow({algorithm::HS256})).code(),
              errc::unsupported_critical);
    so.critical = {"kid"};
    EXPECT_EQ(jose::sign_compact(std::string("x"), key, so).code(), errc::invalid_crit);
    so.critical = {"absent"};
    EXPECT_EQ(jose::sign_compact(std::string("x"), key, so).code(), errc::invalid_crit);
}

TEST(Jws, UnencodedPayloadRfc7797) {
    const json v = load_json("rfc/rfc7797_4_unencoded_payload.json");
    const auto key = key_of(v["jwk"], algorithm::HS256);
    const auto opts = allow({algorithm::HS256});
    const json& b64f = v["section_4_2_b64_false"];
    const auto r = jose::verify_compact_detached(str(b64f, "compact_detached"), std::string("$.02"),
                                                 key, opts);
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->payload(), "$.02");
    // The control case with b64 true.
    const json& control = v["section_4_1_control_b64_true"];
    EXPECT_TRUE(jose::verify_compact(str(control, "compact"), key, opts));
    // Our signer produces the RFC's token.
    jose::jws_sign_options so;
    so.b64 = false;
    so.detached = true;
    EXPECT_EQ(jose::sign_compact(std::string("$.02"), key, so).value(),
              str(b64f, "compact_detached"));
    // An unencoded payload with '.' cannot be attached.
    so.detached = false;
    EXPECT_EQ(jose::sign_compact(std::string("$.02"), key, so).code(), errc::invalid_b64);
    const auto attached = jose::sign_compact(std::string("$02"), key, so);
    ASSERT_TRUE(attached);
    EXPECT_EQ(jose::verify_compact(*attached, key, opts)->payload(), "$02");
    // Wrong payload.
    EXPECT_EQ(
        jose::verify_compact_detached(str(b64f, "compact_detached"), std::string("$.03"), key, opts)
            .code(),
        errc::invalid_signature);
}

TEST(Jws, B64Misuse) {
    const auto key = jose::generate_key(algorithm::HS256).value();
    const auto opts = allow({algorithm::HS256});
    for (const char* h :
         {R"({"alg":"HS256","b64":false})", R"({"alg":"HS256","b64":"false","crit":["b64"]})",
          R"({"alg":"HS256","b64":0,"crit":["b64"]})"}) {
        EXPECT_EQ(jose::verify_compact(forge(h, "x", key, algorithm::HS256), key, opts).code(),
                  errc::invalid_b64)
            << h;
    }
    jose::jws_sign_options so;
    so.extra_header = {{"b64", false}};
    EXPECT_EQ(jose::sign_compact(std::string("x"), key, so).code(), errc::invalid_header);
}

TEST(Jws, DetachedContent) {
    const auto key = jose::generate_key(algorithm::ES256).value();
    jose::jws_sign_options so;
    so.detached = true;
    const std::string body = R"({"Data":{"Amount":"10.00"}})";
    const auto token = jose::sign_compact(body, key, so);
    ASSERT_TRUE(token);
    EXPECT_NE(token->find(".."), std::string::npos);
    const auto opts = allow({algorithm::ES256});
    EXPECT_TRUE(jose::verify_compact_detached(*token, body, key, opts));
    EXPECT_EQ(jose::verify_compact_detached(*token, body + " ", key, opts).code(),
              errc::invalid_signature);
    // A token with an attached payload is not a detached one.
    const auto attached = jose::sign_compact(body, key).value();
    EXPECT_EQ(jose::verify_compact_detached(attached, body, key, opts).code(), errc::malformed);
}

TEST(Jws, OneKeyFromManyThreads) {
    // Keys are immutable and each thread keeps its own OpenSSL contexts:
    // concurrent signing and verifying with one key must simply work.
    for (const algorithm a :
         {algorithm::ES256, algorithm::HS256, algorithm::EdDSA, algorithm::PS256}) {
        const auto key = jose::generate_key(a).value();
        const auto pub = key.public_key();
        std::atomic<int> failures{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                for (int i = 0; i < 50; ++i) {
                    const std::string payload =
                        "thread " + std::to_string(t) + " #" + std::to_string(i);
                    const auto token = jose::sign_compact(payload, key);
                    const auto r = token ? jose::verify_compact(*token, pub, allow({a}))
                                         : obauth::result<jose::verified_jws>(token.error());
                    if (!r || r->payload() != payload)
                        ++failures;
                }
            });
        for (auto& th : threads)
            th.join();
        EXPECT_EQ(failures.load(), 0) << jose::to_string(a);
    }
}

TEST(Jws, ManyKeysCycleThroughTheContextCache) {
    // More keys than a thread's context cache holds, used round-robin.
    std::vector<jose::jwk> keys;
    for (int i = 0; i < 40; ++i)
        keys.push_back(jose::generate_key(i % 2 ? algorithm::ES256 : algorithm::HS256).value());
    for (int round = 0; round < 3; ++round)
        for (const auto& k : keys) {
            const auto a = *k.alg();
            const auto token = jose::sign_compact(std::string("x"), k).value();
            EXPECT_TRUE(jose::verify_compact(token, k, allow({a})));
        }
}

TEST(Jws, HeaderKeysAreNeverTrusted) {
    // A token carrying its own key in "jwk" still needs the verifier's key.
    const auto attacker = jose::generate_key(algorithm::ES256).value();
    const auto victim = jose::generate_key(algorithm::ES256).value();
    jose::jws_sign_options so;
    so.extra_header = {{"jwk", attacker.to_public_json()},
                       {"jku", "https://evil.example/jwks"},
                       {"x5u", "https://evil.example/cert"}};
    const auto token = jose::sign_compact(std::string("x"), attacker, so).value();
    EXPECT_EQ(jose::verify_compact(token, victim, allow({algorithm::ES256})).code(),
              errc::invalid_signature);
}

} // namespace
