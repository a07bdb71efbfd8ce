// Compact JSON serialization straight into a std::string: RFC 8259 escaping
// ('"', '\\' and control characters; other UTF-8 passes through), UTF-8
// checked on the way, integers exact, doubles in their shortest round-trip
// form (always with a '.' or an exponent, so they read back as doubles).
// Replaces nlohmann_json's dump(), which throws on invalid UTF-8 and is
// slower on the signing path.
#pragma once

#include "../error.hpp"
#include "../utf8.hpp"
#include "json_text.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>

namespace obauth::detail {

/// Appends `s` as a JSON string to `out` (a std::string, or a wiping_string
/// for secrets); false on invalid UTF-8.
template <class String>
bool write_json_string(std::string_view s, String& out) {
    static constexpr char hexdigits[] = "0123456789abcdef";
    out += '"';
    const char* run = s.data(); // start of the bytes not yet appended
    const char* p = s.data();
    const char* const end = s.data() + s.size();
    for (;;) {
        p = find_json_special(p, end);
        if (p == end)
            break;
        const auto c = static_cast<unsigned char>(*p);
        if (c >= 0x80) { // UTF-8 passes through once checked
            const std::size_t len = utf8_sequence_length(reinterpret_cast<const unsigned char*>(p),
                                                         static_cast<std::size_t>(end - p));
            if (len == 0)
                return false;
            p += len;
            continue;
        }
        out.append(run, static_cast<std::size_t>(p - run));
        run = ++p;
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            out += "\\u00";
            out += hexdigits[c >> 4];
            out += hexdigits[c & 15];
        }
    }
    out.append(run, static_cast<std::size_t>(end - run));
    out += '"';
    return true;
}

/// Appends `j` to `out`; on failure returns the reason (`out` is then
/// partially written).
inline core_errc write_json(const nlohmann::json& j, std::string& out, std::size_t depth_left) {
    using json = nlohmann::json;
    char buf[32];
    switch (j.type()) {
    case json::value_t::null:
        out += "null";
        return {};
    case json::value_t::boolean:
        out += *j.get_ptr<const json::boolean_t*>() ? "true" : "false";
        return {};
    case json::value_t::number_integer: {
        const auto r =
            std::to_chars(buf, buf + sizeof buf, *j.get_ptr<const json::number_integer_t*>());
        out.append(buf, r.ptr);
        return {};
    }
    case json::value_t::number_unsigned: {
        const auto r =
            std::to_chars(buf, buf + sizeof buf, *j.get_ptr<const json::number_unsigned_t*>());
        out.append(buf, r.ptr);
        return {};
    }
    case json::value_t::number_float: {
        const double d = *j.get_ptr<const json::number_float_t*>();
        if (!std::isfinite(d))
            return core_errc::json_out_of_range;
        const auto r = std::to_chars(buf, buf + sizeof buf, d);
        const std::string_view text(buf, static_cast<std::size_t>(r.ptr - buf));
        out += text;
        if (text.find_first_of(".e") == std::string_view::npos)
            out += ".0";
        return {};
    }
    case json::value_t::string:
        return write_json_string(*j.get_ptr<const json::string_t*>(), out)
                   ? core_errc{}
                   : core_errc::json_invalid_utf8;
    case json::value_t::array: {
        if (depth_left == 0)
            return core_errc::json_too_deep;
        out += '[';
        bool first = true;
        for (const auto& v : *j.get_ptr<const json::array_t*>()) {
            if (!first)
                out += ',';
            first = false;
            if (const core_errc e = write_json(v, out, depth_left - 1); e != core_errc{})
                return e;
        }
        out += ']';
        return {};
    }
    case json::value_t::object: {
        if (depth_left == 0)
            return core_errc::json_too_deep;
        out += '{';
        bool first = true;
        for (const auto& [k, v] : *j.get_ptr<const json::object_t*>()) {
            if (!first)
                out += ',';
            first = false;
            if (!write_json_string(k, out))
                return core_errc::json_invalid_utf8;
            out += ':';
            if (const core_errc e = write_json(v, out, depth_left - 1); e != core_errc{})
                return e;
        }
        out += '}';
        return {};
    }
    default: // binary and discarded values have no JSON text
        return core_errc::json_wrong_type;
    }
}

} // namespace obauth::detail
