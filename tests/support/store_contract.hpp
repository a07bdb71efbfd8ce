// The store contracts' behaviour, checked the same way on every
// implementation (in process in tests/store, Redis in tests/store_redis).
// Keys carry `tag` so that runs against one Redis do not meet.
#pragma once

#include <obauth/store/lease.hpp>
#include <obauth/store/token_store.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace store_contract {

using namespace std::chrono_literals;

inline void token_store_compare_and_set(obauth::store::token_store& s, const std::string& tag,
                                        obauth::time_point now) {
    namespace store = obauth::store;
    const std::string key = "set-" + tag;
    EXPECT_EQ(s.get(key, now).value().version, 0u);
    const std::uint64_t v1 = s.compare_and_set(key, 0, "first", now + 60s, now).value();
    EXPECT_NE(v1, 0u);
    auto got = s.get(key, now).value();
    EXPECT_EQ(got.version, v1);
    EXPECT_EQ(got.value, "first");
    // A writer that read nothing, or an older version, loses.
    EXPECT_EQ(s.compare_and_set(key, 0, "late", now + 60s, now).error().code,
              store::errc::conflict);
    const std::uint64_t v2 = s.compare_and_set(key, v1, "second", now + 60s, now).value();
    EXPECT_NE(v2, v1);
    EXPECT_EQ(s.compare_and_set(key, v1, "stale", now + 60s, now).error().code,
              store::errc::conflict);
    got = s.get(key, now).value();
    EXPECT_EQ(got.version, v2);
    EXPECT_EQ(got.value, "second");
    // Binary-safe values.
    const std::string binary("\0\xff\r\n \"'", 7);
    const std::uint64_t v3 = s.compare_and_set(key, v2, binary, now + 60s, now).value();
    EXPECT_EQ(s.get(key, now).value().value, binary);
    EXPECT_NE(v3, v2);
}

/// Threads that read the same version and write at once: exactly one wins.
inline void token_store_one_writer_wins(obauth::store::token_store& s, const std::string& tag,
                                        obauth::time_point now) {
    const std::string key = "race-" + tag;
    const std::uint64_t base = s.compare_and_set(key, 0, "base", now + 60s, now).value();
    std::atomic<int> won{0}, lost{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t)
        threads.emplace_back([&, t] {
            auto r = s.compare_and_set(key, base, "writer-" + std::to_string(t), now + 60s, now);
            (r ? won : lost)++;
            if (!r) {
                EXPECT_EQ(r.error().code, obauth::store::errc::conflict);
            }
        });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(won, 1);
    EXPECT_EQ(lost, 5);
}

inline void lease_owners(obauth::store::lease_store& s, const std::string& tag,
                         obauth::time_point now) {
    const std::string name = "refresh-" + tag;
    EXPECT_TRUE(s.try_acquire(name, "owner-a", now + 60s, now).value());
    EXPECT_FALSE(s.try_acquire(name, "owner-b", now + 60s, now).value());
    EXPECT_FALSE(s.try_acquire(name, "owner-a", now + 60s, now).value()); // not re-entrant
    EXPECT_FALSE(s.release(name, "owner-b", now).value());                // only the owner releases
    EXPECT_TRUE(s.release(name, "owner-a", now).value());
    EXPECT_FALSE(s.release(name, "owner-a", now).value());
    EXPECT_TRUE(s.try_acquire(name, "owner-b", now + 60s, now).value());
    EXPECT_TRUE(s.release(name, "owner-b", now).value());
}

} // namespace store_contract
