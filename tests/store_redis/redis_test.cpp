#include <obauth/store/redis.hpp>

#include "support/processes.hpp"
#include "support/redis_server.hpp"
#include "support/store_contract.hpp"

#include <obauth/assertion/assertion_verifier.hpp>
#include <obauth/assertion/client_assertion.hpp>
#include <obauth/dpop/proof.hpp>
#include <obauth/dpop/verifier.hpp>
#include <obauth/jose/jwks.hpp>
#include <obauth/jose/key_io.hpp>
#include <obauth/store/sealing.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace obauth;
using namespace std::chrono_literals;
using store::insert_result;
using test_redis::redis_server;

redis_server& server() {
    static redis_server s; // one per test program; stopped at exit
    static const bool started = [] {
        if (!s.running()) {
            std::fprintf(stderr, "test setup: %s\n", s.error().c_str());
            std::abort();
        }
        return true;
    }();
    (void)started;
    return s;
}

store::redis_options options(const std::string& prefix) {
    store::redis_options o;
    o.port = server().port();
    o.password = secret(bytes_view(std::string_view(redis_server::password)));
    o.prefix = "obauth:" + prefix + ":";
    return o;
}

std::shared_ptr<store::redis_client> client(const std::string& prefix) {
    return store::redis_client::create(options(prefix)).value();
}

const time_point t0 = from_unix_seconds(1900000000);

TEST(RedisReplayStore, RemembersAKeyUntilItExpires) {
    store::redis_replay_store s(client("expiry"));
    EXPECT_EQ(s.insert_if_absent("k", t0 + 300ms, t0), insert_result::inserted);
    EXPECT_EQ(s.insert_if_absent("k", t0 + 60s, t0), insert_result::already_present);
    EXPECT_EQ(s.insert_if_absent("other", t0 + 60s, t0), insert_result::inserted);
    std::this_thread::sleep_for(500ms); // Redis's own clock expires the key
    EXPECT_EQ(s.insert_if_absent("k", t0 + 60s, t0), insert_result::inserted);
}

TEST(RedisReplayStore, AnAclUserWorksAndAWrongPasswordIsRefusedWithoutEchoingIt) {
    const auto as_acl_user = [](std::string prefix) {
        auto o = options("acl");
        o.username = redis_server::acl_user;
        o.password = secret(bytes_view(std::string_view(redis_server::acl_password)));
        o.prefix = std::move(prefix);
        return store::redis_client::create(std::move(o)).value();
    };
    store::redis_replay_store acl(as_acl_user("obauth:acl:"));
    EXPECT_EQ(acl.insert_if_absent("k", t0 + 60s, t0), insert_result::inserted);

    // The ACL user may only touch obauth:* keys.
    store::redis_replay_store denied(as_acl_user("elsewhere:"));
    EXPECT_EQ(denied.insert_if_absent("k", t0 + 60s, t0), insert_result::unavailable);

    auto wrong = options("acl");
    wrong.password = secret(bytes_view(std::string_view("not-the-password-4411")));
    auto c = store::redis_client::create(std::move(wrong)).value();
    const auto r = c->command({"PING"});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, store::errc::refused);
    EXPECT_NE(r.error().detail.find("AUTH"), std::string::npos) << r.error().detail;
    EXPECT_EQ(r.error().to_string().find("not-the-password"), std::string::npos);
    store::redis_replay_store s(c);
    EXPECT_EQ(s.insert_if_absent("k2", t0 + 60s, t0), insert_result::unavailable);
}

