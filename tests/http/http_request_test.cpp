#include <obauth/http/http_request.hpp>

#include <obauth/http/url.hpp>

#include <gtest/gtest.h>

namespace {

namespace http = obauth::http;

TEST(HttpRequest, IsAPlainValue) {
    http::http_request r;
    EXPECT_EQ(r.method, http::http_method::get);
    EXPECT_FALSE(r.use_client_certificate);
    r.method = http::http_method::post;
    r.url = http::parse_url("https://as.example/token").value();
    r.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
    r.body = "grant_type=client_credentials";
    const http::http_request copy = r;
    EXPECT_EQ(copy.url.buffer(), "https://as.example/token");
    ASSERT_NE(copy.header("content-type"), nullptr);
    EXPECT_EQ(copy.body, r.body);
}

TEST(HttpRequest, MethodNames) {
    EXPECT_EQ(http::method_name(http::http_method::get), "GET");
    EXPECT_EQ(http::method_name(http::http_method::post), "POST");
    EXPECT_EQ(http::method_name(http::http_method::put), "PUT");
    EXPECT_EQ(http::method_name(http::http_method::patch), "PATCH");
    EXPECT_EQ(http::method_name(http::http_method::delete_), "DELETE");
}

} // namespace
