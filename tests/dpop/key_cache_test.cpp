#include <obauth/dpop/key_cache.hpp>

#include <gtest/gtest.h>

#include <memory>

namespace {

using namespace obauth;

std::shared_ptr<const dpop::proof_key> entry(const jose::jwk& k) {
    return std::make_shared<const dpop::proof_key>(
        dpop::proof_key{k, jose::algorithm::ES256, k.thumbprint().value()});
}

TEST(DpopKeyCache, BoundedOldestFirst) {
    const auto k = jose::generate_key(jose::algorithm::ES256).value();
    dpop::proof_key_cache cache(2);
    cache.insert("a", entry(k));
    cache.insert("b", entry(k));
    cache.insert("a", entry(k)); // already there: no change
    EXPECT_EQ(cache.size(), 2u);
    cache.insert("c", entry(k));
    EXPECT_EQ(cache.size(), 2u);
    EXPECT_EQ(cache.find("a"), nullptr);
    ASSERT_NE(cache.find("b"), nullptr);
    EXPECT_EQ(cache.find("c")->jkt, k.thumbprint().value());
    dpop::proof_key_cache off(0);
    off.insert("a", entry(k));
    EXPECT_EQ(off.find("a"), nullptr);
}

} // namespace
