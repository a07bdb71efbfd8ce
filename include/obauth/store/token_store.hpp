// The shared token store contract: a value (a sealed token set, see
// sealing.hpp) under a key, with a version, replaced only by a
// compare-and-set on the version read — so of two processes that refreshed
// at once, one writes and the other learns it lost (`conflict`) and reads
// the winner's set. Versions never repeat for a key (no ABA): a value
// written, expired and written again gets a new one.
//
// memory_token_store is the in-process implementation (one process, or
// tests); store/redis.hpp has the Redis one. Time is injected.
#pragma once

#include "error.hpp"

#include "../core/clock.hpp"
#include "../core/result.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace obauth::store {

struct versioned_value {
    std::uint64_t version = 0; ///< 0: nothing stored (absent or expired)
    std::string value;
};

class token_store {
public:
    token_store() = default;
    token_store(const token_store&) = delete;
    token_store& operator=(const token_store&) = delete;
    virtual ~token_store() = default;

    /// The value under `key`; version 0 when there is none.
    virtual result<versioned_value> get(std::string_view key, time_point now) = 0;

    /// Stores `value` under `key` until `expires` if the current version is
    /// `expected` (0: nothing stored); returns the new version. `conflict`
    /// when the version moved on; `unavailable` when the store cannot answer.
    virtual result<std::uint64_t> compare_and_set(std::string_view key, std::uint64_t expected,
                                                  std::string_view value, time_point expires,
                                                  time_point now) = 0;
};

class memory_token_store : public token_store {
public:
    result<versioned_value> get(std::string_view key, time_point now) override {
        const std::lock_guard<std::mutex> lock(mutex_);
        const auto it = items_.find(key);
        if (it == items_.end() || it->second.expires <= now)
            return versioned_value{};
        return versioned_value{it->second.version, it->second.value};
    }

    result<std::uint64_t> compare_and_set(std::string_view key, std::uint64_t expected,
                                          std::string_view value, time_point expires,
                                          time_point now) override {
        const std::lock_guard<std::mutex> lock(mutex_);
        auto it = items_.find(key);
        const std::uint64_t current =
            it == items_.end() || it->second.expires <= now ? 0 : it->second.version;
        if (current != expected)
            return make_error(errc::conflict, "version " + std::to_string(current) + ", expected " +
                                                  std::to_string(expected));
        if (it == items_.end())
            it = items_.emplace(std::string(key), item{}).first;
        it->second = item{++last_version_, std::string(value), expires};
        return last_version_;
    }

private:
    struct item {
        std::uint64_t version = 0;
        std::string value;
        time_point expires{};
    };
    std::mutex mutex_;
    std::map<std::string, item, std::less<>> items_;
    std::uint64_t last_version_ = 0;
};

} // namespace obauth::store
