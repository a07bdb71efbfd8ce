// A thread-safe token cache for one client: per (scope, resource) key it
// hands out a valid access token, refreshing ahead of expiry — at a fixed
// skew or at a fraction of the lifetime, whichever comes first — with one
// request in flight per key while the other callers wait for its result
// (single flight). Refresh tokens rotate: the newest one is kept, and an
// invalid_grant on refresh (a revoked, expired or reused refresh token)
// drops the entry and reports reauthorization_required. Without a refresh
// token, client_credentials keys are fetched anew; user tokens
// (put() after an authorization code flow) need the user again.
//
// Time comes from the injected clock; HTTP from the injected transport (any
// callable `result<http::http_response>(const http::http_request&)`),
// called without the lock held. The requests are the client's token
// requests, or those of a caller-supplied builder (a provider whose token
// endpoint is not RFC 6749's, e.g. a JSON body), with the same caching.
//
// A fleet (token_manager_options::shared): the processes share each key's
// token set through a store::token_store, sealed (store::sealing_keys) so
// the store holds no token in clear, and refresh under a store::lease: the
// process that takes the lease refreshes and writes the new set
// (compare-and-set on the version it read); the others wait (bounded) and
// read it. So a rotating refresh token is used once per fleet, not once per
// process. When the store does not answer, `when_unavailable` decides:
// refuse (the default: no token rather than a second refresh that makes
// the server revoke the grant), or refresh locally (availability first,
// with that risk).
#pragma once

#include "client.hpp"
#include "token_request.hpp"
#include "token_response.hpp"
#include "token_set_io.hpp"

#include "../core/base64url.hpp"
#include "../core/digest.hpp"
#include "../core/random.hpp"
#include "../store/lease.hpp"
#include "../store/replay_store.hpp"
#include "../store/sealing.hpp"
#include "../store/token_store.hpp"

#include "../core/clock.hpp"
#include "../http/http_response.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

namespace obauth::oauth {

struct token_key {
    std::vector<std::string> scope;
    std::vector<std::string> resources;

    friend bool operator<(const token_key& a, const token_key& b) {
        return std::tie(a.scope, a.resources) < std::tie(b.scope, b.resources);
    }
};

/// What a fleet's token manager does when the shared store does not answer.
enum class shared_store_policy {
    refuse,          ///< fail with shared_store_unavailable: never a second refresh
    refresh_locally, ///< refresh alone; with rotating refresh tokens, two processes
                     ///< refreshing at once can make the server revoke the grant
};

/// The store a fleet shares (see the top of this header). The pointers
/// must outlive the manager.
struct shared_token_options {
    store::token_store* tokens = nullptr;
    store::lease_store* leases = nullptr;
    const store::sealing_keys* keys = nullptr;
    /// This client's name in the store (e.g. its client_id): store keys are
    /// the SHA-256 of it and the token key.
    std::string name;
    /// Longer than one refresh round trip: a process that dies holding the
    /// lease blocks the others this long at most.
    std::chrono::seconds lease_ttl{30};
    std::chrono::milliseconds wait{10000}; ///< how long to wait for another's refresh
    std::chrono::milliseconds poll{50};
    /// How long a set with a refresh token stays in the store (one without
    /// stays until its access token expires).
    std::chrono::seconds retention{24 * 3600};
    shared_store_policy when_unavailable = shared_store_policy::refuse;
};

struct token_manager_options {
    /// Refresh when less than this is left...
    std::chrono::seconds refresh_skew{30};
    /// ...or less than this fraction of the lifetime (0.1: the last 10%).
    double refresh_fraction = 0.1;
    /// Lifetime assumed when the server sends no expires_in.
    std::chrono::seconds default_lifetime{300};
    /// Fetch missing tokens with client_credentials (service clients).
    bool client_credentials = false;
    /// How long a refresh token may be used, counted from when the user's
    /// authorization gave the first one (kept across rotation); after it,
    /// no refresh is tried. Unset: until the server refuses it.
    std::optional<std::chrono::seconds> refresh_token_lifetime;
    /// Token sets shared by a fleet; unset: this process alone.
    std::optional<shared_token_options> shared;
};

using transport_function = std::function<result<http::http_response>(const http::http_request&)>;

/// Builds the request that fetches the tokens for `key` (`refresh` is
/// nullptr) or refreshes them with `*refresh`.
using token_request_builder = std::function<result<http::http_request>(
    const token_key& key, const secret* refresh, time_point now)>;

/// The client's own token requests: refresh_token, else client_credentials
/// when `client_credentials`, else reauthorization_required. `c` must
/// outlive the builder.
inline token_request_builder client_token_requests(const client& c, bool client_credentials) {
    return [&c, client_credentials](const token_key& key, const secret* refresh,
                                    time_point now) -> result<http::http_request> {
        token_request_options ro;
        ro.resources = key.resources;
        if (refresh != nullptr)
            return make_token_request(c, refresh_token_grant{refresh->clone(), key.scope}, now, ro);
        if (client_credentials)
            return make_token_request(c, client_credentials_grant{key.scope}, now, ro);
        return make_error(errc::reauthorization_required, "no tokens");
    };
}

class token_manager {
public:
    /// `c` and `clock` must outlive the manager.
    token_manager(const client& c, transport_function transport, const clock_source& clock,
                  token_manager_options opt = {})
        : token_manager(client_token_requests(c, opt.client_credentials), std::move(transport),
                        clock, opt, c.max_response_bytes) {
        client_ = &c;
    }

