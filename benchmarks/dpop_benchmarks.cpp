// DPoP proofs, made and verified, beside the ceiling of one bare signature
// operation of the same algorithm over the same signing input.
//
// Names: dpop/<ALG>/<make|verify|verify-cold>/<obauth|ceiling>, and
// dpop/<ALG>/verify/paired (both in alternating blocks). Verification is the
// whole of RFC 9449 §4.3 for a token-endpoint request (header and claims
// parsed, the header's key imported, signature, htm, htu, iat, and the jti
// recorded in an in-process replay store); each iteration verifies another
// proof, the store is emptied (outside the timing) when they run out.
#include "alloc_counter.hpp"
#include "ceiling.hpp"
#include "paired.hpp"
#include "setup_failure.hpp"

#include <obauth/dpop/proof.hpp>
#include <obauth/dpop/verifier.hpp>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace dpop_bench {

namespace jose = obauth::jose;
namespace dpop = obauth::dpop;
using jose::algorithm;

const obauth::time_point made_at = obauth::from_unix_seconds(1900000000);
constexpr const char* url = "https://as.example/token";
constexpr std::size_t proof_count = 4096;

struct variant {
    std::string name;
    algorithm alg;
    bench::primitive prim;
    jose::jwk key;
    std::vector<std::string> proofs;
    std::string signing_input;
    std::vector<unsigned char> ceiling_sig;

    bench::ceiling make_ceiling(bool sign) const {
        return bench::ceiling(prim, "SHA256", key.data().pkey.get(), {}, sign);
    }
};

std::unique_ptr<variant> make_variant(const std::string& name, algorithm a) {
    auto key = a == algorithm::EdDSA ? jose::generate_okp_key(jose::curve::ed25519).value()
                                     : jose::generate_key(a).value();
    auto v = std::make_unique<variant>(
        variant{name,
                a,
                a == algorithm::EdDSA ? bench::primitive::eddsa : bench::primitive::ecdsa,
                std::move(key),
                {},
                {},
                {}});
    for (std::size_t i = 0; i < proof_count; ++i) {
        auto p = dpop::make_proof(v->key, {"POST", url, {}, {}}, made_at);
        if (!p)
            bench::setup_failed(name + ": " + p.error().to_string());
        v->proofs.push_back(std::move(*p));
    }
    v->signing_input = v->proofs.front().substr(0, v->proofs.front().rfind('.'));
    auto c = v->make_ceiling(true);
    unsigned char sig[512];
    const std::size_t len = c.sign(v->signing_input, sig, sizeof sig);
    v->ceiling_sig.assign(sig, sig + len);
    return v;
}

std::deque<std::unique_ptr<variant>>& variants() {
    static std::deque<std::unique_ptr<variant>> all;
    return all;
}

void make_obauth(benchmark::State& state, const variant* v) {
    // As a client signs: the key prepared once (oauth::dpop_binding does).
    const auto signer = dpop::proof_signer::create(v->key).value();
    bench::alloc_scope allocs(state);
    for (auto _ : state) {
        auto p = signer.sign({"POST", url, {}, {}}, made_at);
        benchmark::DoNotOptimize(p);
    }
}

void make_ceiling(benchmark::State& state, const variant* v) {
    auto c = v->make_ceiling(true);
    unsigned char sig[512];
    bench::alloc_scope allocs(state);
    for (auto _ : state)
        benchmark::DoNotOptimize(c.sign(v->signing_input, sig, sizeof sig));
}

// One verification after another, each of another proof; the replay store
// is emptied when they run out (`reset`, outside the timing where it can be).
struct verify_ops {
    const variant* v;
    std::unique_ptr<obauth::store::memory_replay_store> seen;
    dpop::proof_key_cache keys;
    dpop::verify_options o;
    dpop::proof_request r;
    std::size_t next = 1;
    bench::ceiling c;

    verify_ops(const variant* var, bool key_cache) : v(var), c(var->make_ceiling(false)) {
        reset();
        if (key_cache)
            o.keys = &keys;
        r.method = "POST";
        r.url = url;
        r.dpop_headers = {v->proofs.front()};
        if (auto first = dpop::verify_proof(r, made_at, o); !first)
            bench::setup_failed(v->name + " does not verify: " + first.error().to_string());
        if (!c.verify(v->signing_input, v->ceiling_sig.data(), v->ceiling_sig.size()))
            bench::setup_failed(v->name + " ceiling does not verify");
        next = 1;
    }
    bool exhausted() const noexcept { return next == proof_count; }
    void reset() {
        seen = std::make_unique<obauth::store::memory_replay_store>(proof_count);
        o.replay = seen.get();
        next = 0;
    }
    void ours() {
        r.dpop_headers.front() = v->proofs[next++];
        auto ok = dpop::verify_proof(r, made_at, o);
        benchmark::DoNotOptimize(ok);
    }
    void ceiling() {
        benchmark::DoNotOptimize(
            c.verify(v->signing_input, v->ceiling_sig.data(), v->ceiling_sig.size()));
    }
};

void verify_obauth(benchmark::State& state, const variant* v, bool key_cache) {
    verify_ops ops(v, key_cache);
    bench::alloc_scope allocs(state);
    for (auto _ : state) {
        if (ops.exhausted()) {
            state.PauseTiming();
            ops.reset();
            state.ResumeTiming();
        }
        ops.ours();
    }
}

void verify_ceiling(benchmark::State& state, const variant* v) {
    verify_ops ops(v, false);
    bench::alloc_scope allocs(state);
    for (auto _ : state)
        ops.ceiling();
}

// Both in alternating blocks (bench/paired.hpp): the ratio the target is
// checked against. The store's reset, once per 4096 proofs, falls inside
// obauth's blocks here.
void verify_paired(benchmark::State& state, const variant* v) {
    verify_ops ops(v, true);
    bench::paired(
        state, 8,
        [&ops] {
            if (ops.exhausted())
                ops.reset();
            ops.ours();
        },
        [&ops] { ops.ceiling(); });
}

} // namespace dpop_bench

void register_dpop_benchmarks() {
    using namespace dpop_bench;
    for (const auto& [name, alg] : {std::pair<const char*, algorithm>{"ES256", algorithm::ES256},
                                    {"EdDSA", algorithm::EdDSA}}) {
        variants().push_back(make_variant(name, alg));
        const variant* v = variants().back().get();
        const std::string base = std::string("dpop/") + name;
        benchmark::RegisterBenchmark((base + "/make/obauth").c_str(), make_obauth, v);
        benchmark::RegisterBenchmark((base + "/make/ceiling").c_str(), make_ceiling, v);
        // A gateway keeps the keys of headers it has seen (the default
        // here); "verify-cold" imports the header's key every time.
        benchmark::RegisterBenchmark((base + "/verify/obauth").c_str(), verify_obauth, v, true);
        benchmark::RegisterBenchmark((base + "/verify/ceiling").c_str(), verify_ceiling, v);
        benchmark::RegisterBenchmark((base + "/verify/paired").c_str(), verify_paired, v);
        benchmark::RegisterBenchmark((base + "/verify-cold/obauth").c_str(), verify_obauth, v,
                                     false);
        benchmark::RegisterBenchmark((base + "/verify-cold/ceiling").c_str(), verify_ceiling, v);
    }
}
