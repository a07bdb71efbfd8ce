#include <obauth/oauth/token_response.hpp>

#include "support/oauth_support.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace obauth;
using namespace obauth::oauth;

using test::t0;

http::http_response json_response(int status, std::string body) {
    return {status,
            {{"Content-Type", "application/json;charset=UTF-8"}, {"Cache-Control", "no-store"}},
            std::move(body)};
}

TEST(TokenResponse, Rfc6749Example) {
    auto t = process_token_response(json_response(200, R"({
       "access_token":"2YotnFZFEjr1zCsicMWpAA",
       "token_type":"example",
       "expires_in":3600,
       "refresh_token":"tGzv3JOkF0XG5Qx2TlKWIA",
       "example_parameter":"example_value"
     })"),
                                    t0, token_response_options{{"Example"}, false, false, 4096});
    ASSERT_TRUE(t) << t.error();
    EXPECT_EQ(t->access_token.expose_secret_chars(), "2YotnFZFEjr1zCsicMWpAA");
    EXPECT_EQ(t->token_type, "example");
    EXPECT_EQ(t->expires_in, std::chrono::seconds(3600));
    EXPECT_EQ(t->expires_at(), t0 + std::chrono::seconds(3600));
    EXPECT_EQ(t->refresh_token->expose_secret_chars(), "tGzv3JOkF0XG5Qx2TlKWIA");
    EXPECT_EQ(t->other, json({{"example_parameter", "example_value"}}));
    EXPECT_FALSE(t->scope);
    EXPECT_FALSE(t->is_bearer());
}

TEST(TokenResponse, BearerCaseInsensitiveScopeIdTokenDetails) {
    auto t = process_token_response(
        json_response(200, R"({"access_token":"at","token_type":"bearer","scope":"accounts  openid",
            "id_token":"a.b.c","authorization_details":[{"type":"account_information"}]})"),
        t0);
    ASSERT_TRUE(t) << t.error();
    EXPECT_TRUE(t->is_bearer());
    EXPECT_EQ(*t->scope, (std::vector<std::string>{"accounts", "openid"}));
    EXPECT_EQ(*t->id_token, "a.b.c");
    EXPECT_EQ(t->authorization_details[0]["type"], "account_information");
    EXPECT_FALSE(t->expires_at());
    const token_set copy = t->clone();
    EXPECT_EQ(copy.access_token, t->access_token);
}

TEST(TokenResponse, HostileSuccessBodies) {
    struct bad_case {
        const char* body;
        errc code;
    };
    for (const auto& [body, code] : std::initializer_list<bad_case>{
             {R"({"token_type":"Bearer"})", errc::invalid_response},
             {R"({"access_token":"","token_type":"Bearer"})", errc::invalid_response},
             {R"({"access_token":42,"token_type":"Bearer"})", errc::invalid_response},
             {R"({"access_token":"at"})", errc::invalid_response},
             {R"({"access_token":"at","token_type":"mac"})", errc::unexpected_token_type},
             {R"({"access_token":"at","token_type":"DPoP"})", errc::unexpected_token_type},
             {R"({"access_token":"at","token_type":"Bearer","expires_in":"3600"})",
              errc::invalid_response},
             {R"({"access_token":"at","token_type":"Bearer","expires_in":-1})",
              errc::invalid_response},
             {R"({"access_token":"at","token_type":"Bearer","expires_in":1.5})",
              errc::invalid_response},
             {R"({"access_token":"at","token_type":"Bearer","refresh_token":{}})",
              errc::invalid_response},
             {R"({"access_token":"at","token_type":"Bearer","scope":["a"]})",
              errc::invalid_response},
             {R"({"access_token":"at","token_type":"Bearer","id_token":null})",
              errc::invalid_response},
             {R"({"access_token":"at","token_type":"Bearer","authorization_details":{}})",
              errc::invalid_response},
             {R"({"access_token":"at","access_token":"at2","token_type":"Bearer"})",
              errc::invalid_response},
             // Tokens go into header fields as they are: 1*VSCHAR only.
             {R"({"access_token":"at\r\nX-Injected: 1","token_type":"Bearer"})",
              errc::invalid_response},
             {R"({"access_token":"at\u0000","token_type":"Bearer"})", errc::invalid_response},
             {"{\"access_token\":\"\xc3\xa9t\u00e9\",\"token_type\":\"Bearer\"}",
              errc::invalid_response},
             {R"({"access_token":"at","token_type":"Bearer","refresh_token":"rt\n"})",
              errc::invalid_response},
             {R"({"access_token":"at\u007f","token_type":"Bearer"})", errc::invalid_response},
             {R"([1,2])", errc::invalid_response},
             {R"({"access_token":"at")", errc::invalid_response},
         }) {
        auto t = process_token_response(json_response(200, body), t0);
        ASSERT_FALSE(t) << body;
        EXPECT_EQ(t.error().code, code) << body << " " << t.error();
    }
    auto html = process_token_response({200, {{"Content-Type", "text/html"}}, "<html></html>"}, t0);
    EXPECT_EQ(html.error().code, http::errc::unexpected_content_type);
    auto huge = process_token_response(
        json_response(200, R"({"access_token":")" + std::string(300 * 1024, 'a') + R"("})"), t0);
    EXPECT_EQ(huge.error().code, http::errc::body_too_large);
    token_response_options need;
    need.require_refresh_token = true;
    EXPECT_FALSE(process_token_response(
        json_response(200, R"({"access_token":"a","token_type":"Bearer"})"), t0, need));
}