    /// With another way to ask for tokens; the responses are RFC 6749 §5.1
    /// token responses of at most `max_response_bytes`. `clock` must
    /// outlive the manager.
    token_manager(token_request_builder build, transport_function transport,
                  const clock_source& clock, token_manager_options opt = {},
                  std::size_t max_response_bytes = 256 * 1024)
        : build_(std::move(build)), transport_(std::move(transport)), clock_(&clock), opt_(opt),
          max_response_bytes_(max_response_bytes) {}

    /// Stores tokens obtained elsewhere (an authorization code flow).
    void put(const token_key& key, token_set tokens) {
        std::lock_guard<std::mutex> lock(mu_);
        entry& e = entries_[key];
        e.refresh_since = tokens.issued_at;
        e.tokens = std::move(tokens);
    }
    void remove(const token_key& key) {
        std::lock_guard<std::mutex> lock(mu_);
        entries_.erase(key);
    }

    /// put(), and with a shared store the set written there too (replacing
    /// what the fleet had), so every process uses it.
    result<void> put_shared(const token_key& key, token_set tokens) {
        if (!opt_.shared)
            return make_error(errc::invalid_options, "no shared store");
        const std::string skey = shared_store_key(key);
        const time_point now = clock_->now();
        for (int attempt = 0;; ++attempt) {
            auto cur = opt_.shared->tokens->get(skey, now);
            if (!cur)
                return make_error(errc::shared_store_unavailable, cur.error().to_string());
            auto written = write_shared(skey, cur->version, tokens, now);
            if (written || written.error().code != store::errc::conflict || attempt == 2) {
                if (!written)
                    return make_error(errc::shared_store_unavailable, written.error().to_string());
                break;
            }
        }
        put(key, std::move(tokens));
        return {};
    }

    /// A copy of a valid token set for `key`, refreshed or fetched if
    /// needed.
    result<token_set> get(const token_key& key) {
        std::unique_lock<std::mutex> lock(mu_);
        while (true) {
            // Entries may be erased while this thread waits: look up anew.
            entry& e = entries_[key];
            if (e.busy) {
                cv_.wait(lock);
                continue;
            }
            const time_point now = clock_->now();
            if (e.tokens && !needs_refresh(*e.tokens, now))
                return e.tokens->clone();
            std::optional<secret> refresh;
            if (e.tokens && e.tokens->refresh_token) {
                if (!refresh_expired(e, now))
                    refresh = e.tokens->refresh_token->clone();
                else if (!opt_.client_credentials) {
                    entries_.erase(key);
                    return make_error(errc::reauthorization_required,
                                      "the refresh token is past its lifetime");
                }
            }
            // This caller fetches; the others wait for it, then re-check.
            e.busy = true;
            lock.unlock();
            result<token_set> fetched =
                opt_.shared ? fetch_shared(key, refresh, now) : fetch(key, refresh, now);
            lock.lock();
            entry& done = entries_[key];
            done.busy = false;
            cv_.notify_all();
            if (fetched) {
                if (!fetched->refresh_token && refresh)
                    fetched->refresh_token = std::move(refresh); // not rotated: keep it
                if (!refresh)
                    done.refresh_since = now; // a new authorization, not a rotation
                done.tokens = std::move(*fetched);
                return done.tokens->clone();
            }
            const error_info& err = fetched.error();
            if (err.code == errc::invalid_grant || err.code == errc::reauthorization_required) {
                entries_.erase(key);
                return make_error(errc::reauthorization_required, err.to_string());
            }
            // A transient failure (5xx, 429, network): the current token
            // while it lasts. Anything else (a refused scope, a bad proof,
            // a misconfigured client) is the caller's to see, not masked;
            // the entry stays for the next try.
            if (is_transient(err) && done.tokens &&
                (!done.tokens->expires_at() || now < *done.tokens->expires_at()))
                return done.tokens->clone();
            return std::move(fetched).error();
        }
    }

