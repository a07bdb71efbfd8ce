// HTTP header fields as plain values (RFC 9110 §5): names compared without
// regard to case, repeated fields kept in order.
#pragma once

#include "../core/ascii.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace obauth::http {

struct http_header {
    std::string name;
    std::string value;
};

using http_headers = std::vector<http_header>;

/// The first field named `name`, or nullptr.
inline const std::string* find_header(const http_headers& h, std::string_view name) noexcept {
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

/// Sets `name` to `value`, replacing every earlier field of that name.
inline void set_header(http_headers& h, std::string_view name, std::string value) {
    erase_header(h, name);
    h.push_back({std::string(name), std::move(value)});
}

} // namespace obauth::http
