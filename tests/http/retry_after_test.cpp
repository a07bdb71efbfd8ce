#include <obauth/http/retry_after.hpp>

#include <gtest/gtest.h>

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

} // namespace
