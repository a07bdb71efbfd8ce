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

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

namespace obauth::detail {

/// Writes into a string through a raw pointer: appends are stores and
/// memcpy, not library calls; the string grows geometrically and is cut to
/// what was written by finish() (also called on destruction).
template <class String>
class json_sink {
public:
    explicit json_sink(String& s) : s_(s), used_(s.size()) { reserve(64); }
    json_sink(const json_sink&) = delete;
    json_sink& operator=(const json_sink&) = delete;
    ~json_sink() { finish(); }

    void put(char c) {
        reserve(1);
        s_[used_++] = c;
    }
    void put(const char* d, std::size_t n) {
        reserve(n);
        std::memcpy(&s_[used_], d, n);
        used_ += n;
    }
    void put(std::string_view v) { put(v.data(), v.size()); }
    void finish() { s_.resize(used_); }

private:
    void reserve(std::size_t n) {
        if (s_.size() - used_ < n)
            s_.resize(std::max(2 * s_.size(), used_ + n + 64));
    }
    String& s_;
    std::size_t used_;
};

template <class String>
bool write_json_string(std::string_view s, json_sink<String>& out) {
    static constexpr char hexdigits[] = "0123456789abcdef";
    out.put('"');
    const char* run = s.data(); // start of the bytes not yet written
    const char* p = s.data();
    const char* const end = s.data() + s.size();
    for (;;) {
        p = find_json_special(s.data(), p, end);
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
        out.put(run, static_cast<std::size_t>(p - run));
        run = ++p;
        const char simple = c == '"'    ? '"'
                            : c == '\\' ? '\\'
                            : c == '\b' ? 'b'
                            : c == '\f' ? 'f'
                            : c == '\n' ? 'n'
                            : c == '\r' ? 'r'
                            : c == '\t' ? 't'
                                        : '\0';
        if (simple != '\0') {
            const char e[2] = {'\\', simple};
            out.put(e, 2);
        } else {
            const char e[6] = {'\\', 'u', '0', '0', hexdigits[c >> 4], hexdigits[c & 15]};
            out.put(e, 6);
        }
    }
    out.put(run, static_cast<std::size_t>(end - run));
    out.put('"');
    return true;
}

/// Appends `s` as a JSON string to `out` (a std::string, or a wiping_string
/// for secrets); false on invalid UTF-8.
template <class String>
bool write_json_string(std::string_view s, String& out) {
    json_sink<String> sink(out);
    return write_json_string(s, sink);
}

inline core_errc write_json(const nlohmann::json& j, json_sink<std::string>& out,
                            std::size_t depth_left) {
    using json = nlohmann::json;
    char buf[32];
    switch (j.type()) {
    case json::value_t::null:
        out.put("null", 4);
        return {};
    case json::value_t::boolean:
        out.put(*j.get_ptr<const json::boolean_t*>() ? std::string_view("true")
                                                     : std::string_view("false"));
        return {};
    case json::value_t::number_integer: {
        const auto r =
            std::to_chars(buf, buf + sizeof buf, *j.get_ptr<const json::number_integer_t*>());
        out.put(buf, static_cast<std::size_t>(r.ptr - buf));
        return {};
    }
    case json::value_t::number_unsigned: {
        const auto r =
            std::to_chars(buf, buf + sizeof buf, *j.get_ptr<const json::number_unsigned_t*>());
        out.put(buf, static_cast<std::size_t>(r.ptr - buf));
        return {};
    }
    case json::value_t::number_float: {
        const double d = *j.get_ptr<const json::number_float_t*>();
        if (!std::isfinite(d))
            return core_errc::json_out_of_range;
        const auto r = std::to_chars(buf, buf + sizeof buf, d);
        const std::string_view text(buf, static_cast<std::size_t>(r.ptr - buf));
        out.put(text);
        if (text.find_first_of(".e") == std::string_view::npos)
            out.put(".0", 2);
        return {};
    }
    case json::value_t::string:
        return write_json_string(*j.get_ptr<const json::string_t*>(), out)
                   ? core_errc{}
                   : core_errc::json_invalid_utf8;
    case json::value_t::array: {
        if (depth_left == 0)
            return core_errc::json_too_deep;
        out.put('[');
        bool first = true;
        for (const auto& v : *j.get_ptr<const json::array_t*>()) {
            if (!first)
                out.put(',');
            first = false;
            if (const core_errc e = write_json(v, out, depth_left - 1); e != core_errc{})
                return e;
        }
        out.put(']');
        return {};
    }
    case json::value_t::object: {
        if (depth_left == 0)
            return core_errc::json_too_deep;
        out.put('{');
        bool first = true;
        for (const auto& [k, v] : *j.get_ptr<const json::object_t*>()) {
            if (!first)
                out.put(',');
            first = false;
            if (!write_json_string(k, out))
                return core_errc::json_invalid_utf8;
            out.put(':');
            if (const core_errc e = write_json(v, out, depth_left - 1); e != core_errc{})
                return e;
        }
        out.put('}');
        return {};
    }
    default: // binary and discarded values have no JSON text
        return core_errc::json_wrong_type;
    }
}

/// Appends `j` to `out`; on failure returns the reason (`out` is then
/// partially written).
inline core_errc write_json(const nlohmann::json& j, std::string& out, std::size_t depth_left) {
    json_sink<std::string> sink(out);
    return write_json(j, sink, depth_left);
}

} // namespace obauth::detail
