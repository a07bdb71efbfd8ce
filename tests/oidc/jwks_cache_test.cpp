#include <obauth/oidc/jwks_cache.hpp>

#include <obauth/jose/jwt.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace oidc = obauth::oidc;
namespace http = obauth::http;
namespace jose = obauth::jose;
using obauth::json;
using namespace std::chrono_literals;

const obauth::time_point t0 = obauth::from_unix_seconds(1700000000);
const char* const uri = "https://keys.hamsterbank.example/as/jwks.json";

bool contains(const jose::jwks& set, std::string_view kid) {
    for (const auto& k : set.keys())
        if (k.kid() == kid)
            return true;
    return false;
}

json set_of(std::initializer_list<const jose::jwk*> keys) {
    json s = {{"keys", json::array()}};
    for (const auto* k : keys)
        s["keys"].push_back(k->to_public_json());
    return s;
}

http::http_response ok(const json& set, http::http_headers extra = {}) {
    http::http_response r{200, {{"Content-Type", "application/jwk-set+json"}}, set.dump()};
    for (auto& h : extra)
        r.headers.push_back(std::move(h));
    return r;
}

// The kid of the set's first key, read through with_keys; "" when it fails.
std::string first_kid(const oidc::jwks_cache& c, obauth::time_point now) {
    return c
        .with_keys(now,
                   [](const jose::jwks& set) -> obauth::result<std::string> {
                       return std::string(set.keys().front().kid());
                   })
        .value_or("");
}

class JwksCache : public ::testing::Test {
protected:
    jose::jwk k1 = jose::generate_key(jose::algorithm::ES256, "k1").value();
    jose::jwk k2 = jose::generate_key(jose::algorithm::PS256, "k2").value();
    oidc::jwks_cache cache = oidc::jwks_cache::create(uri).value();

    // One fetch cycle at `now` with `r`; asserts a fetch was due.
    obauth::result<void> fetch(obauth::time_point now, const http::http_response& r) {
        auto req = cache.begin_fetch(now);
        EXPECT_TRUE(req) << "no fetch due";
        if (!req)
            return obauth::make_error(oidc::errc::no_fetch_pending);
        return cache.on_response(r, now);
    }
    bool has_kid(obauth::time_point now, const char* kid) {
        auto keys = cache.keys(now);
        return keys && contains(**keys, kid);
    }
};

TEST_F(JwksCache, FirstUseFetchesAndTheRequestIsAPlainGet) {
    EXPECT_TRUE(cache.needs_fetch(t0));
    auto none = cache.keys(t0);
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, oidc::errc::jwks_unavailable);
    auto req = cache.begin_fetch(t0);
    ASSERT_TRUE(req);
    EXPECT_EQ(req->method, http::http_method::get);
    EXPECT_EQ(req->url.buffer(), uri);
    EXPECT_FALSE(req->use_client_certificate);
    EXPECT_NE(req->header("Accept")->find("application/jwk-set+json"), std::string::npos);
    // One fetch at a time.
    EXPECT_FALSE(cache.needs_fetch(t0 + 1s));
    EXPECT_FALSE(cache.begin_fetch(t0 + 1s));
    ASSERT_TRUE(cache.on_response(ok(set_of({&k1, &k2})), t0 + 1s));
    EXPECT_TRUE(has_kid(t0 + 1s, "k1"));
    EXPECT_TRUE(has_kid(t0 + 1s, "k2"));
    EXPECT_FALSE(cache.needs_fetch(t0 + 2s));
    // A response nobody asked for is refused.
    EXPECT_EQ(cache.on_response(ok(set_of({&k1})), t0 + 3s).error().code,
              oidc::errc::no_fetch_pending);
}

