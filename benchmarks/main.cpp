// The obauth benchmark binary: allocation counting hooks and main().
#include "alloc_counter.hpp"

#include <benchmark/benchmark.h>

#include <openssl/crypto.h>

#include <cstdio>
#include <cstdlib>
#include <new>

namespace {
thread_local std::uint64_t thread_allocations = 0;

void* counting_malloc(std::size_t n, const char*, int) {
    ++thread_allocations;
    return std::malloc(n);
}
void* counting_realloc(void* p, std::size_t n, const char*, int) {
    ++thread_allocations;
    return std::realloc(p, n);
}
void plain_free(void* p, const char*, int) {
    std::free(p);
}
} // namespace

std::uint64_t bench::allocations() noexcept {
    return thread_allocations;
}

void register_jws_benchmarks();
void register_dpop_benchmarks();
void register_gateway_benchmarks();
void register_jwe_benchmarks();
#ifdef OBAUTH_BENCH_STORE
void register_store_benchmarks();
#endif

void* operator new(std::size_t n) {
    ++thread_allocations;
    if (void* p = std::malloc(n == 0 ? 1 : n))
        return p;
    std::fputs("out of memory\n", stderr);
    std::abort();
}
void* operator new[](std::size_t n) {
    return operator new(n);
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete[](void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    std::free(p);
}

int main(int argc, char** argv) {
    // Must precede any OpenSSL allocation.
    if (CRYPTO_set_mem_functions(counting_malloc, counting_realloc, plain_free) != 1)
        std::fputs("warning: OpenSSL allocations are not counted\n", stderr);
    benchmark::AddCustomContext("openssl", OpenSSL_version(OPENSSL_VERSION));
    benchmark::AddCustomContext("compiler", __VERSION__);
    register_jws_benchmarks();
    register_dpop_benchmarks();
    register_gateway_benchmarks();
    register_jwe_benchmarks();
#ifdef OBAUTH_BENCH_STORE
    register_store_benchmarks();
#endif
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
