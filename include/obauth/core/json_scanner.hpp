// A strict, allocation-free JSON scanner for hot paths (JOSE headers, JWT
// claims). It accepts only what parse_json accepts (UTF-8 included), and
// gives up — returns false, so the caller falls back to parse_json for the
// verdict and the error — on anything it does not handle cheaply: escaped
// member names, more than `max_keys` member names open at once, nesting
// deeper than the limit, and every error. The caller has checked the size.
//
// Handler callbacks (depth = nesting level of the container holding the
// value; the top-level value has depth 0, members of the top-level object
// depth 1):
//   void key(std::size_t depth, std::string_view name);
//   void string(std::size_t depth, std::string_view raw, bool escaped);
//   void number(std::size_t depth, std::string_view text, bool integral);
//   void literal(std::size_t depth, char first);   // 't', 'f' or 'n'
//   void open(std::size_t depth, bool object);     // depth of the new container's own value
//   void close(std::size_t depth);
//
// A handler that declares `static constexpr bool hot = true` has the string
// values of object members read inline (faster, and a few hundred bytes
// more code): for text scanned on every call (JWT claims), not for text
// scanned once and remembered (JOSE headers).
#pragma once

#include "ascii.hpp"
#include "detail/json_text.hpp"
#include "utf8.hpp"

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <system_error>
#include <type_traits>

#if defined(__GNUC__)
#define OBAUTH_SCANNER_INLINE __attribute__((always_inline)) inline
#else
#define OBAUTH_SCANNER_INLINE inline
#endif

namespace obauth {

class json_scanner {
    template <class H, class = void>
    struct is_hot : std::false_type {};
    template <class H>
    struct is_hot<H, std::void_t<decltype(H::hot)>> : std::bool_constant<H::hot> {};

public:
    static constexpr std::size_t max_keys = 64;

    json_scanner(std::string_view text, std::size_t max_depth) noexcept
        : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()),
          max_depth_(max_depth) {}

    template <class H>
    bool scan(H& h) noexcept {
        skip_ws();
        if (!value(h, 0))
            return false;
        skip_ws();
        return p_ == end_;
    }

private:
    void skip_ws() noexcept {
        while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t'))
            ++p_;
    }

    bool literal(std::string_view word) noexcept {
        if (static_cast<std::size_t>(end_ - p_) < word.size() ||
            std::string_view(p_, word.size()) != word)
            return false;
        p_ += word.size();
        return true;
    }

    bool u_escape(unsigned& cp) noexcept {
        if (!read_hex4(p_, end_, cp))
            return false;
        p_ += 4;
        return true;
    }

    // At the opening quote. Sets `raw` to the text between the quotes. The
    // common case (no escape, no multi-byte character) is inlined into the
    // callers: one call per string costs as much as scanning it.
    OBAUTH_SCANNER_INLINE bool string(std::string_view& raw, bool& escaped) noexcept {
        const char* start = ++p_;
        escaped = false;
        p_ = detail::find_json_special_inlined(begin_, p_, end_);
        if (p_ != end_ && *p_ == '"') {
            raw = std::string_view(start, static_cast<std::size_t>(p_ - start));
            ++p_;
            return true;
        }
        return string_rest(start, raw, escaped);
    }