TEST_F(JwksCache, FreshnessFollowsMaxAgeWithinBounds) {
    struct c {
        http::http_headers headers;
        std::chrono::seconds fresh;
    };
    const c cases[] = {
        {{}, 300s},                                                 // default
        {{{"Cache-Control", "public, max-age=600"}}, 600s},         // as asked
        {{{"Cache-Control", "max-age=600"}, {"Age", "100"}}, 500s}, // minus Age
        {{{"Cache-Control", "max-age=5"}}, 60s},                    // floor
        {{{"Cache-Control", "max-age=0"}}, 60s},                    // floor
        {{{"Cache-Control", "no-cache"}}, 60s},                     // floor
        {{{"Cache-Control", "no-store, max-age=900"}}, 60s},        // no-store wins
        {{{"Cache-Control", "max-age=31536000"}}, 24h},             // ceiling
        {{{"Cache-Control", "max-age=abc"}}, 60s},                  // invalid: stale
    };
    for (const auto& x : cases) {
        auto fresh_cache = oidc::jwks_cache::create(uri).value();
        ASSERT_TRUE(fresh_cache.begin_fetch(t0));
        ASSERT_TRUE(fresh_cache.on_response(ok(set_of({&k1}), x.headers), t0));
        EXPECT_EQ(fresh_cache.status().fresh_until, t0 + x.fresh)
            << (x.headers.empty() ? "(none)" : x.headers[0].value);
        EXPECT_FALSE(fresh_cache.needs_fetch(t0 + x.fresh - 1s));
        EXPECT_TRUE(fresh_cache.needs_fetch(t0 + x.fresh));
    }
}

TEST_F(JwksCache, RotationOnExpiryAndOldSnapshotsStayValid) {
    ASSERT_TRUE(fetch(t0, ok(set_of({&k1}), {{"Cache-Control", "max-age=600"}})));
    auto before = cache.keys(t0).value();
    EXPECT_FALSE(cache.needs_fetch(t0 + 599s));
    ASSERT_TRUE(fetch(t0 + 600s, ok(set_of({&k2}), {{"Cache-Control", "max-age=600"}})));
    EXPECT_FALSE(has_kid(t0 + 600s, "k1"));
    EXPECT_TRUE(has_kid(t0 + 600s, "k2"));
    // A reader that took the old snapshot still holds a complete set.
    EXPECT_TRUE(contains(*before, "k1"));
}

TEST_F(JwksCache, UnknownKidRefreshIsRateLimited) {
    ASSERT_TRUE(fetch(t0, ok(set_of({&k1}), {{"Cache-Control", "max-age=3600"}})));
    // Right after a fetch a new kid cannot make the cache fetch again.
    EXPECT_FALSE(cache.request_refresh(t0 + 10s));
    EXPECT_FALSE(cache.needs_fetch(t0 + 10s));
    // After the interval one refresh is granted...
    EXPECT_TRUE(cache.request_refresh(t0 + 60s));
    EXPECT_TRUE(cache.needs_fetch(t0 + 60s));
    ASSERT_TRUE(fetch(t0 + 61s, ok(set_of({&k1, &k2}), {{"Cache-Control", "max-age=3600"}})));
    EXPECT_TRUE(has_kid(t0 + 61s, "k2"));
    // ...and the next one waits for the interval again.
    EXPECT_FALSE(cache.request_refresh(t0 + 62s));
    EXPECT_FALSE(cache.needs_fetch(t0 + 62s));
}

TEST_F(JwksCache, ForgedKidsCannotDriveFetches) {
    ASSERT_TRUE(fetch(t0, ok(set_of({&k1}), {{"Cache-Control", "max-age=86400"}})));
    int fetches = 0;
    // An attacker sends a token with a fresh random kid every second for an hour.
    for (int s = 1; s <= 3600; ++s) {
        const auto now = t0 + std::chrono::seconds(s);
        cache.request_refresh(now);
        if (auto req = cache.begin_fetch(now)) {
            ++fetches;
            ASSERT_TRUE(
                cache.on_response(ok(set_of({&k1}), {{"Cache-Control", "max-age=86400"}}), now));
        }
    }
    EXPECT_EQ(fetches, 60); // one per 60-second interval
}

