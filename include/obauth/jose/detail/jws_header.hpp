// JOSE header processing shared by the compact and JSON serializations:
// a summary of the members that matter (alg, kid, typ, crit, b64 and the
// names present), filled by the allocation-free scanner on the hot path or
// from a DOM otherwise, and one set of rules (check_header) applied to it.
// Also the signer's side: the protected header written straight as text.
#pragma once

#include "../algorithm.hpp"
#include "../error.hpp"

#include "../../core/json.hpp"
#include "../../core/json_scanner.hpp"
#include "../../core/result.hpp"
#include "../../core/utf8.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace obauth::jose::detail {

inline constexpr std::size_t max_header_members = 64;
inline constexpr std::size_t max_crit_names = 16;
inline constexpr std::size_t max_kid_chars = 256;

inline bool is_registered_header(std::string_view n) noexcept {
    // RFC 7515 §4.1 and RFC 7516 §4.1: not allowed in "crit".
    for (const char* r :
         {"alg",  "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty",
          "crit", "enc", "zip", "epk", "apu", "apv", "iv",  "tag",      "p2s", "p2c"})
        if (n == r)
            return true;
    return false;
}

enum class member_kind : std::uint8_t { absent, string, boolean_true, boolean_false, array, other };

/// A string view that is trivially default-constructible, so the summaries'
/// arrays of names are not zero-filled on every verification.
struct raw_view {
    const char* p;
    std::size_t n;
    raw_view() = default;
    constexpr raw_view(std::string_view v) noexcept : p(v.data()), n(v.size()) {}
    constexpr operator std::string_view() const noexcept { return {p, n}; }
};

inline bool contains_name(const raw_view* names, std::size_t count,
                          std::string_view name) noexcept {
    for (std::size_t i = 0; i < count; ++i)
        if (std::string_view(names[i]) == name)
            return true;
    return false;
}

struct header_summary {
    header_summary() noexcept {} // leaves the arrays uninitialized: counts say what is set

    member_kind alg_kind = member_kind::absent, kid_kind = member_kind::absent,
                typ_kind = member_kind::absent, crit_kind = member_kind::absent,
                b64_kind = member_kind::absent;
    std::string_view alg, kid, typ;
    std::array<raw_view, max_crit_names> crit;
    std::size_t ncrit = 0;
    bool crit_has_non_string = false;
    std::array<raw_view, max_header_members> names;
    std::size_t nnames = 0;

    bool has(std::string_view name) const noexcept {
        return contains_name(names.data(), nnames, name);
    }
};

/// Fills a summary from the scanner's events. `ok` turns false when a
/// member the rules read carries escapes (the DOM path then decides).
struct header_scan_handler {
    enum member : std::uint8_t { alg, kid, typ, crit, b64, other };

    header_summary& s;
    bool ok = true;
    bool top_object = false;
    member current = other; // top-level member whose value is being read

    static member classify(std::string_view n) noexcept {
        if (n.size() > 4)
            return other;
        switch (pack_name(n)) {
        case pack_name("alg"):
            return alg;
        case pack_name("kid"):
            return kid;
        case pack_name("typ"):
            return typ;
        case pack_name("b64"):
            return b64;
        case pack_name("crit"):
            return crit;
        default:
            return other;
        }
    }
    member_kind* kind() noexcept {
        switch (current) {
        case alg:
            return &s.alg_kind;
        case kid:
            return &s.kid_kind;
        case typ:
            return &s.typ_kind;
        case crit:
            return &s.crit_kind;
        case b64:
            return &s.b64_kind;
        default:
            return nullptr;
        }
    }
    void key(std::size_t depth, std::string_view name) noexcept {
        if (depth != 1)
            return;
        current = classify(name);
        if (s.nnames == max_header_members) {
            ok = false;
            return;
        }
        s.names[s.nnames++] = std::string_view(name);
    }
    void string(std::size_t depth, std::string_view raw, bool escaped) noexcept {
        if (depth == 2 && current == crit && s.crit_kind == member_kind::array) {
            if (escaped || s.ncrit == max_crit_names)
                ok = false;
            else
                s.crit[s.ncrit++] = raw;
            return;
        }
        if (depth != 1 || current == other)
            return;
        *kind() = member_kind::string;
        if (current == alg || current == kid || current == typ) {
            ok = ok && !escaped;
            (current == alg ? s.alg : current == kid ? s.kid : s.typ) = raw;
        }
    }
    void number(std::size_t depth, std::string_view, bool) noexcept {
        mark(depth, member_kind::other);
    }
    void literal(std::size_t depth, char c) noexcept {
        mark(depth, c == 't'   ? member_kind::boolean_true
                    : c == 'f' ? member_kind::boolean_false
                               : member_kind::other);
    }
    void open(std::size_t depth, bool object) noexcept {
        if (depth == 0)
            top_object = object;
        else
            mark(depth, object ? member_kind::other : member_kind::array);
    }
    void close(std::size_t) noexcept {}

