// base64url without padding (RFC 4648 §5, as used by RFC 7515 §2).
//
// Decoding is strict: only the URL-safe alphabet, no '=' padding, no
// whitespace, no length of the form 4n+1, and the unused low bits of the last
// character must be zero (so every byte string has exactly one encoding).
// The `*_into` forms write into a caller's buffer and never allocate.
#pragma once

#include "bytes.hpp"
#include "detail/base64url_simd.hpp"
#include "result.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace obauth {

namespace detail {
inline constexpr char base64url_alphabet[65] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

struct base64url_decode_table {
    std::uint8_t v[256]; // 0xFF outside the alphabet
    constexpr base64url_decode_table() : v() {
        for (auto& x : v)
            x = 0xFF;
        for (int i = 0; i < 64; ++i)
            v[static_cast<unsigned char>(base64url_alphabet[i])] = static_cast<std::uint8_t>(i);
    }
};
inline constexpr base64url_decode_table base64url_table{};

/// Four characters as a 24-bit group, with bit 31 set when any of them is
/// outside the alphabet: one test catches an invalid one. (Computed rather
/// than looked up in pre-shifted tables: 4 KB less in every binary.)
inline std::uint32_t base64url_quad(const std::uint8_t* t, const unsigned char* s) noexcept {
    const std::uint32_t a = t[s[0]], b = t[s[1]], c = t[s[2]], d = t[s[3]];
    return (a << 18 | b << 12 | c << 6 | d) | ((a | b | c | d) & 0x80u) << 24;
}

// Twelve input bits to their two characters.
struct base64url_encode_table {
    char pairs[4096][2];
    constexpr base64url_encode_table() : pairs() {
        for (int i = 0; i < 4096; ++i) {
            pairs[i][0] = base64url_alphabet[i >> 6];
            pairs[i][1] = base64url_alphabet[i & 63];
        }
    }
};
inline constexpr base64url_encode_table base64url_pairs{};

inline error_info base64url_bad_char(std::size_t pos) {
    return make_error(core_errc::base64url_invalid_character, "at offset " + std::to_string(pos));
}
} // namespace detail

/// Length of the unpadded encoding of `n` octets.
constexpr std::size_t base64url_encoded_size(std::size_t n) noexcept {
    return (n / 3) * 4 + (n % 3 == 0 ? 0 : n % 3 + 1);
}

/// Number of octets that `encoded_length` characters decode to, or an error
/// for an impossible length (4n+1).
inline result<std::size_t> base64url_decoded_size(std::size_t encoded_length) noexcept {
    if (encoded_length % 4 == 1)
        return core_errc::base64url_invalid_length;
    return (encoded_length / 4) * 3 + (encoded_length % 4 == 0 ? 0 : encoded_length % 4 - 1);
}

/// Encodes into `out`, which must hold base64url_encoded_size(in.size())
/// characters. Returns the number of characters written.
inline std::size_t base64url_encode_into(bytes_view in, char* out) noexcept {
    const unsigned char* p = in.data();
    const std::size_t n = in.size();
    const char* a = detail::base64url_alphabet;
    std::size_t i = 0;
    char* o = out;
    const auto& pairs = detail::base64url_pairs.pairs;
    // Whole 12-octet groups with SIMD where the CPU has it.
    i = detail::base64url_encode_blocks(p, n, o);
    o += i / 3 * 4;
    for (; i + 3 <= n; i += 3) {
        const std::uint32_t w =
            (std::uint32_t{p[i]} << 16) | (std::uint32_t{p[i + 1]} << 8) | p[i + 2];
        std::memcpy(o, pairs[w >> 12], 2);
        std::memcpy(o + 2, pairs[w & 4095], 2);
        o += 4;
    }
    if (n - i == 1) {
        const std::uint32_t w = std::uint32_t{p[i]} << 16;
        o[0] = a[(w >> 18) & 63];
        o[1] = a[(w >> 12) & 63];
        o += 2;
    } else if (n - i == 2) {
        const std::uint32_t w = (std::uint32_t{p[i]} << 16) | (std::uint32_t{p[i + 1]} << 8);
        o[0] = a[(w >> 18) & 63];
        o[1] = a[(w >> 12) & 63];
        o[2] = a[(w >> 6) & 63];
        o += 3;
    }
    return static_cast<std::size_t>(o - out);
}

