#include <obauth/oidc/provider_metadata.hpp>

#include "support/test_data.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

namespace oidc = obauth::oidc;
namespace http = obauth::http;
using obauth::json;
using oidc::endpoint;
using oidc::errc;
using oidc::metadata_kind;

const char* const realm_issuer = "https://login.bank.example/realms/retail-ob";
const char* const bank_issuer = "https://auth.hamsterbank.example";
const char* const tenant_issuer = "https://auth.payments.example/tenants/7f3a";

oidc::metadata_options options(std::string expected_issuer,
                               metadata_kind kind = metadata_kind::openid_configuration) {
    oidc::metadata_options o;
    o.expected_issuer = std::move(expected_issuer);
    o.kind = kind;
    return o;
}

obauth::result<oidc::provider_metadata> parse(const json& doc, const oidc::metadata_options& o) {
    return oidc::parse_provider_metadata(doc.dump(), o);
}

std::string url(const std::optional<boost::urls::url>& u) {
    return u ? std::string(u->buffer()) : std::string("(none)");
}

TEST(ProviderMetadata, MultiTenantRealmWithPathIssuer) {
    const std::string text = obauth::test::read_data_file("oidc/realm_openid_configuration.json");
    auto md = oidc::parse_provider_metadata(text, options(realm_issuer));
    ASSERT_TRUE(md) << md.error().to_string();
    EXPECT_EQ(md->issuer, realm_issuer);
    EXPECT_EQ(url(md->endpoints.token),
              "https://login.bank.example/realms/retail-ob/protocol/openid-connect/token");
    EXPECT_EQ(url(md->endpoints.backchannel_authentication),
              "https://login.bank.example/realms/retail-ob/protocol/openid-connect/ext/ciba/auth");
    EXPECT_EQ(url(md->endpoints.device_authorization),
              "https://login.bank.example/realms/retail-ob/protocol/openid-connect/auth/device");
    EXPECT_EQ(url(md->endpoints.end_session),
              "https://login.bank.example/realms/retail-ob/protocol/openid-connect/logout");
    EXPECT_EQ(url(md->jwks_uri),
              "https://login.bank.example/realms/retail-ob/protocol/openid-connect/certs");
    EXPECT_EQ(md->grant_types_supported.size(), 6u);
    EXPECT_TRUE(oidc::provider_metadata::contains(md->response_modes_supported, "jwt"));
    EXPECT_EQ(md->code_challenge_methods_supported, (std::vector<std::string>{"plain", "S256"}));
    EXPECT_EQ(md->acr_values_supported.front(), "urn:openbanking:psd2:sca");
    EXPECT_TRUE(md->claims_parameter_supported);
    EXPECT_TRUE(md->require_request_uri_registration);
    EXPECT_FALSE(md->require_pushed_authorization_requests);
    EXPECT_TRUE(md->authorization_response_iss_parameter_supported);
    // Members obauth does not model are kept as received.
    EXPECT_EQ(md->other.at("check_session_iframe"),
              "https://login.bank.example/realms/retail-ob/protocol/openid-connect/"
              "login-status-iframe.html");
    EXPECT_EQ(md->other.at("backchannel_token_delivery_modes_supported").size(), 2u);
    EXPECT_EQ(md->other.at("frontchannel_logout_supported"), true);
    EXPECT_FALSE(md->other.contains("token_endpoint"));
    EXPECT_FALSE(md->other.contains("issuer"));
}

TEST(ProviderMetadata, Rfc8414OnlyServer) {
    const std::string text = obauth::test::read_data_file("oidc/rfc8414_authorization_server.json");
    auto md = oidc::parse_provider_metadata(
        text, options(tenant_issuer, metadata_kind::oauth_authorization_server));
    ASSERT_TRUE(md) << md.error().to_string();
    EXPECT_EQ(url(md->endpoints.introspection),
              "https://auth.payments.example/tenants/7f3a/oauth2/introspect");
    EXPECT_FALSE(md->endpoints.userinfo);
    EXPECT_TRUE(md->id_token_signing_alg_values_supported.empty());
    // Absent members with a default take it.
    EXPECT_EQ(md->response_modes_supported, (std::vector<std::string>{"query", "fragment"}));
    EXPECT_TRUE(md->request_uri_parameter_supported);
    EXPECT_FALSE(md->request_parameter_supported);
    EXPECT_EQ(md->other.at("service_documentation"), "https://docs.payments.example/oauth");
    // As an OpenID Provider it lacks what Discovery requires.
    auto as_oidc = oidc::parse_provider_metadata(text, options(tenant_issuer));
    ASSERT_FALSE(as_oidc);
    EXPECT_EQ(as_oidc.error().code, errc::metadata_missing_member);
    EXPECT_NE(as_oidc.error().detail.find("subject_types_supported"), std::string::npos);
}

