#include <obauth/oidc/fapi.hpp>

#include "support/test_data.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace {

namespace oidc = obauth::oidc;
using obauth::json;

oidc::provider_metadata load(const char* file, const char* issuer,
                             oidc::metadata_kind kind = oidc::metadata_kind::openid_configuration) {
    oidc::metadata_options o;
    o.expected_issuer = issuer;
    o.kind = kind;
    return oidc::parse_provider_metadata(obauth::test::read_data_file(file), o).value();
}

std::set<std::string> members(const std::vector<oidc::metadata_problem>& p) {
    std::set<std::string> m;
    for (const auto& x : p)
        m.insert(x.member);
    return m;
}

TEST(Fapi, ACompliantProviderPasses) {
    const auto md = load("oidc/fapi_mtls_aliases.json", "https://auth.hamsterbank.example");
    EXPECT_TRUE(oidc::fapi1_advanced_problems(md).empty());
    EXPECT_TRUE(oidc::check_fapi1_advanced(md));
    // Keycloak-style realm: supports everything FAPI needs among much else.
    const auto realm =
        load("oidc/realm_openid_configuration.json", "https://login.bank.example/realms/retail-ob");
    EXPECT_TRUE(oidc::fapi1_advanced_problems(realm).empty());
}

TEST(Fapi, EveryProblemIsListedNotJustTheFirst) {
    const auto md =
        load("oidc/rfc8414_authorization_server.json", "https://auth.payments.example/tenants/7f3a",
             oidc::metadata_kind::oauth_authorization_server);
    const auto problems = oidc::fapi1_advanced_problems(md);
    EXPECT_EQ(
        members(problems),
        (std::set<std::string>{
            "pushed_authorization_request_endpoint", "response_types_supported",
            "id_token_signing_alg_values_supported", "request_object_signing_alg_values_supported",
            "request_parameter_supported", "tls_client_certificate_bound_access_tokens"}));
    auto r = oidc::check_fapi1_advanced(md);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, oidc::errc::fapi_noncompliant);
    for (const auto& p : problems)
        EXPECT_NE(r.error().detail.find(p.member), std::string::npos) << p.member;
}

/// One metadata member broken on an otherwise good document.
struct rule {
    const char* member;
    void (*mutate)(oidc::provider_metadata&);
};

/// Each rule on its own: `problems` names exactly its member.
template <std::size_t N, class Check>
void expect_each_rule_alone(const rule (&rules)[N], Check problems) {
    const auto good = load("oidc/fapi_mtls_aliases.json", "https://auth.hamsterbank.example");
    for (const auto& r : rules) {
        auto md = good;
        r.mutate(md);
        EXPECT_EQ(members(problems(md)), std::set<std::string>{r.member}) << r.member;
    }
}

TEST(Fapi, EachRuleOnItsOwn) {
    const rule rules[] = {
        {"jwks_uri", [](oidc::provider_metadata& m) { m.jwks_uri.reset(); }},
        {"pushed_authorization_request_endpoint",
         [](oidc::provider_metadata& m) { m.endpoints.pushed_authorization_request.reset(); }},
        {"grant_types_supported",
         [](oidc::provider_metadata& m) { m.grant_types_supported = {"client_credentials"}; }},
        {"code_challenge_methods_supported",
         [](oidc::provider_metadata& m) { m.code_challenge_methods_supported = {"plain"}; }},
        {"response_types_supported",
         [](oidc::provider_metadata& m) {
             m.response_types_supported = {"id_token", "code token"};
         }},
        {"id_token_signing_alg_values_supported",
         [](oidc::provider_metadata& m) { m.id_token_signing_alg_values_supported = {"RS256"}; }},
        {"request_object_signing_alg_values_supported",
         [](oidc::provider_metadata& m) {
             m.request_object_signing_alg_values_supported = {"RS256", "none"};
         }},
        {"token_endpoint_auth_methods_supported",
         [](oidc::provider_metadata& m) {
             m.token_endpoint_auth_methods_supported = {"client_secret_basic"};
         }},
        {"token_endpoint_auth_signing_alg_values_supported",
         [](oidc::provider_metadata& m) {
             m.token_endpoint_auth_signing_alg_values_supported = {"RS256"};
         }},
        {"tls_client_certificate_bound_access_tokens",
         [](oidc::provider_metadata& m) { m.tls_client_certificate_bound_access_tokens = false; }},
    };
    expect_each_rule_alone(rules, oidc::fapi1_advanced_problems);
}

TEST(Fapi, JarmWithoutHybridNeedsAFapiAlgorithmForResponses) {
    auto md = load("oidc/fapi_mtls_aliases.json", "https://auth.hamsterbank.example");
    md.response_types_supported = {"code"};
    EXPECT_TRUE(oidc::fapi1_advanced_problems(md).empty());
    md.authorization_signing_alg_values_supported = {"RS256"};
    EXPECT_EQ(members(oidc::fapi1_advanced_problems(md)),
              std::set<std::string>{"authorization_signing_alg_values_supported"});
    md.response_modes_supported = {"query"}; // no JARM, no hybrid
    EXPECT_EQ(members(oidc::fapi1_advanced_problems(md)),
              std::set<std::string>{"response_types_supported"});
}

