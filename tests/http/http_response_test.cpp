#include <obauth/http/http_response.hpp>

#include <gtest/gtest.h>

namespace {

namespace http = obauth::http;

TEST(HttpResponse, MediaTypeIgnoresParametersCaseAndSpace) {
    EXPECT_EQ(http::media_type("application/json"), "application/json");
    EXPECT_EQ(http::media_type(" Application/JSON ; charset=UTF-8"), "application/json");
    EXPECT_EQ(http::media_type(""), "");
}

TEST(HttpResponse, CheckMediaType) {
    http::http_response r{200, {{"content-type", "application/jwk-set+json; charset=utf-8"}}, "{}"};
    EXPECT_TRUE(http::check_media_type(r, {"application/json", "application/jwk-set+json"}));
    auto bad = http::check_media_type(r, {"application/json"});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, http::errc::unexpected_content_type);
    // The detail names what came and what was expected.
    EXPECT_EQ(bad.error().detail,
              "Content-Type 'application/jwk-set+json', expected 'application/json'");
    EXPECT_EQ(http::check_media_type(r, {"application/json", "application/jwt"}).error().detail,
              "Content-Type 'application/jwk-set+json', expected 'application/json' or "
              "'application/jwt'");

    http::http_response none{200, {}, "{}"};
    EXPECT_EQ(http::check_media_type(none, {"application/json"}).error().code,
              http::errc::unexpected_content_type);
    EXPECT_TRUE(http::check_media_type(none, {"application/json"}, /*allow_missing=*/true));
    http::http_response html{200, {{"Content-Type", "text/html"}}, "<html>"};
    EXPECT_FALSE(http::check_media_type(html, {"application/json"}));
}

TEST(HttpResponse, BodySizeLimit) {
    http::http_response r{200, {}, std::string(1001, 'x')};
    EXPECT_TRUE(http::check_body_size(r, 1001));
    auto e = http::check_body_size(r, 1000);
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().code, http::errc::body_too_large);
    EXPECT_EQ(std::error_code(e.error().code), obauth::condition::protocol_error);
}

} // namespace
