// A per-issuer JWK Set cache that never does I/O (sans-IO): it says when a
// fetch is due and builds the request; the caller sends it with its own
// HTTP stack and hands the response back.
//
//   if (auto req = cache.begin_fetch(now)) cache.on_response(send(*req), now);
//   auto keys = cache.keys(now);
//   auto t = validate_id_token(token, *keys, v, now);
//   if (t.error().code == jose::errc::key_not_found) cache.request_refresh(now);
//
// Freshness follows Cache-Control max-age minus Age (RFC 9111 §4.2), kept
// within configured bounds: a provider cannot make the client fetch on every
// token (no-cache, max-age=0), nor keep a rotated-out key alive for months.
// An unknown kid may ask for one early refresh, at most once per interval,
// so forged kids cannot drive fetches. A failed fetch keeps the previous
// keys in service and backs off exponentially. All members are safe to call
// from several threads: readers get a snapshot (shared_ptr) while another
// thread refreshes; the response is parsed outside the lock. A verifier
// called from many threads at once reads through with_keys, which takes no
// lock while the set stays the same.
#pragma once

#include "detail/key_snapshots.hpp"
#include "error.hpp"
#include "provider_metadata.hpp"

#include "../core/clock.hpp"
#include "../core/result.hpp"
#include "../http/cache_control.hpp"
#include "../http/http_request.hpp"
#include "../http/http_response.hpp"
#include "../http/url.hpp"
#include "../jose/jwks.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

namespace obauth::oidc {

struct jwks_cache_options {
    http::url_policy urls;
    /// Freshness when the response has no usable max-age.
    std::chrono::seconds default_max_age{300};
    /// Bounds on the freshness a response may ask for.
    std::chrono::seconds min_max_age{60};
    std::chrono::seconds max_max_age{24 * 3600};
    /// At most one unknown-kid refresh per interval (counted from the last
    /// fetch of any kind).
    std::chrono::seconds unknown_kid_interval{60};
    /// Back-off after failed fetches: doubles from `retry_min` up to `retry_max`.
    std::chrono::seconds retry_min{5};
    std::chrono::seconds retry_max{300};
    /// A fetch pending longer than this is given up; another may start.
    std::chrono::seconds fetch_timeout{30};
    /// Keys are served past their freshness while fetches fail; when set,
    /// no longer than this beyond it.
    std::optional<std::chrono::seconds> max_stale;
    /// How the set is parsed (public keys only, by default).
    jose::jwks_options keys;
    std::size_t max_body_bytes = 512 * 1024;
};

/// What the cache knows, for monitoring.
struct jwks_cache_status {
    bool has_keys = false;
    std::optional<time_point> fetched_at;
    time_point fresh_until{};
    bool fetch_pending = false;
    bool refresh_requested = false;
    unsigned consecutive_failures = 0;
    time_point next_retry{};
};

class jwks_cache {
public:
    /// A cache for the key set at `jwks_uri`.
    static result<jwks_cache> create(std::string_view jwks_uri, jwks_cache_options opt = {}) {
        OBAUTH_TRY(boost::urls::url u, http::parse_url(jwks_uri, opt.urls));
        return jwks_cache(std::move(u), std::move(opt));
    }
    /// A cache for the provider's `jwks_uri`.
    static result<jwks_cache> create(const provider_metadata& md, jwks_cache_options opt = {}) {
        if (!md.jwks_uri)
            return make_error(errc::endpoint_not_advertised, "'jwks_uri'");
        OBAUTH_TRY_VOID(http::check_url(*md.jwks_uri, opt.urls));
        return jwks_cache(*md.jwks_uri, std::move(opt));
    }

    /// Whether a fetch is due: no keys yet, freshness over, or an
    /// unknown-kid refresh requested; and no fetch pending, no back-off.
    bool needs_fetch(time_point now) const {
        const std::lock_guard<std::mutex> lock(s_->mutex);
        return due(now);
    }

