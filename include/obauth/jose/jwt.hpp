// JSON Web Tokens: RFC 7519 (claims, §7.2 validation), RFC 8725 (best
// current practice: explicit typing §3.11, algorithm pinning §3.1) and
// RFC 9068 (at+jwt).
//
// verify_jwt = verify_compact with the caller's algorithm allow-list and key,
// then the claims policy: NumericDates are integers in a sane range
// (fractions only when the policy allows them), exp/nbf/iat with leeway,
// maximum age and lifetime, exact issuer, audience membership (a token with
// an "aud" is refused by a caller that names no audience, RFC 7519 §4.1.3),
// subject, required claims, and "typ" compared as RFC 8725 asks. "b64" is
// never honoured in a JWT.
#pragma once

#include "algorithm.hpp"
#include "detail/lazy_json.hpp"
#include "error.hpp"
#include "jwk.hpp"
#include "jwks.hpp"
#include "jws.hpp"

#include "../core/clock.hpp"
#include "../core/config.hpp"
#include "../core/json_fwd.hpp"
#include "../core/result.hpp"

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// jwt_claims holds a JSON value: header-only, it comes with this header;
// separately compiled, include <obauth/jose/jwt_claims.hpp>.
#if !defined(OBAUTH_SEPARATE_COMPILATION)
#include "jwt_claims.hpp"
#endif

namespace obauth::jose {

struct jwt_validation {
    std::optional<std::string> issuer;  ///< exact match when set
    std::vector<std::string> audiences; ///< token "aud" must contain one of these
    std::optional<std::string> subject; ///< exact match when set
    std::vector<std::string> required_claims;
    bool require_exp = true;
    bool require_iat = false;
    std::chrono::seconds leeway{30};
    std::optional<std::chrono::seconds> max_age;      ///< now - iat
    std::optional<std::chrono::seconds> max_lifetime; ///< exp - iat (or exp - now)
    bool allow_fractional_dates = false;
    /// Expected "typ" header (e.g. "JWT", "at+jwt"); when set, it must be
    /// present and equal under RFC 8725 §3.11 / RFC 7515 §4.1.9 rules.
    std::optional<std::string> typ;
    json_limits claims_limits{64 * 1024, 16};
};

struct jwt_claims;

/// Largest NumericDate accepted: 9999-12-31T23:59:59Z.
inline constexpr std::int64_t max_numeric_date = 253402300799;

namespace detail {
struct jwt_access;

struct validated_times {
    std::optional<std::int64_t> exp, nbf, iat;
};
} // namespace detail

class verified_jwt {
public:
    algorithm alg() const noexcept { return jws_.alg(); }
    /// The protected header, parsed on first use.
    const json& header() const;
    /// The claims as received (JSON text). The text stays where it is when
    /// the verified_jwt is moved: views into it remain valid.
    std::string_view payload() const noexcept { return jws_.payload(); }
    /// All claims, parsed on first use (safe from several threads).
    const json& claims() const;

    std::string_view iss() const noexcept { return view(iss_); }
    std::string_view sub() const noexcept { return view(sub_); }
    std::string_view jti() const noexcept { return view(jti_); }
    std::optional<std::int64_t> exp() const noexcept { return times_.exp; }
    std::optional<std::int64_t> nbf() const noexcept { return times_.nbf; }
    std::optional<std::int64_t> iat() const noexcept { return times_.iat; }
    /// The number of audiences and the i-th (i < audience_count()), without
    /// the vector aud() makes.
    std::size_t audience_count() const noexcept { return naud_; }
    std::string_view audience(std::size_t i) const noexcept { return view(aud_[i]); }
    /// The audiences (a single-string "aud" becomes one element).
    std::vector<std::string_view> aud() const {
        std::vector<std::string_view> out;
        out.reserve(naud_);
        for (std::size_t i = 0; i < naud_; ++i)
            out.push_back(view(aud_[i]));
        return out;
    }

private:
    friend struct detail::jwt_access;
    // A claim value: a slice of the payload, or (when it had escapes) of
    // `decoded_`.
    struct span {
        std::uint32_t offset, length;
        bool decoded;
    };
    verified_jwt(verified_jws&& jws, json* claims_dom) noexcept
        : jws_(std::move(jws)), claims_(claims_dom) {}
    std::string_view view(span s) const noexcept {
        return (s.decoded ? std::string_view(decoded_) : jws_.payload()).substr(s.offset, s.length);
    }

    verified_jws jws_;
    detail::lazy_json claims_;
    detail::validated_times times_;
    std::string decoded_;
    span iss_{}, sub_{}, jti_{};
    std::array<span, 16> aud_; // only the first naud_ set: no 192-byte fill per token
    std::size_t naud_ = 0;
};

/// Verifies a compact JWT: signature (pinned algorithms, this key), then the
/// claims under `policy` at time `now`.
OBAUTH_DECL result<verified_jwt> verify_jwt(std::string_view token, const jwk& key,
                                            const jws_verify_options& opt,
                                            const jwt_validation& policy, time_point now);

/// The same with the key of `set` that the token's kid names.
OBAUTH_DECL result<verified_jwt> verify_jwt(std::string_view token, const jwks& set,
                                            const jws_verify_options& opt,
                                            const jwt_validation& policy, time_point now);

/// Signs `claims` (a JSON object) into a compact JWT; "typ" defaults to
/// "JWT". Registered time claims are the caller's to set (see jwt_claims).
OBAUTH_DECL result<std::string> sign_jwt(const json& claims, const jwk& key);
OBAUTH_DECL result<std::string> sign_jwt(const json& claims, const jwk& key,
                                         const jws_sign_options& opt);

/// Signs a typed claim set (jose/jwt_claims.hpp).
OBAUTH_DECL result<std::string> sign_jwt(const jwt_claims& claims, const jwk& key);
OBAUTH_DECL result<std::string> sign_jwt(const jwt_claims& claims, const jwk& key,
                                         const jws_sign_options& opt);

} // namespace obauth::jose

// Header-only: the definitions (detail/jwt_impl.hpp includes them itself
// when it is included first).
#if OBAUTH_INCLUDE_IMPL && !defined(OBAUTH_JOSE_JWT_IMPL_OPEN)
#include "impl/jwt.ipp"
#endif
