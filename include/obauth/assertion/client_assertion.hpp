// Issuing client assertions: private_key_jwt and client_secret_jwt
// (RFC 7523 §2.2 and §3, OpenID Connect Core §9, FAPI 1.0 Advanced §5.2.2).
//
// iss = sub = client_id; aud as the caller chooses (the authorization
// server's issuer identifier is the recommended default of current
// guidance, RFC 7523bis; the token endpoint URL or a list also work); a jti
// of at least 128 random bits; iat and a short exp (60 s by default);
// optional nbf and explicit typ; kid in the header. The result carries the
// form parameters for a token, PAR, introspection or revocation request.
#pragma once

#include "error.hpp"

#include "../core/clock.hpp"
#include "../core/json.hpp"
#include "../core/random.hpp"
#include "../core/result.hpp"
#include "../core/secret.hpp"
#include "../jose/jws_sign_options.hpp"
#include "../jose/jwt.hpp"
#include "../jose/jwt_claims.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace obauth::assertion {

/// client_assertion_type for JWT assertions (RFC 7523 §2.2).
inline constexpr std::string_view jwt_bearer_type =
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

struct assertion_options {
    std::string client_id;
    /// The audience: {issuer} (recommended), {token endpoint}, or several.
    std::vector<std::string> audience;
    std::chrono::seconds lifetime{60};
    bool include_nbf = false;
    /// Explicit typing, e.g. "client-authentication+jwt"; none by default
    /// since many servers still refuse unknown types.
    std::optional<std::string> typ;
    /// Random octets in the jti (at least 16, i.e. 128 bits).
    std::size_t jti_octets = 16;
    /// Further claims (must not repeat the registered ones).
    json extra_claims = json::object();
};

/// A signed client assertion. `jwt` is a credential until it expires:
/// send it, never log it.
struct client_assertion {
    std::string jwt;
    std::string jti;
    time_point expires_at;

    /// client_assertion_type and client_assertion, for the request body.
    std::vector<std::pair<std::string, std::string>> form_parameters() const {
        return {{"client_assertion_type", std::string(jwt_bearer_type)}, {"client_assertion", jwt}};
    }
};

namespace detail {

inline result<client_assertion> make_assertion(const jose::jwk& key, jose::algorithm alg,
                                               const assertion_options& opt, time_point now,
                                               random_generator& rng) {
    if (opt.client_id.empty() || opt.audience.empty())
        return make_error(errc::invalid_options, "client_id and audience are required");
    for (const auto& a : opt.audience)
        if (a.empty())
            return make_error(errc::invalid_options, "empty audience");
    if (opt.lifetime <= std::chrono::seconds(0) || opt.lifetime > std::chrono::hours(1))
        return make_error(errc::invalid_options, "lifetime must be 1 s to 1 h");
    if (opt.jti_octets < 16 || opt.jti_octets > 64)
        return make_error(errc::invalid_options, "jti needs 16 to 64 random octets");
    OBAUTH_TRY(std::string jti, random_base64url(opt.jti_octets, rng));
    jose::jwt_claims c;
    c.iss = opt.client_id;
    c.sub = opt.client_id;
    c.aud = opt.audience;
    c.jti = jti;
    c.iat = now;
    c.exp = now + opt.lifetime;
    if (opt.include_nbf)
        c.nbf = now;
    c.extra = opt.extra_claims;
    jose::jws_sign_options so;
    so.alg = alg;
    if (opt.typ)
        so.typ = *opt.typ;
    OBAUTH_TRY(std::string jwt, jose::sign_jwt(c, key, so));
    return client_assertion{std::move(jwt), std::move(jti), *c.exp};
}

} // namespace detail

/// private_key_jwt: signed with the client's private key (any asymmetric
/// JWS algorithm; the key's own when `alg` is not given).
inline result<client_assertion> make_private_key_jwt(const jose::jwk& key,
                                                     const assertion_options& opt, time_point now,
                                                     std::optional<jose::algorithm> alg = {},
                                                     random_generator& rng = default_random()) {
    if (key.type() == jose::key_type::oct)
        return make_error(errc::wrong_key_type, "private_key_jwt needs an asymmetric key");
    jose::algorithm a{};
    if (alg) {
        a = *alg;
    } else {
        OBAUTH_TRY(a, key.default_algorithm());
    }
    return detail::make_assertion(key, a, opt, now, rng);
}

/// client_secret_jwt: an HMAC (HS256/384/512) keyed with the octets of the
/// client secret, which must be at least as long as the hash output.
inline result<client_assertion> make_client_secret_jwt(const secret& client_secret,
                                                       jose::algorithm alg,
                                                       const assertion_options& opt, time_point now,
                                                       random_generator& rng = default_random()) {
    if (jose::family(alg) != jose::algorithm_family::hmac)
        return make_error(errc::wrong_key_type, "client_secret_jwt uses HS256, HS384 or HS512");
    OBAUTH_TRY(const jose::jwk key, jose::make_hmac_key(client_secret.clone(), alg));
    return detail::make_assertion(key, alg, opt, now, rng);
}

} // namespace obauth::assertion