    /// When a fetch is due, marks it pending and returns the request to send.
    std::optional<http::http_request> begin_fetch(time_point now) {
        {
            const std::lock_guard<std::mutex> lock(s_->mutex);
            if (!due(now))
                return std::nullopt;
            s_->pending_since = now;
        }
        return make_request();
    }

    /// The GET request for the key set (does not start a fetch).
    http::http_request make_request() const {
        http::http_request r;
        r.url = s_->url;
        r.headers.push_back({"Accept", "application/jwk-set+json, application/json"});
        return r;
    }

    /// Takes the response to the pending fetch. A failure (status, media
    /// type, size, an invalid or empty set) keeps the previous keys.
    result<void> on_response(const http::http_response& r, time_point now) {
        {
            const std::lock_guard<std::mutex> lock(s_->mutex);
            if (!s_->pending_since)
                return errc::no_fetch_pending;
        }
        auto parsed = parse(r); // outside the lock: readers keep going
        const std::lock_guard<std::mutex> lock(s_->mutex);
        s_->pending_since.reset();
        s_->refresh_requested = false;
        s_->last_fetch = now;
        if (!parsed) {
            fail(now);
            return parsed.error();
        }
        s_->keys = std::make_shared<const jose::jwks>(std::move(*parsed));
        s_->fetched_at = now;
        s_->fresh_until = now + freshness(r.headers);
        s_->failures = 0;
        s_->usable_until.store(
            s_->opt.max_stale ? (s_->fresh_until + *s_->opt.max_stale).time_since_epoch().count()
                              : time_point::max().time_since_epoch().count(),
            std::memory_order_relaxed);
        s_->version.store(detail::next_key_set_version(), std::memory_order_release);
        return {};
    }

    /// The pending fetch could not be sent or got no response (DNS, TLS,
    /// timeout): back off, keep the previous keys.
    void on_fetch_failed(time_point now) {
        const std::lock_guard<std::mutex> lock(s_->mutex);
        s_->pending_since.reset();
        s_->refresh_requested = false;
        s_->last_fetch = now;
        fail(now);
    }

    /// A token named a kid the current keys lack: asks for an early fetch
    /// unless one happened within `unknown_kid_interval`. True when a fetch
    /// is now requested (or one is already due).
    bool request_refresh(time_point now) {
        const std::lock_guard<std::mutex> lock(s_->mutex);
        if (s_->last_fetch && now - *s_->last_fetch < s_->opt.unknown_kid_interval)
            return s_->refresh_requested || !s_->keys;
        s_->refresh_requested = true;
        return true;
    }

    /// The current keys (a snapshot that stays valid while the cache
    /// refreshes), or jwks_unavailable before the first successful fetch
    /// and once the keys are staler than `max_stale`.
    result<std::shared_ptr<const jose::jwks>> keys(time_point now) const {
        const std::lock_guard<std::mutex> lock(s_->mutex);
        if (!s_->keys)
            return make_error(errc::jwks_unavailable, "never fetched successfully");
        if (s_->opt.max_stale && now > s_->fresh_until + *s_->opt.max_stale)
            return make_error(errc::jwks_unavailable, "keys too stale");
        return s_->keys;
    }

    /// Calls `f(const jose::jwks&)` with the keys keys(now) would give and
    /// returns what it returns; or keys(now)'s error as f's result type (a
    /// result<>). While the set stays the same, each thread reads it through
    /// a reference of its own: no lock, no reference count shared with the
    /// other threads (each would move a cache line between cores on every
    /// call). A thread keeps the last few sets it read alive until it reads
    /// newer ones or exits. `f` may call with_keys again.
    template <class F>
    auto with_keys(time_point now, F&& f) const -> std::invoke_result_t<F&&, const jose::jwks&> {
        const std::uint64_t v = s_->version.load(std::memory_order_acquire);
        if (v != 0 &&
            now.time_since_epoch().count() <= s_->usable_until.load(std::memory_order_relaxed)) {
            auto& snapshots = detail::key_snapshots::local();
            auto* slot = snapshots.find(v);
            if (slot == nullptr) {
                std::shared_ptr<const jose::jwks> keys;
                std::uint64_t version = 0;
                {
                    const std::lock_guard<std::mutex> lock(s_->mutex);
                    keys = s_->keys;
                    version = s_->version.load(std::memory_order_relaxed);
                }
                slot = snapshots.keep(version, keys);
                if (slot == nullptr)
                    return std::forward<F>(f)(*keys);
            }
            const detail::key_snapshots::pin held(*slot);
            return std::forward<F>(f)(*slot->keys);
        }
        auto keys = this->keys(now);
        if (!keys)
            return std::move(keys).error();
        return std::forward<F>(f)(**keys);
    }

