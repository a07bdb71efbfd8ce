#include <obauth/core/secret.hpp>

#include "support/secret_traits.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <type_traits>
#include <utility>

namespace {

using obauth::secret;

using obauth::test::is_streamable;

// The type itself keeps secrets from leaking by accident.
static_assert(!std::is_copy_constructible<secret>::value);
static_assert(!std::is_copy_assignable<secret>::value);
static_assert(std::is_nothrow_move_constructible<secret>::value);
static_assert(!std::is_convertible<secret, std::string>::value);
static_assert(!std::is_convertible<secret, std::string_view>::value);
static_assert(!std::is_convertible<std::string, secret>::value);
static_assert(!is_streamable<const secret&>::value);
static_assert(!std::is_constructible<nlohmann::json, const secret&>::value);

TEST(Secret, HoldsBytesBehindTheLoudAccessor) {
    const secret s{obauth::bytes_view(std::string("hunter2"))};
    EXPECT_EQ(s.size(), 7u);
    EXPECT_FALSE(s.empty());
    EXPECT_EQ(s.expose_secret_chars(), "hunter2");
    EXPECT_EQ(s.expose_secret().size(), 7u);
}

TEST(Secret, TakeWipesTheSource) {
    std::string password = "correct horse battery staple";
    const secret s = secret::take(password);
    EXPECT_TRUE(password.empty());
    EXPECT_EQ(s.expose_secret_chars(), "correct horse battery staple");

    obauth::bytes key{1, 2, 3};
    const secret k = secret::take(key);
    EXPECT_TRUE(key.empty());
    EXPECT_EQ(k.size(), 3u);
}

TEST(Secret, WipeClearsAString) {
    std::string s = "token";
    const char* data = s.data();
    secret::wipe(s);
    EXPECT_TRUE(s.empty());
    // The buffer (small-string storage here) no longer holds the text.
    EXPECT_NE(std::string(data, 5), "token");
}

TEST(Secret, MoveLeavesTheSourceEmpty) {
    secret a{obauth::bytes_view(std::string("abc"))};
    secret b = std::move(a);
    EXPECT_TRUE(a.empty()); // NOLINT(bugprone-use-after-move): checked on purpose
    EXPECT_EQ(b.expose_secret_chars(), "abc");
    secret c{obauth::bytes_view(std::string("xyz"))};
    c = std::move(b);
    EXPECT_EQ(c.expose_secret_chars(), "abc");
}

TEST(Secret, CloneIsExplicitAndEqual) {
    const secret a{obauth::bytes_view(std::string("abc"))};
    const secret b = a.clone();
    EXPECT_TRUE(a == b);
    EXPECT_FALSE(a != b);
    EXPECT_NE(a.expose_secret().data(), b.expose_secret().data());
}

TEST(Secret, ConstantTimeComparison) {
    const secret a{obauth::bytes_view(std::string("abcdef"))};
    EXPECT_TRUE(a.equals(std::string("abcdef")));
    EXPECT_FALSE(a.equals(std::string("abcdeg")));
    EXPECT_FALSE(a.equals(std::string("abcde")));
    EXPECT_FALSE(a.equals(std::string("")));
    EXPECT_TRUE(obauth::constant_time_equal(std::string(""), std::string("")));
    EXPECT_TRUE(secret() == secret());
}

TEST(Secret, ConstantTimeComparisonSeesEveryDifference) {
    // Every length around the 8-octet steps, from unaligned starts, a single
    // flipped bit at every position: the word loop and the tail both see it.
    std::string a(80, '\0'), b;
    for (std::size_t i = 0; i < a.size(); ++i)
        a[i] = static_cast<char>(i * 37 + 11);
    for (std::size_t offset = 0; offset < 3; ++offset) {
        for (std::size_t n = 0; n + offset <= 72; ++n) {
            const std::string x = a.substr(offset, n);
            b = x;
            ASSERT_TRUE(obauth::constant_time_equal(x, b)) << n;
            for (std::size_t at = 0; at < n; ++at) {
                for (int bit : {0, 7}) {
                    b = x;
                    b[at] = static_cast<char>(b[at] ^ (1 << bit));
                    ASSERT_FALSE(obauth::constant_time_equal(x, b)) << n << " " << at;
                }
            }
            if (n > 0) {
                ASSERT_FALSE(obauth::constant_time_equal(x, x.substr(1)));
            }
        }
    }
}

TEST(Secret, ZeroedCanBeFilled) {
    secret s = secret::zeroed(4);
    EXPECT_EQ(s.expose_secret()[0], 0);
    s.expose_secret_mutable()[0] = 7;
    EXPECT_EQ(s.expose_secret()[0], 7);
    EXPECT_TRUE(secret::zeroed(0).empty());
}

} // namespace
