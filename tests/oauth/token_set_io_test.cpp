#include <obauth/oauth/token_set_io.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace obauth;

oauth::token_set full_set() {
    oauth::token_set t;
    t.access_token = secret(bytes_view(std::string_view("at-\"quoted\\back\\slash")));
    t.token_type = "DPoP";
    t.expires_in = std::chrono::seconds(300);
    t.issued_at = from_unix_seconds(1900000000);
    t.refresh_token = secret(bytes_view(std::string_view("rt-Secret-9931")));
    t.scope = std::vector<std::string>{"openid", "accounts"};
    t.id_token = "eyJ.header.sig";
    t.authorization_details = json::array({{{"type", "payment_initiation"}}});
    t.other = {{"consent_id", "c-1"}};
    return t;
}

TEST(TokenSetIo, RoundTripsEveryMember) {
    const auto t = full_set();
    auto text = oauth::write_token_set(t).value();
    const std::string plain(text.begin(), text.end());
    EXPECT_NE(plain.find("\"obauth_issued_at\":1900000000"), std::string::npos) << plain;
    auto back = oauth::read_token_set(text).value();
    EXPECT_EQ(back.access_token.expose_secret_chars(), t.access_token.expose_secret_chars());
    EXPECT_EQ(back.refresh_token->expose_secret_chars(), "rt-Secret-9931");
    EXPECT_EQ(back.token_type, "DPoP");
    EXPECT_EQ(back.expires_in, t.expires_in);
    EXPECT_EQ(back.issued_at, t.issued_at);
    EXPECT_EQ(back.scope, t.scope);
    EXPECT_EQ(back.id_token, t.id_token);
    EXPECT_EQ(back.authorization_details, t.authorization_details);
    EXPECT_EQ(back.other, t.other);
    // The tokens were taken out of the text, not left in it.
    EXPECT_EQ(std::string(text.begin(), text.end()).find("rt-Secret"), std::string::npos);
}

TEST(TokenSetIo, WithoutOptionalMembers) {
    oauth::token_set t;
    t.access_token = secret(bytes_view(std::string_view("at")));
    t.token_type = "Bearer";
    t.issued_at = from_unix_seconds(1900000000);
    auto text = oauth::write_token_set(t).value();
    auto back = oauth::read_token_set(text).value();
    EXPECT_FALSE(back.refresh_token);
    EXPECT_FALSE(back.expires_in);
    EXPECT_FALSE(back.scope);
}

TEST(TokenSetIo, RefusesWhatItDidNotWrite) {
    for (std::string bad :
         {"", "{}", "[]", "{\"access_token\":\"a\",\"token_type\":\"Bearer\"}",
          "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"obauth_issued_at\":\"x\"}",
          "{\"token_type\":\"Bearer\",\"obauth_issued_at\":1}",
          "{\"access_token\":1,\"token_type\":\"Bearer\",\"obauth_issued_at\":1}",
          "{\"access_token\":\"a\",\"obauth_issued_at\":1}",
          "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"obauth_issued_at\":1e300}"}) {
        wiping_string text(bad.begin(), bad.end());
        EXPECT_FALSE(oauth::read_token_set(text)) << bad;
    }
}

} // namespace
