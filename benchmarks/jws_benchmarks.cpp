// JWS/JWT sign and verify for every algorithm, beside the OpenSSL ceiling;
// JWK parsing, key-set lookup, PKCE and client assertions.
//
// Names: jws/<ALG>/<sign|verify>/<obauth|ceiling>, so the JSON output pairs
// mechanically (scripts/bench does it). A realistic JWT: header
// {"alg","typ":"JWT","kid"} and about 250 bytes of claims.
#include "alloc_counter.hpp"
#include "ceiling.hpp"
#include "paired.hpp"
#include "setup_failure.hpp"

#include <obauth/assertion/assertion_verifier.hpp>
#include <obauth/assertion/client_assertion.hpp>
#include <obauth/jose/jwks.hpp>
#include <obauth/jose/jwt.hpp>
#include <obauth/jose/key_io.hpp>
#include <obauth/oidc/id_token.hpp>
#include <obauth/pkce/code_verifier.hpp>

#include <benchmark/benchmark.h>

#include <openssl/rand.h>
#include <openssl/x509.h>

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace {

namespace jose = obauth::jose;
using jose::algorithm;

constexpr std::int64_t iat = 1900000000;
const obauth::time_point now = obauth::from_unix_seconds(iat + 10);

obauth::json realistic_claims() {
    return {{"iss", "https://auth.hamsterbank.example"},
            {"sub", "user-8d3f0a7c-4b21-4c5e-9f1a-2b7c6d5e4f30"},
            {"aud", "https://api.hamsterbank.example/open-banking/v3.1"},
            {"exp", iat + 300},
            {"iat", iat},
            {"jti", "b7e4c1d2-9a8f-4e3b-8c7d-6f5e4d3c2b1a"},
            {"scope", "openid accounts payments fundsconfirmations"}};
}

jose::jwt_validation policy() {
    jose::jwt_validation p;
    p.issuer = "https://auth.hamsterbank.example";
    p.audiences = {"https://api.hamsterbank.example/open-banking/v3.1"};
    return p;
}

struct variant {
    std::string name;
    algorithm alg;
    bench::primitive prim;
    std::string digest;
    jose::jwk key;
    jose::jwk pub;
    std::string token;
    std::string signing_input;
    std::vector<unsigned char> ceiling_sig; // as the ceiling verifies it (DER for ECDSA)
    std::string hmac_key;

    bench::ceiling make_ceiling(bool sign) const {
        return bench::ceiling(prim, digest.c_str(), key.data().pkey.get(), hmac_key, sign);
    }
};

bench::primitive primitive_of(algorithm a) {
    switch (jose::family(a)) {
    case jose::algorithm_family::hmac:
        return bench::primitive::hmac;
    case jose::algorithm_family::rsa_pkcs1:
        return bench::primitive::rsa_pkcs1;
    case jose::algorithm_family::rsa_pss:
        return bench::primitive::rsa_pss;
    case jose::algorithm_family::ecdsa:
        return bench::primitive::ecdsa;
    default:
        return bench::primitive::eddsa;
    }
}

std::unique_ptr<variant> make_variant(const std::string& name, algorithm a, bool ed448 = false) {
    auto v = std::make_unique<variant>(
        variant{name,
                a,
                primitive_of(a),
                std::string(jose::info(a).digest),
                ed448 ? jose::generate_okp_key(jose::curve::ed448, "bench-key").value()
                      : jose::generate_key(a, "bench-key").value(),
                jose::jwk(nullptr),
                {},
                {},
                {},
                {}});
    v->pub = v->key.public_key();
    if (v->prim == bench::primitive::hmac)
        v->hmac_key = std::string(v->key.data().oct.expose_secret_chars());
    auto token = jose::sign_jwt(realistic_claims(), v->key);
    if (!token)
        bench::setup_failed(name + ": " + token.error().to_string());
    v->token = *token;
    v->signing_input = v->token.substr(0, v->token.rfind('.'));
    // The ceiling verifies its own signature over the same input.
    auto c = v->make_ceiling(true);
    unsigned char sig[2048];
    const std::size_t len = c.sign(v->signing_input, sig, sizeof sig);
    v->ceiling_sig.assign(sig, sig + len);
    return v;
}

std::deque<std::unique_ptr<variant>>& variants() {
    static std::deque<std::unique_ptr<variant>> all;
    return all;
}

// One sign and one verify, each obauth's way and the ceiling's, set up
// once: the separate rows and the paired ones (bench/paired.hpp) run the
// same operations.
struct sign_ops {
    const variant* v;
    obauth::json claims = realistic_claims();
    bench::ceiling c;
    unsigned char sig[2048];

    explicit sign_ops(const variant* var) : v(var), c(var->make_ceiling(true)) {}
    void ours() {
        auto t = jose::sign_jwt(claims, v->key);
        benchmark::DoNotOptimize(t);
    }
    void ceiling() { benchmark::DoNotOptimize(c.sign(v->signing_input, sig, sizeof sig)); }
};

struct verify_ops {
    const variant* v;
    jose::jws_verify_options opts;
    jose::jwt_validation p = policy();
    bench::ceiling c;

    explicit verify_ops(const variant* var) : v(var), c(var->make_ceiling(false)) {
        opts.algorithms = jose::algorithm_set{v->alg};
        if (!jose::verify_jwt(v->token, v->pub, opts, p, now))
            bench::setup_failed(v->name + " does not verify");
        if (!c.verify(v->signing_input, v->ceiling_sig.data(), v->ceiling_sig.size()))
            bench::setup_failed(v->name + " ceiling does not verify");
    }
    void ours() {
        auto r = jose::verify_jwt(v->token, v->pub, opts, p, now);
        benchmark::DoNotOptimize(r);
    }
    void ceiling() {
        benchmark::DoNotOptimize(
            c.verify(v->signing_input, v->ceiling_sig.data(), v->ceiling_sig.size()));
    }
};

// One side on its own (the separate rows): obauth's, or the ceiling's.
template <class Ops, bool Obauth>
void run_one(benchmark::State& state, const variant* v) {
    Ops ops(v);
    bench::alloc_scope allocs(state);
    for (auto _ : state) {
        if constexpr (Obauth)
            ops.ours();
        else
            ops.ceiling();
    }
}

// Both in alternating blocks of a few hundred microseconds: the ratio the
// targets are checked against.
template <class Ops>
void run_paired(benchmark::State& state, const variant* v) {
    const bool rsa_sign =
        std::is_same_v<Ops, sign_ops> &&
        (v->prim == bench::primitive::rsa_pkcs1 || v->prim == bench::primitive::rsa_pss);
    const std::size_t block = v->prim == bench::primitive::hmac ? 256 : rsa_sign ? 1 : 16;
    Ops ops(v);
    bench::paired(
        state, block, [&ops] { ops.ours(); }, [&ops] { ops.ceiling(); });
}

void register_jws(const variant* v) {
    const std::string base = "jws/" + v->name;
    benchmark::RegisterBenchmark((base + "/sign/obauth").c_str(), run_one<sign_ops, true>, v);
    benchmark::RegisterBenchmark((base + "/sign/ceiling").c_str(), run_one<sign_ops, false>, v);
    benchmark::RegisterBenchmark((base + "/verify/obauth").c_str(), run_one<verify_ops, true>, v);
    benchmark::RegisterBenchmark((base + "/verify/ceiling").c_str(), run_one<verify_ops, false>, v);
    benchmark::RegisterBenchmark((base + "/sign/paired").c_str(), run_paired<sign_ops>, v);
    benchmark::RegisterBenchmark((base + "/verify/paired").c_str(), run_paired<verify_ops>, v);
    if (v->name == "ES256" || v->name == "HS256") {
        benchmark::RegisterBenchmark((base + "/verify/obauth").c_str(), run_one<verify_ops, true>,
                                     v)
            ->Threads(2)
            ->UseRealTime();
        benchmark::RegisterBenchmark((base + "/verify/ceiling").c_str(), run_one<verify_ops, false>,
                                     v)
            ->Threads(2)
            ->UseRealTime();
    }
}

// --- keys -----------------------------------------------------------------

void jwk_parse_obauth(benchmark::State& state, std::string text) {
    const jose::jwk_options public_only{std::nullopt, true, {}, {}};
    bench::alloc_scope allocs(state);
    for (auto _ : state) {
        auto k = jose::parse_jwk(text, public_only);
        benchmark::DoNotOptimize(k);
    }
}

void jwk_parse_ceiling(benchmark::State& state, obauth::bytes spki) {
    bench::alloc_scope allocs(state);
    for (auto _ : state) {
        const unsigned char* p = spki.data();
        EVP_PKEY* k = d2i_PUBKEY(nullptr, &p, static_cast<long>(spki.size()));
        benchmark::DoNotOptimize(k);
        EVP_PKEY_free(k);
    }
}

void register_jwk(const std::string& name, algorithm a) {
    const auto key = jose::generate_key(a).value();
    const std::string text = key.to_public_json().dump();
    const obauth::bytes spki = jose::export_public_der(key).value();
    benchmark::RegisterBenchmark(("jwk/parse/" + name + "/obauth").c_str(), jwk_parse_obauth, text);
    benchmark::RegisterBenchmark(("jwk/parse/" + name + "/ceiling").c_str(), jwk_parse_ceiling,
                                 spki);
}

struct key_set_fixture {
    std::vector<jose::jwk> private_keys;
    jose::jwks set;
    std::string token;
};

key_set_fixture& hundred_keys() {
    static key_set_fixture f = [] {
        key_set_fixture k;
        std::vector<jose::jwk> pubs;
        for (int i = 0; i < 100; ++i) {
            k.private_keys.push_back(
                jose::generate_key(algorithm::ES256, "key-" + std::to_string(i)).value());
            pubs.push_back(k.private_keys.back().public_key());
        }
        k.set = jose::jwks(std::move(pubs));
        k.token = jose::sign_jwt(realistic_claims(), k.private_keys[57]).value();
        return k;
    }();
    return f;
}

void jwks_lookup(benchmark::State& state) {
    const auto& f = hundred_keys();
    bench::alloc_scope allocs(state);
    for (auto _ : state) {
        auto k = f.set.select("key-57", algorithm::ES256, jose::key_operation::verify);
        benchmark::DoNotOptimize(k);
    }
}

void jwks_verify_obauth(benchmark::State& state) {
    const auto& f = hundred_keys();
    jose::jws_verify_options opts;
    opts.algorithms = jose::algorithm_set{algorithm::ES256};
    const auto p = policy();
    if (!jose::verify_jwt(f.token, f.set, opts, p, now))
        bench::setup_failed("key set token does not verify");
    bench::alloc_scope allocs(state);
    for (auto _ : state) {
        auto r = jose::verify_jwt(f.token, f.set, opts, p, now);
        benchmark::DoNotOptimize(r);
    }
}

// --- PKCE -------------------------------------------------------------------

void pkce_obauth(benchmark::State& state) {
    bench::alloc_scope allocs(state);
    for (auto _ : state) {
        auto v = obauth::pkce::code_verifier::generate();
        auto c = v->challenge();
        benchmark::DoNotOptimize(c);
    }
}

void pkce_ceiling(benchmark::State& state) {
    EVP_MD* sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    bench::alloc_scope allocs(state);
    for (auto _ : state) {
        unsigned char raw[32], verifier[48], digest[32], challenge[48];
        unsigned int len = 0;
        RAND_bytes(raw, sizeof raw);
        EVP_EncodeBlock(verifier, raw, sizeof raw);
        EVP_Digest(verifier, 43, digest, &len, sha256, nullptr);
        EVP_EncodeBlock(challenge, digest, sizeof digest);
        benchmark::DoNotOptimize(challenge);
    }
    EVP_MD_free(sha256);
}

// --- client assertions -------------------------------------------------------

obauth::assertion::assertion_options assertion_options() {
    obauth::assertion::assertion_options o;
    o.client_id = "client-42";
    o.audience = {"https://auth.hamsterbank.example"};
    return o;
}

void assertion_create_obauth(benchmark::State& state, const variant* v) {
    const auto o = assertion_options();
    bench::alloc_scope allocs(state);
    for (auto _ : state) {
        auto a = obauth::assertion::make_private_key_jwt(v->key, o, now);
        benchmark::DoNotOptimize(a);
    }
}

void assertion_verify_obauth(benchmark::State& state, const variant* v) {
    // Every assertion is single use: verify a pool of distinct ones, with
    // a fresh replay cache (outside the timing) whenever the pool wraps.
    static std::map<const variant*, std::vector<std::string>> pools;
    auto& pool = pools[v];
    const auto o = assertion_options();
    if (pool.empty())
        for (int i = 0; i < 4096; ++i)
            pool.push_back(obauth::assertion::make_private_key_jwt(v->key, o, now)->jwt);
    const jose::jwks keys({v->pub});
    const auto p = obauth::assertion::assertion_policy::fapi("client-42", o.audience);
    auto cache = std::make_unique<obauth::assertion::jti_replay_cache>(8192);
    std::size_t i = 0;
    bench::alloc_scope allocs(state);
    for (auto _ : state) {
        if (i == pool.size()) {
            state.PauseTiming();
            cache = std::make_unique<obauth::assertion::jti_replay_cache>(8192);
            i = 0;
            state.ResumeTiming();
        }
        auto r = obauth::assertion::verify_client_assertion(pool[i++], keys, p, *cache, now);
        if (!r)
            state.SkipWithError("assertion did not verify");
        benchmark::DoNotOptimize(r);
    }
}

// A hybrid-flow ID token under the FAPI preset: signature, every claim rule,
// nonce, c_hash and s_hash. Its ceiling is the bare signature check.
void id_token_validate_obauth(benchmark::State& state, const variant* v) {
    const std::string code = "Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk";
    const std::string st = "af0ifjsldkj", nonce = "n-0S6_WzA2Mj";
    const std::int64_t t = obauth::to_unix_seconds(now);
    const obauth::json claims = {{"iss", "https://as.example"},
                                 {"sub", "psu-2289761001"},
                                 {"aud", "client-42"},
                                 {"iat", t},
                                 {"exp", t + 300},
                                 {"auth_time", t - 20},
                                 {"nonce", nonce},
                                 {"acr", "urn:openbanking:psd2:sca"},
                                 {"c_hash", obauth::oidc::token_hash(v->alg, code).value()},
                                 {"s_hash", obauth::oidc::token_hash(v->alg, st).value()}};
    const std::string token = jose::sign_jwt(claims, v->key).value();
    const jose::jwks keys({v->pub});
    auto val = obauth::oidc::fapi1_id_token_validation(
        "https://as.example", "client-42", obauth::oidc::id_token_source::authorization_response);
    val.nonce = nonce;
    val.code = code;
    val.state = st;
    bench::alloc_scope allocs(state);
    for (auto _ : state) {
        auto r = obauth::oidc::validate_id_token(token, keys, val, now);
        if (!r)
            state.SkipWithError("ID token did not validate");
        benchmark::DoNotOptimize(r);
    }
}

} // namespace

