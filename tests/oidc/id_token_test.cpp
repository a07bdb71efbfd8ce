#include <obauth/oidc/id_token.hpp>

#include "support/test_data.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace {

namespace oidc = obauth::oidc;
namespace jose = obauth::jose;
using jose::algorithm;
using obauth::json;
using oidc::errc;
using namespace std::chrono_literals;

const std::int64_t s0 = 1700000000;
const obauth::time_point start = obauth::from_unix_seconds(s0);
const char* const issuer = "https://auth.hamsterbank.example";
const char* const client = "client-7f3a";

// The OpenID Connect Core A.4 access token and code; the hashes come from
// tests/data/oidc/token_hashes.json (OpenSSL's command line).
const char* const access_token = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y";
const char* const code = "Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk";
const char* const state = "opaque-state_0123456789.~";

std::string expected_half(const std::string& hash, const std::string& value) {
    static const json vectors = obauth::test::load_json("oidc/token_hashes.json");
    for (const auto& v : vectors)
        if (v.at("hash") == hash && v.at("value") == value)
            return v.at("half").get<std::string>();
    ADD_FAILURE() << "no vector for " << hash << " " << value;
    return {};
}

// The hash of each algorithm, by the JWA and the token hash guide.
const char* hash_of(algorithm a) {
    switch (jose::info(a).digest_size) {
    case 32:
        return "SHA-256";
    case 48:
        return "SHA-384";
    default:
        return "SHA-512";
    }
}

// Keys are made on first use: each test runs in its own process, and RSA
// key generation is slow under the sanitizers.
const jose::jwk& key_for(algorithm a) {
    static std::map<algorithm, jose::jwk> keys;
    auto it = keys.find(a);
    if (it == keys.end())
        it = keys.emplace(a, jose::generate_key(a, std::string(jose::info(a).name)).value()).first;
    return it->second;
}
const jose::jwk& ed448_key() {
    static const jose::jwk k = jose::generate_okp_key(jose::curve::ed448, "ed448").value();
    return k;
}

class IdToken : public ::testing::Test {
protected:
    jose::jwks published{std::vector<jose::jwk>{key_for(algorithm::PS256).public_key(),
                                                key_for(algorithm::ES256).public_key()}};
    oidc::id_token_validation v = [] {
        auto x =
            oidc::fapi1_id_token_validation(issuer, client, oidc::id_token_source::token_endpoint);
        x.nonce = "n-0S6_WzA2Mj";
        return x;
    }();
    json claims = {
        {"iss", issuer}, {"sub", "psu-248289761001"}, {"aud", client},       {"exp", s0 + 300},
        {"iat", s0},     {"nonce", "n-0S6_WzA2Mj"},   {"auth_time", s0 - 30}};

    std::string sign(const json& c, algorithm a = algorithm::ES256) const {
        return jose::sign_jwt(c, key_for(a)).value();
    }
    obauth::result<oidc::verified_id_token> check(const json& c,
                                                  obauth::time_point now = start + 5s,
                                                  algorithm a = algorithm::ES256) const {
        return oidc::validate_id_token(sign(c, a), published, v, now);
    }
    std::error_code code_of(const json& c, obauth::time_point now = start + 5s) const {
        auto r = check(c, now);
        return r ? std::error_code() : r.error().code;
    }
};

TEST_F(IdToken, AValidTokenWithEachFapiAlgorithm) {
    for (algorithm a : {algorithm::PS256, algorithm::ES256}) {
        auto t = check(claims, start + 5s, a);
        ASSERT_TRUE(t) << jose::info(a).name << ": " << t.error().to_string();
        EXPECT_EQ(t->alg(), a);
        EXPECT_EQ(t->iss(), issuer);
        EXPECT_EQ(t->sub(), "psu-248289761001");
        EXPECT_EQ(t->aud(), std::vector<std::string_view>{client});
        EXPECT_EQ(t->exp(), s0 + 300);
        EXPECT_EQ(t->iat(), s0);
        EXPECT_EQ(t->auth_time(), s0 - 30);
        EXPECT_EQ(t->nonce(), "n-0S6_WzA2Mj");
        EXPECT_EQ(t->azp(), "");
        EXPECT_EQ(t->claims().at("sub"), "psu-248289761001");
    }
}

