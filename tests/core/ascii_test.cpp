#include <obauth/core/ascii.hpp>

#include <gtest/gtest.h>

#include <string>

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

TEST(Ascii, VscharTextIsEveryByteFrom0x20To0x7e) {
    EXPECT_TRUE(obauth::is_vschar_text(""));
    EXPECT_TRUE(obauth::is_vschar_text("Bearer eyJ.a-b_c~d+e/f= ok"));
    for (int b = 0; b < 256; ++b) {
        const std::string one(1, static_cast<char>(b));
        EXPECT_EQ(obauth::is_vschar_text("a" + one + "b"), b >= 0x20 && b <= 0x7e) << b;
    }
}

TEST(Ascii, TrimOws) {
    EXPECT_EQ(obauth::trim_ows(" \t a b \t"), "a b");
    EXPECT_EQ(obauth::trim_ows("  "), "");
    EXPECT_EQ(obauth::trim_ows("\na\n"), "\na\n"); // only SP and HTAB
}

} // namespace
