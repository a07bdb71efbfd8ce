// A JSON DOM parsed from text on first use and then kept; safe to read from
// several threads (lock-free publication). Copies start empty and parse on
// their own first use. Declared here without nlohmann/json.hpp; defined in
// impl/lazy_json.ipp.
#pragma once

#include "../../core/config.hpp"
#include "../../core/json_fwd.hpp"

#include <atomic>
#include <string_view>

namespace obauth::jose::detail {

class lazy_json {
public:
    lazy_json() noexcept = default;
    explicit lazy_json(json* already_parsed) noexcept : p_(already_parsed) {}
    // Copying and moving need no atomic read-modify-write: no other thread
    // may touch an object while it is being assigned or moved from.
    lazy_json(const lazy_json&) noexcept {}
    lazy_json(lazy_json&& o) noexcept : p_(o.release()) {}
    lazy_json& operator=(const lazy_json&) noexcept;
    lazy_json& operator=(lazy_json&& o) noexcept;
    ~lazy_json();

    /// The DOM of `text` (text the verifier already validated).
    const json& get(std::string_view text) const;

private:
    json* release() noexcept {
        json* p = p_.load(std::memory_order_relaxed);
        p_.store(nullptr, std::memory_order_relaxed);
        return p;
    }
    void reset(json* p) noexcept;

    mutable std::atomic<json*> p_{nullptr};
};

} // namespace obauth::jose::detail

#if OBAUTH_INCLUDE_IMPL
#include "../impl/lazy_json.ipp"
#endif
