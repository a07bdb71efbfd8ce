#include <obauth/oauth/endpoint_response.hpp>

#include "support/oauth_support.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace obauth;
using namespace obauth::oauth;

using test::t0;

TEST(EndpointResponse, ErrorKeepsEverythingTheServerSaid) {
    http::http_response r{400,
                          {{"Content-Type", "application/json"}, {"Retry-After", "7"}},
                          R"({"error":"invalid_request_uri","error_description":"expired",
                              "error_uri":"https://as.example/e"})"};
    const endpoint_error e = parse_endpoint_error(r, t0);
    EXPECT_EQ(e.code, errc::invalid_request_uri);
    EXPECT_EQ(e.status, 400);
    EXPECT_EQ(e.error, "invalid_request_uri");
    EXPECT_EQ(e.error_description, "expired");
    EXPECT_EQ(e.error_uri, "https://as.example/e");
    EXPECT_EQ(e.retry_after, std::chrono::seconds(7));
    const error_info info = e.to_error_info();
    EXPECT_EQ(info.code, errc::invalid_request_uri);
    EXPECT_EQ(info.retry_after, std::chrono::seconds(7));
}

TEST(EndpointResponse, HostileErrorBodiesAreContained) {
    // Control characters and quotes are replaced; long text is cut.
    http::http_response r{400,
                          {{"Content-Type", "application/json"}},
                          R"({"error":"x\u001b[31m","error_description":")" +
                              std::string(5000, 'd') + R"("})"};
    const endpoint_error e = parse_endpoint_error(r, t0);
    EXPECT_EQ(e.code, errc::other_server_error);
    EXPECT_EQ(e.error, "x?[31m");
    EXPECT_EQ(e.error_description.size(), 256u);
    // Wrong JSON types, HTML and broken JSON leave just the status.
    for (const char* body : {R"({"error":42})", "<html>500</html>", R"({"error":)", "[]"}) {
        const endpoint_error h =
            parse_endpoint_error({500, {{"Content-Type", "application/json"}}, body}, t0);
        EXPECT_EQ(h.code, errc::http_server_error) << body;
        EXPECT_TRUE(h.error.empty());
    }
    // A broken WWW-Authenticate is ignored, not fatal.
    const endpoint_error w =
        parse_endpoint_error({401, {{"WWW-Authenticate", "Bearer a=\""}}, ""}, t0);
    EXPECT_EQ(w.code, errc::http_unauthorized);
}

TEST(EndpointResponse, JsonSuccessIsStrict) {
    http::http_response ok{201, {{"Content-Type", "application/json"}}, R"({"a":1})"};
    EXPECT_TRUE(parse_json_success(ok, {200, 201}, 1024, t0));
    EXPECT_EQ(parse_json_success(ok, {200}, 1024, t0).error().code, errc::unexpected_status);
    EXPECT_EQ(parse_json_success(ok, {201}, 4, t0).error().code, http::errc::body_too_large);
    ok.headers[0].value = "text/plain";
    EXPECT_EQ(parse_json_success(ok, {201}, 1024, t0).error().code,
              http::errc::unexpected_content_type);
    ok.headers[0].value = "application/json";
    ok.body = R"({"a":1,"a":2})";
    EXPECT_EQ(parse_json_success(ok, {201}, 1024, t0).error().code, errc::invalid_response);
    ok.body = std::string(40, '[') + std::string(40, ']');
    EXPECT_EQ(parse_json_success(ok, {201}, 1024, t0).error().code, errc::invalid_response);
}

} // namespace
