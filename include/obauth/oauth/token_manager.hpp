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
#pragma once

#include "client.hpp"
#include "token_request.hpp"
#include "token_response.hpp"

#include "../core/clock.hpp"
#include "../http/http_response.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
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
            result<token_set> fetched = fetch(key, refresh, now);
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
                ++refreshes_;
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

    /// Successful refreshes and fetches so far.
    std::size_t refreshes() const {
        std::lock_guard<std::mutex> lock(mu_);
        return refreshes_;
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
        return process_token_response(resp, now, to);
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
    std::size_t refreshes_ = 0;
};

} // namespace obauth::oauth
