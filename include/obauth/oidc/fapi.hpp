// The FAPI checks of a provider's metadata, as far as metadata can show
// them: FAPI 1.0 Advanced (Final; the authorization server requirements of
// §5.2.2 and the algorithm rules of §8.6), the FAPI 2.0 Security Profile
// (§5.3.2, §5.4) and FAPI 2.0 Message Signing. Each lists every problem
// instead of stopping at the first, so one run tells an integrator
// everything a provider (or a test configuration) is missing.
//
// What metadata cannot show is not guessed: a server that serves FAPI 1.0
// and FAPI 2.0 clients side by side (the usual migration) lists hybrid
// response types and need not require PAR of every client, so the FAPI 2.0
// check asks for `code` and PAR to be available, not for the rest to be
// absent; the flow presets enforce the client's side of those rules.
#pragma once

#include "error.hpp"
#include "provider_metadata.hpp"

#include "../core/result.hpp"

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace obauth::oidc {

struct metadata_problem {
    std::string member;  ///< the metadata member at fault
    std::string message; ///< what the profile requires
};

namespace detail {
inline bool contains_any(const std::vector<std::string>& list,
                         std::initializer_list<std::string_view> values) {
    for (std::string_view v : values)
        if (provider_metadata::contains(list, v))
            return true;
    return false;
}
/// Adds the problem (`member`, `message`) to `p` unless `ok`.
inline void require(std::vector<metadata_problem>& p, bool ok, const char* member,
                    const char* message) {
    if (!ok)
        p.push_back({member, message});
}
/// Client authentication both profiles accept: private_key_jwt (signed
/// with one of `algs`, `algs_rule`) or mTLS (`methods_rule`).
inline void require_client_authentication(std::vector<metadata_problem>& p,
                                          const provider_metadata& md,
                                          std::initializer_list<std::string_view> algs,
                                          const char* methods_rule, const char* algs_rule) {
    const auto& methods = md.token_endpoint_auth_methods_supported;
    require(p,
            contains_any(methods,
                         {"private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth"}),
            "token_endpoint_auth_methods_supported", methods_rule);
    if (provider_metadata::contains(methods, "private_key_jwt"))
        require(p, contains_any(md.token_endpoint_auth_signing_alg_values_supported, algs),
                "token_endpoint_auth_signing_alg_values_supported", algs_rule);
}
inline result<void> as_result(const std::vector<metadata_problem>& problems) {
    if (problems.empty())
        return {};
    std::string detail;
    for (const auto& pr : problems) {
        if (!detail.empty())
            detail += "; ";
        detail += pr.member + ": " + pr.message;
    }
    return make_error(errc::fapi_noncompliant, std::move(detail));
}
} // namespace detail

/// Every FAPI 1.0 Advanced requirement `md` fails; empty when it passes.
inline std::vector<metadata_problem> fapi1_advanced_problems(const provider_metadata& md) {
    std::vector<metadata_problem> p;
    const auto fapi_algs = {std::string_view("PS256"), std::string_view("ES256")};
    detail::require(p, md.jwks_uri.has_value(), "jwks_uri",
                    "the provider's keys must be published");
    detail::require(p, md.endpoints.pushed_authorization_request.has_value(),
                    "pushed_authorization_request_endpoint", "PAR (RFC 9126) must be available");
    detail::require(p, provider_metadata::contains(md.grant_types_supported, "authorization_code"),
                    "grant_types_supported", "must include authorization_code");
    detail::require(p, provider_metadata::contains(md.code_challenge_methods_supported, "S256"),
                    "code_challenge_methods_supported", "must include S256 (PKCE, §5.2.2-18)");
    const bool hybrid = provider_metadata::contains(md.response_types_supported, "code id_token");
    const bool jarm = provider_metadata::contains(md.response_types_supported, "code") &&
                      provider_metadata::contains(md.response_modes_supported, "jwt");
    detail::require(p, hybrid || jarm, "response_types_supported",
                    "must include 'code id_token', or 'code' with response mode 'jwt' (§5.2.2-2)");
    if (jarm && !hybrid)
        detail::require(
            p, detail::contains_any(md.authorization_signing_alg_values_supported, fapi_algs),
            "authorization_signing_alg_values_supported",
            "JARM responses must be signable with PS256 or ES256 (§8.6)");
    detail::require(p, detail::contains_any(md.id_token_signing_alg_values_supported, fapi_algs),
                    "id_token_signing_alg_values_supported", "must include PS256 or ES256 (§8.6)");
    detail::require(
        p, detail::contains_any(md.request_object_signing_alg_values_supported, fapi_algs),
        "request_object_signing_alg_values_supported", "must include PS256 or ES256 (§8.6)");
    detail::require(p, md.request_parameter_supported || md.endpoints.pushed_authorization_request,
                    "request_parameter_supported",
                    "signed request objects must be accepted by value or through PAR (§5.2.2-1)");
    detail::require_client_authentication(
        p, md, fapi_algs,
        "must include private_key_jwt, tls_client_auth or self_signed_tls_client_auth "
        "(§5.2.2-14)",
        "private_key_jwt needs PS256 or ES256 (§8.6)");
    detail::require(p, md.tls_client_certificate_bound_access_tokens,
                    "tls_client_certificate_bound_access_tokens",
                    "access tokens must be sender-constrained (§5.2.2-5, RFC 8705)");
    return p;
}

/// fapi1_advanced_problems as a result: fapi_noncompliant with every
/// problem in the detail.
inline result<void> check_fapi1_advanced(const provider_metadata& md) {
    return detail::as_result(fapi1_advanced_problems(md));
}

/// Every FAPI 2.0 Security Profile requirement `md` fails; empty when it
/// passes.
inline std::vector<metadata_problem> fapi2_security_problems(const provider_metadata& md) {
    std::vector<metadata_problem> p;
    const auto algs = {std::string_view("PS256"), std::string_view("ES256"),
                       std::string_view("EdDSA")};
    detail::require(p, md.jwks_uri.has_value(), "jwks_uri",
                    "the provider's keys must be published");
    detail::require(p, md.endpoints.pushed_authorization_request.has_value(),
                    "pushed_authorization_request_endpoint",
                    "PAR (RFC 9126) must be available (§5.3.2.2)");
    detail::require(p, provider_metadata::contains(md.grant_types_supported, "authorization_code"),
                    "grant_types_supported", "must include authorization_code");
    detail::require(p, provider_metadata::contains(md.response_types_supported, "code"),
                    "response_types_supported", "must include code (§5.3.2.2)");
    detail::require(p, provider_metadata::contains(md.code_challenge_methods_supported, "S256"),
                    "code_challenge_methods_supported", "must include S256 (PKCE, §5.3.2.2)");
    detail::require(p, md.authorization_response_iss_parameter_supported,
                    "authorization_response_iss_parameter_supported",
                    "the authorization response must carry iss (RFC 9207, §5.3.2.2)");
    detail::require(p, detail::contains_any(md.id_token_signing_alg_values_supported, algs),
                    "id_token_signing_alg_values_supported",
                    "must include PS256, ES256 or EdDSA (§5.4)");
    detail::require_client_authentication(
        p, md, algs,
        "must include private_key_jwt, tls_client_auth or self_signed_tls_client_auth "
        "(§5.3.2.1)",
        "private_key_jwt needs PS256, ES256 or EdDSA (§5.4)");
    const bool dpop = !md.dpop_signing_alg_values_supported.empty();
    detail::require(
        p, dpop || md.tls_client_certificate_bound_access_tokens,
        "dpop_signing_alg_values_supported",
        "access tokens must be sender-constrained by DPoP (RFC 9449) or mTLS (RFC 8705) "
        "(§5.3.2.1)");
    if (dpop)
        detail::require(p, detail::contains_any(md.dpop_signing_alg_values_supported, algs),
                        "dpop_signing_alg_values_supported",
                        "DPoP needs PS256, ES256 or EdDSA (§5.4)");
    return p;
}

/// fapi2_security_problems as a result (fapi_noncompliant).
inline result<void> check_fapi2_security(const provider_metadata& md) {
    return detail::as_result(fapi2_security_problems(md));
}

/// FAPI 2.0 Message Signing: the Security Profile's problems, and signed
/// request objects (JAR), signed authorization responses (JARM) and signed
/// introspection responses (RFC 9701) with PS256, ES256 or EdDSA.
inline std::vector<metadata_problem> fapi2_message_signing_problems(const provider_metadata& md) {
    std::vector<metadata_problem> p = fapi2_security_problems(md);
    const auto algs = {std::string_view("PS256"), std::string_view("ES256"),
                       std::string_view("EdDSA")};
    detail::require(p, detail::contains_any(md.request_object_signing_alg_values_supported, algs),
                    "request_object_signing_alg_values_supported",
                    "signed request objects (JAR) with PS256, ES256 or EdDSA");
    detail::require(p, provider_metadata::contains(md.response_modes_supported, "jwt"),
                    "response_modes_supported", "must include jwt (JARM)");
    detail::require(p, detail::contains_any(md.authorization_signing_alg_values_supported, algs),
                    "authorization_signing_alg_values_supported",
                    "JARM responses signed with PS256, ES256 or EdDSA");
    if (md.endpoints.introspection)
        detail::require(p,
                        detail::contains_any(md.introspection_signing_alg_values_supported, algs),
                        "introspection_signing_alg_values_supported",
                        "signed introspection responses (RFC 9701) with PS256, ES256 or EdDSA");
    return p;
}

/// fapi2_message_signing_problems as a result (fapi_noncompliant).
inline result<void> check_fapi2_message_signing(const provider_metadata& md) {
    return detail::as_result(fapi2_message_signing_problems(md));
}

} // namespace obauth::oidc
