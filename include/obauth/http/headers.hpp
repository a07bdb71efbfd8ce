// HTTP header fields as plain values (RFC 9110 §5): names compared without
// regard to case, repeated fields kept in order. Values may be credentials
// (Authorization, API keys): they live in wiping_string, so no copy of one
// is freed without being wiped.
#pragma once

#include "../core/ascii.hpp"
#include "../core/wiping_allocator.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace obauth::http {

struct http_header {
    http_header() = default;
    http_header(std::string n, wiping_string v) : name(std::move(n)), value(std::move(v)) {}
    http_header(std::string n, std::string_view v) : name(std::move(n)), value(v) {}
    http_header(std::string n, const char* v) : name(std::move(n)), value(v) {}

    std::string name;
    wiping_string value;
};

using http_headers = std::vector<http_header>;

/// The first field named `name`, or nullptr.
inline const wiping_string* find_header(const http_headers& h, std::string_view name) noexcept {
    for (const auto& f : h)
        if (ascii_iequals(f.name, name))
            return &f.value;
    return nullptr;
}

/// Every field named `name`, combined as RFC 9110 §5.3 allows for list-based
/// fields: values joined with ", ". Empty when there is none.
inline std::string combined_header(const http_headers& h, std::string_view name) {
    std::string out;
    for (const auto& f : h) {
        if (!ascii_iequals(f.name, name))
            continue;
        if (!out.empty())
            out += ", ";
        out += f.value;
    }
    return out;
}

/// Removes every field named `name`.
inline void erase_header(http_headers& h, std::string_view name) {
    for (auto it = h.begin(); it != h.end();) {
        if (ascii_iequals(it->name, name))
            it = h.erase(it);
        else
            ++it;
    }
}

/// An Authorization field value, "<scheme> <credentials>" (RFC 9110
/// §11.4: "Bearer <token>", "DPoP <token>"), built in memory that is wiped.
inline wiping_string authorization_value(std::string_view scheme, std::string_view credentials) {
    wiping_string v;
    v.reserve(scheme.size() + 1 + credentials.size());
    v.append(scheme.data(), scheme.size());
    v += ' ';
    v.append(credentials.data(), credentials.size());
    return v;
}

/// Sets `name` to `value`, replacing every earlier field of that name.
inline void set_header(http_headers& h, std::string_view name, wiping_string value) {
    erase_header(h, name);
    h.push_back({std::string(name), std::move(value)});
}

} // namespace obauth::http
