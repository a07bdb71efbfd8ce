// The shared state of a fleet on a loopback Redis beside the in-process
// stores: replay checks (one new key each: a round trip per check) with one
// thread and with four sharing one connection pool, and the store's part of
// one fleet refresh (read the set, take the lease, read again, seal and
// compare-and-set the new set, release) — everything but the HTTP request.
//
// Names: store/replay/<memory|redis>[/threads:4], store/fleet-refresh/
// <memory|redis>. Throughput in items_per_second (real time for threads).
// Redis: Debian's redis-server, started here on a free port (left out,
// with a note, when it cannot start).
#include "support/redis_server.hpp"

#include <obauth/store/redis.hpp>
#include <obauth/store/sealing.hpp>

#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>

namespace store_bench {

using namespace obauth;
using namespace std::chrono_literals;

const time_point t0 = from_unix_seconds(1900000000);

struct redis_setup {
    std::unique_ptr<test_redis::redis_server> server;
    std::shared_ptr<store::redis_client> client;

    redis_setup() {
        server = std::make_unique<test_redis::redis_server>();
        if (!server->running()) {
            std::fprintf(stderr, "store benchmarks on Redis left out: %s\n",
                         server->error().c_str());
            return;
        }
        store::redis_options o;
        o.port = server->port();
        o.password = secret(bytes_view(std::string_view(test_redis::redis_server::password)));
        o.prefix = "obauth:bench:";
        client = store::redis_client::create(std::move(o)).value();
    }
};

redis_setup& redis() {
    static redis_setup s;
    return s;
}

std::atomic<std::uint64_t> next_key{0};

void replay(benchmark::State& state, store::replay_store* s) {
    for (auto _ : state) {
        // Time moves a microsecond per check and keys live a millisecond:
        // the in-process store stays small, as under a steady load.
        const std::uint64_t n = next_key++;
        const time_point now = t0 + std::chrono::microseconds(n);
        const std::string key = "jti-" + std::to_string(n);
        if (s->insert_if_absent(key, now + 1ms, now) != store::insert_result::inserted) {
            state.SkipWithError("the replay store did not insert");
            break;
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

// The store's work in one refresh by the lease holder.
void fleet_refresh(benchmark::State& state, store::token_store* tokens,
                   store::lease_store* leases) {
    const auto keys = store::sealing_keys::create("k1", secret(bytes(32, 1))).value();
    const std::string set(900, 'x'); // about a token set with a refresh token and an ID token
    const std::string key = "set-" + std::to_string(next_key++);
    std::uint64_t version =
        tokens->compare_and_set(key, 0, keys.seal(key, bytes_view(set)).value(), t0 + 1h, t0)
            .value();
    for (auto _ : state) {
        auto seen = tokens->get(key, t0).value();
        if (!leases->try_acquire("refresh:" + key, "owner", t0 + 30s, t0).value()) {
            state.SkipWithError("lease held");
            break;
        }
        seen = tokens->get(key, t0).value();
        auto opened = keys.open(key, seen.value).value();
        benchmark::DoNotOptimize(opened);
        version = tokens
                      ->compare_and_set(key, version, keys.seal(key, bytes_view(set)).value(),
                                        t0 + 1h, t0)
                      .value();
        (void)leases->release("refresh:" + key, "owner", t0).value();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

} // namespace store_bench

void register_store_benchmarks() {
    using namespace store_bench;
    static store::memory_replay_store memory_replay(100000000);
    static store::memory_token_store memory_tokens;
    static store::memory_lease_store memory_leases;
    benchmark::RegisterBenchmark("store/replay/memory", replay, &memory_replay);
    benchmark::RegisterBenchmark("store/replay/memory", replay, &memory_replay)
        ->Threads(4)
        ->UseRealTime();
    benchmark::RegisterBenchmark("store/fleet-refresh/memory", fleet_refresh, &memory_tokens,
                                 &memory_leases);
    if (!redis().client)
        return;
    static store::redis_replay_store redis_replay(redis().client);
    static store::redis_token_store redis_tokens(redis().client);
    static store::redis_lease_store redis_leases(redis().client);
    benchmark::RegisterBenchmark("store/replay/redis", replay, &redis_replay)->UseRealTime();
    benchmark::RegisterBenchmark("store/replay/redis", replay, &redis_replay)
        ->Threads(4)
        ->UseRealTime();
    benchmark::RegisterBenchmark("store/fleet-refresh/redis", fleet_refresh, &redis_tokens,
                                 &redis_leases)
        ->UseRealTime();
}
