// The definitions of jose/jwt.hpp: inline when header-only, compiled in
// src/obauth.cpp with OBAUTH_SEPARATE_COMPILATION.
#pragma once

#include "../detail/jwt_impl.hpp"
#include "../jwt_claims.hpp"

namespace obauth::jose {

OBAUTH_DECL const json& verified_jwt::header() const {
    return jws_.header();
}

OBAUTH_DECL const json& verified_jwt::claims() const {
    return claims_.get(jws_.payload());
}

OBAUTH_DECL result<verified_jwt> verify_jwt(std::string_view token, const jwk& key,
                                            const jws_verify_options& opt,
                                            const jwt_validation& policy, time_point now) {
    return detail::jwt_access::verify(token, opt, detail::single_key{&key}, policy, now);
}

OBAUTH_DECL result<verified_jwt> verify_jwt(std::string_view token, const jwks& set,
                                            const jws_verify_options& opt,
                                            const jwt_validation& policy, time_point now) {
    return detail::jwt_access::verify(
        token, opt, detail::key_set_candidates{&set, opt.try_all_keys}, policy, now);
}

OBAUTH_DECL result<std::string> sign_jwt(const json& claims, const jwk& key) {
    return sign_jwt(claims, key, jws_sign_options{});
}

OBAUTH_DECL result<std::string> sign_jwt(const json& claims, const jwk& key,
                                         const jws_sign_options& options) {
    if (!claims.is_object())
        return make_error(errc::invalid_claim, "claims are a JSON object");
    if (!options.b64 || options.detached)
        return make_error(errc::invalid_b64, "a JWT has an encoded, attached payload");
    static const std::optional<std::string> jwt_typ("JWT");
    std::string& payload = detail::scratch(1);
    if (!serialize_json_append(claims, payload))
        return make_error(errc::invalid_claim, "claims cannot be serialized");
    return detail::sign_compact(payload, key, options, options.typ ? options.typ : jwt_typ);
}

OBAUTH_DECL result<std::string> sign_jwt(const jwt_claims& claims, const jwk& key) {
    return sign_jwt(claims, key, jws_sign_options{});
}

OBAUTH_DECL result<std::string> sign_jwt(const jwt_claims& claims, const jwk& key,
                                         const jws_sign_options& opt) {
    OBAUTH_TRY(const json j, claims.to_json());
    return sign_jwt(j, key, opt);
}

} // namespace obauth::jose
