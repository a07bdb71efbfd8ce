#include <obauth/oauth/par.hpp>

#include "support/oauth_support.hpp"

#include <gtest/gtest.h>

namespace {

using namespace obauth;
using namespace obauth::oauth;
using namespace std::chrono_literals;

using test::t0;

TEST(Par, PlainParametersInTheBody) {
    const client c = test::make_client(
        client_auth::client_secret_basic("s6BhdRkqt3", test::secret_of("7Fjfp0ZBr1KtDRbnfVdmIw")));
    authorization_request r;
    r.redirect_uri = "https://client.example.org/cb";
    r.state = "af0ifjsldkj";
    r.code_challenge = "K2-ltc83acc4h0c9w6ESC_rEMTJ3bww-uCHaoeK1t8U";
    auto req = make_par_request(c, r, t0);
    ASSERT_TRUE(req) << req.error();
    EXPECT_EQ(req->url.buffer(), "https://as.bank.example/par");
    EXPECT_EQ(*req->header("Authorization"), "Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3");
    // RFC 9126 §2.1's example request, in obauth's parameter order.
    EXPECT_EQ(req->body,
              "response_type=code&redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb"
              "&state=af0ifjsldkj&code_challenge=K2-ltc83acc4h0c9w6ESC_rEMTJ3bww-uCHaoeK1t8U"
              "&code_challenge_method=S256");
    EXPECT_EQ(make_par_request(c, std::string_view("eyJ.x.y"), t0)->body, "request=eyJ.x.y");
    EXPECT_FALSE(make_par_request(c, std::string_view(), t0));
}

TEST(Par, Response) {
    http::http_response ok{
        201,
        {{"Content-Type", "application/json"}},
        R"({"request_uri":"urn:ietf:params:oauth:request_uri:6esc_11ACC5bwc014ltc14eY22c","expires_in":60})"};
    auto p = process_par_response(ok, t0);
    ASSERT_TRUE(p) << p.error();
    EXPECT_EQ(p->request_uri, "urn:ietf:params:oauth:request_uri:6esc_11ACC5bwc014ltc14eY22c");
    EXPECT_EQ(p->expires_at, t0 + 60s);
    EXPECT_FALSE(p->expired(t0 + 59s));
    EXPECT_TRUE(p->expired(t0 + 60s));
    for (const char* body :
         {R"({"expires_in":60})", R"({"request_uri":"","expires_in":60})",
          R"({"request_uri":"u","expires_in":0})", R"({"request_uri":"u","expires_in":"60"})",
          R"({"request_uri":7,"expires_in":60})", R"({"request_uri":"u"})"}) {
        ok.body = body;
        EXPECT_EQ(process_par_response(ok, t0).error().code, errc::invalid_response) << body;
    }
    auto err = process_par_response(
        {400, {{"Content-Type", "application/json"}}, R"({"error":"invalid_request_object"})"}, t0);
    EXPECT_EQ(err.error().code, errc::invalid_request_object);
}

} // namespace
