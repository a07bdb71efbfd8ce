// Encryption against a real authorization server: the local bank's
// fapi-encrypted client (oidc-provider's encryption feature, FAPI 1.0
// Advanced) through each transport adapter. The request object is signed,
// then encrypted to the key the bank publishes for encryption (ECDH-ES+A256KW
// + A256GCM); the bank answers with an encrypted JARM response and ID token
// (RSA-OAEP-256 + A256GCM), encrypted UserInfo (RSA-OAEP-256 +
// A128CBC-HS256) and an encrypted RFC 9701 introspection answer, each a
// nested JWT the client decrypts and verifies as registered. A client with a
// client secret gets its ID token and UserInfo encrypted with keys derived
// from the secret (OpenID Connect Core §10.2: A128KW, dir + A256GCM).
#include <obauth/oauth/client_encryption.hpp>

#include <obauth/oauth/authorization_code_flow.hpp>
#include <obauth/oauth/introspection.hpp>
#include <obauth/oauth/run.hpp>
#include <obauth/oauth/userinfo.hpp>

#include "adapters.hpp"
#include "bank_fixture.hpp"
#include "local_bank.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace {

using namespace obauth;
using namespace obauth::oauth;
using jose::algorithm;
using jwe::content_encryption;
using jwe::key_management;

template <class Transport>
class EncryptingBank : public test::bank_fixture<Transport> {
protected:
    using test::bank_fixture<Transport>::bank;
    using test::bank_fixture<Transport>::bank_keys;
    using test::bank_fixture<Transport>::clock;
    using test::bank_fixture<Transport>::key;
    using test::bank_fixture<Transport>::make;
    using test::bank_fixture<Transport>::transport;

    jose::jwk signing_key() const { return key("client-rsa.key", algorithm::PS256, "client-rsa"); }

    /// fapi-encrypted as the bank has it registered.
    client registered_client() const {
        client c = make(client_auth::private_key_jwt("fapi-encrypted", signing_key()), true);
        c.encryption.keys = jose::jwks({bank.decryption_key("client-enc").value()});
        c.encryption.id_token = {key_management::RSA_OAEP_256, content_encryption::A256GCM};
        c.encryption.authorization = {key_management::RSA_OAEP_256, content_encryption::A256GCM};
        c.encryption.userinfo = {key_management::RSA_OAEP_256};
        c.encryption.introspection = {key_management::RSA_OAEP_256, content_encryption::A256GCM};
        c.encryption.request_object = {key_management::ECDH_ES_A256KW, content_encryption::A256GCM};
        return c;
    }

    /// The FAPI flow; `pushed` records the request objects PAR carried.
    result<flow_complete> flow(const client& c, std::vector<std::string>& pushed) {
        auto f = authorization_code_flow::create(
            c, fapi1_advanced(local_bank::redirect_uri, {"openid", "accounts"}, signing_key(),
                              bank_keys, response_protection::jarm));
        if (!f)
            return std::move(f).error();
        const Transport& t = *transport;
        auto watching = [&](const http::http_request& r) {
            if (r.url.path() == "/oauth/par") {
                const http::form_fields fields =
                    http::parse_form(r.body).value_or(http::form_fields{});
                for (const auto& field : fields)
                    if (field.first == "request")
                        pushed.push_back(field.second);
            }
            return t(r);
        };
        local_bank::browser<Transport> user(*transport);
        return run_flow(*f, watching, user, clock);
    }

    /// UserInfo for `c`'s token (a JWE: five parts) and the options that
    /// open it as registered, signed by the bank inside.
    void userinfo(const client& c, const secret& access_token, http::http_response& answer,
                  userinfo_options& uo) {
        auto ur = make_userinfo_request(c, access_token);
        ASSERT_TRUE(ur);
        auto r = (*transport)(*ur);
        ASSERT_TRUE(r) << r.error();
        EXPECT_EQ(std::count(r->body.begin(), r->body.end(), '.'), 4);
        answer = std::move(*r);
        uo.expected_sub = "user-1001";
        uo.issuer_keys = &bank_keys;
        uo.algorithms = {algorithm::PS256};
        uo.issuer = bank.issuer;
        uo.client_id = c.auth.client_id();
        uo.decryption = c.encryption.decryption(encrypted_response::userinfo);
    }
};

TYPED_TEST_SUITE(EncryptingBank, test::adapters, test::adapter_name);

TYPED_TEST(EncryptingBank, DiscoveryListsTheEncryptionAlgorithms) {
    const auto& m = this->metadata;
    EXPECT_TRUE(oidc::provider_metadata::contains(m.id_token_encryption_alg_values_supported,
                                                  "RSA-OAEP-256"));
    EXPECT_TRUE(oidc::provider_metadata::contains(m.request_object_encryption_alg_values_supported,
                                                  "ECDH-ES+A256KW"));
    EXPECT_TRUE(this->registered_client().encryption.check(m));
    // The bank's set holds its encryption key beside its signing keys.
    auto to = jwe::select_recipient(this->bank_keys, key_management::ECDH_ES_A256KW);
    ASSERT_TRUE(to) << to.error();
    EXPECT_EQ((*to)->kid(), "bank-enc");
}

