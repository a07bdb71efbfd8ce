// The answer a gateway sends when it refuses a request (RFC 6750 §3,
// RFC 9449 §7.1): the status and one WWW-Authenticate value per scheme it
// accepts. The error goes on the challenge of the scheme the request used
// (DPoP errors on the DPoP one); a request without credentials gets the
// challenges without an error code (§3.1). The description is the error's
// fixed message: nothing from the request, never the token.
#pragma once

#include "error.hpp"
#include "validator.hpp"

#include "../core/clock.hpp"
#include "../core/result.hpp"
#include "../dpop/error.hpp"
#include "../dpop/nonce.hpp"
#include "../dpop/proof.hpp"
#include "../jose/algorithm.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace obauth::resource {

struct challenge {
    int status = 401;
    /// WWW-Authenticate field values, one per scheme (Bearer first).
    std::vector<std::string> www_authenticate;
    /// A fresh DPoP-Nonce to send with a use_dpop_nonce answer.
    std::optional<std::string> dpop_nonce;
};

struct challenge_options {
    std::string realm; ///< empty: no realm attribute
    /// Offer DPoP beside Bearer, with these algorithms.
    bool offer_dpop = false;
    jose::algorithm_set dpop_algorithms{jose::algorithm::ES256, jose::algorithm::PS256,
                                        jose::algorithm::EdDSA};
    /// insufficient_scope: the scope the route needs.
    std::vector<std::string> scope;
    /// use_dpop_nonce: where the new nonce comes from.
    const dpop::nonce_issuer* nonces = nullptr;
};

namespace detail {
struct challenge_kind {
    int status;
    const char* error; ///< nullptr: no error attribute
    bool on_dpop;      ///< the error belongs on the DPoP challenge
    bool offer_dpop;   ///< add the DPoP challenge even when not offered
};

inline challenge_kind classify(const error_info& e, std::optional<token_scheme> used) {
    const bool dpop_used = used == token_scheme::dpop;
    if (e.code.category() == error_category_for<dpop::errc>()) {
        const std::string_view code = dpop::challenge_error(e.code);
        if (code == "server_error")
            return {503, nullptr, true, true};
        if (code == "use_dpop_nonce")
            return {401, "use_dpop_nonce", true, true};
        if (code == "invalid_token")
            return {401, "invalid_token", true, true};
        return {401, "invalid_dpop_proof", true, true};
    }
    if (e.code.category() != error_category_for<errc>())
        return {401, "invalid_token", dpop_used, false};
    switch (static_cast<errc>(e.code.value())) {
    case errc::missing_token:
    case errc::unsupported_scheme:
        return {401, nullptr, false, false};
    case errc::multiple_authorizations:
    case errc::malformed_authorization:
    case errc::token_in_query:
        return {400, "invalid_request", dpop_used, false};
    case errc::keys_unavailable:
    case errc::introspection_failed:
        return {503, nullptr, false, false};
    case errc::invalid_options:
    case errc::introspection_required: // a step, not an answer: the caller skipped it
        return {500, nullptr, false, false};
    case errc::insufficient_scope:
    case errc::consent_not_usable:
        return {403, "insufficient_scope", dpop_used, false};
    case errc::dpop_required:
        return {401, "invalid_token", true, true};
    default:
        return {401, "invalid_token", dpop_used, false};
    }
}

inline void append_param(std::string& out, const char* name, std::string_view value) {
    out += out.find(' ') == std::string::npos ? " " : ", ";
    out += name;
    out += "=\"";
    for (char c : value) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    out += '"';
}
} // namespace detail

/// The answer to `e` for a request that used `used` (unset: no credentials
/// could be read).
inline challenge make_challenge(const error_info& e, std::optional<token_scheme> used,
                                const challenge_options& o, time_point now) {
    const detail::challenge_kind k = detail::classify(e, used);
    challenge c;
    c.status = k.status;
    if (k.status >= 500)
        return c;
    auto one = [&](const char* scheme, bool with_error) {
        std::string v = scheme;
        if (!o.realm.empty())
            detail::append_param(v, "realm", o.realm);
        if (std::string_view(scheme) == "DPoP") {
            std::string algs;
            for (const jose::algorithm a : jose::all_algorithms)
                if (o.dpop_algorithms.contains(a) && dpop::is_proof_algorithm(a))
                    algs += (algs.empty() ? "" : " ") + std::string(jose::to_string(a));
            detail::append_param(v, "algs", algs);
        }
        if (with_error && k.error != nullptr) {
            detail::append_param(v, "error", k.error);
            detail::append_param(v, "error_description", e.code.message());
            if (c.status == 403 && !o.scope.empty()) {
                std::string scope;
                for (const auto& s : o.scope)
                    scope += (scope.empty() ? "" : " ") + s;
                detail::append_param(v, "scope", scope);
            }
        }
        c.www_authenticate.push_back(std::move(v));
    };
    one("Bearer", !k.on_dpop);
    if (o.offer_dpop || k.offer_dpop || k.on_dpop)
        one("DPoP", k.on_dpop);
    if (k.error != nullptr && std::string_view(k.error) == "use_dpop_nonce" && o.nonces != nullptr)
        if (auto n = o.nonces->issue(now))
            c.dpop_nonce = std::move(*n);
    return c;
}

/// make_challenge for a request `r`: the scheme read from its Authorization
/// header.
inline challenge make_challenge(const error_info& e, const resource_request& r,
                                const challenge_options& o, time_point now) {
    std::optional<token_scheme> used;
    if (auto p = read_authorization(r, static_cast<std::size_t>(-1)))
        used = p->scheme;
    return make_challenge(e, used, o, now);
}

} // namespace obauth::resource