    void mark(std::size_t depth, member_kind k) noexcept {
        if (depth == 2 && current == crit)
            s.crit_has_non_string = true;
        else if (depth == 1 && current != other)
            *kind() = k;
    }
};

inline member_kind kind_of_value(const json& v) noexcept {
    if (v.is_string())
        return member_kind::string;
    if (v.is_boolean())
        return *v.get_ptr<const json::boolean_t*>() ? member_kind::boolean_true
                                                    : member_kind::boolean_false;
    if (v.is_array())
        return member_kind::array;
    return member_kind::other;
}

/// The same summary from a parsed header (views point into `h`).
inline result<header_summary> summarize_header(const json& h) {
    header_summary s;
    const auto* obj = h.get_ptr<const json::object_t*>();
    if (obj == nullptr)
        return make_error(errc::invalid_header, "header is not an object");
    if (obj->size() > max_header_members)
        return make_error(errc::invalid_header, "more than 64 header members");
    for (const auto& [name, value] : *obj) {
        s.names[s.nnames++] = std::string_view(name);
        const member_kind k = kind_of_value(value);
        const auto* str = value.get_ptr<const json::string_t*>();
        if (name == "alg") {
            s.alg_kind = k;
            if (str)
                s.alg = *str;
        } else if (name == "kid") {
            s.kid_kind = k;
            if (str)
                s.kid = *str;
        } else if (name == "typ") {
            s.typ_kind = k;
            if (str)
                s.typ = *str;
        } else if (name == "b64") {
            s.b64_kind = k;
        } else if (name == "crit") {
            s.crit_kind = k;
            if (k == member_kind::array) {
                if (value.size() > max_crit_names)
                    return make_error(errc::invalid_crit, "more than 16 crit names");
                for (const auto& c : value) {
                    if (const auto* cs = c.get_ptr<const json::string_t*>())
                        s.crit[s.ncrit++] = std::string_view(*cs);
                    else
                        s.crit_has_non_string = true;
                }
            }
        }
    }
    return s;
}

struct header_facts {
    algorithm alg;
    bool b64 = true;
};

/// The header rules: alg present, supported and allowed; kid a bounded
/// string; crit as RFC 7515 §4.1.11 requires (non-empty array of distinct,
/// unregistered names that are present and understood); b64 a boolean
/// listed in crit (RFC 7797 §6).
inline result<header_facts> check_header(const header_summary& s, algorithm_set allowed,
                                         const std::vector<std::string>& understood) {
    if (s.alg_kind != member_kind::string)
        return make_error(errc::invalid_header, s.alg_kind == member_kind::absent
                                                    ? "protected header: member 'alg' is missing"
                                                    : "protected header: 'alg' is not a string");
    OBAUTH_TRY(const algorithm alg, parse_algorithm(s.alg));
    if (!allowed.contains(alg))
        return make_error(errc::algorithm_not_allowed, std::string(to_string(alg)));
    if (s.kid_kind != member_kind::absent &&
        (s.kid_kind != member_kind::string || s.kid.size() > max_kid_chars))
        return make_error(errc::invalid_header, "kid is not a string of at most 256 characters");
    header_facts facts{alg, true};
    bool b64_critical = false;
    if (s.crit_kind != member_kind::absent) {
        if (s.crit_kind != member_kind::array || s.ncrit == 0 || s.crit_has_non_string)
            return make_error(errc::invalid_crit, "crit is not a non-empty array of strings");
        for (std::size_t i = 0; i < s.ncrit; ++i) {
            const std::string_view name = s.crit[i];
            for (std::size_t j = 0; j < i; ++j)
                if (std::string_view(s.crit[j]) == name)
                    return make_error(errc::invalid_crit, "crit lists a name twice");
            if (is_registered_header(name))
                return make_error(errc::invalid_crit, "crit lists a registered name");
            if (!s.has(name))
                return make_error(errc::invalid_crit, "crit lists a name absent from the header");
            if (name == "b64") {
                b64_critical = true;
                continue;
            }
            if (std::find(understood.begin(), understood.end(), name) == understood.end())
                return make_error(errc::unsupported_critical,
                                  "'" + std::string(name.substr(0, 64)) + "' is not understood");
        }
    }
    if (s.b64_kind != member_kind::absent) {
        if (s.b64_kind != member_kind::boolean_true && s.b64_kind != member_kind::boolean_false)
            return make_error(errc::invalid_b64, "b64 is not a boolean");
        if (!b64_critical)
            return make_error(errc::invalid_b64, "b64 is not listed in crit");
        facts.b64 = s.b64_kind == member_kind::boolean_true;
    }
    return facts;
}

