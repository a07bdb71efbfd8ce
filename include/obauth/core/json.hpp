// Safe JSON (RFC 8259) into nlohmann_json's DOM, for untrusted input.
//
// parse_json never throws: it refuses input over a size limit before reading
// it, invalid UTF-8 (RFC 8259 §8.1), a byte order mark, duplicate member
// names (RFC 7515 §5.2 and RFC 7519 §4 require rejecting them), and nesting
// deeper than a limit. The typed getters return errors instead of throwing,
// and serialize_json refuses strings that are not valid UTF-8 instead of
// letting nlohmann_json throw.
#pragma once

#include "detail/json_parser.hpp"
#include "detail/json_writer.hpp"
#include "json_fwd.hpp"
#include "result.hpp"
#include "utf8.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace obauth {

/// Parses one JSON value. The whole input must be that value.
inline result<json> parse_json(std::string_view text, const json_limits& limits = {}) {
    if (text.size() > limits.max_bytes)
        return make_error(core_errc::json_too_large,
                          "over " + std::to_string(limits.max_bytes) + " bytes");
    const std::size_t bad = utf8_invalid_offset(text);
    if (bad != text.size())
        return make_error(core_errc::json_invalid_utf8, "at offset " + std::to_string(bad));
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        return make_error(core_errc::json_syntax_error, "byte order mark");
    // Raw NUL is never valid JSON text (a C string reader would stop there);
    // refused up front, with its own detail.
    if (const auto nul = text.find('\0'); nul != std::string_view::npos)
        return make_error(core_errc::json_syntax_error,
                          "NUL byte at offset " + std::to_string(nul));
    json root;
    detail::json_parser parser(text, limits.max_depth);
    if (!parser.parse(root))
        return make_error(parser.error(), parser.detail());
    return root;
}

/// Parses a JSON value that must be an object (JOSE headers, claim sets,
/// metadata documents).
inline result<json> parse_json_object(std::string_view text, const json_limits& limits = {}) {
    OBAUTH_TRY(json j, parse_json(text, limits));
    if (!j.is_object())
        return make_error(core_errc::json_wrong_type, "top-level value is not an object");
    return j;
}

namespace detail {
inline error_info json_member_error(core_errc e, std::string_view key, const char* what) {
    std::string d = "member '";
    d.append(key.substr(0, 64));
    d += "' ";
    d += what;
    return make_error(e, std::move(d));
}

} // namespace detail

/// Serializes compactly (no whitespace). Fails, instead of throwing, on a
/// string that is not valid UTF-8, a non-finite number, or nesting deeper
/// than `limits.max_depth`.
inline result<std::string> serialize_json(const json& j, const json_limits& limits = {}) {
    std::string out;
    if (const core_errc e = detail::write_json(j, out, limits.max_depth); e != core_errc{})
        return make_error(e, "cannot serialize");
    return out;
}

/// Appends the serialization of `j` to `out` (the allocation-frugal form).
inline result<void> serialize_json_append(const json& j, std::string& out,
                                          const json_limits& limits = {}) {
    if (const core_errc e = detail::write_json(j, out, limits.max_depth); e != core_errc{})
        return make_error(e, "cannot serialize");
    return {};
}

/// Appends `s` as a JSON string literal (RFC 8259 escaping) to `out` (a
/// std::string, or a wiping_string when `s` is a secret); false when `s` is
/// not valid UTF-8.
template <class String>
bool append_json_string(std::string_view s, String& out) {
    return detail::write_json_string(s, out);
}

/// A member of `obj`, or nullptr when `obj` is not an object or lacks it.
inline const json* find_member(const json& obj, std::string_view key) noexcept {
    const auto* o = obj.get_ptr<const json::object_t*>();
    if (o == nullptr)
        return nullptr;
    const auto it = o->find(key);
    return it == o->end() ? nullptr : &it->second;
}

/// A required member; errors name the member.
inline result<const json*> get_member(const json& obj, std::string_view key) {
    if (!obj.is_object())
        return make_error(core_errc::json_wrong_type, "not an object");
    const json* m = find_member(obj, key);
    if (m == nullptr)
        return detail::json_member_error(core_errc::json_missing_member, key, "is missing");
    return m;
}

