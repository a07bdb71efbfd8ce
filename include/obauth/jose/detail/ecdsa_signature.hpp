// ECDSA signatures in JWS are R||S, each exactly the curve's coordinate
// length (RFC 7518 §3.4); OpenSSL speaks DER (ECDSA-Sig-Value, X9.62).
// Converted here byte-wise, without BIGNUM round-trips, with the range check
// 1 <= r, s < n done on the raw big-endian values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace obauth::jose::detail {

/// Big-endian group orders, left-padded to the coordinate length.
inline std::string_view ec_group_order(std::string_view crv) noexcept {
    static constexpr unsigned char p256[] = {0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00,
                                             0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                             0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84,
                                             0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51};
    static constexpr unsigned char p384[] = {
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xC7, 0x63, 0x4D, 0x81, 0xF4, 0x37, 0x2D, 0xDF, 0x58, 0x1A, 0x0D, 0xB2,
        0x48, 0xB0, 0xA7, 0x7A, 0xEC, 0xEC, 0x19, 0x6A, 0xCC, 0xC5, 0x29, 0x73};
    static constexpr unsigned char p521[] = {
        0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFA, 0x51, 0x86, 0x87, 0x83, 0xBF, 0x2F, 0x96, 0x6B,
        0x7F, 0xCC, 0x01, 0x48, 0xF7, 0x09, 0xA5, 0xD0, 0x3B, 0xB5, 0xC9, 0xB8, 0x89, 0x9C,
        0x47, 0xAE, 0xBB, 0x6F, 0xB7, 0x1E, 0x91, 0x38, 0x64, 0x09};
    static constexpr unsigned char k256[] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                             0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE,
                                             0xBA, 0xAE, 0xDC, 0xE6, 0xAF, 0x48, 0xA0, 0x3B,
                                             0xBF, 0xD2, 0x5E, 0x8C, 0xD0, 0x36, 0x41, 0x41};
    auto view = [](const unsigned char* p, std::size_t n) {
        return std::string_view(reinterpret_cast<const char*>(p), n);
    };
    if (crv == "P-256")
        return view(p256, sizeof p256);
    if (crv == "P-384")
        return view(p384, sizeof p384);
    if (crv == "P-521")
        return view(p521, sizeof p521);
    if (crv == "secp256k1")
        return view(k256, sizeof k256);
    return {};
}

/// 1 <= v < order, both big-endian of the same length.
inline bool ec_scalar_in_range(const unsigned char* v, std::string_view order) noexcept {
    bool nonzero = false;
    for (std::size_t i = 0; i < order.size(); ++i)
        nonzero |= v[i] != 0;
    if (!nonzero)
        return false;
    const auto* o = reinterpret_cast<const unsigned char*>(order.data());
    for (std::size_t i = 0; i < order.size(); ++i) {
        if (v[i] != o[i])
            return v[i] < o[i];
    }
    return false; // equal to the order
}

/// Maximum DER size of an ECDSA-Sig-Value for coordinates of `n` octets.
constexpr std::size_t ecdsa_der_max_size(std::size_t n) noexcept {
    return 2 * (n + 3) + 3;
}

// Writes one DER INTEGER for the unsigned big-endian value v[0..n).
inline std::size_t der_put_integer(unsigned char* out, const unsigned char* v,
                                   std::size_t n) noexcept {
    while (n > 1 && *v == 0) {
        ++v;
        --n;
    }
    const bool pad = (*v & 0x80) != 0;
    out[0] = 0x02;
    out[1] = static_cast<unsigned char>(n + (pad ? 1 : 0));
    std::size_t o = 2;
    if (pad)
        out[o++] = 0;
    std::memcpy(out + o, v, n);
    return o + n;
}

/// R||S (2n octets) to DER in `out` (ecdsa_der_max_size(n) octets).
/// Returns the DER length.
inline std::size_t ecdsa_raw_to_der(const unsigned char* raw, std::size_t n,
                                    unsigned char* out) noexcept {
    unsigned char body[2 * (66 + 3)];
    std::size_t len = der_put_integer(body, raw, n);
    len += der_put_integer(body + len, raw + n, n);
    std::size_t o = 0;
    out[o++] = 0x30;
    if (len >= 0x80)
        out[o++] = 0x81;
    out[o++] = static_cast<unsigned char>(len);
    std::memcpy(out + o, body, len);
    return o + len;
}

// Reads one DER INTEGER into a fixed n-octet big-endian slot.
inline bool der_get_integer(const unsigned char*& p, const unsigned char* end, unsigned char* slot,
                            std::size_t n) noexcept {
    if (end - p < 2 || p[0] != 0x02)
        return false;
    std::size_t len = p[1];
    p += 2;
    if (len == 0 || len >= 0x80 || static_cast<std::size_t>(end - p) < len)
        return false;
    if (p[0] & 0x80)
        return false; // negative
    if (len > 1 && p[0] == 0 && !(p[1] & 0x80))
        return false; // non-minimal
    const unsigned char* v = p;
    p += len;
    if (*v == 0 && len > 1) {
        ++v;
        --len;
    }
    if (len > n)
        return false;
    std::memset(slot, 0, n - len);
    std::memcpy(slot + (n - len), v, len);
    return true;
}

/// DER (as OpenSSL produces it) to R||S of 2n octets. False on malformed DER.
inline bool ecdsa_der_to_raw(const unsigned char* der, std::size_t der_len, std::size_t n,
                             unsigned char* raw) noexcept {
    const unsigned char* p = der;
    const unsigned char* end = der + der_len;
    if (end - p < 2 || p[0] != 0x30)
        return false;
    std::size_t len = p[1];
    p += 2;
    if (len == 0x81) {
        if (end - p < 1 || *p < 0x80)
            return false; // DER uses the long form only for lengths >= 128
        len = *p++;
    } else if (len >= 0x80) {
        return false;
    }
    if (static_cast<std::size_t>(end - p) != len)
        return false;
    return der_get_integer(p, end, raw, n) && der_get_integer(p, end, raw + n, n) && p == end;
}

} // namespace obauth::jose::detail
