// FAPI 2.0 against a real authorization server: the local bank's FAPI 2.0
// clients (oidc-provider's profile '2.0', DPoP with nonces required at every
// endpoint) and its resource endpoint (own DPoP nonces, proofs checked with
// the `jose` package), through each transport adapter: DPoP with
// private_key_jwt, mTLS for both, Message Signing, the nonce challenges of
// the authorization server and of the resource, a DPoP-bound refresh, and
// proofs from another key refused by the bank.
#include <obauth/oauth/security_profile.hpp>

#include <obauth/oauth/authorization_code_flow.hpp>
#include <obauth/oauth/introspection.hpp>
#include <obauth/oauth/resource_request.hpp>
#include <obauth/oauth/run.hpp>
#include <obauth/oauth/token_manager.hpp>
#include <obauth/oidc/fapi.hpp>

#include "adapters.hpp"
#include "bank_fixture.hpp"
#include "local_bank.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace {

using namespace obauth;
using namespace obauth::oauth;
using jose::algorithm;

const std::vector<std::string> fapi2_scope{"openid", "accounts", "offline_access"};

template <class Transport>
class Fapi2Bank : public test::bank_fixture<Transport> {
protected:
    using test::bank_fixture<Transport>::key;
    using test::bank_fixture<Transport>::metadata;
    using test::bank_fixture<Transport>::bank;
    using test::bank_fixture<Transport>::transport;
    using test::bank_fixture<Transport>::clock;

    /// fapi2-dpop: private_key_jwt (PS256) and DPoP proofs with a new key.
    client dpop_client(algorithm proof_alg = algorithm::ES256) const {
        client c{metadata,
                 client_auth::private_key_jwt(
                     "fapi2-dpop", key("client-rsa.key", algorithm::PS256, "client-rsa")),
                 false, 256 * 1024};
        c.dpop = std::make_shared<dpop_binding>(jose::generate_key(proof_alg).value());
        return c;
    }

    /// Every answer the bank gives, kept: the transport run_flow uses.
    auto recording() {
        return [this](const http::http_request& r) -> result<http::http_response> {
            auto resp = (*transport)(r);
            if (resp)
                answers.push_back(std::string(r.url.path()) + " " + std::to_string(resp->status) +
                                  (asks_for_dpop_nonce(*resp) ? " nonce" : ""));
            return resp;
        };
    }
    bool answered(const std::string& what) const {
        return std::find(answers.begin(), answers.end(), what) != answers.end();
    }

    result<flow_complete> run(const client& c, authorization_code_options o) {
        OBAUTH_TRY(authorization_code_flow flow, authorization_code_flow::create(c, std::move(o)));
        local_bank::browser<Transport> user(*transport);
        return run_flow(flow, recording(), user, clock);
    }

    /// GET /accounts with the client's tokens (the nonce dance included);
    /// the final answer.
    result<http::http_response> accounts(const client& c, const token_set& tokens) {
        http::http_request r;
        r.url = boost::urls::url(bank.issuer + "/accounts");
        return send_resource_request(c, std::move(r), tokens, recording(), clock);
    }

    std::vector<std::string> answers;
};

TYPED_TEST_SUITE(Fapi2Bank, test::adapters, test::adapter_name);

TYPED_TEST(Fapi2Bank, DiscoveryPassesTheFapi2Checks) {
    EXPECT_TRUE(oidc::check_fapi2_security(this->metadata))
        << oidc::check_fapi2_security(this->metadata).error();
    EXPECT_TRUE(oidc::check_fapi2_message_signing(this->metadata))
        << oidc::check_fapi2_message_signing(this->metadata).error();
    EXPECT_TRUE(this->metadata.authorization_response_iss_parameter_supported);
    EXPECT_TRUE(oidc::provider_metadata::contains(this->metadata.dpop_signing_alg_values_supported,
                                                  "ES256"));
}

