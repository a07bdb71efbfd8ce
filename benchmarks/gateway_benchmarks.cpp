// The gateway's hot path beside the bare signature check it cannot avoid:
// resource::validator on an RS256 RFC 9068 access token (a 3-key JWKS, every
// claim check, the certificate binding against the presented thumbprint),
// and the same request answered from the verified-token cache, both beside
// one bare RS256 verification of the token's signing input.
//
// Names: gateway/RS256/<verify|cache-hit>/<obauth|ceiling>; verify also
// with two threads sharing one validator (real time: throughput), and
// gateway/RS256/verify/scaling: one thread and two in alternating blocks
// (bench/scaling.hpp), the scaling the target is checked against.
#include "alloc_counter.hpp"
#include "ceiling.hpp"
#include "paired.hpp"
#include "scaling.hpp"
#include "setup_failure.hpp"

#include <obauth/core/base64url.hpp>
#include <obauth/jose/jws_sign_options.hpp>
#include <obauth/jose/jwt.hpp>
#include <obauth/oidc/jwks_cache.hpp>
#include <obauth/resource/validator.hpp>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

namespace gateway_bench {

namespace jose = obauth::jose;
namespace resource = obauth::resource;
using jose::algorithm;

const obauth::time_point issued = obauth::from_unix_seconds(1900000000);
const std::string issuer = "https://auth.hamsterbank.example";
const std::string audience = "https://api.hamsterbank.example/open-banking/v3.1";
const std::string thumbprint = "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2";

struct setup {
    using oidc_cache = obauth::oidc::jwks_cache;

    jose::jwk signer =
        bench::value_or_fail(jose::generate_key(algorithm::RS256, "hb-2026-02"), "key");
    oidc_cache keys = make_keys();
    std::string token;
    std::string authorization;
    std::string signing_input;
    std::vector<unsigned char> signature;
    std::unique_ptr<resource::validator> with_cache, without_cache;

    oidc_cache make_keys() {
        // Three keys, the token's in the middle: the kid picks it.
        const auto a =
            bench::value_or_fail(jose::generate_key(algorithm::RS256, "hb-2025-11"), "key");
        const auto c = bench::value_or_fail(jose::generate_key(algorithm::ES256, "hb-ec-1"), "key");
        std::string body = R"({"keys":[)" + a.to_public_json().dump() + "," +
                           signer.to_public_json().dump() + "," + c.to_public_json().dump() + "]}";
        auto cache = bench::value_or_fail(oidc_cache::create(issuer + "/jwks"), "jwks cache");
        (void)cache.begin_fetch(issued);
        const obauth::http::http_response r{
            200, {{"Content-Type", std::string("application/json")}}, body};
        if (auto ok = cache.on_response(r, issued); !ok)
            bench::setup_failed("jwks: " + ok.error().to_string());
        return cache;
    }

    setup() {
        const obauth::json claims = {{"iss", issuer},
                                     {"aud", audience},
                                     {"sub", "user-8d3f0a7c-4b21-4c5e-9f1a-2b7c6d5e4f30"},
                                     {"client_id", "tpp-6f5e4d3c"},
                                     {"scope", "openid accounts payments fundsconfirmations"},
                                     {"jti", "b7e4c1d2-9a8f-4e3b-8c7d-6f5e4d3c2b1a"},
                                     {"iat", obauth::to_unix_seconds(issued)},
                                     {"exp", obauth::to_unix_seconds(issued) + 300},
                                     {"openbanking_intent_id", "urn:hamsterbank:consent:1234"},
                                     {"cnf", {{"x5t#S256", thumbprint}}}};
        jose::jws_sign_options so;
        so.typ = "at+jwt";
        token = bench::value_or_fail(jose::sign_jwt(claims, signer, so), "sign");
        authorization = "Bearer " + token;
        const auto dot = token.rfind('.');
        signing_input = token.substr(0, dot);
        signature =
            bench::value_or_fail(obauth::base64url_decode(token.substr(dot + 1)), "signature");
        with_cache = std::make_unique<resource::validator>(make_validator(true));
        without_cache = std::make_unique<resource::validator>(make_validator(false));
    }

    resource::validator make_validator(bool cache) {
        resource::validator_options o;
        o.issuer = issuer;
        o.audience = audience;
        o.algorithms = {algorithm::RS256, algorithm::PS256};
        o.require_sender_constraint = true;
        if (!cache)
            o.cache.max_entries = 0;
        return bench::value_or_fail(resource::validator::create(std::move(o), keys), "validator");
    }

