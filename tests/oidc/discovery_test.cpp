#include <obauth/oidc/discovery.hpp>

#include <gtest/gtest.h>

namespace {

namespace oidc = obauth::oidc;
using oidc::metadata_kind;

std::string url(std::string_view issuer, metadata_kind k) {
    auto r = oidc::metadata_url(issuer, k);
    EXPECT_TRUE(r) << issuer << ": " << (r ? "" : r.error().to_string());
    return r ? std::string(r->buffer()) : std::string();
}

TEST(Discovery, OpenIdConfigurationIsAppendedToTheIssuer) {
    const auto k = metadata_kind::openid_configuration;
    EXPECT_EQ(url("https://as.example", k), "https://as.example/.well-known/openid-configuration");
    EXPECT_EQ(url("https://as.example/", k), "https://as.example/.well-known/openid-configuration");
    EXPECT_EQ(url("https://login.bank.example/realms/retail-ob", k),
              "https://login.bank.example/realms/retail-ob/.well-known/openid-configuration");
    EXPECT_EQ(url("https://as.example/tenant/", k),
              "https://as.example/tenant/.well-known/openid-configuration");
    EXPECT_EQ(url("https://as.example:8443/a%20b", k),
              "https://as.example:8443/a%20b/.well-known/openid-configuration");
}

TEST(Discovery, Rfc8414InsertsTheWellKnownSegmentBeforeThePath) {
    const auto k = metadata_kind::oauth_authorization_server;
    EXPECT_EQ(url("https://as.example/tenant", k),
              "https://as.example/.well-known/oauth-authorization-server/tenant");
    EXPECT_EQ(url("https://as.example", k),
              "https://as.example/.well-known/oauth-authorization-server");
    EXPECT_EQ(url("https://as.example/", k),
              "https://as.example/.well-known/oauth-authorization-server");
    EXPECT_EQ(url("https://auth.payments.example/tenants/7f3a/", k),
              "https://auth.payments.example/.well-known/oauth-authorization-server/tenants/7f3a");
}

TEST(Discovery, TheRequestIsAGetForJson) {
    auto r =
        oidc::make_discovery_request("https://as.example/t", metadata_kind::openid_configuration);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->method, obauth::http::http_method::get);
    EXPECT_EQ(r->url.buffer(), "https://as.example/t/.well-known/openid-configuration");
    ASSERT_NE(r->header("accept"), nullptr);
    EXPECT_EQ(*r->header("accept"), "application/json");
    EXPECT_TRUE(r->body.empty());
    EXPECT_FALSE(r->use_client_certificate);
}

TEST(Discovery, IssuerIdentifiersAreHttpsWithoutQueryOrFragment) {
    for (const char* bad :
         {"http://as.example", "https://as.example?tenant=1", "https://as.example#x", "as.example",
          "", "https://user@as.example", "https://127.0.0.1.evil.example"}) {
        auto r = oidc::make_discovery_request(bad, metadata_kind::openid_configuration);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, oidc::errc::invalid_issuer) << bad;
    }
    obauth::http::url_policy loop;
    loop.allow_http_loopback = true;
    auto local =
        oidc::metadata_url("http://127.0.0.1:3000", metadata_kind::openid_configuration, loop);
    ASSERT_TRUE(local);
    EXPECT_EQ(local->buffer(), "http://127.0.0.1:3000/.well-known/openid-configuration");
}

} // namespace
