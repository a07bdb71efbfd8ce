// The gateway side: one validator, configured once and shared by every
// worker, that decides whether an incoming request's access token lets it
// through.
//
//  1. The Authorization header (RFC 6750 §2.1, RFC 9449 §7.1): exactly one
//     field, `Bearer` or `DPoP` then one token68, within the size limit; an
//     access_token in the URL is refused (RFC 6750 §2.3 is not accepted).
//  2. The verified-token cache (resource/token_cache.hpp), keyed by the
//     token's SHA-256: a hit skips step 3.
//  3. An RFC 9068 JWT access token: typ at+jwt, a pinned algorithm, a key
//     of the issuer's set (an oidc::jwks_cache: an unknown kid asks it for
//     a rate-limited refresh, which the caller then fetches), iss, aud =
//     this resource, exp, iat, and sub, client_id, jti present. Or, with
//     introspection_settings, an opaque token asked about at the issuer
//     (RFC 7662, sans-IO: introspection_required, introspection_request,
//     on_introspection), its answer checked alike and kept.
//  4. The sender constraint, on every request, cached or not: cnf.x5t#S256
//     against the presented client certificate (constant time); cnf.jkt
//     through a DPoP proof (dpop::verify_proof: ath, the key, single use).
//     A bound token without its certificate or proof is refused; with
//     `require_sender_constraint`, so is an unbound one.
//
// Failures are values (resource/error.hpp, dpop::errc for proofs);
// resource/challenge.hpp turns one into the status and WWW-Authenticate
// answer. Scopes and consents are checked per route (resource/authorize.hpp).
#pragma once

#include "access_token.hpp"
#include "detail/claims.hpp"
#include "detail/request.hpp"
#include "error.hpp"
#include "token_cache.hpp"

#include "../core/ascii.hpp"
#include "../core/base64url.hpp"
#include "../core/clock.hpp"
#include "../core/json.hpp"
#include "../core/result.hpp"
#include "../core/secret.hpp"
#include "../dpop/verifier.hpp"
#include "../jose/jwt.hpp"
#include "../jose/jwt_visit.hpp"
#include "../oauth/certificate_binding.hpp"
#include "../oauth/client.hpp"
#include "../oauth/introspection.hpp"
#include "../oidc/error.hpp"
#include "../oidc/jwks_cache.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace obauth::resource {

/// Opaque access tokens: asked about at the issuer's introspection endpoint
/// (RFC 7662; RFC 9701 signed answers when `keys` is set), answers kept in
/// a bounded cache keyed by the token's SHA-256.
struct introspection_settings {
    /// The gateway as the endpoint's client (metadata, authentication);
    /// must outlive the validator.
    const oauth::client* client = nullptr;
    /// Ask for signed answers, verified with these keys (not owned).
    const jose::jwks* keys = nullptr;
    /// Active answers are kept at most this long, and never past exp.
    std::chrono::seconds max_ttl{60};
    /// Inactive answers are kept this long.
    std::chrono::seconds negative_ttl{5};
    std::size_t max_entries = 10'000;
};

struct validator_options {
    std::string issuer;   ///< the authorization server's issuer identifier (exact)
    std::string audience; ///< this resource's identifier: the token's aud must contain it
    /// The algorithms access tokens may be signed with.
    jose::algorithm_set algorithms{jose::algorithm::RS256, jose::algorithm::PS256,
                                   jose::algorithm::ES256};
    std::chrono::seconds leeway{30};
    /// Longer tokens are refused before anything is decoded.
    std::size_t max_token_size = 8 * 1024;
    /// Refuse tokens that are neither certificate- nor DPoP-bound (FAPI).
    bool require_sender_constraint = false;
    /// DPoP-bound tokens: how proofs are checked. `dpop.replay` is required
    /// for DPoP to be accepted; without it, DPoP requests are refused.
    dpop::verify_options dpop{};
    token_cache_options cache{};
    /// Unset: only JWT access tokens are accepted.
    std::optional<introspection_settings> introspection{};
};

