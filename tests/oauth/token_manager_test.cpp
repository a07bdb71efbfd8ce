#include <obauth/oauth/token_manager.hpp>

#include <obauth/oauth/authorization_code_flow.hpp>
#include <obauth/oauth/run.hpp>

#include "support/fake_bank.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace {

using namespace obauth;
using namespace obauth::oauth;
using namespace std::chrono_literals;

using test::t0;

struct harness {
    test::fake_bank bank;
    manual_clock clock{t0};
    client c =
        test::make_client(client_auth::private_key_jwt("client-42", test::client_key()), true);
    std::atomic<int> calls{0};
    std::chrono::milliseconds delay{0};

    transport_function transport() {
        return [this](const http::http_request& r) -> result<http::http_response> {
            ++calls;
            if (delay.count() > 0)
                std::this_thread::sleep_for(delay);
            return bank.handle(r, clock.now());
        };
    }
};

// With DPoP the manager's requests carry proofs, its tokens are DPoP-bound,
// and a use_dpop_nonce answer is followed by one new request with the nonce
// (refreshes included).
TEST(TokenManager, DpopTokensAndNonces) {
    harness h;
    h.bank.dpop_nonce_required = true;
    h.c.dpop = std::make_shared<dpop_binding>(jose::generate_key(jose::algorithm::ES256).value());
    token_manager_options o;
    o.client_credentials = true;
    token_manager m(h.c, h.transport(), h.clock, o);
    auto t = m.get(token_key{{"accounts"}, {}});
    ASSERT_TRUE(t) << t.error();
    EXPECT_EQ(t->token_type, "DPoP");
    EXPECT_EQ(h.calls, 2); // the nonce challenge, then the tokens
    // The nonce is remembered: the next request needs no second try.
    auto other = m.get(token_key{{"payments"}, {}});
    ASSERT_TRUE(other) << other.error();
    EXPECT_EQ(h.calls, 3);
}

TEST(TokenManager, ClientCredentialsCachedPerKeyAndRefreshedAtTheFraction) {
    harness h;
    token_manager_options o;
    o.client_credentials = true;
    o.refresh_skew = 10s;
    o.refresh_fraction = 0.1; // 300 s tokens: refresh in the last 30 s
    token_manager m(h.c, h.transport(), h.clock, o);
    const token_key accounts{{"accounts"}, {}};
    auto a = m.get(accounts);
    ASSERT_TRUE(a) << a.error();
    auto again = m.get(accounts);
    EXPECT_EQ(again->access_token, a->access_token);
    EXPECT_EQ(h.calls, 1);
    auto payments = m.get(token_key{{"payments"}, {}});
    EXPECT_NE(payments->access_token, a->access_token);
    EXPECT_EQ(h.calls, 2);
    h.clock.advance(269s);
    EXPECT_EQ(m.get(accounts)->access_token, a->access_token);
    h.clock.advance(2s); // 29 s left < 10% of 300 s
    EXPECT_NE(m.get(accounts)->access_token, a->access_token);
    EXPECT_EQ(h.calls, 3);
}

TEST(TokenManager, SingleFlightRefreshUnderConcurrency) {
    harness h;
    h.delay = 50ms;
    token_manager_options o;
    o.client_credentials = true;
    token_manager m(h.c, h.transport(), h.clock, o);
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&] { ok += m.get(token_key{{"accounts"}, {}}) ? 1 : 0; });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(ok, 8);
    EXPECT_EQ(h.calls, 1);
}

token_set user_tokens(harness& h) {
    auto f =
        authorization_code_flow::create(
            h.c, fapi1_advanced("https://client.example/cb", {"openid", "accounts"},
                                test::client_key(), jose::jwks({test::bank_key().public_key()})))
            .value();
    auto done = run_flow(
        f,
        [&](const http::http_request& r) -> result<http::http_response> {
            return h.bank.handle(r, h.clock.now());
        },
        [&](const boost::urls::url& u) -> result<std::string> {
            return h.bank.authorize(u.buffer(), h.clock.now());
        },
        h.clock);
    EXPECT_TRUE(done) << done.error();
    return std::move(done->tokens);
}

