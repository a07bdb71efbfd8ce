#include <obauth/resource/token_cache.hpp>

#include "support/resource_support.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace {

using namespace obauth;
using namespace obauth::resource;
using namespace std::chrono_literals;
namespace rs = obauth::test::resource_support;

/// A verified token to cache (only a validator makes one).
std::shared_ptr<const verified_access_token> some_token() {
    static oidc::jwks_cache keys = rs::keys_cache();
    auto o = rs::options();
    o.cache.max_entries = 0;
    auto v = validator::create(o, keys).value();
    return v.validate(rs::request("Bearer " + rs::sign(rs::claims())), rs::issued).value();
}

TEST(VerifiedTokenCache, KeyedByTheTokensHash) {
    const auto k = verified_token_cache::key_of("token-a");
    EXPECT_EQ(k, verified_token_cache::key_of("token-a"));
    EXPECT_NE(k, verified_token_cache::key_of("token-b"));
    const auto digest = sha256(bytes_view(std::string_view("token-a")));
    EXPECT_TRUE(std::equal(k.begin(), k.end(), digest.begin()));
}

TEST(VerifiedTokenCache, EntriesLiveUntilTheirTimeCappedByTheTtl) {
    verified_token_cache c({100, 60s});
    const auto t = some_token();
    const auto k = verified_token_cache::key_of("token-a");
    c.insert(k, t, rs::issued + 300s, rs::issued); // capped at 60 s
    EXPECT_EQ(c.find(k, rs::issued + 59s), t);
    EXPECT_EQ(c.find(k, rs::issued + 60s), nullptr);
    EXPECT_EQ(c.size(), 0u);                      // dropped when found expired
    c.insert(k, t, rs::issued + 10s, rs::issued); // the token's own end first
    EXPECT_EQ(c.find(k, rs::issued + 10s), nullptr);
    c.insert(k, t, rs::issued, rs::issued); // already over: not kept
    EXPECT_EQ(c.size(), 0u);
}

TEST(VerifiedTokenCache, BoundedAndOffWhenAskedTo) {
    verified_token_cache c({64, 60s});
    const auto t = some_token();
    for (int i = 0; i < 10'000; ++i)
        c.insert(verified_token_cache::key_of("token-" + std::to_string(i)), t, rs::issued + 30s,
                 rs::issued);
    EXPECT_LE(c.size(), 64u);
    EXPECT_GT(c.size(), 0u);
    // The newest are there, the oldest gone.
    EXPECT_NE(c.find(verified_token_cache::key_of("token-9999"), rs::issued), nullptr);
    EXPECT_EQ(c.find(verified_token_cache::key_of("token-0"), rs::issued), nullptr);

    verified_token_cache off({0, 60s});
    EXPECT_FALSE(off.enabled());
    off.insert(verified_token_cache::key_of("x"), t, rs::issued + 30s, rs::issued);
    EXPECT_EQ(off.find(verified_token_cache::key_of("x"), rs::issued), nullptr);
    EXPECT_EQ(off.size(), 0u);
}

// Regression: a key whose entry expired (dropped by find) and came back
// counts as new; a full shard then drops the oldest *live* entry, not the
// one re-inserted.
TEST(VerifiedTokenCache, AReinsertedKeyIsNotEvictedForItsOldPlace) {
    verified_token_cache c({32, 60s}); // 16 shards of 2
    const auto t = some_token();
    // Three tokens that land in the same shard.
    std::vector<verified_token_cache::key_type> same;
    const auto shard = verified_token_cache::key_of("token-0")[31] % 16;
    for (int i = 0; same.size() < 3; ++i) {
        const auto k = verified_token_cache::key_of("token-" + std::to_string(i));
        if (k[31] % 16 == shard)
            same.push_back(k);
    }
    const auto &a = same[0], &b = same[1], &d = same[2];
    c.insert(a, t, rs::issued + 5s, rs::issued);
    EXPECT_EQ(c.find(a, rs::issued + 10s), nullptr); // expired: dropped
    c.insert(b, t, rs::issued + 40s, rs::issued + 10s);
    c.insert(a, t, rs::issued + 40s, rs::issued + 10s);
    c.insert(d, t, rs::issued + 40s, rs::issued + 10s); // the shard is full: b goes
    EXPECT_EQ(c.find(b, rs::issued + 11s), nullptr);
    EXPECT_EQ(c.find(a, rs::issued + 11s), t);
    EXPECT_EQ(c.find(d, rs::issued + 11s), t);
}

TEST(VerifiedTokenCache, SharedByThreads) {
    verified_token_cache c({256, 60s});
    const auto t = some_token();
    std::vector<std::thread> workers;
    for (int w = 0; w < 4; ++w) {
        workers.emplace_back([&, w] {
            for (int i = 0; i < 2000; ++i) {
                const auto k = verified_token_cache::key_of(std::to_string(w * 10'000 + i % 300));
                if (c.find(k, rs::issued) == nullptr)
                    c.insert(k, t, rs::issued + 30s, rs::issued);
            }
        });
    }
    for (auto& th : workers)
        th.join();
    EXPECT_LE(c.size(), 256u);
}

} // namespace
