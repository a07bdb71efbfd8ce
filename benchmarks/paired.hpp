// A ratio that a burst of load cannot tilt: obauth and its ceiling run in
// alternating blocks of a few hundred microseconds within one benchmark
// run, each block timed with the thread's CPU clock, the order swapped
// every iteration. Reported as the counter `paired_ratio` = ceiling CPU
// time ÷ obauth CPU time for the same number of operations; scripts/bench
// checks the targets against its median over the repetitions. (The
// separate obauth and ceiling rows run seconds or minutes apart: on a
// shared machine, load that comes and goes moves their ratio by several
// percent.)
#pragma once

#include <benchmark/benchmark.h>

#include <cstddef>
#include <ctime>

namespace bench {

inline double thread_cpu_seconds() noexcept {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

/// `ours()` and `ceiling()` each perform one operation; `block` of them
/// take a few hundred microseconds.
template <class Ours, class Ceiling>
void paired(benchmark::State& state, std::size_t block, Ours ours, Ceiling ceiling) {
    double ours_s = 0, ceiling_s = 0;
    bool ours_first = true;
    const auto run = [block](auto& op) {
        const double start = thread_cpu_seconds();
        for (std::size_t i = 0; i < block; ++i)
            op();
        return thread_cpu_seconds() - start;
    };
    for (auto _ : state) {
        if (ours_first) {
            ours_s += run(ours);
            ceiling_s += run(ceiling);
        } else {
            ceiling_s += run(ceiling);
            ours_s += run(ours);
        }
        ours_first = !ours_first;
    }
    state.counters["paired_ratio"] = ours_s > 0 ? ceiling_s / ours_s : 0;
}

} // namespace bench
