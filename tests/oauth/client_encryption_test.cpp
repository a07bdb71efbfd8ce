#include <obauth/oauth/client_encryption.hpp>

#include <obauth/oauth/authorization_code_flow.hpp>

#include "support/fake_bank.hpp"
#include "support/oauth_support.hpp"

#include <gtest/gtest.h>

#include <variant>

namespace {

using namespace obauth;
using namespace obauth::oauth;
using namespace std::chrono_literals;
using jwe::content_encryption;
using jwe::key_management;
using obauth::test::fake_bank;
using test::t0;

// The bank's signing key and its encryption key, as its JWKS publishes them.
jose::jwks published_bank_keys() {
    return jose::jwks({test::bank_key().public_key(), test::bank_encryption_key().public_key()});
}

// A FAPI client that registered encrypted ID tokens (RSA-OAEP-256 +
// A256GCM), encrypted JARM responses (RSA-OAEP, enc by default) and
// encrypted request objects (ECDH-ES+A256KW + A256GCM to the bank's key).
client encrypting_client() {
    client c =
        test::make_client(client_auth::private_key_jwt("client-42", test::client_key()), true);
    c.encryption.keys = jose::jwks({test::client_encryption_key()});
    c.encryption.id_token = {key_management::RSA_OAEP_256, content_encryption::A256GCM};
    c.encryption.authorization = {key_management::RSA_OAEP};
    c.encryption.request_object = {key_management::ECDH_ES_A256KW, content_encryption::A256GCM};
    return c;
}

jwe::encrypt_options sealed_with(key_management alg, content_encryption enc) {
    jwe::encrypt_options o;
    o.alg = alg;
    o.enc = enc;
    return o;
}

// The bank encrypting as encrypting_client() registered.
void encrypt_as_registered(fake_bank& bank) {
    bank.encrypt_id_tokens = sealed_with(key_management::RSA_OAEP_256, content_encryption::A256GCM);
    bank.encrypt_jarm = sealed_with(key_management::RSA_OAEP, content_encryption::A128CBC_HS256);
}

authorization_code_options encrypted_flow_options() {
    return fapi1_advanced("https://client.example/cb", {"openid", "accounts"}, test::client_key(),
                          published_bank_keys(), response_protection::jarm);
}

template <class T>
T take_step(result<flow_step> r) {
    EXPECT_TRUE(r) << r.error();
    EXPECT_TRUE(std::holds_alternative<T>(*r));
    return std::get<T>(std::move(*r));
}

// Runs the flow through PAR to the bank's redirect back to the client.
std::string run_to_callback(authorization_code_flow& f, fake_bank& bank) {
    auto par = take_step<send_request>(f.start(t0));
    auto redirect = take_step<redirect_user>(f.on_response(bank.handle(par.request, t0), t0));
    return bank.authorize(redirect.url.buffer(), t0 + 1s);
}

TEST(ClientEncryption, DecryptionOnlyForWhatWasRegistered) {
    const client c = encrypting_client();
    auto id = c.encryption.decryption(encrypted_response::id_token);
    ASSERT_TRUE(id);
    EXPECT_EQ(id->keys, &c.encryption.keys);
    EXPECT_EQ(id->registered.alg, key_management::RSA_OAEP_256);
    EXPECT_EQ(id->registered.enc, content_encryption::A256GCM);
    auto jarm = c.encryption.decryption(encrypted_response::authorization);
    ASSERT_TRUE(jarm);
    // Only the alg registered: the registration's default enc.
    EXPECT_EQ(jarm->registered.enc, content_encryption::A128CBC_HS256);
    EXPECT_FALSE(c.encryption.decryption(encrypted_response::userinfo));
    EXPECT_FALSE(c.encryption.decryption(encrypted_response::introspection));
}

TEST(ClientEncryption, RegistrationCheckedAgainstTheProvider) {
    client c = encrypting_client();
    EXPECT_TRUE(c.encryption.check(c.server)) << c.encryption.check(c.server).error();
    // An enc the provider does not list for ID tokens.
    c.encryption.id_token->enc = content_encryption::A192GCM;
    auto r = c.encryption.check(c.server);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::invalid_options);
    EXPECT_NE(r.error().detail.find("id_token_encryption_enc_values_supported"), std::string::npos)
        << r.error();
    // And the flow refuses to start with it.
    EXPECT_EQ(authorization_code_flow::create(c, encrypted_flow_options()).error().code,
              errc::invalid_options);
    c.encryption.id_token->enc = content_encryption::A256GCM;
    // An alg the provider does not list for request objects.
    c.encryption.request_object->alg = key_management::A256KW;
    EXPECT_NE(c.encryption.check(c.server).error().detail.find(
                  "request_object_encryption_alg_values_supported"),
              std::string::npos);
    c.encryption.request_object->alg = key_management::ECDH_ES_A256KW;
    // A list the provider leaves out says nothing against it.
    c.encryption.userinfo = {key_management::ECDH_ES};
    EXPECT_TRUE(c.encryption.check(c.server));
    // Encrypted responses without keys to open them.
    c.encryption.keys = jose::jwks();
    EXPECT_NE(c.encryption.check(c.server).error().detail.find("needs the client's keys"),
              std::string::npos);
}

