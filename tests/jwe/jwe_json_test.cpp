#include <obauth/jwe/jwe_json.hpp>

#include <obauth/core/base64url.hpp>
#include <obauth/core/json.hpp>
#include <obauth/jose/jwk.hpp>

#include "jwe/jwe_support.hpp"
#include "support/test_data.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using namespace obauth;
using namespace obauth::jwe;
using obauth::test::load_json;
using obauth::test::str;
using obauth::test::jwe_support::allow_all;
using obauth::test::jwe_support::text;

jose::jwk import(json j) {
    if (!j.contains("use"))
        j["use"] = "enc";
    return jose::jwk_from_json(j).value();
}

// RFC 7516 A.4: two recipients (RSA1_5, refused on purpose, and A128KW);
// A.5: the A128KW one, flattened.
TEST(JweJson, Rfc7516A4A5) {
    const json v = load_json("rfc/rfc7516_A4_A5_json_serialization.json");
    json a3 = load_json("rfc/rfc7516_A3_a128kw_a128cbc_hs256.json").at("jwk");
    a3["kid"] = "7";
    const jose::jwk kw = import(a3);
    for (const char* form : {"general_json", "A5_flattened_json"}) {
        const auto d = decrypt_json(v.at(form).dump(), kw, allow_all());
        ASSERT_TRUE(d) << form << ": " << d.error().to_string();
        EXPECT_EQ(text(d->plaintext()), str(v, "plaintext")) << form;
        EXPECT_EQ(d->header().at("jku"), "https://server.example.com/keys.jwks");
        EXPECT_EQ(d->header().at("kid"), "7");
    }
    // Only the RSA1_5 recipient fits an RSA key: refused with its own error.
    const jose::jwk rsa = import(load_json("rfc/rfc7516_A2_rsa1_5_a128cbc_hs256.json").at("jwk"));
    EXPECT_EQ(decrypt_json(v.at("general_json").dump(), rsa, allow_all()).error().code,
              errc::algorithm_left_out);
}

TEST(JweJson, CookbookJsonForms) {
    struct example {
        const char* file;
        std::size_t key; // which input key (5.13 has several)
    };
    const example cases[] = {
        {"5_2.key_encryption_using_rsa-oaep_with_aes-gcm.json", 0},
        {"5_4.key_agreement_with_key_wrapping_using_ecdh-es_and_aes-keywrap_with_aes-gcm.json", 0},
        {"5_5.key_agreement_using_ecdh-es_with_aes-cbc-hmac-sha2.json", 0},
        {"5_6.direct_encryption_using_aes-gcm.json", 0},
        {"5_7.key_wrap_using_aes-gcm_keywrap_with_aes-cbc-hmac-sha2.json", 0},
        {"5_8.key_wrap_using_aes-keywrap_with_aes-gcm.json", 0},
        {"5_10.including_additional_authentication_data.json", 0},
        {"5_11.protecting_specific_header_fields.json", 0},
        {"5_12.protecting_content_only.json", 0},
        {"5_13.encrypting_to_multiple_recipients.json", 1}, // ECDH-ES+A256KW
        {"5_13.encrypting_to_multiple_recipients.json", 2}, // A256GCMKW
    };
    for (const auto& c : cases) {
        const json v = load_json(std::string("jose-cookbook/jwe/") + c.file);
        const json& in = v.at("input");
        const jose::jwk key =
            import(in.at("key").is_array() ? in.at("key").at(c.key) : in.at("key"));
        for (const char* form : {"json", "json_flat"}) {
            if (!v.at("output").contains(form))
                continue;
            const auto d = decrypt_json(v.at("output").at(form).dump(), key, allow_all());
            ASSERT_TRUE(d) << c.file << " " << form << ": " << d.error().to_string();
            EXPECT_EQ(text(d->plaintext()), str(in, "plaintext")) << c.file;
            if (in.contains("aad")) {
                EXPECT_EQ(std::string(bytes_view(d->aad()).as_chars()), str(in, "aad")) << c.file;
            }
        }
    }
}

jose::jwk enc_key(const jose::jwk& generated, const std::string& kid) {
    json j = parse_json(generated.export_private_json().value().expose_secret().as_chars()).value();
    j.erase("alg");
    j["kid"] = kid;
    return import(j);
}

jose::jwk aes(std::size_t n, const std::string& kid) {
    return import(
        {{"kty", "oct"}, {"kid", kid}, {"k", base64url_encode(bytes_view(std::string(n, 'q')))}});
}

