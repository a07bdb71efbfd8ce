// obauth against a second, independent authorization server: Glewlwyd 2.7
// (Debian's package, written in C by other people), provisioned through its
// admin API by tests/interop/glewlwyd/ on https://127.0.0.1 with the
// fixture's PKI, through each transport adapter. Started and stopped by the
// CTest fixtures interop.glewlwyd.start / interop.glewlwyd.stop.
//
// Where Glewlwyd departs from a specification, the test pins obauth's
// refusal and names the section; the library has no server-specific
// leniency.
#include <obauth/oauth/authorization_code_flow.hpp>
#include <obauth/oauth/grant_flow.hpp>
#include <obauth/oauth/introspection.hpp>
#include <obauth/oauth/revocation.hpp>
#include <obauth/oauth/run.hpp>
#include <obauth/oauth/userinfo.hpp>
#include <obauth/oidc/discovery.hpp>
#include <obauth/oidc/provider_metadata.hpp>

#include "adapters.hpp"
#include "local_bank.hpp"

#include <gtest/gtest.h>

#include <boost/url/parse.hpp>

#include <string>
#include <vector>

namespace {

using namespace obauth;
using namespace obauth::oauth;
using jose::algorithm;

template <class Transport>
class Glewlwyd : public ::testing::Test {
protected:
    void SetUp() override {
        auto s = local_bank::find_bank(OBAUTH_GLEWLWYD_STATE_DIR);
        ASSERT_TRUE(s) << s.error();
        server = *s;
        auto t = Transport::create(server.transport_options());
        ASSERT_TRUE(t) << t.error();
        transport.emplace(std::move(*t));

        auto found = local_bank::discover(*transport, server.issuer);
        ASSERT_TRUE(found) << found.error();
        metadata = std::move(found->metadata);
        server_keys = std::move(found->keys);
    }

    result<http::http_response> send(const http::http_request& r) { return (*transport)(r); }

    /// A client as Glewlwyd has it registered: its ID tokens are signed with
    /// `id_token_alg` (the client's sign_kid), and its assertions name the
    /// endpoint they are sent to, the only audience Glewlwyd accepts.
    client make(client_auth auth, algorithm id_token_alg, bool bound = false) const {
        auth.assertion_audience_sources = {audience_source::endpoint_called};
        client c{metadata, std::move(auth), bound, 256 * 1024};
        c.id_token_signed_response_alg = id_token_alg;
        return c;
    }
    jose::jwk key(const char* file, algorithm alg, const char* kid) const {
        return server.key(file, alg, kid).value();
    }
    std::string thumbprint() const {
        return certificate_thumbprint_from_pem(server.certificate_pem().value()).value();
    }

    /// The user's side of the authorization, scripted through Glewlwyd's
    /// authentication API: the authorization endpoint sends the browser to
    /// its login page with a callback_url; the user logs in (POST
    /// /api/auth/), grants the scopes to the client (PUT /api/auth/grant/),
    /// and the login page would then return to callback_url with
    /// g_continue, from where the redirects lead to the client.
    struct user_agent {
        Glewlwyd* test;
        std::string client_id;

        result<std::string> operator()(const boost::urls::url& authorization_url) const {
            auto& t = *test->transport;
            http::http_request first;
            first.url = authorization_url;
            OBAUTH_TRY(http::http_response r, t(first));
            const auto* location = r.header("Location");
            if (r.status != 302 || location == nullptr)
                return fail("the authorization endpoint answered " + std::to_string(r.status));
            OBAUTH_TRY(boost::urls::url login, parse_location(*location));
            auto callback = login.params().find("callback_url");
            auto scope = login.params().find("scope");
            if (callback == login.params().end() || scope == login.params().end())
                return fail("no callback_url or scope in the login URL");
            local_bank::browser<Transport> browser(t);
            OBAUTH_TRY_VOID(test->login_and_grant(browser, client_id, (*scope).value));
            OBAUTH_TRY(boost::urls::url back, parse_location((*callback).value));
            back.params().append({"g_continue", boost::urls::no_value});
            return browser(back);
        }

        static error_info fail(std::string what) {
            return make_error(errc::invalid_response, std::move(what));
        }
        static result<boost::urls::url> parse_location(std::string_view s) {
            auto u = boost::urls::parse_absolute_uri(s);
            if (!u)
                return fail("not an absolute URL: " + std::string(s.substr(0, 200)));
            return boost::urls::url(*u);
        }
    };