TEST(ClientEncryption, FlowWithEncryptedRequestObjectJarmAndIdTokens) {
    fake_bank bank;
    encrypt_as_registered(bank);
    const client c = encrypting_client();
    auto f = authorization_code_flow::create(c, encrypted_flow_options()).value();
    const std::string callback = run_to_callback(f, bank);
    EXPECT_EQ(bank.encrypted_request_objects, 1);
    // The JARM response is a JWE (five parts).
    const auto response = callback.substr(callback.find("response=") + 9);
    EXPECT_EQ(std::count(response.begin(), response.end(), '.'), 4) << response;
    auto tok = take_step<send_request>(f.on_callback(callback, t0 + 2s));
    auto done = take_step<flow_complete>(f.on_response(bank.handle(tok.request, t0 + 3s), t0 + 3s));
    ASSERT_TRUE(done.id_token);
    EXPECT_EQ(done.id_token->sub(), "user-1001");
    EXPECT_EQ(done.id_token->alg(), jose::algorithm::PS256);
}

TEST(ClientEncryption, PlainAnswersWhereEncryptionWasRegisteredAreRefused) {
    const client c = encrypting_client();
    {
        // The JARM response signed but not encrypted: a downgrade.
        fake_bank bank;
        encrypt_as_registered(bank);
        bank.encrypt_jarm.reset();
        auto f = authorization_code_flow::create(c, encrypted_flow_options()).value();
        auto r = f.on_callback(run_to_callback(f, bank), t0 + 2s);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, errc::jarm_invalid);
        EXPECT_NE(r.error().detail.find("not encrypted"), std::string::npos) << r.error();
    }
    {
        // The ID token signed but not encrypted.
        fake_bank bank;
        encrypt_as_registered(bank);
        bank.encrypt_id_tokens.reset();
        auto f = authorization_code_flow::create(c, encrypted_flow_options()).value();
        auto tok = take_step<send_request>(f.on_callback(run_to_callback(f, bank), t0 + 2s));
        auto r = f.on_response(bank.handle(tok.request, t0 + 3s), t0 + 3s);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, oidc::errc::response_not_encrypted) << r.error();
        EXPECT_EQ(f.state(), flow_state::failed);
    }
}

TEST(ClientEncryption, AnswersEncryptedOtherwiseThanRegisteredAreRefused) {
    const client c = encrypting_client();
    // The ID token with another content encryption, and with another key
    // management algorithm: the header is refused before any key is used.
    for (const auto& how :
         {sealed_with(key_management::RSA_OAEP_256, content_encryption::A128CBC_HS256),
          sealed_with(key_management::RSA_OAEP, content_encryption::A256GCM)}) {
        fake_bank bank;
        encrypt_as_registered(bank);
        bank.encrypt_id_tokens = how;
        auto f = authorization_code_flow::create(c, encrypted_flow_options()).value();
        auto tok = take_step<send_request>(f.on_callback(run_to_callback(f, bank), t0 + 2s));
        auto r = f.on_response(bank.handle(tok.request, t0 + 3s), t0 + 3s);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, jwe::errc::algorithm_not_allowed) << r.error();
    }
    // Encrypted to someone else's key: decryption fails, without detail.
    fake_bank bank;
    encrypt_as_registered(bank);
    bank.client_encryption =
        test::as_encryption_key(jose::generate_key(jose::algorithm::RS256).value(), "client-enc")
            .public_key();
    auto f = authorization_code_flow::create(c, encrypted_flow_options()).value();
    auto r = f.on_callback(run_to_callback(f, bank), t0 + 2s);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::jarm_invalid);
    EXPECT_NE(r.error().detail.find("decryption failed"), std::string::npos) << r.error();
}

TEST(ClientEncryption, EncryptedAnswersWithoutRegistrationAreRefused) {
    // The client registered nothing; the bank encrypts its ID token anyway.
    client c = encrypting_client();
    c.encryption = client_encryption{};
    fake_bank bank;
    bank.encrypt_id_tokens = sealed_with(key_management::RSA_OAEP_256, content_encryption::A256GCM);
    auto f = authorization_code_flow::create(c, encrypted_flow_options()).value();
    auto tok = take_step<send_request>(f.on_callback(run_to_callback(f, bank), t0 + 2s));
    auto r = f.on_response(bank.handle(tok.request, t0 + 3s), t0 + 3s);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, oidc::errc::response_encrypted) << r.error();
    EXPECT_EQ(bank.encrypted_request_objects, 0);
}

TEST(ClientEncryption, RequestObjectNeedsAServerEncryptionKey) {
    const client c = encrypting_client();
    // The bank's set holds only its signing key: no key is marked for
    // encryption, and a signing key is never taken for it.
    auto o = encrypted_flow_options();
    o.issuer_keys = jose::jwks({test::bank_key().public_key()});
    auto f = authorization_code_flow::create(c, std::move(o)).value();
    auto r = f.start(t0);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::invalid_options);
    EXPECT_NE(r.error().detail.find("no key marked for encryption"), std::string::npos)
        << r.error();
}

} // namespace
