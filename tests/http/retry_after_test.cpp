#include <obauth/http/retry_after.hpp>

#include <gtest/gtest.h>

#include <cstdint>

namespace {

namespace http = obauth::http;
using namespace std::chrono_literals;

TEST(RetryAfter, HttpDates) {
    // RFC 9110 §5.6.7's example; `date -u -d @784111777` agrees.
    EXPECT_EQ(http::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
              obauth::from_unix_seconds(784111777));
    EXPECT_EQ(http::parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), obauth::from_unix_seconds(0));
    EXPECT_EQ(http::parse_http_date("Thu, 29 Feb 2024 23:59:59 GMT"),
              obauth::from_unix_seconds(1709251199));
    EXPECT_EQ(http::parse_http_date("Sun, 22 Nov 2026 12:00:00 GMT"),
              obauth::from_unix_seconds(1795348800));
    for (const char* bad : {"Mon, 06 Nov 1994 08:49:37 GMT", // wrong weekday
                            "Fri, 30 Feb 2024 00:00:00 GMT", "Thu, 29 Feb 2023 00:00:00 GMT",
                            "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 6 Nov 1994 08:49:37 GMT",
                            "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
                            "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Nop 1994 08:49:37 GMT", ""})
        EXPECT_FALSE(http::parse_http_date(bad)) << bad;
}

TEST(RetryAfter, HttpDatesWritten) {
    EXPECT_EQ(http::format_http_date(obauth::from_unix_seconds(784111777)),
              "Sun, 06 Nov 1994 08:49:37 GMT");
    EXPECT_EQ(http::format_http_date(obauth::from_unix_seconds(0)),
              "Thu, 01 Jan 1970 00:00:00 GMT");
    EXPECT_EQ(http::format_http_date(obauth::from_unix_seconds(7258118400)),
              "Wed, 01 Jan 2200 00:00:00 GMT");
    EXPECT_EQ(http::format_http_date(obauth::from_unix_seconds(-5)),
              "Thu, 01 Jan 1970 00:00:00 GMT"); // clamped
    // Every day from 1970 to 2100 reads back as written.
    for (std::int64_t day = 0; day < 47'482; ++day) {
        const auto t = obauth::from_unix_seconds(day * 86400 + 45'296);
        ASSERT_EQ(http::parse_http_date(http::format_http_date(t)), t) << day;
    }
}

TEST(RetryAfter, SecondsOrDate) {
    const auto now = obauth::from_unix_seconds(784111777);
    EXPECT_EQ(http::parse_retry_after("120", now), 120s);
    EXPECT_EQ(http::parse_retry_after(" 0 ", now), 0s);
    EXPECT_EQ(http::parse_retry_after("Sun, 06 Nov 1994 08:50:37 GMT", now), 60s);
    EXPECT_EQ(http::parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now), 0s);
    EXPECT_EQ(http::parse_retry_after("99999999999999999999", now),
              std::chrono::seconds(1LL << 31));
    for (const char* bad : {"-1", "1.5", "soon", "", "12 s"})
        EXPECT_FALSE(http::parse_retry_after(bad, now)) << bad;
}

// Regression (issue 19, item 6): a server's date far in the future or the
// past overflowed int64 nanoseconds (undefined behaviour, caught by UBSan).
TEST(RetryAfter, DatesOutsideTheRepresentableYears) {
    const auto now = obauth::from_unix_seconds(1784111777);
    EXPECT_FALSE(http::parse_http_date("Wed, 21 Oct 5012 07:28:00 GMT"));
    EXPECT_FALSE(http::parse_http_date("Sat, 21 Oct 1000 07:28:00 GMT"));
    EXPECT_TRUE(http::parse_http_date("Fri, 11 Apr 2262 23:47:16 GMT"));
    EXPECT_FALSE(http::parse_retry_after("Wed, 21 Oct 5012 07:28:00 GMT", now));
    EXPECT_FALSE(http::parse_retry_after("Sat, 21 Oct 1000 07:28:00 GMT", now));
    // The oldest and latest dates a time_point holds, from a `now` at either
    // end: the difference is taken in seconds, never as time_points.
    EXPECT_EQ(http::parse_retry_after("Fri, 11 Apr 2262 23:47:16 GMT", now),
              std::chrono::seconds(1LL << 31));
    EXPECT_EQ(http::parse_retry_after("Tue, 21 Sep 1677 00:12:44 GMT", now), 0s);
    EXPECT_EQ(http::parse_retry_after("Fri, 11 Apr 2262 23:47:16 GMT",
                                      obauth::from_unix_seconds(INT64_MIN)),
              std::chrono::seconds(1LL << 31));
    EXPECT_EQ(http::parse_retry_after("Tue, 21 Sep 1677 00:12:44 GMT",
                                      obauth::from_unix_seconds(INT64_MAX)),
              0s);
}

} // namespace