TYPED_TEST(EncryptingBank, EveryAnswerEncryptedEndToEnd) {
    const client c = this->registered_client();
    std::vector<std::string> pushed;
    auto done = this->flow(c, pushed);
    ASSERT_TRUE(done) << done.error();
    // The request object went out encrypted (five parts) and the bank took it.
    ASSERT_EQ(pushed.size(), 1u);
    EXPECT_EQ(std::count(pushed[0].begin(), pushed[0].end(), '.'), 4);
    ASSERT_TRUE(done->id_token);
    EXPECT_EQ(done->id_token->sub(), "user-1001");
    EXPECT_EQ(done->id_token->alg(), algorithm::PS256);

    // UserInfo: signed, then encrypted.
    http::http_response uresp;
    userinfo_options uo;
    this->userinfo(c, done->tokens.access_token, uresp, uo);
    auto info = process_userinfo_response(uresp, this->clock.now(), uo);
    ASSERT_TRUE(info) << info.error();
    EXPECT_EQ((*info)["sub"], "user-1001");
    // Without the registration the same answer is refused.
    userinfo_options unregistered = uo;
    unregistered.decryption.reset();
    EXPECT_FALSE(process_userinfo_response(uresp, this->clock.now(), unregistered));

    // Introspection (RFC 9701): signed, then encrypted.
    auto ir = make_introspection_request(c, done->tokens.access_token, "access_token",
                                         this->clock.now(), true);
    ASSERT_TRUE(ir);
    auto iresp = this->send(*ir);
    ASSERT_TRUE(iresp) << iresp.error();
    introspection_options io;
    io.issuer_keys = &this->bank_keys;
    io.issuer = this->bank.issuer;
    io.client_id = "fapi-encrypted";
    io.decryption = c.encryption.decryption(encrypted_response::introspection);
    auto introspected = process_introspection_response(*iresp, this->clock.now(), io);
    ASSERT_TRUE(introspected) << introspected.error() << "\n" << iresp->body.substr(0, 200);
    EXPECT_TRUE(introspected->active);
    EXPECT_EQ(introspected->client_id, "fapi-encrypted");
}

TYPED_TEST(EncryptingBank, WrongKeyOrNoRegistrationIsRefused) {
    // Another RSA key under the registered kid: the bank's JARM response
    // does not decrypt, and the flow fails without detail.
    client c = this->registered_client();
    c.encryption.keys =
        jose::jwks({this->bank.import_key("client-rsa.key", {}, "client-enc").value()});
    std::vector<std::string> pushed;
    auto wrong = this->flow(c, pushed);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, errc::jarm_invalid);
    EXPECT_NE(wrong.error().detail.find("decryption failed"), std::string::npos) << wrong.error();
    // A client that forgot it registered JARM encryption refuses the JWE.
    client forgot = this->registered_client();
    forgot.encryption.authorization.reset();
    auto unregistered = this->flow(forgot, pushed);
    ASSERT_FALSE(unregistered);
    EXPECT_EQ(unregistered.error().code, errc::jarm_invalid);
    EXPECT_NE(unregistered.error().detail.find("no encryption was registered"), std::string::npos)
        << unregistered.error();
}

TYPED_TEST(EncryptingBank, KeysDerivedFromTheClientSecret) {
    const secret client_secret = local_bank::secret_of("secret-encrypted");
    client c = this->make(
        client_auth::client_secret_basic("secret-encrypted", client_secret.clone()), false);
    c.id_token_signed_response_alg = algorithm::PS256;
    c.encryption.id_token = {key_management::A128KW, content_encryption::A128CBC_HS256};
    c.encryption.userinfo = {key_management::dir, content_encryption::A256GCM};
    c.encryption.keys = jose::jwks(
        {oidc::client_secret_encryption_key(client_secret, *c.encryption.id_token).value(),
         oidc::client_secret_encryption_key(client_secret, *c.encryption.userinfo).value()});
    authorization_code_options o;
    o.redirect_uri = local_bank::redirect_uri;
    o.scope = {"openid", "accounts"};
    o.issuer_keys = this->bank_keys;
    auto flow = authorization_code_flow::create(c, std::move(o));
    ASSERT_TRUE(flow) << flow.error();
    local_bank::browser<TypeParam> user(*this->transport);
    auto done = run_flow(*flow, *this->transport, user, this->clock);
    ASSERT_TRUE(done) << done.error();
    ASSERT_TRUE(done->id_token);
    EXPECT_EQ(done->id_token->sub(), "user-1001");

    http::http_response uresp;
    userinfo_options uo;
    this->userinfo(c, done->tokens.access_token, uresp, uo);
    auto info = process_userinfo_response(uresp, this->clock.now(), uo);
    ASSERT_TRUE(info) << info.error();
    EXPECT_EQ((*info)["sub"], "user-1001");
}

} // namespace