namespace detail {
inline result<std::string_view> as_string(const json& v, std::string_view key) {
    const auto* s = v.get_ptr<const json::string_t*>();
    if (s == nullptr)
        return json_member_error(core_errc::json_wrong_type, key, "is not a string");
    return std::string_view(*s);
}
inline result<bool> as_bool(const json& v, std::string_view key) {
    const auto* b = v.get_ptr<const json::boolean_t*>();
    if (b == nullptr)
        return json_member_error(core_errc::json_wrong_type, key, "is not a boolean");
    return *b;
}
inline result<std::int64_t> as_int64(const json& v, std::string_view key) {
    // Switch on the exact type: get_ptr<number_integer_t*> also matches
    // unsigned values and would reinterpret 2^64-1 as -1.
    switch (v.type()) {
    case json::value_t::number_integer:
        return static_cast<std::int64_t>(*v.get_ptr<const json::number_integer_t*>());
    case json::value_t::number_unsigned: {
        const auto u = *v.get_ptr<const json::number_unsigned_t*>();
        if (u > static_cast<json::number_unsigned_t>(std::numeric_limits<std::int64_t>::max()))
            return json_member_error(core_errc::json_out_of_range, key, "is out of range");
        return static_cast<std::int64_t>(u);
    }
    case json::value_t::number_float:
        return json_member_error(core_errc::json_wrong_type, key, "is not an integer");
    default:
        return json_member_error(core_errc::json_wrong_type, key, "is not a number");
    }
}
inline result<const json*> as_kind(const json& v, std::string_view key, json::value_t t) {
    if (v.type() != t)
        return json_member_error(core_errc::json_wrong_type, key,
                                 t == json::value_t::object ? "is not an object"
                                                            : "is not an array");
    return &v;
}

template <class T, class Convert>
result<std::optional<T>> optional_member(const json& obj, std::string_view key, Convert convert) {
    if (!obj.is_object())
        return make_error(core_errc::json_wrong_type, "not an object");
    const json* m = find_member(obj, key);
    if (m == nullptr)
        return std::optional<T>{};
    OBAUTH_TRY(T v, convert(*m, key));
    return std::optional<T>(std::move(v));
}
} // namespace detail

// Typed getters. The views returned point into `obj`.

inline result<std::string_view> get_string(const json& obj, std::string_view key) {
    OBAUTH_TRY(const json* m, get_member(obj, key));
    return detail::as_string(*m, key);
}
inline result<std::optional<std::string_view>> get_optional_string(const json& obj,
                                                                   std::string_view key) {
    return detail::optional_member<std::string_view>(obj, key, detail::as_string);
}
/// A string member that may be absent, copied out; a member of another
/// type is an error with the caller's `code` (the module's "malformed").
template <class E>
result<std::optional<std::string>> copy_optional_string(const json& obj, std::string_view key,
                                                        E code) {
    auto v = get_optional_string(obj, key);
    if (!v)
        return make_error(code, v.error().detail);
    if (!*v)
        return std::optional<std::string>();
    return std::optional<std::string>(std::string(**v));
}
inline result<bool> get_bool(const json& obj, std::string_view key) {
    OBAUTH_TRY(const json* m, get_member(obj, key));
    return detail::as_bool(*m, key);
}
inline result<std::optional<bool>> get_optional_bool(const json& obj, std::string_view key) {
    return detail::optional_member<bool>(obj, key, detail::as_bool);
}
/// An integral number; a fractional number or one outside int64 is an error.
inline result<std::int64_t> get_int64(const json& obj, std::string_view key) {
    OBAUTH_TRY(const json* m, get_member(obj, key));
    return detail::as_int64(*m, key);
}
inline result<std::optional<std::int64_t>> get_optional_int64(const json& obj,
                                                              std::string_view key) {
    return detail::optional_member<std::int64_t>(obj, key, detail::as_int64);
}
inline result<const json*> get_object(const json& obj, std::string_view key) {
    OBAUTH_TRY(const json* m, get_member(obj, key));
    return detail::as_kind(*m, key, json::value_t::object);
}
inline result<const json*> get_array(const json& obj, std::string_view key) {
    OBAUTH_TRY(const json* m, get_member(obj, key));
    return detail::as_kind(*m, key, json::value_t::array);
}

} // namespace obauth