    // The rest of a string, at a special byte that may be its closing quote.
    bool string_rest(const char* start, std::string_view& raw, bool& escaped) noexcept {
        for (;;) {
            if (p_ == end_)
                return false;
            const auto c = static_cast<unsigned char>(*p_);
            if (c == '"') {
                raw = std::string_view(start, static_cast<std::size_t>(p_ - start));
                ++p_;
                return true;
            }
            if (c >= 0x80) {
                const std::size_t len =
                    utf8_sequence_length(reinterpret_cast<const unsigned char*>(p_),
                                         static_cast<std::size_t>(end_ - p_));
                if (len == 0)
                    return false;
                p_ = detail::find_json_special(begin_, p_ + len, end_);
                continue;
            }
            if (c < 0x20)
                return false;
            escaped = true; // a backslash
            if (++p_ == end_)
                return false;
            const char e = *p_++;
            if (e == 'u') {
                unsigned cp = 0;
                if (!u_escape(cp))
                    return false;
                if (cp >= 0xDC00 && cp <= 0xDFFF)
                    return false; // lone low surrogate
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    unsigned low = 0;
                    if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u')
                        return false;
                    p_ += 2;
                    if (!u_escape(low) || low < 0xDC00 || low > 0xDFFF)
                        return false;
                }
            } else if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' &&
                       e != 'r' && e != 't') {
                return false;
            }
            p_ = detail::find_json_special(begin_, p_, end_);
        }
    }

    bool number(std::string_view& text, bool& integral) noexcept {
        const char* start = p_;
        auto digits = [this] {
            const char* s = p_;
            while (p_ != end_ && *p_ >= '0' && *p_ <= '9')
                ++p_;
            return p_ != s;
        };
        if (p_ != end_ && *p_ == '-')
            ++p_;
        if (p_ == end_)
            return false;
        if (*p_ == '0') {
            ++p_;
        } else if (!digits()) {
            return false;
        }
        integral = true;
        if (p_ != end_ && *p_ == '.') {
            ++p_;
            if (!digits())
                return false;
            integral = false;
        }
        if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
            ++p_;
            if (p_ != end_ && (*p_ == '+' || *p_ == '-'))
                ++p_;
            if (!digits())
                return false;
            integral = false;
        }
        text = std::string_view(start, static_cast<std::size_t>(p_ - start));
        // parse_json refuses numbers beyond a double's range; anything but a
        // short integer is checked the same way (and on doubt, give up).
        if (!integral || text.size() > 18) {
            double d = 0;
            const auto r = std::from_chars(text.data(), text.data() + text.size(), d);
            if (r.ec != std::errc() || r.ptr != text.data() + text.size())
                return false;
        }
        return true;
    }

    enum class after { more, end, bad };

    // After a member or element: ',' continues, `close` ends the container.
    after separator(char close) noexcept {
        skip_ws();
        if (p_ == end_)
            return after::bad;
        if (*p_ == ',') {
            ++p_;
            return after::more;
        }
        if (*p_ != close)
            return after::bad;
        ++p_;
        return after::end;
    }

    template <class H>
    bool value(H& h, std::size_t depth) noexcept {
        if (p_ == end_)
            return false;
        switch (*p_) {
        case '{':
            return object(h, depth);
        case '[':
            return array(h, depth);
        case '"': {
            std::string_view raw;
            bool escaped = false;
            if (!string(raw, escaped))
                return false;
            h.string(depth, raw, escaped);
            return true;
        }
        case 't':
            h.literal(depth, 't');
            return literal("true");
        case 'f':
            h.literal(depth, 'f');
            return literal("false");
        case 'n':
            h.literal(depth, 'n');
            return literal("null");
        default: {
            std::string_view text;
            bool integral = false;
            if (!number(text, integral))
                return false;
            h.number(depth, text, integral);
            return true;
        }
        }
    }

    template <class H>
    bool object(H& h, std::size_t depth) noexcept {
        if (depth + 1 > max_depth_)
            return false;
        ++p_;
        h.open(depth, true);
        const std::size_t first_key = nkeys_;
        skip_ws();
        if (p_ != end_ && *p_ == '}') {
            ++p_;
            h.close(depth);
            return true;
        }
        for (;;) {
            skip_ws();
            if (p_ == end_ || *p_ != '"')
                return false;
            std::string_view name;
            bool escaped = false;
            if (!string(name, escaped) || escaped || nkeys_ == max_keys)
                return false;
            const std::uint64_t fp = fingerprint(name);
            for (std::size_t i = first_key; i < nkeys_; ++i)
                if (fingerprints_[i] == fp && std::string_view(key_data_[i], key_size_[i]) == name)
                    return false; // duplicate: parse_json names it
            fingerprints_[nkeys_] = fp;
            key_data_[nkeys_] = name.data();
            key_size_[nkeys_++] = name.size();
            h.key(depth + 1, name);
            skip_ws();
            if (p_ == end_ || *p_ != ':')
                return false;
            ++p_;
            skip_ws();
            if (is_hot<H>::value && p_ != end_ && *p_ == '"') {
                // A string member, the most common kind: read here, without
                // the call (and the reload of the position) value() costs.
                std::string_view raw;
                if (!string(raw, escaped))
                    return false;
                h.string(depth + 1, raw, escaped);
            } else if (!value(h, depth + 1)) {
                return false;
            }
            const after next = separator('}');
            if (next == after::more)
                continue;
            if (next == after::bad)
                return false;
            nkeys_ = first_key;
            h.close(depth);
            return true;
        }
    }

    template <class H>
    bool array(H& h, std::size_t depth) noexcept {
        if (depth + 1 > max_depth_)
            return false;
        ++p_;
        h.open(depth, false);
        skip_ws();
        if (p_ != end_ && *p_ == ']') {
            ++p_;
            h.close(depth);
            return true;
        }
        for (;;) {
            skip_ws();
            if (!value(h, depth + 1))
                return false;
            const after next = separator(']');
            if (next == after::more)
                continue;
            if (next == after::bad)
                return false;
            h.close(depth);
            return true;
        }
    }

    const char* begin_;
    const char* p_;
    const char* end_;
    std::size_t max_depth_;
    // Length and first bytes of a name: most names differ here already.
    static std::uint64_t fingerprint(std::string_view n) noexcept {
        std::uint64_t f = n.size();
        const std::size_t k = n.size() < 7 ? n.size() : 7;
        for (std::size_t i = 0; i < k; ++i)
            f |= std::uint64_t{static_cast<unsigned char>(n[i])} << (8 * (i + 1));
        return f;
    }

    // The open member names. Left uninitialized (nkeys_ says what is set):
    // zero-filling them would cost more than scanning a JOSE header.
    const char* key_data_[max_keys];
    std::size_t key_size_[max_keys];
    std::uint64_t fingerprints_[max_keys];
    std::size_t nkeys_ = 0;
};

} // namespace obauth

#undef OBAUTH_SCANNER_INLINE
