// obauth against the `jose` npm package, for every JWS algorithm (Ed25519
// and Ed448 both): obauth signs and jose verifies, jose signs and obauth
// verifies; compact, JWT, general and flattened JSON, and b64=false; JWKs
// and RFC 7638 thumbprints agree both ways. And DPoP proofs (RFC 9449) both
// ways: jose's proofs pass obauth's verifier (tampered ones do not), and
// obauth's proofs verify in jose with the key their header carries.
#include <obauth/dpop/proof.hpp>
#include <obauth/dpop/verifier.hpp>
#include <obauth/jose/jws_json.hpp>
#include <obauth/jose/jwt.hpp>

#include "jose_peer.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

namespace jose = obauth::jose;
using jose::algorithm;
using obauth::json;

constexpr std::int64_t now = 1700000000;

struct variant {
    algorithm alg;
    const char* crv; // for EdDSA
    const char* name;
};
const variant variants[] = {
    {algorithm::HS256, nullptr, "HS256"},       {algorithm::HS384, nullptr, "HS384"},
    {algorithm::HS512, nullptr, "HS512"},       {algorithm::RS256, nullptr, "RS256"},
    {algorithm::RS384, nullptr, "RS384"},       {algorithm::RS512, nullptr, "RS512"},
    {algorithm::PS256, nullptr, "PS256"},       {algorithm::PS384, nullptr, "PS384"},
    {algorithm::PS512, nullptr, "PS512"},       {algorithm::ES256, nullptr, "ES256"},
    {algorithm::ES384, nullptr, "ES384"},       {algorithm::ES512, nullptr, "ES512"},
    {algorithm::ES256K, nullptr, "ES256K"},     {algorithm::EdDSA, "Ed25519", "EdDSA-Ed25519"},
    {algorithm::EdDSA, "Ed448", "EdDSA-Ed448"},
};

jose::jwk make_key(const variant& v) {
    if (v.crv != nullptr && std::string(v.crv) == "Ed448")
        return jose::generate_okp_key(jose::curve::ed448, "obauth-key").value();
    return jose::generate_key(v.alg, "obauth-key").value();
}

TEST(InteropJose, ObauthSignsJoseVerifies) {
    const std::string payload = "payload from obauth \xE2\x9C\x93";
    const std::string unencoded = "$.02 unencoded";
    json requests = json::array();
    std::vector<std::string> thumbprints;
    int id = 0;
    for (const auto& v : variants) {
        const jose::jwk key = make_key(v);
        // jose needs the shared secret to check an HMAC.
        const json verify_jwk = v.alg <= algorithm::HS512
                                    ? json::parse(key.export_private_json()->expose_secret_chars())
                                    : key.to_public_json();
        const std::string alg(jose::to_string(v.alg));
        auto add = [&](const char* form, const std::string& token) {
            requests.push_back(
                {{"id", id++},
                 {"name", v.name},
                 {"alg", alg},
                 {"form", form},
                 {"public_jwk", verify_jwk},
                 {"token", token},
                 {"payload",
                  form == std::string("compact_detached_b64false") ? unencoded : payload},
                 {"issuer", "https://as.example"},
                 {"audience", "client-1"},
                 {"now", now + 10}});
            thumbprints.push_back(key.thumbprint().value());
        };
        add("compact", jose::sign_compact(payload, key).value());
        add("jwt", jose::sign_jwt({{"iss", "https://as.example"},
                                   {"aud", "client-1"},
                                   {"iat", now},
                                   {"exp", now + 300},
                                   {"scope", "accounts"}},
                                  key)
                       .value());
        const jose::jws_json_signer signer{&key, {}, {{"note", "from obauth"}}};
        add("json_general", jose::sign_json(payload, {signer}).value());
        add("json_flattened", jose::sign_json(payload, {signer}, true).value());
        jose::jws_sign_options b64false;
        b64false.b64 = false;
        b64false.detached = true;
        add("compact_detached_b64false", jose::sign_compact(unencoded, key, b64false).value());
    }
    const json results = obauth::test::run_jose_peer("verify", requests);
    ASSERT_TRUE(results.is_array()) << "the jose peer did not run";
    ASSERT_EQ(results.size(), requests.size());
    for (std::size_t i = 0; i < results.size(); ++i) {
        const json& req = requests[i];
        const json& res = results[i];
        const std::string what =
            req["name"].get<std::string>() + " " + req["form"].get<std::string>();
        EXPECT_TRUE(res["verified"].get<bool>()) << what << ": " << res.value("error", "");
        if (req["form"] == "jwt")
            EXPECT_EQ(res["claims"]["scope"], "accounts") << what;
        else
            EXPECT_EQ(res["payload"], req["payload"]) << what;
        EXPECT_EQ(res["thumbprint"], thumbprints[i]) << what;
    }
}