TEST(Fapi, MutualTlsClientAuthenticationAloneIsEnough) {
    auto md = load("oidc/fapi_mtls_aliases.json", "https://auth.hamsterbank.example");
    md.token_endpoint_auth_methods_supported = {"tls_client_auth"};
    md.token_endpoint_auth_signing_alg_values_supported.clear();
    EXPECT_TRUE(oidc::fapi1_advanced_problems(md).empty());
}

TEST(Fapi2, ACompliantProviderPassesBothProfiles) {
    const auto md = load("oidc/fapi_mtls_aliases.json", "https://auth.hamsterbank.example");
    EXPECT_TRUE(oidc::fapi2_security_problems(md).empty());
    EXPECT_TRUE(oidc::check_fapi2_security(md));
    EXPECT_TRUE(oidc::check_fapi2_message_signing(md));
}

TEST(Fapi2, EachSecurityRuleOnItsOwn) {
    const rule rules[] = {
        {"jwks_uri", [](oidc::provider_metadata& m) { m.jwks_uri.reset(); }},
        {"pushed_authorization_request_endpoint",
         [](oidc::provider_metadata& m) { m.endpoints.pushed_authorization_request.reset(); }},
        {"grant_types_supported",
         [](oidc::provider_metadata& m) { m.grant_types_supported = {"client_credentials"}; }},
        {"response_types_supported",
         [](oidc::provider_metadata& m) { m.response_types_supported = {"code id_token"}; }},
        {"code_challenge_methods_supported",
         [](oidc::provider_metadata& m) { m.code_challenge_methods_supported = {"plain"}; }},
        {"authorization_response_iss_parameter_supported",
         [](oidc::provider_metadata& m) {
             m.authorization_response_iss_parameter_supported = false;
         }},
        {"id_token_signing_alg_values_supported",
         [](oidc::provider_metadata& m) { m.id_token_signing_alg_values_supported = {"RS256"}; }},
        {"token_endpoint_auth_methods_supported",
         [](oidc::provider_metadata& m) {
             m.token_endpoint_auth_methods_supported = {"client_secret_jwt"};
         }},
        {"token_endpoint_auth_signing_alg_values_supported",
         [](oidc::provider_metadata& m) {
             m.token_endpoint_auth_signing_alg_values_supported = {"RS256"};
         }},
        {"dpop_signing_alg_values_supported",
         [](oidc::provider_metadata& m) { m.dpop_signing_alg_values_supported = {"RS256"}; }},
    };
    expect_each_rule_alone(rules, oidc::fapi2_security_problems);
}

TEST(Fapi2, EitherDpopOrMtlsConstrainsTokens) {
    auto md = load("oidc/fapi_mtls_aliases.json", "https://auth.hamsterbank.example");
    md.tls_client_certificate_bound_access_tokens = false; // DPoP only
    EXPECT_TRUE(oidc::fapi2_security_problems(md).empty());
    md.dpop_signing_alg_values_supported = {"EdDSA"};
    EXPECT_TRUE(oidc::fapi2_security_problems(md).empty());
    md.dpop_signing_alg_values_supported.clear(); // neither
    EXPECT_EQ(members(oidc::fapi2_security_problems(md)),
              std::set<std::string>{"dpop_signing_alg_values_supported"});
    md.tls_client_certificate_bound_access_tokens = true; // mTLS only
    EXPECT_TRUE(oidc::fapi2_security_problems(md).empty());
    // A server serving FAPI 1.0 hybrid clients too still passes: metadata
    // cannot tell which clients may use what.
    md.response_types_supported = {"code", "code id_token"};
    EXPECT_TRUE(oidc::fapi2_security_problems(md).empty());
}

TEST(Fapi2, MessageSigningAddsJarJarmAndSignedIntrospection) {
    const auto good = load("oidc/fapi_mtls_aliases.json", "https://auth.hamsterbank.example");
    auto md = good;
    md.request_object_signing_alg_values_supported = {"RS256"};
    md.response_modes_supported = {"query"};
    md.authorization_signing_alg_values_supported.clear();
    md.introspection_signing_alg_values_supported = {"HS256"};
    md.authorization_response_iss_parameter_supported = false;
    EXPECT_EQ(members(oidc::fapi2_message_signing_problems(md)),
              (std::set<std::string>{"request_object_signing_alg_values_supported",
                                     "response_modes_supported",
                                     "authorization_signing_alg_values_supported",
                                     "introspection_signing_alg_values_supported",
                                     "authorization_response_iss_parameter_supported"}));
    auto r = oidc::check_fapi2_message_signing(md);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, oidc::errc::fapi_noncompliant);
    EXPECT_NE(r.error().detail.find("JARM"), std::string::npos);
    // No introspection endpoint: nothing to sign there.
    md = good;
    md.endpoints.introspection.reset();
    md.introspection_signing_alg_values_supported.clear();
    EXPECT_TRUE(oidc::check_fapi2_message_signing(md));
}

} // namespace