TEST(RedisReplayStore, NoServerAnswersUnavailableQuickly) {
    auto o = options("none");
    o.port = 1; // nothing listens there
    store::redis_replay_store s(store::redis_client::create(std::move(o)).value());
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(s.insert_if_absent("k", t0 + 60s, t0), insert_result::unavailable);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST(RedisReplayStore, StoppedInTheMiddleItAcceptsNothingThenRecovers) {
    store::redis_replay_store s(client("restart"));
    ASSERT_EQ(s.insert_if_absent("before", t0 + 60s, t0), insert_result::inserted);
    server().stop();
    EXPECT_EQ(s.insert_if_absent("during", t0 + 60s, t0), insert_result::unavailable);
    EXPECT_EQ(s.insert_if_absent("before", t0 + 60s, t0), insert_result::unavailable);
    ASSERT_TRUE(server().start()) << server().error(); // an empty Redis: no persistence
    EXPECT_EQ(s.insert_if_absent("during", t0 + 60s, t0), insert_result::inserted);
    EXPECT_EQ(s.insert_if_absent("during", t0 + 60s, t0), insert_result::already_present);
}

// Fail closed: with Redis gone, both verifiers refuse with their own
// "unavailable" code, and accept again once it is back.
TEST(RedisReplayStore, VerifiersRefuseWhileRedisIsDown) {
    const auto key = jose::generate_key(jose::algorithm::ES256, "tpp-key").value();
    const auto keys = jose::jwks({key.public_key()});
    const time_point now = from_unix_seconds(to_unix_seconds(std::chrono::system_clock::now()));
    assertion::assertion_options ao;
    ao.client_id = "tpp-1";
    ao.audience = {"https://as.example"};
    assertion::assertion_policy policy;
    policy.client_id = "tpp-1";
    policy.audiences = {"https://as.example"};
    const std::string jwt = assertion::make_private_key_jwt(key, ao, now).value().jwt;
    const dpop::proof_target target{"POST", "https://as.example/token", {}, {}};
    const std::string proof = dpop::make_proof(key, target, now).value();
    dpop::proof_request r;
    r.dpop_headers = {proof};
    r.method = "POST";
    r.url = "https://as.example/token";

    store::redis_replay_store replay(client("down"));
    dpop::verify_options vo;
    vo.replay = &replay;
    server().stop();
    EXPECT_EQ(assertion::verify_client_assertion(jwt, keys, policy, replay, now).error().code,
              assertion::errc::replay_store_unavailable);
    EXPECT_EQ(dpop::verify_proof(r, now, vo).error().code, dpop::errc::replay_store_unavailable);
    ASSERT_TRUE(server().start()) << server().error();
    EXPECT_TRUE(assertion::verify_client_assertion(jwt, keys, policy, replay, now));
    EXPECT_TRUE(dpop::verify_proof(r, now, vo));
    EXPECT_EQ(dpop::verify_proof(r, now, vo).error().code, dpop::errc::replayed);
}

TEST(RedisReplayStore, ManyThreadsOnOnePoolInsertEachKeyOnce) {
    auto o = options("threads");
    o.connections = 3; // fewer connections than threads: some wait
    store::redis_replay_store s(store::redis_client::create(std::move(o)).value());
    std::atomic<int> inserted{0}, present{0}, unavailable{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&] {
            for (int k = 0; k < 150; ++k) {
                switch (s.insert_if_absent("key-" + std::to_string(k), t0 + 60s, t0)) {
                case insert_result::inserted:
                    ++inserted;
                    break;
                case insert_result::already_present:
                    ++present;
                    break;
                case insert_result::unavailable:
                    ++unavailable;
                }
            }
        });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(inserted, 150);
    EXPECT_EQ(present, 7 * 150);
    EXPECT_EQ(unavailable, 0);
}

TEST(RedisReplayStore, TheStoreHoldsNoProofOrClientInClear) {
    auto c = client("dump");
    store::redis_replay_store s(c);
    const std::string key = store::replay_key({"dpop", "jkt-Zx81", "jti-secretive-7781"});
    ASSERT_EQ(s.insert_if_absent(key, t0 + 60s, t0), insert_result::inserted);
    const auto keys = c->command({"KEYS", "obauth:dump:*"}).value();
    ASSERT_EQ(keys.elements.size(), 1u);
    const std::string name = keys.elements[0].text;
    EXPECT_EQ(name.rfind("obauth:dump:replay:", 0), 0u) << name;
    EXPECT_EQ(name.find("jti-secretive"), std::string::npos);
    EXPECT_EQ(name.find("jkt-Zx81"), std::string::npos);
    EXPECT_EQ(c->command({"GET", name}).value().text, "1");
}

