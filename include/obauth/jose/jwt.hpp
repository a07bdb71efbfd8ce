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

#include "error.hpp"
#include "jwk.hpp"
#include "jwks.hpp"
#include "jws.hpp"

#include "../core/clock.hpp"
#include "../core/json.hpp"
#include "../core/result.hpp"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

/// A claim set to sign: the registered claims typed (RFC 7519 §4.1), any
/// other claim as JSON in `extra`.
struct jwt_claims {
    std::optional<std::string> iss;
    std::optional<std::string> sub;
    std::vector<std::string> aud; ///< one element is written as a string
    std::optional<time_point> exp;
    std::optional<time_point> nbf;
    std::optional<time_point> iat;
    std::optional<std::string> jti;
    json extra = json::object(); ///< must not repeat a registered claim

    /// The claim set as a JSON object, or an error when `extra` is not an
    /// object or repeats a registered claim.
    result<json> to_json() const {
        if (!extra.is_object())
            return make_error(errc::invalid_claim, "extra claims are not an object");
        json j = extra;
        auto put = [&j](const char* name, json value) -> result<void> {
            if (j.contains(name))
                return make_error(errc::invalid_claim,
                                  std::string("'") + name + "' set twice (typed and in extra)");
            j[name] = std::move(value);
            return {};
        };
        if (iss)
            OBAUTH_TRY_VOID(put("iss", *iss));
        if (sub)
            OBAUTH_TRY_VOID(put("sub", *sub));
        if (aud.size() == 1)
            OBAUTH_TRY_VOID(put("aud", aud.front()));
        else if (!aud.empty())
            OBAUTH_TRY_VOID(put("aud", aud));
        if (exp)
            OBAUTH_TRY_VOID(put("exp", to_unix_seconds(*exp)));
        if (nbf)
            OBAUTH_TRY_VOID(put("nbf", to_unix_seconds(*nbf)));
        if (iat)
            OBAUTH_TRY_VOID(put("iat", to_unix_seconds(*iat)));
        if (jti)
            OBAUTH_TRY_VOID(put("jti", *jti));
        return j;
    }
};

/// Largest NumericDate accepted: 9999-12-31T23:59:59Z.
inline constexpr std::int64_t max_numeric_date = 253402300799;

namespace detail {
struct jwt_access;
}

class verified_jwt {
public:
    algorithm alg() const noexcept { return alg_; }
    const json& header() const noexcept { return header_; }
    const json& claims() const noexcept { return claims_; }

    std::string_view iss() const noexcept { return str("iss"); }
    std::string_view sub() const noexcept { return str("sub"); }
    std::string_view jti() const noexcept { return str("jti"); }
    std::optional<std::int64_t> exp() const noexcept { return exp_; }
    std::optional<std::int64_t> nbf() const noexcept { return nbf_; }
    std::optional<std::int64_t> iat() const noexcept { return iat_; }
    /// The audiences (a single-string "aud" becomes one element).
    std::vector<std::string_view> aud() const {
        std::vector<std::string_view> out;
        if (const json* a = find_member(claims_, "aud")) {
            if (const auto* s = a->get_ptr<const json::string_t*>())
                out.emplace_back(*s);
            else
                for (const auto& e : *a)
                    out.emplace_back(*e.get_ptr<const json::string_t*>());
        }
        return out;
    }

private:
    friend struct detail::jwt_access;
    verified_jwt() = default;
    std::string_view str(const char* name) const noexcept {
        const json* m = find_member(claims_, name);
        return m && m->is_string() ? std::string_view(*m->get_ptr<const json::string_t*>())
                                   : std::string_view();
    }
    algorithm alg_{};
    json header_;
    json claims_;
    std::optional<std::int64_t> exp_, nbf_, iat_;
};

namespace detail {

inline char ascii_lower(char c) noexcept {
    return c >= 'A' && c <= 'Z' ? char(c + 32) : c;
}

inline bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i]))
            return false;
    return true;
}

