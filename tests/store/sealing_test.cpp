#include <obauth/store/sealing.hpp>

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace {

using namespace obauth;
using store::errc;
using store::sealing_keys;

secret key_of(unsigned char fill) {
    return secret(bytes(32, fill));
}

const std::string token_set =
    R"({"access_token":"at-Secret-1234","refresh_token":"rt-Secret-5678"})";

TEST(Sealing, RoundTripRevealsNothingAndNeverRepeats) {
    const auto keys = sealing_keys::create("k2026", key_of(7)).value();
    const std::string a = keys.seal("tokens:client-1", bytes_view(token_set)).value();
    const std::string b = keys.seal("tokens:client-1", bytes_view(token_set)).value();
    EXPECT_EQ(a.rfind("s1.k2026.", 0), 0u) << a;
    EXPECT_NE(a, b); // a fresh IV each time
    EXPECT_EQ(a.find("Secret"), std::string::npos);
    EXPECT_EQ(a.find("access_token"), std::string::npos);
    const auto opened = keys.open("tokens:client-1", a).value();
    EXPECT_EQ(std::string(opened.begin(), opened.end()), token_set);
    EXPECT_EQ(keys.open("tokens:client-1", keys.seal("tokens:client-1", bytes_view()).value())
                  .value()
                  .size(),
              0u);
}

TEST(Sealing, AValueMovedToAnotherKeyOrAlteredDoesNotOpen) {
    const auto keys = sealing_keys::create("k1", key_of(1)).value();
    const std::string sealed = keys.seal("tokens:a", bytes_view(token_set)).value();
    EXPECT_EQ(keys.open("tokens:b", sealed).error().code, errc::sealed_value_invalid);
    // Every character changed in turn (within the alphabet: still decodes).
    for (std::size_t i = 0; i < sealed.size(); ++i) {
        std::string bad = sealed;
        bad[i] = bad[i] == 'A' ? 'B' : 'A';
        EXPECT_FALSE(keys.open("tokens:a", bad)) << i;
    }
    // Every truncation.
    for (std::size_t n = 0; n < sealed.size(); ++n)
        EXPECT_FALSE(keys.open("tokens:a", sealed.substr(0, n))) << n;
    // The same key id with other key material.
    const auto other = sealing_keys::create("k1", key_of(2)).value();
    EXPECT_EQ(other.open("tokens:a", sealed).error().code, errc::sealed_value_invalid);
}

TEST(Sealing, RotationOpensOldValuesAndSealsWithTheNewKey) {
    const auto old_keys = sealing_keys::create("2025", key_of(1)).value();
    const std::string before = old_keys.seal("k", bytes_view(token_set)).value();
    auto keys = sealing_keys::create("2026", key_of(2)).value();
    const auto unknown = keys.open("k", before);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, errc::sealed_value_invalid);
    EXPECT_EQ(unknown.error().detail, "no key with id 2025");
    ASSERT_TRUE(keys.add_old("2025", key_of(1)));
    EXPECT_TRUE(keys.open("k", before));
    EXPECT_EQ(keys.seal("k", bytes_view(token_set)).value().rfind("s1.2026.", 0), 0u);
    EXPECT_EQ(keys.current_id(), "2026");
}

TEST(Sealing, RefusesBadKeysAndIds) {
    EXPECT_EQ(sealing_keys::create("k", secret(bytes(16, 1))).error().code, errc::invalid_options);
    EXPECT_EQ(sealing_keys::create("", key_of(1)).error().code, errc::invalid_options);
    EXPECT_EQ(sealing_keys::create("a.b", key_of(1)).error().code, errc::invalid_options);
    EXPECT_EQ(sealing_keys::create(std::string(65, 'k'), key_of(1)).error().code,
              errc::invalid_options);
    auto keys = sealing_keys::create("k", key_of(1)).value();
    EXPECT_EQ(keys.add_old("k", key_of(2)).error().code, errc::invalid_options);
}

TEST(Sealing, HostileStoreContentIsRefusedNeverCrashes) {
    const auto keys = sealing_keys::create("k", key_of(1)).value();
    for (const std::string& bad : std::vector<std::string>{
             "", "s1", "s1.", "s1.k", "s1.k.", "s1.k.AAAA", "s2.k.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
             "s1.k.!!!!", "s1..AAAA", "s1.k\n.AAAA", std::string(2 * 1024 * 1024, 'A')})
        EXPECT_EQ(keys.open("x", bad).error().code, errc::sealed_value_invalid) << bad.size();
    std::mt19937 g(5);
    for (int i = 0; i < 2000; ++i) {
        std::string s = "s1.k.";
        const std::size_t n = g() % 80;
        for (std::size_t j = 0; j < n; ++j)
            s += static_cast<char>(g() % 256);
        EXPECT_FALSE(keys.open("x", s));
    }
}

} // namespace
