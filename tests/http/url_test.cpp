#include <obauth/http/url.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

namespace http = obauth::http;
using http::errc;

obauth::error_info failure(std::string_view text, http::url_policy p = {}) {
    auto r = http::parse_url(text, p);
    EXPECT_FALSE(r) << text;
    return r ? obauth::error_info{} : r.error();
}

TEST(Url, AcceptsHttpsEndpoints) {
    for (const char* ok :
         {"https://as.example/token", "https://as.example:8443/t?x=1", "https://[2001:db8::1]/a",
          "https://192.0.2.1/", "HTTPS://AS.example/"}) {
        auto r = http::parse_url(ok);
        ASSERT_TRUE(r) << ok << ": " << r.error().to_string();
        EXPECT_EQ(r->buffer(), ok);
    }
}

TEST(Url, RefusesWhatIsNotAnAbsoluteUrlWithAHost) {
    for (const char* bad : {"", "as.example/token", "/token", "https:/token", "https://",
                            "https:///path", "https://as.example:99999/", "https://as.example:/",
                            "https://as example/", "https://[v1.x]/", "https://as.example/%zz"})
        EXPECT_EQ(failure(bad).code, errc::invalid_url) << bad;
}

TEST(Url, RefusesUserinfoAndFragments) {
    EXPECT_EQ(failure("https://user:pw@as.example/").code, errc::forbidden_url_component);
    EXPECT_EQ(failure("https://as.example/cb#frag").code, errc::forbidden_url_component);
    EXPECT_EQ(failure("https://as.example/cb#").code, errc::forbidden_url_component);
    http::url_policy no_query;
    no_query.allow_query = false;
    EXPECT_EQ(failure("https://as.example/?a=b", no_query).code, errc::forbidden_url_component);
}

TEST(Url, PlainHttpOnlyForLoopbackLiteralsWhenAllowed) {
    EXPECT_EQ(failure("http://127.0.0.1:8080/token").code, errc::insecure_url);
    EXPECT_EQ(failure("ftp://as.example/").code, errc::insecure_url);
    http::url_policy loop;
    loop.allow_http_loopback = true;
    for (const char* ok : {"http://127.0.0.1:8080/token", "http://127.1.2.3/", "http://[::1]:9/x"})
        EXPECT_TRUE(http::parse_url(ok, loop)) << ok;
    // A name resolves to whatever DNS says; only IP literals are loopback.
    for (const char* bad :
         {"http://localhost/", "http://as.example/", "http://10.0.0.1/", "http://[::2]/"})
        EXPECT_EQ(failure(bad, loop).code, errc::insecure_url) << bad;
    // https is fine anywhere, loopback included.
    EXPECT_TRUE(http::parse_url("https://127.0.0.1:8443/", loop));
}

// Boost.URL 1.81 parses these as an IP host followed by a path without '/';
// an HTTP stack would connect to the whole name, so they must be refused.
TEST(Url, AnIpLiteralFollowedByMoreNameIsNotThatIp) {
    http::url_policy loop;
    loop.allow_http_loopback = true;
    for (const char* bad : {"http://127.0.0.1.nip.io/", "http://127.0.0.1.evil.example:80/x",
                            "https://[::1].x/", "https://1.2.3.4x/"})
        EXPECT_EQ(failure(bad, loop).code, errc::invalid_url) << bad;
}

TEST(Url, ErrorDetailsNeverCarryTheQuery) {
    auto e = failure("http://as.example/token?client_secret=hunter2");
    EXPECT_EQ(e.detail.find("hunter2"), std::string::npos) << e.detail;
    EXPECT_NE(e.detail.find("as.example/token"), std::string::npos) << e.detail;
    auto f = failure("https://as.example/cb#access_token=hunter2");
    EXPECT_EQ(f.detail.find("hunter2"), std::string::npos) << f.detail;
}

TEST(Url, HostileInputIsAnErrorNotACrash) {
    std::string huge = "https://as.example/" + std::string(1 << 20, 'a');
    EXPECT_TRUE(http::parse_url(huge));
    for (std::string s : {std::string("https://as.example/\0x", 21), std::string("https://\xff/"),
                          std::string(100000, '['), std::string("https://[::1")})
        EXPECT_FALSE(http::parse_url(s));
}

} // namespace
