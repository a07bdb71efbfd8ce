// Finding the bytes that a JSON string does not carry as they are: '"',
// '\\', control characters (below 0x20) and the lead byte of a multi-byte
// UTF-8 sequence (0x80 and above, which the caller validates). Shared by the
// scanner (reading) and the writer (escaping). 16 bytes per step with SSE2,
// which every x86-64 CPU has; 8 bytes per step with word arithmetic
// elsewhere.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace obauth::detail {

inline bool is_json_special(unsigned char c) noexcept {
    return c < 0x20 || c >= 0x80 || c == '"' || c == '\\';
}

/// The first special byte in [p, end), or `end`. Reads nothing outside
/// [begin, end) (`begin` <= `p`: the start of the readable text). Forced
/// inline into the scanner's common case, where one call per string costs
/// as much as scanning it; find_json_special below is the same, called.
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
inline const char*
find_json_special_inlined(const char* begin, const char* p, const char* end) noexcept {
#if defined(__SSE2__)
    const auto specials = [](__m128i c) {
        // A signed compare: bytes 0x80..0xFF are negative, so below 0x20 too.
        const __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(c, _mm_set1_epi8('"')),
                                                          _mm_cmpeq_epi8(c, _mm_set1_epi8('\\'))),
                                             _mm_cmplt_epi8(c, _mm_set1_epi8(0x20)));
        return static_cast<unsigned>(_mm_movemask_epi8(special));
    };
    while (end - p >= 16) {
        const unsigned bits = specials(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
        if (bits != 0)
            return p + __builtin_ctz(bits);
        p += 16;
    }
    // The last few bytes: the block that ends at `end`, when the text has
    // one (its bits for bytes before `p` shifted out); else one at a time.
    const auto left = static_cast<unsigned>(end - p);
    if (left == 0)
        return end;
    if (end - begin >= 16) {
        const unsigned bits =
            specials(_mm_loadu_si128(reinterpret_cast<const __m128i*>(end - 16))) >> (16 - left);
        return bits != 0 ? p + __builtin_ctz(bits) : end;
    }
    while (p != end && !is_json_special(static_cast<unsigned char>(*p)))
        ++p;
    return p;
#else
    (void)begin;
    constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    while (end - p >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        const std::uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
        const std::uint64_t special = ((quote - ones) & ~quote) |
                                      ((backslash - ones) & ~backslash) | ((w - ones * 0x20) & ~w);
        const std::uint64_t stop = (special | w) & highs;
        if (stop != 0)
            break; // the loop below finds the byte
        p += 8;
    }
    while (p != end && !is_json_special(static_cast<unsigned char>(*p)))
        ++p;
    return p;
#endif
}

inline const char* find_json_special(const char* begin, const char* p, const char* end) noexcept {
    return find_json_special_inlined(begin, p, end);
}

} // namespace obauth::detail
