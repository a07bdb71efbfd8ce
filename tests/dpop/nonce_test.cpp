#include <obauth/dpop/nonce.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using namespace obauth;
using namespace std::chrono_literals;

const time_point slot_start = from_unix_seconds(1700000100); // a slot boundary for 300 s

secret key_of(char c) {
    return secret(bytes_view(std::string(32, c)));
}

std::vector<secret> keys(std::initializer_list<char> cs) {
    std::vector<secret> v;
    for (char c : cs)
        v.push_back(key_of(c));
    return v;
}

TEST(DpopNonce, AcceptedInItsSlotAndTheNextOnly) {
    auto n = dpop::nonce_issuer::create(keys({'a'}), 300s).value();
    const std::string nonce = n.issue(slot_start).value();
    EXPECT_EQ(nonce.size(), 32u);
    EXPECT_EQ(n.issue(slot_start + 299s).value(), nonce); // one per slot
    EXPECT_TRUE(n.accepts(nonce, slot_start));
    EXPECT_TRUE(n.accepts(nonce, slot_start + 599s));
    EXPECT_FALSE(n.accepts(nonce, slot_start + 600s));
    EXPECT_FALSE(n.accepts(nonce, slot_start - 1s)); // from the future
}

TEST(DpopNonce, OnlyItsKeysNoncesAndRotation) {
    auto old_issuer = dpop::nonce_issuer::create(keys({'a'}), 300s).value();
    auto other = dpop::nonce_issuer::create(keys({'b'}), 300s).value();
    auto rotated = dpop::nonce_issuer::create(keys({'c', 'a'}), 300s).value();
    const std::string from_old = old_issuer.issue(slot_start).value();
    EXPECT_FALSE(other.accepts(from_old, slot_start));
    EXPECT_TRUE(rotated.accepts(from_old, slot_start));
    EXPECT_FALSE(old_issuer.accepts(rotated.issue(slot_start).value(), slot_start));
    // Tampered, truncated, garbage.
    std::string tampered = from_old;
    tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
    EXPECT_FALSE(old_issuer.accepts(tampered, slot_start));
    EXPECT_FALSE(old_issuer.accepts(from_old.substr(1), slot_start));
    EXPECT_FALSE(old_issuer.accepts("", slot_start));
    EXPECT_FALSE(old_issuer.accepts(std::string(32, '!'), slot_start));
}

TEST(DpopNonce, RefusesWeakConfiguration) {
    EXPECT_FALSE(dpop::nonce_issuer::create({}, 300s));
    std::vector<secret> short_key;
    short_key.push_back(secret(bytes_view(std::string(16, 'k'))));
    EXPECT_FALSE(dpop::nonce_issuer::create(std::move(short_key), 300s));
    EXPECT_FALSE(dpop::nonce_issuer::create(keys({'a'}), 0s));
}

} // namespace