// Several processes (each its own pool, as on several machines) verify the
// same client assertions and DPoP proofs at once: every jti is accepted by
// exactly one of them.
TEST(RedisReplayStore, ProcessesVerifyTheSameAssertionsAndProofsEachOnce) {
    constexpr int processes = 4, count = 40;
    const auto client_key = jose::generate_key(jose::algorithm::ES256, "tpp-key").value();
    const auto client_keys = jose::jwks({client_key.public_key()});
    assertion::assertion_options ao;
    ao.client_id = "tpp-1";
    ao.audience = {"https://as.example"};
    const time_point now = from_unix_seconds(to_unix_seconds(std::chrono::system_clock::now()));
    std::vector<std::string> assertions, proofs;
    const dpop::proof_target target{"POST", "https://as.example/token", {}, {}};
    for (int i = 0; i < count; ++i) {
        assertions.push_back(assertion::make_private_key_jwt(client_key, ao, now).value().jwt);
        proofs.push_back(dpop::make_proof(client_key, target, now).value());
    }
    (void)server(); // started before the fork: one Redis for every process
    const auto reports = test_processes::run(processes, [&](int) {
        store::redis_replay_store replay(client("fleet"));
        assertion::assertion_policy policy;
        policy.client_id = "tpp-1";
        policy.audiences = {"https://as.example"};
        dpop::verify_options vo;
        vo.replay = &replay;
        std::string report; // one letter per item: a(ccepted), r(eplay), u(navailable)
        for (int i = 0; i < count; ++i) {
            const auto a = assertion::verify_client_assertion(
                assertions[static_cast<std::size_t>(i)], client_keys, policy, replay, now);
            report += a ? 'a' : (a.error().code == assertion::errc::replayed ? 'r' : 'u');
            dpop::proof_request r;
            r.dpop_headers = {proofs[static_cast<std::size_t>(i)]};
            r.method = "POST";
            r.url = "https://as.example/token";
            const auto v = dpop::verify_proof(r, now, vo);
            report += v ? 'a' : (v.error().code == dpop::errc::replayed ? 'r' : 'u');
        }
        return report;
    });
    ASSERT_EQ(reports.size(), static_cast<std::size_t>(processes));
    std::vector<int> accepted(2 * count, 0);
    for (const auto& report : reports) {
        ASSERT_EQ(report.size(), accepted.size()) << report;
        for (std::size_t i = 0; i < report.size(); ++i) {
            ASSERT_NE(report[i], 'u') << "item " << i;
            accepted[i] += report[i] == 'a';
        }
    }
    for (std::size_t i = 0; i < accepted.size(); ++i)
        EXPECT_EQ(accepted[i], 1) << (i % 2 == 0 ? "assertion " : "proof ") << i / 2;
}

TEST(RedisTokenStore, CompareAndSet) {
    store::redis_token_store s(client("tokens"));
    store_contract::token_store_compare_and_set(s, "redis", t0);
}

TEST(RedisTokenStore, OneOfConcurrentWritersWins) {
    store::redis_token_store s(client("tokens"));
    store_contract::token_store_one_writer_wins(s, "redis", t0);
}

TEST(RedisTokenStore, AnExpiredValueIsGoneAndItsVersionNeverComesBack) {
    store::redis_token_store s(client("tokens"));
    const std::uint64_t v1 = s.compare_and_set("short", 0, "old", t0 + 200ms, t0).value();
    std::this_thread::sleep_for(400ms);
    EXPECT_EQ(s.get("short", t0).value().version, 0u);
    const std::uint64_t v2 = s.compare_and_set("short", 0, "new", t0 + 60s, t0).value();
    EXPECT_NE(v2, v1);
    EXPECT_EQ(s.compare_and_set("short", v1, "stale", t0 + 60s, t0).error().code,
              store::errc::conflict);
}

