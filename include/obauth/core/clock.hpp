// Injected time. No obauth function reads the system clock on its own:
// time-dependent functions take `now`, and stateful objects take a
// clock_source&. JWT NumericDate values are whole seconds (RFC 7519 §2).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace obauth {

using time_point = std::chrono::system_clock::time_point;

inline std::int64_t to_unix_seconds(time_point t) noexcept {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
inline time_point from_unix_seconds(std::int64_t s) noexcept {
    return time_point(std::chrono::duration_cast<time_point::duration>(std::chrono::seconds(s)));
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
