// The claim rules and the verifier behind jose/jwt.hpp (inline).
#pragma once

// Included first, this header declares and defines the helpers before
// jwt.hpp pulls in its definitions (which use them).
#define OBAUTH_JOSE_JWT_IMPL_OPEN

#include "../jwt.hpp"
#include "jwks_impl.hpp"
#include "jws_impl.hpp"

#include "../../core/ascii.hpp"
#include "../../core/json.hpp"
#include "../../core/json_scanner.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace obauth::jose {

namespace detail {

/// The claims the rules read, from the scanner (views into the payload) or
/// from a DOM (views into it).
struct claims_summary {
    claims_summary() noexcept {} // leaves the arrays uninitialized: counts say what is set
    struct date {
        member_kind kind = member_kind::absent; // `other` once present
        bool number = false;
        bool integral = false;
        std::string_view text; // scanner: the number as written
        double value = 0;      // DOM: the number itself
    };
    member_kind iss_kind = member_kind::absent, sub_kind = member_kind::absent,
                jti_kind = member_kind::absent, aud_kind = member_kind::absent;
    std::string_view iss, sub, jti;
    std::array<raw_view, 16> aud;
    std::size_t naud = 0;
    bool aud_non_string = false;
    date exp, nbf, iat;
    std::array<raw_view, obauth::json_scanner::max_keys> names;
    std::size_t nnames = 0;

    bool has(std::string_view name) const noexcept {
        return contains_name(names.data(), nnames, name);
    }
};

struct claims_scan_handler {
    enum member : std::uint8_t { iss, sub, jti, aud, exp, nbf, iat, other };

    claims_summary& s;
    bool ok = true;
    bool top_object = false;
    member current = other;

    static member classify(std::string_view n) noexcept {
        if (n.size() != 3)
            return other;
        switch (pack_name(n)) {
        case pack_name("iss"):
            return iss;
        case pack_name("sub"):
            return sub;
        case pack_name("jti"):
            return jti;
        case pack_name("aud"):
            return aud;
        case pack_name("exp"):
            return exp;
        case pack_name("nbf"):
            return nbf;
        case pack_name("iat"):
            return iat;
        default:
            return other;
        }
    }
    claims_summary::date* date() noexcept {
        return current == exp   ? &s.exp
               : current == nbf ? &s.nbf
               : current == iat ? &s.iat
                                : nullptr;
    }
    void other_value(std::size_t depth) noexcept {
        if (depth == 2 && current == aud) {
            s.aud_non_string = true;
            return;
        }
        if (depth != 1)
            return;
        switch (current) {
        case iss:
            s.iss_kind = member_kind::other;
            break;
        case sub:
            s.sub_kind = member_kind::other;
            break;
        case jti:
            s.jti_kind = member_kind::other;
            break;
        case aud:
            s.aud_kind = member_kind::other;
            break;
        case other:
            break;
        default:
            date()->kind = member_kind::other;
        }
    }

    void key(std::size_t depth, std::string_view name) noexcept {
        if (depth != 1)
            return;
        current = classify(name);
        s.names[s.nnames++] = name; // the scanner caps open names at max_keys
    }
    void string(std::size_t depth, std::string_view raw, bool escaped) noexcept {
        if (depth == 2 && current == aud && s.aud_kind == member_kind::array) {
            if (escaped || s.naud == s.aud.size())
                ok = false;
            else
                s.aud[s.naud++] = raw;
            return;
        }
        if (depth != 1)
            return;
        switch (current) {
        case iss:
            s.iss_kind = member_kind::string;
            s.iss = raw;
            break;
        case sub:
            s.sub_kind = member_kind::string;
            s.sub = raw;
            break;
        case jti:
            s.jti_kind = member_kind::string;
            s.jti = raw;
            break;
        case aud:
            s.aud_kind = member_kind::string;
            s.aud[0] = raw;
            s.naud = 1;
            break;
        case other:
            return;
        default:
            date()->kind = member_kind::other;
            return;
        }
        ok = ok && !escaped;
    }
    void number(std::size_t depth, std::string_view text, bool integral) noexcept {
        if (depth == 1) {
            if (auto* d = date()) {
                d->kind = member_kind::other;
                d->number = true;
                d->integral = integral;
                d->text = text;
                return;
            }
        }
        other_value(depth);
    }
    void literal(std::size_t depth, char) noexcept { other_value(depth); }
    void open(std::size_t depth, bool object) noexcept {
        if (depth == 0) {
            top_object = object;
            return;
        }
        if (depth == 1 && current == aud && !object) {
            s.aud_kind = member_kind::array;
            return;
        }
        other_value(depth);
    }
    void close(std::size_t) noexcept {}
};

/// The visitor of verify_jwt without one: sees nothing.
struct no_claims_visitor {
    void key(std::size_t, std::string_view) noexcept {}
    void string(std::size_t, std::string_view, bool) noexcept {}
    void number(std::size_t, std::string_view, bool) noexcept {}
    void literal(std::size_t, char) noexcept {}
    void open(std::size_t, bool) noexcept {}
    void close(std::size_t) noexcept {}
    void dom() noexcept {}
};

/// Every scanner event to the claim rules, then to the caller's visitor.
template <class Visitor>
struct visiting_scan_handler {
    static constexpr bool hot = true; // every token's claims: string members read inline
    claims_scan_handler& rules;
    Visitor& visitor;

