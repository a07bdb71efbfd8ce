// The Redis adapter of the store contracts, on hiredis (Debian's
// libhiredis-dev). Optional like the transports: CMake target
// obauth::store_redis, never included by the other modules.
//
// redis_client is a small connection pool, safe to share between threads:
// at most `connections` commands run at once, each on a connection of its
// own (hiredis contexts are not thread-safe); a thread that finds every
// connection busy waits up to the command timeout, then gets `unavailable`.
// Connections are opened on demand with connect and command timeouts, AUTH
// (password, or ACL user and password) and SELECT-free; one that fails is
// dropped, and a command that failed on a reused connection (e.g. after a
// Redis restart) is retried once on a fresh one. So a Redis that comes back
// is used again without restarting the process.
//
// Every key lives under `prefix`. Debian 12's hiredis has no TLS: run Redis
// on a private network or a UNIX socket, with a password (see the README).
#pragma once

#include "error.hpp"
#include "lease.hpp"
#include "replay_store.hpp"
#include "token_store.hpp"

#include "../core/base64url.hpp"
#include "../core/digest.hpp"
#include "../core/result.hpp"
#include "../core/secret.hpp"

#include <hiredis/hiredis.h>

#include <sys/time.h>

#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace obauth::store {

struct redis_options {
    std::string host = "127.0.0.1";
    int port = 6379;
    std::string unix_socket; ///< when set, used instead of host and port
    std::string username;    ///< an ACL user (Redis 6+); empty: AUTH with the password alone
    secret password;         ///< empty: no AUTH
    std::string prefix = "obauth:";
    std::chrono::milliseconds connect_timeout{500};
    std::chrono::milliseconds command_timeout{500};
    std::size_t connections = 4; ///< the pool's size
};

/// A reply, copied out of hiredis's.
struct redis_reply {
    enum class kind { string, array, integer, nil, status };
    kind type = kind::nil;
    std::string text; ///< a string or status reply
    long long integer = 0;
    std::vector<redis_reply> elements;
};

class redis_client {
public:
    /// Checks the options; connects on first use.
    static result<std::shared_ptr<redis_client>> create(redis_options o) {
        if (o.connections == 0)
            return make_error(errc::invalid_options, "connections is 0");
        if (o.unix_socket.empty() && (o.host.empty() || o.port <= 0 || o.port > 65535))
            return make_error(errc::invalid_options, "no UNIX socket and no host:port");
        if (o.connect_timeout.count() <= 0 || o.command_timeout.count() <= 0)
            return make_error(errc::invalid_options, "timeouts must be positive");
        return std::shared_ptr<redis_client>(new redis_client(std::move(o)));
    }

    redis_client(const redis_client&) = delete;
    redis_client& operator=(const redis_client&) = delete;
    ~redis_client() {
        for (redisContext* c : idle_)
            redisFree(c);
    }

    const std::string& prefix() const noexcept { return opt_.prefix; }

    /// Runs one command (arguments binary-safe). An error reply is
    /// `refused` with Redis's message; no connection is `unavailable`.
    result<redis_reply> command(std::initializer_list<std::string_view> args) {
        std::vector<const char*> argv;
        std::vector<std::size_t> lens;
        argv.reserve(args.size());
        lens.reserve(args.size());
        for (std::string_view a : args) {
            argv.push_back(a.data());
            lens.push_back(a.size());
        }
        for (int attempt = 0;; ++attempt) {
            bool fresh = false;
            OBAUTH_TRY(redisContext * c, acquire(fresh));
            auto* raw = static_cast<redisReply*>(
                redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data()));
            if (raw == nullptr || c->err != 0) {
                std::string why = c->errstr;
                if (raw != nullptr)
                    freeReplyObject(raw);
                discard(c);
                if (!fresh && attempt == 0)
                    continue; // a stale pooled connection: once more on a new one
                return make_error(errc::unavailable, why);
            }
            redis_reply r = copy(*raw);
            const bool error = raw->type == REDIS_REPLY_ERROR;
            freeReplyObject(raw);
            release(c);
            if (error)
                return make_error(errc::refused, r.text.substr(0, 200));
            return r;
        }
    }