// What a dump of Redis shows of a sealed token set: no token, no secret.
TEST(RedisTokenStore, ADumpHoldsNoTokenInClear) {
    auto c = client("sealed");
    store::redis_token_store s(c);
    const auto keys = store::sealing_keys::create("k1", secret(bytes(32, 9))).value();
    const std::string set = R"({"access_token":"at-Clear-7781","refresh_token":"rt-Clear-1187"})";
    ASSERT_TRUE(s.compare_and_set("client-1", 0, keys.seal("client-1", bytes_view(set)).value(),
                                  t0 + 60s, t0));
    const auto names = c->command({"KEYS", "obauth:sealed:*"}).value();
    ASSERT_FALSE(names.elements.empty());
    for (const auto& name : names.elements) {
        const auto type = c->command({"TYPE", name.text}).value().text;
        const auto dump = type == "hash" ? c->command({"HGETALL", name.text}).value()
                                         : c->command({"GET", name.text}).value();
        std::string all = name.text + dump.text;
        for (const auto& e : dump.elements)
            all += e.text;
        EXPECT_EQ(all.find("Clear"), std::string::npos) << all;
        EXPECT_EQ(all.find("access_token"), std::string::npos) << all;
    }
    const auto got = s.get("client-1", t0).value();
    const auto opened = keys.open("client-1", got.value).value();
    EXPECT_EQ(std::string(opened.begin(), opened.end()), set);
}

TEST(RedisTokenStore, HostileContentIsRefused) {
    auto c = client("hostile");
    store::redis_token_store s(c);
    const auto keys = store::sealing_keys::create("k1", secret(bytes(32, 9))).value();
    ASSERT_TRUE(c->command({"HSET", "obauth:hostile:tokens:a", "v", "not-a-number", "d", "x"}));
    EXPECT_EQ(s.get("a", t0).error().code, store::errc::protocol_error);
    ASSERT_TRUE(c->command({"HSET", "obauth:hostile:tokens:b", "d", "x"}));
    EXPECT_EQ(s.get("b", t0).error().code, store::errc::protocol_error);
    ASSERT_TRUE(c->command({"SET", "obauth:hostile:tokens:c", "plain"}));
    EXPECT_EQ(s.get("c", t0).error().code, store::errc::refused); // WRONGTYPE
    EXPECT_EQ(s.compare_and_set("c", 0, "x", t0 + 60s, t0).error().code, store::errc::refused);
    // Well-formed entries whose sealed value was altered or moved.
    const std::string sealed = keys.seal("d", bytes_view(std::string("set"))).value();
    ASSERT_TRUE(c->command(
        {"HSET", "obauth:hostile:tokens:d", "v", "7", "d", sealed.substr(0, sealed.size() - 2)}));
    ASSERT_TRUE(c->command({"HSET", "obauth:hostile:tokens:e", "v", "8", "d", sealed}));
    EXPECT_EQ(keys.open("d", s.get("d", t0).value().value).error().code,
              store::errc::sealed_value_invalid);
    EXPECT_EQ(keys.open("e", s.get("e", t0).value().value).error().code,
              store::errc::sealed_value_invalid);
}

TEST(RedisLeaseStore, OneOwnerAtATime) {
    store::redis_lease_store s(client("leases"));
    store_contract::lease_owners(s, "redis", t0);
}

TEST(RedisLeaseStore, AnExpiredLeaseIsTakenAndItsOldOwnerCannotReleaseIt) {
    store::redis_lease_store s(client("leases"));
    EXPECT_TRUE(s.try_acquire("l", "a", t0 + 200ms, t0).value());
    EXPECT_FALSE(s.try_acquire("l", "b", t0 + 60s, t0).value());
    std::this_thread::sleep_for(400ms);
    EXPECT_TRUE(s.try_acquire("l", "b", t0 + 60s, t0).value());
    EXPECT_FALSE(s.release("l", "a", t0).value());
    EXPECT_TRUE(s.release("l", "b", t0).value());
}

TEST(RedisClient, RefusesBadOptions) {
    auto o = options("x");
    o.connections = 0;
    EXPECT_EQ(store::redis_client::create(std::move(o)).error().code, store::errc::invalid_options);
    o = options("x");
    o.port = 0;
    EXPECT_EQ(store::redis_client::create(std::move(o)).error().code, store::errc::invalid_options);
    o = options("x");
    o.command_timeout = 0ms;
    EXPECT_EQ(store::redis_client::create(std::move(o)).error().code, store::errc::invalid_options);
}

} // namespace