TEST_F(IdToken, EveryAlgorithmWhenTheCallerAllowsIt) {
    for (algorithm a : jose::all_algorithms) {
        auto x = v;
        x.algorithms = jose::algorithm_set{a};
        const jose::jwk& key = key_for(a);
        auto t = oidc::validate_id_token(sign(claims, a), key, x, start + 5s);
        EXPECT_TRUE(t) << jose::info(a).name << ": " << (t ? "" : t.error().to_string());
    }
    auto x = v;
    x.algorithms = jose::algorithm_set{algorithm::EdDSA};
    EXPECT_TRUE(oidc::validate_id_token(jose::sign_jwt(claims, ed448_key()).value(), ed448_key(), x,
                                        start));
}

TEST_F(IdToken, SignatureFailuresKeepTheirJoseCodes) {
    // RS256 is not a FAPI algorithm, even with the right key.
    jose::jwks with_rs{std::vector<jose::jwk>{key_for(algorithm::RS256).public_key()}};
    EXPECT_EQ(
        oidc::validate_id_token(sign(claims, algorithm::RS256), with_rs, v, start).error().code,
        jose::errc::algorithm_not_allowed);
    std::string token = sign(claims);
    token[token.size() - 5] = token[token.size() - 5] == 'A' ? 'B' : 'A';
    EXPECT_EQ(oidc::validate_id_token(token, published, v, start).error().code,
              jose::errc::invalid_signature);
    jose::jwks other{std::vector<jose::jwk>{key_for(algorithm::PS256).public_key()}};
    EXPECT_EQ(oidc::validate_id_token(sign(claims), other, v, start).error().code,
              jose::errc::key_not_found);
    EXPECT_EQ(oidc::validate_id_token("not.a.token", published, v, start).error().code,
              jose::errc::malformed);
    EXPECT_EQ(
        oidc::validate_id_token(std::string(100 * 1024, 'a'), published, v, start).error().code,
        jose::errc::too_large);
}

TEST_F(IdToken, HostileClaimSetsAreRefusedCleanly) {
    json deep = claims;
    json* at = &deep["x"];
    for (int i = 0; i < 20; ++i) // over the 16 levels allowed, within what signing writes
        at = &((*at)["y"] = json::object());
    EXPECT_EQ(code_of(deep), errc::id_token_invalid_claim);
    // A signed payload that is not a JSON object at all.
    const std::string not_json =
        jose::sign_compact(obauth::bytes_view(std::string_view("[1,2]")), key_for(algorithm::ES256))
            .value();
    EXPECT_FALSE(oidc::validate_id_token(not_json, published, v, start));
    json many = claims;
    many["aud"] = json::array();
    for (int i = 0; i < 40; ++i)
        many["aud"].push_back("aud-" + std::to_string(i));
    EXPECT_EQ(code_of(many), errc::id_token_invalid_claim);
}

TEST_F(IdToken, EscapedClaimsAreComparedDecoded) {
    // "\u002d" is '-': the nonce is the one sent, only written differently.
    const std::string payload = R"({"iss":"https://auth.hamsterbank.example","sub":"psu-1",)"
                                R"("aud":"client-7f3a","exp":1700000300,"iat":1700000000,)"
                                R"("nonce":"n\u002d0S6_WzA2Mj","auth_time":-0})";
    const auto token =
        jose::sign_compact(obauth::bytes_view(payload), key_for(algorithm::ES256)).value();
    auto t = oidc::validate_id_token(token, published, v, start);
    ASSERT_TRUE(t) << t.error().to_string();
    EXPECT_EQ(t->nonce(), "n-0S6_WzA2Mj");
    EXPECT_EQ(t->auth_time(), 0);
    v.nonce = "n\\u002d0S6_WzA2Mj"; // the raw text is not the value
    EXPECT_EQ(oidc::validate_id_token(token, published, v, start).error().code,
              errc::id_token_nonce_mismatch);
}

struct broken {
    const char* what;
    void (*mutate)(json&);
    errc expected;
};

