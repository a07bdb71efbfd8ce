#include <obauth/dpop/verifier.hpp>

#include <obauth/core/base64url.hpp>
#include <obauth/core/json.hpp>
#include <obauth/jose/jws_sign_options.hpp>
#include <obauth/jose/jwt_claims.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace obauth;
using namespace std::chrono_literals;
using dpop::errc;
using jose::algorithm;

const time_point t0 = from_unix_seconds(1700000000);
const std::string token_url = "https://as.example/token";

class DpopVerifier : public ::testing::Test {
protected:
    DpopVerifier() { options.replay = &replay; }

    /// Verifies `proof` sent with POST to the token endpoint.
    result<dpop::verified_proof> check(const std::string& proof, time_point now = t0) {
        dpop::proof_request r;
        r.dpop_headers = {proof};
        r.method = "POST";
        r.url = token_url;
        return dpop::verify_proof(r, now, options);
    }
    std::error_code code_of(const std::string& proof, time_point now = t0) {
        auto r = check(proof, now);
        return r ? std::error_code() : r.error().code;
    }
    std::string proof(time_point now = t0) {
        return dpop::make_proof(key, {"POST", token_url, {}, {}}, now).value();
    }
    /// A proof with a header and claims of the test's choosing, signed by
    /// `signer` (the header's jwk is `key`'s unless `header` sets one).
    std::string forged(json header, const json& claims, const jose::jwk& signer) {
        if (!header.is_object())
            header = json::object();
        jose::jws_sign_options so;
        so.alg = header.contains("alg")
                     ? jose::parse_algorithm(header["alg"].get<std::string>()).value()
                     : algorithm::ES256;
        so.typ = header.contains("typ") ? header["typ"].get<std::string>() : "dpop+jwt";
        header.erase("alg");
        header.erase("typ");
        if (!header.contains("jwk"))
            header["jwk"] = dpop::proof_jwk(key);
        so.include_kid = false;
        so.extra_header = header;
        return jose::sign_jwt(claims, signer, so).value();
    }
    json claims(time_point now = t0) {
        json c = json::object();
        c["jti"] = "jti-" + std::to_string(++counter);
        c["htm"] = "POST";
        c["htu"] = token_url;
        c["iat"] = to_unix_seconds(now);
        return c;
    }

    jose::jwk key = jose::generate_key(algorithm::ES256).value();
    store::memory_replay_store replay;
    dpop::verify_options options;
    int counter = 0;
};

TEST_F(DpopVerifier, AcceptsAProofAndReturnsTheKeysThumbprint) {
    auto r = check(proof());
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->thumbprint(), key.thumbprint().value());
    EXPECT_EQ(r->alg(), algorithm::ES256);
    EXPECT_EQ(r->iat(), 1700000000);
    // EdDSA and PS256 too.
    for (auto k : {jose::generate_okp_key(jose::curve::ed25519).value(),
                   jose::generate_key(algorithm::PS256).value()}) {
        auto p = dpop::make_proof(k, {"POST", token_url, {}, {}}, t0).value();
        auto v = check(p);
        ASSERT_TRUE(v) << v.error();
        EXPECT_EQ(v->thumbprint(), k.thumbprint().value());
    }
}

TEST_F(DpopVerifier, ExactlyOneHeaderField) {
    dpop::proof_request r;
    r.method = "POST";
    r.url = token_url;
    EXPECT_EQ(dpop::verify_proof(r, t0, options).error().code, errc::missing_proof);
    const std::string p = proof();
    r.dpop_headers = {p, p};
    EXPECT_EQ(dpop::verify_proof(r, t0, options).error().code, errc::multiple_proofs);
}

TEST_F(DpopVerifier, HostileShapes) {
    EXPECT_EQ(code_of(""), errc::malformed_proof);
    EXPECT_EQ(code_of(std::string(9000, 'a')), errc::malformed_proof);
    EXPECT_EQ(code_of("a.b.c"), errc::malformed_proof);
    EXPECT_EQ(code_of("no-dots-at-all"), errc::malformed_proof);
    EXPECT_EQ(code_of(base64url_encode(bytes_view(std::string_view("[1]"))) + ".e30.x"),
              errc::malformed_proof);
    std::string p = proof();
    p.back() = p.back() == 'A' ? 'B' : 'A';
    EXPECT_EQ(code_of(p), errc::invalid_signature);
}

