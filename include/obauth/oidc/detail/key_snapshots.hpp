// Per-thread snapshots of key sets, behind jwks_cache::with_keys: a thread
// that reads the same set again uses its own reference to it, so the hot
// path writes nothing another thread reads (a lock or a shared reference
// count would move a cache line between cores on every call).
#pragma once

#include "../../jose/jwks.hpp"

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace obauth::oidc::detail {

/// A number no other key set in the process has had: a snapshot is found by
/// it alone, whichever cache made it.
inline std::uint64_t next_key_set_version() noexcept {
    static std::atomic<std::uint64_t> counter{0};
    return counter.fetch_add(1, std::memory_order_relaxed) + 1;
}

class key_snapshots {
public:
    struct slot {
        std::uint64_t version = 0;
        std::shared_ptr<const jose::jwks> keys;
        unsigned pins = 0; // lent out (with_keys calls in progress on this thread)
    };

    /// This thread's snapshots.
    static key_snapshots& local() noexcept {
        thread_local key_snapshots s;
        return s;
    }

    slot* find(std::uint64_t version) noexcept {
        for (auto& s : slots_)
            if (s.version == version && s.keys)
                return &s;
        return nullptr;
    }

    /// Keeps `keys` as `version`, in place of the oldest snapshot not lent
    /// out; nullptr when every one is (calls nested that deep).
    slot* keep(std::uint64_t version, std::shared_ptr<const jose::jwks> keys) noexcept {
        for (std::size_t i = 0; i < size; ++i) {
            slot& s = slots_[(next_ + i) % size];
            if (s.pins != 0)
                continue;
            next_ = (next_ + i + 1) % size;
            s.version = version;
            s.keys = std::move(keys);
            return &s;
        }
        return nullptr;
    }

    /// Holds a slot lent out for the duration of a call.
    class pin {
    public:
        explicit pin(slot& s) noexcept : s_(s) { ++s_.pins; }
        pin(const pin&) = delete;
        pin& operator=(const pin&) = delete;
        ~pin() { --s_.pins; }

    private:
        slot& s_;
    };

private:
    static constexpr std::size_t size = 4;
    std::array<slot, size> slots_{};
    std::size_t next_ = 0;
};

} // namespace obauth::oidc::detail