TEST(TokenManager, RefreshRotatesAndReuseNeedsReauthorization) {
    harness h;
    const token_set original = user_tokens(h);
    ASSERT_TRUE(original.refresh_token);
    const token_key key{{"openid", "accounts"}, {}};
    token_manager m(h.c, h.transport(), h.clock);
    m.put(key, original.clone());
    EXPECT_EQ(m.get(key)->access_token, original.access_token);
    EXPECT_EQ(h.calls, 0);
    h.clock.advance(280s);
    auto refreshed = m.get(key);
    ASSERT_TRUE(refreshed) << refreshed.error();
    EXPECT_NE(refreshed->access_token, original.access_token);
    EXPECT_NE(*refreshed->refresh_token, *original.refresh_token); // rotated
    EXPECT_EQ(h.bank.refresh_requests, 1);

    // A second holder of the old refresh token replays it: the bank revokes
    // the family, and both holders must send the user through login again.
    token_manager stale(h.c, h.transport(), h.clock);
    stale.put(key, original.clone());
    auto r = stale.get(key);
    EXPECT_EQ(r.error().code, errc::reauthorization_required);
    EXPECT_EQ(stale.get(key).error().code, errc::reauthorization_required); // entry dropped
    h.clock.advance(290s);
    EXPECT_EQ(m.get(key).error().code, errc::reauthorization_required);
}

TEST(TokenManager, RefreshTokenLifetimeCountsFromTheAuthorizationAcrossRotation) {
    harness h;
    const token_key key{{"openid", "accounts"}, {}};
    token_manager_options o;
    o.refresh_token_lifetime = 600s;
    token_manager m(h.c, h.transport(), h.clock, o);
    m.put(key, user_tokens(h));
    h.clock.advance(280s);
    auto first = m.get(key); // rotated once, at 280 s
    ASSERT_TRUE(first) << first.error();
    EXPECT_EQ(h.bank.refresh_requests, 1);
    h.clock.advance(290s);
    ASSERT_TRUE(m.get(key)); // 570 s: still within the 600 s
    EXPECT_EQ(h.bank.refresh_requests, 2);
    h.clock.advance(280s); // 850 s after the authorization: not sent at all
    auto late = m.get(key);
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().code, errc::reauthorization_required);
    EXPECT_EQ(h.bank.refresh_requests, 2);
    EXPECT_EQ(m.get(key).error().code, errc::reauthorization_required); // dropped
}

TEST(TokenManager, CustomRequestBuilderIsCachedTheSameWay) {
    harness h;
    int built = 0;
    token_request_builder build = [&](const token_key& k, const secret* refresh,
                                      time_point now) -> result<http::http_request> {
        ++built;
        EXPECT_EQ(refresh, nullptr);
        return make_token_request(h.c, client_credentials_grant{k.scope}, now);
    };
    token_manager_options o;
    o.refresh_skew = 60s;
    token_manager m(build, h.transport(), h.clock, o);
    const token_key key{{"accounts"}, {}};
    auto a = m.get(key);
    ASSERT_TRUE(a) << a.error();
    EXPECT_EQ(m.get(key)->access_token, a->access_token);
    EXPECT_EQ(built, 1);
    h.clock.advance(241s); // 59 s left of 300 s: under the skew
    EXPECT_NE(m.get(key)->access_token, a->access_token);
    EXPECT_EQ(built, 2);
}

TEST(TokenManager, TransientFailureKeepsTheCurrentTokenUntilItExpires) {
    harness h;
    bool down = false;
    token_manager_options o;
    o.client_credentials = true;
    token_manager m(
        h.c,
        [&](const http::http_request& r) -> result<http::http_response> {
            if (down)
                return http::http_response{503, {{"Retry-After", "30"}}, ""};
            return h.bank.handle(r, h.clock.now());
        },
        h.clock, o);
    const token_key key{{"accounts"}, {}};
    auto a = m.get(key);
    ASSERT_TRUE(a);
    down = true;
    h.clock.advance(290s);
    EXPECT_EQ(m.get(key)->access_token, a->access_token);
    h.clock.advance(20s);
    auto gone = m.get(key);
    EXPECT_EQ(gone.error().code, errc::http_server_error);
    EXPECT_EQ(gone.error().retry_after, 30s);
    down = false;
    EXPECT_NE(m.get(key)->access_token, a->access_token);
}

