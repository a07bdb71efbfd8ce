// base64url with SIMD, chosen at run time (the library itself builds for
// baseline x86-64): decoding 32 characters per step with AVX2 or 16 with
// SSSE3, encoding 12 octets per step with SSSE3. Characters are classified
// by nibble lookups for the URL-safe alphabet; a block with any other
// character is left to the scalar decoder, which reports the exact offset.
// Other targets use the scalar code only.
#pragma once

#include <cstddef>
#include <cstdint>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define OBAUTH_BASE64URL_SSSE3 1
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace obauth::detail {

#ifdef OBAUTH_BASE64URL_SSSE3

// The URL-safe alphabet by nibble lookups. A character is valid when
// lut_lo[low nibble] & lut_hi[high nibble] is 0: lut_hi gives a bit per
// class of high nibble (0x01 the '-' row 0x2_, 0x02 digits 0x3_, 0x04
// 0x4_/0x6_, 0x08 0x5_, 0x10 0x7_, 0x20 every other row), lut_lo the
// classes in which that low nibble is not a character of the alphabet.
// Its value is c + roll[high nibble], except '_' (which shares 0x5_ with
// 'P'-'Z'), sent to slot 0, a row no valid character has.
#define OBAUTH_BASE64URL_TABLES(set)                                                               \
    set(0x20, 0x20, 0x01, 0x02, 0x04, 0x08, 0x04, 0x10, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,  \
        0x20),                                                                                     \
        set(0x25, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x23, 0x3B, 0x3B, 0x3A,    \
            0x3B, 0x33),                                                                           \
        set(-32, 0, 17, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0)

/// Decodes whole 16-character blocks while the output has 16 octets of
/// room; returns the number of characters consumed (a multiple of 16).
__attribute__((target("ssse3"))) inline std::size_t
base64url_decode_blocks_ssse3(const unsigned char* in, std::size_t n, unsigned char* out,
                              std::size_t cap) noexcept {
    const __m128i tables[3] = {OBAUTH_BASE64URL_TABLES(_mm_setr_epi8)};
    const __m128i nibble = _mm_set1_epi8(0x0F);
    const __m128i order = _mm_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
    std::size_t i = 0, o = 0;
    while (i + 16 <= n && o + 16 <= cap) {
        const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i));
        const __m128i hi = _mm_and_si128(_mm_srli_epi32(c, 4), nibble);
        const __m128i lo = _mm_and_si128(c, nibble);
        const __m128i bad =
            _mm_and_si128(_mm_shuffle_epi8(tables[1], lo), _mm_shuffle_epi8(tables[0], hi));
        if (_mm_movemask_epi8(_mm_cmpeq_epi8(bad, _mm_setzero_si128())) != 0xFFFF)
            break;
        const __m128i underscore = _mm_cmpeq_epi8(c, _mm_set1_epi8('_'));
        const __m128i slot = _mm_add_epi8(hi, _mm_and_si128(underscore, _mm_set1_epi8(11)));
        const __m128i v = _mm_add_epi8(c, _mm_shuffle_epi8(tables[2], slot));
        // Two 6-bit values to 12 bits, two of those to 24 bits, then big-endian octets.
        const __m128i w12 = _mm_maddubs_epi16(v, _mm_set1_epi32(0x01400140));
        const __m128i w24 = _mm_madd_epi16(w12, _mm_set1_epi32(0x00011000));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + o), _mm_shuffle_epi8(w24, order));
        i += 16;
        o += 12;
    }
    return i;
}

