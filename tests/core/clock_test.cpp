#include <obauth/core/clock.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;

TEST(Clock, UnixSecondsRoundTrip) {
    EXPECT_EQ(obauth::to_unix_seconds(obauth::from_unix_seconds(1700000000)), 1700000000);
    EXPECT_EQ(obauth::to_unix_seconds(obauth::time_point{}), 0);
}

// Regression (issue 19, item 7): before 1970, a time with a fraction belongs
// to the second that began before it; truncation toward zero was off by one.
TEST(Clock, UnixSecondsRoundDown) {
    using obauth::time_point;
    EXPECT_EQ(obauth::to_unix_seconds(time_point{} - 500ms), -1);
    EXPECT_EQ(obauth::to_unix_seconds(time_point{} - 1s), -1);
    EXPECT_EQ(obauth::to_unix_seconds(time_point{} - 1001ms), -2);
    EXPECT_EQ(obauth::to_unix_seconds(time_point{} + 999ms), 0);
}

// Regression (issue 19, item 6): seconds outside what a time_point holds
// (about 1677-2262) are refused by the checked conversion and saturated by
// the plain one, never overflowed.
TEST(Clock, ConversionsFromSecondsAreRangeChecked) {
    using obauth::checked_from_unix_seconds;
    using obauth::from_unix_seconds;
    EXPECT_TRUE(checked_from_unix_seconds(obauth::max_unix_seconds));
    EXPECT_TRUE(checked_from_unix_seconds(obauth::min_unix_seconds));
    EXPECT_FALSE(checked_from_unix_seconds(obauth::max_unix_seconds + 1));
    EXPECT_FALSE(checked_from_unix_seconds(obauth::min_unix_seconds - 1));
    EXPECT_FALSE(checked_from_unix_seconds(95001000000));  // year 5012
    EXPECT_FALSE(checked_from_unix_seconds(-30610224000)); // year 1000
    EXPECT_FALSE(checked_from_unix_seconds(INT64_MAX));
    EXPECT_FALSE(checked_from_unix_seconds(INT64_MIN));
    EXPECT_EQ(obauth::to_unix_seconds(from_unix_seconds(INT64_MAX)), obauth::max_unix_seconds);
    EXPECT_EQ(obauth::to_unix_seconds(from_unix_seconds(INT64_MIN)), obauth::min_unix_seconds);
    EXPECT_EQ(obauth::to_unix_seconds(from_unix_seconds(-1)), -1);
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