TEST_F(JwksCache, FailedFetchesKeepTheKeysAndBackOff) {
    ASSERT_TRUE(fetch(t0, ok(set_of({&k1}), {{"Cache-Control", "max-age=600"}})));
    const auto t1 = t0 + 600s;
    http::http_response down{503, {{"Content-Type", "text/html"}}, "<h1>maintenance</h1>"};
    auto r = fetch(t1, down);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, http::errc::unexpected_status);
    EXPECT_TRUE(has_kid(t1, "k1")); // still serving
    // Back-off: 5 s, then 10 s, 20 s ... up to 300 s.
    EXPECT_FALSE(cache.needs_fetch(t1 + 4s));
    EXPECT_TRUE(cache.needs_fetch(t1 + 5s));
    ASSERT_TRUE(cache.begin_fetch(t1 + 5s));
    cache.on_fetch_failed(t1 + 5s); // e.g. a TLS error
    EXPECT_FALSE(cache.needs_fetch(t1 + 14s));
    EXPECT_TRUE(cache.needs_fetch(t1 + 15s));
    EXPECT_EQ(cache.status().consecutive_failures, 2u);
    auto now = t1 + 15s;
    for (int i = 0; i < 10; ++i) {
        ASSERT_TRUE(cache.begin_fetch(now));
        cache.on_fetch_failed(now);
        now = cache.status().next_retry;
    }
    EXPECT_EQ(cache.status().fetched_at, t0); // failures do not touch the keys' age
    ASSERT_TRUE(cache.begin_fetch(now));
    cache.on_fetch_failed(now);
    EXPECT_EQ(cache.status().next_retry - now, 300s);
    EXPECT_TRUE(has_kid(now, "k1"));
    // Recovery resets the failure count.
    ASSERT_TRUE(fetch(cache.status().next_retry, ok(set_of({&k2}))));
    EXPECT_EQ(cache.status().consecutive_failures, 0u);
    EXPECT_TRUE(has_kid(cache.status().next_retry, "k2"));
}

TEST_F(JwksCache, BadDocumentsAreFailuresThatKeepThePreviousKeys) {
    ASSERT_TRUE(fetch(t0, ok(set_of({&k1}), {{"Cache-Control", "max-age=60"}})));
    auto private_set =
        json{{"keys",
              json::array({json::parse(k1.export_private_json().value().expose_secret_chars())})}};
    const std::pair<http::http_response, std::error_code> bad[] = {
        {{200, {{"Content-Type", "application/json"}}, "not json"}, oidc::errc::jwks_invalid},
        {{200, {{"Content-Type", "application/json"}}, "{\"keys\":{}}"}, oidc::errc::jwks_invalid},
        {{200, {{"Content-Type", "application/json"}}, "{\"keys\":[]}"}, oidc::errc::jwks_invalid},
        {ok(private_set), oidc::errc::jwks_invalid}, // a private key in a public set
        {{200, {{"Content-Type", "text/html"}}, set_of({&k2}).dump()},
         http::errc::unexpected_content_type},
        {{200, {}, set_of({&k2}).dump()}, http::errc::unexpected_content_type},
        {{200, {{"Content-Type", "application/json"}}, std::string(600 * 1024, ' ')},
         http::errc::body_too_large},
        {{302, {{"Location", "https://evil.example/jwks"}}, ""}, http::errc::unexpected_status},
    };
    auto now = t0 + 60s;
    for (const auto& [resp, expected] : bad) {
        auto r = fetch(now, resp);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, expected) << r.error().to_string();
        EXPECT_TRUE(has_kid(now, "k1"));
        now = cache.status().next_retry;
    }
}

TEST_F(JwksCache, StaleKeysCanBeBounded) {
    oidc::jwks_cache_options o;
    o.max_stale = 1h;
    auto bounded = oidc::jwks_cache::create(uri, o).value();
    ASSERT_TRUE(bounded.begin_fetch(t0));
    ASSERT_TRUE(bounded.on_response(ok(set_of({&k1}), {{"Cache-Control", "max-age=600"}}), t0));
    EXPECT_TRUE(bounded.keys(t0 + 600s + 1h));
    auto gone = bounded.keys(t0 + 600s + 1h + 1s);
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error().code, oidc::errc::jwks_unavailable);
}