/// As above with 32-character blocks and 32 octets of room.
__attribute__((target("avx2"))) inline std::size_t
base64url_decode_blocks_avx2(const unsigned char* in, std::size_t n, unsigned char* out,
                             std::size_t cap) noexcept {
    const __m128i narrow[3] = {OBAUTH_BASE64URL_TABLES(_mm_setr_epi8)};
    const __m256i lut_hi = _mm256_broadcastsi128_si256(narrow[0]);
    const __m256i lut_lo = _mm256_broadcastsi128_si256(narrow[1]);
    const __m256i roll = _mm256_broadcastsi128_si256(narrow[2]);
    const __m256i nibble = _mm256_set1_epi8(0x0F);
    // In each 128-bit lane: 12 octets into its first three 32-bit words;
    // then the two lanes' words side by side.
    const __m256i order = _mm256_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1,
                                           2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 3, 7);
    std::size_t i = 0, o = 0;
    while (i + 32 <= n && o + 32 <= cap) {
        const __m256i c = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + i));
        const __m256i hi = _mm256_and_si256(_mm256_srli_epi32(c, 4), nibble);
        const __m256i lo = _mm256_and_si256(c, nibble);
        if (!_mm256_testz_si256(_mm256_shuffle_epi8(lut_lo, lo), _mm256_shuffle_epi8(lut_hi, hi)))
            break;
        const __m256i underscore = _mm256_cmpeq_epi8(c, _mm256_set1_epi8('_'));
        const __m256i slot =
            _mm256_add_epi8(hi, _mm256_and_si256(underscore, _mm256_set1_epi8(11)));
        const __m256i v = _mm256_add_epi8(c, _mm256_shuffle_epi8(roll, slot));
        const __m256i w12 = _mm256_maddubs_epi16(v, _mm256_set1_epi32(0x01400140));
        const __m256i w24 = _mm256_madd_epi16(w12, _mm256_set1_epi32(0x00011000));
        const __m256i packed = _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(w24, order), lanes);
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + o), packed);
        i += 32;
        o += 24;
    }
    return i;
}

#undef OBAUTH_BASE64URL_TABLES

/// Encodes whole 12-octet groups while 16 input octets are readable;
/// returns the number of octets consumed (a multiple of 12). Writes 16
/// characters per group.
__attribute__((target("ssse3"))) inline std::size_t
base64url_encode_blocks_ssse3(const unsigned char* in, std::size_t n, char* out) noexcept {
    // Each 32-bit word gets the octets (b1, b0, b2, b1) of its group of
    // three, so that the four 6-bit values sit at known bit positions.
    const __m128i spread = _mm_setr_epi8(1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10);
    std::size_t i = 0;
    char* o = out;
    while (i + 16 <= n) {
        const __m128i x =
            _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i)), spread);
        // Values 0 and 2 by a high multiply, 1 and 3 by a low one.
        const __m128i v02 = _mm_mulhi_epu16(_mm_and_si128(x, _mm_set1_epi32(0x0FC0FC00)),
                                            _mm_set1_epi32(0x04000040));
        const __m128i v13 = _mm_mullo_epi16(_mm_and_si128(x, _mm_set1_epi32(0x003F03F0)),
                                            _mm_set1_epi32(0x01000010));
        const __m128i v = _mm_or_si128(v02, v13);
        // Character = value + an offset by range: 0 for 0..25 ('A' + 0),
        // 1 for 26..51 ('a'), 2..11 for 52..61 ('0'), 12 for 62 ('-'), 13
        // for 63 ('_').
        const __m128i range =
            _mm_sub_epi8(_mm_subs_epu8(v, _mm_set1_epi8(51)), _mm_cmpgt_epi8(v, _mm_set1_epi8(25)));
        const __m128i offset = _mm_shuffle_epi8(
            _mm_setr_epi8(65, 71, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -17, 32, 0, 0), range);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(o), _mm_add_epi8(v, offset));
        i += 12;
        o += 16;
    }
    return i;
}