/// RFC 7515 §4.1.9: media types compare case-insensitively, and
/// "application/" may be omitted.
inline bool same_media_type(std::string_view a, std::string_view b) noexcept {
    auto strip = [](std::string_view t) {
        constexpr std::string_view prefix = "application/";
        if (t.size() > prefix.size() && iequals(t.substr(0, prefix.size()), prefix))
            t.remove_prefix(prefix.size());
        return t;
    };
    return iequals(strip(a), strip(b));
}

inline result<std::optional<std::int64_t>> numeric_date(const json& claims, const char* name,
                                                        bool allow_fraction) {
    const json* v = find_member(claims, name);
    if (v == nullptr)
        return std::optional<std::int64_t>{};
    auto bad = [name](const char* why) {
        return make_error(errc::invalid_claim, std::string("'") + name + "' " + why);
    };
    std::int64_t value = 0;
    switch (v->type()) {
    case json::value_t::number_integer:
        value = *v->get_ptr<const json::number_integer_t*>();
        break;
    case json::value_t::number_unsigned: {
        const auto u = *v->get_ptr<const json::number_unsigned_t*>();
        if (u > static_cast<std::uint64_t>(max_numeric_date))
            return bad("is out of range");
        value = static_cast<std::int64_t>(u);
        break;
    }
    case json::value_t::number_float: {
        // 1.5, 1.0 and 1e9 are all floats in JSON text: only a policy that
        // allows fractions takes them, rounded down.
        if (!allow_fraction)
            return bad("is not an integer");
        const double d = *v->get_ptr<const json::number_float_t*>();
        if (!std::isfinite(d) || d < 0 || d > static_cast<double>(max_numeric_date))
            return bad("is out of range");
        value = static_cast<std::int64_t>(std::floor(d));
        break;
    }
    default:
        return bad("is not a number");
    }
    if (value < 0 || value > max_numeric_date)
        return bad("is out of range");
    return std::optional<std::int64_t>(value);
}

struct jwt_access {
    static result<verified_jwt> validate(verified_jws jws, const jwt_validation& policy,
                                         time_point now);
};

