#include <obauth/core/random.hpp>

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace {

class failing_random final : public obauth::random_generator {
public:
    obauth::result<void> fill(unsigned char*, std::size_t) noexcept override {
        return obauth::make_error(obauth::core_errc::random_failure, "test");
    }
};

class counting_random final : public obauth::random_generator {
public:
    obauth::result<void> fill(unsigned char* out, std::size_t n) noexcept override {
        for (std::size_t i = 0; i < n; ++i)
            out[i] = static_cast<unsigned char>(next_++);
        return {};
    }

private:
    unsigned next_ = 0;
};

TEST(Random, DefaultGeneratorGivesDistinctValues) {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        auto r = obauth::random_base64url(16);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->size(), 22u);
        EXPECT_TRUE(seen.insert(*r).second);
    }
}

TEST(Random, FailureIsAnErrorNotWeakOutput) {
    failing_random bad;
    const auto s = obauth::random_secret(32, bad);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.code(), obauth::condition::internal_error);
    EXPECT_FALSE(obauth::random_base64url(16, bad));
    EXPECT_FALSE(obauth::random_token(16, bad));
}

TEST(Random, InjectedGeneratorIsUsed) {
    counting_random rng;
    const auto s = obauth::random_secret(3, rng);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->expose_secret()[0], 0);
    EXPECT_EQ(s->expose_secret()[2], 2);
    const auto t = obauth::random_token(3, rng);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->expose_secret_chars(), "AwQF"); // octets 3, 4, 5
}

TEST(Random, LargeRequests) {
    const auto s = obauth::random_secret(1 << 20);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->size(), std::size_t{1} << 20);
}

} // namespace
