// RFC 3339 timestamps, strictly: `date-time` with a zone (Z or ±hh:mm, the
// offset applied), real calendar dates only (no 2024-02-30, leap years
// honoured), optional fractional seconds up to nanoseconds; and the
// `full-date` (YYYY-MM-DD) of Berlin Group's validUntil. Formatting writes
// UTC with a Z and whole seconds.
#pragma once

#include "error.hpp"

#include "../core/clock.hpp"
#include "../core/json.hpp"
#include "../core/result.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace obauth::consent {

/// A calendar date (proleptic Gregorian).
struct civil_date {
    int year = 1970;
    unsigned month = 1;
    unsigned day = 1;

    friend bool operator==(const civil_date& a, const civil_date& b) noexcept {
        return a.year == b.year && a.month == b.month && a.day == b.day;
    }
    friend bool operator!=(const civil_date& a, const civil_date& b) noexcept { return !(a == b); }
};

namespace detail {

inline bool leap_year(int y) noexcept {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

inline unsigned days_in_month(int y, unsigned m) noexcept {
    static constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap_year(y) ? 29 : days[m - 1];
}

/// Days since 1970-01-01 of a civil date (valid dates only): count whole
/// years of a calendar that starts in March, so February's day is last.
inline std::int64_t days_from_civil(const civil_date& d) noexcept {
    const std::int64_t y = d.year - (d.month <= 2 ? 1 : 0);
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t year_of_era = y - era * 400;                             // [0, 399]
    const std::int64_t shifted_month = d.month > 2 ? d.month - 3 : d.month + 9; // March = 0
    const std::int64_t day_of_year = (153 * shifted_month + 2) / 5 + d.day - 1;
    const std::int64_t day_of_era =
        year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

inline civil_date civil_from_days(std::int64_t z) noexcept {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t day_of_era = z - era * 146097;
    const std::int64_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    const std::int64_t day_of_year =
        day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const std::int64_t shifted_month = (5 * day_of_year + 2) / 153;
    civil_date d;
    d.day = static_cast<unsigned>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
    d.month = static_cast<unsigned>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
    d.year = static_cast<int>(year_of_era + era * 400 + (d.month <= 2 ? 1 : 0));
    return d;
}

/// Reads exactly `n` digits at `pos`.
inline bool digits(std::string_view s, std::size_t pos, std::size_t n, unsigned& out) noexcept {
    if (pos + n > s.size())
        return false;
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        out = out * 10 + static_cast<unsigned>(s[i] - '0');
    }
    return true;
}

/// `full-date` at the start of `s`; the caller checks what follows.
inline bool full_date(std::string_view s, civil_date& d) noexcept {
    unsigned y = 0;
    if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, d.month) ||
        s[7] != '-' || !digits(s, 8, 2, d.day))
        return false;
    d.year = static_cast<int>(y);
    return d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= days_in_month(d.year, d.month);
}

} // namespace detail

/// A `full-date` (RFC 3339 §5.6): YYYY-MM-DD and a real day.
inline result<civil_date> parse_date(std::string_view s) {
    civil_date d;
    if (s.size() != 10 || !detail::full_date(s, d))
        return make_error(errc::invalid_date, quote(s));
    return d;
}

inline std::string format_date(const civil_date& d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", d.year, d.month, d.day);
    return buf;
}

namespace detail {
/// Whole days since 1970-01-01 before `secs` (rounding down, also before 1970).
inline std::int64_t floor_days(std::int64_t secs) noexcept {
    return secs / 86400 - (secs % 86400 < 0 ? 1 : 0);
}
} // namespace detail

/// The UTC calendar date of `t`.
inline civil_date date_of(time_point t) noexcept {
    return detail::civil_from_days(detail::floor_days(to_unix_seconds(t)));
}

/// Midnight UTC at the start of `d`; saturated for a date outside the
/// years a time_point can hold (about 1678-2262).
inline time_point start_of_day(const civil_date& d) noexcept {
    return from_unix_seconds(detail::days_from_civil(d) * 86400);
}

/// An RFC 3339 `date-time` (§5.6): the zone is required and applied; the
/// separator and Z may be lower case (as §5.6 allows); a leap second (:60)
/// cannot be represented and is refused.
inline result<time_point> parse_timestamp(std::string_view s) {
    auto bad = [&](const char* why) {
        return make_error(errc::invalid_timestamp, quote(s) + ": " + why);
    };
    if (s.size() > 40)
        return bad("too long");
    civil_date d;
    if (!detail::full_date(s, d))
        return bad("not a real YYYY-MM-DD date");
    unsigned hh = 0, mm = 0, ss = 0;
    if (s.size() < 19 || (s[10] != 'T' && s[10] != 't') || !detail::digits(s, 11, 2, hh) ||
        s[13] != ':' || !detail::digits(s, 14, 2, mm) || s[16] != ':' ||
        !detail::digits(s, 17, 2, ss))
        return bad("no hh:mm:ss time");
    if (hh > 23 || mm > 59 || ss > 59)
        return bad(ss == 60 ? "leap second" : "time out of range");
    std::size_t pos = 19;
    std::int64_t nanos = 0;
    if (pos < s.size() && s[pos] == '.') {
        const std::size_t start = ++pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9')
            ++pos;
        const std::size_t n = pos - start;
        if (n == 0 || n > 9)
            return bad("fraction of a second must have 1 to 9 digits");
        for (std::size_t i = 0; i < 9; ++i)
            nanos = nanos * 10 + (i < n ? s[start + i] - '0' : 0);
    }
    if (pos >= s.size())
        return bad("no time zone");
    std::int64_t offset = 0;
    if (s[pos] == 'Z' || s[pos] == 'z') {
        ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
        unsigned oh = 0, om = 0;
        if (!detail::digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
            !detail::digits(s, pos + 4, 2, om) || oh > 23 || om > 59)
            return bad("invalid zone offset");
        offset = (s[pos] == '+' ? 1 : -1) * static_cast<std::int64_t>(oh * 3600 + om * 60);
        pos += 6;
    } else {
        return bad("no time zone");
    }
    if (pos != s.size())
        return bad("trailing characters");
    const std::int64_t secs =
        detail::days_from_civil(d) * 86400 + hh * 3600 + mm * 60 + ss - offset;
    // time_point counts nanoseconds in 64 bits: about 1678 to 2262 (one second
    // of margin for the fraction).
    const auto whole = checked_from_unix_seconds(secs);
    if (!whole || secs >= max_unix_seconds)
        return bad("outside the representable years");
    return *whole +
           std::chrono::duration_cast<time_point::duration>(std::chrono::nanoseconds(nanos));
}

/// UTC, whole seconds: "2024-03-15T00:00:00Z".
inline std::string format_timestamp(time_point t) {
    const std::int64_t secs = to_unix_seconds(t);
    const std::int64_t rem = secs - detail::floor_days(secs) * 86400;
    const civil_date d = date_of(t);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", d.year, d.month, d.day,
                  static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60),
                  static_cast<int>(rem % 60));
    return buf;
}

/// A JSON member holding a timestamp (absent: nullopt).
inline result<std::optional<time_point>> optional_timestamp(const json& obj, std::string_view key) {
    const json* v = find_member(obj, key);
    if (v == nullptr || v->is_null())
        return std::optional<time_point>();
    const auto* s = v->get_ptr<const json::string_t*>();
    if (s == nullptr)
        return make_error(errc::invalid_json, "'" + std::string(key) + "' is not a string");
    OBAUTH_TRY(time_point t, parse_timestamp(*s));
    return std::optional<time_point>(t);
}

} // namespace obauth::consent
