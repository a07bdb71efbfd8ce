// obauth's JWE against the `jose` npm package, for every key management
// algorithm (ECDH-ES on P-256, P-384, P-521, X25519 and X448) with every
// content encryption, compact and flattened JSON (with AAD; obauth's also
// general JSON): obauth encrypts and jose decrypts; jose makes the key and
// encrypts, obauth decrypts.
#include <obauth/jwe/jwe.hpp>
#include <obauth/jwe/jwe_json.hpp>

#include <obauth/core/base64url.hpp>
#include <obauth/core/json.hpp>
#include <obauth/core/random.hpp>
#include <obauth/jose/jwk.hpp>

#include "jose_peer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

namespace jose = obauth::jose;
namespace jwe = obauth::jwe;
using obauth::json;

struct jwe_case {
    jwe::key_management alg;
    jwe::content_encryption enc;
    const char* crv; // ECDH-ES
};

std::vector<jwe_case> every_case() {
    std::vector<jwe_case> out;
    for (const auto& a : jwe::key_managements)
        for (const auto& e : jwe::content_encryptions) {
            if (a.family == jwe::key_family::ecdh_es) {
                for (const char* crv : {"P-256", "P-384", "P-521", "X25519", "X448"})
                    out.push_back({a.alg, e.enc, crv});
            } else {
                out.push_back({a.alg, e.enc, nullptr});
            }
        }
    return out;
}

std::string label(const jwe_case& c) {
    return std::string(jwe::to_string(c.alg)) + "/" + std::string(jwe::to_string(c.enc)) +
           (c.crv != nullptr ? std::string("/") + c.crv : std::string());
}

/// A private key obauth makes for the case (JWK JSON), and its handle.
std::pair<json, jose::jwk> obauth_key(const jwe_case& c) {
    const auto& a = jwe::info(c.alg);
    json j;
    if (a.family == jwe::key_family::rsa_oaep || a.family == jwe::key_family::ecdh_es) {
        const std::string crv = c.crv != nullptr ? c.crv : "";
        const jose::jwk k = crv == "X25519"  ? jose::generate_okp_key(jose::curve::x25519).value()
                            : crv == "X448"  ? jose::generate_okp_key(jose::curve::x448).value()
                            : crv == "P-256" ? jose::generate_key(jose::algorithm::ES256).value()
                            : crv == "P-384" ? jose::generate_key(jose::algorithm::ES384).value()
                            : crv == "P-521" ? jose::generate_key(jose::algorithm::ES512).value()
                                             : jose::generate_key(jose::algorithm::RS256).value();
        j = obauth::parse_json(k.export_private_json().value().expose_secret().as_chars()).value();
    } else {
        const std::size_t size =
            a.family == jwe::key_family::direct ? jwe::info(c.enc).cek_size : a.kek_size;
        j = {{"kty", "oct"},
             {"k", obauth::base64url_encode(obauth::random_secret(size).value().expose_secret())}};
    }
    j["alg"] = std::string(jwe::to_string(c.alg));
    j["use"] = "enc";
    j["kid"] = label(c);
    return {j, jose::jwk_from_json(j).value()};
}

const std::string claims = R"({"iss":"https://bank.example","sub":"alice","acr":"sca"})";

