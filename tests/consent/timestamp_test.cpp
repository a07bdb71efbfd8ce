#include <obauth/consent/timestamp.hpp>

#include <gtest/gtest.h>

#include <string>

namespace obauth::consent {
namespace {

TEST(Timestamp, ParsesAndHonoursZones) {
    EXPECT_EQ(to_unix_seconds(parse_timestamp("2024-03-15T00:00:00Z").value()), 1710460800);
    // The same instant in other zones, and RFC 3339's lower-case letters.
    EXPECT_EQ(parse_timestamp("2024-03-15T01:30:00+01:30").value(),
              parse_timestamp("2024-03-15T00:00:00Z").value());
    EXPECT_EQ(parse_timestamp("2024-03-14T19:00:00-05:00").value(),
              parse_timestamp("2024-03-15t00:00:00z").value());
    EXPECT_EQ(to_unix_seconds(parse_timestamp("1970-01-01T00:00:00Z").value()), 0);
    EXPECT_EQ(to_unix_seconds(parse_timestamp("2000-02-29T12:00:00Z").value()), 951825600);
    const auto frac = parse_timestamp("2024-03-15T00:00:00.250Z").value();
    EXPECT_EQ(frac - parse_timestamp("2024-03-15T00:00:00Z").value(),
              std::chrono::milliseconds(250));
}

TEST(Timestamp, RefusesWhatIsNotRfc3339OrNotARealDate) {
    for (const char* bad : {
             "2024-02-30T00:00:00Z", // no such day
             "2023-02-29T00:00:00Z", // not a leap year
             "1900-02-29T00:00:00Z", // century, not a leap year
             "2024-13-01T00:00:00Z",
             "2024-00-10T00:00:00Z",
             "2024-04-31T00:00:00Z",
             "2024-03-15T00:00:00",  // no zone
             "2024-03-15 00:00:00Z", // space separator
             "2024-03-15T24:00:00Z",
             "2024-03-15T23:60:00Z",
             "2024-03-15T23:59:60Z",     // leap second: not representable
             "2024-03-15T00:00:00+0100", // offset without colon
             "2024-03-15T00:00:00+24:00",
             "2024-03-15T00:00:00.Z",
             "2024-03-15T00:00:00.1234567890Z",
             "2024-03-15T00:00:00Zjunk",
             "2024-3-15T00:00:00Z",
             "24-03-15T00:00:00Z",
             "2024-03-15",
             "",
             "２０２４-03-15T00:00:00Z",
         }) {
        auto r = parse_timestamp(bad);
        EXPECT_FALSE(r) << bad;
        if (!r) {
            EXPECT_EQ(r.error().code, errc::invalid_timestamp) << bad;
        }
    }
    EXPECT_FALSE(parse_timestamp(std::string(10000, '9')));
}

TEST(Timestamp, FormatsUtcWithWholeSeconds) {
    EXPECT_EQ(format_timestamp(from_unix_seconds(1710460800)), "2024-03-15T00:00:00Z");
    EXPECT_EQ(format_timestamp(parse_timestamp("2024-03-15T01:30:05.9+01:30").value()),
              "2024-03-15T00:00:05Z");
    EXPECT_EQ(format_timestamp(from_unix_seconds(-1)), "1969-12-31T23:59:59Z");
    for (std::int64_t s : {0LL, 951825600LL, 4102444799LL, 1709251199LL})
        EXPECT_EQ(to_unix_seconds(parse_timestamp(format_timestamp(from_unix_seconds(s))).value()),
                  s);
}

TEST(Timestamp, EveryDayFrom1600To2400RoundTrips) {
    // The calendar arithmetic against itself and the parser, day by day,
    // across leap years and the 1700/1800/1900/2100/2200/2300 exceptions.
    const std::int64_t first = detail::days_from_civil({1600, 1, 1});
    const std::int64_t last = detail::days_from_civil({2400, 12, 31});
    civil_date expected{1600, 1, 1};
    for (std::int64_t day = first; day <= last; ++day) {
        const civil_date d = detail::civil_from_days(day);
        ASSERT_EQ(d, expected) << day;
        ASSERT_EQ(detail::days_from_civil(d), day);
        // Once a year through the string forms too (time_point spans ~1678-2262).
        if (d.day == 1 && d.month == 3 && d.year >= 1700 && d.year < 2260) {
            const std::string text = format_date(d) + "T12:34:56Z";
            ASSERT_EQ(to_unix_seconds(parse_timestamp(text).value()), day * 86400 + 45296) << text;
            ASSERT_EQ(format_timestamp(parse_timestamp(text).value()), text);
        }
        if (++expected.day > detail::days_in_month(expected.year, expected.month)) {
            expected.day = 1;
            if (++expected.month > 12) {
                expected.month = 1;
                ++expected.year;
            }
        }
    }
    EXPECT_EQ(last - first + 1, 292560); // 801 years, 195 of them leap years
}

TEST(Timestamp, FullDates) {
    EXPECT_EQ(parse_date("2017-11-01").value(), (civil_date{2017, 11, 1}));
    EXPECT_EQ(format_date({2024, 2, 29}), "2024-02-29");
    EXPECT_EQ(to_unix_seconds(start_of_day({2024, 3, 15})), 1710460800);
    EXPECT_EQ(date_of(parse_timestamp("2024-03-15T23:59:59Z").value()), (civil_date{2024, 3, 15}));
    EXPECT_EQ(date_of(from_unix_seconds(-1)), (civil_date{1969, 12, 31}));
    for (const char* bad : {"2017-11-31", "2017-11-01T00:00:00Z", "2017-1-01", "20171101"})
        EXPECT_EQ(parse_date(bad).error().code, errc::invalid_date) << bad;
}

// Regression (issue 19, item 7): a time before 1970 with a fraction of a
// second was written back one second late (truncation toward zero).
TEST(Timestamp, FractionsBefore1970RoundDown) {
    EXPECT_EQ(format_timestamp(parse_timestamp("1958-04-12T23:20:50.52Z").value()),
              "1958-04-12T23:20:50Z");
    EXPECT_EQ(format_timestamp(parse_timestamp("1969-12-31T23:59:59.999999999Z").value()),
              "1969-12-31T23:59:59Z");
    EXPECT_EQ(date_of(parse_timestamp("1969-12-31T23:59:59.5Z").value()),
              (civil_date{1969, 12, 31}));
    EXPECT_EQ(format_timestamp(parse_timestamp("1970-01-01T00:00:00.5Z").value()),
              "1970-01-01T00:00:00Z");
    // Dates a time_point cannot hold saturate instead of overflowing.
    EXPECT_EQ(to_unix_seconds(start_of_day({1012, 3, 15})), obauth::min_unix_seconds);
    EXPECT_EQ(to_unix_seconds(start_of_day({5012, 3, 15})), obauth::max_unix_seconds);
}

TEST(Timestamp, JsonMembers) {
    const json doc = *parse_json(R"({"a":"2024-03-15T00:00:00Z","b":5,"c":null})");
    EXPECT_TRUE(optional_timestamp(doc, "a").value());
    EXPECT_EQ(optional_timestamp(doc, "b").error().code, errc::invalid_json);
    EXPECT_FALSE(optional_timestamp(doc, "c").value());
    EXPECT_FALSE(optional_timestamp(doc, "missing").value());
}

} // namespace
} // namespace obauth::consent
