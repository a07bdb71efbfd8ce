#include <obauth/core/ascii.hpp>

#include <gtest/gtest.h>

namespace {

TEST(Ascii, CaseFoldingIsAsciiOnly) {
    EXPECT_EQ(obauth::ascii_lower('A'), 'a');
    EXPECT_EQ(obauth::ascii_lower('Z'), 'z');
    EXPECT_EQ(obauth::ascii_lower('['), '[');
    EXPECT_EQ(obauth::ascii_lower('\xC3'), '\xC3');
    EXPECT_TRUE(obauth::ascii_iequals("Content-Type", "content-TYPE"));
    EXPECT_FALSE(obauth::ascii_iequals("Content-Type", "Content-Typ"));
    EXPECT_FALSE(obauth::ascii_iequals("@", "`")); // 0x40 and 0x60 differ by the case bit only
    EXPECT_TRUE(obauth::ascii_iequals("", ""));
}

TEST(Ascii, HexDigits) {
    EXPECT_EQ(obauth::hex_digit_value('0'), 0);
    EXPECT_EQ(obauth::hex_digit_value('9'), 9);
    EXPECT_EQ(obauth::hex_digit_value('a'), 10);
    EXPECT_EQ(obauth::hex_digit_value('F'), 15);
    for (char c : {'g', 'G', '/', ':', '@', '`', ' ', '\0'})
        EXPECT_EQ(obauth::hex_digit_value(c), -1) << int(c);
}

TEST(Ascii, TrimOws) {
    EXPECT_EQ(obauth::trim_ows(" \t a b \t"), "a b");
    EXPECT_EQ(obauth::trim_ows("  "), "");
    EXPECT_EQ(obauth::trim_ows("\na\n"), "\na\n"); // only SP and HTAB
}

} // namespace
