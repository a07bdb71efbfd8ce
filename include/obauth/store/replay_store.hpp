// The replay contract: remember a key until it expires, and say whether it
// was already there. Client assertion jtis (assertion/) and DPoP proof jtis
// (dpop/) go through it, so one store serves both, in one process or, with
// an adapter, across a fleet.
//
// `insert_if_absent` answers one of three things; `unavailable` (the store
// cannot answer: full, unreachable) must make the caller refuse — replay
// checks fail closed.
//
// memory_replay_store is the in-process implementation. Bounded: at most
// `capacity` live entries; expired ones are dropped first (oldest expiry
// first), a live one is never evicted, so a full store answers
// `unavailable` rather than forget a key and let a replay through.
// Thread-safe; time is injected.
#pragma once

#include "../core/clock.hpp"

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace obauth::store {

enum class insert_result : std::uint8_t {
    inserted,        ///< the key was new and is now recorded until its expiry
    already_present, ///< the key is recorded and not expired: a replay
    unavailable,     ///< no answer (full, unreachable): refuse
};

class replay_store {
public:
    replay_store() = default;
    replay_store(const replay_store&) = delete;
    replay_store& operator=(const replay_store&) = delete;
    virtual ~replay_store() = default;

    /// Records `key` until `expires` unless it is recorded already and not
    /// expired at `now`.
    virtual insert_result insert_if_absent(std::string_view key, time_point expires,
                                           time_point now) = 0;
};

/// A key made of several parts (a namespace such as "dpop", then e.g. the
/// client and the jti), length-prefixed so no two different part lists give
/// the same key.
inline std::string replay_key(std::initializer_list<std::string_view> parts) {
    std::string k;
    for (std::string_view p : parts) {
        k += std::to_string(p.size());
        k += ':';
        k.append(p);
    }
    return k;
}

class memory_replay_store : public replay_store {
public:
    explicit memory_replay_store(std::size_t capacity = 100000) : capacity_(capacity) {}

    insert_result insert_if_absent(std::string_view key, time_point expires,
                                   time_point now) override {
        const std::lock_guard<std::mutex> lock(mutex_);
        purge(now);
        if (entries_.count(key) != 0)
            return insert_result::already_present;
        if (entries_.size() >= capacity_)
            return insert_result::unavailable;
        // The expiry index owns the key; the map views it (nodes do not move).
        const auto it = by_expiry_.emplace(expires, std::string(key));
        entries_.emplace(std::string_view(it->second), it);
        return insert_result::inserted;
    }

    std::size_t size() const {
        const std::lock_guard<std::mutex> lock(mutex_);
        return entries_.size();
    }
    std::size_t capacity() const noexcept { return capacity_; }

private:
    using expiry_index = std::multimap<time_point, std::string>;

    void purge(time_point now) {
        while (!by_expiry_.empty() && by_expiry_.begin()->first <= now) {
            const auto oldest = by_expiry_.begin();
            entries_.erase(std::string_view(oldest->second));
            by_expiry_.erase(oldest);
        }
    }

    const std::size_t capacity_;
    mutable std::mutex mutex_;
    expiry_index by_expiry_;
    std::unordered_map<std::string_view, expiry_index::iterator> entries_;
};

} // namespace obauth::store