TEST_F(IdToken, EachClaimBrokenInTurn) {
    ASSERT_EQ(code_of(claims), std::error_code());
    const broken cases[] = {
        {"iss other", [](json& c) { c["iss"] = "https://evil.example"; },
         errc::id_token_issuer_mismatch},
        {"iss with slash", [](json& c) { c["iss"] = "https://auth.hamsterbank.example/"; },
         errc::id_token_issuer_mismatch},
        {"iss missing", [](json& c) { c.erase("iss"); }, errc::id_token_issuer_mismatch},
        {"iss a number", [](json& c) { c["iss"] = 1; }, errc::id_token_invalid_claim},
        {"sub missing", [](json& c) { c.erase("sub"); }, errc::id_token_sub_missing},
        {"sub empty", [](json& c) { c["sub"] = ""; }, errc::id_token_sub_missing},
        {"sub an object", [](json& c) { c["sub"] = json::object(); }, errc::id_token_invalid_claim},
        {"aud missing", [](json& c) { c.erase("aud"); }, errc::id_token_audience_mismatch},
        {"aud another client", [](json& c) { c["aud"] = "client-other"; },
         errc::id_token_audience_mismatch},
        {"aud a number", [](json& c) { c["aud"] = 7; }, errc::id_token_invalid_claim},
        {"aud with an untrusted party",
         [](json& c) {
             c["aud"] = {client, "client-other"};
         },
         errc::id_token_untrusted_audience},
        {"azp wrong", [](json& c) { c["azp"] = "client-other"; }, errc::id_token_azp_mismatch},
        {"azp not a string", [](json& c) { c["azp"] = true; }, errc::id_token_invalid_claim},
        {"exp missing", [](json& c) { c.erase("exp"); }, errc::id_token_exp_missing},
        {"exp passed", [](json& c) { c["exp"] = s0 - 60; }, errc::id_token_expired},
        {"exp a string", [](json& c) { c["exp"] = "1700000300"; }, errc::id_token_invalid_claim},
        {"exp fractional", [](json& c) { c["exp"] = 1700000300.5; }, errc::id_token_invalid_claim},
        {"nbf future", [](json& c) { c["nbf"] = s0 + 120; }, errc::id_token_not_yet_valid},
        {"iat missing", [](json& c) { c.erase("iat"); }, errc::id_token_iat_missing},
        {"iat future", [](json& c) { c["iat"] = s0 + 120; }, errc::id_token_issued_in_future},
        {"iat too old",
         [](json& c) {
             c["iat"] = s0 - 700;
             c["auth_time"] = s0 - 700;
         },
         errc::id_token_too_old},
        {"auth_time future", [](json& c) { c["auth_time"] = s0 + 120; },
         errc::id_token_auth_time_invalid},
        {"auth_time a string", [](json& c) { c["auth_time"] = "yesterday"; },
         errc::id_token_invalid_claim},
        {"auth_time negative", [](json& c) { c["auth_time"] = -5; }, errc::id_token_invalid_claim},
        {"auth_time huge", [](json& c) { c["auth_time"] = 18446744073709551615ULL; },
         errc::id_token_invalid_claim},
        {"auth_time fractional", [](json& c) { c["auth_time"] = 1699999970.5; },
         errc::id_token_invalid_claim},
        {"nonce missing", [](json& c) { c.erase("nonce"); }, errc::id_token_nonce_missing},
        {"nonce other", [](json& c) { c["nonce"] = "n-0S6_WzA2Mk"; },
         errc::id_token_nonce_mismatch},
        {"nonce prefix", [](json& c) { c["nonce"] = "n-0S6_WzA2M"; },
         errc::id_token_nonce_mismatch},
        {"nonce a number", [](json& c) { c["nonce"] = 5; }, errc::id_token_invalid_claim},
        {"at_hash without a token", [](json& c) { c["at_hash"] = "77QmUPtjPfzWtF2AnpK9RQ"; },
         errc::token_hash_unverifiable},
        {"c_hash without a code", [](json& c) { c["c_hash"] = "LDktKdoQak3Pk0cnXxCltA"; },
         errc::token_hash_unverifiable},
        {"s_hash without a state", [](json& c) { c["s_hash"] = "LDktKdoQak3Pk0cnXxCltA"; },
         errc::token_hash_unverifiable},
        {"c_hash a number", [](json& c) { c["c_hash"] = 5; }, errc::id_token_invalid_claim},
    };
    for (const auto& c : cases) {
        json broken_claims = claims;
        c.mutate(broken_claims);
        EXPECT_EQ(code_of(broken_claims), c.expected) << c.what;
    }
}

TEST_F(IdToken, LeewayAppliesToTimes) {
    json c = claims;
    c["exp"] = s0 + 5;
    EXPECT_EQ(code_of(c, start + 34s), std::error_code());
    EXPECT_EQ(code_of(c, start + 35s), errc::id_token_expired);
    v.leeway = 0s;
    EXPECT_EQ(code_of(c, start + 5s), errc::id_token_expired);
}