TEST(JweJson, SeveralRecipientsEachDecrypt) {
    const jose::jwk rsa = enc_key(jose::generate_key(jose::algorithm::RS256).value(), "rsa");
    const jose::jwk x = jose::generate_okp_key(jose::curve::x25519, "x").value();
    const jose::jwk kw = aes(32, "kw");
    std::vector<json_recipient> to = {
        {&rsa, key_management::RSA_OAEP_256, json::object(), {}, {}},
        {&x, key_management::ECDH_ES_A128KW, {{"note", "x"}}, "apu", {}},
        {&kw, key_management::A256KW, json::object(), {}, {}}};
    encrypt_json_options o;
    o.enc = content_encryption::A128CBC_HS256;
    o.protected_header = {{"cty", "JWT"}};
    o.unprotected = {{"jku", "https://bank.example/jwks"}};
    o.aad = "consent 42";
    const std::string doc = encrypt_json(bytes_view(std::string("the payload")), to, o).value();
    for (const jose::jwk* k : {&rsa, &x, &kw}) {
        const auto d = decrypt_json(doc, *k, allow_all());
        ASSERT_TRUE(d) << k->kid() << ": " << d.error().to_string();
        EXPECT_EQ(text(d->plaintext()), "the payload");
        EXPECT_EQ(std::string(bytes_view(d->aad()).as_chars()), "consent 42");
        EXPECT_EQ(d->header().at("cty"), "JWT");
        EXPECT_EQ(d->header().at("kid"), k->kid());
    }
    const jose::jwks set(std::vector<jose::jwk>{aes(32, "other"), x});
    EXPECT_TRUE(decrypt_json(doc, set, allow_all()));
    // The AAD, the shared header's protection... each change fails alike.
    json changed = parse_json(doc).value();
    changed["aad"] = base64url_encode(bytes_view(std::string("consent 43")));
    EXPECT_EQ(decrypt_json(changed.dump(), kw, allow_all()).error().code, errc::decryption_failed);
    changed = parse_json(doc).value();
    changed.erase("aad");
    EXPECT_EQ(decrypt_json(changed.dump(), kw, allow_all()).error().code, errc::decryption_failed);
    // A stranger's key fits no recipient.
    EXPECT_EQ(decrypt_json(doc, aes(32, "stranger"), allow_all()).error().code,
              errc::key_not_found);
}

TEST(JweJson, FlattenedAndDirect) {
    const jose::jwk dir = aes(16, "dir");
    encrypt_json_options o;
    o.enc = content_encryption::A128GCM;
    o.flattened = true;
    const std::string doc = encrypt_json(bytes_view(std::string("x")),
                                         {{&dir, key_management::dir, json::object(), {}, {}}}, o)
                                .value();
    const json parsed = parse_json(doc).value();
    EXPECT_FALSE(parsed.contains("recipients"));
    EXPECT_FALSE(parsed.contains("encrypted_key"));
    EXPECT_EQ(parsed.at("header").at("alg"), "dir");
    const auto d = decrypt_json(doc, dir, allow_all());
    ASSERT_TRUE(d) << d.error().to_string();
    EXPECT_EQ(text(d->plaintext()), "x");
    // dir and ECDH-ES determine the CEK: they cannot share it with others.
    o.flattened = false;
    const jose::jwk kw = aes(16, "kw");
    EXPECT_EQ(encrypt_json(bytes_view(std::string("x")),
                           {{&dir, key_management::dir, json::object(), {}, {}},
                            {&kw, key_management::A128KW, json::object(), {}, {}}},
                           o)
                  .error()
                  .code,
              errc::invalid_options);
}

TEST(JweJson, HeaderRules) {
    const jose::jwk kw = aes(16, "kw");
    encrypt_json_options o;
    o.enc = content_encryption::A128GCM;
    // A name in two headers.
    o.unprotected = {{"cty", "JWT"}};
    o.protected_header = {{"cty", "JWT"}};
    EXPECT_FALSE(encrypt_json(bytes_view(std::string("x")),
                              {{&kw, key_management::A128KW, json::object(), {}, {}}}, o));
    o.protected_header = json::object();
    const std::string doc = encrypt_json(bytes_view(std::string("x")),
                                         {{&kw, key_management::A128KW, json::object(), {}, {}}}, o)
                                .value();
    json d = parse_json(doc).value();
    d["recipients"][0]["header"]["cty"] = "JWT"; // also in "unprotected"
    EXPECT_EQ(decrypt_json(d.dump(), kw, allow_all()).error().code, errc::invalid_header);
    d = parse_json(doc).value();
    d["unprotected"]["crit"] = {"cty"}; // crit must be protected
    EXPECT_EQ(decrypt_json(d.dump(), kw, allow_all()).error().code, errc::invalid_header);
    d = parse_json(doc).value();
    d["unprotected"]["zip"] = "DEF";
    EXPECT_EQ(decrypt_json(d.dump(), kw, allow_all()).error().code, errc::compression_refused);
    d = parse_json(doc).value();
    d["header"] = {{"alg", "A128KW"}}; // general and flattened at once
    EXPECT_EQ(decrypt_json(d.dump(), kw, allow_all()).error().code, errc::malformed);
    d = parse_json(doc).value();
    d["recipients"] = json::array();
    for (int i = 0; i < 17; ++i)
        d["recipients"].push_back(parse_json(doc).value().at("recipients").at(0));
    EXPECT_EQ(decrypt_json(d.dump(), kw, allow_all()).error().code, errc::too_large);
    for (const std::string& bad :
         {std::string("[]"), std::string("{}"), std::string("{\"ciphertext\":1}"),
          std::string("{\"protected\":\"e30\",\"ciphertext\":\"\",\"recipients\":[1]}")}) {
        const auto r = decrypt_json(bad, kw, allow_all());
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, errc::malformed) << bad;
    }
}

} // namespace