TEST(ProviderMetadata, MtlsAliases) {
    const std::string text = obauth::test::read_data_file("oidc/fapi_mtls_aliases.json");
    auto md = oidc::parse_provider_metadata(text, options(bank_issuer));
    ASSERT_TRUE(md) << md.error().to_string();
    EXPECT_EQ(url(md->mtls_endpoint_aliases.token),
              "https://mtls.auth.hamsterbank.example/as/token");
    EXPECT_EQ(url(md->mtls_endpoint_aliases.pushed_authorization_request),
              "https://mtls.auth.hamsterbank.example/as/par");
    EXPECT_FALSE(md->mtls_endpoint_aliases.authorization);
    ASSERT_EQ(md->other_mtls_endpoint_aliases.size(), 1u);
    EXPECT_EQ(md->other_mtls_endpoint_aliases[0].first, "x_consent_endpoint");
    EXPECT_TRUE(md->require_pushed_authorization_requests);
    EXPECT_TRUE(md->require_signed_request_object);
    EXPECT_TRUE(md->tls_client_certificate_bound_access_tokens);
    EXPECT_EQ(md->dpop_signing_alg_values_supported.size(), 2u);
    EXPECT_EQ(md->introspection_signing_alg_values_supported.size(), 2u);

    using oidc::client_certificate;
    auto with_cert = oidc::select_endpoint(*md, endpoint::token, client_certificate::used);
    ASSERT_TRUE(with_cert);
    EXPECT_EQ(with_cert->buffer(), "https://mtls.auth.hamsterbank.example/as/token");
    auto without = oidc::select_endpoint(*md, endpoint::token, client_certificate::not_used);
    EXPECT_EQ(without->buffer(), "https://auth.hamsterbank.example/as/token");
    // No alias: the regular endpoint, certificate or not.
    auto authz = oidc::select_endpoint(*md, endpoint::authorization, client_certificate::used);
    EXPECT_EQ(authz->buffer(), "https://auth.hamsterbank.example/as/authorize");
    auto none =
        oidc::select_endpoint(*md, endpoint::device_authorization, client_certificate::used);
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, errc::endpoint_not_advertised);
    EXPECT_NE(none.error().detail.find("device_authorization_endpoint"), std::string::npos);
}

TEST(ProviderMetadata, EndpointNamesMatchTheTable) {
    EXPECT_STREQ(oidc::endpoint_name(endpoint::authorization), "authorization_endpoint");
    EXPECT_STREQ(oidc::endpoint_name(endpoint::backchannel_authentication),
                 "backchannel_authentication_endpoint");
    oidc::endpoint_urls u;
    u.get(endpoint::revocation) = boost::urls::url("https://as.example/revoke");
    EXPECT_EQ(url(u.revocation), "https://as.example/revoke");
}

// Each rule broken on its own, starting from a valid document.
struct broken_rule {
    const char* what;
    void (*mutate)(json&);
    std::error_code expected;
};

