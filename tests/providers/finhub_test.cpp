#include <obauth/providers/finhub.hpp>

#include "support/hostile_bodies.hpp"
#include "support/oauth_support.hpp"
#include "support/secret_traits.hpp"

#include <gtest/gtest.h>

namespace {

using namespace obauth;
using namespace obauth::providers;
using namespace std::chrono_literals;

using test::t0;

// Passwords, customer secrets and session tokens never print or copy by accident.
static_assert(!test::is_streamable<const finhub::session&>::value);
static_assert(!std::is_copy_constructible<finhub::session>::value);
static_assert(!std::is_copy_constructible<finhub::login>::value);

const jose::jwk& finhub_key() {
    static const jose::jwk k = jose::generate_key(jose::algorithm::ES256, "finhub-1").value();
    return k;
}

finhub::client_headers headers() {
    return {"Windows", "127.0.0.1", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "1234567"};
}

finhub::login login() {
    finhub::login l;
    l.username = "ada";
    l.password = test::secret_of("correct horse");
    l.customer_id = "cust-9";
    l.customer_secret = test::secret_of("cs-5ecret");
    l.type = finhub::account_type::b2b;
    return l;
}

finhub::config finhub_config(bool keys = true) {
    auto c =
        finhub::config::create("https://api.finhub.example", finhub::integration, false).value();
    if (keys)
        c.session_keys = jose::jwks({finhub_key().public_key()});
    return c;
}

std::string session_token(std::string sub = "user-1", std::string key = "itk-77",
                          const jose::jwk& k = finhub_key()) {
    jose::jwt_claims cl;
    cl.sub = std::move(sub);
    cl.iat = t0;
    cl.exp = t0 + 3600s;
    cl.extra["internalTokenKey"] = std::move(key);
    return jose::sign_jwt(cl, k).value();
}

http::http_response session_response(std::string token, std::string tenant = "1234567",
                                     bool refresh = true) {
    json j = {{"expires_in", 3600},     {"token_type", "Bearer"}, {"scope", "accounts payments"},
              {"customerId", "cust-9"}, {"tenantId", tenant},     {"userSessionToken", token}};
    if (refresh)
        j["refreshToken"] = "rt-1";
    return {200, {{"Content-Type", "application/json"}}, j.dump()};
}

http::http_response error_response(int status, std::string message) {
    return {status, {{"Content-Type", "application/json"}}, json{{"message", message}}.dump()};
}

TEST(FinHub, Presets) {
    EXPECT_EQ(finhub::integration.session_lifetime, 3600s);
    EXPECT_FALSE(finhub::integration.client_certificate_required);
    EXPECT_EQ(finhub::production.session_lifetime, 1800s);
    EXPECT_TRUE(finhub::production.client_certificate_required);
    auto no_cert = finhub::config::create("https://api.finhub.example", finhub::production, false);
    EXPECT_EQ(no_cert.error().code, errc::invalid_configuration);
    auto prod = finhub::config::create("https://api.finhub.example", finhub::production, true);
    ASSERT_TRUE(prod);
    auto r = finhub::make_login_request(*prod, headers(), login());
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->use_client_certificate);
    EXPECT_FALSE(
        finhub::make_login_request(finhub_config(), headers(), login())->use_client_certificate);
    EXPECT_EQ(finhub::config::create("http://api.finhub.example", finhub::integration, false)
                  .error()
                  .code,
              errc::insecure_url);
}