TEST(InteropJose, JoseSignsObauthVerifies) {
    json requests = json::array();
    int id = 0;
    for (const auto& v : variants) {
        json r = {{"id", id++},
                  {"alg", std::string(jose::to_string(v.alg))},
                  {"kid", "jose-key"},
                  {"payload", "payload from jose"},
                  {"unencoded_payload", "raw $ payload"},
                  {"issuer", "https://as.example"},
                  {"audience", "client-1"},
                  {"now", now}};
        if (v.crv != nullptr)
            r["crv"] = v.crv;
        requests.push_back(r);
    }
    const json results = obauth::test::run_jose_peer("produce", requests);
    ASSERT_TRUE(results.is_array()) << "the jose peer did not run";
    ASSERT_EQ(results.size(), std::size(variants));
    for (std::size_t i = 0; i < results.size(); ++i) {
        const json& res = results[i];
        const variant& v = variants[i];
        const bool hmac = v.alg <= algorithm::HS512;
        // A received public key: imported as public-only (HMAC: the secret).
        const auto key = jose::jwk_from_json(res["public_jwk"], {std::nullopt, !hmac, {}, {}});
        ASSERT_TRUE(key) << v.name << ": " << key.error();
        EXPECT_EQ(key->thumbprint().value(), res["thumbprint"]) << v.name;
        if (!hmac) {
            // Our export of jose's key carries the same members.
            const json ours = key->to_public_json();
            for (const auto& [name, value] : res["public_jwk"].items())
                EXPECT_EQ(ours[name], value) << v.name << " member " << name;
        }
        jose::jws_verify_options opts;
        opts.algorithms = jose::algorithm_set{v.alg};
        const auto compact = jose::verify_compact(res["compact"].get<std::string>(), *key, opts);
        ASSERT_TRUE(compact) << v.name << " compact: " << compact.error();
        EXPECT_EQ(compact->payload(), "payload from jose");
        EXPECT_EQ(compact->kid(), "jose-key");
        const auto general = jose::verify_json(res["json_general"].get<std::string>(), *key, opts);
        ASSERT_TRUE(general) << v.name << " general: " << general.error();
        EXPECT_EQ(general->unprotected_header()["note"], "from jose");
        EXPECT_TRUE(jose::verify_json(res["json_flattened"].get<std::string>(), *key, opts))
            << v.name << " flattened";
        // jose writes b64=false JSON with an empty "payload": detached content.
        const auto raw = jose::verify_json_detached(res["unencoded_flattened"].get<std::string>(),
                                                    std::string("raw $ payload"), *key, opts);
        ASSERT_TRUE(raw) << v.name << " b64=false: " << raw.error();
        EXPECT_EQ(raw->payload(), "raw $ payload");
        jose::jwt_validation policy;
        policy.issuer = "https://as.example";
        policy.audiences = {"client-1"};
        policy.typ = "JWT";
        const auto jwt = jose::verify_jwt(res["jwt"].get<std::string>(), *key, opts, policy,
                                          obauth::from_unix_seconds(now + 10));
        ASSERT_TRUE(jwt) << v.name << " jwt: " << jwt.error();
        EXPECT_EQ(jwt->claims()["scope"], "accounts");
        // And a tampered one is refused.
        std::string bad = res["compact"].get<std::string>();
        bad[bad.size() - 5] = bad[bad.size() - 5] == 'A' ? 'B' : 'A';
        EXPECT_FALSE(jose::verify_compact(bad, *key, opts)) << v.name;
    }
}

struct dpop_variant {
    const char* name;
    algorithm alg;
    const char* crv;
};
constexpr dpop_variant dpop_variants[] = {
    {"ES256", algorithm::ES256, nullptr},
    {"PS256", algorithm::PS256, nullptr},
    {"EdDSA", algorithm::EdDSA, "Ed25519"},
};

