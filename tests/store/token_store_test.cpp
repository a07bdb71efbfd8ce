#include <obauth/store/token_store.hpp>

#include "support/store_contract.hpp"

#include <gtest/gtest.h>

namespace {

using namespace obauth;
using namespace std::chrono_literals;

const time_point token_t0 = from_unix_seconds(1900000000);

TEST(MemoryTokenStore, CompareAndSet) {
    store::memory_token_store s;
    store_contract::token_store_compare_and_set(s, "memory", token_t0);
}

TEST(MemoryTokenStore, OneOfConcurrentWritersWins) {
    store::memory_token_store s;
    store_contract::token_store_one_writer_wins(s, "memory", token_t0);
}

TEST(MemoryTokenStore, AnExpiredValueIsGoneAndItsVersionNeverComesBack) {
    store::memory_token_store s;
    const std::uint64_t v1 = s.compare_and_set("k", 0, "old", token_t0 + 10s, token_t0).value();
    EXPECT_EQ(s.get("k", token_t0 + 9s).value().version, v1);
    EXPECT_EQ(s.get("k", token_t0 + 10s).value().version, 0u);
    // Written again from nothing: a new version, so a writer still holding
    // v1 from before the expiry cannot overwrite it (no ABA).
    const std::uint64_t v2 =
        s.compare_and_set("k", 0, "new", token_t0 + 70s, token_t0 + 10s).value();
    EXPECT_NE(v2, v1);
    EXPECT_EQ(s.compare_and_set("k", v1, "stale", token_t0 + 70s, token_t0 + 11s).error().code,
              store::errc::conflict);
    EXPECT_EQ(s.get("k", token_t0 + 11s).value().value, "new");
}

} // namespace