TEST(FinHub, RequiredHeadersCheckedBeforeBuilding) {
    const auto c = finhub_config();
    EXPECT_TRUE(finhub::check_headers(headers()));
    auto with = [](auto change) {
        auto h = headers();
        change(h);
        return finhub::check_headers(h);
    };
    EXPECT_TRUE(with([](auto& h) { h.forwarded_for = "203.0.113.7, 10.0.0.1"; }));
    EXPECT_TRUE(with([](auto& h) { h.forwarded_for = "2001:db8::1"; }));
    EXPECT_TRUE(with([](auto& h) { h.platform = "\"macOS\""; }));
    for (auto change : std::vector<void (*)(finhub::client_headers&)>{
             [](auto& h) { h.platform.clear(); },
             [](auto& h) { h.forwarded_for.clear(); },
             [](auto& h) { h.forwarded_for = "client.example"; },
             [](auto& h) { h.forwarded_for = "10.0.0.1,"; },
             [](auto& h) { h.forwarded_for = "999.1.1.1"; },
             [](auto& h) { h.user_agent.clear(); },
             [](auto& h) { h.user_agent = "Mozilla\r\nX-Injected: 1"; },
             [](auto& h) { h.tenant_id.clear(); },
             [](auto& h) { h.tenant_id = "12 34"; },
         }) {
        auto h = headers();
        change(h);
        EXPECT_EQ(finhub::check_headers(h).error().code, errc::invalid_header);
        EXPECT_EQ(finhub::make_login_request(c, h, login()).error().code, errc::invalid_header);
    }
}

TEST(FinHub, LoginRequestAndResponse) {
    const auto c = finhub_config();
    auto r = finhub::make_login_request(c, headers(), login());
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->method, http::http_method::post);
    EXPECT_EQ(r->url.buffer(), "https://api.finhub.example/auth/login");
    EXPECT_EQ(*r->header("Content-Type"), "application/json");
    EXPECT_EQ(*r->header("sec-ch-ua-platform"), "Windows");
    EXPECT_EQ(*r->header("X-Forwarded-For"), "127.0.0.1");
    EXPECT_EQ(*r->header("User-Agent"), "Mozilla/5.0 (Windows NT 10.0; Win64; x64)");
    EXPECT_EQ(*r->header("X-Tenant-ID"), "1234567");
    EXPECT_EQ(r->body,
              R"({"username":"ada","password":"correct horse","customerId":"cust-9",)"
              R"("customerSecret":"cs-5ecret","accountType":"b2b","grantType":"password"})");
    auto l = login();
    l.customer_secret = secret();
    EXPECT_EQ(finhub::make_login_request(c, headers(), l).error().code, errc::missing_credential);

    auto s = finhub::process_login_response(c, headers(), login(),
                                            session_response(session_token()), t0);
    ASSERT_TRUE(s) << s.error();
    EXPECT_TRUE(s->verified);
    EXPECT_EQ(s->internal_token_key, "itk-77");
    EXPECT_EQ(s->subject, "user-1");
    EXPECT_EQ(s->expires_at(), t0 + 3600s);
    EXPECT_EQ(s->scope, (std::vector<std::string>{"accounts", "payments"}));
    EXPECT_EQ(s->refresh_token.expose_secret_chars(), "rt-1");

    // Without FinHub's keys the claims are read, and marked unverified.
    auto unverified = finhub::process_login_response(finhub_config(false), headers(), login(),
                                                     session_response(session_token()), t0);
    ASSERT_TRUE(unverified) << unverified.error();
    EXPECT_FALSE(unverified->verified);
    EXPECT_EQ(unverified->internal_token_key, "itk-77");

    const jose::jwk other = jose::generate_key(jose::algorithm::ES256, "finhub-1").value();
    EXPECT_EQ(finhub::process_login_response(
                  c, headers(), login(), session_response(session_token("user-1", "k", other)), t0)
                  .error()
                  .code,
              errc::invalid_response);
    EXPECT_EQ(finhub::process_login_response(c, headers(), login(),
                                             session_response(session_token(), "7654321"), t0)
                  .error()
                  .code,
              errc::tenant_mismatch);
    auto no_key = finhub::process_login_response(c, headers(), login(),
                                                 session_response(session_token("u", "")), t0);
    EXPECT_EQ(no_key.error().code, errc::invalid_response);
    EXPECT_EQ(finhub::process_login_response(finhub_config(false), headers(), login(),
                                             session_response("not.a-jwt"), t0)
                  .error()
                  .code,
              errc::invalid_response);
}

