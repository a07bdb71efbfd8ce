// The lease contract: a named lease held by one owner until it expires, so
// that exactly one process of a fleet does a thing (the token manager: one
// refresh per key). The owner value is a random fencing value of the
// caller's: release gives the lease up only if that owner still holds it,
// never a lease that expired and was taken by another meanwhile.
//
// memory_lease_store is the in-process implementation; store/redis.hpp has
// the Redis one (SET NX PX, and a compare-and-delete script). Time is
// injected.
#pragma once

#include "error.hpp"

#include "../core/clock.hpp"
#include "../core/result.hpp"

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace obauth::store {

class lease_store {
public:
    lease_store() = default;
    lease_store(const lease_store&) = delete;
    lease_store& operator=(const lease_store&) = delete;
    virtual ~lease_store() = default;

    /// Takes `name` for `owner` until `expires` unless another owner holds
    /// it; true when taken. `unavailable` when the store cannot answer.
    virtual result<bool> try_acquire(std::string_view name, std::string_view owner,
                                     time_point expires, time_point now) = 0;

    /// Gives `name` up if `owner` holds it; false when it does not (any
    /// more).
    virtual result<bool> release(std::string_view name, std::string_view owner, time_point now) = 0;
};

class memory_lease_store : public lease_store {
public:
    result<bool> try_acquire(std::string_view name, std::string_view owner, time_point expires,
                             time_point now) override {
        const std::lock_guard<std::mutex> lock(mutex_);
        auto it = leases_.find(name);
        if (it != leases_.end() && it->second.expires > now)
            return false;
        if (it == leases_.end())
            it = leases_.emplace(std::string(name), held{}).first;
        it->second = held{std::string(owner), expires};
        return true;
    }

    result<bool> release(std::string_view name, std::string_view owner, time_point now) override {
        const std::lock_guard<std::mutex> lock(mutex_);
        const auto it = leases_.find(name);
        if (it == leases_.end() || it->second.expires <= now || it->second.owner != owner)
            return false;
        leases_.erase(it);
        return true;
    }

private:
    struct held {
        std::string owner;
        time_point expires{};
    };
    std::mutex mutex_;
    std::map<std::string, held, std::less<>> leases_;
};

} // namespace obauth::store