/// The parts of an incoming request the validator reads.
struct resource_request {
    /// Every Authorization header field value.
    std::vector<std::string_view> authorization;
    std::string_view method; ///< e.g. "GET"
    std::string_view url;    ///< the request's absolute URL (DPoP htu, the query check)
    /// Every DPoP header field value.
    std::vector<std::string_view> dpop;
    /// The TLS client certificate, as its x5t#S256 thumbprint (base64url
    /// SHA-256 of the DER)...
    std::optional<std::string_view> client_certificate_thumbprint;
    /// ...or as DER (the thumbprint is computed when needed).
    std::optional<bytes_view> client_certificate_der;
};

enum class token_scheme : std::uint8_t { bearer, dpop };

/// The credentials of a request: its scheme and token (a view into the
/// request's header).
struct presented_token {
    token_scheme scheme = token_scheme::bearer;
    std::string_view token;
};

/// Reads the Authorization header of `r`: exactly one field, Bearer or
/// DPoP (any case), one space or more, then the token, of at most
/// `max_size` and not empty. Whether the token is a token68 is checked by
/// the validator before it decodes one it has not verified before (a token
/// found in the verified-token cache has been), so the hot path reads it
/// once, to hash it.
inline result<presented_token> read_authorization(const resource_request& r, std::size_t max_size) {
    if (detail::has_access_token_parameter(r.url))
        return make_error(errc::token_in_query);
    if (r.authorization.empty())
        return make_error(errc::missing_token);
    if (r.authorization.size() > 1)
        return make_error(errc::multiple_authorizations,
                          std::to_string(r.authorization.size()) + " fields");
    const std::string_view v = r.authorization.front();
    const auto sp = v.find(' ');
    const std::string_view scheme = v.substr(0, sp);
    presented_token p;
    if (ascii_iequals(scheme, "Bearer")) {
        p.scheme = token_scheme::bearer;
    } else if (ascii_iequals(scheme, "DPoP")) {
        p.scheme = token_scheme::dpop;
    } else {
        return make_error(errc::unsupported_scheme, quote(scheme, 32));
    }
    if (sp == std::string_view::npos)
        return make_error(errc::malformed_authorization, "no token after the scheme");
    std::string_view token = v.substr(sp);
    while (!token.empty() && token.front() == ' ')
        token.remove_prefix(1);
    if (token.size() > max_size)
        return make_error(errc::token_too_large, std::to_string(token.size()) + " bytes");
    if (token.empty())
        return make_error(errc::malformed_authorization, "no token after the scheme");
    p.token = token;
    return p;
}

class validator {
public:
    /// `keys`: the issuer's key set cache, shared (it must outlive the
    /// validator; the caller fetches when keys.begin_fetch(now) says so).
    static result<validator> create(validator_options o, oidc::jwks_cache& keys) {
        if (o.issuer.empty() || o.audience.empty())
            return make_error(errc::invalid_options, "issuer and audience are required");
        if (o.introspection && o.introspection->client == nullptr)
            return make_error(errc::invalid_options, "introspection needs the gateway's client");
        if (o.algorithms.empty())
            return make_error(errc::invalid_options, "no algorithm allowed");
        for (const jose::algorithm a : jose::all_algorithms)
            if (o.algorithms.contains(a) && jose::info(a).family == jose::algorithm_family::hmac)
                return make_error(errc::invalid_options,
                                  "access tokens are verified with the issuer's public keys");
        return validator(std::move(o), keys);
    }

    const validator_options& options() const noexcept { return opt_; }

