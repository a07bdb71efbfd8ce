#include <obauth/core/clock.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;

TEST(Clock, UnixSecondsRoundTrip) {
    EXPECT_EQ(obauth::to_unix_seconds(obauth::from_unix_seconds(1700000000)), 1700000000);
    EXPECT_EQ(obauth::to_unix_seconds(obauth::time_point{}), 0);
}

TEST(Clock, ManualClockMovesOnlyWhenTold) {
    obauth::manual_clock c(obauth::from_unix_seconds(1000));
    EXPECT_EQ(obauth::to_unix_seconds(c.now()), 1000);
    c.advance(90s);
    EXPECT_EQ(obauth::to_unix_seconds(c.now()), 1090);
    c.set(obauth::from_unix_seconds(5));
    EXPECT_EQ(obauth::to_unix_seconds(c.now()), 5);
}

TEST(Clock, ManualClockIsSafeAcrossThreads) {
    obauth::manual_clock c;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&c] {
            for (int i = 0; i < 1000; ++i)
                c.advance(1s);
        });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(obauth::to_unix_seconds(c.now()), 4000);
}

TEST(Clock, SystemClockIsNearTheRealTime) {
    const obauth::system_clock_source c;
    const auto diff = c.now() - std::chrono::system_clock::now();
    EXPECT_LT(std::chrono::abs(diff), 5s);
}

} // namespace