inline result<verified_jwt> jwt_access::validate(verified_jws jws, const jwt_validation& p,
                                                 time_point now_tp) {
    verified_jwt t;
    t.alg_ = jws.alg();
    t.header_ = jws.header();
    if (find_member(t.header_, "b64") != nullptr)
        return make_error(errc::invalid_b64, "b64 is not allowed in a JWT");
    if (p.typ) {
        auto typ = get_optional_string(t.header_, "typ");
        if (!typ)
            return make_error(errc::invalid_header, typ.error().detail);
        if (!typ->has_value() || !same_media_type(**typ, *p.typ))
            return make_error(errc::type_mismatch, "expected typ " + p.typ->substr(0, 64));
    }
    auto claims = parse_json_object(jws.payload(), p.claims_limits);
    if (!claims)
        return make_error(errc::invalid_claim, "claims: " + claims.error().to_string());
    t.claims_ = std::move(*claims);
    const json& c = t.claims_;

    for (const auto& name : p.required_claims)
        if (find_member(c, name) == nullptr)
            return make_error(errc::missing_claim, "'" + name.substr(0, 64) + "'");
    OBAUTH_TRY(t.exp_, numeric_date(c, "exp", p.allow_fractional_dates));
    OBAUTH_TRY(t.nbf_, numeric_date(c, "nbf", p.allow_fractional_dates));
    OBAUTH_TRY(t.iat_, numeric_date(c, "iat", p.allow_fractional_dates));
    for (const char* s : {"iss", "sub", "jti"}) {
        const json* m = find_member(c, s);
        if (m != nullptr && !m->is_string())
            return make_error(errc::invalid_claim, std::string("'") + s + "' is not a string");
    }

    const std::int64_t now = to_unix_seconds(now_tp);
    const std::int64_t leeway = p.leeway.count();
    if (p.require_exp && !t.exp_)
        return make_error(errc::missing_claim, "'exp'");
    if (p.require_iat && !t.iat_)
        return make_error(errc::missing_claim, "'iat'");
    if (t.exp_ && now >= *t.exp_ + leeway)
        return errc::expired;
    if (t.nbf_ && now + leeway < *t.nbf_)
        return errc::not_yet_valid;
    if (t.iat_ && *t.iat_ > now + leeway)
        return errc::issued_in_future;
    if (p.max_age) {
        if (!t.iat_)
            return make_error(errc::missing_claim, "'iat' (a maximum age is set)");
        if (now - *t.iat_ > p.max_age->count() + leeway)
            return errc::too_old;
    }
    if (p.max_lifetime && t.exp_) {
        const std::int64_t start = t.iat_ ? *t.iat_ : now;
        if (*t.exp_ - start > p.max_lifetime->count())
            return errc::lifetime_too_long;
    }

    if (p.issuer) {
        const json* iss = find_member(c, "iss");
        if (iss == nullptr)
            return make_error(errc::missing_claim, "'iss'");
        if (*iss->get_ptr<const json::string_t*>() != *p.issuer)
            return errc::issuer_mismatch;
    }
    if (p.subject) {
        const json* sub = find_member(c, "sub");
        if (sub == nullptr)
            return make_error(errc::missing_claim, "'sub'");
        if (*sub->get_ptr<const json::string_t*>() != *p.subject)
            return errc::subject_mismatch;
    }
    const json* aud = find_member(c, "aud");
    if (aud != nullptr) {
        const bool is_string = aud->is_string();
        if (!is_string && !(aud->is_array() && !aud->empty() && is_string_array(*aud)))
            return make_error(errc::invalid_claim, "'aud' is not a string or string array");
        bool match = false;
        auto accepted = [&p](const std::string& a) {
            return std::find(p.audiences.begin(), p.audiences.end(), a) != p.audiences.end();
        };
        if (is_string)
            match = accepted(*aud->get_ptr<const json::string_t*>());
        else
            for (const auto& a : *aud)
                match = match || accepted(*a.get_ptr<const json::string_t*>());
        if (!match)
            return errc::audience_mismatch;
    } else if (!p.audiences.empty()) {
        return make_error(errc::missing_claim, "'aud'");
    }
    return t;
}

} // namespace detail

/// Verifies a compact JWT: signature (pinned algorithms, this key), then the
/// claims under `policy` at time `now`.
inline result<verified_jwt> verify_jwt(std::string_view token, const jwk& key,
                                       const jws_verify_options& opt, const jwt_validation& policy,
                                       time_point now) {
    OBAUTH_TRY(verified_jws jws, verify_compact(token, key, opt));
    return detail::jwt_access::validate(std::move(jws), policy, now);
}

/// The same with the key of `set` that the token's kid names.
inline result<verified_jwt> verify_jwt(std::string_view token, const jwks& set,
                                       const jws_verify_options& opt, const jwt_validation& policy,
                                       time_point now) {
    OBAUTH_TRY(verified_jws jws, verify_compact(token, set, opt));
    return detail::jwt_access::validate(std::move(jws), policy, now);
}

/// Signs `claims` (a JSON object) into a compact JWT; "typ" defaults to
/// "JWT". Registered time claims are the caller's to set (see jwt_claims).
inline result<std::string> sign_jwt(const json& claims, const jwk& key, jws_sign_options opt = {}) {
    if (!claims.is_object())
        return make_error(errc::invalid_claim, "claims are a JSON object");
    if (!opt.b64 || opt.detached)
        return make_error(errc::invalid_b64, "a JWT has an encoded, attached payload");
    if (!opt.typ)
        opt.typ = "JWT";
    OBAUTH_TRY(const std::string payload, serialize_json(claims));
    return sign_compact(payload, key, opt);
}

/// Signs a typed claim set.
inline result<std::string> sign_jwt(const jwt_claims& claims, const jwk& key,
                                    jws_sign_options opt = {}) {
    OBAUTH_TRY(const json j, claims.to_json());
    return sign_jwt(j, key, std::move(opt));
}

} // namespace obauth::jose