    /// The verified token behind `r`, its sender constraint checked; or why
    /// not (resource::errc, or dpop::errc for a proof).
    result<std::shared_ptr<const verified_access_token>> validate(const resource_request& r,
                                                                  time_point now) {
        OBAUTH_TRY(const presented_token p, read_authorization(r, opt_.max_token_size));
        std::shared_ptr<const verified_access_token> t;
        std::optional<verified_token_cache::key_type> key;
        if (cache_->enabled()) {
            key = verified_token_cache::key_of(p.token);
            t = cache_->find(*key, now);
        }
        if (!t && opt_.introspection && !detail::looks_like_jws(p.token)) {
            const auto k = key ? *key : verified_token_cache::key_of(p.token);
            if (introspected_->negative.find(k, now))
                return make_error(errc::invalid_token, "inactive (introspected)");
            t = introspected_->active.find(k, now);
            if (!t)
                return make_error(errc::introspection_required);
        }
        if (!t) {
            OBAUTH_TRY(t, verify(p.token, now));
            if (key)
                cache_->insert(*key, t, from_unix_seconds(t->exp()) + opt_.leeway, now);
        }
        OBAUTH_TRY_VOID(check_binding(*t, p, r, now));
        return t;
    }

    /// After introspection_required: the request to send to the
    /// introspection endpoint about `r`'s token.
    result<http::http_request> introspection_request(const resource_request& r,
                                                     time_point now) const {
        if (!opt_.introspection)
            return make_error(errc::invalid_options, "no introspection configured");
        OBAUTH_TRY(const presented_token p, read_authorization(r, opt_.max_token_size));
        return oauth::make_introspection_request(*opt_.introspection->client,
                                                 secret(bytes_view(p.token)), "access_token", now,
                                                 opt_.introspection->keys != nullptr);
    }

    /// The endpoint's answer about `r`'s token: kept (active until its exp,
    /// at most max_ttl; inactive for negative_ttl), then the token checked
    /// like a JWT one (issuer, audience, times, sender constraint).
    result<std::shared_ptr<const verified_access_token>>
    on_introspection(const resource_request& r, const http::http_response& resp, time_point now) {
        if (!opt_.introspection)
            return make_error(errc::invalid_options, "no introspection configured");
        OBAUTH_TRY(const presented_token p, read_authorization(r, opt_.max_token_size));
        const auto& in = *opt_.introspection;
        oauth::introspection_options io;
        io.issuer_keys = in.keys;
        io.algorithms = opt_.algorithms;
        io.issuer = opt_.issuer;
        io.client_id = in.client->auth.client_id();
        auto answer = oauth::process_introspection_response(resp, now, io);
        if (!answer)
            return make_error(errc::introspection_failed, answer.error().to_string());
        const auto key = verified_token_cache::key_of(p.token);
        auto t = from_introspection(*answer, now);
        if (!t) {
            introspected_->negative.insert(key, inactive_, now + in.negative_ttl, now);
            return std::move(t).error();
        }
        const auto until = (*t)->exp() != 0 ? from_unix_seconds((*t)->exp()) : now + in.max_ttl;
        introspected_->active.insert(key, *t, std::min(until, now + in.max_ttl), now);
        OBAUTH_TRY_VOID(check_binding(**t, p, r, now));
        return t;
    }

    /// validate(), with the introspection round trip (when one is needed)
    /// through `transport` (any callable
    /// `result<http::http_response>(const http::http_request&)`).
    template <class Transport>
    result<std::shared_ptr<const verified_access_token>>
    validate(const resource_request& r, time_point now, Transport&& transport) {
        auto t = validate(r, now);
        if (t || t.error().code != errc::introspection_required)
            return t;
        OBAUTH_TRY(const http::http_request req, introspection_request(r, now));
        auto resp = transport(req);
        if (!resp)
            return make_error(errc::introspection_failed, resp.error().to_string());
        return on_introspection(r, *resp, now);
    }

private:
    validator(validator_options o, oidc::jwks_cache& keys)
        : opt_(std::move(o)), keys_(&keys),
          cache_(std::make_shared<verified_token_cache>(opt_.cache)) {
        if (opt_.introspection) {
            const auto& in = *opt_.introspection;
            introspected_ = std::make_shared<introspection_caches>(
                token_cache_options{in.max_entries, in.max_ttl},
                token_cache_options{in.max_entries, in.negative_ttl});
        }
        policy_.issuer = opt_.issuer;
        policy_.audiences = {opt_.audience};
        policy_.require_exp = true;
        policy_.require_iat = true;
        policy_.leeway = opt_.leeway;
        policy_.typ = "at+jwt";
        verify_.algorithms = opt_.algorithms;
        verify_.max_token_size = opt_.max_token_size;
    }