TEST_F(IdToken, SeveralAudiencesNeedTrustAndAzp) {
    json c = claims;
    c["aud"] = {client, "https://api.hamsterbank.example"};
    v.trusted_audiences = {"https://api.hamsterbank.example"};
    EXPECT_EQ(code_of(c), errc::id_token_azp_missing);
    c["azp"] = client;
    EXPECT_EQ(code_of(c), std::error_code());
    c["azp"] = "https://api.hamsterbank.example";
    EXPECT_EQ(code_of(c), errc::id_token_azp_mismatch);
    // A trusted audience alone is not this client's token.
    c["aud"] = "https://api.hamsterbank.example";
    c.erase("azp");
    EXPECT_EQ(code_of(c), errc::id_token_audience_mismatch);
    // azp with one audience is allowed and checked.
    c["aud"] = client;
    c["azp"] = client;
    EXPECT_EQ(code_of(c), std::error_code());
}

TEST_F(IdToken, MaxAgeAndAuthTime) {
    v.max_age = 600s;
    EXPECT_EQ(code_of(claims), std::error_code());
    json c = claims;
    c["auth_time"] = s0 - 640; // 645 s before now, 30 s leeway
    EXPECT_EQ(code_of(c), errc::id_token_auth_too_old);
    c.erase("auth_time");
    EXPECT_EQ(code_of(c), errc::id_token_auth_time_missing);
    v.max_age.reset();
    EXPECT_EQ(code_of(c), std::error_code());
    v.require_auth_time = true;
    EXPECT_EQ(code_of(c), errc::id_token_auth_time_missing);
}

TEST_F(IdToken, NonceRules) {
    // Not sent, not required on the token endpoint: a nonce in the token is fine.
    v.nonce.reset();
    EXPECT_EQ(code_of(claims), std::error_code());
    // In the hybrid flow the nonce is required even if the caller forgot it.
    v.source = oidc::id_token_source::authorization_response;
    v.fapi = false;
    v.code = code;
    json c = claims;
    c["c_hash"] = expected_half("SHA-256", code);
    EXPECT_EQ(code_of(c), errc::id_token_nonce_mismatch);
    c.erase("nonce");
    EXPECT_EQ(code_of(c), errc::id_token_nonce_missing);
}

TEST_F(IdToken, AcrAgainstTheRequestedValues) {
    v.acr_values = {"urn:openbanking:psd2:sca"};
    EXPECT_EQ(code_of(claims), std::error_code()); // voluntary: may be absent
    v.acr_essential = true;
    EXPECT_EQ(code_of(claims), errc::id_token_acr_missing);
    json c = claims;
    c["acr"] = "urn:openbanking:psd2:ca";
    EXPECT_EQ(code_of(c), errc::id_token_acr_not_accepted);
    c["acr"] = "urn:openbanking:psd2:sca";
    auto t = check(c);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->acr(), "urn:openbanking:psd2:sca");
}

TEST_F(IdToken, HybridFlowHashes) {
    v.source = oidc::id_token_source::authorization_response;
    v.code = code;
    v.state = state;
    json c = claims;
    c["c_hash"] = expected_half("SHA-256", code);
    c["s_hash"] = expected_half("SHA-256", state);
    EXPECT_EQ(code_of(c), std::error_code());

    json no_s = c;
    no_s.erase("s_hash");
    EXPECT_EQ(code_of(no_s), errc::s_hash_missing); // FAPI 1.0 Advanced
    v.fapi = false;
    EXPECT_EQ(code_of(no_s), std::error_code()); // plain OpenID Connect
    v.fapi = true;

    json no_c = c;
    no_c.erase("c_hash");
    EXPECT_EQ(code_of(no_c), errc::c_hash_missing);
    json wrong_c = c;
    wrong_c["c_hash"] = expected_half("SHA-256", access_token);
    EXPECT_EQ(code_of(wrong_c), errc::c_hash_mismatch);
    json wrong_s = c;
    wrong_s["s_hash"] = expected_half("SHA-384", state).substr(0, 22);
    EXPECT_EQ(code_of(wrong_s), errc::s_hash_mismatch);
    v.state = "another-state";
    EXPECT_EQ(code_of(c), errc::s_hash_mismatch);
}

