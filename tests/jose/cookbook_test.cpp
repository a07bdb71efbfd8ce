// RFC 7520 (JOSE cookbook) JWS and JWK examples: every output form of every
// example verifies, the deterministic ones re-sign byte for byte, and the
// examples that put "alg" only in the unprotected header are refused by
// obauth's policy (alg must be integrity-protected).
#include <obauth/jose/jws_json.hpp>

#include "support/test_data.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

namespace jose = obauth::jose;
using obauth::json;
using obauth::test::load_json;
using obauth::test::str;

jose::jws_verify_options allow_all() {
    jose::jws_verify_options o;
    o.algorithms = jose::algorithm_set::all();
    return o;
}

// Verifies every output form of one cookbook file; returns how many passed.
int verify_outputs(const json& v, const jose::jwk& key, bool detached) {
    const std::string payload = str(v["input"], "payload");
    const json& out = v["output"];
    int ok = 0;
    if (out.contains("compact")) {
        const std::string c = out["compact"];
        const auto r = detached ? jose::verify_compact_detached(c, payload, key, allow_all())
                                : jose::verify_compact(c, key, allow_all());
        EXPECT_TRUE(r) << str(v, "title") << " compact: " << r.error();
        if (r) {
            EXPECT_EQ(r->payload(), payload);
            ++ok;
        }
    }
    for (const char* form : {"json", "json_flat"}) {
        if (!out.contains(form))
            continue;
        const std::string text = out[form].dump();
        const auto r = detached ? jose::verify_json_detached(text, payload, key, allow_all())
                                : jose::verify_json(text, key, allow_all());
        EXPECT_TRUE(r) << str(v, "title") << " " << form << ": " << r.error();
        if (r) {
            EXPECT_EQ(r->payload(), payload);
            ++ok;
        }
    }
    return ok;
}

TEST(Cookbook, JwkExamples) {
    for (const char* f : {"jwk/3_1.ec_public_key.json", "jwk/3_2.ec_private_key.json",
                          "jwk/3_3.rsa_public_key.json", "jwk/3_4.rsa_private_key.json",
                          "jwk/3_5.symmetric_key_mac_computation.json"}) {
        const json j = load_json(std::string("jose-cookbook/") + f);
        const auto k = jose::jwk_from_json(j);
        ASSERT_TRUE(k) << f << ": " << k.error();
        EXPECT_EQ(k->kid(), str(j, "kid"));
        EXPECT_EQ(k->use(), std::optional<std::string>("sig"));
    }
    // 3.6 is an AES-GCM encryption key ("alg":"A256GCM","use":"enc"): it
    // imports as an encryption key (for the jwe module), and no signature
    // algorithm may use it.
    const json enc = load_json("jose-cookbook/jwk/3_6.symmetric_key_encryption.json");
    const auto k = jose::jwk_from_json(enc);
    ASSERT_TRUE(k) << k.error();
    EXPECT_EQ(k->jwe_alg(), std::optional<std::string>("A256GCM"));
    EXPECT_FALSE(k->alg());
    for (const auto a : {jose::algorithm::HS256, jose::algorithm::HS512})
        EXPECT_EQ(k->check_usable(a, jose::key_operation::verify).code(),
                  jose::errc::algorithm_key_mismatch);
    EXPECT_EQ(k->to_public_json().count("k"), 0u);
}