TEST(FinHub, RefreshFollowsTheTenPercentRule) {
    const auto c = finhub_config();
    const std::string token = session_token();
    auto s =
        finhub::process_login_response(c, headers(), login(), session_response(token), t0).value();
    EXPECT_EQ(finhub::make_refresh_request(c, headers(), s, t0 + 3239s).error().code,
              errc::refresh_not_due); // 361 s left of 3600: more than 10 %
    EXPECT_TRUE(finhub::make_refresh_request(c, headers(), s, t0 + 3239s, true));
    auto r = finhub::make_refresh_request(c, headers(), s, t0 + 3240s);
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->url.buffer(), "https://api.finhub.example/auth/refresh");
    EXPECT_EQ(*r->header("Authorization"), "Bearer " + token);
    EXPECT_EQ(*r->header("X-Tenant-ID"), "1234567");
    EXPECT_EQ(r->body, R"({"refreshToken":"rt-1","internalTokenKey":"itk-77"})");

    auto renewed = finhub::process_refresh_response(
        c, headers(), s, session_response(session_token("user-1", "itk-78"), "1234567", false),
        t0 + 3240s);
    ASSERT_TRUE(renewed) << renewed.error();
    EXPECT_EQ(renewed->internal_token_key, "itk-78");
    EXPECT_EQ(renewed->refresh_token.expose_secret_chars(), "rt-1"); // kept
    EXPECT_EQ(renewed->expires_at(), t0 + 3240s + 3600s);
    auto someone_else = finhub::process_refresh_response(
        c, headers(), s, session_response(session_token("user-2")), t0 + 3240s);
    EXPECT_EQ(someone_else.error().code, errc::session_mismatch);
}

TEST(FinHub, EachDocumentedErrorIsItsOwnCode) {
    const auto c = finhub_config();
    auto code = [&](const http::http_response& r) {
        return finhub::process_login_response(c, headers(), login(), r, t0).error().code;
    };
    EXPECT_EQ(code(error_response(400, "Invalid request format")), errc::bad_request);
    EXPECT_EQ(code(error_response(401, "Invalid credentials")), errc::invalid_credentials);
    EXPECT_EQ(code(error_response(401, "The access token has EXPIRED")), errc::token_expired);
    EXPECT_EQ(code(error_response(403, "Invalid certificate")), errc::forbidden);
    EXPECT_EQ(code(error_response(500, "Internal Server Error")), errc::server_error);
    http::http_response limited = error_response(429, "Rate limit exceeded");
    limited.headers.push_back({"Retry-After", "7"});
    auto rl = finhub::process_login_response(c, headers(), login(), limited, t0);
    EXPECT_EQ(rl.error().code, errc::rate_limited);
    EXPECT_EQ(finhub::retry_delay(rl.error(), 3), 7000ms);
}

TEST(FinHub, BackOffGrowsWithJitterUpToTheCap) {
    const error_info e = make_error(errc::rate_limited);
    for (unsigned attempt = 0; attempt < 4; ++attempt) {
        const auto base = std::chrono::milliseconds(1000 << attempt);
        const auto d = finhub::retry_delay(e, attempt);
        EXPECT_GE(d, base);
        EXPECT_LT(d, base * 3 / 2);
    }
    EXPECT_LT(finhub::retry_delay(e, 40), std::chrono::milliseconds(450'000));
    EXPECT_GE(finhub::retry_delay(e, 40), std::chrono::milliseconds(300'000));
}

TEST(FinHub, HostileAnswersAreRefused) {
    const auto c = finhub_config();
    const auto s =
        finhub::process_login_response(c, headers(), login(), session_response(session_token()), t0)
            .value();
    for (const auto& r : test::hostile_responses()) {
        SCOPED_TRACE(r.body.substr(0, 40));
        EXPECT_FALSE(finhub::process_login_response(c, headers(), login(), r, t0));
        EXPECT_FALSE(finhub::process_refresh_response(c, headers(), s, r, t0));
    }
    // A session token that is not a JWT, or whose claims are hostile.
    const std::string array = "[1]", deep(20'000, '[');
    const std::vector<std::string> tokens = {"a.b", "a.b.c.d", "e30.!!!.x",
                                             "x." + base64url_encode(bytes_view(array)) + ".x",
                                             "x." + base64url_encode(bytes_view(deep)) + ".x"};
    for (const auto& token : tokens)
        EXPECT_FALSE(finhub::process_login_response(finhub_config(false), headers(), login(),
                                                    session_response(token), t0))
            << token.substr(0, 20);
}

} // namespace
