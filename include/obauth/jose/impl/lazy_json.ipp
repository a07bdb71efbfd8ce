// The definitions of detail/lazy_json.hpp.
#pragma once

#include "../detail/lazy_json.hpp"

#include "../../core/json.hpp"

#include <utility>

namespace obauth::jose::detail {

OBAUTH_DECL lazy_json& lazy_json::operator=(const lazy_json&) noexcept {
    reset(nullptr);
    return *this;
}

OBAUTH_DECL lazy_json& lazy_json::operator=(lazy_json&& o) noexcept {
    if (this != &o)
        reset(o.release());
    return *this;
}

OBAUTH_DECL lazy_json::~lazy_json() {
    delete p_.load(std::memory_order_acquire);
}

OBAUTH_DECL const json& lazy_json::get(std::string_view text) const {
    json* h = p_.load(std::memory_order_acquire);
    if (h != nullptr)
        return *h;
    auto parsed = parse_json(text, json_limits{text.size() + 1, 64});
    auto* fresh = new json(parsed ? std::move(*parsed) : json::object());
    if (p_.compare_exchange_strong(h, fresh, std::memory_order_acq_rel))
        return *fresh;
    delete fresh; // another thread published first
    return *h;
}

OBAUTH_DECL void lazy_json::reset(json* p) noexcept {
    delete p_.load(std::memory_order_relaxed);
    p_.store(p, std::memory_order_relaxed);
}

} // namespace obauth::jose::detail
