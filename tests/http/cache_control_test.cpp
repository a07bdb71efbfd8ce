#include <obauth/http/cache_control.hpp>

#include <gtest/gtest.h>

namespace {

namespace http = obauth::http;
using namespace std::chrono_literals;

http::cache_directives cc(std::initializer_list<const char*> values) {
    http::http_headers h;
    for (const char* v : values)
        h.push_back({"Cache-Control", v});
    h.push_back({"Other", "max-age=1"});
    return http::parse_cache_control(h);
}

TEST(CacheControl, MaxAgeInItsForms) {
    EXPECT_EQ(cc({"max-age=3600"}).max_age, 3600s);
    EXPECT_EQ(cc({"public, MAX-AGE=60 , must-revalidate"}).max_age, 60s);
    EXPECT_EQ(cc({"max-age=\"120\""}).max_age, 120s);
    EXPECT_EQ(cc({"public", "max-age=7"}).max_age, 7s);
    EXPECT_FALSE(cc({"public, s-maxage=100"}).max_age);
    EXPECT_FALSE(cc({}).max_age);
}

TEST(CacheControl, InvalidOrRepeatedMaxAgeMeansStale) {
    for (auto* v :
         {"max-age=", "max-age=-1", "max-age=1.5", "max-age=abc", "max-age=10 20", "max-age=\"12"})
        EXPECT_EQ(cc({v}).max_age, 0s) << v;
    EXPECT_EQ(cc({"max-age=10, max-age=10"}).max_age, 0s);
    EXPECT_EQ(cc({"max-age=10", "max-age=20"}).max_age, 0s);
}

TEST(CacheControl, HugeValuesAreCappedNotOverflowed) {
    EXPECT_EQ(cc({"max-age=99999999999999999999999999"}).max_age, std::chrono::seconds(1LL << 31));
}

TEST(CacheControl, NoStoreAndNoCache) {
    auto d = cc({"no-store", "No-Cache=\"Set-Cookie\""});
    EXPECT_TRUE(d.no_store);
    EXPECT_TRUE(d.no_cache);
    EXPECT_FALSE(cc({"max-age=5"}).no_store);
}

TEST(CacheControl, Age) {
    EXPECT_EQ(http::parse_age({{"age", "30"}}), 30s);
    EXPECT_EQ(http::parse_age({{"Age", "-3"}}), 0s);
    EXPECT_EQ(http::parse_age({}), 0s);
}

} // namespace