TEST(ProviderMetadata, EveryRuleBrokenOnItsOwn) {
    const json valid = obauth::test::load_json("oidc/fapi_mtls_aliases.json");
    ASSERT_TRUE(parse(valid, options(bank_issuer)));
    const broken_rule cases[] = {
        {"issuer missing", [](json& d) { d.erase("issuer"); }, errc::metadata_missing_member},
        {"issuer not a string", [](json& d) { d["issuer"] = 1; }, errc::metadata_invalid},
        {"issuer with a trailing slash",
         [](json& d) { d["issuer"] = "https://auth.hamsterbank.example/"; },
         errc::metadata_issuer_mismatch},
        {"issuer in upper case", [](json& d) { d["issuer"] = "https://AUTH.hamsterbank.example"; },
         errc::metadata_issuer_mismatch},
        {"another issuer", [](json& d) { d["issuer"] = "https://evil.example"; },
         errc::metadata_issuer_mismatch},
        {"plain http endpoint",
         [](json& d) { d["token_endpoint"] = "http://auth.hamsterbank.example/as/token"; },
         errc::metadata_invalid_url},
        {"relative endpoint", [](json& d) { d["token_endpoint"] = "/as/token"; },
         errc::metadata_invalid_url},
        {"endpoint with a fragment",
         [](json& d) { d["authorization_endpoint"] = "https://auth.hamsterbank.example/a#x"; },
         errc::metadata_invalid_url},
        {"endpoint with user-info",
         [](json& d) { d["revocation_endpoint"] = "https://u:p@auth.hamsterbank.example/r"; },
         errc::metadata_invalid_url},
        {"endpoint not a string",
         [](json& d) { d["userinfo_endpoint"] = json::array({"https://a.example"}); },
         errc::metadata_invalid},
        {"jwks_uri http", [](json& d) { d["jwks_uri"] = "http://keys.hamsterbank.example/j"; },
         errc::metadata_invalid_url},
        {"jwks_uri null", [](json& d) { d["jwks_uri"] = nullptr; }, errc::metadata_invalid},
        {"list not an array", [](json& d) { d["scopes_supported"] = "openid accounts"; },
         errc::metadata_invalid},
        {"list with a number", [](json& d) { d["grant_types_supported"].push_back(7); },
         errc::metadata_invalid},
        {"flag as a string",
         [](json& d) { d["tls_client_certificate_bound_access_tokens"] = "true"; },
         errc::metadata_invalid},
        {"flag as a number", [](json& d) { d["require_pushed_authorization_requests"] = 1; },
         errc::metadata_invalid},
        {"aliases not an object", [](json& d) { d["mtls_endpoint_aliases"] = json::array(); },
         errc::metadata_invalid},
        {"alias http",
         [](json& d) {
             d["mtls_endpoint_aliases"]["token_endpoint"] = "http://mtls.hamsterbank.example/t";
         },
         errc::metadata_invalid_url},
        {"alias not a string",
         [](json& d) { d["mtls_endpoint_aliases"]["revocation_endpoint"] = 3; },
         errc::metadata_invalid},
        {"response_types_supported missing", [](json& d) { d.erase("response_types_supported"); },
         errc::metadata_missing_member},
        {"authorization_endpoint missing", [](json& d) { d.erase("authorization_endpoint"); },
         errc::metadata_missing_member},
        {"token_endpoint missing", [](json& d) { d.erase("token_endpoint"); },
         errc::metadata_missing_member},
        {"jwks_uri missing", [](json& d) { d.erase("jwks_uri"); }, errc::metadata_missing_member},
        {"subject_types_supported missing", [](json& d) { d.erase("subject_types_supported"); },
         errc::metadata_missing_member},
        {"id_token_signing_alg_values_supported missing",
         [](json& d) { d.erase("id_token_signing_alg_values_supported"); },
         errc::metadata_missing_member},
    };
    for (const auto& c : cases) {
        json doc = valid;
        c.mutate(doc);
        auto r = parse(doc, options(bank_issuer));
        ASSERT_FALSE(r) << c.what;
        EXPECT_EQ(r.error().code, c.expected) << c.what << ": " << r.error().to_string();
    }
}

// URL members are not echoed (a URL may carry a secret in its query); the
// issuer, a public identifier, is named beside the expected one.
TEST(ProviderMetadata, ErrorsNameTheMemberAndTheIssuerButNoUrl) {
    json doc = obauth::test::load_json("oidc/fapi_mtls_aliases.json");
    doc["token_endpoint"] = "http://auth.hamsterbank.example/as/token?secret=hunter2";
    auto r = parse(doc, options(bank_issuer));
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().detail.find("token_endpoint"), std::string::npos);
    EXPECT_EQ(r.error().detail.find("hunter2"), std::string::npos);
    doc = obauth::test::load_json("oidc/fapi_mtls_aliases.json");
    doc["issuer"] = "https://evil.example/tenant";
    auto m = parse(doc, options(bank_issuer));
    EXPECT_EQ(m.error().detail,
              "issuer 'https://evil.example/tenant', expected 'https://auth.hamsterbank.example'");
}