TEST_F(DpopVerifier, TypAlgAndKeyRules) {
    EXPECT_EQ(code_of(forged({{"typ", "JWT"}}, claims(), key)), errc::invalid_typ);
    // alg none, crafted by hand.
    const json none_header = {{"typ", "dpop+jwt"}, {"alg", "none"}, {"jwk", dpop::proof_jwk(key)}};
    const std::string none = base64url_encode(bytes_view(std::string_view(none_header.dump()))) +
                             "." + base64url_encode(bytes_view(std::string_view(claims().dump()))) +
                             ".";
    EXPECT_EQ(code_of(none), errc::algorithm_not_allowed);
    // HS256 with a key the attacker chose.
    const auto hmac = jose::generate_key(algorithm::HS256).value();
    EXPECT_EQ(code_of(forged({{"alg", "HS256"}}, claims(), hmac)), errc::algorithm_not_allowed);
    // An algorithm outside the allow-list.
    options.algorithms = jose::algorithm_set{algorithm::EdDSA};
    EXPECT_EQ(code_of(proof()), errc::algorithm_not_allowed);
    options.algorithms = jose::algorithm_set{algorithm::ES256};
    // The private key in the header.
    const json private_jwk =
        parse_json(key.export_private_json().value().expose_secret_chars()).value();
    EXPECT_EQ(code_of(forged({{"jwk", private_jwk}}, claims(), key)), errc::invalid_key);
    // No jwk, or one that is not a key.
    EXPECT_EQ(code_of(forged({{"jwk", "x"}}, claims(), key)), errc::invalid_key);
    EXPECT_EQ(code_of(forged({{"jwk", {{"kty", "EC"}}}}, claims(), key)), errc::invalid_key);
    // Signed by another key than the one in the header.
    const auto other = jose::generate_key(algorithm::ES256).value();
    EXPECT_EQ(code_of(forged({}, claims(), other)), errc::invalid_signature);
}

TEST_F(DpopVerifier, ClaimRules) {
    for (const char* m : {"jti", "htm", "htu", "iat"}) {
        json c = claims();
        c.erase(m);
        EXPECT_EQ(code_of(forged({}, c, key)), errc::missing_claim) << m;
    }
    json c = claims();
    c["htm"] = "GET";
    EXPECT_EQ(code_of(forged({}, c, key)), errc::method_mismatch);
    c = claims();
    c["htm"] = "post"; // methods are case-sensitive
    EXPECT_EQ(code_of(forged({}, c, key)), errc::method_mismatch);
    c = claims();
    c["htu"] = "https://as.example/par";
    EXPECT_EQ(code_of(forged({}, c, key)), errc::url_mismatch);
    c["htu"] = "https://evil.example/token";
    EXPECT_EQ(code_of(forged({}, c, key)), errc::url_mismatch);
    // A claim of another type is absent; an escaped one is read as decoded.
    c = claims();
    c["htu"] = json::array({token_url});
    EXPECT_EQ(code_of(forged({}, c, key)), errc::missing_claim);
    c = claims();
    c["htm"] = 5;
    EXPECT_EQ(code_of(forged({}, c, key)), errc::missing_claim);
    const std::string escaped =
        R"({"jti":"e-1","htm":"P\u004fST","htu":"https:\/\/as.example\/token","iat":1700000000})";
    jose::jws_sign_options so;
    so.typ = "dpop+jwt";
    so.include_kid = false;
    so.extra_header = json::object({{"jwk", dpop::proof_jwk(key)}});
    const std::string escaped_proof =
        jose::sign_compact(bytes_view(std::string_view(escaped)), key, so).value();
    EXPECT_TRUE(check(escaped_proof)) << check(escaped_proof).error();
    // Equivalent spellings of the same URL are the same URL.
    c = claims();
    c["htu"] = "HTTPS://AS.example:443/token?ignored=1";
    EXPECT_TRUE(check(forged({}, c, key)));
}

TEST_F(DpopVerifier, IatWindow) {
    EXPECT_TRUE(check(proof(t0 - 60s)));
    EXPECT_EQ(code_of(proof(t0 - 70s)), errc::iat_out_of_window);
    EXPECT_TRUE(check(proof(t0 + 5s)));
    EXPECT_EQ(code_of(proof(t0 + 10s)), errc::iat_out_of_window);
}

TEST_F(DpopVerifier, ServerNonce) {
    std::vector<secret> keys;
    keys.push_back(secret(bytes_view(std::string(32, 'n'))));
    auto nonces = dpop::nonce_issuer::create(std::move(keys)).value();
    options.nonces = &nonces;
    EXPECT_EQ(code_of(proof()), errc::nonce_required);
    EXPECT_EQ(dpop::challenge_error(errc::nonce_required), "use_dpop_nonce");
    const std::string nonce = nonces.issue(t0).value();
    auto with = dpop::make_proof(key, {"POST", token_url, {}, nonce}, t0).value();
    EXPECT_TRUE(check(with));
    auto stale = dpop::make_proof(key, {"POST", token_url, {}, nonce}, t0 + 20min).value();
    EXPECT_EQ(code_of(stale, t0 + 20min), errc::nonce_invalid);
    auto made_up =
        dpop::make_proof(key, {"POST", token_url, {}, std::string_view("AAAA")}, t0).value();
    EXPECT_EQ(code_of(made_up), errc::nonce_invalid);
}

