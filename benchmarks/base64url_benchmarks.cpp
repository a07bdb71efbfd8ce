// base64url encode/decode beside the OpenSSL ceiling
// (EVP_EncodeBlock / EVP_DecodeBlock, standard base64 over the same bytes).
// Names: core/base64url/<op>/<size>/<impl>, impl in {obauth, ceiling}.
#include <obauth/core/base64url.hpp>

#include <benchmark/benchmark.h>

#include <openssl/evp.h>

#include <random>
#include <string>

namespace {

obauth::bytes random_bytes(std::size_t n) {
    std::mt19937 gen(42);
    obauth::bytes b(n);
    for (auto& x : b)
        x = static_cast<unsigned char>(gen());
    return b;
}

void encode_obauth(benchmark::State& state) {
    const auto in = random_bytes(static_cast<std::size_t>(state.range(0)));
    std::string out(obauth::base64url_encoded_size(in.size()), '\0');
    for (auto _ : state) {
        benchmark::DoNotOptimize(obauth::base64url_encode_into(in, &out[0]));
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}

void encode_ceiling(benchmark::State& state) {
    const auto in = random_bytes(static_cast<std::size_t>(state.range(0)));
    std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
    for (auto _ : state) {
        benchmark::DoNotOptimize(EVP_EncodeBlock(reinterpret_cast<unsigned char*>(&out[0]),
                                                 in.data(), static_cast<int>(in.size())));
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}

void decode_obauth(benchmark::State& state) {
    const auto raw = random_bytes(static_cast<std::size_t>(state.range(0)));
    const std::string in = obauth::base64url_encode(raw);
    obauth::bytes out(raw.size());
    for (auto _ : state) {
        auto n = obauth::base64url_decode_into(in, out.data(), out.size());
        benchmark::DoNotOptimize(n);
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}

void decode_ceiling(benchmark::State& state) {
    const auto raw = random_bytes(static_cast<std::size_t>(state.range(0)));
    std::string in(4 * ((raw.size() + 2) / 3) + 1, '\0');
    in.resize(static_cast<std::size_t>(EVP_EncodeBlock(reinterpret_cast<unsigned char*>(&in[0]),
                                                       raw.data(), static_cast<int>(raw.size()))));
    obauth::bytes out(in.size());
    for (auto _ : state) {
        benchmark::DoNotOptimize(EVP_DecodeBlock(out.data(),
                                                 reinterpret_cast<const unsigned char*>(in.data()),
                                                 static_cast<int>(in.size())));
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}

} // namespace

BENCHMARK(encode_obauth)->Name("core/base64url/encode/obauth")->Arg(64)->Arg(1024);
BENCHMARK(encode_ceiling)->Name("core/base64url/encode/ceiling")->Arg(64)->Arg(1024);
BENCHMARK(decode_obauth)->Name("core/base64url/decode/obauth")->Arg(64)->Arg(1024);
BENCHMARK(decode_ceiling)->Name("core/base64url/decode/ceiling")->Arg(64)->Arg(1024);