// A refusal that is not the server's trouble (here: a scope the refresh
// token does not cover) is reported, not hidden behind the current token;
// the entry stays, so the next get() tries again.
TEST(TokenManager, ARefusedRefreshIsReportedNotMasked) {
    harness h;
    bool refuse = true;
    token_manager_options o;
    o.client_credentials = true;
    token_manager m(
        h.c,
        [&](const http::http_request& r) -> result<http::http_response> {
            if (refuse && h.bank.token_requests > 0)
                return test::json_response(400, R"({"error":"invalid_scope"})");
            ++h.bank.token_requests;
            return h.bank.handle(r, h.clock.now());
        },
        h.clock, o);
    const token_key key{{"accounts"}, {}};
    auto a = m.get(key);
    ASSERT_TRUE(a) << a.error();
    h.clock.advance(290s);
    auto refused = m.get(key);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, errc::invalid_scope);
    refuse = false;
    auto b = m.get(key);
    ASSERT_TRUE(b) << b.error();
    EXPECT_NE(b->access_token, a->access_token);
}

} // namespace

// --- a fleet: token sets shared through a store, one refresh per fleet ------

namespace {

struct fleet {
    store::memory_token_store tokens;
    store::memory_lease_store leases;
    store::sealing_keys keys = store::sealing_keys::create("k1", secret(bytes(32, 3))).value();

    token_manager_options options(shared_store_policy p = shared_store_policy::refuse) {
        token_manager_options o;
        shared_token_options sh;
        sh.tokens = &tokens;
        sh.leases = &leases;
        sh.keys = &keys;
        sh.name = "client-42";
        sh.wait = 2000ms;
        sh.poll = 5ms;
        sh.when_unavailable = p;
        o.shared = std::move(sh);
        return o;
    }
};

// A harness whose bank sees one request at a time (several managers call it).
struct serial_harness : harness {
    std::mutex bank_mutex;
    transport_function serial_transport() {
        return [this](const http::http_request& r) -> result<http::http_response> {
            ++calls;
            std::this_thread::sleep_for(30ms); // refreshes overlap if they can
            const std::lock_guard<std::mutex> lock(bank_mutex);
            return bank.handle(r, clock.now());
        };
    }
};

// A store that never answers.
struct down_store : store::token_store {
    result<store::versioned_value> get(std::string_view, time_point) override {
        return make_error(store::errc::unavailable, "connection refused");
    }
    result<std::uint64_t> compare_and_set(std::string_view, std::uint64_t, std::string_view,
                                          time_point, time_point) override {
        return make_error(store::errc::unavailable, "connection refused");
    }
};

} // namespace

namespace {

TEST(TokenManagerFleet, ManyProcessesRefreshARotatingTokenOnce) {
    serial_harness h;
    fleet f;
    const token_key key{{"openid", "accounts"}, {}};
    std::vector<std::unique_ptr<token_manager>> managers;
    for (int i = 0; i < 4; ++i)
        managers.push_back(
            std::make_unique<token_manager>(h.c, h.serial_transport(), h.clock, f.options()));
    ASSERT_TRUE(managers[0]->put_shared(key, user_tokens(h)));
    h.clock.advance(280s); // 20 s left: every manager wants a refresh
    std::vector<std::string> seen(managers.size());
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < managers.size(); ++i)
        threads.emplace_back([&, i] {
            auto t = managers[i]->get(key);
            ASSERT_TRUE(t) << t.error();
            seen[i] = std::string(t->access_token.expose_secret_chars());
        });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(h.bank.refresh_requests, 1);
    for (const auto& s : seen)
        EXPECT_EQ(s, seen[0]);
    std::size_t requests = 0;
    for (const auto& m : managers)
        requests += m->refreshes();
    EXPECT_EQ(requests, 1u);
    // The next round: again one refresh, with the rotated token from the
    // store (the bank would revoke the grant on a reused one).
    h.clock.advance(290s);
    for (auto& m : managers)
        ASSERT_TRUE(m->get(key)) << "after the second rotation";
    EXPECT_EQ(h.bank.refresh_requests, 2);
}

