#include <obauth/oauth/userinfo.hpp>

#include "support/oauth_support.hpp"

#include <gtest/gtest.h>

namespace {

using namespace obauth;
using namespace obauth::oauth;

using test::t0;

TEST(Userinfo, RequestUsesBearerAndTheMtlsAliasForBoundTokens) {
    const client bound =
        test::make_client(client_auth::private_key_jwt("client-42", test::client_key()), true);
    auto r = make_userinfo_request(bound, test::secret_of("SlAV32hkKG"));
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->method, http::http_method::get);
    EXPECT_EQ(r->url.buffer(), "https://mtls.bank.example/userinfo");
    EXPECT_TRUE(r->use_client_certificate);
    EXPECT_EQ(*r->header("Authorization"), "Bearer SlAV32hkKG");
    EXPECT_TRUE(r->body.empty());
    EXPECT_EQ(make_userinfo_request(bound, test::secret_of("t\r\nX-Injected: 1")).error().code,
              errc::invalid_options);
    const client plain = test::make_client(client_auth::none("app"));
    EXPECT_EQ(make_userinfo_request(plain, test::secret_of("t"))->url.buffer(),
              "https://as.bank.example/userinfo");
}

TEST(Userinfo, PlainResponseSubMustMatch) {
    userinfo_options o;
    o.expected_sub = "248289761001";
    http::http_response r{
        200,
        {{"Content-Type", "application/json"}},
        R"({"sub":"248289761001","name":"Jane Doe","email":"janedoe@example.com"})"};
    auto claims = process_userinfo_response(r, t0, o);
    ASSERT_TRUE(claims) << claims.error();
    EXPECT_EQ((*claims)["name"], "Jane Doe");
    o.expected_sub = "someone-else";
    EXPECT_EQ(process_userinfo_response(r, t0, o).error().code, errc::invalid_response);
    o.expected_sub = "x";
    EXPECT_FALSE(process_userinfo_response(
        {200, {{"Content-Type", "application/json"}}, R"({"name":"x"})"}, t0, o));
    auto expired = process_userinfo_response(
        {401, {{"WWW-Authenticate", R"(Bearer error="invalid_token")"}}, ""}, t0, o);
    EXPECT_EQ(expired.error().code, errc::invalid_token);
}

TEST(Userinfo, SignedResponse) {
    const jose::jwks keys({test::bank_key().public_key()});
    userinfo_options o;
    o.expected_sub = "user-1001";
    o.issuer_keys = &keys;
    o.issuer = test::bank_issuer;
    o.client_id = "client-42";
    json c = {{"iss", test::bank_issuer}, {"aud", "client-42"}, {"sub", "user-1001"}};
    auto ok = process_userinfo_response(
        {200, {{"Content-Type", "application/jwt"}}, jose::sign_jwt(c, test::bank_key()).value()},
        t0, o);
    ASSERT_TRUE(ok) << ok.error();
    c["aud"] = "another-client";
    EXPECT_FALSE(process_userinfo_response(
        {200, {{"Content-Type", "application/jwt"}}, jose::sign_jwt(c, test::bank_key()).value()},
        t0, o));
    EXPECT_FALSE(process_userinfo_response(
        {200, {{"Content-Type", "application/json"}}, R"({"sub":"user-1001"})"}, t0, o));
}

// Encrypted UserInfo (OpenID Connect Core §5.3.2): signed then encrypted,
// or only encrypted (the claims are the JWE's plaintext).
struct EncryptedUserinfo : ::testing::Test {
    jose::jwks bank{{test::bank_key().public_key()}};
    jose::jwks ours{{test::client_encryption_key()}};
    userinfo_options o = [this] {
        userinfo_options x;
        x.expected_sub = "user-1001";
        x.issuer = test::bank_issuer;
        x.client_id = "client-42";
        x.decryption = oidc::response_decryption{
            &ours, {jwe::key_management::ECDH_ES, jwe::content_encryption::A256GCM}};
        return x;
    }();
    json claims = {{"iss", test::bank_issuer}, {"aud", "client-42"}, {"sub", "user-1001"}};

