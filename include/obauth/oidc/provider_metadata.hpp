// Provider metadata: OpenID Connect Discovery 1.0 §3 and RFC 8414 §2, with
// the members of RFC 8705 §5 (mtls_endpoint_aliases, certificate-bound
// tokens), RFC 9126 §5 (PAR), RFC 9101 §10.5 (signed request objects),
// RFC 9207 §3 (iss in the authorization response), JARM §4
// (authorization_signing_alg_values_supported), RFC 9449 §5.1 (DPoP) and
// RFC 7662/7009 (introspection, revocation).
//
// Parsing is strict: a modelled member of the wrong JSON type is an error
// (never silently dropped), every endpoint must be an absolute https URL
// without user-info or fragment, and `issuer` must equal the expected issuer
// exactly (Discovery §4.3, RFC 8414 §3.3: this is what stops a mix-up
// attack). Members obauth does not model are kept in `other`. Absent lists
// and flags that have a default in the specifications take that default.
#pragma once

#include "discovery.hpp"
#include "error.hpp"

#include "../core/ascii.hpp"
#include "../core/json.hpp"
#include "../core/result.hpp"
#include "../http/http_response.hpp"
#include "../http/url.hpp"

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace obauth::oidc {

enum class endpoint {
    authorization,
    token,
    userinfo,
    registration,
    pushed_authorization_request,
    introspection,
    revocation,
    end_session,
    device_authorization,
    backchannel_authentication,
};

/// One URL per endpoint; used for the endpoints and for their mutual-TLS
/// aliases.
struct endpoint_urls {
    std::optional<boost::urls::url> authorization, token, userinfo, registration,
        pushed_authorization_request, introspection, revocation, end_session, device_authorization,
        backchannel_authentication;

    const std::optional<boost::urls::url>& get(endpoint e) const noexcept;
    std::optional<boost::urls::url>& get(endpoint e) noexcept {
        return const_cast<std::optional<boost::urls::url>&>(std::as_const(*this).get(e));
    }
};

namespace detail {
struct endpoint_entry {
    endpoint e;
    const char* name; // the metadata member ("token_endpoint", ...)
    std::optional<boost::urls::url> endpoint_urls::*member;
};
inline constexpr endpoint_entry endpoint_table[] = {
    {endpoint::authorization, "authorization_endpoint", &endpoint_urls::authorization},
    {endpoint::token, "token_endpoint", &endpoint_urls::token},
    {endpoint::userinfo, "userinfo_endpoint", &endpoint_urls::userinfo},
    {endpoint::registration, "registration_endpoint", &endpoint_urls::registration},
    {endpoint::pushed_authorization_request, "pushed_authorization_request_endpoint",
     &endpoint_urls::pushed_authorization_request},
    {endpoint::introspection, "introspection_endpoint", &endpoint_urls::introspection},
    {endpoint::revocation, "revocation_endpoint", &endpoint_urls::revocation},
    {endpoint::end_session, "end_session_endpoint", &endpoint_urls::end_session},
    {endpoint::device_authorization, "device_authorization_endpoint",
     &endpoint_urls::device_authorization},
    {endpoint::backchannel_authentication, "backchannel_authentication_endpoint",
     &endpoint_urls::backchannel_authentication},
};
} // namespace detail

inline const std::optional<boost::urls::url>& endpoint_urls::get(endpoint e) const noexcept {
    return this->*detail::endpoint_table[static_cast<std::size_t>(e)].member;
}

/// The metadata member name of an endpoint ("token_endpoint", ...).
inline const char* endpoint_name(endpoint e) noexcept {
    return detail::endpoint_table[static_cast<std::size_t>(e)].name;
}

struct provider_metadata {
    std::string issuer;
    endpoint_urls endpoints;
    std::optional<boost::urls::url> jwks_uri;
    /// RFC 8705 §5: the endpoints to use with a TLS client certificate.
    endpoint_urls mtls_endpoint_aliases;
    /// Aliases for endpoints obauth does not model, kept by name.
    std::vector<std::pair<std::string, boost::urls::url>> other_mtls_endpoint_aliases;

    std::vector<std::string> scopes_supported;
    std::vector<std::string> response_types_supported;
    std::vector<std::string> response_modes_supported; ///< default: query, fragment
    std::vector<std::string> grant_types_supported;    ///< default: authorization_code, implicit
    std::vector<std::string> subject_types_supported;
    std::vector<std::string> acr_values_supported;
    std::vector<std::string> claims_supported;
    std::vector<std::string> code_challenge_methods_supported;
    std::vector<std::string>
        token_endpoint_auth_methods_supported; ///< default: client_secret_basic
    std::vector<std::string> token_endpoint_auth_signing_alg_values_supported;
    std::vector<std::string> introspection_endpoint_auth_methods_supported;
    std::vector<std::string> revocation_endpoint_auth_methods_supported;
    std::vector<std::string> id_token_signing_alg_values_supported;
    std::vector<std::string> request_object_signing_alg_values_supported;
    std::vector<std::string> userinfo_signing_alg_values_supported;
    std::vector<std::string> introspection_signing_alg_values_supported;
    std::vector<std::string> authorization_signing_alg_values_supported; ///< JARM
    std::vector<std::string> dpop_signing_alg_values_supported;
    /// Encryption (OpenID Connect Discovery §3, JARM §4, RFC 9701 §7):
    /// the JWE alg and enc values the server encrypts responses with, or
    /// decrypts request objects with.
    std::vector<std::string> id_token_encryption_alg_values_supported;
    std::vector<std::string> id_token_encryption_enc_values_supported;
    std::vector<std::string> userinfo_encryption_alg_values_supported;
    std::vector<std::string> userinfo_encryption_enc_values_supported;
    std::vector<std::string> authorization_encryption_alg_values_supported;
    std::vector<std::string> authorization_encryption_enc_values_supported;
    std::vector<std::string> introspection_encryption_alg_values_supported;
    std::vector<std::string> introspection_encryption_enc_values_supported;
    std::vector<std::string> request_object_encryption_alg_values_supported;
    std::vector<std::string> request_object_encryption_enc_values_supported;

    bool require_pushed_authorization_requests = false;
    bool tls_client_certificate_bound_access_tokens = false;
    bool authorization_response_iss_parameter_supported = false;
    bool require_signed_request_object = false;
    bool request_parameter_supported = false;
    bool request_uri_parameter_supported = true;
    bool require_request_uri_registration = false;
    bool claims_parameter_supported = false;

    /// Every member not modelled above, as received.
    json other = json::object();

    /// Whether `list` (one of the *_supported members) contains `value`.
    static bool contains(const std::vector<std::string>& list, std::string_view value) noexcept {
        return std::find(list.begin(), list.end(), value) != list.end();
    }
};

struct metadata_options {
    /// The issuer the caller configured; the document's `issuer` must equal
    /// it exactly.
    std::string expected_issuer;
    /// Which document it is: decides the required members.
    metadata_kind kind = metadata_kind::openid_configuration;
    http::url_policy urls;
    json_limits limits{256 * 1024, 16};
};

namespace detail {

using string_list = std::vector<std::string> provider_metadata::*;
struct list_entry {
    const char* name;
    string_list member;
    std::initializer_list<const char*> defaults;
};
inline const list_entry list_table[] = {
    {"scopes_supported", &provider_metadata::scopes_supported, {}},
    {"response_types_supported", &provider_metadata::response_types_supported, {}},
    {"response_modes_supported",
     &provider_metadata::response_modes_supported,
     {"query", "fragment"}},
    {"grant_types_supported",
     &provider_metadata::grant_types_supported,
     {"authorization_code", "implicit"}},
    {"subject_types_supported", &provider_metadata::subject_types_supported, {}},
    {"acr_values_supported", &provider_metadata::acr_values_supported, {}},
    {"claims_supported", &provider_metadata::claims_supported, {}},
    {"code_challenge_methods_supported", &provider_metadata::code_challenge_methods_supported, {}},
    {"token_endpoint_auth_methods_supported",
     &provider_metadata::token_endpoint_auth_methods_supported,
     {"client_secret_basic"}},
    {"token_endpoint_auth_signing_alg_values_supported",
     &provider_metadata::token_endpoint_auth_signing_alg_values_supported,
     {}},
    {"introspection_endpoint_auth_methods_supported",
     &provider_metadata::introspection_endpoint_auth_methods_supported,
     {}},
    {"revocation_endpoint_auth_methods_supported",
     &provider_metadata::revocation_endpoint_auth_methods_supported,
     {}},
    {"id_token_signing_alg_values_supported",
     &provider_metadata::id_token_signing_alg_values_supported,
     {}},
    {"request_object_signing_alg_values_supported",
     &provider_metadata::request_object_signing_alg_values_supported,
     {}},
    {"userinfo_signing_alg_values_supported",
     &provider_metadata::userinfo_signing_alg_values_supported,
     {}},
    {"introspection_signing_alg_values_supported",
     &provider_metadata::introspection_signing_alg_values_supported,
     {}},
    {"authorization_signing_alg_values_supported",
     &provider_metadata::authorization_signing_alg_values_supported,
     {}},
    {"dpop_signing_alg_values_supported",
     &provider_metadata::dpop_signing_alg_values_supported,
     {}},
    {"id_token_encryption_alg_values_supported",
     &provider_metadata::id_token_encryption_alg_values_supported,
     {}},
    {"id_token_encryption_enc_values_supported",
     &provider_metadata::id_token_encryption_enc_values_supported,
     {}},
    {"userinfo_encryption_alg_values_supported",
     &provider_metadata::userinfo_encryption_alg_values_supported,
     {}},
    {"userinfo_encryption_enc_values_supported",
     &provider_metadata::userinfo_encryption_enc_values_supported,
     {}},
    {"authorization_encryption_alg_values_supported",
     &provider_metadata::authorization_encryption_alg_values_supported,
     {}},
    {"authorization_encryption_enc_values_supported",
     &provider_metadata::authorization_encryption_enc_values_supported,
     {}},
    {"introspection_encryption_alg_values_supported",
     &provider_metadata::introspection_encryption_alg_values_supported,
     {}},
    {"introspection_encryption_enc_values_supported",
     &provider_metadata::introspection_encryption_enc_values_supported,
     {}},
    {"request_object_encryption_alg_values_supported",
     &provider_metadata::request_object_encryption_alg_values_supported,
     {}},
    {"request_object_encryption_enc_values_supported",
     &provider_metadata::request_object_encryption_enc_values_supported,
     {}},
};

struct flag_entry {
    const char* name;
    bool provider_metadata::*member;
};
inline constexpr flag_entry flag_table[] = {
    {"require_pushed_authorization_requests",
     &provider_metadata::require_pushed_authorization_requests},
    {"tls_client_certificate_bound_access_tokens",
     &provider_metadata::tls_client_certificate_bound_access_tokens},
    {"authorization_response_iss_parameter_supported",
     &provider_metadata::authorization_response_iss_parameter_supported},
    {"require_signed_request_object", &provider_metadata::require_signed_request_object},
    {"request_parameter_supported", &provider_metadata::request_parameter_supported},
    {"request_uri_parameter_supported", &provider_metadata::request_uri_parameter_supported},
    {"require_request_uri_registration", &provider_metadata::require_request_uri_registration},
    {"claims_parameter_supported", &provider_metadata::claims_parameter_supported},
};

/// The entry of `table` whose `name` is `name`, or nullptr.
template <class Entry, std::size_t N>
const Entry* find_entry(const Entry (&table)[N], std::string_view name) noexcept {
    for (const Entry& e : table)
        if (name == e.name)
            return &e;
    return nullptr;
}

inline error_info wrong_type(std::string_view member, const char* expected) {
    return make_error(errc::metadata_invalid,
                      "'" + std::string(member.substr(0, 64)) + "' is not " + expected);
}

inline result<boost::urls::url> metadata_url_member(const json& v, std::string_view member,
                                                    const http::url_policy& policy) {
    const auto* s = v.get_ptr<const json::string_t*>();
    if (s == nullptr)
        return wrong_type(member, "a string");
    auto u = http::parse_url(*s, policy);
    if (!u)
        return make_error(errc::metadata_invalid_url,
                          "'" + std::string(member.substr(0, 64)) + "': " + u.error().detail);
    return u;
}

inline result<std::vector<std::string>> string_list_member(const json& v, std::string_view member) {
    const auto* a = v.get_ptr<const json::array_t*>();
    if (a == nullptr)
        return wrong_type(member, "an array");
    std::vector<std::string> out;
    out.reserve(a->size());
    for (const json& e : *a) {
        const auto* s = e.get_ptr<const json::string_t*>();
        if (s == nullptr)
            return wrong_type(member, "an array of strings");
        out.push_back(*s);
    }
    return out;
}

inline result<void> parse_aliases(const json& v, provider_metadata& md,
                                  const http::url_policy& policy) {
    const auto* o = v.get_ptr<const json::object_t*>();
    if (o == nullptr)
        return wrong_type("mtls_endpoint_aliases", "an object");
    for (const auto& [name, url] : *o) {
        const std::string where = "mtls_endpoint_aliases." + name.substr(0, 64);
        OBAUTH_TRY(boost::urls::url u, metadata_url_member(url, where, policy));
        if (const endpoint_entry* e = find_entry(endpoint_table, name))
            md.mtls_endpoint_aliases.*(e->member) = std::move(u);
        else
            md.other_mtls_endpoint_aliases.emplace_back(name, std::move(u));
    }
    return {};
}

// Discovery §3 and RFC 8414 §2: which members must be present.
inline result<void> check_required(const provider_metadata& md, const json& doc,
                                   metadata_kind kind) {
    auto missing = [](const char* name) {
        return make_error(errc::metadata_missing_member, std::string("'") + name + "'");
    };
    if (find_member(doc, "response_types_supported") == nullptr)
        return missing("response_types_supported");
    auto grant = [&](const char* g) {
        return provider_metadata::contains(md.grant_types_supported, g);
    };
    // The authorization endpoint serves the code and implicit grants; the
    // token endpoint every grant but implicit.
    const bool uses_authorization = grant("authorization_code") || grant("implicit");
    const bool uses_token =
        std::any_of(md.grant_types_supported.begin(), md.grant_types_supported.end(),
                    [](const std::string& g) { return g != "implicit"; });
    if (!md.endpoints.authorization &&
        (uses_authorization || kind == metadata_kind::openid_configuration))
        return missing("authorization_endpoint");
    if (!md.endpoints.token && uses_token)
        return missing("token_endpoint");
    if (kind == metadata_kind::openid_configuration) {
        if (!md.jwks_uri)
            return missing("jwks_uri");
        if (find_member(doc, "subject_types_supported") == nullptr)
            return missing("subject_types_supported");
        if (find_member(doc, "id_token_signing_alg_values_supported") == nullptr)
            return missing("id_token_signing_alg_values_supported");
    }
    return {};
}

} // namespace detail

/// Parses and validates a metadata document.
inline result<provider_metadata> parse_provider_metadata(std::string_view text,
                                                         const metadata_options& opt) {
    auto parsed = parse_json_object(text, opt.limits);
    if (!parsed)
        return make_error(errc::metadata_invalid, parsed.error().detail.empty()
                                                      ? parsed.error().code.message()
                                                      : parsed.error().detail);
    const json& doc = *parsed;
    provider_metadata md;

    const json* iss = find_member(doc, "issuer");
    if (iss == nullptr)
        return make_error(errc::metadata_missing_member, "'issuer'");
    const auto* iss_text = iss->get_ptr<const json::string_t*>();
    if (iss_text == nullptr)
        return detail::wrong_type("issuer", "a string");
    if (*iss_text != opt.expected_issuer)
        return make_error(errc::metadata_issuer_mismatch, "issuer " + quote(*iss_text, 80) +
                                                              ", expected " +
                                                              quote(opt.expected_issuer, 80));
    OBAUTH_TRY_VOID(parse_issuer(*iss_text, opt.urls));
    md.issuer = *iss_text;

    for (const auto& [name, v] : *doc.get_ptr<const json::object_t*>()) {
        if (name == "issuer")
            continue;
        if (const auto* e = detail::find_entry(detail::endpoint_table, name)) {
            OBAUTH_TRY(md.endpoints.*(e->member), detail::metadata_url_member(v, name, opt.urls));
            continue;
        }
        if (name == "jwks_uri") {
            OBAUTH_TRY(md.jwks_uri, detail::metadata_url_member(v, name, opt.urls));
            continue;
        }
        if (name == "mtls_endpoint_aliases") {
            OBAUTH_TRY_VOID(detail::parse_aliases(v, md, opt.urls));
            continue;
        }
        if (const auto* l = detail::find_entry(detail::list_table, name)) {
            OBAUTH_TRY(md.*(l->member), detail::string_list_member(v, name));
            continue;
        }
        if (const auto* f = detail::find_entry(detail::flag_table, name)) {
            const auto* b = v.get_ptr<const json::boolean_t*>();
            if (b == nullptr)
                return detail::wrong_type(name, "a boolean");
            md.*(f->member) = *b;
            continue;
        }
        md.other[name] = v;
    }
    for (const auto& l : detail::list_table)
        if (find_member(doc, l.name) == nullptr)
            (md.*(l.member)).assign(l.defaults.begin(), l.defaults.end());
    OBAUTH_TRY_VOID(detail::check_required(md, doc, opt.kind));
    return md;
}

/// Processes the response to make_discovery_request: 200, a JSON media type,
/// a body within the size limit, then parse_provider_metadata.
inline result<provider_metadata> process_discovery_response(const http::http_response& r,
                                                            const metadata_options& opt) {
    if (r.status != 200)
        return make_error(http::errc::unexpected_status, "HTTP " + std::to_string(r.status));
    OBAUTH_TRY_VOID(http::check_media_type(r, {"application/json"}));
    OBAUTH_TRY_VOID(http::check_body_size(r, opt.limits.max_bytes));
    return parse_provider_metadata(r.body, opt);
}

enum class client_certificate : bool { not_used, used };

/// The URL to send a request for endpoint `e` to. With a TLS client
/// certificate (tls_client_auth, self_signed_tls_client_auth, or tokens
/// bound to the certificate) the RFC 8705 §5 alias wins when there is one.
inline result<boost::urls::url> select_endpoint(const provider_metadata& md, endpoint e,
                                                client_certificate cert) {
    if (cert == client_certificate::used)
        if (const auto& alias = md.mtls_endpoint_aliases.get(e))
            return *alias;
    if (const auto& url = md.endpoints.get(e))
        return *url;
    return make_error(errc::endpoint_not_advertised, std::string("'") + endpoint_name(e) + "'");
}

} // namespace obauth::oidc
