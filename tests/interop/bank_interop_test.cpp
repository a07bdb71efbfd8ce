// obauth against a real authorization server: oidc-provider in FAPI 1.0
// Advanced mode (tests/interop/bank/server.mjs), over HTTPS with mutual TLS,
// through each transport adapter. The server is started and stopped by
// CTest fixtures (interop.bank.start / interop.bank.stop).
#include <obauth/oauth/authorization_code_flow.hpp>
#include <obauth/oauth/grant_flow.hpp>
#include <obauth/oauth/introspection.hpp>
#include <obauth/oauth/revocation.hpp>
#include <obauth/oauth/run.hpp>
#include <obauth/oidc/discovery.hpp>
#include <obauth/oidc/fapi.hpp>
#include <obauth/oidc/provider_metadata.hpp>

#include "adapters.hpp"
#include "bank_fixture.hpp"
#include "local_bank.hpp"

#include <gtest/gtest.h>

#include <boost/url/parse.hpp>

#include <string>

namespace {

using namespace obauth;
using namespace obauth::oauth;
using jose::algorithm;

/// The shared secret the bank derives for a client_secret_* client.
secret client_secret(const std::string& id) {
    return local_bank::secret_of(id);
}

template <class Transport>
class LocalBank : public test::bank_fixture<Transport> {
protected:
    using test::bank_fixture<Transport>::make;
    using test::bank_fixture<Transport>::key;
    using test::bank_fixture<Transport>::bank;
    using test::bank_fixture<Transport>::bank_keys;
    using test::bank_fixture<Transport>::transport;
    using test::bank_fixture<Transport>::clock;

    client fapi_jarm_client() const {
        return make(client_auth::private_key_jwt(
                        "fapi-jarm", key("client-rsa.key", algorithm::PS256, "client-rsa")),
                    true);
    }
    client fapi_hybrid_client() const {
        return make(client_auth::tls_client_auth("fapi-hybrid"), true);
    }

    result<flow_complete> fapi_flow(const client& c, const jose::jwk& request_key,
                                    response_protection p) {
        auto flow = authorization_code_flow::create(
            c, fapi1_advanced(local_bank::redirect_uri, {"openid", "accounts", "offline_access"},
                              request_key, bank_keys, p));
        if (!flow)
            return std::move(flow).error();
        local_bank::browser<Transport> user(*transport);
        return run_flow(*flow, *transport, user, clock);
    }

    /// GET /accounts with the access token, over `t`'s TLS identity.
    int call_accounts(const Transport& t, const secret& token) {
        http::http_request r;
        r.url = boost::urls::url(bank.issuer + "/accounts");
        r.headers.push_back(
            {"Authorization", http::authorization_value("Bearer", token.expose_secret_chars())});
        r.use_client_certificate = true;
        auto resp = t(r);
        EXPECT_TRUE(resp) << resp.error();
        return resp ? resp->status : 0;
    }