    result<std::shared_ptr<const verified_access_token>> verify(std::string_view token,
                                                                time_point now) {
        auto t = keys_->with_keys(
            now, [&](const jose::jwks& keys) { return verify_with(token, keys, now); });
        if (!t && t.error().code == oidc::errc::jwks_unavailable)
            return make_error(errc::keys_unavailable, t.error().to_string());
        return t;
    }

    result<std::shared_ptr<const verified_access_token>>
    verify_with(std::string_view token, const jose::jwks& keys, time_point now) {
        // jose reads base64url and dots only, so a token it verifies is a
        // token68 JWS; the shape is looked at only to name a failure.
        detail::access_claims c;
        detail::access_claims_scan scan{c, {}, {}, false, false};
        auto jwt = jose::verify_jwt(token, keys, verify_, policy_, now, scan);
        if (!jwt) {
            if (!detail::is_token68(token))
                return make_error(errc::malformed_authorization, "the token is not a token68");
            if (!detail::looks_like_jws(token))
                return make_error(errc::not_a_jwt);
            if (jwt.error().code == jose::errc::key_not_found) {
                keys_->request_refresh(now);
                return make_error(errc::unknown_key, jwt.error().detail);
            }
            return make_error(errc::invalid_token, jwt.error().to_string());
        }
        return read_token(std::move(*jwt), c, scan.give_up);
    }

    /// The access token from jose's verified JWT (kept in it: every value
    /// a view into it) and what the claims visitor found in the same scan
    /// (`dom`: it gave up, the DOM decides).
    static result<std::shared_ptr<const verified_access_token>>
    read_token(jose::verified_jwt&& verified, detail::access_claims c, bool dom) {
        auto t =
            std::make_shared<verified_access_token>(verified_access_token::made_by_validator{});
        // Moved first: the visitor's views into the payload stay valid (its
        // text does not move with it), the JWT's unescaped values may not.
        const jose::verified_jwt& jwt = t->jwt_.emplace(std::move(verified));
        if (dom) {
            // Escapes or odd types: the DOM decides.
            OBAUTH_TRY(c, detail::access_claims_from(jwt.claims()));
        }
        if (jwt.sub().empty())
            return make_error(errc::missing_claim, "sub");
        if (jwt.jti().empty())
            return make_error(errc::missing_claim, "jti");
        if (c.client_id.empty())
            return make_error(errc::missing_claim, "client_id");
        detail::token_fields f;
        f.iss = jwt.iss();
        f.sub = jwt.sub();
        f.jti = jwt.jti();
        f.client_id = c.client_id;
        f.naud = jwt.audience_count();
        for (std::size_t i = 0; i < f.naud; ++i)
            f.aud[i] = jwt.audience(i);
        f.scope = c.scope;
        f.x5t = c.x5t;
        f.jkt = c.jkt;
        f.exp = jwt.exp().value_or(0);
        f.iat = jwt.iat().value_or(0);
        f.nbf = jwt.nbf();
        t->assemble(f, false);
        return std::shared_ptr<const verified_access_token>(std::move(t));
    }