    void key(std::size_t depth, std::string_view name) {
        rules.key(depth, name);
        visitor.key(depth, name);
    }
    void string(std::size_t depth, std::string_view raw, bool escaped) {
        rules.string(depth, raw, escaped);
        visitor.string(depth, raw, escaped);
    }
    void number(std::size_t depth, std::string_view text, bool integral) {
        rules.number(depth, text, integral);
        visitor.number(depth, text, integral);
    }
    void literal(std::size_t depth, char c) {
        rules.literal(depth, c);
        visitor.literal(depth, c);
    }
    void open(std::size_t depth, bool object) {
        rules.open(depth, object);
        visitor.open(depth, object);
    }
    void close(std::size_t depth) {
        rules.close(depth);
        visitor.close(depth);
    }
};

/// The summary from a DOM (after the scanner gave up: escapes, size).
inline result<claims_summary> summarize_claims(const json& c) {
    claims_summary s;
    const auto* obj = c.get_ptr<const json::object_t*>();
    if (obj->size() > s.names.size())
        return make_error(errc::invalid_claim, "more than 64 claims");
    for (const auto& [name, v] : *obj) {
        s.names[s.nnames++] = std::string_view(name);
        const auto* str = v.get_ptr<const json::string_t*>();
        const member_kind k = str ? member_kind::string : member_kind::other;
        const std::string_view text = str ? std::string_view(*str) : std::string_view();
        if (name == "iss") {
            s.iss_kind = k;
            s.iss = text;
        } else if (name == "sub") {
            s.sub_kind = k;
            s.sub = text;
        } else if (name == "jti") {
            s.jti_kind = k;
            s.jti = text;
        } else if (name == "aud") {
            if (str) {
                s.aud_kind = member_kind::string;
                s.aud[s.naud++] = std::string_view(*str);
            } else if (v.is_array()) {
                s.aud_kind = member_kind::array;
                if (v.size() > s.aud.size())
                    return make_error(errc::invalid_claim, "more than 16 audiences");
                for (const auto& a : v) {
                    if (const auto* as = a.get_ptr<const json::string_t*>())
                        s.aud[s.naud++] = std::string_view(*as);
                    else
                        s.aud_non_string = true;
                }
            } else {
                s.aud_kind = member_kind::other;
            }
        } else if (name == "exp" || name == "nbf" || name == "iat") {
            claims_summary::date& d = name == "exp" ? s.exp : name == "nbf" ? s.nbf : s.iat;
            d.kind = member_kind::other;
            d.number = v.is_number();
            d.integral = v.is_number_integer();
            if (v.is_number_unsigned())
                d.value = static_cast<double>(*v.get_ptr<const json::number_unsigned_t*>());
            else if (v.is_number_integer())
                d.value = static_cast<double>(*v.get_ptr<const json::number_integer_t*>());
            else if (v.is_number_float())
                d.value = *v.get_ptr<const json::number_float_t*>();
        }
    }
    return s;
}

/// What is wrong with a NumericDate, if anything.
enum class date_verdict : std::uint8_t { ok, not_a_number, out_of_range, not_an_integer };

/// A NumericDate: an integral value in [0, max_numeric_date], however it is
/// written (1e3, 1700000000.0); a value with a fraction only when the policy
/// allows it (then rounded down). `out` stays empty when the claim is absent.
inline date_verdict read_numeric_date(const claims_summary::date& d, bool allow_fraction,
                                      std::optional<std::int64_t>& out) noexcept {
    if (d.kind == member_kind::absent)
        return date_verdict::ok;
    if (!d.number)
        return date_verdict::not_a_number;
    double v = d.value;
    if (!d.text.empty()) {
        if (d.integral) {
            // At most 12 digits fit below max_numeric_date; a sign is out of range.
            if (d.text == "-0") { // as the DOM reads it: integer zero
                out = 0;
                return date_verdict::ok;
            }
            if (d.text[0] == '-' || d.text.size() > 12)
                return date_verdict::out_of_range;
            // Four digits at a time: their products do not wait on each other.
            const char* q = d.text.data();
            std::size_t n = d.text.size();
            std::int64_t i = 0;
            for (; n % 4 != 0; --n)
                i = i * 10 + (*q++ - '0');
            for (; n != 0; n -= 4, q += 4)
                i = i * 10000 +
                    ((q[0] - '0') * 1000 + (q[1] - '0') * 100 + (q[2] - '0') * 10 + (q[3] - '0'));
            if (i > max_numeric_date)
                return date_verdict::out_of_range;
            out = i;
            return date_verdict::ok;
        }
        std::from_chars(d.text.data(), d.text.data() + d.text.size(), v);
    }
    if (!std::isfinite(v) || v < 0 || v > static_cast<double>(max_numeric_date))
        return date_verdict::out_of_range;
    // Judged by its value, not its spelling: 1e3 and 1699999990.0 are integers.
    if (v != std::floor(v) && !allow_fraction)
        return date_verdict::not_an_integer;
    out = static_cast<std::int64_t>(std::floor(v));
    return date_verdict::ok;
}

inline error_info date_error(const char* name, date_verdict v) {
    return make_error(errc::invalid_claim,
                      std::string("'") + name + "' " +
                          (v == date_verdict::not_a_number   ? "is not a number"
                           : v == date_verdict::out_of_range ? "is out of range"
                                                             : "is not an integer"));
}

/// The rules of jwt_validation over a claims summary.
inline result<validated_times> check_claims(const claims_summary& c, const jwt_validation& p,
                                            time_point now_tp) {
    for (const auto& name : p.required_claims)
        if (!c.has(name))
            return make_error(errc::missing_claim, "'" + name.substr(0, 64) + "'");
    validated_times t;
    if (const auto v = read_numeric_date(c.exp, p.allow_fractional_dates, t.exp);
        v != date_verdict::ok)
        return date_error("exp", v);
    if (const auto v = read_numeric_date(c.nbf, p.allow_fractional_dates, t.nbf);
        v != date_verdict::ok)
        return date_error("nbf", v);
    if (const auto v = read_numeric_date(c.iat, p.allow_fractional_dates, t.iat);
        v != date_verdict::ok)
        return date_error("iat", v);
    if (c.iss_kind == member_kind::other || c.sub_kind == member_kind::other ||
        c.jti_kind == member_kind::other)
        return make_error(errc::invalid_claim, "'iss', 'sub' and 'jti' are strings");

    const std::int64_t now = to_unix_seconds(now_tp);
    const std::int64_t leeway = p.leeway.count();
    if (p.require_exp && !t.exp)
        return make_error(errc::missing_claim, "'exp'");
    if (p.require_iat && !t.iat)
        return make_error(errc::missing_claim, "'iat'");
    // Details name the values (dates as NumericDates, strings quoted and
    // cut short): a person reading the log can see what was off.
    auto at = [&](const char* claim, std::int64_t v) {
        return std::string(claim) + " " + std::to_string(v) + ", now " + std::to_string(now) +
               ", leeway " + std::to_string(leeway) + " s";
    };
    if (t.exp && now >= *t.exp + leeway)
        return make_error(errc::expired, at("exp", *t.exp));
    if (t.nbf && now + leeway < *t.nbf)
        return make_error(errc::not_yet_valid, at("nbf", *t.nbf));
    if (t.iat && *t.iat > now + leeway)
        return make_error(errc::issued_in_future, at("iat", *t.iat));
    if (p.max_age) {
        if (!t.iat)
            return make_error(errc::missing_claim, "'iat' (a maximum age is set)");
        if (now - *t.iat > p.max_age->count() + leeway)
            return make_error(errc::too_old, at("iat", *t.iat) + ", maximum age " +
                                                 std::to_string(p.max_age->count()) + " s");
    }
    if (p.max_lifetime && t.exp) {
        const std::int64_t start = t.iat ? *t.iat : now;
        if (*t.exp - start > p.max_lifetime->count())
            return make_error(errc::lifetime_too_long,
                              std::to_string(*t.exp - start) + " s, maximum " +
                                  std::to_string(p.max_lifetime->count()) + " s");
    }
    if (p.issuer) {
        if (c.iss_kind == member_kind::absent)
            return make_error(errc::missing_claim, "'iss'");
        if (c.iss != *p.issuer)
            return make_error(errc::issuer_mismatch,
                              "iss " + quote(c.iss, 80) + ", expected " + quote(*p.issuer, 80));
    }
    if (p.subject) {
        if (c.sub_kind == member_kind::absent)
            return make_error(errc::missing_claim, "'sub'");
        if (c.sub != *p.subject)
            return make_error(errc::subject_mismatch,
                              "sub " + quote(c.sub, 80) + ", expected " + quote(*p.subject, 80));
    }
    if (c.aud_kind != member_kind::absent) {
        if (c.aud_kind == member_kind::other ||
            (c.aud_kind == member_kind::array && (c.naud == 0 || c.aud_non_string)))
            return make_error(errc::invalid_claim, "'aud' is not a string or string array");
        bool match = false;
        for (std::size_t i = 0; i < c.naud && !match; ++i)
            match = std::find(p.audiences.begin(), p.audiences.end(), std::string_view(c.aud[i])) !=
                    p.audiences.end();
        if (!match) {
            std::string d =
                "aud " + quote(c.naud > 0 ? std::string_view(c.aud[0]) : std::string_view(), 80);
            if (c.naud > 1)
                d += " and " + std::to_string(c.naud - 1) + " more";
            d += ", expected ";
            d += p.audiences.empty() ? std::string("none") : quote(p.audiences.front(), 80);
            if (p.audiences.size() > 1)
                d += " or " + std::to_string(p.audiences.size() - 1) + " more";
            return make_error(errc::audience_mismatch, std::move(d));
        }
    } else if (!p.audiences.empty()) {
        return make_error(errc::missing_claim, "'aud'");
    }
    return t;
}

} // namespace detail

