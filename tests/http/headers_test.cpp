#include <obauth/http/headers.hpp>

#include <gtest/gtest.h>

namespace {

namespace http = obauth::http;

TEST(Headers, NamesAreCaseInsensitive) {
    http::http_headers h{{"Content-Type", "application/json"}, {"cache-control", "max-age=5"}};
    ASSERT_NE(http::find_header(h, "content-type"), nullptr);
    EXPECT_EQ(*http::find_header(h, "CONTENT-TYPE"), "application/json");
    EXPECT_EQ(*http::find_header(h, "Cache-Control"), "max-age=5");
    EXPECT_EQ(http::find_header(h, "Content-Typ"), nullptr);
    EXPECT_EQ(http::find_header(h, "Content-Type-X"), nullptr);
}

TEST(Headers, RepeatedFieldsCombineInOrder) {
    http::http_headers h{{"Vary", "a"}, {"X", "1"}, {"vary", "b"}};
    EXPECT_EQ(http::combined_header(h, "VARY"), "a, b");
    EXPECT_EQ(http::combined_header(h, "none"), "");
    EXPECT_EQ(*http::find_header(h, "vary"), "a");
}

TEST(Headers, SetReplacesEveryEarlierField) {
    http::http_headers h{{"Accept", "a"}, {"X", "1"}, {"accept", "b"}};
    http::set_header(h, "ACCEPT", "c");
    ASSERT_EQ(h.size(), 2u);
    EXPECT_EQ(h[0].name, "X");
    EXPECT_EQ(h[1].name, "ACCEPT");
    EXPECT_EQ(*http::find_header(h, "accept"), "c");
}

TEST(Headers, EraseRemovesEveryFieldOfThatName) {
    http::http_headers h{{"Authorization", "a"}, {"X", "1"}, {"authorization", "b"}};
    http::erase_header(h, "AUTHORIZATION");
    ASSERT_EQ(h.size(), 1u);
    EXPECT_EQ(h[0].name, "X");
    http::erase_header(h, "absent");
    EXPECT_EQ(h.size(), 1u);
}

} // namespace
