// A fleet against the local bank, its state on a real Redis: several
// processes share one token manager key whose access token is about to
// expire; exactly one refresh reaches the bank (counted there), nobody's
// refresh token is reused (the bank revokes the grant on reuse: counted
// too), and every process ends with the same token, which the bank's
// resource accepts. Then Redis goes away and comes back: the token manager
// refuses meanwhile (its policy) and recovers without a restart.
#include <obauth/store/redis.hpp>

#include <obauth/oauth/authorization_code_flow.hpp>
#include <obauth/oauth/resource_request.hpp>
#include <obauth/oauth/run.hpp>
#include <obauth/oauth/security_profile.hpp>
#include <obauth/oauth/token_manager.hpp>

#include "bank_fixture.hpp"
#include "local_bank.hpp"
#include "support/processes.hpp"
#include "support/redis_server.hpp"

#include <obauth/transport/curl.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using namespace obauth;
using namespace obauth::oauth;
using namespace std::chrono_literals;

const token_key fleet_key{{"openid", "accounts"}, {}};

class FleetBank : public test::bank_fixture<transport::curl_transport> {
protected:
    client fleet_client() const {
        return client{metadata, client_auth::tls_client_auth("fleet-mtls"), true, 256 * 1024};
    }

    /// The bank's counts for fleet-mtls: {refresh grants, revoked grants}.
    std::pair<int, int> grants() {
        http::http_request r;
        r.url = boost::urls::url(bank.issuer + "/test/grants?client_id=fleet-mtls");
        const auto resp = send(r);
        EXPECT_TRUE(resp && resp->status == 200);
        const auto doc = parse_json(resp ? resp->body : "{}").value_or(json::object());
        return {doc.value("refresh", -1), doc.value("revoked", -1)};
    }

    /// What one process of the fleet builds: its own connections to Redis
    /// and to the bank, the shared sealing key, its own token manager.
    struct member {
        std::shared_ptr<store::redis_client> redis;
        store::redis_token_store tokens;
        store::redis_lease_store leases;
        store::sealing_keys keys;
        transport::curl_transport web;
        token_manager manager;

        member(FleetBank& f, const client& c, const clock_source& clock, int redis_port)
            : redis(connect(redis_port)), tokens(redis), leases(redis),
              keys(store::sealing_keys::create("fleet-1", secret(bytes(32, 0x5a))).value()),
              web(transport::curl_transport::create(f.bank.transport_options()).value()),
              manager(
                  c, [this](const http::http_request& r) { return web(r); }, clock,
                  options(*this)) {}

        static std::shared_ptr<store::redis_client> connect(int port) {
            store::redis_options o;
            o.port = port;
            o.password = secret(bytes_view(std::string_view(test_redis::redis_server::password)));
            o.prefix = "obauth:fleet:";
            return store::redis_client::create(std::move(o)).value();
        }
        static token_manager_options options(member& m) {
            token_manager_options o;
            shared_token_options sh;
            sh.tokens = &m.tokens;
            sh.leases = &m.leases;
            sh.keys = &m.keys;
            sh.name = "fleet-mtls";
            sh.wait = 20s;
            o.shared = std::move(sh);
            return o;
        }
    };
};

TEST_F(FleetBank, OneRefreshForTheWholeFleetAndRecoveryFromARedisRestart) {
    test_redis::redis_server redis;
    ASSERT_TRUE(redis.running()) << redis.error();
    const client c = fleet_client();
    auto flow = authorization_code_flow::create(
                    c, fapi2_security(local_bank::redirect_uri,
                                      {"openid", "accounts", "offline_access"}, bank_keys))
                    .value();
    local_bank::browser<transport::curl_transport> user(*transport);
    auto done = run_flow(
        flow, [this](const http::http_request& r) { return send(r); }, user, clock);
    ASSERT_TRUE(done) << done.error();
    ASSERT_TRUE(done->tokens.refresh_token && done->tokens.expires_in);

    // The fleet's clock: 20 s before the access token expires.
    manual_clock late(done->tokens.issued_at + *done->tokens.expires_in - 20s);
    {
        member seed(*this, c, late, redis.port());
        ASSERT_TRUE(seed.manager.put_shared(fleet_key, done->tokens.clone()));
    }
    const auto before = grants();

    const auto results = test_processes::run(4, [&](int) {
        member m(*this, c, late, redis.port());
        auto t = m.manager.get(fleet_key);
        return t ? "ok " + std::string(t->access_token.expose_secret_chars())
                 : "error " + t.error().to_string();
    });
    ASSERT_EQ(results.size(), 4u);
    for (const auto& r : results) {
        ASSERT_EQ(r.rfind("ok ", 0), 0u) << r;
        EXPECT_EQ(r, results[0]);
    }
    EXPECT_NE(results[0], "ok " + std::string(done->tokens.access_token.expose_secret_chars()));
    const auto after = grants();
    EXPECT_EQ(after.first - before.first, 1) << "refresh requests at the bank";
    EXPECT_EQ(after.second - before.second, 0) << "grants revoked by the bank";

    // The fleet's token works at the bank's resource (mTLS-bound).
    member here(*this, c, late, redis.port());
    auto shared = here.manager.get(fleet_key);
    ASSERT_TRUE(shared) << shared.error();
    EXPECT_EQ("ok " + std::string(shared->access_token.expose_secret_chars()), results[0]);
    http::http_request accounts;
    accounts.url = boost::urls::url(bank.issuer + "/accounts");
    ASSERT_TRUE(authorize_resource_request(c, accounts, *shared, late.now()));
    const auto r = send(accounts);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << r->body;

    // Redis goes away when the next refresh is due: refused (the policy),
    // nothing sent to the bank; Redis back (empty: no persistence), the
    // same process refreshes with the refresh token it holds.
    late.advance(*shared->expires_in - 10s);
    redis.stop();
    const auto refused = here.manager.get(fleet_key);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, errc::shared_store_unavailable);
    EXPECT_EQ(grants().first - before.first, 1);
    ASSERT_TRUE(redis.start()) << redis.error();
    auto recovered = here.manager.get(fleet_key);
    ASSERT_TRUE(recovered) << recovered.error();
    EXPECT_EQ(grants().first - before.first, 2);
    EXPECT_EQ(grants().second - before.second, 0);
}

} // namespace
