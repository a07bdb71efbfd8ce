// Wycheproof (C2SP) vectors for every JWS primitive and for JWS/JWK as a
// whole. Primitive files go through the same sign/verify functions the JWS
// layer uses, with keys imported through the public JWK path. Every `valid`
// case must verify and every `invalid` case must fail, except where obauth's
// documented policy is stricter; those cases are listed with their reason,
// and the lists are checked to be exact (a listed case that starts to agree
// with Wycheproof fails the test too).
#include <obauth/jose/jws_json.hpp>

#include "support/test_data.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

namespace {

namespace jose = obauth::jose;
using jose::algorithm;
using obauth::json;
using obauth::test::load_json;
using obauth::test::str;

obauth::bytes hex(const std::string& h) {
    obauth::bytes out(h.size() / 2);
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = static_cast<unsigned char>(std::stoi(h.substr(2 * i, 2), nullptr, 16));
    return out;
}

bool has_flag(const json& test, const char* flag) {
    for (const auto& f : test["flags"])
        if (f == flag)
            return true;
    return false;
}

struct tally {
    int valid_ok = 0, invalid_rejected = 0, policy_rejected = 0;
};

// Checks one primitive verification against Wycheproof's verdict. Valid
// cases that policy refuses must carry one of `policy_flags`.
void expect_verdict(const json& t, bool verified, const std::string& file, tally& n,
                    std::initializer_list<const char*> policy_flags = {}) {
    const std::string result = t["result"];
    const std::string id = file + " tcId " + std::to_string(t["tcId"].get<int>());
    if (result == "valid") {
        if (verified) {
            ++n.valid_ok;
            return;
        }
        bool excused = false;
        for (const char* f : policy_flags)
            excused = excused || has_flag(t, f);
        EXPECT_TRUE(excused) << id << " (" << str(t, "comment") << ") valid but rejected";
        ++n.policy_rejected;
    } else {
        // invalid, and acceptable (obauth's policy rejects those: see each file).
        EXPECT_FALSE(verified) << id << " (" << str(t, "comment") << ") " << result
                               << " but accepted";
        ++n.invalid_rejected;
    }
}

bool verify(const jose::jwk& key, algorithm alg, const obauth::bytes& msg,
            const obauth::bytes& sig) {
    return jose::detail::verify_raw(key.data(), alg, msg, sig).has_value();
}

json ec_jwk_from_uncompressed(const json& pk, const char* crv) {
    const obauth::bytes point = hex(pk["uncompressed"]);
    const std::size_t n = (point.size() - 1) / 2;
    return {{"kty", "EC"},
            {"crv", crv},
            {"x", obauth::base64url_encode(
                      obauth::bytes(point.begin() + 1, point.begin() + 1 + static_cast<long>(n)))},
            {"y", obauth::base64url_encode(
                      obauth::bytes(point.begin() + 1 + static_cast<long>(n), point.end()))}};
}

TEST(Wycheproof, EcdsaP1363) {
    struct f {
        const char* file;
        const char* crv;
        algorithm alg;
    };
    for (const f file : {f{"ecdsa_secp256r1_sha256_p1363_test.json", "P-256", algorithm::ES256},
                         f{"ecdsa_secp384r1_sha384_p1363_test.json", "P-384", algorithm::ES384},
                         f{"ecdsa_secp521r1_sha512_p1363_test.json", "P-521", algorithm::ES512}}) {
        const json v = load_json(std::string("wycheproof/") + file.file);
        ASSERT_TRUE(v.contains("testGroups")) << file.file;
        tally n;
        for (const auto& g : v["testGroups"]) {
            const json jwk = g.contains("publicKeyJwk")
                                 ? g["publicKeyJwk"]
                                 : ec_jwk_from_uncompressed(g["publicKey"], file.crv);
            const auto key = jose::jwk_from_json(jwk, {std::nullopt, true, {}, {}});
            ASSERT_TRUE(key) << file.file << ": " << key.error();
            for (const auto& t : g["tests"])
                expect_verdict(t, verify(*key, file.alg, hex(t["msg"]), hex(t["sig"])), file.file,
                               n);
        }
        EXPECT_GT(n.valid_ok, 150) << file.file;
        EXPECT_EQ(n.policy_rejected, 0);
    }
}

TEST(Wycheproof, EcdsaDerIsNeverAJwsSignature) {
    // DER signatures are not JWS signatures: none verifies as one. The
    // valid ones, converted to R||S by obauth's converter, do verify, and
    // malformed DER is refused by the converter or fails verification.
    struct f {
        const char* file;
        const char* crv;
        algorithm alg;
        std::size_t n;
    };
    for (const f file : {f{"ecdsa_secp256r1_sha256_test.json", "P-256", algorithm::ES256, 32},
                         f{"ecdsa_secp384r1_sha384_test.json", "P-384", algorithm::ES384, 48},
                         f{"ecdsa_secp521r1_sha512_test.json", "P-521", algorithm::ES512, 66}}) {
        const json v = load_json(std::string("wycheproof/") + file.file);
        int converted = 0;
        for (const auto& g : v["testGroups"]) {
            const auto key =
                jose::jwk_from_json(ec_jwk_from_uncompressed(g["publicKey"], file.crv));
            ASSERT_TRUE(key);
            for (const auto& t : g["tests"]) {
                const auto msg = hex(t["msg"]);
                const auto der = hex(t["sig"]);
                const std::string id =
                    std::string(file.file) + " tcId " + std::to_string(t["tcId"].get<int>());
                EXPECT_FALSE(verify(*key, file.alg, msg, der)) << id;
                obauth::bytes raw(2 * file.n);
                const bool ok =
                    jose::detail::ecdsa_der_to_raw(der.data(), der.size(), file.n, raw.data());
                const bool verified = ok && verify(*key, file.alg, msg, raw);
                if (t["result"] == "valid") {
                    EXPECT_TRUE(verified) << id;
                    ++converted;
                } else {
                    EXPECT_FALSE(verified) << id << " " << str(t, "comment");
                }
            }
        }
        EXPECT_GT(converted, 150);
    }
}

TEST(Wycheproof, RsaPkcs1Verify) {
    // Policy: keys with e < 65537 (flag SmallPublicKey) are refused at
    // import by OpenSSL's SP 800-56B public key check; the `acceptable`
    // MissingNull encoding (DigestInfo without NULL) is rejected.
    for (const char* bits : {"2048", "3072", "4096"}) {
        for (const char* sha : {"256", "384", "512"}) {
            const std::string file =
                std::string("rsa_signature_") + bits + "_sha" + sha + "_test.json";
            const json v = load_json("wycheproof/" + file);
            ASSERT_TRUE(v.contains("testGroups")) << file;
            const algorithm alg = jose::parse_algorithm(std::string("RS") + sha).value();
            tally n;
            for (const auto& g : v["testGroups"]) {
                const auto key = jose::jwk_from_json(g["keyJwk"], {std::nullopt, true, {}, {}});
                if (!key) {
                    for (const auto& t : g["tests"])
                        EXPECT_TRUE(has_flag(t, "SmallPublicKey") || t["result"] != "valid")
                            << file << " key refused: " << key.error();
                    continue;
                }
                for (const auto& t : g["tests"])
                    expect_verdict(t, verify(*key, alg, hex(t["msg"]), hex(t["sig"])), file, n);
            }
            EXPECT_GE(n.valid_ok, 5) << file;
            EXPECT_GT(n.invalid_rejected, 200) << file;
        }
    }
}

TEST(Wycheproof, RsaPkcs1SigningKnownAnswers) {
    for (const char* file : {"rsa_pkcs1_2048_sig_gen_test.json", "rsa_pkcs1_3072_sig_gen_test.json",
                             "rsa_pkcs1_4096_sig_gen_test.json"}) {
        const json v = load_json(std::string("wycheproof/") + file);
        int matched = 0;
        for (const auto& g : v["testGroups"]) {
            const std::string sha = str(g, "sha");
            if (!g.contains("privateKeyJwk") ||
                (sha != "SHA-256" && sha != "SHA-384" && sha != "SHA-512"))
                continue; // SHA-1 and SHA-224 are not JOSE algorithms
            const algorithm alg = jose::parse_algorithm("RS" + sha.substr(4)).value();
            const auto key = jose::jwk_from_json(g["privateKeyJwk"], {alg, false, {}, {}});
            if (!key) {
                for (const auto& t : g["tests"])
                    EXPECT_NE(t["result"], "valid") << file << ": " << key.error();
                continue;
            }
            for (const auto& t : g["tests"]) {
                if (t["result"] != "valid")
                    continue;
                unsigned char sig[jose::detail::max_signature_size];
                const auto msg = hex(t["msg"]);
                const auto len = jose::detail::sign_raw(key->data(), alg, msg, sig);
                ASSERT_TRUE(len);
                EXPECT_EQ(obauth::bytes(sig, sig + *len), hex(t["sig"]))
                    << file << " tcId " << t["tcId"].get<int>();
                ++matched;
            }
        }
        EXPECT_GT(matched, 10) << file;
    }
}

TEST(Wycheproof, RsaPss) {
    struct f {
        const char* file;
        algorithm alg;
    };
    for (const f file : {f{"rsa_pss_2048_sha256_mgf1_32_test.json", algorithm::PS256},
                         f{"rsa_pss_3072_sha256_mgf1_32_test.json", algorithm::PS256},
                         f{"rsa_pss_4096_sha256_mgf1_32_test.json", algorithm::PS256},
                         f{"rsa_pss_2048_sha384_mgf1_48_test.json", algorithm::PS384},
                         f{"rsa_pss_4096_sha384_mgf1_48_test.json", algorithm::PS384},
                         f{"rsa_pss_4096_sha512_mgf1_64_test.json", algorithm::PS512}}) {
        const json v = load_json(std::string("wycheproof/") + file.file);
        ASSERT_TRUE(v.contains("testGroups")) << file.file;
        tally n;
        for (const auto& g : v["testGroups"]) {
            const auto key = jose::jwk_from_json(g["publicKeyJwk"], {std::nullopt, true, {}, {}});
            ASSERT_TRUE(key) << file.file << ": " << key.error();
            for (const auto& t : g["tests"])
                expect_verdict(t, verify(*key, file.alg, hex(t["msg"]), hex(t["sig"])), file.file,
                               n);
        }
        EXPECT_GT(n.valid_ok, 30) << file.file;
    }
}

TEST(Wycheproof, EdDsa) {
    for (const char* file : {"ed25519_test.json", "ed448_test.json"}) {
        const json v = load_json(std::string("wycheproof/") + file);
        ASSERT_TRUE(v.contains("testGroups")) << file;
        tally n;
        for (const auto& g : v["testGroups"]) {
            const auto key = jose::jwk_from_json(g["publicKeyJwk"], {std::nullopt, true, {}, {}});
            ASSERT_TRUE(key) << file << ": " << key.error();
            for (const auto& t : g["tests"])
                expect_verdict(t, verify(*key, algorithm::EdDSA, hex(t["msg"]), hex(t["sig"])),
                               file, n);
        }
        EXPECT_GT(n.valid_ok, 15) << file;
    }
}

TEST(Wycheproof, Hmac) {
    // Policy (RFC 7518 §3.2): keys shorter than the hash output are refused,
    // and a truncated tag is the wrong length for the algorithm.
    struct f {
        const char* file;
        algorithm alg;
        int bits;
    };
    for (const f file : {f{"hmac_sha256_test.json", algorithm::HS256, 256},
                         f{"hmac_sha384_test.json", algorithm::HS384, 384},
                         f{"hmac_sha512_test.json", algorithm::HS512, 512}}) {
        const json v = load_json(std::string("wycheproof/") + file.file);
        ASSERT_TRUE(v.contains("testGroups")) << file.file;
        int verified = 0, refused_keys = 0, truncated = 0;
        for (const auto& g : v["testGroups"]) {
            const int key_bits = g["keySize"];
            const int tag_bits = g["tagSize"];
            for (const auto& t : g["tests"]) {
                auto key = jose::make_hmac_key(obauth::secret(obauth::bytes_view(hex(t["key"]))),
                                               file.alg);
                const std::string id =
                    std::string(file.file) + " tcId " + std::to_string(t["tcId"].get<int>());
                if (key_bits < file.bits) {
                    EXPECT_EQ(key.code(), jose::errc::weak_key) << id;
                    ++refused_keys;
                    continue;
                }
                ASSERT_TRUE(key) << id;
                const bool ok = verify(*key, file.alg, hex(t["msg"]), hex(t["tag"]));
                if (tag_bits != file.bits) {
                    EXPECT_FALSE(ok) << id;
                    ++truncated;
                } else if (t["result"] == "valid") {
                    EXPECT_TRUE(ok) << id;
                    ++verified;
                } else {
                    EXPECT_FALSE(ok) << id;
                }
            }
        }
        EXPECT_GT(verified, 20) << file.file;
        EXPECT_GT(refused_keys, 0);
        EXPECT_GT(truncated, 0);
    }
}

// --- JWS and JWK as a whole ---------------------------------------------

struct key_material {
    std::optional<jose::jwk> key;
    std::optional<jose::jwks> set;
};

key_material load_keys(const json& g) {
    key_material m;
    const json& k = g.contains("public") ? g["public"] : g["private"];
    jose::jwks_options so;
    so.key.public_only = false;
    if (k.contains("keys")) {
        if (auto s = jose::jwks_from_json(k, so))
            m.set = std::move(*s);
    } else if (auto one = jose::jwk_from_json(k)) {
        m.key = std::move(*one);
    }
    return m;
}

// Runs a json_web_* file; returns the tcIds where obauth disagrees.
std::set<int> disagreements(const char* file) {
    const json v = load_json(std::string("wycheproof/") + file);
    std::set<int> out;
    jose::jws_verify_options opts;
    opts.algorithms = jose::algorithm_set::all();
    for (const auto& g : v["testGroups"]) {
        const key_material m = load_keys(g);
        for (const auto& t : g["tests"]) {
            if (!t.contains("jws"))
                continue; // JWE cases
            // These files target a compact verifier (a JSON-serialized case
            // expects exactly that verifier to refuse it).
            const std::string jws =
                t["jws"].is_object() ? t["jws"].dump() : t["jws"].get<std::string>();
            bool ok = false;
            if (m.key)
                ok = jose::verify_compact(jws, *m.key, opts).has_value();
            else if (m.set)
                ok = jose::verify_compact(jws, *m.set, opts).has_value();
            const bool expected = t["result"] == "valid";
            if (ok != expected)
                out.insert(t["tcId"].get<int>());
        }
    }
    return out;
}

TEST(Wycheproof, JsonWebSignature) {
    // Where obauth and Wycheproof differ, and why:
    // 346, 350: the key says "alg":"PS256", the token "PS384". obauth binds a
    //           key to its "alg" (RFC 7517 §4.4), so the token is refused.
    // 347, 351: the key says "alg":"ES521", not a registered algorithm: the
    //           key itself is refused at import.
    // 367, 370: labelled "invalidBase64Padding" but the token is canonical
    //           base64url (VGVzdA) and its MAC verifies over the exact bytes:
    //           the padding the label speaks of is not in the data.
    // 372, 373: labelled valid, yet a '?' is inserted into the header or the
    //           payload after signing; the MAC over the received bytes does
    //           not match (RFC 7515 §5.2), so obauth refuses them.
    const std::set<int> expected = {346, 347, 350, 351, 367, 370, 372, 373};
    EXPECT_EQ(disagreements("json_web_signature_test.json"), expected);
}

TEST(Wycheproof, JsonWebKey) {
    const std::set<int> expected = {};
    EXPECT_EQ(disagreements("json_web_key_test.json"), expected);
}

TEST(Wycheproof, JsonWebCrypto) {
    const std::set<int> expected = {};
    EXPECT_EQ(disagreements("json_web_crypto_test.json"), expected);
    // tcId 17 is a valid JSON serialization that the compact verifier
    // refuses; obauth's JSON verifier accepts it (the unknown unprotected
    // member is ignored, RFC 7515 §4).
    const json v = load_json("wycheproof/json_web_crypto_test.json");
    for (const auto& g : v["testGroups"])
        for (const auto& t : g["tests"])
            if (t["tcId"] == 17) {
                const auto key = jose::jwk_from_json(g["private"]);
                ASSERT_TRUE(key);
                jose::jws_verify_options opts;
                opts.algorithms = jose::algorithm_set{algorithm::HS256};
                EXPECT_TRUE(jose::verify_json(t["jws"].dump(), *key, opts));
            }
}

} // namespace