/// Writes the protected header as JSON text, members in name order: the
/// signer's alg/b64/crit/kid/typ merged with the caller's extra members.
inline result<void> write_header(std::string_view alg, std::string_view kid,
                                 const std::optional<std::string>& typ, bool b64,
                                 const std::vector<std::string>& critical, const json& extra,
                                 std::string& out) {
    static const json::object_t none;
    const auto* ex = extra.is_null() ? &none : extra.get_ptr<const json::object_t*>();
    if (ex == nullptr)
        return make_error(errc::invalid_header, "extra_header is not an object or null");
    for (const char* reserved : {"alg", "b64", "crit"})
        if (ex->count(reserved) != 0)
            return make_error(errc::invalid_header,
                              std::string("'") + reserved + "' is set by the signer");
    if ((!kid.empty() && ex->count("kid") != 0) || (typ && ex->count("typ") != 0))
        return make_error(errc::invalid_header, "kid or typ set twice");
    const bool has_crit = !critical.empty() || !b64;
    for (const auto& c : critical)
        if (is_registered_header(c) || c == "b64" || ex->count(c) == 0)
            return make_error(errc::invalid_crit,
                              "crit name '" + c.substr(0, 64) + "' is registered or has no value");

    // The signer's own members, already in name order.
    struct own {
        std::string_view name;
        int which; // 0 alg, 1 b64, 2 crit, 3 kid, 4 typ
    };
    own mine[5];
    std::size_t n = 0;
    mine[n++] = {"alg", 0};
    if (!b64)
        mine[n++] = {"b64", 1};
    if (has_crit)
        mine[n++] = {"crit", 2};
    if (!kid.empty())
        mine[n++] = {"kid", 3};
    if (typ)
        mine[n++] = {"typ", 4};

    out += '{';
    bool first = true;
    auto sep = [&] {
        if (!first)
            out += ',';
        first = false;
    };
    auto write_own = [&](const own& m) -> bool {
        sep();
        append_json_string(m.name, out);
        out += ':';
        switch (m.which) {
        case 0:
            return append_json_string(alg, out);
        case 1:
            out += "false";
            return true;
        case 2: {
            out += '[';
            bool f = true;
            if (!b64) {
                out += "\"b64\"";
                f = false;
            }
            for (const auto& c : critical) {
                if (!f)
                    out += ',';
                f = false;
                if (!append_json_string(c, out))
                    return false;
            }
            out += ']';
            return true;
        }
        case 3:
            return append_json_string(kid, out);
        default:
            return append_json_string(*typ, out);
        }
    };
    std::size_t i = 0;
    for (const auto& [name, value] : *ex) {
        while (i < n && mine[i].name < name)
            if (!write_own(mine[i++]))
                return make_error(errc::invalid_header, "header value is not valid UTF-8");
        sep();
        if (!append_json_string(name, out))
            return make_error(errc::invalid_header, "extra header member cannot be serialized");
        out += ':';
        if (!serialize_json_append(value, out, json_limits{1024 * 1024, 16}))
            return make_error(errc::invalid_header, "extra header member cannot be serialized");
    }
    while (i < n)
        if (!write_own(mine[i++]))
            return make_error(errc::invalid_header, "header value is not valid UTF-8");
    out += '}';
    return {};
}

} // namespace obauth::jose::detail