TEST(TokenResponse, ErrorBodiesBecomeDistinctCodes) {
    auto t = process_token_response(
        json_response(400, R"({"error":"invalid_grant","error_description":"code expired\n\u0007",
                               "error_uri":"https://as.example/errors#grant"})"),
        t0);
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error().code, errc::invalid_grant);
    EXPECT_EQ(t.error().detail,
              "HTTP 400 invalid_grant: code expired?? <https://as.example/errors#grant>");
    EXPECT_EQ(
        process_token_response(json_response(400, R"({"error":"invalid_scope"})"), t0).error().code,
        errc::invalid_scope);
    EXPECT_EQ(process_token_response(json_response(400, R"({"error":"made_up"})"), t0).error().code,
              errc::other_server_error);
    // A 401 with a Basic challenge and an invalid_client body.
    http::http_response unauthorized = json_response(401, R"({"error":"invalid_client"})");
    unauthorized.headers.push_back({"WWW-Authenticate", "Basic realm=\"bank\""});
    auto u = process_token_response(unauthorized, t0);
    EXPECT_EQ(u.error().code, errc::invalid_client);
    EXPECT_NE(u.error().detail.find("[Basic]"), std::string::npos);
}

TEST(TokenResponse, HttpLevelRefusals) {
    http::http_response limited{429, {{"Retry-After", "120"}}, ""};
    auto l = process_token_response(limited, t0);
    EXPECT_EQ(l.error().code, errc::rate_limited);
    EXPECT_EQ(l.error().code, condition::server_error);
    EXPECT_EQ(l.error().retry_after, std::chrono::seconds(120));

    http::http_response unavailable{
        503,
        {{"Retry-After", "Fri, 15 Jan 2027 08:00:00 GMT"}, {"Content-Type", "text/html"}},
        "<html><body>Service Unavailable</body></html>"};
    auto u = process_token_response(unavailable, from_unix_seconds(1'800'000'000));
    EXPECT_EQ(u.error().code, errc::http_server_error);
    ASSERT_TRUE(u.error().retry_after);

    http::http_response forbidden{403, {{"Content-Type", "text/html"}}, "<h1>WAF says no</h1>"};
    EXPECT_EQ(process_token_response(forbidden, t0).error().code, errc::http_forbidden);

    http::http_response bearer{
        401,
        {{"WWW-Authenticate", R"(Bearer error="invalid_token", error_description="expired")"}},
        ""};
    auto b = process_token_response(bearer, t0);
    EXPECT_EQ(b.error().code, errc::invalid_token);
    EXPECT_EQ(b.error().detail, "HTTP 401 invalid_token: expired [Bearer]");

    EXPECT_EQ(process_token_response({302, {{"Location", "https://x"}}, ""}, t0).error().code,
              errc::unexpected_status);
    auto e = parse_endpoint_error(
        json_response(400, R"({"error":"invalid_request","error_uri":5})"), t0);
    EXPECT_EQ(e.code, errc::invalid_request);
    EXPECT_TRUE(e.error_uri.empty());
}

} // namespace