namespace detail {

struct jwt_access {
    template <class Candidates, class Visitor = no_claims_visitor>
    static result<verified_jwt> verify(std::string_view token, const jws_verify_options& opt,
                                       Candidates candidates, const jwt_validation& p,
                                       time_point now, Visitor&& visitor = Visitor{}) {
        compact_result r;
        OBAUTH_TRY_VOID(verify_compact_into(token, nullptr, opt, candidates, r));
        const header_summary& h = r.header.summary;
        if (h.b64_kind != member_kind::absent)
            return make_error(errc::invalid_b64, "b64 is not allowed in a JWT");
        if (p.typ) {
            if (h.typ_kind != member_kind::absent && h.typ_kind != member_kind::string)
                return make_error(errc::invalid_header, "typ is not a string");
            if (h.typ_kind == member_kind::absent || !same_media_type(h.typ, *p.typ))
                return make_error(errc::type_mismatch,
                                  "typ " +
                                      (h.typ_kind == member_kind::absent ? std::string("absent")
                                                                         : quote(h.typ, 64)) +
                                      ", expected " + quote(*p.typ, 64));
        }

        // The claims: scanned in place, or parsed when the scanner gives up.
        claims_summary c;
        std::unique_ptr<json> dom; // only when the scanner gave up
        const std::string_view text = r.payload();
        bool scanned = false;
        if (text.size() <= p.claims_limits.max_bytes) {
            claims_scan_handler handler{c, true, false, claims_scan_handler::other};
            visiting_scan_handler<std::remove_reference_t<Visitor>> both{handler, visitor};
            json_scanner scanner(text, p.claims_limits.max_depth);
            scanned = scanner.scan(both) && handler.ok;
            if (scanned && !handler.top_object)
                return make_error(errc::invalid_claim, "claims: not a JSON object");
        }
        if (!scanned) {
            visitor.dom();
            c = claims_summary{};
            auto parsed = parse_json_object(text, p.claims_limits);
            if (!parsed)
                return make_error(errc::invalid_claim, "claims: " + parsed.error().to_string());
            dom = std::make_unique<json>(std::move(*parsed));
            OBAUTH_TRY(c, summarize_claims(*dom));
        }
        OBAUTH_TRY(const validated_times times, check_claims(c, p, now));

        // Claim values as offsets into the payload, or copies when the DOM
        // decoded them. The payload's buffer moves into `t` first: `keep`
        // compares addresses with `text` and reads only the DOM's strings.
        std::string decoded;
        auto keep = [&text, &decoded](std::string_view v) {
            verified_jwt::span sp{0, static_cast<std::uint32_t>(v.size()), false};
            if (v.data() >= text.data() && v.data() + v.size() <= text.data() + text.size()) {
                sp.offset = static_cast<std::uint32_t>(v.data() - text.data());
            } else {
                sp.offset = static_cast<std::uint32_t>(decoded.size());
                sp.decoded = true;
                decoded.append(v);
            }
            return sp;
        };
        verified_jwt t(jws_access::make(r.facts.alg, std::move(r.header)), dom.release());
        t.times_ = times;
        t.iss_ = keep(c.iss);
        t.sub_ = keep(c.sub);
        t.jti_ = keep(c.jti);
        for (std::size_t i = 0; i < c.naud; ++i)
            t.aud_[i] = keep(c.aud[i]);
        t.naud_ = c.naud;
        if (!decoded.empty())
            t.decoded_ = std::move(decoded);
        return t;
    }
};

} // namespace detail

} // namespace obauth::jose

#undef OBAUTH_JOSE_JWT_IMPL_OPEN
#if OBAUTH_INCLUDE_IMPL
#include "../impl/jwt.ipp"
#endif