TEST_F(DpopVerifier, AccessTokenHashAndKeyBinding) {
    const std::string token = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU";
    const std::string jkt = key.thumbprint().value();
    auto resource = [&](const std::string& p, std::string_view presented, std::string_view bound) {
        dpop::proof_request r;
        r.dpop_headers = {p};
        r.method = "GET";
        r.url = "https://rs.example/accounts";
        r.access_token = presented;
        r.bound_jkt = bound;
        auto v = dpop::verify_proof(r, t0, options);
        return v ? std::error_code() : v.error().code;
    };
    auto make = [&](std::optional<std::string_view> ath_of) {
        return dpop::make_proof(key, {"GET", "https://rs.example/accounts", ath_of, {}}, t0)
            .value();
    };
    EXPECT_EQ(resource(make(token), token, jkt), std::error_code());
    EXPECT_EQ(resource(make({}), token, jkt), errc::ath_missing);
    EXPECT_EQ(resource(make(std::string_view("another token")), token, jkt), errc::ath_mismatch);
    const auto other = jose::generate_key(algorithm::ES256).value();
    EXPECT_EQ(resource(make(token), token, other.thumbprint().value()), errc::key_mismatch);
    EXPECT_EQ(dpop::challenge_error(errc::key_mismatch), "invalid_token");
}

TEST_F(DpopVerifier, ReplaysAreRefusedAndTheStoreFailsClosed) {
    const std::string p = proof();
    EXPECT_TRUE(check(p));
    EXPECT_EQ(code_of(p, t0 + 1s), errc::replayed);
    // The same jti from another key is another proof.
    json c = claims();
    c["jti"] = "shared";
    EXPECT_TRUE(check(forged({}, c, key)));
    const auto other = jose::generate_key(algorithm::ES256).value();
    const json other_jwk = dpop::proof_jwk(other);
    EXPECT_TRUE(check(forged({{"jwk", other_jwk}}, c, other)));
    // A proof refused for another reason is not recorded.
    std::vector<secret> keys;
    keys.push_back(secret(bytes_view(std::string(32, 'n'))));
    auto nonces = dpop::nonce_issuer::create(std::move(keys)).value();
    const std::string unrecorded = proof();
    options.nonces = &nonces;
    EXPECT_EQ(code_of(unrecorded), errc::nonce_required);
    options.nonces = nullptr;
    EXPECT_TRUE(check(unrecorded));
    // A store that cannot answer refuses every proof.
    store::memory_replay_store full(0);
    options.replay = &full;
    EXPECT_EQ(code_of(proof()), errc::replay_store_unavailable);
    options.replay = nullptr;
    EXPECT_EQ(code_of(proof()), errc::invalid_options);
}

// With a key cache the answers are the same; only checked headers are kept,
// and the algorithm allow-list still applies on a hit.
TEST_F(DpopVerifier, KeyCacheKeepsOnlyCheckedHeaders) {
    dpop::proof_key_cache keys(16);
    options.keys = &keys;
    auto first = check(proof());
    ASSERT_TRUE(first) << first.error();
    EXPECT_EQ(keys.size(), 1u);
    auto second = check(proof());
    ASSERT_TRUE(second) << second.error();
    EXPECT_EQ(second->thumbprint(), first->thumbprint());
    EXPECT_EQ(keys.size(), 1u); // the same header: a hit
    const json private_jwk =
        parse_json(key.export_private_json().value().expose_secret_chars()).value();
    EXPECT_EQ(code_of(forged({{"jwk", private_jwk}}, claims(), key)), errc::invalid_key);
    EXPECT_EQ(keys.size(), 1u);
    std::string tampered = proof();
    tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
    EXPECT_EQ(code_of(tampered), errc::invalid_signature);
    options.algorithms = jose::algorithm_set{algorithm::EdDSA};
    EXPECT_EQ(code_of(proof()), errc::algorithm_not_allowed);
}

// Many threads present the same proofs at once: each is accepted once.
TEST_F(DpopVerifier, ConcurrentReplaysAcceptEachProofOnce) {
    std::vector<std::string> proofs;
    for (int i = 0; i < 50; ++i)
        proofs.push_back(proof());
    std::atomic<int> accepted{0}, replayed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (const auto& p : proofs) {
                auto r = check(p);
                if (r)
                    ++accepted;
                else if (r.error().code == errc::replayed)
                    ++replayed;
            }
        });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(accepted.load(), 50);
    EXPECT_EQ(replayed.load(), 150);
}

} // namespace