    std::string thumbprint() const {
        return certificate_thumbprint_from_pem(bank.certificate_pem().value()).value();
    }
};

TYPED_TEST_SUITE(LocalBank, test::adapters, test::adapter_name);

TYPED_TEST(LocalBank, DiscoveryShowsAFapiServer) {
    EXPECT_EQ(this->metadata.issuer, this->bank.issuer);
    EXPECT_TRUE(this->metadata.tls_client_certificate_bound_access_tokens);
    EXPECT_TRUE(this->metadata.endpoints.get(oidc::endpoint::pushed_authorization_request));
    EXPECT_TRUE(oidc::check_fapi1_advanced(this->metadata))
        << oidc::check_fapi1_advanced(this->metadata).error();
    EXPECT_EQ(
        this->bank_keys.find("bank-rsa", algorithm::PS256, jose::key_operation::verify).size(), 1u);
}

TYPED_TEST(LocalBank, ClientCredentialsWithEveryClientAuthenticationMethod) {
    struct case_ {
        const char* name;
        client_auth auth;
        bool bound;
    };
    std::vector<case_> cases;
    cases.push_back({"client_secret_basic",
                     client_auth::client_secret_basic("cc-basic", client_secret("cc-basic")),
                     false});
    cases.push_back({"client_secret_post",
                     client_auth::client_secret_post("cc-post", client_secret("cc-post")), false});
    cases.push_back({"client_secret_jwt",
                     client_auth::client_secret_jwt("cc-jwt", client_secret("cc-jwt")), false});
    cases.push_back(
        {"private_key_jwt",
         client_auth::private_key_jwt("cc-private-key",
                                      this->key("client-ec.key", algorithm::ES256, "client-ec")),
         false});
    cases.push_back({"tls_client_auth", client_auth::tls_client_auth("cc-mtls"), true});
    for (auto& c : cases) {
        SCOPED_TRACE(c.name);
        const client cl = this->make(std::move(c.auth), c.bound);
        auto flow = grant_flow::client_credentials(cl, {{"accounts"}});
        auto done = run_flow(flow, *this->transport, this->clock);
        ASSERT_TRUE(done) << done.error();
        EXPECT_TRUE(done->tokens.is_bearer());
        EXPECT_EQ(done->tokens.expires_in, std::chrono::seconds(300));
        EXPECT_EQ(this->call_accounts(*this->transport, done->tokens.access_token), 200);
        if (c.bound) { // the token is bound to the certificate it was issued to
            EXPECT_EQ(this->call_accounts(*this->wrong_certificate, done->tokens.access_token),
                      401);
        }
    }
}

TYPED_TEST(LocalBank, FapiFlowWithParJarPkceJarmAndBoundTokens) {
    const client c = this->fapi_jarm_client();
    auto done = this->fapi_flow(c, this->key("client-rsa.key", algorithm::PS256, "client-rsa"),
                                response_protection::jarm);
    ASSERT_TRUE(done) << done.error();
    ASSERT_TRUE(done->id_token);
    EXPECT_EQ(done->id_token->sub(), "user-1001");
    ASSERT_TRUE(done->tokens.refresh_token);
    EXPECT_EQ(this->call_accounts(*this->transport, done->tokens.access_token), 200);
    EXPECT_EQ(this->call_accounts(*this->wrong_certificate, done->tokens.access_token), 401);

    // Introspection, JSON: active, and bound to our certificate.
    auto ir =
        make_introspection_request(c, done->tokens.access_token, "access_token", this->clock.now());
    ASSERT_TRUE(ir);
    auto iresp = this->send(*ir);
    ASSERT_TRUE(iresp) << iresp.error();
    auto info = process_introspection_response(*iresp, this->clock.now());
    ASSERT_TRUE(info) << info.error();
    EXPECT_TRUE(info->active_at(this->clock.now()));
    EXPECT_EQ(info->client_id, "fapi-jarm");
    EXPECT_EQ(info->sub, "user-1001");
    EXPECT_TRUE(check_certificate_binding(info->claims, this->thumbprint()));

    // Introspection, RFC 9701 JWT, verified with the bank's keys.
    auto jr = make_introspection_request(c, done->tokens.access_token, "access_token",
                                         this->clock.now(), true);
    ASSERT_TRUE(jr);
    auto jresp = this->send(*jr);
    ASSERT_TRUE(jresp) << jresp.error();
    introspection_options io;
    io.issuer_keys = &this->bank_keys;
    io.issuer = this->bank.issuer;
    io.client_id = "fapi-jarm";
    auto jinfo = process_introspection_response(*jresp, this->clock.now(), io);
    ASSERT_TRUE(jinfo) << jinfo.error() << "\n" << jresp->body.substr(0, 400);
    EXPECT_TRUE(jinfo->active);

    // Refresh: a new pair, rotated; the old refresh token is then refused.
    auto rr = make_token_request(c, refresh_token_grant{done->tokens.refresh_token->clone(), {}},
                                 this->clock.now());
    ASSERT_TRUE(rr);
    auto rresp = this->send(*rr);
    ASSERT_TRUE(rresp) << rresp.error();
    auto refreshed = process_token_response(*rresp, this->clock.now());
    ASSERT_TRUE(refreshed) << refreshed.error();
    ASSERT_TRUE(refreshed->refresh_token);
    EXPECT_FALSE(*refreshed->refresh_token == *done->tokens.refresh_token);
    EXPECT_EQ(this->call_accounts(*this->transport, refreshed->access_token), 200);
    auto reuse = make_token_request(c, refresh_token_grant{done->tokens.refresh_token->clone(), {}},
                                    this->clock.now());
    auto reuse_resp = this->send(*reuse);
    ASSERT_TRUE(reuse_resp);
    EXPECT_EQ(process_token_response(*reuse_resp, this->clock.now()).error().code,
              errc::invalid_grant);

    // Revocation, then introspection says inactive.
    auto rv =
        make_revocation_request(c, refreshed->access_token, "access_token", this->clock.now());
    ASSERT_TRUE(rv);
    auto rvresp = this->send(*rv);
    ASSERT_TRUE(rvresp);
    EXPECT_TRUE(process_revocation_response(*rvresp, this->clock.now()));
    auto after =
        make_introspection_request(c, refreshed->access_token, "access_token", this->clock.now());
    auto after_resp = this->send(*after);
    ASSERT_TRUE(after_resp);
    auto gone = process_introspection_response(*after_resp, this->clock.now());
    ASSERT_TRUE(gone) << gone.error();
    EXPECT_FALSE(gone->active);
    EXPECT_EQ(this->call_accounts(*this->transport, refreshed->access_token), 401);
}

TYPED_TEST(LocalBank, HybridFlowWithTlsClientAuth) {
    const client c = this->fapi_hybrid_client();
    auto done = this->fapi_flow(c, this->key("client-ec.key", algorithm::ES256, "client-ec"),
                                response_protection::hybrid);
    ASSERT_TRUE(done) << done.error();
    ASSERT_TRUE(done->id_token);
    EXPECT_EQ(done->id_token->sub(), "user-1001");
    EXPECT_EQ(this->call_accounts(*this->transport, done->tokens.access_token), 200);
}

TYPED_TEST(LocalBank, PublicClientWithPkce) {
    client c = this->make(client_auth::none("public-app"), false);
    c.id_token_signed_response_alg = algorithm::PS256; // the bank's client default
    authorization_code_options o;
    o.redirect_uri = local_bank::redirect_uri;
    o.scope = {"openid", "accounts"};
    o.issuer_keys = this->bank_keys;
    auto flow = authorization_code_flow::create(c, std::move(o));
    ASSERT_TRUE(flow) << flow.error();
    local_bank::browser<TypeParam> user(*this->transport);
    auto done = run_flow(*flow, *this->transport, user, this->clock);
    ASSERT_TRUE(done) << done.error();
    EXPECT_EQ(this->call_accounts(*this->transport, done->tokens.access_token), 200);
}

TYPED_TEST(LocalBank, TheServerRefusesWhatFapiForbids) {
    // No PKCE: the authorization request without a code challenge.
    {
        client c = this->make(client_auth::none("public-app"), false);
        c.id_token_signed_response_alg = algorithm::PS256;
        authorization_code_options o;
        o.redirect_uri = local_bank::redirect_uri;
        o.scope = {"openid"};
        o.issuer_keys = this->bank_keys;
        auto flow = authorization_code_flow::create(c, std::move(o)).value();
        auto step = flow.start(this->clock.now());
        ASSERT_TRUE(step);
        boost::urls::url url = std::get<redirect_user>(*step).url;
        url.params().erase("code_challenge");
        url.params().erase("code_challenge_method");
        local_bank::browser<TypeParam> user(*this->transport);
        auto back = user(url);
        ASSERT_TRUE(back) << back.error();
        auto cb = boost::urls::parse_uri(*back).value();
        auto err = cb.params().find("error");
        ASSERT_NE(err, cb.params().end()) << *back;
        EXPECT_EQ((*err).value, "invalid_request");
    }
    // An RS256 client assertion from a client registered for PS256.
    {
        const client c = this->make(
            client_auth::private_key_jwt(
                "fapi-jarm", this->key("client-rsa.key", algorithm::RS256, "client-rsa")),
            true);
        auto req = make_token_request(
            c, refresh_token_grant{secret(bytes_view(std::string_view("anything"))), {}},
            this->clock.now());
        ASSERT_TRUE(req);
        auto resp = this->send(*req);
        ASSERT_TRUE(resp);
        EXPECT_EQ(process_token_response(*resp, this->clock.now()).error().code,
                  errc::invalid_client);
    }
    // tls_client_auth with someone else's certificate.
    {
        const client c = this->make(client_auth::tls_client_auth("cc-mtls"), true);
        auto flow = grant_flow::client_credentials(c, {{"accounts"}});
        auto done = run_flow(flow, *this->wrong_certificate, this->clock);
        ASSERT_FALSE(done);
        EXPECT_EQ(done.error().code, errc::invalid_client);
    }
    // A replayed authorization code.
    {
        const client c = this->fapi_hybrid_client();
        auto flow = authorization_code_flow::create(
                        c, fapi1_advanced(local_bank::redirect_uri, {"openid", "accounts"},
                                          this->key("client-ec.key", algorithm::ES256, "client-ec"),
                                          this->bank_keys, response_protection::hybrid))
                        .value();
        local_bank::browser<TypeParam> user(*this->transport);
        std::optional<http::http_request> token_request;
        auto recording = [&](const http::http_request& r) {
            if (r.body.find("grant_type=authorization_code") != std::string::npos)
                token_request = r;
            return this->send(r);
        };
        ASSERT_TRUE(run_flow(flow, recording, user, this->clock));
        ASSERT_TRUE(token_request);
        auto again = this->send(*token_request);
        ASSERT_TRUE(again);
        EXPECT_EQ(process_token_response(*again, this->clock.now()).error().code,
                  errc::invalid_grant);
    }
}

} // namespace
