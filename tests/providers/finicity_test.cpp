#include <obauth/providers/finicity.hpp>

#include "support/hostile_bodies.hpp"
#include "support/oauth_support.hpp"
#include "support/secret_traits.hpp"

#include <gtest/gtest.h>

#include <atomic>

namespace {

using namespace obauth;
using namespace obauth::providers;
using namespace std::chrono_literals;

using test::t0;

// Credentials never print and are never copied by accident.
static_assert(!test::is_streamable<const finicity::config&>::value);
static_assert(!std::is_copy_constructible<finicity::credentials>::value);

finicity::config finicity_config(std::string_view url = finicity::base_url) {
    return finicity::config::create(
               {"fin-client", test::secret_of("fin-secret-1"), test::secret_of("app-key-7")}, url)
        .value();
}

using test::json_response;

TEST(Finicity, ConfigNeedsEveryCredentialAndHttps) {
    EXPECT_EQ(finicity::config::create({"id", test::secret_of("s"), secret()}).error().code,
              errc::missing_credential);
    EXPECT_EQ(
        finicity::config::create({"", test::secret_of("s"), test::secret_of("k")}).error().code,
        errc::missing_credential);
    EXPECT_EQ(
        finicity::config::create({"id", test::secret_of("s"), test::secret_of("k\n")}).error().code,
        errc::invalid_configuration);
    EXPECT_EQ(finicity::config::create({"id", test::secret_of("s"), test::secret_of("k")},
                                       "http://api.finicity.com")
                  .error()
                  .code,
              errc::insecure_url);
    EXPECT_EQ(finicity::config::create({"id", test::secret_of("s"), test::secret_of("k")},
                                       "http://127.0.0.1:8080")
                  .error()
                  .code,
              errc::insecure_url);
    EXPECT_TRUE(finicity::config::create({"id", test::secret_of("s"), test::secret_of("k")},
                                         "http://127.0.0.1:8080", true));
}

TEST(Finicity, TokenRequestIsJsonWithTheAppKey) {
    const auto c = finicity_config();
    auto r = finicity::make_token_request(c);
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->method, http::http_method::post);
    EXPECT_EQ(r->url.buffer(), "https://api.finicity.com/oauth/token");
    EXPECT_EQ(*r->header("Content-Type"), "application/json");
    EXPECT_EQ(*r->header("Accept"), "application/json");
    EXPECT_EQ(*r->header("Finicity-App-Key"), "app-key-7");
    EXPECT_EQ(r->header("Authorization"), nullptr);
    EXPECT_EQ(r->body, R"({"client_id":"fin-client","client_secret":"fin-secret-1",)"
                       R"("grant_type":"client_credentials"})");
}

TEST(Finicity, TokenResponseOfTheSeed) {
    const auto c = finicity_config();
    auto t = finicity::process_token_response(
        c,
        json_response(200, R"({"access_token":"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.x",)"
                           R"("token_type":"Bearer","expires_in":3600})"),
        t0);
    ASSERT_TRUE(t) << t.error();
    EXPECT_EQ(t->access_token.expose_secret_chars(), "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.x");
    EXPECT_EQ(*t->expires_at(), t0 + 3600s);
    auto refused = finicity::process_token_response(
        c, json_response(401, R"({"code":10022,"message":"Invalid credentials"})"), t0);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, oauth::errc::http_unauthorized);
}