TEST(JweInterop, ObauthEncryptsJoseDecrypts) {
    json requests = json::array();
    const auto cases = every_case();
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const auto& c = cases[i];
        const auto [private_jwk, key] = obauth_key(c);
        jwe::encrypt_options o;
        o.alg = c.alg;
        o.enc = c.enc;
        o.cty = "JWT";
        const auto token = jwe::encrypt_compact(obauth::bytes_view(claims), key.public_key(), o);
        ASSERT_TRUE(token) << label(c) << ": " << token.error().to_string();
        json jwk = private_jwk;
        jwk.erase("alg");
        json request = {{"id", requests.size()},
                        {"alg", std::string(jwe::to_string(c.alg))},
                        {"enc", std::string(jwe::to_string(c.enc))},
                        {"private_jwk", jwk},
                        {"token", *token},
                        {"form", "compact"},
                        {"case", i}};
        requests.push_back(request);
        // The JSON serializations, with AAD and a shared unprotected header.
        const jose::jwk pub = key.public_key();
        jwe::encrypt_json_options jo;
        jo.enc = c.enc;
        jo.aad = "aad from obauth";
        jo.unprotected = {{"x-note", "shared"}};
        for (const bool flat : {true, false}) {
            jo.flattened = flat;
            const auto doc = jwe::encrypt_json(obauth::bytes_view(claims),
                                               {{&pub, c.alg, json::object(), {}, {}}}, jo);
            ASSERT_TRUE(doc) << label(c) << ": " << doc.error().to_string();
            request["id"] = requests.size();
            request["token"] = *doc;
            request["form"] = flat ? "json_flattened" : "json_general";
            requests.push_back(request);
        }
    }
    const json results = obauth::test::run_jose_peer("jwe-decrypt", requests);
    ASSERT_EQ(results.size(), requests.size());
    for (const auto& r : results) {
        const json& request = requests.at(r.at("id").get<std::size_t>());
        const auto& c = cases[request.at("case").get<std::size_t>()];
        if (request.at("form") != "compact") {
            EXPECT_EQ(r.value("aad", ""), "aad from obauth") << label(c);
        }
        EXPECT_TRUE(r.at("decrypted").get<bool>()) << label(c) << ": " << r.value("error", "");
        EXPECT_EQ(r.value("plaintext", ""), claims) << label(c);
        if (r.contains("header")) {
            EXPECT_EQ(r.at("header").value("kid", ""), label(c));
        }
    }
}

TEST(JweInterop, JoseEncryptsObauthDecrypts) {
    json requests = json::array();
    const auto cases = every_case();
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const auto& c = cases[i];
        json r = {{"id", i},
                  {"alg", std::string(jwe::to_string(c.alg))},
                  {"enc", std::string(jwe::to_string(c.enc))},
                  {"kid", label(c)},
                  {"plaintext", claims}};
        if (c.crv != nullptr)
            r["crv"] = c.crv;
        requests.push_back(r);
    }
    const json results = obauth::test::run_jose_peer("jwe-produce", requests);
    ASSERT_EQ(results.size(), cases.size());
    for (const auto& r : results) {
        const auto& c = cases[r.at("id").get<std::size_t>()];
        const auto key = jose::jwk_from_json(r.at("private_jwk"));
        ASSERT_TRUE(key) << label(c) << ": " << key.error().to_string();
        jwe::decrypt_options o;
        o.algorithms = {c.alg};
        o.encryptions = {c.enc};
        const auto d = jwe::decrypt_compact(r.at("token").get<std::string>(), *key, o);
        ASSERT_TRUE(d) << label(c) << ": " << d.error().to_string();
        EXPECT_EQ(std::string(d->plaintext().expose_secret().as_chars()), claims) << label(c);
        const auto flat = jwe::decrypt_json(r.at("flattened").get<std::string>(), *key, o);
        ASSERT_TRUE(flat) << label(c) << " (flattened): " << flat.error().to_string();
        EXPECT_EQ(std::string(flat->plaintext().expose_secret().as_chars()), claims) << label(c);
        EXPECT_EQ(std::string(obauth::bytes_view(flat->aad()).as_chars()), "aad from jose");
        // And a JWE jose made, altered, fails the same way here.
        std::string t = r.at("token").get<std::string>();
        t[t.size() - 3] = t[t.size() - 3] == 'A' ? 'B' : 'A';
        const auto bad = jwe::decrypt_compact(t, *key, o);
        ASSERT_FALSE(bad) << label(c);
        EXPECT_EQ(bad.error().code, jwe::errc::decryption_failed) << label(c);
    }
}

} // namespace
