#include <obauth/store/lease.hpp>

#include "support/store_contract.hpp"

#include <gtest/gtest.h>

namespace {

using namespace obauth;
using namespace std::chrono_literals;

const time_point lease_t0 = from_unix_seconds(1900000000);

TEST(MemoryLeaseStore, OneOwnerAtATime) {
    store::memory_lease_store s;
    store_contract::lease_owners(s, "memory", lease_t0);
}

TEST(MemoryLeaseStore, AnExpiredLeaseIsTakenAndItsOldOwnerCannotReleaseIt) {
    store::memory_lease_store s;
    EXPECT_TRUE(s.try_acquire("l", "a", lease_t0 + 10s, lease_t0).value());
    EXPECT_FALSE(s.try_acquire("l", "b", lease_t0 + 20s, lease_t0 + 9s).value());
    EXPECT_TRUE(s.try_acquire("l", "b", lease_t0 + 20s, lease_t0 + 10s).value()); // a's time is up
    EXPECT_FALSE(s.release("l", "a", lease_t0 + 11s).value()); // a, late, must not free b's lease
    EXPECT_FALSE(s.try_acquire("l", "c", lease_t0 + 30s, lease_t0 + 12s).value());
    EXPECT_TRUE(s.release("l", "b", lease_t0 + 12s).value());
}

} // namespace