TEST(InteropJose, JoseDpopProofsVerifyInObauth) {
    json requests = json::array();
    int id = 0;
    for (const auto& v : dpop_variants) {
        json r = {{"id", id++},
                  {"alg", std::string(jose::to_string(v.alg))},
                  {"method", "GET"},
                  {"url", "https://rs.example/accounts?from=2024"},
                  {"access_token", "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"},
                  {"now", now}};
        if (v.crv != nullptr)
            r["crv"] = v.crv;
        requests.push_back(r);
    }
    const json results = obauth::test::run_jose_peer("dpop-produce", requests);
    ASSERT_TRUE(results.is_array()) << "the jose peer did not run";
    ASSERT_EQ(results.size(), std::size(dpop_variants));
    for (std::size_t i = 0; i < results.size(); ++i) {
        const auto& v = dpop_variants[i];
        const std::string proof = results[i]["proof"].get<std::string>();
        obauth::store::memory_replay_store seen;
        obauth::dpop::verify_options o;
        o.replay = &seen;
        o.algorithms = jose::algorithm_set{v.alg};
        obauth::dpop::proof_request r;
        r.dpop_headers = {proof};
        r.method = "GET";
        r.url = "https://rs.example/accounts";
        r.access_token = std::string_view("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU");
        const std::string jkt = results[i]["thumbprint"].get<std::string>();
        r.bound_jkt = jkt;
        const auto ok = obauth::dpop::verify_proof(r, obauth::from_unix_seconds(now + 1), o);
        ASSERT_TRUE(ok) << v.name << ": " << ok.error();
        EXPECT_EQ(ok->thumbprint(), results[i]["thumbprint"]) << v.name;
        // Tampered: the signature, or the request it is presented with.
        std::string bad = proof;
        bad[bad.size() - 3] = bad[bad.size() - 3] == 'A' ? 'B' : 'A';
        r.dpop_headers = {bad};
        EXPECT_FALSE(obauth::dpop::verify_proof(r, obauth::from_unix_seconds(now + 1), o))
            << v.name;
        obauth::store::memory_replay_store fresh;
        o.replay = &fresh;
        r.dpop_headers = {proof};
        r.method = "POST";
        EXPECT_EQ(obauth::dpop::verify_proof(r, obauth::from_unix_seconds(now + 1), o).error().code,
                  obauth::dpop::errc::method_mismatch)
            << v.name;
    }
}

TEST(InteropJose, ObauthDpopProofsVerifyInJose) {
    json requests = json::array();
    std::vector<std::string> thumbprints;
    int id = 0;
    for (const auto& v : dpop_variants) {
        const auto key = v.alg == algorithm::EdDSA
                             ? jose::generate_okp_key(jose::curve::ed25519).value()
                             : jose::generate_key(v.alg).value();
        thumbprints.push_back(key.thumbprint().value());
        const auto proof =
            obauth::dpop::make_proof(key,
                                     {"POST", "https://as.example/token",
                                      std::string_view("an access token"), std::string_view("n-1")},
                                     obauth::from_unix_seconds(now))
                .value();
        requests.push_back({{"id", id++},
                            {"alg", std::string(jose::to_string(v.alg))},
                            {"proof", proof},
                            {"now", now + 1}});
    }
    const json results = obauth::test::run_jose_peer("dpop-verify", requests);
    ASSERT_TRUE(results.is_array()) << "the jose peer did not run";
    ASSERT_EQ(results.size(), std::size(dpop_variants));
    for (std::size_t i = 0; i < results.size(); ++i) {
        const json& res = results[i];
        const char* name = dpop_variants[i].name;
        ASSERT_TRUE(res["verified"].get<bool>()) << name << ": " << res.dump();
        EXPECT_EQ(res["thumbprint"], thumbprints[i]) << name;
        EXPECT_TRUE(res["private_members"].empty()) << name;
        const json& c = res["claims"];
        EXPECT_EQ(c["htm"], "POST") << name;
        EXPECT_EQ(c["htu"], "https://as.example/token") << name;
        EXPECT_EQ(c["nonce"], "n-1") << name;
        EXPECT_EQ(c["ath"], obauth::dpop::access_token_hash("an access token")) << name;
        EXPECT_EQ(c["iat"], now) << name;
    }
}

} // namespace
