#include <obauth/assertion/jti_replay_cache.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace assertion = obauth::assertion;
using namespace std::chrono_literals;

const obauth::time_point start = obauth::from_unix_seconds(1700000000);

TEST(JtiReplayCache, RefusesAReplayUntilExpiry) {
    assertion::jti_replay_cache cache(10);
    EXPECT_TRUE(cache.use("c", "j1", start + 60s, start));
    EXPECT_EQ(cache.use("c", "j1", start + 60s, start + 30s).code(), assertion::errc::replayed);
    EXPECT_EQ(cache.use("c", "j1", start + 90s, start + 59s).code(), assertion::errc::replayed);
    // The same jti from another client is a different assertion.
    EXPECT_TRUE(cache.use("d", "j1", start + 60s, start));
    // Keys cannot collide across the client/jti boundary.
    EXPECT_TRUE(cache.use("a1", "x", start + 60s, start));
    EXPECT_TRUE(cache.use("a", "1x", start + 60s, start));
    // Once expired, the entry is gone (the assertion itself is then expired).
    EXPECT_TRUE(cache.use("c", "j1", start + 200s, start + 60s));
}

TEST(JtiReplayCache, BoundedAndNeverForgetsALiveEntry) {
    assertion::jti_replay_cache cache(3);
    EXPECT_TRUE(cache.use("c", "a", start + 10s, start));
    EXPECT_TRUE(cache.use("c", "b", start + 20s, start));
    EXPECT_TRUE(cache.use("c", "c", start + 30s, start));
    EXPECT_EQ(cache.size(), 3u);
    // Full of live entries: refused, and nothing was evicted.
    const auto full = cache.use("c", "d", start + 40s, start + 5s);
    EXPECT_EQ(full.code(), assertion::errc::replay_store_unavailable);
    EXPECT_EQ(full.code(), obauth::condition::server_error);
    EXPECT_EQ(cache.use("c", "a", start + 10s, start + 5s).code(), assertion::errc::replayed);
    // The oldest expiry goes first.
    EXPECT_TRUE(cache.use("c", "d", start + 40s, start + 10s));
    EXPECT_EQ(cache.use("c", "b", start + 20s, start + 10s).code(), assertion::errc::replayed);
    EXPECT_EQ(cache.size(), 3u);
    EXPECT_TRUE(cache.use("c", "e", start + 50s, start + 100s));
    EXPECT_EQ(cache.size(), 1u);
}

TEST(JtiReplayCache, ConcurrentUseAcceptsEachJtiOnce) {
    assertion::jti_replay_cache cache(100000);
    std::atomic<int> accepted{0}, replayed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 2000; ++i) {
                const auto r = cache.use("client", "jti-" + std::to_string(i), start + 60s, start);
                (r ? accepted : replayed)++;
            }
        });
    for (auto& th : threads)
        th.join();
    EXPECT_EQ(accepted.load(), 2000);
    EXPECT_EQ(replayed.load(), 3 * 2000);
    EXPECT_EQ(cache.size(), 2000u);
}

} // namespace
