#include <obauth/oauth/run.hpp>

#include "support/fake_bank.hpp"

#include <obauth/oauth/authorization_code_flow.hpp>
#include <obauth/oauth/grant_flow.hpp>

#include <gtest/gtest.h>

namespace {

using namespace obauth;
using namespace obauth::oauth;
using namespace std::chrono_literals;

TEST(RunFlow, FapiFlowWithAnyCallableTransport) {
    test::fake_bank bank;
    manual_clock clock(from_unix_seconds(1'800'000'000));
    const client c =
        test::make_client(client_auth::private_key_jwt("client-42", test::client_key()), true);
    auto flow =
        authorization_code_flow::create(
            c, fapi1_advanced("https://client.example/cb", {"openid", "accounts"},
                              test::client_key(), jose::jwks({test::bank_key().public_key()})))
            .value();
    int sent = 0;
    auto transport = [&](const http::http_request& r) -> result<http::http_response> {
        ++sent;
        clock.advance(1s);
        return bank.handle(r, clock.now());
    };
    auto browser = [&](const boost::urls::url& u) -> result<std::string> {
        return bank.authorize(u.buffer(), clock.now());
    };
    auto done = run_flow(flow, transport, browser, clock);
    ASSERT_TRUE(done) << done.error();
    EXPECT_EQ(sent, 2); // PAR and token
    EXPECT_EQ(done->id_token->sub(), "user-1001");
}

TEST(RunFlow, TransportAndUserAgentFailuresStopTheFlow) {
    test::fake_bank bank;
    manual_clock clock(from_unix_seconds(1'800'000'000));
    const client c = test::make_client(client_auth::tls_client_auth("client-42"), true);
    auto cc = grant_flow::client_credentials(c, {{"accounts"}});
    auto failing = [](const http::http_request&) -> result<http::http_response> {
        return make_error(http::errc::unexpected_status, "connection refused");
    };
    EXPECT_EQ(run_flow(cc, failing, clock).error().detail, "connection refused");

    auto flow = authorization_code_flow::create(
                    c, fapi1_advanced("https://client.example/cb", {"openid"}, test::client_key(),
                                      jose::jwks({test::bank_key().public_key()})))
                    .value();
    auto transport = [&](const http::http_request& r) -> result<http::http_response> {
        return bank.handle(r, clock.now());
    };
    // A redirect in a flow run without a user agent is an error, not a hang.
    EXPECT_EQ(run_flow(flow, transport, clock).error().code, errc::flow_out_of_order);
    auto ok = grant_flow::client_credentials(c, {{"accounts"}});
    EXPECT_TRUE(run_flow(ok, transport, clock));
}

} // namespace