TEST(TokenManagerFleet, TheStoreHoldsOnlySealedSets) {
    harness h;
    fleet f;
    const token_key key{{"openid", "accounts"}, {}};
    token_manager m(h.c, h.transport(), h.clock, f.options());
    const token_set tokens = user_tokens(h);
    ASSERT_TRUE(m.put_shared(key, tokens.clone()));
    const auto stored = f.tokens.get(m.shared_store_key(key), h.clock.now()).value();
    ASSERT_NE(stored.version, 0u);
    EXPECT_EQ(stored.value.rfind("s1.k1.", 0), 0u);
    EXPECT_EQ(stored.value.find(std::string(tokens.access_token.expose_secret_chars())),
              std::string::npos);
    EXPECT_EQ(stored.value.find(std::string(tokens.refresh_token->expose_secret_chars())),
              std::string::npos);
    // Another process reads it instead of asking the bank.
    token_manager reader(h.c, h.transport(), h.clock, f.options());
    EXPECT_EQ(reader.get(key)->access_token, tokens.access_token);
    EXPECT_EQ(h.calls, 0);
    // The key names the client and the token key, nothing else.
    EXPECT_EQ(m.shared_store_key(key).size(), 43u);
    EXPECT_NE(m.shared_store_key(key), m.shared_store_key(token_key{{"openid"}, {}}));
}

TEST(TokenManagerFleet, StoreDownRefusesOrRefreshesLocallyAsConfigured) {
    harness h;
    fleet f;
    down_store down;
    auto refuse = f.options();
    refuse.shared->tokens = &down;
    refuse.client_credentials = true;
    token_manager strict(h.c, h.transport(), h.clock, refuse);
    const token_key key{{"accounts"}, {}};
    const auto r = strict.get(key);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::shared_store_unavailable);
    EXPECT_NE(r.error().detail.find("connection refused"), std::string::npos);
    EXPECT_EQ(h.calls, 0);

    auto local = f.options(shared_store_policy::refresh_locally);
    local.shared->tokens = &down;
    local.client_credentials = true;
    token_manager lenient(h.c, h.transport(), h.clock, local);
    EXPECT_TRUE(lenient.get(key));
    EXPECT_EQ(h.calls, 1);
}

TEST(TokenManagerFleet, AnUnreadableEntryIsReplacedAndALostLeaseHolderTimesOut) {
    harness h;
    fleet f;
    auto o = f.options();
    o.client_credentials = true;
    o.shared->wait = 200ms;
    const token_key key{{"accounts"}, {}};
    token_manager m(h.c, h.transport(), h.clock, o);
    const std::string skey = m.shared_store_key(key);

    // Garbage (or a set sealed under a key this process lacks) under the
    // key: fetched anew, and replaced by compare-and-set on its version.
    const auto garbage =
        f.tokens.compare_and_set(skey, 0, "s1.k1.AAAA", h.clock.now() + 1h, h.clock.now());
    ASSERT_TRUE(garbage);
    auto t = m.get(key);
    ASSERT_TRUE(t) << t.error();
    EXPECT_EQ(h.calls, 1);
    const auto replaced = f.tokens.get(skey, h.clock.now()).value();
    EXPECT_NE(replaced.version, *garbage);
    EXPECT_TRUE(f.keys.open(skey, replaced.value));

    // A process took the refresh lease and died: the others wait, time out
    // (never refresh behind its back), and go on once the lease expires.
    h.clock.advance(290s);
    ASSERT_TRUE(f.leases.try_acquire("refresh:" + skey, "ghost", h.clock.now() + 30s, h.clock.now())
                    .value());
    token_manager other(h.c, h.transport(), h.clock, o);
    const auto waited = other.get(key);
    ASSERT_FALSE(waited);
    EXPECT_EQ(waited.error().code, errc::shared_refresh_timeout);
    EXPECT_EQ(h.calls, 1);
    h.clock.advance(31s);
    EXPECT_TRUE(other.get(key));
    EXPECT_EQ(h.calls, 2);
}

} // namespace
