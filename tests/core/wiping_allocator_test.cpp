#include <obauth/core/wiping_allocator.hpp>

#include <gtest/gtest.h>

#include <string>

namespace obauth {
namespace {

TEST(WipingString, BehavesAsAStringAndWipes) {
    wiping_string s = "access-token-";
    for (int i = 0; i < 100; ++i) // grows through several blocks, each wiped on release
        s += "0123456789";
    EXPECT_EQ(s.size(), 13u + 1000u);
    EXPECT_EQ(s.substr(0, 13), "access-token-");
    wipe(s);
    EXPECT_TRUE(s.empty());

    wiping_string small = "pw";
    wipe(small);
    EXPECT_TRUE(small.empty());
}

TEST(WipingAllocator, AllInstancesAreInterchangeable) {
    wiping_allocator<char> a;
    wiping_allocator<int> b;
    EXPECT_TRUE(a == b);
    EXPECT_FALSE(a != b);
    int* p = b.allocate(4);
    p[0] = 42;
    b.deallocate(p, 4);
}

} // namespace
} // namespace obauth