void register_jws_benchmarks() {
    struct spec {
        const char* name;
        algorithm alg;
        bool ed448;
    };
    for (const spec s :
         {spec{"HS256", algorithm::HS256, false}, spec{"HS384", algorithm::HS384, false},
          spec{"HS512", algorithm::HS512, false}, spec{"RS256", algorithm::RS256, false},
          spec{"RS384", algorithm::RS384, false}, spec{"RS512", algorithm::RS512, false},
          spec{"PS256", algorithm::PS256, false}, spec{"PS384", algorithm::PS384, false},
          spec{"PS512", algorithm::PS512, false}, spec{"ES256", algorithm::ES256, false},
          spec{"ES384", algorithm::ES384, false}, spec{"ES512", algorithm::ES512, false},
          spec{"ES256K", algorithm::ES256K, false}, spec{"EdDSA-Ed25519", algorithm::EdDSA, false},
          spec{"EdDSA-Ed448", algorithm::EdDSA, true}}) {
        variants().push_back(make_variant(s.name, s.alg, s.ed448));
        register_jws(variants().back().get());
    }
    register_jwk("EC-P256", algorithm::ES256);
    register_jwk("RSA-2048", algorithm::RS256);
    benchmark::RegisterBenchmark("jwks/lookup-100-keys/obauth", jwks_lookup);
    benchmark::RegisterBenchmark("jwks/ES256-100-keys/verify/obauth", jwks_verify_obauth);
    benchmark::RegisterBenchmark("jwks/ES256-100-keys/verify/ceiling", run_one<verify_ops, false>,
                                 variants()[9].get());
    benchmark::RegisterBenchmark("pkce/create/obauth", pkce_obauth);
    benchmark::RegisterBenchmark("pkce/create/ceiling", pkce_ceiling);
    for (const variant* v : {variants()[9].get(), variants()[6].get()}) { // ES256, PS256
        benchmark::RegisterBenchmark(("assertion/" + v->name + "/create/obauth").c_str(),
                                     assertion_create_obauth, v);
        benchmark::RegisterBenchmark(("assertion/" + v->name + "/create/ceiling").c_str(),
                                     run_one<sign_ops, false>, v);
        benchmark::RegisterBenchmark(("assertion/" + v->name + "/verify/obauth").c_str(),
                                     assertion_verify_obauth, v);
        benchmark::RegisterBenchmark(("assertion/" + v->name + "/verify/ceiling").c_str(),
                                     run_one<verify_ops, false>, v);
        benchmark::RegisterBenchmark(("oidc/id_token/" + v->name + "/validate/obauth").c_str(),
                                     id_token_validate_obauth, v);
        benchmark::RegisterBenchmark(("oidc/id_token/" + v->name + "/validate/ceiling").c_str(),
                                     run_one<verify_ops, false>, v);
    }
}