    result<void> login_and_grant(local_bank::browser<Transport>& b, const std::string& client_id,
                                 const std::string& scope) {
        const std::string api = base() + "/api";
        http::http_request login;
        login.method = http::http_method::post;
        login.url = boost::urls::url(api + "/auth/");
        login.headers.push_back({"Content-Type", "application/json"});
        json creds = json(json::value_t::object);
        creds["username"] = "ada";
        creds["password"] =
            std::string(local_bank::secret_of("glewlwyd-user-ada").expose_secret_chars());
        login.body = creds.dump();
        OBAUTH_TRY(http::http_response r, send(login));
        if (r.status != 200)
            return make_error(errc::invalid_response, "login: HTTP " + std::to_string(r.status));
        for (const auto& f : r.headers)
            if (ascii_iequals(f.name, "Set-Cookie"))
                b.keep_cookie(f.value);
        http::http_request grant;
        grant.method = http::http_method::put;
        grant.url = boost::urls::url(api + "/auth/grant/" + client_id);
        grant.headers.push_back({"Content-Type", "application/json"});
        grant.headers.push_back({"Cookie", b.cookie_header()});
        grant.body = R"({"scope":")" + scope + R"("})";
        OBAUTH_TRY(http::http_response g, send(grant));
        if (g.status != 200)
            return make_error(errc::invalid_response, "grant: HTTP " + std::to_string(g.status));
        return {};
    }

    std::string base() const {
        return server.issuer.substr(0, server.issuer.size() - std::string("/api/oidc").size());
    }

    /// Authorization code + PKCE through the flow state machine.
    result<flow_complete> code_flow(const client& c, authorization_code_options o) {
        o.redirect_uri = local_bank::redirect_uri;
        o.scope = {"openid", "accounts"};
        o.issuer_keys = server_keys;
        OBAUTH_TRY(authorization_code_flow flow, authorization_code_flow::create(c, std::move(o)));
        user_agent user{this, c.auth.client_id()};
        return run_flow(flow, *transport, user, clock);
    }