    resource::resource_request request() const {
        resource::resource_request r;
        r.authorization = {authorization};
        r.method = "GET";
        r.url = "https://api.hamsterbank.example/open-banking/v3.1/aisp/accounts";
        r.client_certificate_thumbprint = thumbprint;
        return r;
    }
};

setup& shared() {
    static setup s;
    return s;
}

void validate(benchmark::State& state, bool cache) {
    setup& s = shared();
    // One validator for every thread of a multi-threaded run.
    resource::validator& v = *(cache ? s.with_cache : s.without_cache);
    const auto r = s.request();
    if (auto first = v.validate(r, issued); !first)
        bench::setup_failed("the token does not validate: " + first.error().to_string());
    bench::alloc_scope allocs(state);
    for (auto _ : state) {
        auto t = v.validate(r, issued);
        benchmark::DoNotOptimize(t);
    }
}

void ceiling(benchmark::State& state) {
    setup& s = shared();
    bench::ceiling c(bench::primitive::rsa_pkcs1, "SHA256", s.signer.data().pkey.get(), {}, false);
    if (!c.verify(s.signing_input, s.signature.data(), s.signature.size()))
        bench::setup_failed("the ceiling does not verify");
    bench::alloc_scope allocs(state);
    for (auto _ : state)
        benchmark::DoNotOptimize(c.verify(s.signing_input, s.signature.data(), s.signature.size()));
}

// Both in alternating blocks (bench/paired.hpp): the ratio the target is
// checked against.
void paired(benchmark::State& state) {
    setup& s = shared();
    resource::validator& v = *s.without_cache;
    const auto r = s.request();
    bench::ceiling c(bench::primitive::rsa_pkcs1, "SHA256", s.signer.data().pkey.get(), {}, false);
    if (!v.validate(r, issued) ||
        !c.verify(s.signing_input, s.signature.data(), s.signature.size()))
        bench::setup_failed("the token does not validate");
    bench::paired(
        state, 16,
        [&] {
            auto t = v.validate(r, issued);
            benchmark::DoNotOptimize(t);
        },
        [&] {
            benchmark::DoNotOptimize(
                c.verify(s.signing_input, s.signature.data(), s.signature.size()));
        });
}

// One thread and two in alternating blocks: two threads share the
// validator, each has a ceiling of its own (its contexts are per object).
void scaling(benchmark::State& state) {
    setup& s = shared();
    resource::validator& v = *s.without_cache;
    const auto r = s.request();
    bench::ceiling c0(bench::primitive::rsa_pkcs1, "SHA256", s.signer.data().pkey.get(), {}, false);
    bench::ceiling c1(bench::primitive::rsa_pkcs1, "SHA256", s.signer.data().pkey.get(), {}, false);
    bench::ceiling* const c[] = {&c0, &c1};
    bench::paired_scaling(
        state, 8,
        [&](int) {
            auto t = v.validate(r, issued);
            benchmark::DoNotOptimize(t);
        },
        [&](int thread) {
            benchmark::DoNotOptimize(
                c[thread]->verify(s.signing_input, s.signature.data(), s.signature.size()));
        });
}

} // namespace gateway_bench

void register_gateway_benchmarks() {
    using namespace gateway_bench;
    shared(); // keys and validators made before any benchmark thread starts
    benchmark::RegisterBenchmark("gateway/RS256/verify/obauth", validate, false);
    benchmark::RegisterBenchmark("gateway/RS256/verify/ceiling", ceiling);
    benchmark::RegisterBenchmark("gateway/RS256/verify/paired", paired);
    benchmark::RegisterBenchmark("gateway/RS256/cache-hit/obauth", validate, true);
    benchmark::RegisterBenchmark("gateway/RS256/cache-hit/ceiling", ceiling);
    benchmark::RegisterBenchmark("gateway/RS256/verify/obauth", validate, false)
        ->Threads(2)
        ->UseRealTime();
    benchmark::RegisterBenchmark("gateway/RS256/verify/ceiling", ceiling)
        ->Threads(2)
        ->UseRealTime();
    benchmark::RegisterBenchmark("gateway/RS256/verify/scaling", scaling);
}
