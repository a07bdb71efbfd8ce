#include <obauth/oauth/security_profile.hpp>

#include <obauth/oauth/authorization_code_flow.hpp>

#include "support/fake_bank.hpp"
#include "support/oauth_support.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <variant>

namespace {

using namespace obauth;
using namespace obauth::oauth;
using namespace std::chrono_literals;
using obauth::test::fake_bank;

using test::t0;

jose::jwks issuer_keys() {
    return jose::jwks({test::bank_key().public_key()});
}
const jose::jwk& proof_key() {
    static const jose::jwk k = jose::generate_key(jose::algorithm::ES256, "dpop-key").value();
    return k;
}

client dpop_client() {
    client c = test::make_client(client_auth::private_key_jwt("client-42", test::client_key()));
    c.dpop = std::make_shared<dpop_binding>(proof_key());
    return c;
}

authorization_code_options security() {
    return fapi2_security("https://client.example/cb", {"openid", "accounts"}, issuer_keys());
}
authorization_code_options message_signing() {
    return fapi2_message_signing("https://client.example/cb", {"openid", "accounts"},
                                 test::client_key(), issuer_keys());
}

template <class T>
T step(result<flow_step> r) {
    EXPECT_TRUE(r) << r.error();
    EXPECT_TRUE(std::holds_alternative<T>(*r));
    return std::get<T>(std::move(*r));
}

std::string refusal(const client& c, authorization_code_options o) {
    auto f = authorization_code_flow::create(c, std::move(o));
    if (f)
        return "accepted";
    EXPECT_EQ(f.error().code, errc::invalid_options);
    return f.error().detail;
}

TEST(SecurityProfile, PresetsFillWhatTheProfileNeeds) {
    const auto s = security();
    EXPECT_EQ(s.profile, security_profile::fapi2_security);
    EXPECT_TRUE(s.use_par);
    EXPECT_EQ(s.protection, response_protection::none);
    EXPECT_EQ(s.require_iss, true);
    EXPECT_EQ(s.algorithms, jose::fapi2_algorithms);
    EXPECT_FALSE(s.request_object_key);
    const auto m = message_signing();
    EXPECT_EQ(m.profile, security_profile::fapi2_message_signing);
    EXPECT_EQ(m.protection, response_protection::jarm);
    EXPECT_TRUE(m.request_object_key);
    EXPECT_EQ(m.require_iss, true);
}

// FAPI 2.0 with DPoP and private_key_jwt: PAR without a request object,
// proofs on PAR and token requests (one nonce retry at the token endpoint), a plain code response
// with iss, a DPoP-bound token.
TEST(SecurityProfile, Fapi2SecurityWithDpopEndToEnd) {
    fake_bank bank;
    bank.dpop_nonce_required = true;
    const client c = dpop_client();
    auto f = authorization_code_flow::create(c, security()).value();
    auto par = step<send_request>(f.start(t0));
    EXPECT_NE(par.request.header("DPoP"), nullptr);
    auto fields = http::parse_form(par.request.body).value();
    bool has_request_object = false, has_assertion = false;
    for (const auto& [name, value] : fields) {
        has_request_object |= name == "request";
        has_assertion |= name == "client_assertion";
    }
    EXPECT_FALSE(has_request_object);
    EXPECT_TRUE(has_assertion);
    auto redirect = step<redirect_user>(f.on_response(bank.handle(par.request, t0), t0));
    const std::string callback = bank.authorize(redirect.url.buffer(), t0 + 1s);
    EXPECT_NE(callback.find("iss="), std::string::npos);
    auto tok = step<send_request>(f.on_callback(callback, t0 + 2s));
    EXPECT_FALSE(tok.request.use_client_certificate);
    // The bank asks for a nonce: the flow sends the token request again.
    auto again = step<send_request>(f.on_response(bank.handle(tok.request, t0 + 3s), t0 + 3s));
    auto done = step<flow_complete>(f.on_response(bank.handle(again.request, t0 + 3s), t0 + 3s));
    EXPECT_EQ(done.tokens.token_type, "DPoP");
    ASSERT_TRUE(done.id_token);
    EXPECT_EQ(done.id_token->sub(), "user-1001");
}

TEST(SecurityProfile, Fapi2CallbackWithoutIssIsRefused) {
    fake_bank bank;
    bank.callback_iss.clear();
    const client c = dpop_client();
    auto f = authorization_code_flow::create(c, security()).value();
    auto par = step<send_request>(f.start(t0));
    auto redirect = step<redirect_user>(f.on_response(bank.handle(par.request, t0), t0));
    auto r = f.on_callback(bank.authorize(redirect.url.buffer(), t0), t0);
    ASSERT_FALSE(r);
    EXPECT_EQ(f.state(), flow_state::failed);
}

// Message Signing over mTLS: a signed request object pushed, a JARM
// response, certificate-bound tokens.
TEST(SecurityProfile, Fapi2MessageSigningWithMtlsEndToEnd) {
    fake_bank bank;
    const client c = test::make_client(client_auth::tls_client_auth("client-42"));
    auto f = authorization_code_flow::create(c, message_signing()).value();
    auto par = step<send_request>(f.start(t0));
    EXPECT_TRUE(par.request.use_client_certificate);
    EXPECT_EQ(par.request.url.buffer(), "https://mtls.bank.example/par");
    EXPECT_EQ(http::parse_form(par.request.body).value().at(0).first, "request");
    auto redirect = step<redirect_user>(f.on_response(bank.handle(par.request, t0), t0));
    const std::string callback = bank.authorize(redirect.url.buffer(), t0 + 1s);
    EXPECT_EQ(callback.rfind("https://client.example/cb?response=", 0), 0u) << callback;
    auto tok = step<send_request>(f.on_callback(callback, t0 + 2s));
    auto done = step<flow_complete>(f.on_response(bank.handle(tok.request, t0 + 3s), t0 + 3s));
    EXPECT_TRUE(done.tokens.is_bearer());
}

TEST(SecurityProfile, Fapi2RefusesWhatBreaksIt) {
    const client c = dpop_client();
    EXPECT_EQ(refusal(c, security()), "accepted");
    EXPECT_EQ(refusal(c, message_signing()), "accepted");

    auto o = security();
    o.use_par = false;
    EXPECT_NE(refusal(c, o).find("pushed authorization requests"), std::string::npos);
    o = security();
    o.protection = response_protection::hybrid;
    EXPECT_NE(refusal(c, o).find("code only"), std::string::npos);
    o = security();
    o.require_iss.reset();
    EXPECT_NE(refusal(c, o).find("iss (RFC 9207)"), std::string::npos);
    o = security();
    o.algorithms->insert(jose::algorithm::RS256);
    EXPECT_NE(refusal(c, o).find("PS256, ES256 and EdDSA"), std::string::npos);
    o = security();
    o.request_object_key = test::client_key();
    o.request_object.alg = jose::algorithm::RS256;
    EXPECT_NE(refusal(c, o).find("request object"), std::string::npos);

    o = message_signing();
    o.protection = response_protection::none;
    EXPECT_NE(refusal(c, o).find("JARM"), std::string::npos);
    o = message_signing();
    o.request_object_key.reset();
    EXPECT_NE(refusal(c, o).find("signed request object"), std::string::npos);
}

TEST(SecurityProfile, Fapi2RefusesClientsThatBreakIt) {
    client rs256 = test::make_client(
        client_auth::private_key_jwt("client-42", test::client_key(), jose::algorithm::RS256));
    rs256.dpop = std::make_shared<dpop_binding>(proof_key());
    EXPECT_NE(refusal(rs256, security()).find("private_key_jwt"), std::string::npos);

    client endpoint_aud = dpop_client();
    endpoint_aud.auth.assertion_audience_sources = {audience_source::issuer,
                                                    audience_source::token_endpoint};
    EXPECT_NE(refusal(endpoint_aud, security()).find("issuer alone"), std::string::npos);

    client basic =
        test::make_client(client_auth::client_secret_basic("client-42", test::secret_of("s")));
    basic.dpop = std::make_shared<dpop_binding>(proof_key());
    EXPECT_NE(refusal(basic, security()).find("client authentication"), std::string::npos);

    const client unbound =
        test::make_client(client_auth::private_key_jwt("client-42", test::client_key()));
    EXPECT_NE(refusal(unbound, security()).find("sender-constrained"), std::string::npos);

    client lenient = dpop_client();
    lenient.dpop = std::make_shared<dpop_binding>(proof_key(), false);
    EXPECT_NE(refusal(lenient, security()).find("no Bearer fallback"), std::string::npos);

    client rs256_proofs = dpop_client();
    rs256_proofs.dpop = std::make_shared<dpop_binding>(
        jose::generate_key(jose::algorithm::RS256).value(), true, jose::algorithm::RS256);
    EXPECT_NE(refusal(rs256_proofs, security()).find("DPoP proofs"), std::string::npos);

    // mTLS as both authentication and sender constraint; private_key_jwt
    // with certificate-bound tokens; EdDSA proofs.
    EXPECT_EQ(refusal(test::make_client(client_auth::tls_client_auth("client-42")), security()),
              "accepted");
    EXPECT_EQ(refusal(test::make_client(
                          client_auth::private_key_jwt("client-42", test::client_key()), true),
                      security()),
              "accepted");
    client eddsa = dpop_client();
    eddsa.dpop = std::make_shared<dpop_binding>(jose::generate_key(jose::algorithm::EdDSA).value());
    EXPECT_EQ(refusal(eddsa, security()), "accepted");
}

TEST(SecurityProfile, NoProfileChecksNothing) {
    const client c = test::make_client(client_auth::client_secret_basic("c", test::secret_of("s")));
    authorization_code_options o;
    o.redirect_uri = "https://client.example/cb";
    o.scope = {"accounts"};
    EXPECT_EQ(refusal(c, o), "accepted");
}

} // namespace