// Glewlwyd puts c_hash and s_hash into the ID token of the token endpoint:
// every hash claim present is checked against the value the caller holds,
// wherever the token came from.
TEST_F(IdToken, HashClaimsFromTheTokenEndpointAreChecked) {
    v.source = oidc::id_token_source::token_endpoint;
    v.code = code;
    v.state = state;
    v.access_token = access_token;
    json c = claims;
    c["c_hash"] = expected_half("SHA-256", code);
    c["s_hash"] = expected_half("SHA-256", state);
    c["at_hash"] = expected_half("SHA-256", access_token);
    EXPECT_EQ(code_of(c), std::error_code());
    json wrong = c;
    wrong["c_hash"] = expected_half("SHA-256", state);
    EXPECT_EQ(code_of(wrong), errc::c_hash_mismatch);
    wrong = c;
    wrong["s_hash"] = expected_half("SHA-256", code);
    EXPECT_EQ(code_of(wrong), errc::s_hash_mismatch);
    wrong = c;
    wrong["at_hash"] = expected_half("SHA-256", code);
    EXPECT_EQ(code_of(wrong), errc::at_hash_mismatch);
    // Absent claims are fine at the token endpoint.
    EXPECT_EQ(code_of(claims), std::error_code());
    // A claim with nothing to compare: its own error, naming the claim.
    v.state.reset();
    auto r = check(c);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::token_hash_unverifiable);
    EXPECT_NE(r.error().detail.find("s_hash"), std::string::npos) << r.error().detail;
}

TEST_F(IdToken, AccessTokenHash) {
    v.access_token = access_token;
    json c = claims;
    EXPECT_EQ(code_of(c), std::error_code()); // optional in the code flow
    v.require_at_hash = true;
    EXPECT_EQ(code_of(c), errc::at_hash_missing);
    c["at_hash"] = expected_half("SHA-256", access_token);
    EXPECT_EQ(code_of(c), std::error_code());
    // The OpenID Connect Core A.4 value itself.
    EXPECT_EQ(c["at_hash"], "77QmUPtjPfzWtF2AnpK9RQ");
    c["at_hash"] = "77QmUPtjPfzWtF2AnpK9RA";
    EXPECT_EQ(code_of(c), errc::at_hash_mismatch);
}

TEST_F(IdToken, TokenHashMatchesOpenSslForEveryAlgorithm) {
    for (const char* value : {access_token, code, state}) {
        for (algorithm a : jose::all_algorithms) {
            if (a == algorithm::EdDSA)
                continue;
            EXPECT_EQ(oidc::token_hash(a, value).value(), expected_half(hash_of(a), value))
                << jose::info(a).name;
        }
        EXPECT_EQ(oidc::token_hash(algorithm::EdDSA, value, jose::curve::ed25519).value(),
                  expected_half("SHA-512", value));
        EXPECT_EQ(oidc::token_hash(algorithm::EdDSA, value, jose::curve::ed448).value(),
                  expected_half("SHAKE256-114", value));
    }
    EXPECT_FALSE(oidc::token_hash(algorithm::EdDSA, "x"));
}

TEST_F(IdToken, HashesInTokensOfEveryAlgorithm) {
    // The hash follows the token's algorithm, and for EdDSA its curve.
    auto run = [&](const jose::jwk& key, algorithm a, const std::string& hash) {
        json c = claims;
        c["at_hash"] = expected_half(hash, access_token);
        c["c_hash"] = expected_half(hash, code);
        c["s_hash"] = expected_half(hash, state);
        auto x = v;
        x.algorithms = jose::algorithm_set{a};
        x.source = oidc::id_token_source::authorization_response;
        x.access_token = access_token;
        x.require_at_hash = true;
        x.code = code;
        x.state = state;
        auto t = oidc::validate_id_token(jose::sign_jwt(c, key).value(), key, x, start);
        EXPECT_TRUE(t) << jose::info(a).name << " " << hash << ": "
                       << (t ? "" : t.error().to_string());
    };
    for (algorithm a : jose::all_algorithms)
        run(key_for(a), a, a == algorithm::EdDSA ? "SHA-512" : hash_of(a));
    run(ed448_key(), algorithm::EdDSA, "SHAKE256-114");
}

TEST_F(IdToken, ErrorsDoNotCarryTheNonceOrTokens) {
    json c = claims;
    c["nonce"] = "attacker-nonce-secret";
    v.nonce = "expected-nonce-secret";
    auto r = check(c);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().to_string().find("secret"), std::string::npos) << r.error().to_string();
}

} // namespace