/// As above with two groups per step: 24 octets in (while 28 are
/// readable: each 128-bit lane loads 16), 32 characters out.
__attribute__((target("avx2"))) inline std::size_t
base64url_encode_blocks_avx2(const unsigned char* in, std::size_t n, char* out) noexcept {
    const __m256i spread = _mm256_setr_epi8(1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10, 1, 0,
                                            2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10);
    const __m256i offsets =
        _mm256_setr_epi8(65, 71, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -17, 32, 0, 0, 65, 71, -4,
                         -4, -4, -4, -4, -4, -4, -4, -4, -4, -17, 32, 0, 0);
    std::size_t i = 0;
    char* o = out;
    while (i + 28 <= n) {
        const __m256i raw = _mm256_inserti128_si256(
            _mm256_castsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i))),
            _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i + 12)), 1);
        const __m256i x = _mm256_shuffle_epi8(raw, spread);
        const __m256i v02 = _mm256_mulhi_epu16(_mm256_and_si256(x, _mm256_set1_epi32(0x0FC0FC00)),
                                               _mm256_set1_epi32(0x04000040));
        const __m256i v13 = _mm256_mullo_epi16(_mm256_and_si256(x, _mm256_set1_epi32(0x003F03F0)),
                                               _mm256_set1_epi32(0x01000010));
        const __m256i v = _mm256_or_si256(v02, v13);
        const __m256i range = _mm256_sub_epi8(_mm256_subs_epu8(v, _mm256_set1_epi8(51)),
                                              _mm256_cmpgt_epi8(v, _mm256_set1_epi8(25)));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(o),
                            _mm256_add_epi8(v, _mm256_shuffle_epi8(offsets, range)));
        i += 24;
        o += 32;
    }
    return i;
}

// CPUID directly: __builtin_cpu_supports would link libgcc's whole CPU
// model table (4.5 KB) into every program.
inline bool has_ssse3() noexcept {
#ifdef __SSSE3__
    return true;
#else
    static const bool yes = [] {
        unsigned a = 0, b = 0, c = 0, d = 0;
        return __get_cpuid(1, &a, &b, &c, &d) != 0 && (c & bit_SSSE3) != 0;
    }();
    return yes;
#endif
}

// AVX2 needs the CPU to have it and the OS to save the YMM registers.
inline bool has_avx2() noexcept {
#ifdef __AVX2__
    return true;
#else
    static const bool yes = [] {
        unsigned a = 0, b = 0, c = 0, d = 0;
        if (__get_cpuid(1, &a, &b, &c, &d) == 0 || (c & bit_OSXSAVE) == 0 || (c & bit_AVX) == 0)
            return false;
        unsigned lo = 0, hi = 0;
        __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        if ((lo & 6) != 6)
            return false;
        return __get_cpuid_count(7, 0, &a, &b, &c, &d) != 0 && (b & bit_AVX2) != 0;
    }();
    return yes;
#endif
}

#endif

/// The SIMD part of a decode: characters consumed (a multiple of 16; 0 when
/// no SIMD path applies).
inline std::size_t base64url_decode_blocks(const unsigned char* in, std::size_t n,
                                           unsigned char* out, std::size_t cap) noexcept {
#ifdef OBAUTH_BASE64URL_SSSE3
    std::size_t i = 0;
    if (n >= 32 && has_avx2())
        i = base64url_decode_blocks_avx2(in, n, out, cap);
    if (n - i >= 16 && has_ssse3())
        i += base64url_decode_blocks_ssse3(in + i, n - i, out + i / 4 * 3, cap - i / 4 * 3);
    return i;
#else
    (void)in, (void)n, (void)out, (void)cap;
    return 0;
#endif
}

/// The SIMD part of an encode: octets consumed (a multiple of 12; 0 when no
/// SIMD path applies); `out` has room for the whole encoding.
inline std::size_t base64url_encode_blocks(const unsigned char* in, std::size_t n,
                                           char* out) noexcept {
#ifdef OBAUTH_BASE64URL_SSSE3
    std::size_t i = 0;
    if (n >= 28 && has_avx2())
        i = base64url_encode_blocks_avx2(in, n, out);
    if (n - i >= 16 && has_ssse3())
        i += base64url_encode_blocks_ssse3(in + i, n - i, out + i / 3 * 4);
    return i;
#else
    (void)in, (void)n, (void)out;
#endif
    return 0;
}

} // namespace obauth::detail