private:
    explicit redis_client(redis_options o) : opt_(std::move(o)) {}

    static timeval to_timeval(std::chrono::milliseconds ms) {
        timeval tv{};
        tv.tv_sec = static_cast<decltype(tv.tv_sec)>(ms.count() / 1000);
        tv.tv_usec = static_cast<decltype(tv.tv_usec)>((ms.count() % 1000) * 1000);
        return tv;
    }

    static redis_reply copy(const redisReply& r) {
        redis_reply out;
        switch (r.type) {
        case REDIS_REPLY_STRING:
        case REDIS_REPLY_STATUS:
        case REDIS_REPLY_ERROR:
            out.type = r.type == REDIS_REPLY_STRING ? redis_reply::kind::string
                                                    : redis_reply::kind::status;
            out.text.assign(r.str, r.len);
            break;
        case REDIS_REPLY_INTEGER:
            out.type = redis_reply::kind::integer;
            out.integer = r.integer;
            break;
        case REDIS_REPLY_ARRAY:
            out.type = redis_reply::kind::array;
            out.elements.reserve(r.elements);
            for (std::size_t i = 0; i < r.elements; ++i)
                out.elements.push_back(copy(*r.element[i]));
            break;
        default:
            break;
        }
        return out;
    }

    // A connection for one command: an idle one, or a new one while the pool
    // has room; otherwise wait for one (at most the command timeout).
    result<redisContext*> acquire(bool& fresh) {
        std::unique_lock<std::mutex> lock(mutex_);
        const bool ready = available_.wait_for(lock, opt_.command_timeout, [this] {
            return !idle_.empty() || open_ < opt_.connections;
        });
        if (!ready)
            return make_error(errc::unavailable, "every connection is busy");
        if (!idle_.empty()) {
            redisContext* c = idle_.back();
            idle_.pop_back();
            return c;
        }
        ++open_;
        lock.unlock();
        auto c = connect();
        if (!c) {
            lock.lock();
            --open_;
            available_.notify_one();
            return c;
        }
        fresh = true;
        return c;
    }

    void release(redisContext* c) {
        const std::lock_guard<std::mutex> lock(mutex_);
        idle_.push_back(c);
        available_.notify_one();
    }

    void discard(redisContext* c) {
        redisFree(c);
        const std::lock_guard<std::mutex> lock(mutex_);
        --open_;
        available_.notify_one();
    }

    result<redisContext*> connect() {
        redisContext* c = opt_.unix_socket.empty()
                              ? redisConnectWithTimeout(opt_.host.c_str(), opt_.port,
                                                        to_timeval(opt_.connect_timeout))
                              : redisConnectUnixWithTimeout(opt_.unix_socket.c_str(),
                                                            to_timeval(opt_.connect_timeout));
        if (c == nullptr)
            return make_error(errc::unavailable, "cannot allocate a connection");
        if (c->err != 0) {
            std::string why = std::string("connect: ") + c->errstr;
            redisFree(c);
            return make_error(errc::unavailable, why);
        }
        if (redisSetTimeout(c, to_timeval(opt_.command_timeout)) != REDIS_OK) {
            redisFree(c);
            return make_error(errc::unavailable, "cannot set the command timeout");
        }
        if (!opt_.password.empty()) {
            const std::string_view pw = opt_.password.expose_secret_chars();
            std::vector<const char*> argv{"AUTH"};
            std::vector<std::size_t> lens{4};
            if (!opt_.username.empty()) {
                argv.push_back(opt_.username.data());
                lens.push_back(opt_.username.size());
            }
            argv.push_back(pw.data());
            lens.push_back(pw.size());
            auto* r = static_cast<redisReply*>(
                redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data()));
            // The reply names the failure (WRONGPASS...), never the password.
            const bool failed = r == nullptr || r->type == REDIS_REPLY_ERROR;
            std::string why =
                r == nullptr ? std::string(c->errstr) : std::string(r->str ? r->str : "", r->len);
            if (r != nullptr)
                freeReplyObject(r);
            if (failed) {
                redisFree(c);
                return make_error(r == nullptr ? errc::unavailable : errc::refused,
                                  "AUTH: " + why.substr(0, 200));
            }
        }
        return c;
    }

    const redis_options opt_;
    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<redisContext*> idle_;
    std::size_t open_ = 0; ///< connections in use or idle
};

namespace detail {
/// A PX argument: milliseconds until `expires`, at least 1.
inline std::string redis_ttl(time_point expires, time_point now) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(expires - now).count();
    return std::to_string(ms > 0 ? ms : 1);
}
} // namespace detail

/// The replay contract on Redis: SET key NX PX, one round trip. Keys are
/// the SHA-256 of the replay key (bounded, and nothing of the proof or the
/// client in clear), under `prefix` + "replay:". Any failure answers
/// `unavailable`: the caller refuses.
class redis_replay_store : public replay_store {
public:
    explicit redis_replay_store(std::shared_ptr<redis_client> client)
        : client_(std::move(client)) {}

