// Two-thread scaling that drift cannot tilt: within one benchmark run,
// blocks of operations alternate between one thread alone and two threads
// at once (each doing a block), for obauth and for its ceiling, each block
// timed on the wall clock (scaling is throughput: only wall-clock time
// shows it). Reported as the counters `paired_scaling` (obauth) and
// `ceiling_scaling`: 2 × the one-thread time ÷ the two-thread time for the
// same block. (The threads:2 rows run seconds or minutes after the
// one-thread rows they are divided by; on a shared host the one-thread rate
// alone moves by tens of percent between such runs.)
//
// The second thread waits on a condition variable while the first runs
// alone, so it takes no CPU time from it; for a two-thread block the clock
// starts when it is awake. Each thread is pinned to a CPU of its own.
#pragma once

#include <benchmark/benchmark.h>

#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>

namespace bench {

/// Runs blocks on the calling thread alone or on it and one helper thread.
class thread_pair {
public:
    thread_pair() : helper_([this] { serve(); }) { pin(); }
    thread_pair(const thread_pair&) = delete;
    thread_pair& operator=(const thread_pair&) = delete;
    ~thread_pair() {
        {
            const std::lock_guard<std::mutex> lock(m_);
            stop_ = true;
        }
        cv_.notify_one();
        helper_.join();
        if (pinned_)
            pthread_setaffinity_np(pthread_self(), sizeof before_, &before_);
    }

    /// Seconds of wall-clock time for `block` calls of op(0) on this thread.
    template <class Op>
    double solo(std::size_t block, Op& op) {
        const auto start = clock::now();
        for (std::size_t i = 0; i < block; ++i)
            op(0);
        return seconds(clock::now() - start);
    }

    /// Seconds from the moment both threads are ready until both have made
    /// `block` calls: op(0) here, op(1) on the helper.
    template <class Op>
    double duo(std::size_t block, Op& op) {
        {
            const std::lock_guard<std::mutex> lock(m_);
            job_ = [](void* o, std::size_t n) {
                for (std::size_t i = 0; i < n; ++i)
                    (*static_cast<Op*>(o))(1);
            };
            job_op_ = &op;
            job_block_ = block;
            ++round_;
        }
        cv_.notify_one();
        wait_for(ready_);
        const auto start = clock::now();
        for (std::size_t i = 0; i < block; ++i)
            op(0);
        wait_for(done_);
        return seconds(clock::now() - start);
    }

private:
    using clock = std::chrono::steady_clock;

    /// Each thread on a CPU of its own, two of those this process may use:
    /// a helper woken for every two-thread block is otherwise often placed
    /// on the waker's CPU first, which a gateway's long-running workers are
    /// not. Undone when the pair is destroyed.
    void pin() {
        if (sched_getaffinity(0, sizeof before_, &before_) != 0)
            return;
        int cpus[2] = {-1, -1};
        for (int c = 0, found = 0; c < CPU_SETSIZE && found < 2; ++c)
            if (CPU_ISSET(c, &before_))
                cpus[found++] = c;
        if (cpus[1] < 0)
            return;
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(cpus[0], &one);
        pinned_ = pthread_setaffinity_np(pthread_self(), sizeof one, &one) == 0;
        CPU_ZERO(&one);
        CPU_SET(cpus[1], &one);
        pthread_setaffinity_np(helper_.native_handle(), sizeof one, &one);
    }
    static double seconds(clock::duration d) { return std::chrono::duration<double>(d).count(); }

    /// Waits until `flag` is set, then clears it. (The other thread runs on
    /// the other CPU; a yield returns within a microsecond or two.)
    static void wait_for(std::atomic<bool>& flag) {
        while (!flag.load(std::memory_order_acquire))
            std::this_thread::yield();
        flag.store(false, std::memory_order_relaxed);
    }

    void serve() {
        std::size_t seen = 0;
        for (;;) {
            void (*job)(void*, std::size_t) = nullptr;
            void* op = nullptr;
            std::size_t block = 0;
            {
                std::unique_lock<std::mutex> lock(m_);
                cv_.wait(lock, [&] { return stop_ || round_ != seen; });
                if (stop_)
                    return;
                seen = round_;
                job = job_;
                op = job_op_;
                block = job_block_;
            }
            ready_.store(true, std::memory_order_release);
            job(op, block);
            done_.store(true, std::memory_order_release);
        }
    }

    std::mutex m_;
    std::condition_variable cv_;
    bool stop_ = false;
    std::size_t round_ = 0;
    void (*job_)(void*, std::size_t) = nullptr;
    void* job_op_ = nullptr;
    std::size_t job_block_ = 0;
    std::atomic<bool> ready_{false}, done_{false};
    cpu_set_t before_{};
    bool pinned_ = false;
    std::thread helper_;
};

/// `ours(t)` and `ceiling(t)` perform one operation as thread t (0 or 1);
/// both may run on two threads at once. `block` of them take a few hundred
/// microseconds.
template <class Ours, class Ceiling>
void paired_scaling(benchmark::State& state, std::size_t block, Ours ours, Ceiling ceiling) {
    thread_pair pair;
    double ours_solo = 0, ours_duo = 0, ceiling_solo = 0, ceiling_duo = 0;
    bool solo_first = true;
    for (auto _ : state) {
        if (solo_first) {
            ours_solo += pair.solo(block, ours);
            ours_duo += pair.duo(block, ours);
            ceiling_solo += pair.solo(block, ceiling);
            ceiling_duo += pair.duo(block, ceiling);
        } else {
            ceiling_duo += pair.duo(block, ceiling);
            ceiling_solo += pair.solo(block, ceiling);
            ours_duo += pair.duo(block, ours);
            ours_solo += pair.solo(block, ours);
        }
        solo_first = !solo_first;
    }
    state.counters["paired_scaling"] = ours_duo > 0 ? 2 * ours_solo / ours_duo : 0;
    state.counters["ceiling_scaling"] = ceiling_duo > 0 ? 2 * ceiling_solo / ceiling_duo : 0;
}

} // namespace bench
