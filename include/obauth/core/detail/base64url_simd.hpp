// base64url decoding of 16 characters per step with SSSE3, chosen at run
// time (the library itself builds for baseline x86-64). Characters are
// classified by range compares for the URL-safe alphabet; a block with any
// other character is left to the scalar decoder, which reports the exact
// offset. Other targets use the scalar decoder only.
#pragma once

#include <cstddef>
#include <cstdint>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define OBAUTH_BASE64URL_SSSE3 1
#include <cpuid.h>
#include <tmmintrin.h> // SSSE3 (and SSE2 below it): not all of immintrin.h
#endif

namespace obauth::detail {

#ifdef OBAUTH_BASE64URL_SSSE3

/// Decodes whole 16-character blocks while the output has 16 octets of
/// room; returns the number of characters consumed (a multiple of 16).
__attribute__((target("ssse3"))) inline std::size_t
base64url_decode_blocks_ssse3(const unsigned char* in, std::size_t n, unsigned char* out,
                              std::size_t cap) noexcept {
    auto range = [](__m128i c, char lo, char hi) {
        return _mm_and_si128(_mm_cmpgt_epi8(c, _mm_set1_epi8(static_cast<char>(lo - 1))),
                             _mm_cmplt_epi8(c, _mm_set1_epi8(static_cast<char>(hi + 1))));
    };
    const __m128i order = _mm_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
    std::size_t i = 0, o = 0;
    while (i + 16 <= n && o + 16 <= cap) {
        const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i));
        const __m128i upper = range(c, 'A', 'Z');
        const __m128i lower = range(c, 'a', 'z');
        const __m128i digit = range(c, '0', '9');
        const __m128i dash = _mm_cmpeq_epi8(c, _mm_set1_epi8('-'));
        const __m128i under = _mm_cmpeq_epi8(c, _mm_set1_epi8('_'));
        const __m128i valid = _mm_or_si128(
            _mm_or_si128(_mm_or_si128(upper, lower), _mm_or_si128(digit, dash)), under);
        if (_mm_movemask_epi8(valid) != 0xFFFF)
            break;
        // value = c + offset: A-Z -65, a-z -71, 0-9 +4, '-' +17, '_' -32
        const __m128i offset =
            _mm_or_si128(_mm_or_si128(_mm_and_si128(upper, _mm_set1_epi8(-65)),
                                      _mm_and_si128(lower, _mm_set1_epi8(-71))),
                         _mm_or_si128(_mm_or_si128(_mm_and_si128(digit, _mm_set1_epi8(4)),
                                                   _mm_and_si128(dash, _mm_set1_epi8(17))),
                                      _mm_and_si128(under, _mm_set1_epi8(-32))));
        const __m128i v = _mm_add_epi8(c, offset);
        // Two 6-bit values to 12 bits, two of those to 24 bits, then big-endian octets.
        const __m128i w12 = _mm_maddubs_epi16(v, _mm_set1_epi32(0x01400140));
        const __m128i w24 = _mm_madd_epi16(w12, _mm_set1_epi32(0x00011000));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + o), _mm_shuffle_epi8(w24, order));
        i += 16;
        o += 12;
    }
    return i;
}

// CPUID leaf 1 directly: __builtin_cpu_supports would link libgcc's whole
// CPU model table (4.5 KB) into every program.
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

#endif

/// The SIMD part of a decode: characters consumed (a multiple of 16; 0 when
/// no SIMD path applies).
inline std::size_t base64url_decode_blocks(const unsigned char* in, std::size_t n,
                                           unsigned char* out, std::size_t cap) noexcept {
#ifdef OBAUTH_BASE64URL_SSSE3
    if (n >= 16 && has_ssse3())
        return base64url_decode_blocks_ssse3(in, n, out, cap);
#else
    (void)in, (void)n, (void)out, (void)cap;
#endif
    return 0;
}

} // namespace obauth::detail
