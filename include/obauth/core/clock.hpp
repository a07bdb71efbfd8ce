// Injected time. No obauth function reads the system clock on its own:
// time-dependent functions take `now`, and stateful objects take a
// clock_source&. JWT NumericDate values are whole seconds (RFC 7519 §2).
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>

namespace obauth {

using time_point = std::chrono::system_clock::time_point;

/// Whole seconds since 1970-01-01T00:00:00Z, rounded down: a time before
/// 1970 with a fraction of a second belongs to the second that began
/// before it (-0.5 s is second -1, as calendar arithmetic expects).
inline std::int64_t to_unix_seconds(time_point t) noexcept {
    return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
}

/// The whole seconds a time_point can hold: it counts nanoseconds in 64 bits,
/// about 1677-09-22 to 2262-04-11.
inline constexpr std::int64_t max_unix_seconds =
    std::chrono::duration_cast<std::chrono::seconds>(time_point::duration::max()).count();
inline constexpr std::int64_t min_unix_seconds = -max_unix_seconds;

/// `s` seconds since the epoch, or nullopt when a time_point cannot hold it.
/// Every conversion of a number that came from outside (a JWT NumericDate,
/// an HTTP date, a consent's date) goes through here or through
/// from_unix_seconds: the plain std::chrono conversion overflows (undefined
/// behaviour) outside that range.
inline std::optional<time_point> checked_from_unix_seconds(std::int64_t s) noexcept {
    if (s < min_unix_seconds || s > max_unix_seconds)
        return std::nullopt;
    return time_point(std::chrono::duration_cast<time_point::duration>(std::chrono::seconds(s)));
}

/// `s` seconds since the epoch, saturated to the range a time_point can hold
/// (an expiry in the year 3000 becomes "as late as can be said").
inline time_point from_unix_seconds(std::int64_t s) noexcept {
    return *checked_from_unix_seconds(std::clamp(s, min_unix_seconds, max_unix_seconds));
}

class clock_source {
public:
    virtual ~clock_source() = default;
    virtual time_point now() const noexcept = 0;
};

/// The system clock.
class system_clock_source final : public clock_source {
public:
    time_point now() const noexcept override { return std::chrono::system_clock::now(); }
};

/// A clock that moves only when told: for tests and simulations. Safe to
/// read from several threads while one advances it.
class manual_clock final : public clock_source {
public:
    explicit manual_clock(time_point start = time_point{}) noexcept
        : ticks_(start.time_since_epoch().count()) {}
    time_point now() const noexcept override {
        return time_point(time_point::duration(ticks_.load(std::memory_order_acquire)));
    }
    void set(time_point t) noexcept {
        ticks_.store(t.time_since_epoch().count(), std::memory_order_release);
    }
    void advance(time_point::duration d) noexcept {
        ticks_.fetch_add(d.count(), std::memory_order_acq_rel);
    }

private:
    std::atomic<time_point::rep> ticks_;
};

} // namespace obauth