    insert_result insert_if_absent(std::string_view key, time_point expires,
                                   time_point now) override {
        const std::string px = detail::redis_ttl(expires, now);
        const auto digest = sha256(bytes_view(key));
        const std::string name =
            client_->prefix() + "replay:" + base64url_encode(bytes_view(digest.data(), 32));
        auto r = client_->command({"SET", name, "1", "NX", "PX", px});
        if (!r)
            return insert_result::unavailable;
        if (r->type == redis_reply::kind::status && r->text == "OK")
            return insert_result::inserted;
        if (r->type == redis_reply::kind::nil)
            return insert_result::already_present;
        return insert_result::unavailable;
    }

private:
    std::shared_ptr<redis_client> client_;
};

/// The token store contract on Redis: a hash {v: version, d: value} under
/// `prefix` + "tokens:" + key, expiring with the value; the compare-and-set
/// is one Lua script (atomic in Redis), versions from one counter under the
/// prefix, so they never repeat. One Redis instance (not a cluster: the two
/// keys of the script need not share a slot).
class redis_token_store : public token_store {
public:
    explicit redis_token_store(std::shared_ptr<redis_client> client) : client_(std::move(client)) {}

    result<versioned_value> get(std::string_view key, time_point) override {
        OBAUTH_TRY(const redis_reply r, client_->command({"HMGET", name(key), "v", "d"}));
        if (r.type != redis_reply::kind::array || r.elements.size() != 2)
            return make_error(errc::protocol_error, "HMGET");
        const redis_reply& v = r.elements[0];
        const redis_reply& d = r.elements[1];
        if (v.type == redis_reply::kind::nil && d.type == redis_reply::kind::nil)
            return versioned_value{};
        std::uint64_t version = 0;
        if (v.type != redis_reply::kind::string || d.type != redis_reply::kind::string ||
            !parse_version(v.text, version))
            return make_error(errc::protocol_error, "a token entry of another shape");
        return versioned_value{version, d.text};
    }

    result<std::uint64_t> compare_and_set(std::string_view key, std::uint64_t expected,
                                          std::string_view value, time_point expires,
                                          time_point now) override {
        static constexpr std::string_view script =
            "local cur = redis.call('HGET', KEYS[1], 'v') or '0' "
            "if cur ~= ARGV[1] then return -1 end "
            "local v = redis.call('INCR', KEYS[2]) "
            "redis.call('HSET', KEYS[1], 'v', v, 'd', ARGV[2]) "
            "redis.call('PEXPIRE', KEYS[1], ARGV[3]) "
            "return v";
        OBAUTH_TRY(
            const redis_reply r,
            client_->command({"EVAL", script, "2", name(key), client_->prefix() + "tokens-version",
                              std::to_string(expected), value, detail::redis_ttl(expires, now)}));
        if (r.type != redis_reply::kind::integer)
            return make_error(errc::protocol_error, "compare-and-set");
        if (r.integer < 0)
            return make_error(errc::conflict, "version moved on from " + std::to_string(expected));
        return static_cast<std::uint64_t>(r.integer);
    }

private:
    std::string name(std::string_view key) const {
        return client_->prefix() + "tokens:" + std::string(key);
    }

    static bool parse_version(const std::string& t, std::uint64_t& v) {
        const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
        return r.ec == std::errc() && r.ptr == t.data() + t.size() && v != 0;
    }

    std::shared_ptr<redis_client> client_;
};

/// The lease contract on Redis: SET NX PX to take a lease, a
/// compare-and-delete script to give it up.
class redis_lease_store : public lease_store {
public:
    explicit redis_lease_store(std::shared_ptr<redis_client> client) : client_(std::move(client)) {}

    result<bool> try_acquire(std::string_view lease, std::string_view owner, time_point expires,
                             time_point now) override {
        OBAUTH_TRY(const redis_reply r, client_->command({"SET", name(lease), owner, "NX", "PX",
                                                          detail::redis_ttl(expires, now)}));
        if (r.type == redis_reply::kind::status && r.text == "OK")
            return true;
        if (r.type == redis_reply::kind::nil)
            return false;
        return make_error(errc::protocol_error, "SET NX");
    }

    result<bool> release(std::string_view lease, std::string_view owner, time_point) override {
        static constexpr std::string_view script =
            "if redis.call('GET', KEYS[1]) == ARGV[1] then "
            "return redis.call('DEL', KEYS[1]) else return 0 end";
        OBAUTH_TRY(const redis_reply r,
                   client_->command({"EVAL", script, "1", name(lease), owner}));
        if (r.type != redis_reply::kind::integer)
            return make_error(errc::protocol_error, "release");
        return r.integer == 1;
    }

private:
    std::string name(std::string_view lease) const {
        return client_->prefix() + "lease:" + std::string(lease);
    }

    std::shared_ptr<redis_client> client_;
};

} // namespace obauth::store
