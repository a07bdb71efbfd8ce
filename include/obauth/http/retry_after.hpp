// Retry-After (RFC 9110 §10.2.3), sent with 429 and 503 responses: either
// delay-seconds or an HTTP-date; and HTTP dates written (IMF-fixdate). Only the IMF-fixdate form of
// HTTP-date is read (the one RFC 9110 §5.6.7 requires senders to use); anything else is "no usable
// hint", never an error, so a bad header cannot break a retry.
#pragma once

#include "cache_control.hpp"

#include "../core/ascii.hpp"

#include "../core/clock.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace obauth::http {

namespace detail {
inline bool two_digits(std::string_view s, std::size_t at, int& out) noexcept {
    if (s[at] < '0' || s[at] > '9' || s[at + 1] < '0' || s[at + 1] > '9')
        return false;
    out = (s[at] - '0') * 10 + (s[at + 1] - '0');
    return true;
}
// Days from 1970-01-01 to y-m-d (proleptic Gregorian).
inline std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned mp = m > 2 ? m - 3 : m + 9; // March-based month
    const unsigned doy = (153 * mp + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

inline constexpr std::array<std::string_view, 7> http_days = {"Mon", "Tue", "Wed", "Thu",
                                                              "Fri", "Sat", "Sun"};
inline constexpr std::array<std::string_view, 12> http_months = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
} // namespace detail

/// An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") as a time point.
inline std::optional<time_point> parse_http_date(std::string_view s) noexcept {
    const auto& days = detail::http_days;
    const auto& months = detail::http_months;
    if (s.size() != 29 || s.substr(3, 2) != ", " || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
        s[19] != ':' || s[22] != ':' || s.substr(25) != " GMT")
        return std::nullopt;
    std::size_t wday = 0;
    while (wday < days.size() && days[wday] != s.substr(0, 3))
        ++wday;
    unsigned month = 0;
    while (month < months.size() && months[month] != s.substr(8, 3))
        ++month;
    int day = 0, y1 = 0, y2 = 0, hh = 0, mm = 0, ss = 0;
    if (wday == days.size() || month == months.size() || !detail::two_digits(s, 5, day) ||
        !detail::two_digits(s, 12, y1) || !detail::two_digits(s, 14, y2) ||
        !detail::two_digits(s, 17, hh) || !detail::two_digits(s, 20, mm) ||
        !detail::two_digits(s, 23, ss))
        return std::nullopt;
    static constexpr std::array<int, 12> month_days = {31, 29, 31, 30, 31, 30,
                                                       31, 31, 30, 31, 30, 31};
    const int year = y1 * 100 + y2;
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (day < 1 || day > month_days[month] || (month == 1 && day == 29 && !leap) || hh > 23 ||
        mm > 59 || ss > 60)
        return std::nullopt;
    const std::int64_t days_since =
        detail::days_from_civil(year, month + 1, static_cast<unsigned>(day));
    // 1970-01-01 was a Thursday; the weekday must agree with the date.
    if (static_cast<std::size_t>(((days_since % 7) + 7 + 3) % 7) != wday)
        return std::nullopt;
    // A date a time_point cannot hold (before 1677, after 2262) is no usable date.
    return checked_from_unix_seconds(days_since * 86400 + hh * 3600 + mm * 60 + std::min(ss, 59));
}

/// `t` as an IMF-fixdate (RFC 9110 §5.6.7), e.g. for FAPI's x-fapi-auth-date;
/// whole seconds; a time before 1970 is written as 1970-01-01.
inline std::string format_http_date(time_point t) {
    const std::int64_t secs = std::clamp<std::int64_t>(to_unix_seconds(t), 0, 253402300799);
    const auto time = static_cast<std::time_t>(secs);
    std::tm tm{};
    gmtime_r(&time, &tm);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                  detail::http_days[static_cast<std::size_t>((tm.tm_wday + 6) % 7)].data(),
                  tm.tm_mday, detail::http_months[static_cast<std::size_t>(tm.tm_mon)].data(),
                  tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

/// How long to wait, from a Retry-After value received at `now`; nullopt
/// when the value is neither form. A date in the past means "now"; like
/// delta-seconds, the wait is capped at 2^31 seconds.
inline std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                             time_point now) noexcept {
    value = trim_ows(value);
    if (auto s = parse_delta_seconds(value))
        return s;
    if (auto t = parse_http_date(value)) {
        // In whole seconds: both lie within +-2^34, so the difference cannot
        // overflow, whatever `now` is (time_point subtraction could).
        const std::int64_t wait = to_unix_seconds(*t) - to_unix_seconds(now);
        return std::chrono::seconds(std::clamp<std::int64_t>(wait, 0, std::int64_t{1} << 31));
    }
    return std::nullopt;
}

} // namespace obauth::http
