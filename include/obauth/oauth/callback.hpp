// The authorization response at the redirect URI (RFC 6749 §4.1.2,
// §4.1.2.1): from the query, the fragment (hybrid flow) or a form_post
// body; checked in the order that keeps an attacker out:
//
//  1. JARM (when expected): the `response` JWT must verify with the
//     issuer's keys under the pinned algorithms, iss = issuer, aud contains
//     the client_id, not expired; its claims are the parameters. Encrypted
//     when the client registered it so (decrypted first, refused plain).
//  2. Every parameter at most once (RFC 6749 §3.1).
//  3. state equals the one sent, compared in constant time; before any
//     error is believed.
//  4. iss (RFC 9207) equals the issuer when present, and is required when
//     the server advertises it: the mix-up defence. A hybrid response may
//     leave it out: its ID token's iss, validated in step 6, identifies the
//     issuer (OpenID Connect; oidc-provider, for one, omits the parameter).
//  5. An `error` becomes its own code; otherwise `code` is required.
//  6. Hybrid flow: the front-channel ID token is validated (signature,
//     nonce, c_hash, and s_hash for FAPI) by oidc::validate_id_token.
#pragma once

#include "detail/signed_response.hpp"
#include "endpoint_response.hpp"
#include "error.hpp"

#include "../core/ascii.hpp"
#include "../core/json.hpp"
#include "../core/secret.hpp"
#include "../http/form.hpp"
#include "../jose/jwks.hpp"
#include "../jose/jwt.hpp"
#include "../oidc/id_token.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace obauth::oauth {

enum class response_location { query, fragment, form_post };

struct callback_validation {
    std::string issuer;
    std::string client_id;
    std::string_view expected_state; ///< a view of the state sent
    response_location location = response_location::query;
    /// RFC 9207: refuse a response without iss (set when the metadata has
    /// authorization_response_iss_parameter_supported).
    bool require_iss = false;
    /// JARM: the parameters arrive in one signed `response` JWT.
    bool jarm = false;
    /// The issuer's keys, for JARM and the hybrid flow's ID token.
    const jose::jwks* issuer_keys = nullptr;
    jose::algorithm_set jarm_algorithms = jose::fapi_algorithms;
    /// JARM registered encrypted (authorization_encrypted_response_alg):
    /// the `response` is a JWE around the signed JWT.
    std::optional<oidc::response_decryption> jarm_decryption;
    /// The hybrid flow ("code id_token"): the validation of the front-channel
    /// ID token; code and state are filled in here.
    std::optional<oidc::id_token_validation> id_token;
    std::size_t max_bytes = 16 * 1024;
};

struct authorization_response {
    secret code;
    std::optional<std::string> iss;
    std::optional<oidc::verified_id_token> id_token; ///< hybrid flow
};

namespace detail {
inline result<http::form_fields> callback_fields(std::string_view url, response_location where,
                                                 std::size_t max_bytes) {
    if (url.size() > max_bytes)
        return make_error(errc::invalid_callback, "callback over the size limit");
    if (where == response_location::form_post) {
        auto f = http::parse_form(url, 32);
        if (!f)
            return make_error(errc::invalid_callback, f.error().detail);
        return f;
    }
    auto u = boost::urls::parse_uri_reference(url);
    if (!u)
        return make_error(errc::invalid_callback, "not a URL");
    const std::string_view part =
        where == response_location::query ? u->encoded_query() : u->encoded_fragment();
    // A hybrid response in the query (some servers send it there) would
    // otherwise read as "no state": say what is wrong.
    if (where == response_location::fragment && part.empty() && !u->encoded_query().empty())
        return make_error(errc::invalid_callback,
                          "the response is in the query; the hybrid flow answers in the fragment "
                          "(OpenID Connect Core 3.3.2.5)");
    auto f = http::parse_form(part, 32);
    if (!f)
        return make_error(errc::invalid_callback, f.error().detail);
    return f;
}

inline result<http::form_fields> jarm_fields(const http::form_fields& outer,
                                             const callback_validation& v, time_point now) {
    if (outer.size() != 1 || outer[0].first != "response") {
        const bool unsigned_answer = std::any_of(outer.begin(), outer.end(),
                                                 [](const auto& f) { return f.first == "code"; });
        return make_error(errc::jarm_invalid,
                          unsigned_answer
                              ? "an unsigned response (code in the clear) where JARM was requested"
                              : "expected exactly one 'response' parameter");
    }
    if (v.issuer_keys == nullptr)
        return make_error(errc::invalid_options, "JARM needs the issuer's keys");
    signed_response_check c(v.issuer_keys, v.jarm_algorithms, v.issuer, v.client_id, v.max_bytes);
    c.require_exp = true;
    c.max_lifetime = std::chrono::minutes(60);
    c.decryption = v.jarm_decryption;
    OBAUTH_TRY(
        const jose::verified_jwt jwt,
        verify_signed_response(outer[0].second, c, errc::jarm_invalid, "JARM response", now));
    http::form_fields inner;
    for (const auto& [name, value] : jwt.claims().items()) {
        if (name == "aud" || name == "exp" || name == "iat" || name == "nbf" || name == "jti")
            continue;
        const auto* s = value.get_ptr<const json::string_t*>();
        if (s == nullptr)
            return make_error(errc::jarm_invalid,
                              "claim '" + name.substr(0, 32) + "' is not a string");
        inner.emplace_back(name, *s);
    }
    return inner;
}

/// The value of parameter `name` (const or not, as `f` is), or nullptr.
template <class Fields>
auto field(Fields& f, std::string_view name) -> decltype(&f.front().second) {
    for (auto& [n, v] : f)
        if (n == name)
            return &v;
    return nullptr;
}
} // namespace detail