// DPoP with private_key_jwt: the bank asks for a nonce at PAR, the flow
// answers it; the token is DPoP-bound, and the resource asks for its own
// nonce before it serves the account list.
TYPED_TEST(Fapi2Bank, DpopWithPrivateKeyJwt) {
    for (const algorithm proof_alg : {algorithm::ES256, algorithm::EdDSA, algorithm::PS256}) {
        SCOPED_TRACE(jose::to_string(proof_alg));
        this->answers.clear();
        const client c = this->dpop_client(proof_alg);
        auto done =
            this->run(c, fapi2_security(local_bank::redirect_uri, fapi2_scope, this->bank_keys));
        ASSERT_TRUE(done) << done.error();
        EXPECT_TRUE(this->answered("/oauth/par 400 nonce"));
        EXPECT_TRUE(this->answered("/oauth/token 200"));
        EXPECT_EQ(done->tokens.token_type, "DPoP");
        ASSERT_TRUE(done->id_token);
        EXPECT_EQ(done->id_token->sub(), "user-1001");
        ASSERT_TRUE(done->tokens.refresh_token);

        this->answers.clear();
        auto r = this->accounts(c, done->tokens);
        ASSERT_TRUE(r) << r.error();
        EXPECT_EQ(r->status, 200) << r->body;
        EXPECT_EQ(this->answers,
                  (std::vector<std::string>{"/accounts 401 nonce", "/accounts 200"}));
    }
}

// What the resource refuses: the DPoP-bound token as a Bearer token, a proof
// from another key, a replayed proof.
TYPED_TEST(Fapi2Bank, TheResourceRefusesMisusedDpopTokens) {
    const client c = this->dpop_client();
    auto done =
        this->run(c, fapi2_security(local_bank::redirect_uri, fapi2_scope, this->bank_keys));
    ASSERT_TRUE(done) << done.error();
    auto ok = this->accounts(c, done->tokens);
    ASSERT_TRUE(ok && ok->status == 200);

    token_set as_bearer = done->tokens.clone();
    as_bearer.token_type = "Bearer";
    auto r = this->accounts(c, as_bearer);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401);

    client thief = this->dpop_client();
    r = this->accounts(thief, done->tokens);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401);
    const auto* challenge = r->header("WWW-Authenticate");
    ASSERT_NE(challenge, nullptr);
    EXPECT_NE(challenge->find("error=\"invalid_token\""), std::string::npos) << *challenge;

    // The same request twice: the second proof is a replay.
    http::http_request once;
    once.url = boost::urls::url(this->bank.issuer + "/accounts");
    ASSERT_TRUE(authorize_resource_request(c, once, done->tokens, this->clock.now()));
    auto first = (*this->transport)(once);
    auto second = (*this->transport)(once);
    ASSERT_TRUE(first && second);
    EXPECT_EQ(first->status, 200);
    EXPECT_EQ(second->status, 401);
}

// The token request's proof must come from the key the PAR request was
// proven with (the bank binds the code to it: dpop_jkt).
TYPED_TEST(Fapi2Bank, ATokenRequestFromAnotherKeyIsRefused) {
    client c = this->dpop_client();
    auto flow = authorization_code_flow::create(
                    c, fapi2_security(local_bank::redirect_uri, fapi2_scope, this->bank_keys))
                    .value();
    auto send = this->recording();
    auto step = flow.start(this->clock.now());
    while (step && std::holds_alternative<send_request>(*step)) {
        auto resp = send(std::get<send_request>(*step).request);
        ASSERT_TRUE(resp) << resp.error();
        step = flow.on_response(*resp, this->clock.now());
    }
    ASSERT_TRUE(step) << step.error();
    local_bank::browser<TypeParam> user(*this->transport);
    auto back = user(std::get<redirect_user>(*step).url);
    ASSERT_TRUE(back) << back.error();
    c.dpop = std::make_shared<dpop_binding>(jose::generate_key(algorithm::ES256).value());
    step = flow.on_callback(*back, this->clock.now());
    while (step && std::holds_alternative<send_request>(*step)) {
        auto resp = send(std::get<send_request>(*step).request);
        ASSERT_TRUE(resp) << resp.error();
        step = flow.on_response(*resp, this->clock.now());
    }
    ASSERT_FALSE(step);
    EXPECT_EQ(step.error().code, errc::invalid_grant) << step.error();
}