TEST(Finicity, ApiRequestsCarryBearerAppKeyAndJsonHeaders) {
    const auto c = finicity_config();
    auto r =
        finicity::make_api_request(c, http::http_method::get, "/aggregation/v2/customers",
                                   test::secret_of("tok-123"), {{"start", "1"}, {"limit", "25"}});
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->url.buffer(),
              "https://api.finicity.com/aggregation/v2/customers?start=1&limit=25");
    EXPECT_EQ(*r->header("Accept"), "application/json");
    EXPECT_EQ(*r->header("Content-Type"), "application/json");
    EXPECT_EQ(*r->header("Finicity-App-Key"), "app-key-7");
    EXPECT_EQ(*r->header("Authorization"), "Bearer tok-123");
    EXPECT_EQ(finicity::make_api_request(c, http::http_method::get, "/x", secret()).error().code,
              errc::missing_credential);
    EXPECT_EQ(finicity::make_api_request(c, http::http_method::get, "/x",
                                         test::secret_of("tok\r\nX-Injected: 1"))
                  .error()
                  .code,
              errc::invalid_argument);
    EXPECT_EQ(
        finicity::make_api_request(c, http::http_method::get, "no-slash", test::secret_of("t"))
            .error()
            .code,
        errc::invalid_configuration);
    EXPECT_EQ(finicity::make_api_request(c, http::http_method::get, "/a?b=c", test::secret_of("t"))
                  .error()
                  .code,
              errc::invalid_configuration);
}

TEST(Finicity, ApiAnswersAndRefusals) {
    const auto c = finicity_config();
    auto ok = finicity::process_api_response(
        c, json_response(200, R"({"found":1,"customers":[{"id":"1005061234"}]})"), t0);
    ASSERT_TRUE(ok) << ok.error();
    EXPECT_EQ((*ok)["found"], 1);
    auto expired = finicity::process_api_response(
        c, json_response(401, R"({"code":10022,"message":"Token expired"})"), t0);
    EXPECT_EQ(expired.error().code, errc::invalid_credentials);
    EXPECT_NE(expired.error().detail.find("Token expired"), std::string::npos);
    http::http_response limited = json_response(429, "{}");
    limited.headers.push_back({"Retry-After", "30"});
    auto rl = finicity::process_api_response(c, limited, t0);
    EXPECT_EQ(rl.error().code, errc::rate_limited);
    EXPECT_EQ(rl.error().retry_after, 30s);
    auto html = finicity::process_api_response(
        c, {502, {{"Content-Type", "text/html"}}, "<html>bad gateway</html>"}, t0);
    EXPECT_EQ(html.error().code, errc::server_error);
    auto not_json = finicity::process_api_response(
        c, {200, {{"Content-Type", "text/html"}}, "<html></html>"}, t0);
    EXPECT_EQ(not_json.error().code, errc::invalid_response);
}

TEST(Finicity, TokenManagerRefreshesBeforeExpiresIn) {
    const auto c = finicity_config();
    manual_clock clock{t0};
    std::atomic<int> issued{0};
    auto transport = [&](const http::http_request& r) -> result<http::http_response> {
        EXPECT_EQ(*r.header("Finicity-App-Key"), "app-key-7");
        EXPECT_NE(r.body.find("\"client_secret\":\"fin-secret-1\""), std::string::npos);
        return json_response(200, R"({"access_token":"token-)" + std::to_string(++issued) +
                                      R"(","token_type":"Bearer","expires_in":3600})");
    };
    auto m = finicity::make_token_manager(c, transport, clock);
    const oauth::token_key key{};
    EXPECT_EQ(m.get(key)->access_token.expose_secret_chars(), "token-1");
    clock.advance(3600s - 361s); // 6 min left: more than 10 % and the 2 min skew
    EXPECT_EQ(m.get(key)->access_token.expose_secret_chars(), "token-1");
    clock.advance(2s); // under 10 % left: a new token before the old one expires
    EXPECT_EQ(m.get(key)->access_token.expose_secret_chars(), "token-2");
    EXPECT_EQ(issued, 2);
}

TEST(Finicity, HostileAnswersAreRefused) {
    const auto c = finicity_config();
    for (const auto& r : test::hostile_responses()) {
        SCOPED_TRACE(r.body.substr(0, 40));
        EXPECT_FALSE(finicity::process_token_response(c, r, t0));
        EXPECT_FALSE(finicity::process_api_response(c, r, t0));
    }
}

} // namespace
