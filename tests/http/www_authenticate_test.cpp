#include <obauth/http/www_authenticate.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace obauth::http;

TEST(WwwAuthenticate, BearerErrorFromRfc6750) {
    auto c = parse_www_authenticate(
        R"(Bearer realm="example", error="invalid_token", error_description="The access token expired")");
    ASSERT_TRUE(c) << c.error();
    ASSERT_EQ(c->size(), 1u);
    EXPECT_EQ((*c)[0].scheme, "Bearer");
    ASSERT_NE((*c)[0].param("error"), nullptr);
    EXPECT_EQ(*(*c)[0].param("error"), "invalid_token");
    EXPECT_EQ(*(*c)[0].param("error_description"), "The access token expired");
    EXPECT_EQ(*(*c)[0].param("realm"), "example");
}

TEST(WwwAuthenticate, SeveralChallengesToken68AndEscapes) {
    auto c = parse_www_authenticate(
        R"(Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple", Negotiate abc+/def==)");
    ASSERT_TRUE(c) << c.error();
    ASSERT_EQ(c->size(), 3u);
    EXPECT_EQ((*c)[0].scheme, "Newauth");
    EXPECT_EQ(*(*c)[0].param("type"), "1");
    EXPECT_EQ(*(*c)[0].param("title"), "Login to \"apps\"");
    EXPECT_EQ((*c)[1].scheme, "Basic");
    EXPECT_EQ(*(*c)[1].param("realm"), "simple");
    EXPECT_EQ((*c)[2].token68, "abc+/def==");
}

TEST(WwwAuthenticate, SeveralFieldsAndCaseInsensitiveNames) {
    http_headers h{{"www-authenticate", "DPoP algs=\"ES256 PS256\""},
                   {"WWW-Authenticate", "Bearer ERROR=insufficient_scope, Scope=\"accounts\""}};
    auto c = parse_www_authenticate(h);
    ASSERT_TRUE(c) << c.error();
    ASSERT_EQ(c->size(), 2u);
    EXPECT_EQ(*(*c)[0].param("algs"), "ES256 PS256");
    EXPECT_EQ(*(*c)[1].param("error"), "insufficient_scope");
    EXPECT_EQ(*(*c)[1].param("scope"), "accounts");
    EXPECT_TRUE(parse_www_authenticate(std::string_view(""))->empty());
    EXPECT_EQ((*parse_www_authenticate(std::string_view("Bearer")))[0].scheme, "Bearer");
}

TEST(WwwAuthenticate, HostileValuesAreErrors) {
    for (const char* bad : {
             "Bearer realm=\"open",         // unterminated
             "Bearer realm=\"a\" junk",     // no comma
             "Bearer realm=\"a\", realm=b", // repeated
             "\"quoted\" realm=a",          // no scheme
             "Bearer a=b c",                // junk
             "Bearer abc== x",              // junk after token68
             "Bearer realm=\"a\x01\"",      // control character
         }) {
        auto c = parse_www_authenticate(std::string_view(bad));
        ASSERT_FALSE(c) << bad;
        EXPECT_EQ(c.error().code, errc::invalid_header);
    }
    std::string many;
    for (int i = 0; i < 40; ++i)
        many += "p" + std::to_string(i) + "=1, ";
    EXPECT_FALSE(parse_www_authenticate("Bearer " + many));
    std::string challenges;
    for (int i = 0; i < 20; ++i)
        challenges += "S" + std::to_string(i) + ", ";
    EXPECT_FALSE(parse_www_authenticate(challenges));
    EXPECT_FALSE(parse_www_authenticate(std::string(9000, 'a')));
}

} // namespace