    jwks_cache_status status() const {
        const std::lock_guard<std::mutex> lock(s_->mutex);
        jwks_cache_status st;
        st.has_keys = s_->keys != nullptr;
        st.fetched_at = s_->fetched_at;
        st.fresh_until = s_->fresh_until;
        st.fetch_pending = s_->pending_since.has_value();
        st.refresh_requested = s_->refresh_requested;
        st.consecutive_failures = s_->failures;
        st.next_retry = s_->next_retry;
        return st;
    }

    const boost::urls::url& url() const noexcept { return s_->url; }

private:
    struct state {
        state(boost::urls::url u, jwks_cache_options o) : url(std::move(u)), opt(std::move(o)) {}
        const boost::urls::url url;
        const jwks_cache_options opt;
        mutable std::mutex mutex;
        std::shared_ptr<const jose::jwks> keys;
        std::optional<time_point> fetched_at, last_fetch, pending_since;
        time_point fresh_until{};
        bool refresh_requested = false;
        unsigned failures = 0;
        time_point next_retry{};
        /// Of `keys` (detail::next_key_set_version), 0 before the first;
        /// and the instant they become too stale (max_stale), as counts.
        std::atomic<std::uint64_t> version{0};
        std::atomic<time_point::rep> usable_until{0};
    };

    jwks_cache(boost::urls::url u, jwks_cache_options o)
        : s_(std::make_unique<state>(std::move(u), std::move(o))) {}

    bool due(time_point now) const {
        if (s_->pending_since && now - *s_->pending_since < s_->opt.fetch_timeout)
            return false;
        if (s_->failures > 0 && now < s_->next_retry)
            return false;
        return !s_->keys || s_->refresh_requested || now >= s_->fresh_until;
    }

    void fail(time_point now) {
        ++s_->failures;
        auto delay = s_->opt.retry_min;
        for (unsigned i = 1; i < s_->failures && delay < s_->opt.retry_max; ++i)
            delay *= 2;
        s_->next_retry = now + std::min(delay, s_->opt.retry_max);
    }

    std::chrono::seconds freshness(const http::http_headers& h) const {
        const auto cc = http::parse_cache_control(h);
        std::chrono::seconds f = s_->opt.default_max_age;
        if (cc.no_store || cc.no_cache)
            f = std::chrono::seconds(0);
        else if (cc.max_age)
            f = std::max(*cc.max_age - http::parse_age(h), std::chrono::seconds(0));
        return std::min(std::max(f, s_->opt.min_max_age), s_->opt.max_max_age);
    }

    result<jose::jwks> parse(const http::http_response& r) const {
        if (r.status != 200)
            return make_error(http::errc::unexpected_status, "HTTP " + std::to_string(r.status));
        OBAUTH_TRY_VOID(
            http::check_media_type(r, {"application/jwk-set+json", "application/json"}));
        OBAUTH_TRY_VOID(http::check_body_size(r, s_->opt.max_body_bytes));
        auto set = jose::parse_jwks(r.body, s_->opt.keys);
        if (!set)
            return make_error(errc::jwks_invalid, set.error().to_string());
        if (set->keys().empty())
            return make_error(errc::jwks_invalid, "no usable key");
        return set;
    }

    std::unique_ptr<state> s_;
};

} // namespace obauth::oidc
