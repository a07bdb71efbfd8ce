#include <obauth/core/bytes.hpp>

#include <gtest/gtest.h>

#include <array>
#include <string>

namespace {

TEST(BytesView, ViewsStringsVectorsAndArrays) {
    const std::string s = "abc";
    const obauth::bytes_view a = s;
    EXPECT_EQ(a.size(), 3u);
    EXPECT_EQ(a[1], 'b');
    EXPECT_EQ(a.as_chars(), "abc");

    const obauth::bytes v{1, 2, 3, 4};
    const obauth::bytes_view b = v;
    EXPECT_EQ(b.size(), 4u);
    EXPECT_EQ(b.to_bytes(), v);

    const std::array<unsigned char, 2> arr{9, 8};
    const obauth::bytes_view c = arr;
    EXPECT_EQ(c.size(), 2u);
    EXPECT_EQ(c[0], 9);

    const obauth::bytes_view empty;
    EXPECT_TRUE(empty.empty());
    EXPECT_EQ(empty.begin(), empty.end());
}

} // namespace