TEST(ProviderMetadata, RequiredEndpointsFollowTheGrantTypes) {
    json doc = obauth::test::load_json("oidc/rfc8414_authorization_server.json");
    const auto as = options(tenant_issuer, metadata_kind::oauth_authorization_server);
    // Only client credentials: no authorization endpoint needed (RFC 8414 §2).
    doc["grant_types_supported"] = {"client_credentials"};
    doc.erase("authorization_endpoint");
    EXPECT_TRUE(parse(doc, as));
    doc.erase("token_endpoint");
    EXPECT_EQ(parse(doc, as).error().code, errc::metadata_missing_member);
    // Only implicit: no token endpoint needed, the authorization endpoint is.
    doc["grant_types_supported"] = {"implicit"};
    EXPECT_EQ(parse(doc, as).error().code, errc::metadata_missing_member);
    doc["authorization_endpoint"] = "https://auth.payments.example/tenants/7f3a/oauth2/authorize";
    EXPECT_TRUE(parse(doc, as));
    // grant_types_supported absent means authorization_code and implicit.
    doc.erase("grant_types_supported");
    EXPECT_EQ(parse(doc, as).error().code, errc::metadata_missing_member);
}

TEST(ProviderMetadata, LoopbackHttpOnlyWhenAllowed) {
    json doc = {{"issuer", "http://127.0.0.1:3000"},
                {"authorization_endpoint", "http://127.0.0.1:3000/auth"},
                {"token_endpoint", "http://127.0.0.1:3000/token"},
                {"jwks_uri", "http://127.0.0.1:3000/jwks"},
                {"response_types_supported", {"code"}},
                {"subject_types_supported", {"public"}},
                {"id_token_signing_alg_values_supported", {"PS256"}}};
    auto o = options("http://127.0.0.1:3000");
    EXPECT_EQ(parse(doc, o).error().code, errc::invalid_issuer);
    o.urls.allow_http_loopback = true;
    EXPECT_TRUE(parse(doc, o));
    doc["token_endpoint"] = "http://10.1.1.1/token";
    EXPECT_EQ(parse(doc, o).error().code, errc::metadata_invalid_url);
}

TEST(ProviderMetadata, HostileDocuments) {
    const auto o = options(bank_issuer);
    auto error_of = [&](std::string_view text) {
        auto r = oidc::parse_provider_metadata(text, o);
        EXPECT_FALSE(r) << text.substr(0, 80);
        return r ? std::error_code() : r.error().code;
    };
    EXPECT_EQ(error_of(""), errc::metadata_invalid);
    EXPECT_EQ(error_of("[]"), errc::metadata_invalid);
    EXPECT_EQ(
        error_of("{\"issuer\":\"https://auth.hamsterbank.example\",\"issuer\":\"https://evil\"}"),
        errc::metadata_invalid);
    EXPECT_EQ(error_of(std::string(300 * 1024, ' ') + "{}"), errc::metadata_invalid);
    EXPECT_EQ(error_of("{\"x\":" + std::string(100, '[') + std::string(100, ']') + "}"),
              errc::metadata_invalid);
    EXPECT_EQ(error_of("{\"issuer\":\"https://auth.hamsterbank.example\xff\"}"),
              errc::metadata_invalid);
    std::string many = "{\"issuer\":\"https://auth.hamsterbank.example\",\"scopes_supported\":[";
    for (int i = 0; i < 20000; ++i)
        many += "1,";
    many += "1]}";
    EXPECT_EQ(error_of(many), errc::metadata_invalid);
}

TEST(ProviderMetadata, ProcessingTheHttpResponse) {
    const std::string body = obauth::test::read_data_file("oidc/fapi_mtls_aliases.json");
    const auto o = options(bank_issuer);
    http::http_response ok{200, {{"Content-Type", "application/json; charset=utf-8"}}, body};
    EXPECT_TRUE(oidc::process_discovery_response(ok, o));
    http::http_response missing{404, {{"Content-Type", "application/json"}}, "{}"};
    EXPECT_EQ(oidc::process_discovery_response(missing, o).error().code,
              http::errc::unexpected_status);
    http::http_response html{200, {{"Content-Type", "text/html"}}, body};
    EXPECT_EQ(oidc::process_discovery_response(html, o).error().code,
              http::errc::unexpected_content_type);
    auto small = o;
    small.limits.max_bytes = 1024;
    EXPECT_EQ(oidc::process_discovery_response(ok, small).error().code, http::errc::body_too_large);
}

} // namespace
