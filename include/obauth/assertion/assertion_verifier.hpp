// Verifying client assertions as an authorization server or a gateway does
// (RFC 7523 §3, OpenID Connect Core §9, FAPI 1.0 Advanced §5.2.2-14):
// the signature against the client's registered keys under a pinned
// allow-list (fapi() allows PS256 and ES256 only); iss = sub = client_id;
// aud contains one of the accepted audiences; exp present and within a
// maximum lifetime; iat and nbf sane with leeway; a jti not seen before.
// The jti is recorded only after everything else passed, so forged
// assertions cannot fill the replay cache.
#pragma once

#include "error.hpp"
#include "jti_replay_cache.hpp"

#include "../core/clock.hpp"
#include "../core/result.hpp"
#include "../jose/jwks.hpp"
#include "../jose/jwt.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace obauth::assertion {

struct assertion_policy {
    std::string client_id;
    std::vector<std::string> audiences; ///< e.g. {issuer, token endpoint URL}
    /// The allowed algorithms. By default every asymmetric one: a client
    /// using client_secret_jwt needs HS* added and an oct key registered.
    jose::algorithm_set algorithms{
        jose::algorithm::RS256,  jose::algorithm::RS384, jose::algorithm::RS512,
        jose::algorithm::PS256,  jose::algorithm::PS384, jose::algorithm::PS512,
        jose::algorithm::ES256,  jose::algorithm::ES384, jose::algorithm::ES512,
        jose::algorithm::ES256K, jose::algorithm::EdDSA};
    std::chrono::seconds max_lifetime{300}; ///< exp - iat (exp - now without iat)
    std::chrono::seconds leeway{30};
    std::optional<std::string> typ; ///< require explicit typing

    /// FAPI 1.0 Advanced: PS256 or ES256, short-lived assertions.
    static assertion_policy fapi(std::string client_id, std::vector<std::string> audiences) {
        assertion_policy p;
        p.client_id = std::move(client_id);
        p.audiences = std::move(audiences);
        p.algorithms = jose::fapi_algorithms;
        p.max_lifetime = std::chrono::seconds(60);
        return p;
    }
};

namespace detail {
struct assertion_access;
}

class verified_client_assertion {
public:
    const std::string& client_id() const noexcept { return client_id_; }
    const std::string& jti() const noexcept { return jti_; }
    time_point expires_at() const noexcept { return expires_at_; }
    jose::algorithm alg() const noexcept { return alg_; }

private:
    friend struct detail::assertion_access;
    verified_client_assertion() = default;
    std::string client_id_;
    std::string jti_;
    time_point expires_at_;
    jose::algorithm alg_{};
};

namespace detail {
struct assertion_access {
    static result<verified_client_assertion> verify(std::string_view jwt,
                                                    const jose::jwks& client_keys,
                                                    const assertion_policy& p,
                                                    store::replay_store& cache, time_point now) {
        if (p.client_id.empty() || p.audiences.empty())
            return make_error(errc::invalid_options, "client_id and audiences are required");
        jose::jws_verify_options vo;
        vo.algorithms = p.algorithms;
        vo.max_token_size = 16 * 1024;
        jose::jwt_validation v;
        v.issuer = p.client_id;
        v.subject = p.client_id;
        v.audiences = p.audiences;
        v.require_exp = true;
        v.max_lifetime = p.max_lifetime;
        v.leeway = p.leeway;
        v.typ = p.typ;
        OBAUTH_TRY(const jose::verified_jwt t, jose::verify_jwt(jwt, client_keys, vo, v, now));
        if (t.jti().empty() || t.jti().size() > 256)
            return make_error(errc::missing_jti, "jti absent, empty or over 256 characters");
        verified_client_assertion out;
        out.client_id_ = p.client_id;
        out.jti_ = std::string(t.jti());
        out.expires_at_ = from_unix_seconds(*t.exp());
        out.alg_ = t.alg();
        // Remember the jti for as long as the assertion could be accepted.
        OBAUTH_TRY_VOID(use_jti(cache, out.client_id_, out.jti_, out.expires_at_ + p.leeway, now));
        return out;
    }
};
} // namespace detail

/// Verifies `jwt` as a client assertion of `policy.client_id`, signed by one
/// of `client_keys` (its registered JWKS), and records its jti in `cache`
/// (a jti_replay_cache, or any replay store shared by a fleet).
inline result<verified_client_assertion> verify_client_assertion(std::string_view jwt,
                                                                 const jose::jwks& client_keys,
                                                                 const assertion_policy& policy,
                                                                 store::replay_store& cache,
                                                                 time_point now) {
    return detail::assertion_access::verify(jwt, client_keys, policy, cache, now);
}

} // namespace obauth::assertion
