// Replay protection for client assertions (RFC 7523 §3 item 7): a jti may
// be used once per client until the assertion expires.
//
// Bounded: at most `capacity` entries. Expired entries are dropped first
// (oldest expiry first); an entry whose assertion could still be accepted is
// never evicted, so a full cache refuses new assertions (replay_cache_full,
// a server_error) rather than forget one and let a replay through. With
// assertion lifetimes capped by the verifier, the capacity bounds the rate
// of assertions accepted per lifetime. Thread-safe; time is injected.
#pragma once

#include "error.hpp"

#include "../core/clock.hpp"
#include "../core/result.hpp"

#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace obauth::assertion {

class jti_replay_cache {
public:
    explicit jti_replay_cache(std::size_t capacity = 100000) : capacity_(capacity) {}
    jti_replay_cache(const jti_replay_cache&) = delete;
    jti_replay_cache& operator=(const jti_replay_cache&) = delete;

    /// Records (client_id, jti) until `expires`. Fails with `replayed` when
    /// the pair is already recorded and not yet expired at `now`.
    result<void> use(std::string_view client_id, std::string_view jti, time_point expires,
                     time_point now) {
        std::string key = make_key(client_id, jti);
        const std::lock_guard<std::mutex> lock(mutex_);
        purge(now);
        if (entries_.count(key) != 0)
            return errc::replayed;
        if (entries_.size() >= capacity_)
            return make_error(errc::replay_cache_full, std::to_string(capacity_) + " live entries");
        const auto it = by_expiry_.emplace(expires, key);
        entries_.emplace(std::move(key), it);
        return {};
    }

    std::size_t size() const {
        const std::lock_guard<std::mutex> lock(mutex_);
        return entries_.size();
    }
    std::size_t capacity() const noexcept { return capacity_; }

private:
    using expiry_index = std::multimap<time_point, std::string>;

    // Length-prefixed, so no client_id/jti pair can collide with another.
    static std::string make_key(std::string_view client_id, std::string_view jti) {
        std::string k = std::to_string(client_id.size());
        k += ':';
        k.append(client_id);
        k.append(jti);
        return k;
    }

    void purge(time_point now) {
        while (!by_expiry_.empty() && by_expiry_.begin()->first <= now) {
            entries_.erase(by_expiry_.begin()->second);
            by_expiry_.erase(by_expiry_.begin());
        }
    }

    const std::size_t capacity_;
    mutable std::mutex mutex_;
    expiry_index by_expiry_;
    std::unordered_map<std::string, expiry_index::iterator> entries_;
};

} // namespace obauth::assertion
