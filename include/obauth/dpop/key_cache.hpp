// A bounded, thread-safe cache of the keys DPoP proofs carry, for servers
// and gateways that verify many proofs: a client signs every proof with the
// same key, so the header (typ, alg, jwk) repeats byte for byte. Keyed by
// the encoded header, a hit skips decoding and parsing it, importing and
// validating the key (EC point checks cost as much as a signature) and
// hashing its thumbprint. Only headers that passed every header check are
// cached; the algorithm allow-list is applied again on every hit.
#pragma once

#include "../jose/algorithm.hpp"
#include "../jose/jwk.hpp"

#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace obauth::dpop {

/// What a proof's header yields once checked: its key, algorithm and the
/// key's RFC 7638 thumbprint.
struct proof_key {
    jose::jwk key;
    jose::algorithm alg;
    std::string jkt;
};

class proof_key_cache {
public:
    explicit proof_key_cache(std::size_t capacity = 4096) : capacity_(capacity) {}
    proof_key_cache(const proof_key_cache&) = delete;
    proof_key_cache& operator=(const proof_key_cache&) = delete;

    /// The key read from `encoded_header` before, or null. No allocation.
    std::shared_ptr<const proof_key> find(std::string_view encoded_header) const {
        const std::lock_guard<std::mutex> lock(mutex_);
        const auto it = entries_.find(encoded_header);
        return it == entries_.end() ? nullptr : it->second->key;
    }

    /// Keeps `k` for `encoded_header`; the oldest entry goes when full.
    void insert(std::string_view encoded_header, std::shared_ptr<const proof_key> k) {
        if (capacity_ == 0)
            return;
        auto e = std::make_shared<const entry>(entry{std::string(encoded_header), std::move(k)});
        const std::lock_guard<std::mutex> lock(mutex_);
        if (entries_.count(encoded_header) != 0)
            return;
        if (order_.size() >= capacity_) {
            entries_.erase(order_.front()->header);
            order_.pop_front();
        }
        order_.push_back(e);
        entries_.emplace(e->header, std::move(e));
    }

    std::size_t size() const {
        const std::lock_guard<std::mutex> lock(mutex_);
        return entries_.size();
    }

private:
    struct entry {
        std::string header; // the map's key views it
        std::shared_ptr<const proof_key> key;
    };

    const std::size_t capacity_;
    mutable std::mutex mutex_;
    std::deque<std::shared_ptr<const entry>> order_;
    std::unordered_map<std::string_view, std::shared_ptr<const entry>> entries_;
};

} // namespace obauth::dpop
