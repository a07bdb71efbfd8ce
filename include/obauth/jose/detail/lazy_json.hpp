// A JSON DOM parsed from text on first use and then kept; safe to read from
// several threads (lock-free publication). Copies start empty and parse on
// their own first use.
#pragma once

#include "../../core/json.hpp"

#include <atomic>
#include <string_view>
#include <utility>

namespace obauth::jose::detail {

class lazy_json {
public:
    lazy_json() noexcept = default;
    explicit lazy_json(json* already_parsed) noexcept : p_(already_parsed) {}
    // Copying and moving need no atomic read-modify-write: no other thread
    // may touch an object while it is being assigned or moved from.
    lazy_json(const lazy_json&) noexcept {}
    lazy_json(lazy_json&& o) noexcept : p_(o.release()) {}
    lazy_json& operator=(const lazy_json&) noexcept {
        reset(nullptr);
        return *this;
    }
    lazy_json& operator=(lazy_json&& o) noexcept {
        if (this != &o)
            reset(o.release());
        return *this;
    }
    ~lazy_json() { delete p_.load(std::memory_order_acquire); }

    /// The DOM of `text` (text the verifier already validated).
    const json& get(std::string_view text) const {
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

private:
    json* release() noexcept {
        json* p = p_.load(std::memory_order_relaxed);
        p_.store(nullptr, std::memory_order_relaxed);
        return p;
    }
    void reset(json* p) noexcept {
        delete p_.load(std::memory_order_relaxed);
        p_.store(p, std::memory_order_relaxed);
    }

    mutable std::atomic<json*> p_{nullptr};
};

} // namespace obauth::jose::detail