    /// An active answer, checked like a JWT access token's claims.
    result<std::shared_ptr<const verified_access_token>>
    from_introspection(const oauth::introspection_result& a, time_point now) const {
        if (!a.active_at(now))
            return make_error(errc::invalid_token, "inactive (introspected)");
        const std::int64_t at = to_unix_seconds(now), leeway = opt_.leeway.count();
        if (a.nbf && *a.nbf > at + leeway)
            return make_error(errc::invalid_token, "not yet valid (introspected)");
        if (!a.iss.empty() && a.iss != opt_.issuer)
            return make_error(errc::invalid_token, "introspected iss " + quote(a.iss, 64));
        if (!a.aud.empty() && std::find(a.aud.begin(), a.aud.end(), opt_.audience) == a.aud.end())
            return make_error(errc::invalid_token, "introspected aud is not this resource");
        OBAUTH_TRY(const detail::access_claims c, detail::access_claims_from(a.claims));
        detail::token_fields f;
        f.iss = a.iss.empty() ? std::string_view(opt_.issuer) : std::string_view(a.iss);
        f.sub = a.sub;
        f.client_id = a.client_id;
        f.jti = a.jti;
        if (a.aud.size() > f.aud.size())
            return make_error(errc::invalid_token, "more than 16 introspected audiences");
        f.naud = a.aud.size();
        std::copy(a.aud.begin(), a.aud.end(), f.aud.begin());
        f.scopes.assign(a.scope.begin(), a.scope.end());
        f.x5t = c.x5t;
        f.jkt = c.jkt;
        f.exp = a.exp.value_or(0);
        f.iat = a.iat.value_or(0);
        f.nbf = a.nbf;
        auto t =
            std::make_shared<verified_access_token>(verified_access_token::made_by_validator{});
        t->assemble(f, true);
        t->claims_ = a.claims;
        return std::shared_ptr<const verified_access_token>(std::move(t));
    }

    result<void> check_binding(const verified_access_token& t, const presented_token& p,
                               const resource_request& r, time_point now) const {
        if (t.certificate_thumbprint()) {
            std::string computed;
            std::string_view presented;
            if (r.client_certificate_thumbprint) {
                presented = *r.client_certificate_thumbprint;
            } else if (r.client_certificate_der) {
                computed = oauth::certificate_thumbprint(*r.client_certificate_der);
                presented = computed;
            } else {
                return make_error(errc::certificate_required);
            }
            if (!constant_time_equal(bytes_view(presented),
                                     bytes_view(*t.certificate_thumbprint())))
                return make_error(errc::certificate_mismatch);
        }
        if (t.dpop_thumbprint()) {
            if (p.scheme != token_scheme::dpop)
                return make_error(errc::dpop_required);
            if (opt_.dpop.replay == nullptr)
                return make_error(errc::invalid_options, "DPoP needs dpop.replay");
            dpop::proof_request pr{r.dpop, r.method, r.url, p.token, t.dpop_thumbprint()};
            OBAUTH_TRY(const dpop::verified_proof proof, dpop::verify_proof(pr, now, opt_.dpop));
            (void)proof;
        } else if (p.scheme == token_scheme::dpop) {
            return make_error(errc::not_dpop_bound);
        }
        if (opt_.require_sender_constraint && !t.sender_constrained())
            return make_error(errc::unbound_token);
        return {};
    }

    struct introspection_caches {
        introspection_caches(token_cache_options a, token_cache_options n)
            : active(a), negative(n) {}
        verified_token_cache active, negative;
    };

    validator_options opt_;
    oidc::jwks_cache* keys_;
    std::shared_ptr<verified_token_cache> cache_; // shared by copies of the validator
    std::shared_ptr<introspection_caches> introspected_;
    /// What the negative cache holds: the answer was "inactive".
    std::shared_ptr<const verified_access_token> inactive_ =
        std::make_shared<verified_access_token>(verified_access_token::made_by_validator{});
    jose::jwt_validation policy_;
    jose::jws_verify_options verify_;
};

} // namespace obauth::resource