TEST_F(JwksCache, WithKeysLendsTheCurrentSetOrSaysWhyThereIsNone) {
    int calls = 0;
    const auto count = [&](const jose::jwks&) -> obauth::result<int> { return ++calls; };
    auto none = cache.with_keys(t0, count);
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, oidc::errc::jwks_unavailable);
    EXPECT_EQ(calls, 0);

    ASSERT_TRUE(fetch(t0, ok(set_of({&k1}), {{"Cache-Control", "max-age=600"}})));
    EXPECT_EQ(first_kid(cache, t0), "k1");
    EXPECT_EQ(first_kid(cache, t0 + 1s), "k1");
    // A failed fetch keeps the set; a new one is lent on the next call, to
    // the thread that read the old one too.
    ASSERT_TRUE(cache.begin_fetch(t0 + 600s));
    cache.on_fetch_failed(t0 + 600s);
    EXPECT_EQ(first_kid(cache, t0 + 600s), "k1");
    ASSERT_TRUE(fetch(t0 + 610s, ok(set_of({&k2, &k1}))));
    EXPECT_EQ(first_kid(cache, t0 + 610s), "k2");
    EXPECT_EQ(cache.with_keys(t0 + 610s, count).value(), 1);
}

TEST_F(JwksCache, WithKeysRefusesKeysTooStaleAsKeysDoes) {
    oidc::jwks_cache_options o;
    o.max_stale = 1h;
    auto bounded = oidc::jwks_cache::create(uri, o).value();
    ASSERT_TRUE(bounded.begin_fetch(t0));
    ASSERT_TRUE(bounded.on_response(ok(set_of({&k1}), {{"Cache-Control", "max-age=600"}}), t0));
    EXPECT_EQ(first_kid(bounded, t0 + 600s + 1h), "k1");
    const auto gone = bounded.with_keys(t0 + 600s + 1h + 1s, [](const jose::jwks&) {
        ADD_FAILURE() << "keys too stale were lent";
        return obauth::result<void>();
    });
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error().code, oidc::errc::jwks_unavailable);
    // Fresh keys again: lent again.
    ASSERT_TRUE(bounded.begin_fetch(t0 + 2h));
    ASSERT_TRUE(bounded.on_response(ok(set_of({&k2})), t0 + 2h));
    EXPECT_EQ(first_kid(bounded, t0 + 2h), "k2");
}

TEST_F(JwksCache, WithKeysNestedOverMoreCachesThanAThreadKeeps) {
    // Seven issuers, each with a key of its own. Each call replaces its
    // cache's set (so only the lent snapshot holds the old one), then lends
    // the next cache's set from inside its own: every set is in use at once.
    std::vector<jose::jwk> keys;
    std::vector<oidc::jwks_cache> caches;
    for (int i = 0; i < 7; ++i) {
        keys.push_back(jose::generate_key(jose::algorithm::ES256, "i" + std::to_string(i)).value());
        caches.push_back(oidc::jwks_cache::create(uri).value());
        ASSERT_TRUE(caches.back().begin_fetch(t0));
        ASSERT_TRUE(caches.back().on_response(ok(set_of({&keys.back()})), t0));
    }
    const auto later = t0 + 61s;
    std::string seen;
    std::function<obauth::result<void>(std::size_t)> nest = [&](std::size_t i) {
        return caches[i].with_keys(t0, [&](const jose::jwks& set) -> obauth::result<void> {
            EXPECT_TRUE(caches[i].request_refresh(later));
            EXPECT_TRUE(caches[i].begin_fetch(later));
            EXPECT_TRUE(caches[i].on_response(ok(set_of({&k1})), later));
            if (i + 1 < caches.size())
                OBAUTH_TRY_VOID(nest(i + 1));
            // The set lent to this call is still the one it was.
            seen += set.keys().front().kid();
            return {};
        });
    };
    ASSERT_TRUE(nest(0));
    EXPECT_EQ(seen, "i6i5i4i3i2i1i0");
    for (const auto& c : caches)
        EXPECT_EQ(first_kid(c, later), "k1");
}

