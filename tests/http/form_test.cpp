#include <obauth/http/form.hpp>

#include <obauth/core/base64url.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

namespace http = obauth::http;

std::string encoded(std::string_view s) {
    std::string out;
    http::append_form_encoded(s, out);
    return out;
}

TEST(Form, EncodingKeepsOnlyTheSafeSet) {
    EXPECT_EQ(encoded("AZaz09*-._"), "AZaz09*-._");
    EXPECT_EQ(encoded("a b"), "a+b");
    EXPECT_EQ(encoded("~!'()+&=%/:?#"), "%7E%21%27%28%29%2B%26%3D%25%2F%3A%3F%23");
    EXPECT_EQ(encoded("https://client.example/cb?x=1"),
              "https%3A%2F%2Fclient.example%2Fcb%3Fx%3D1");
    EXPECT_EQ(encoded("\xC3\xA9\n"), "%C3%A9%0A"); // UTF-8 octets, one by one
    EXPECT_EQ(encoded(std::string_view("\0", 1)), "%00");
}

TEST(Form, BodyFieldsInOrder) {
    http::form_body b;
    b.add("grant_type", "authorization_code")
        .add("code", "Spl x/+")
        .add("redirect_uri", "https://client.example/cb");
    EXPECT_EQ(b.view(), "grant_type=authorization_code&code=Spl+x%2F%2B&"
                        "redirect_uri=https%3A%2F%2Fclient.example%2Fcb");
    const obauth::wiping_string taken = b.take();
    EXPECT_EQ(taken.substr(0, 10), "grant_type");
    EXPECT_TRUE(b.view().empty());
}

TEST(Form, LargeBodiesGrowCorrectly) {
    http::form_body b;
    std::string expected;
    for (int i = 0; i < 200; ++i) {
        const std::string value(37, static_cast<char>('a' + i % 26));
        b.add("f" + std::to_string(i), value + " /");
        expected += (i ? "&f" : "f") + std::to_string(i) + "=" + value + "+%2F";
    }
    EXPECT_EQ(b.view(), expected);
}

TEST(Form, BasicAuthorizationFormEncodesIdAndSecretFirst) {
    // RFC 6749 §2.3.1: "client id:secret" with both form-encoded.
    const obauth::secret s(obauth::bytes_view(std::string_view("s3cr:t/+ x")));
    const obauth::secret h = http::basic_authorization("client:7f3a", s);
    const std::string_view v = h.expose_secret_chars();
    ASSERT_EQ(v.substr(0, 6), "Basic ");
    // base64 of "client%3A7f3a:s3cr%3At%2F%2B+x"
    EXPECT_EQ(v.substr(6), "Y2xpZW50JTNBN2YzYTpzM2NyJTNBdCUyRiUyQit4");
    const obauth::secret plain(obauth::bytes_view(std::string_view("secret")));
    EXPECT_EQ(http::basic_authorization("client", plain).expose_secret_chars(),
              "Basic Y2xpZW50OnNlY3JldA==");
}

TEST(Form, ParsingRoundTripsAndIsStrict) {
    http::form_body b;
    b.add("a b", "c&d=e").add("empty", "").add("utf8", "\xC3\xA9");
    auto f = http::parse_form(b.view());
    ASSERT_TRUE(f) << f.error().to_string();
    ASSERT_EQ(f->size(), 3u);
    EXPECT_EQ((*f)[0], (std::pair<std::string, std::string>{"a b", "c&d=e"}));
    EXPECT_EQ((*f)[1].second, "");
    EXPECT_EQ((*f)[2].second, "\xC3\xA9");
    EXPECT_TRUE(http::parse_form("")->empty());
    for (const char* bad : {"a", "=b", "a=b&", "a=%", "a=%4", "a=%zz", "&a=b", "a=b&&c=d"}) {
        auto r = http::parse_form(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, http::errc::invalid_form) << bad;
    }
    std::string many;
    for (int i = 0; i < 65; ++i)
        many += (i ? "&x=" : "x=") + std::to_string(i);
    EXPECT_EQ(http::parse_form(many).error().code, http::errc::invalid_form);
    EXPECT_TRUE(http::parse_form(many, 65));
}

} // namespace