/// Reads and checks an authorization response. `callback` is the redirect
/// URL the user agent arrived at, or a form_post body.
inline result<authorization_response>
process_callback(std::string_view callback, const callback_validation& v, time_point now) {
    OBAUTH_TRY(http::form_fields fields,
               detail::callback_fields(callback, v.location, v.max_bytes));
    if (v.jarm) {
        OBAUTH_TRY(fields, detail::jarm_fields(fields, v, now));
    }
    for (std::size_t i = 0; i < fields.size(); ++i)
        for (std::size_t j = i + 1; j < fields.size(); ++j)
            if (fields[i].first == fields[j].first)
                return make_error(errc::invalid_callback,
                                  "parameter '" + fields[i].first.substr(0, 32) + "' repeated");

    const std::string* state = detail::field(fields, "state");
    if (v.expected_state.empty())
        return make_error(errc::invalid_options, "no expected state");
    if (state == nullptr)
        return make_error(errc::state_mismatch, "no state in the response");
    if (!constant_time_equal(bytes_view(*state), bytes_view(v.expected_state)))
        return make_error(errc::state_mismatch);

    authorization_response out;
    if (const std::string* iss = detail::field(fields, "iss")) {
        if (*iss != v.issuer)
            return make_error(errc::issuer_mismatch,
                              "iss " + quote(*iss, 80) + ", expected " + quote(v.issuer, 80));
        out.iss = *iss;
    } else if (v.require_iss && !(v.id_token && detail::field(fields, "id_token") != nullptr)) {
        return make_error(errc::issuer_mismatch, "no iss in the response");
    }

    if (const std::string* err = detail::field(fields, "error")) {
        std::string d = detail::printable(*err, 64);
        if (const std::string* desc = detail::field(fields, "error_description"))
            d += ": " + detail::printable(*desc);
        return make_error(errc_from_wire(*err), std::move(d));
    }
    std::string* code = detail::field(fields, "code");
    if (code == nullptr || code->empty())
        return make_error(errc::invalid_callback, "no code");

    if (v.id_token) {
        const std::string* idt = detail::field(fields, "id_token");
        if (idt == nullptr)
            return make_error(errc::invalid_callback, "no id_token (hybrid flow)");
        if (v.issuer_keys == nullptr)
            return make_error(errc::invalid_options, "the hybrid flow needs the issuer's keys");
        oidc::id_token_validation iv = *v.id_token;
        iv.source = oidc::id_token_source::authorization_response;
        iv.code = *code;
        iv.state = v.expected_state;
        OBAUTH_TRY(oidc::verified_id_token t,
                   oidc::validate_id_token(*idt, *v.issuer_keys, iv, now));
        out.id_token = std::move(t);
    }
    out.code = secret::take(*code);
    return out;
}

} // namespace obauth::oauth
