#include <obauth/oauth/introspection.hpp>

#include "support/fake_bank.hpp"

#include <obauth/oauth/certificate_binding.hpp>
#include <obauth/oauth/token_request.hpp>
#include <obauth/oauth/token_response.hpp>

#include <gtest/gtest.h>

namespace {

using namespace obauth;
using namespace obauth::oauth;

using test::t0;

http::http_response json_ok(const std::string& body) {
    return {200, {{"Content-Type", "application/json"}}, body};
}

TEST(Introspection, Rfc7662ExampleAndActiveAt) {
    auto r = process_introspection_response(json_ok(R"({
      "active": true, "client_id": "l238j323ds-23ij4", "username": "jdoe",
      "scope": "read write dolphin", "sub": "Z5O3upPC88QrAjx00dis", "aud": "https://protected.example.net/resource",
      "iss": "https://server.example.com/", "exp": 1419356238, "iat": 1419350238,
      "extension_field": "twenty-seven"})"),
                                            t0);
    ASSERT_TRUE(r) << r.error();
    EXPECT_TRUE(r->active);
    EXPECT_EQ(r->scope, (std::vector<std::string>{"read", "write", "dolphin"}));
    EXPECT_EQ(r->aud, (std::vector<std::string>{"https://protected.example.net/resource"}));
    EXPECT_EQ(r->exp, 1419356238);
    EXPECT_EQ(r->claims["extension_field"], "twenty-seven");
    EXPECT_FALSE(r->active_at(t0)); // exp long past
    EXPECT_TRUE(r->active_at(from_unix_seconds(1419350000)));
    EXPECT_FALSE(process_introspection_response(json_ok(R"({"active":false})"), t0)->active);
}

TEST(Introspection, HostileBodies) {
    for (const char* body : {R"({})", R"({"active":"true"})", R"({"active":1})",
                             R"({"active":true,"exp":"soon"})", R"({"active":true,"aud":[1]})",
                             R"({"active":true,"scope":["a"]})", R"({"active":true,"aud":{}})"}) {
        auto r = process_introspection_response(json_ok(body), t0);
        ASSERT_FALSE(r) << body;
        EXPECT_EQ(r.error().code, errc::invalid_response) << body;
    }
}

TEST(Introspection, AgainstTheBankWithCertificateBinding) {
    test::fake_bank bank;
    const client c =
        test::make_client(client_auth::private_key_jwt("client-42", test::client_key()), true);
    auto tokens = process_token_response(
        bank.handle(make_token_request(c, client_credentials_grant{{"accounts"}}, t0).value(), t0),
        t0);
    ASSERT_TRUE(tokens);
    auto req = make_introspection_request(c, tokens->access_token, "access_token", t0);
    ASSERT_TRUE(req) << req.error();
    EXPECT_EQ(req->url.buffer(), "https://mtls.bank.example/introspect");
    auto r = process_introspection_response(bank.handle(*req, t0), t0);
    ASSERT_TRUE(r) << r.error();
    EXPECT_TRUE(r->active_at(t0));
    EXPECT_TRUE(check_certificate_binding(r->claims, bank.client_cert_thumbprint));
    EXPECT_EQ(check_certificate_binding(r->claims, "another").error().code,
              errc::certificate_mismatch);
}

// The bank's RFC 9701 answer: active, for user-1001, signed with its key
// (or `signer`).
const json introspection_claims = {
    {"iss", test::bank_issuer},
    {"aud", "client-42"},
    {"iat", to_unix_seconds(t0)},
    {"token_introspection", {{"active", true}, {"sub", "user-1001"}}}};
std::string signed_introspection(const jose::jwk& signer = test::bank_key()) {
    jose::jws_sign_options so;
    so.typ = "token-introspection+jwt";
    return jose::sign_jwt(introspection_claims, signer, so).value();
}

TEST(Introspection, SignedJwtResponse) {
    const client c = test::make_client(client_auth::tls_client_auth("client-42"), true);
    auto req = make_introspection_request(c, test::secret_of("tok"), "", t0, true).value();
    EXPECT_EQ(*req.header("Accept"), "application/token-introspection+jwt");
    const std::string jwt = signed_introspection();
    const jose::jwks keys({test::bank_key().public_key()});
    introspection_options o;
    o.issuer_keys = &keys;
    o.issuer = test::bank_issuer;
    o.client_id = "client-42";
    http::http_response resp{200, {{"Content-Type", "application/token-introspection+jwt"}}, jwt};
    auto r = process_introspection_response(resp, t0, o);
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->sub, "user-1001");
    // Signed by another key, or a plain JSON answer where a JWT was asked for.
    const std::string forged = signed_introspection(test::other_key());
    EXPECT_EQ(process_introspection_response(
                  {200, {{"Content-Type", "application/token-introspection+jwt"}}, forged}, t0, o)
                  .error()
                  .code,
              errc::invalid_response);
    EXPECT_EQ(process_introspection_response(json_ok(R"({"active":true})"), t0, o).error().code,
              http::errc::unexpected_content_type);
}

// RFC 9701 §6: registered encrypted, the signed answer arrives encrypted.
TEST(Introspection, EncryptedJwtResponse) {
    const std::string jws = signed_introspection();
    jwe::encrypt_options e;
    e.alg = jwe::key_management::RSA_OAEP_256;
    e.enc = jwe::content_encryption::A128CBC_HS256;
    e.cty = "JWT";
    const std::string sealed =
        jwe::encrypt_compact(bytes_view(jws), test::client_encryption_key().public_key(), e)
            .value();
    client c = test::make_client(client_auth::tls_client_auth("client-42"), true);
    c.encryption.keys = jose::jwks({test::client_encryption_key()});
    c.encryption.introspection = {jwe::key_management::RSA_OAEP_256};
    const jose::jwks keys({test::bank_key().public_key()});
    introspection_options o;
    o.issuer_keys = &keys;
    o.issuer = test::bank_issuer;
    o.client_id = "client-42";
    o.decryption = c.encryption.decryption(encrypted_response::introspection);
    auto answer = [](const std::string& body) {
        return http::http_response{
            200, {{"Content-Type", "application/token-introspection+jwt"}}, body};
    };
    auto r = process_introspection_response(answer(sealed), t0, o);
    ASSERT_TRUE(r) << r.error();
    EXPECT_TRUE(r->active);
    EXPECT_EQ(r->sub, "user-1001");
    // The signed answer in the clear is refused; so is the encrypted one
    // where nothing was registered.
    auto plain = process_introspection_response(answer(jws), t0, o);
    ASSERT_FALSE(plain);
    EXPECT_EQ(plain.error().code, errc::invalid_response);
    EXPECT_NE(plain.error().detail.find("not encrypted"), std::string::npos) << plain.error();
    introspection_options unregistered = o;
    unregistered.decryption.reset();
    EXPECT_EQ(process_introspection_response(answer(sealed), t0, unregistered).error().code,
              errc::invalid_response);
    // Encryption without the keys to verify the signature inside.
    introspection_options keyless = o;
    keyless.issuer_keys = nullptr;
    EXPECT_EQ(process_introspection_response(answer(sealed), t0, keyless).error().code,
              errc::invalid_options);
}

} // namespace
