// The verified-token cache of a gateway: tokens that passed signature and
// claim checks, keyed by the SHA-256 of the token (the token itself is never
// kept), each until its exp or `max_ttl` after it was verified, whichever
// comes first. Bounded (`max_entries`, split over shards; a full shard
// drops its oldest entry) and thread-safe: one mutex per shard, so workers
// rarely wait for each other. A hit gives the verified token back; the
// caller still checks the sender constraint and the scopes per request.
#pragma once

#include "access_token.hpp"

#include "../core/clock.hpp"
#include "../core/digest.hpp"

#include <array>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <list>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace obauth::resource {

struct token_cache_options {
    /// Entries in all; 0 turns the cache off.
    std::size_t max_entries = 10'000;
    /// No entry outlives this, whatever the token's exp.
    std::chrono::seconds max_ttl{300};
};

class verified_token_cache {
public:
    using key_type = std::array<unsigned char, 32>;

    explicit verified_token_cache(token_cache_options o = {}) : opt_(o) {}

    /// The cache key of `token`: its SHA-256.
    static key_type key_of(std::string_view token) { return sha256(bytes_view(token)); }

    bool enabled() const noexcept { return opt_.max_entries > 0; }

    /// The token cached under `k` and still within its time at `now`.
    std::shared_ptr<const verified_access_token> find(const key_type& k, time_point now) {
        if (!enabled())
            return nullptr;
        shard& s = shard_of(k);
        const std::lock_guard<std::mutex> lock(s.mutex);
        const auto it = s.entries.find(k);
        if (it == s.entries.end())
            return nullptr;
        if (now >= it->second.until) {
            s.order.erase(it->second.position);
            s.entries.erase(it);
            return nullptr;
        }
        return it->second.token;
    }

    /// Keeps `token` under `k` until `until` (capped at now + max_ttl).
    void insert(const key_type& k, std::shared_ptr<const verified_access_token> token,
                time_point until, time_point now) {
        if (!enabled())
            return;
        until = std::min(until, now + opt_.max_ttl);
        if (until <= now)
            return;
        shard& s = shard_of(k);
        const std::size_t per_shard = std::max<std::size_t>(1, opt_.max_entries / shard_count);
        const std::lock_guard<std::mutex> lock(s.mutex);
        if (const auto it = s.entries.find(k); it != s.entries.end()) {
            it->second.token = std::move(token);
            it->second.until = until;
            return;
        }
        if (s.entries.size() >= per_shard) { // the oldest goes
            s.entries.erase(s.order.front());
            s.order.pop_front();
        }
        s.order.push_back(k);
        s.entries.emplace(k, entry{std::move(token), until, std::prev(s.order.end())});
    }

    std::size_t size() const {
        std::size_t n = 0;
        for (const auto& s : shards_) {
            const std::lock_guard<std::mutex> lock(s.mutex);
            n += s.entries.size();
        }
        return n;
    }

private:
    static constexpr std::size_t shard_count = 16;
    struct key_hash {
        std::size_t operator()(const key_type& k) const noexcept {
            std::size_t h;
            std::memcpy(&h, k.data(), sizeof h); // already a uniform hash
            return h;
        }
    };
    struct entry {
        std::shared_ptr<const verified_access_token> token;
        time_point until;
        std::list<key_type>::iterator position; ///< in the shard's insertion order
    };
    struct shard {
        mutable std::mutex mutex;
        std::unordered_map<key_type, entry, key_hash> entries;
        std::list<key_type> order; ///< oldest first; one node per entry
    };
    shard& shard_of(const key_type& k) { return shards_[k[31] % shard_count]; }

    token_cache_options opt_;
    std::array<shard, shard_count> shards_;
};

} // namespace obauth::resource