TEST_F(JwksCache, WithKeysNeverLendsAnotherCachesSet) {
    // Caches made and dropped one after another (a new one may live where
    // the last one did): each lends its own keys, never one this thread kept.
    for (int i = 0; i < 6; ++i) {
        auto c = std::make_unique<oidc::jwks_cache>(oidc::jwks_cache::create(uri).value());
        ASSERT_TRUE(c->begin_fetch(t0));
        ASSERT_TRUE(c->on_response(ok(set_of({i % 2 ? &k1 : &k2})), t0));
        EXPECT_EQ(first_kid(*c, t0), i % 2 ? "k1" : "k2");
    }
}

TEST_F(JwksCache, AFetchThatNeverAnswersIsGivenUp) {
    ASSERT_TRUE(cache.begin_fetch(t0));
    EXPECT_FALSE(cache.needs_fetch(t0 + 29s));
    EXPECT_TRUE(cache.needs_fetch(t0 + 30s));
    ASSERT_TRUE(cache.begin_fetch(t0 + 30s));
    ASSERT_TRUE(cache.on_response(ok(set_of({&k1})), t0 + 31s));
}

TEST_F(JwksCache, CreationChecksTheUrl) {
    EXPECT_EQ(oidc::jwks_cache::create("http://keys.example/jwks").error().code,
              http::errc::insecure_url);
    oidc::provider_metadata md;
    EXPECT_EQ(oidc::jwks_cache::create(md).error().code, oidc::errc::endpoint_not_advertised);
    md.jwks_uri = boost::urls::url("https://keys.example/jwks");
    auto c = oidc::jwks_cache::create(md);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->url().buffer(), "https://keys.example/jwks");
}

TEST_F(JwksCache, ReadersKeepVerifyingWhileAnotherThreadRefreshes) {
    ASSERT_TRUE(fetch(t0, ok(set_of({&k1}))));
    const std::string token =
        jose::sign_jwt(json{{"iss", "x"}, {"exp", 1700000000 + 3600}}, k1).value();
    jose::jws_verify_options vo;
    vo.algorithms = jose::fapi_algorithms;
    jose::jwt_validation policy;
    std::atomic<bool> stop{false};
    std::atomic<int> failures{0}, verified{0};
    std::vector<std::thread> readers;
    for (int i = 0; i < 3; ++i)
        readers.emplace_back([&] {
            for (bool lent = false; !stop.load(); lent = !lent) {
                // Both ways of reading: a snapshot, or the set lent for a call.
                auto keys = cache.keys(t0);
                const bool ok =
                    lent ? cache
                               .with_keys(t0,
                                          [&](const jose::jwks& set) -> obauth::result<void> {
                                              return jose::verify_jwt(token, set, vo, policy, t0)
                                                  .transform([](auto&&) {});
                                          })
                               .has_value()
                         : keys && jose::verify_jwt(token, **keys, vo, policy, t0);
                if (ok)
                    ++verified;
                else
                    ++failures;
            }
            // The refreshes are over: the last set, whichever this thread read before.
            if (first_kid(cache, t0) != "k2")
                ++failures;
        });
    const json sets[] = {set_of({&k1, &k2}), set_of({&k2, &k1})};
    for (int i = 0; i < 200; ++i) {
        const auto now = t0 + std::chrono::seconds(60 * (i + 1));
        ASSERT_TRUE(cache.request_refresh(now));
        ASSERT_TRUE(fetch(now, ok(sets[i % 2])));
    }
    stop = true;
    for (auto& t : readers)
        t.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_GT(verified.load(), 0);
}

} // namespace