TEST(Cookbook, SingleSignatureExamples) {
    struct example {
        const char* file;
        bool detached;
        bool reproducible;
    };
    for (const example e : {example{"jws/4_1.rsa_v15_signature.json", false, true},
                            example{"jws/4_2.rsa-pss_signature.json", false, false},
                            example{"jws/4_3.ecdsa_signature.json", false, false},
                            example{"jws/4_4.hmac-sha2_integrity_protection.json", false, true},
                            example{"jws/4_5.signature_with_detached_content.json", true, true},
                            example{"jws/4_6.protecting_specific_header_fields.json", false, true},
                            example{"rfc7797/hmac-sha2_b64_false.json", false, true},
                            example{"curve25519/jws.json", false, true}}) {
        const json v = load_json(std::string("jose-cookbook/") + e.file);
        ASSERT_TRUE(v.is_object()) << e.file;
        const auto alg = jose::parse_algorithm(str(v["input"], "alg"));
        ASSERT_TRUE(alg) << e.file;
        const auto key = jose::jwk_from_json(v["input"]["key"], {*alg, false, {}, {}});
        ASSERT_TRUE(key) << e.file << ": " << key.error();
        const json& prot = v["signing"]["protected"];
        const bool b64 = !(prot.contains("b64") && prot["b64"] == false);
        EXPECT_GE(verify_outputs(v, *key, e.detached), 1) << e.file;

        if (!e.reproducible || !v["output"].contains("compact"))
            continue;
        // Re-sign with the compact form's own protected header: RSASSA-PKCS1-v1_5,
        // HMAC and EdDSA are deterministic, so the signature must match.
        const std::string compact = v["output"]["compact"];
        const std::string header_b64 = compact.substr(0, compact.find('.'));
        const std::string payload = str(v["input"], "payload");
        const std::string input =
            header_b64 + "." + (b64 ? obauth::base64url_encode(payload) : payload);
        unsigned char sig[jose::detail::max_signature_size];
        const auto n = jose::detail::sign_raw(key->data(), *alg, input, sig);
        ASSERT_TRUE(n);
        EXPECT_EQ(obauth::base64url_encode(obauth::bytes_view(sig, *n)),
                  compact.substr(compact.rfind('.') + 1))
            << e.file;
    }
}

TEST(Cookbook, DraftB64WithoutCritIsRefused) {
    // This example predates RFC 7797's final text: its header has
    // "b64":false but no "crit":["b64"], which RFC 7797 §6 requires.
    const json v = load_json("jose-cookbook/rfc7797/4.2.hmac-sha2_b64_false.json");
    const auto key = jose::jwk_from_json(v["input"]["key"]);
    ASSERT_TRUE(key);
    for (const char* form : {"json", "json_flat"})
        EXPECT_EQ(jose::verify_json(v["output"][form].dump(), *key, allow_all()).code(),
                  jose::errc::invalid_b64)
            << form;
}

TEST(Cookbook, UnprotectedAlgIsRefusedByPolicy) {
    // 4.7 "protecting content only" carries alg only in the unprotected
    // header. RFC 7515 allows that; obauth does not (nothing trusted from an
    // unprotected header), so both JSON forms are refused.
    const json v = load_json("jose-cookbook/jws/4_7.protecting_content_only.json");
    const auto key =
        jose::jwk_from_json(v["input"]["key"], {jose::algorithm::HS256, false, {}, {}});
    ASSERT_TRUE(key);
    for (const char* form : {"json", "json_flat"}) {
        ASSERT_TRUE(v["output"].contains(form));
        EXPECT_FALSE(jose::verify_json(v["output"][form].dump(), *key, allow_all())) << form;
    }
}

TEST(Cookbook, MultipleSignatures) {
    const json v = load_json("jose-cookbook/jws/4_8.multiple_signatures.json");
    const std::string text = v["output"]["json"].dump();
    const std::string payload = str(v["input"], "payload");
    const auto rsa =
        jose::jwk_from_json(v["input"]["key"][0], {jose::algorithm::RS256, false, {}, {}});
    const auto ec = jose::jwk_from_json(v["input"]["key"][1]);
    const auto hmac =
        jose::jwk_from_json(v["input"]["key"][2], {jose::algorithm::HS256, false, {}, {}});
    ASSERT_TRUE(rsa && ec && hmac);
    const auto by_rsa = jose::verify_json(text, *rsa, allow_all());
    ASSERT_TRUE(by_rsa) << by_rsa.error();
    EXPECT_EQ(by_rsa->payload(), payload);
    EXPECT_TRUE(jose::verify_json(text, *hmac, allow_all()));
    // The ES512 signature has its alg in the unprotected header only.
    EXPECT_FALSE(jose::verify_json(text, *ec, allow_all()));
    // With all three keys as a set, the first acceptable signature wins.
    const jose::jwks set({*rsa, *ec, *hmac});
    EXPECT_TRUE(jose::verify_json(text, set, allow_all()));
}

} // namespace