    /// Successful refreshes and fetches so far (requests this process made;
    /// sets read from a shared store are not counted).
    std::size_t refreshes() const { return refreshes_.load(); }

    /// With a shared store: the store key of `key`'s set (base64url of a
    /// SHA-256 over the client's name and the token key); the refresh lease
    /// is "refresh:" + it. For operators, e.g. to remove a fleet's set.
    std::string shared_store_key(const token_key& key) const {
        std::string id = store::replay_key({opt_.shared ? opt_.shared->name : std::string()});
        for (const auto* part : {&key.scope, &key.resources}) {
            id += std::to_string(part->size()) + ';';
            for (const auto& s : *part)
                id += store::replay_key({s});
        }
        const auto digest = sha256(bytes_view(id));
        return base64url_encode(bytes_view(digest.data(), digest.size()));
    }

private:
    struct entry {
        std::optional<token_set> tokens;
        time_point refresh_since{}; ///< when the first refresh token came
        bool busy = false;
    };

    /// The server or the network failed, not the request.
    static bool is_transient(const error_info& e) noexcept {
        if (e.code.category() != ::obauth::error_category_for<errc>())
            return true; // transport: connection, TLS, timeout
        switch (static_cast<errc>(e.code.value())) {
        case errc::server_error:
        case errc::temporarily_unavailable:
        case errc::rate_limited:
        case errc::http_server_error:
            return true;
        default:
            return false;
        }
    }

    bool refresh_expired(const entry& e, time_point now) const {
        return opt_.refresh_token_lifetime && now >= e.refresh_since + *opt_.refresh_token_lifetime;
    }

    bool needs_refresh(const token_set& t, time_point now) const {
        const auto lifetime = t.expires_in.value_or(opt_.default_lifetime);
        const auto by_fraction =
            std::chrono::duration_cast<std::chrono::seconds>(std::chrono::duration<double>(
                static_cast<double>(lifetime.count()) * opt_.refresh_fraction));
        const auto margin = std::max(opt_.refresh_skew, by_fraction);
        return now >= t.issued_at + lifetime - margin;
    }

    result<token_set> fetch(const token_key& key, const std::optional<secret>& refresh,
                            time_point now) {
        OBAUTH_TRY(const http::http_request req, build_(key, refresh ? &*refresh : nullptr, now));
        OBAUTH_TRY(http::http_response resp, transport_(req));
        token_response_options to;
        to.max_bytes = max_response_bytes_;
        if (client_ != nullptr && client_->dpop) {
            // DPoP: keep the server's nonce; asked for one, build the
            // request again (a fresh proof with it) and send it once more.
            client_->dpop->remember(resp, req.url);
            if (asks_for_dpop_nonce(resp)) {
                OBAUTH_TRY(const http::http_request again,
                           build_(key, refresh ? &*refresh : nullptr, now));
                OBAUTH_TRY(resp, transport_(again));
                client_->dpop->remember(resp, again.url);
            }
            to.token_types = accepted_token_types(*client_, std::move(to.token_types));
        }
        auto fresh = process_token_response(resp, now, to);
        if (fresh)
            ++refreshes_;
        return fresh;
    }

    // --- a fleet's shared sets ---------------------------------------------

    struct shared_read {
        std::uint64_t version = 0;
        std::optional<token_set> tokens; ///< none: absent, or not openable (overwritten later)
    };