// The token manager refreshes with proofs: a new DPoP-bound token that the
// resource accepts, the rotated refresh token kept.
TYPED_TEST(Fapi2Bank, DpopBoundRefresh) {
    const client c = this->dpop_client();
    auto done =
        this->run(c, fapi2_security(local_bank::redirect_uri, fapi2_scope, this->bank_keys));
    ASSERT_TRUE(done) << done.error();
    token_manager_options mo;
    mo.refresh_skew = std::chrono::hours(1); // every get() refreshes
    token_manager tm(c, this->recording(), this->clock, mo);
    // oidc-provider keeps offline_access out of what a refresh may ask for.
    const token_key key{{"openid", "accounts"}, {}};
    tm.put(key, done->tokens.clone());
    this->answers.clear();
    auto refreshed = tm.get(key);
    ASSERT_TRUE(refreshed) << refreshed.error();
    EXPECT_EQ(refreshed->token_type, "DPoP");
    EXPECT_FALSE((refreshed->access_token == done->tokens.access_token));
    EXPECT_FALSE((*refreshed->refresh_token == *done->tokens.refresh_token));
    EXPECT_TRUE(this->answered("/oauth/token 200"));
    auto r = this->accounts(c, *refreshed);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
}

// mTLS for client authentication and for the token binding.
TYPED_TEST(Fapi2Bank, MtlsForBoth) {
    const client c{this->metadata, client_auth::tls_client_auth("fapi2-mtls"), true, 256 * 1024};
    auto done =
        this->run(c, fapi2_security(local_bank::redirect_uri, fapi2_scope, this->bank_keys));
    ASSERT_TRUE(done) << done.error();
    EXPECT_TRUE(done->tokens.is_bearer());
    auto r = this->accounts(c, done->tokens);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    http::http_request other;
    other.url = boost::urls::url(this->bank.issuer + "/accounts");
    ASSERT_TRUE(authorize_resource_request(c, other, done->tokens, this->clock.now()));
    auto stolen = (*this->wrong_certificate)(other);
    ASSERT_TRUE(stolen);
    EXPECT_EQ(stolen->status, 401);
}

// Message Signing: a signed request object pushed, a JARM response, DPoP,
// and a signed introspection answer.
TYPED_TEST(Fapi2Bank, MessageSigning) {
    client c{this->metadata,
             client_auth::private_key_jwt(
                 "fapi2-signing", this->key("client-ec.key", algorithm::ES256, "client-ec")),
             false, 256 * 1024};
    c.dpop = std::make_shared<dpop_binding>(jose::generate_key(algorithm::ES256).value());
    auto done = this->run(
        c, fapi2_message_signing(local_bank::redirect_uri, fapi2_scope,
                                 this->key("client-rsa.key", algorithm::PS256, "client-rsa"),
                                 this->bank_keys));
    ASSERT_TRUE(done) << done.error();
    EXPECT_EQ(done->tokens.token_type, "DPoP");
    auto r = this->accounts(c, done->tokens);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);

    auto ir = make_introspection_request(c, done->tokens.access_token, "access_token",
                                         this->clock.now(), true);
    ASSERT_TRUE(ir);
    auto resp = (*this->transport)(*ir);
    ASSERT_TRUE(resp) << resp.error();
    introspection_options io;
    io.issuer_keys = &this->bank_keys;
    io.algorithms = jose::fapi2_algorithms;
    io.issuer = this->bank.issuer;
    io.client_id = "fapi2-signing";
    auto info = process_introspection_response(*resp, this->clock.now(), io);
    ASSERT_TRUE(info) << info.error();
    EXPECT_TRUE(info->active);
    EXPECT_EQ(info->token_type, "DPoP");
    EXPECT_EQ(info->claims["cnf"]["jkt"], c.dpop->thumbprint().value());
}

} // namespace
