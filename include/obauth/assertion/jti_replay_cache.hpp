// Replay protection for client assertions (RFC 7523 §3 item 7): a jti may
// be used once per client until the assertion expires.
//
// The verifier takes any store::replay_store (one in-process store, or an
// adapter shared by a fleet); jti_replay_cache is the in-process one with
// the assertion's own key and error codes. Bounded: a full cache refuses
// new assertions (replay_store_unavailable, a server_error) rather than forget one
// and let a replay through. Thread-safe; time is injected.
#pragma once

#include "error.hpp"

#include "../core/clock.hpp"
#include "../core/result.hpp"
#include "../store/replay_store.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace obauth::assertion {

/// The replay store key of a client's jti.
inline std::string jti_replay_key(std::string_view client_id, std::string_view jti) {
    return store::replay_key({"client-assertion", client_id, jti});
}

/// Records (client_id, jti) in `store` until `expires`: `replayed` when it
/// is there already, `replay_store_unavailable` when the store cannot answer.
inline result<void> use_jti(store::replay_store& store, std::string_view client_id,
                            std::string_view jti, time_point expires, time_point now) {
    switch (store.insert_if_absent(jti_replay_key(client_id, jti), expires, now)) {
    case store::insert_result::inserted:
        return {};
    case store::insert_result::already_present:
        return errc::replayed;
    case store::insert_result::unavailable:
        break;
    }
    return make_error(errc::replay_store_unavailable, "the replay store did not record the jti");
}

class jti_replay_cache : public store::memory_replay_store {
public:
    explicit jti_replay_cache(std::size_t capacity = 100000) : memory_replay_store(capacity) {}

    /// Records (client_id, jti) until `expires`. Fails with `replayed` when
    /// the pair is already recorded and not yet expired at `now`.
    result<void> use(std::string_view client_id, std::string_view jti, time_point expires,
                     time_point now) {
        return use_jti(*this, client_id, jti, expires, now);
    }
};

} // namespace obauth::assertion