    result<shared_read> read_shared(const std::string& skey, time_point now) const {
        const auto& sh = *opt_.shared;
        OBAUTH_TRY(const store::versioned_value v, sh.tokens->get(skey, now));
        shared_read r;
        r.version = v.version;
        if (v.version == 0)
            return r;
        auto text = sh.keys->open(skey, v.value);
        if (text) {
            auto t = read_token_set(*text, max_response_bytes_);
            if (t)
                r.tokens = std::move(*t);
        }
        return r;
    }

    result<std::uint64_t> write_shared(const std::string& skey, std::uint64_t expected,
                                       const token_set& t, time_point now) const {
        const auto& sh = *opt_.shared;
        OBAUTH_TRY(const wiping_string text, write_token_set(t));
        OBAUTH_TRY(
            const std::string sealed,
            sh.keys->seal(skey, bytes_view(reinterpret_cast<const unsigned char*>(text.data()),
                                           text.size())));
        const time_point until = t.refresh_token
                                     ? now + sh.retention
                                     : t.expires_at().value_or(now + opt_.default_lifetime);
        return sh.tokens->compare_and_set(skey, expected, sealed, until, now);
    }

    // One refresh per fleet: the set in the store if it is fresh; else the
    // lease's holder refreshes and writes, the others wait and read.
    result<token_set> fetch_shared(const token_key& key, const std::optional<secret>& local,
                                   time_point now) {
        const auto& sh = *opt_.shared;
        const std::string skey = shared_store_key(key);
        const std::string lease = "refresh:" + skey;
        auto down = [&](const error_info& e) -> result<token_set> {
            if (sh.when_unavailable == shared_store_policy::refresh_locally)
                return fetch(key, local, now);
            return make_error(errc::shared_store_unavailable, e.to_string());
        };
        unsigned char nonce[16];
        if (!default_random().fill(nonce, sizeof nonce))
            return make_error(errc::shared_store_unavailable, "no randomness for the lease owner");
        const std::string owner = base64url_encode(bytes_view(nonce, sizeof nonce));
        const auto deadline = std::chrono::steady_clock::now() + sh.wait;
        for (;;) {
            const time_point t = clock_->now();
            auto cur = read_shared(skey, t);
            if (!cur)
                return down(cur.error());
            if (cur->tokens && !needs_refresh(*cur->tokens, t))
                return std::move(*cur->tokens);
            auto taken = sh.leases->try_acquire(lease, owner, t + sh.lease_ttl, t);
            if (!taken)
                return down(taken.error());
            if (*taken) {
                auto fresh = refresh_shared(key, skey, local, t);
                (void)sh.leases->release(lease, owner, clock_->now()); // else it expires
                if (!fresh &&
                    fresh.error().code.category() == ::obauth::error_category_for<store::errc>())
                    return down(fresh.error()); // the store failed, not the refresh
                return fresh;
            }
            if (std::chrono::steady_clock::now() >= deadline)
                return make_error(errc::shared_refresh_timeout,
                                  "waited " + std::to_string(sh.wait.count()) + " ms");
            std::this_thread::sleep_for(sh.poll);
        }
    }

    // Under the lease: read once more (a refresh may have landed), refresh
    // with the newest refresh token, write the new set.
    result<token_set> refresh_shared(const token_key& key, const std::string& skey,
                                     const std::optional<secret>& local, time_point now) {
        OBAUTH_TRY(shared_read cur, read_shared(skey, now));
        if (cur.tokens && !needs_refresh(*cur.tokens, now))
            return std::move(*cur.tokens);
        std::optional<secret> refresh;
        if (cur.tokens && cur.tokens->refresh_token)
            refresh = cur.tokens->refresh_token->clone();
        else if (local)
            refresh = local->clone();
        OBAUTH_TRY(token_set fresh, fetch(key, refresh, now));
        if (!fresh.refresh_token && refresh)
            fresh.refresh_token = std::move(refresh); // not rotated: keep it
        // Written for the others; if the store fails now, this process still
        // has its tokens (the next refresh reads the store again).
        (void)write_shared(skey, cur.version, fresh, now);
        return fresh;
    }

    token_request_builder build_;
    const client* client_ = nullptr; ///< the client's own requests: its DPoP binding
    transport_function transport_;
    const clock_source* clock_;
    token_manager_options opt_;
    std::size_t max_response_bytes_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::map<token_key, entry> entries_;
    std::atomic<std::size_t> refreshes_{0};
};

} // namespace obauth::oauth
