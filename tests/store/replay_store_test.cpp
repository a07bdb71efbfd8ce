#include <obauth/store/replay_store.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace obauth;
using namespace std::chrono_literals;
using store::insert_result;

const time_point start = from_unix_seconds(1700000000);

TEST(ReplayStore, KeysAreLengthPrefixedSoPartsCannotCollide) {
    EXPECT_NE(store::replay_key({"a1", "x"}), store::replay_key({"a", "1x"}));
    EXPECT_NE(store::replay_key({"dpop", "k", "j"}), store::replay_key({"dpop", "kj"}));
    EXPECT_EQ(store::replay_key({"dpop", "k"}), "4:dpop1:k");
}

TEST(ReplayStore, RemembersAKeyUntilItExpires) {
    store::memory_replay_store s(10);
    EXPECT_EQ(s.insert_if_absent("k", start + 60s, start), insert_result::inserted);
    EXPECT_EQ(s.insert_if_absent("k", start + 90s, start + 59s), insert_result::already_present);
    EXPECT_EQ(s.insert_if_absent("k", start + 120s, start + 60s), insert_result::inserted);
}

TEST(ReplayStore, FullOfLiveKeysItAnswersUnavailableAndForgetsNothing) {
    store::memory_replay_store s(2);
    EXPECT_EQ(s.insert_if_absent("a", start + 10s, start), insert_result::inserted);
    EXPECT_EQ(s.insert_if_absent("b", start + 20s, start), insert_result::inserted);
    EXPECT_EQ(s.insert_if_absent("c", start + 30s, start + 1s), insert_result::unavailable);
    EXPECT_EQ(s.insert_if_absent("a", start + 10s, start + 1s), insert_result::already_present);
    EXPECT_EQ(s.insert_if_absent("c", start + 30s, start + 10s), insert_result::inserted);
    EXPECT_EQ(s.size(), 2u);
}

// Many threads present the same keys at once: each is inserted exactly once.
TEST(ReplayStore, ConcurrentInsertsAcceptEachKeyOnce) {
    store::memory_replay_store s(100000);
    std::atomic<int> inserted{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 2000; ++i)
                if (s.insert_if_absent("key-" + std::to_string(i), start + 60s, start) ==
                    insert_result::inserted)
                    ++inserted;
        });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(inserted.load(), 2000);
}

} // namespace