    local_bank::bank server;
    std::optional<Transport> transport;
    oidc::provider_metadata metadata;
    jose::jwks server_keys;
    system_clock_source clock;
};

TYPED_TEST_SUITE(Glewlwyd, test::adapters, test::adapter_name);

TYPED_TEST(Glewlwyd, DiscoveryAndKeys) {
    EXPECT_EQ(this->metadata.issuer, this->server.issuer);
    for (const auto e : {oidc::endpoint::authorization, oidc::endpoint::token,
                         oidc::endpoint::userinfo, oidc::endpoint::pushed_authorization_request,
                         oidc::endpoint::introspection, oidc::endpoint::revocation})
        EXPECT_TRUE(this->metadata.endpoints.get(e)) << oidc::endpoint_name(e);
    using jose::key_operation;
    EXPECT_EQ(this->server_keys.find("gw-rs256", algorithm::RS256, key_operation::verify).size(),
              1u);
    EXPECT_EQ(this->server_keys.find("gw-ps256", algorithm::PS256, key_operation::verify).size(),
              1u);
    EXPECT_EQ(this->server_keys.find("gw-es256", algorithm::ES256, key_operation::verify).size(),
              1u);
}

TYPED_TEST(Glewlwyd, ClientCredentialsWithEveryClientAuthenticationMethod) {
    struct case_ {
        const char* name;
        client_auth auth;
        bool bound;
    };
    std::vector<case_> cases;
    const auto secret_for = [](const char* id) { return local_bank::secret_of(id); };
    cases.push_back({"client_secret_basic",
                     client_auth::client_secret_basic("gw-basic", secret_for("gw-basic")), false});
    cases.push_back({"client_secret_post",
                     client_auth::client_secret_post("gw-post", secret_for("gw-post")), false});
    cases.push_back({"client_secret_jwt",
                     client_auth::client_secret_jwt("gw-jwt", secret_for("gw-jwt")), false});
    cases.push_back(
        {"private_key_jwt PS256",
         client_auth::private_key_jwt("gw-private-key",
                                      this->key("client-rsa.key", algorithm::PS256, "client-rsa")),
         false});
    cases.push_back(
        {"private_key_jwt ES256",
         client_auth::private_key_jwt("gw-private-key",
                                      this->key("client-ec.key", algorithm::ES256, "client-ec")),
         false});
    cases.push_back({"tls_client_auth", client_auth::tls_client_auth("gw-mtls"), true});
    for (auto& c : cases) {
        SCOPED_TRACE(c.name);
        const client cl = this->make(std::move(c.auth), algorithm::RS256, c.bound);
        auto flow = grant_flow::client_credentials(cl, {{"accounts"}});
        auto done = run_flow(flow, *this->transport, this->clock);
        ASSERT_TRUE(done) << done.error();
        EXPECT_TRUE(done->tokens.is_bearer());
        // Glewlwyd's access tokens are RFC 9068 JWTs; a bound one names our
        // certificate (RFC 8705 §3.1).
        jose::jws_verify_options vo;
        vo.algorithms = {algorithm::RS256, algorithm::ES256, algorithm::PS256};
        jose::jwt_validation p;
        p.typ = "at+jwt";
        p.issuer = this->server.issuer;
        p.audiences = {"accounts"};
        auto at = jose::verify_jwt(done->tokens.access_token.expose_secret_chars(),
                                   this->server_keys, vo, p, this->clock.now());
        ASSERT_TRUE(at) << at.error();
        EXPECT_EQ(at->claims().value("client_id", ""), cl.auth.client_id());
        if (c.bound) {
            EXPECT_TRUE(check_certificate_binding(at->claims(), this->thumbprint()));
        }
    }
}

// RFC 9126 §2 and FAPI 2.0 name the issuer as a client assertion's audience;
// Glewlwyd accepts only the URL of the endpoint called (RFC 7523 §3 allows
// it). With obauth's default (the issuer) it refuses the client -- with a
// 403 and an empty body where RFC 6749 §5.2 asks for 400 (or 401) and a
// JSON invalid_client: obauth reports the status, it does not guess.
TYPED_TEST(Glewlwyd, AssertionAudienceIssuerIsRefusedByGlewlwyd) {
    client c =
        this->make(client_auth::private_key_jwt(
                       "gw-private-key", this->key("client-ec.key", algorithm::ES256, "client-ec")),
                   algorithm::PS256);
    c.auth.assertion_audience_sources = {audience_source::issuer};
    auto flow = grant_flow::client_credentials(c, {{"accounts"}});
    auto done = run_flow(flow, *this->transport, this->clock);
    ASSERT_FALSE(done);
    EXPECT_EQ(done.error().code, errc::http_forbidden) << done.error();
}

TYPED_TEST(Glewlwyd, AuthorizationCodeWithPkceForPublicSecretAndPrivateKeyClients) {
    struct case_ {
        const char* name;
        client_auth auth;
        algorithm id_token_alg;
    };
    std::vector<case_> cases;
    cases.push_back({"public", client_auth::none("gw-public"), algorithm::ES256});
    cases.push_back(
        {"client_secret_basic",
         client_auth::client_secret_basic("gw-basic", local_bank::secret_of("gw-basic")),
         algorithm::RS256});
    cases.push_back(
        {"private_key_jwt",
         client_auth::private_key_jwt("gw-private-key",
                                      this->key("client-rsa.key", algorithm::PS256, "client-rsa")),
         algorithm::PS256});
    for (auto& c : cases) {
        SCOPED_TRACE(c.name);
        const client cl = this->make(std::move(c.auth), c.id_token_alg);
        auto done = this->code_flow(cl, {});
        ASSERT_TRUE(done) << done.error();
        ASSERT_TRUE(done->id_token);
        EXPECT_EQ(done->id_token->alg(), c.id_token_alg);
        EXPECT_EQ(done->id_token->sub().empty(), false);
        // Glewlwyd puts c_hash (and at_hash) into the token endpoint's ID
        // token: the flow checked them against its code and access token.
        EXPECT_TRUE(done->id_token->claims().contains("c_hash"));
        ASSERT_TRUE(done->tokens.refresh_token);

        // UserInfo: the same subject.
        auto ur = make_userinfo_request(cl, done->tokens.access_token);
        ASSERT_TRUE(ur);
        auto uresp = this->send(*ur);
        ASSERT_TRUE(uresp) << uresp.error();
        userinfo_options uo;
        uo.expected_sub = std::string(done->id_token->sub());
        auto info = process_userinfo_response(*uresp, this->clock.now(), uo);
        ASSERT_TRUE(info) << info.error() << "\n" << uresp->body.substr(0, 300);

        // Refresh: a new access token.
        auto rr = make_token_request(
            cl, refresh_token_grant{done->tokens.refresh_token->clone(), {}}, this->clock.now());
        ASSERT_TRUE(rr) << rr.error();
        auto rresp = this->send(*rr);
        ASSERT_TRUE(rresp) << rresp.error();
        auto refreshed = process_token_response(*rresp, this->clock.now());
        ASSERT_TRUE(refreshed) << refreshed.error();
        EXPECT_FALSE(refreshed->access_token == done->tokens.access_token);
    }
}

TYPED_TEST(Glewlwyd, ParWithASignedRequestObject) {
    const jose::jwk key = this->key("client-ec.key", algorithm::ES256, "client-ec");
    const client c =
        this->make(client_auth::private_key_jwt("gw-private-key", key), algorithm::PS256);
    authorization_code_options o;
    o.use_par = true;
    o.request_object_key = key;
    auto done = this->code_flow(c, std::move(o));
    ASSERT_TRUE(done) << done.error();
    ASSERT_TRUE(done->id_token);
    EXPECT_EQ(done->id_token->alg(), algorithm::PS256);
}

TYPED_TEST(Glewlwyd, IntrospectionAndRevocation) {
    const client c =
        this->make(client_auth::client_secret_basic("gw-basic", local_bank::secret_of("gw-basic")),
                   algorithm::RS256);
    auto flow = grant_flow::client_credentials(c, {{"accounts"}});
    auto done = run_flow(flow, *this->transport, this->clock);
    ASSERT_TRUE(done) << done.error();
    const secret& token = done->tokens.access_token;
    const auto introspect = [&](bool as_jwt, const introspection_options& io) {
        auto ir = make_introspection_request(c, token, "access_token", this->clock.now(), as_jwt);
        EXPECT_TRUE(ir) << ir.error();
        auto resp = this->send(*ir);
        EXPECT_TRUE(resp) << resp.error();
        return process_introspection_response(*resp, this->clock.now(), io);
    };
    auto info = introspect(false, {});
    ASSERT_TRUE(info) << info.error();
    EXPECT_TRUE(info->active_at(this->clock.now()));
    EXPECT_EQ(info->client_id, "gw-basic");

    // RFC 9701 §5: the signed answer's aud is the client that asked.
    // Glewlwyd names the token's audience ("accounts") instead; obauth
    // refuses the answer rather than accept a JWT made for someone else.
    introspection_options io;
    io.issuer_keys = &this->server_keys;
    io.algorithms = {algorithm::RS256};
    io.issuer = this->server.issuer;
    io.client_id = "gw-basic";
    auto signed_info = introspect(true, io);
    ASSERT_FALSE(signed_info);
    EXPECT_NE(signed_info.error().to_string().find("aud 'accounts'"), std::string::npos)
        << signed_info.error();

    // Revocation (RFC 7009), then introspection says inactive.
    auto rv = make_revocation_request(c, token, "access_token", this->clock.now());
    ASSERT_TRUE(rv) << rv.error();
    auto rvresp = this->send(*rv);
    ASSERT_TRUE(rvresp) << rvresp.error();
    EXPECT_TRUE(process_revocation_response(*rvresp, this->clock.now()));
    auto gone = introspect(false, {});
    ASSERT_TRUE(gone) << gone.error();
    EXPECT_FALSE(gone->active);
}

// OpenID Connect Core §3.3.2.5: the hybrid flow's response comes in the
// fragment (the default response mode of "code id_token"). Glewlwyd puts
// it in the query, where an ID token and code may leak to logs and Referer
// headers; obauth refuses the callback.
TYPED_TEST(Glewlwyd, HybridResponseInTheQueryIsRefused) {
    const client c =
        this->make(client_auth::private_key_jwt(
                       "gw-private-key", this->key("client-ec.key", algorithm::ES256, "client-ec")),
                   algorithm::PS256);
    authorization_code_options o;
    o.protection = response_protection::hybrid;
    auto done = this->code_flow(c, std::move(o));
    ASSERT_FALSE(done);
    EXPECT_EQ(done.error().code, errc::invalid_callback) << done.error();
    EXPECT_NE(done.error().detail.find("in the query"), std::string::npos) << done.error();
}

// JARM on the authorization URL: a signed response, verified.
TYPED_TEST(Glewlwyd, JarmOnTheAuthorizationUrl) {
    const jose::jwk key = this->key("client-ec.key", algorithm::ES256, "client-ec");
    client c = this->make(client_auth::private_key_jwt("gw-private-key", key), algorithm::PS256);
    c.authorization_signed_response_alg = algorithm::PS256;
    authorization_code_options o;
    o.protection = response_protection::jarm;
    auto done = this->code_flow(c, std::move(o));
    ASSERT_TRUE(done) << done.error();
    EXPECT_TRUE(done->id_token);
}

// JARM (response_mode=jwt) requested through PAR: Glewlwyd keeps the mode
// given on the authorization URL and drops the one in the pushed request
// (RFC 9126 §4: the pushed parameters are the request). The answer comes
// back unsigned in the query, and obauth refuses it.
TYPED_TEST(Glewlwyd, JarmThroughParIsDroppedAndRefused) {
    const jose::jwk key = this->key("client-ec.key", algorithm::ES256, "client-ec");
    client c = this->make(client_auth::private_key_jwt("gw-private-key", key), algorithm::PS256);
    c.authorization_signed_response_alg = algorithm::PS256;
    authorization_code_options o;
    o.use_par = true;
    o.protection = response_protection::jarm;
    auto done = this->code_flow(c, std::move(o));
    ASSERT_FALSE(done);
    EXPECT_EQ(done.error().code, errc::jarm_invalid) << done.error();
    EXPECT_NE(done.error().detail.find("unsigned"), std::string::npos) << done.error();
}

} // namespace