/// Appends the encoding of `in` to `out`.
inline void base64url_encode_append(bytes_view in, std::string& out) {
    const std::size_t old = out.size();
    out.resize(old + base64url_encoded_size(in.size()));
    base64url_encode_into(in, &out[old]);
}

inline std::string base64url_encode(bytes_view in) {
    std::string out;
    base64url_encode_append(in, out);
    return out;
}

/// Decodes into `out` (capacity `cap`); returns the number of octets written.
inline result<std::size_t> base64url_decode_into(std::string_view in, unsigned char* out,
                                                 std::size_t cap) noexcept {
    OBAUTH_TRY(const std::size_t need, base64url_decoded_size(in.size()));
    if (need > cap)
        return core_errc::buffer_too_small;
    const auto* t = detail::base64url_table.v;
    const auto* s = reinterpret_cast<const unsigned char*>(in.data());
    const std::size_t n = in.size();
    std::size_t i = 0;
    unsigned char* o = out;
    // Whole 32- or 16-character blocks with SIMD where the CPU has it.
    i = detail::base64url_decode_blocks(s, n, o, cap);
    o += i / 4 * 3;
    // Eight characters, six octets, one 8-byte store (the last two octets
    // are rewritten by the next group) while the buffer has room for it.
    for (; i + 8 <= n && static_cast<std::size_t>(o - out) + 8 <= cap; i += 8) {
        const std::uint32_t w1 = detail::base64url_quad(t, s + i);
        const std::uint32_t w2 = detail::base64url_quad(t, s + i + 4);
        if ((w1 | w2) & 0x80000000u)
            break; // the 4-character loop below finds the offending one
        const unsigned char group[8] = {static_cast<unsigned char>(w1 >> 16),
                                        static_cast<unsigned char>(w1 >> 8),
                                        static_cast<unsigned char>(w1),
                                        static_cast<unsigned char>(w2 >> 16),
                                        static_cast<unsigned char>(w2 >> 8),
                                        static_cast<unsigned char>(w2),
                                        0,
                                        0};
        std::memcpy(o, group, 8);
        o += 6;
    }
    for (; i + 4 <= n; i += 4) {
        const std::uint32_t w = detail::base64url_quad(t, s + i);
        if (w & 0x80000000u) {
            for (std::size_t k = i;; ++k)
                if (t[s[k]] == 0xFF)
                    return detail::base64url_bad_char(k);
        }
        const unsigned char group[3] = {static_cast<unsigned char>(w >> 16),
                                        static_cast<unsigned char>(w >> 8),
                                        static_cast<unsigned char>(w)};
        std::memcpy(o, group, 3);
        o += 3;
    }
    const std::size_t rest = n - i;
    if (rest >= 2) {
        std::uint32_t w = 0;
        for (std::size_t k = 0; k < rest; ++k) {
            const std::uint32_t v = t[s[i + k]];
            if (v == 0xFF)
                return detail::base64url_bad_char(i + k);
            w |= v << (18 - 6 * k);
        }
        // 2 characters carry 12 bits for 1 octet, 3 carry 18 bits for 2.
        const std::uint32_t unused = rest == 2 ? (w & 0xFFFF) : (w & 0xFF);
        if (unused != 0)
            return core_errc::base64url_trailing_bits;
        o[0] = static_cast<unsigned char>(w >> 16);
        if (rest == 3)
            o[1] = static_cast<unsigned char>(w >> 8);
        o += rest - 1;
    }
    return static_cast<std::size_t>(o - out);
}

inline result<bytes> base64url_decode(std::string_view in) {
    OBAUTH_TRY(const std::size_t need, base64url_decoded_size(in.size()));
    bytes out(need);
    OBAUTH_TRY_VOID(base64url_decode_into(in, out.data(), out.size()));
    return out;
}

/// Decodes into a std::string (for JSON text such as a JOSE header).
inline result<std::string> base64url_decode_to_string(std::string_view in) {
    OBAUTH_TRY(const std::size_t need, base64url_decoded_size(in.size()));
    std::string out(need, '\0');
    OBAUTH_TRY_VOID(
        base64url_decode_into(in, reinterpret_cast<unsigned char*>(&out[0]), out.size()));
    return out;
}

} // namespace obauth
