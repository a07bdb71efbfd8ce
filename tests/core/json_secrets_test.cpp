#include <obauth/core/json_secrets.hpp>

#include <obauth/core/json.hpp>

#include <gtest/gtest.h>

#include <array>
#include <string>

namespace {

using obauth::json;
using obauth::secret_member;
using obauth::wiping_string;

std::array<secret_member, 2> tokens() {
    return {{{"access_token", {}}, {"refresh_token", {}}}};
}

TEST(JsonSecrets, TakesTopLevelStringsAndBlanksThem) {
    wiping_string text =
        R"({"access_token":"SlAV32hkKG","token_type":"Bearer","nested":{"refresh_token":"no"},)"
        R"("refresh_token":"8xLOxBtZp8"})";
    auto m = tokens();
    ASSERT_TRUE(obauth::take_secret_members(text, m));
    ASSERT_TRUE(m[0].value);
    EXPECT_EQ(m[0].value->expose_secret_chars(), "SlAV32hkKG");
    ASSERT_TRUE(m[1].value);
    EXPECT_EQ(m[1].value->expose_secret_chars(), "8xLOxBtZp8");
    EXPECT_EQ(text, R"({"access_token":"","token_type":"Bearer","nested":{"refresh_token":"no"},)"
                    R"("refresh_token":""})");
    EXPECT_EQ(text.find("SlAV32hkKG"), std::string::npos);
}

TEST(JsonSecrets, EscapesAreDecodedAsTheParserWould) {
    for (const char* value : {R"(a\/b\\c\"d)", R"(\u0041\u00e9\u20ac)", R"(\ud83d\ude00x)",
                              R"(\b\f\n\r\t)", R"(plain)"}) {
        const std::string doc = std::string(R"({"access_token":")") + value + "\"}";
        wiping_string text(doc);
        auto m = tokens();
        ASSERT_TRUE(obauth::take_secret_members(text, m)) << value;
        ASSERT_TRUE(m[0].value) << value;
        const auto parsed = obauth::parse_json(doc).value();
        EXPECT_EQ(m[0].value->expose_secret_chars(),
                  parsed["access_token"].get_ref<const std::string&>())
            << value;
        EXPECT_EQ(text, R"({"access_token":""})");
    }
}

TEST(JsonSecrets, LeavesWhatIsNotAStringAndGivesUpOnWhatItCannotRead) {
    wiping_string text = R"({"access_token":5,"refresh_token":null})";
    auto m = tokens();
    ASSERT_TRUE(obauth::take_secret_members(text, m));
    EXPECT_FALSE(m[0].value);
    EXPECT_FALSE(m[1].value);
    EXPECT_EQ(text, R"({"access_token":5,"refresh_token":null})");

    for (const char* bad : {R"({"access_token":"x")", R"({"acc\u0065ss_token":"x"})",
                            R"({"access_token":"x"} trailing)", R"(["access_token","x"])", ""}) {
        wiping_string t(bad);
        auto n = tokens();
        if (obauth::take_secret_members(t, n)) {
            EXPECT_FALSE(n[0].value) << bad; // an array: nothing at the top level to take
        } else {
            EXPECT_EQ(t, bad); // unchanged: the parser has the verdict
        }
    }
}

TEST(JsonSecrets, RepeatedMembersAreLeftForTheParserToRefuse) {
    wiping_string text = R"({"access_token":"one","access_token":"two"})";
    auto m = tokens();
    EXPECT_FALSE(obauth::take_secret_members(text, m)); // the scanner gives up on repeats
    EXPECT_FALSE(m[0].value);
    EXPECT_EQ(text, R"({"access_token":"one","access_token":"two"})");
    EXPECT_FALSE(obauth::parse_json(text)); // duplicate member names are refused
}

} // namespace