    static http::http_response jwt_body(std::string body) {
        return {200, {{"Content-Type", "application/jwt"}}, std::move(body)};
    }
    // The client's RSA key cannot do ECDH: the registration here is
    // RSA-OAEP-256 unless a test says otherwise.
    static std::string seal(const std::string& text, bool nested) {
        jwe::encrypt_options e;
        e.alg = jwe::key_management::RSA_OAEP_256;
        e.enc = jwe::content_encryption::A256GCM;
        if (nested)
            e.cty = "JWT";
        return jwe::encrypt_compact(bytes_view(text), test::client_encryption_key().public_key(), e)
            .value();
    }
    void SetUp() override { o.decryption->registered.alg = jwe::key_management::RSA_OAEP_256; }
};

TEST_F(EncryptedUserinfo, SignedThenEncrypted) {
    o.issuer_keys = &bank;
    const std::string jws = jose::sign_jwt(claims, test::bank_key()).value();
    auto ok = process_userinfo_response(jwt_body(seal(jws, true)), t0, o);
    ASSERT_TRUE(ok) << ok.error();
    EXPECT_EQ((*ok)["sub"], "user-1001");
    // The signed answer alone is a downgrade; encrypted but not nested is
    // not what was registered either.
    auto plain = process_userinfo_response(jwt_body(jws), t0, o);
    ASSERT_FALSE(plain);
    EXPECT_NE(plain.error().detail.find("not encrypted"), std::string::npos) << plain.error();
    EXPECT_FALSE(process_userinfo_response(jwt_body(seal(jws, false)), t0, o));
    // A JSON answer is refused too.
    EXPECT_FALSE(process_userinfo_response(
        {200, {{"Content-Type", "application/json"}}, R"({"sub":"user-1001"})"}, t0, o));
}

TEST_F(EncryptedUserinfo, EncryptedOnly) {
    auto ok = process_userinfo_response(jwt_body(seal(claims.dump(), false)), t0, o);
    ASSERT_TRUE(ok) << ok.error();
    EXPECT_EQ((*ok)["aud"], "client-42");
    // iss and aud, when present, must be the issuer and the client.
    for (const auto& [name, value] : {std::pair<const char*, json>{"iss", "https://evil.example"},
                                      {"aud", "client-43"},
                                      {"aud", json::array({"client-43"})},
                                      {"iss", 7}}) {
        json c = claims;
        c[name] = value;
        auto r = process_userinfo_response(jwt_body(seal(c.dump(), false)), t0, o);
        ASSERT_FALSE(r) << name;
        EXPECT_EQ(r.error().code, errc::invalid_response);
    }
    json list = claims;
    list["aud"] = {"client-41", "client-42"};
    EXPECT_TRUE(process_userinfo_response(jwt_body(seal(list.dump(), false)), t0, o));
    // Not JSON inside, the sub of someone else, and the JSON answer in the clear.
    EXPECT_FALSE(process_userinfo_response(jwt_body(seal("[1]", false)), t0, o));
    json other = claims;
    other["sub"] = "user-1002";
    EXPECT_FALSE(process_userinfo_response(jwt_body(seal(other.dump(), false)), t0, o));
    EXPECT_EQ(process_userinfo_response(jwt_body(claims.dump()), t0, o).error().code,
              errc::invalid_response);
}

TEST_F(EncryptedUserinfo, EncryptedWithoutRegistrationIsRefused) {
    o.decryption.reset();
    o.issuer_keys = &bank;
    const std::string jws = jose::sign_jwt(claims, test::bank_key()).value();
    auto r = process_userinfo_response(jwt_body(seal(jws, true)), t0, o);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().detail.find("no encryption was registered"), std::string::npos)
        << r.error();
}

} // namespace
