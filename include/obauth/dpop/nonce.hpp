// Server-issued DPoP nonces (RFC 9449 §8, §9) without server state: a nonce
// is the time slot it was issued in and a MAC of it, so any server of a
// fleet that holds the key accepts it, and nothing is stored per client.
//
//   nonce = base64url( slot (8 octets, big-endian) || HMAC-SHA256(key,
//           "obauth-dpop-nonce" || slot)[0..16) )
//   slot  = floor(unix seconds / lifetime)
//
// A nonce is accepted in its own slot and the next one (so it lives between
// one and two lifetimes). Keys rotate: the first key issues, every key in
// the list is accepted.
#pragma once

#include "error.hpp"

#include "../core/base64url.hpp"
#include "../core/bytes.hpp"
#include "../core/clock.hpp"
#include "../core/result.hpp"
#include "../core/secret.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace obauth::dpop {

class nonce_issuer {
public:
    /// `keys[0]` issues, all are accepted; each at least 32 octets.
    static result<nonce_issuer> create(std::vector<secret> keys,
                                       std::chrono::seconds lifetime = std::chrono::minutes(5)) {
        if (keys.empty())
            return make_error(errc::invalid_options, "no nonce key");
        for (const secret& k : keys)
            if (k.size() < 32)
                return make_error(errc::invalid_options, "nonce keys need at least 32 octets");
        if (lifetime < std::chrono::seconds(1))
            return make_error(errc::invalid_options, "nonce lifetime under a second");
        nonce_issuer n;
        n.keys_ = std::move(keys);
        n.lifetime_ = lifetime.count();
        return n;
    }

    /// The nonce to hand out at `now` (the same for a whole slot).
    result<std::string> issue(time_point now) const {
        std::array<unsigned char, raw_size> raw{};
        put_slot(slot_of(now), raw.data());
        if (!mac(keys_.front(), raw.data(), raw.data() + slot_size))
            return make_error(errc::invalid_options, "HMAC failed");
        return base64url_encode(bytes_view(raw.data(), raw.size()));
    }

    /// Whether `nonce` was issued by one of the keys in this slot or the
    /// previous one. Constant time in the MAC comparison.
    bool accepts(std::string_view nonce, time_point now) const {
        std::array<unsigned char, raw_size> raw{};
        if (nonce.size() != encoded_size || !base64url_decode_into(nonce, raw.data(), raw.size()))
            return false;
        std::uint64_t slot = 0;
        for (std::size_t i = 0; i < slot_size; ++i)
            slot = (slot << 8) | raw[i];
        const std::uint64_t current = slot_of(now);
        if (slot != current && slot + 1 != current)
            return false;
        for (const secret& k : keys_) {
            std::array<unsigned char, mac_size> expected{};
            if (mac(k, raw.data(), expected.data()) &&
                constant_time_equal(bytes_view(expected.data(), mac_size),
                                    bytes_view(raw.data() + slot_size, mac_size)))
                return true;
        }
        return false;
    }

    std::chrono::seconds lifetime() const noexcept { return std::chrono::seconds(lifetime_); }

private:
    static constexpr std::size_t slot_size = 8;
    static constexpr std::size_t mac_size = 16;
    static constexpr std::size_t raw_size = slot_size + mac_size;
    static constexpr std::size_t encoded_size = 32; // base64url of 24 octets

    nonce_issuer() = default;

    std::uint64_t slot_of(time_point now) const noexcept {
        const std::int64_t s = to_unix_seconds(now);
        return s <= 0 ? 0 : static_cast<std::uint64_t>(s / lifetime_);
    }
    static void put_slot(std::uint64_t slot, unsigned char* out) noexcept {
        for (std::size_t i = slot_size; i-- > 0; slot >>= 8)
            out[i] = static_cast<unsigned char>(slot & 0xff);
    }
    /// The first mac_size octets of HMAC-SHA256(key, label || slot octets).
    static bool mac(const secret& key, const unsigned char* slot, unsigned char* out) noexcept {
        static constexpr std::string_view label = "obauth-dpop-nonce";
        std::array<unsigned char, label.size() + slot_size> msg{};
        for (std::size_t i = 0; i < label.size(); ++i)
            msg[i] = static_cast<unsigned char>(label[i]);
        for (std::size_t i = 0; i < slot_size; ++i)
            msg[label.size() + i] = slot[i];
        std::array<unsigned char, 32> full{};
        std::size_t len = 0;
        const bytes_view k = key.expose_secret();
        const bool ok =
            EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, k.data(), k.size(), msg.data(),
                      msg.size(), full.data(), full.size(), &len) != nullptr &&
            len == full.size();
        for (std::size_t i = 0; ok && i < mac_size; ++i)
            out[i] = full[i];
        OPENSSL_cleanse(full.data(), full.size());
        return ok;
    }

    std::vector<secret> keys_;
    std::int64_t lifetime_ = 300;
};

} // namespace obauth::dpop
