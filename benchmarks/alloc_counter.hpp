// Counts heap allocations per thread: C++ operator new (main.cpp replaces
// it) and OpenSSL's allocator (hooked with CRYPTO_set_mem_functions before
// OpenSSL allocates anything), so obauth and the OpenSSL ceiling are
// counted alike.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>

namespace bench {

std::uint64_t allocations() noexcept;

/// Reports allocations per iteration as the counter `allocs_per_op`
/// (averaged over threads).
class alloc_scope {
public:
    explicit alloc_scope(benchmark::State& state) : state_(state), start_(allocations()) {}
    ~alloc_scope() {
        const double n = static_cast<double>(allocations() - start_);
        const double iters = static_cast<double>(state_.iterations());
        state_.counters["allocs_per_op"] =
            benchmark::Counter(iters > 0 ? n / iters : 0, benchmark::Counter::kAvgThreads);
    }

private:
    benchmark::State& state_;
    std::uint64_t start_;
};

} // namespace bench
