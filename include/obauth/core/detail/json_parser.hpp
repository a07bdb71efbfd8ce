// The strict JSON parser behind parse_json (RFC 8259): builds an nlohmann
// DOM, refuses duplicate member names and nesting beyond a depth limit, and
// records the first error instead of throwing. Iterative (an explicit stack
// of open containers), so the depth limit bounds memory, not the C++ stack.
//
// It is ours rather than nlohmann's parser so that a program that parses
// JSON does not carry nlohmann's lexer, its exception messages and its
// assertion strings (about 20 KB), nor every translation unit the
// instantiation of them (about a second of compile time). The fuzz harness
// (tests/fuzz/json_fuzz.cpp) checks it against nlohmann's parser.
//
// The caller has checked the size, UTF-8, the byte order mark and NUL bytes.
// Numbers are stored as nlohmann stores them: a non-negative integer as
// number_unsigned, a negative one as number_integer, both as number_float
// when they do not fit 64 bits, anything with a fraction or an exponent as
// number_float; a float that overflows is an error, one that underflows is 0.
#pragma once

#include "../ascii.hpp"
#include "../error.hpp"
#include "../utf8.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace obauth::detail {

class json_parser {
public:
    using json = nlohmann::json;

    json_parser(std::string_view text, std::size_t max_depth) noexcept
        : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()),
          max_depth_(max_depth) {}

    /// Parses the whole text into `root`; false with error()/detail() set.
    bool parse(json& root) {
        json* slot = &root; // where the next value goes
        for (;;) {
            skip_ws();
            if (p_ == end_)
                return syntax_error();
            const char c = *p_;
            if (c == '{' || c == '[') {
                if (stack_.size() >= max_depth_)
                    return fail(core_errc::json_too_deep,
                                "deeper than " + std::to_string(max_depth_) + " levels");
                *slot = c == '{' ? json(json::value_t::object) : json(json::value_t::array);
                stack_.push_back(slot);
                ++p_;
                skip_ws();
                if (p_ != end_ && *p_ == (c == '{' ? '}' : ']')) {
                    ++p_;
                    stack_.pop_back();
                } else {
                    if (!next_slot(slot))
                        return false;
                    continue;
                }
            } else if (!scalar(*slot)) {
                return false;
            }
            // After a value: close containers, or go on to the next element.
            for (;;) {
                skip_ws();
                if (stack_.empty())
                    return p_ == end_ || syntax_error();
                if (p_ == end_)
                    return syntax_error();
                const bool object = stack_.back()->is_object();
                if (*p_ == ',') {
                    ++p_;
                    if (!next_slot(slot))
                        return false;
                    break;
                }
                if (*p_ != (object ? '}' : ']'))
                    return syntax_error();
                ++p_;
                stack_.pop_back();
            }
        }
    }

    core_errc error() const noexcept { return error_; }
    const std::string& detail() const noexcept { return detail_; }

private:
    bool fail(core_errc e, std::string detail) {
        error_ = e;
        detail_ = std::move(detail);
        return false;
    }
    bool syntax_error() {
        return fail(core_errc::json_syntax_error,
                    "at offset " + std::to_string(static_cast<std::size_t>(p_ - begin_)));
    }

    void skip_ws() noexcept {
        while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t'))
            ++p_;
    }

    // The slot of the next element of the innermost container: a new array
    // element, or (after its name and ':') a new object member.
    bool next_slot(json*& slot) {
        json& top = *stack_.back();
        if (auto* arr = top.get_ptr<json::array_t*>()) {
            slot = &arr->emplace_back();
            return true;
        }
        skip_ws();
        if (p_ == end_ || *p_ != '"' || !string(key_))
            return error_ != core_errc{} ? false : syntax_error();
        skip_ws();
        if (p_ == end_ || *p_ != ':')
            return syntax_error();
        ++p_;
        auto [it, inserted] = top.get_ptr<json::object_t*>()->emplace(std::move(key_), nullptr);
        if (!inserted)
            return fail(core_errc::json_duplicate_member, "member " + quote(it->first, 32));
        slot = &it->second;
        return true;
    }

    bool scalar(json& out) {
        switch (*p_) {
        case '"': {
            std::string s;
            if (!string(s))
                return false;
            out = std::move(s);
            return true;
        }
        case 't':
            if (!literal("true"))
                return false;
            out = true;
            return true;
        case 'f':
            if (!literal("false"))
                return false;
            out = false;
            return true;
        case 'n':
            if (!literal("null"))
                return false;
            out = nullptr;
            return true;
        default:
            return number(out);
        }
    }

    bool literal(std::string_view word) {
        if (static_cast<std::size_t>(end_ - p_) < word.size() ||
            std::string_view(p_, word.size()) != word)
            return syntax_error();
        p_ += word.size();
        return true;
    }

    static bool digit(char c) noexcept { return c >= '0' && c <= '9'; }

    bool number(json& out) {
        const char* start = p_;
        if (p_ != end_ && *p_ == '-')
            ++p_;
        if (p_ == end_ || !digit(*p_))
            return syntax_error();
        if (*p_ == '0')
            ++p_;
        else
            while (p_ != end_ && digit(*p_))
                ++p_;
        bool integral = true;
        if (p_ != end_ && *p_ == '.') {
            integral = false;
            if (++p_ == end_ || !digit(*p_))
                return syntax_error();
            while (p_ != end_ && digit(*p_))
                ++p_;
        }
        if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
            integral = false;
            if (++p_ != end_ && (*p_ == '+' || *p_ == '-'))
                ++p_;
            if (p_ == end_ || !digit(*p_))
                return syntax_error();
            while (p_ != end_ && digit(*p_))
                ++p_;
        }
        if (integral) {
            if (*start == '-') {
                std::int64_t v = 0;
                if (std::from_chars(start, p_, v).ec == std::errc{}) {
                    out = v;
                    return true;
                }
            } else {
                std::uint64_t v = 0;
                if (std::from_chars(start, p_, v).ec == std::errc{}) {
                    out = v;
                    return true;
                }
            }
        }
        double d = 0;
        const auto r = std::from_chars(start, p_, d);
        if (r.ec == std::errc::result_out_of_range) {
            if (!underflows(std::string_view(start, static_cast<std::size_t>(p_ - start))))
                return fail(core_errc::json_syntax_error,
                            "number out of range at offset " +
                                std::to_string(static_cast<std::size_t>(start - begin_)));
            d = *start == '-' ? -0.0 : 0.0;
        } else if (r.ec != std::errc{} || r.ptr != p_) {
            return syntax_error();
        }
        out = d;
        return true;
    }

    // Whether a well-formed number that is out of double's range is tiny
    // rather than huge: its decimal exponent (digits before the point, or
    // minus the zeros after it, plus the exponent) is not positive.
    static bool underflows(std::string_view n) noexcept {
        std::size_t i = n[0] == '-' ? 1 : 0;
        long long magnitude = 0;
        if (n[i] != '0') {
            for (; i < n.size() && digit(n[i]); ++i)
                ++magnitude;
        } else {
            ++i;
            if (i < n.size() && n[i] == '.')
                for (++i; i < n.size() && n[i] == '0'; ++i)
                    --magnitude;
        }
        const std::size_t e = n.find_first_of("eE");
        if (e != std::string_view::npos) {
            const bool negative = n[e + 1] == '-';
            long long x = 0;
            for (std::size_t k = e + 1; k < n.size() && x < 1000000; ++k)
                if (digit(n[k]))
                    x = x * 10 + (n[k] - '0');
            magnitude += negative ? -x : x;
        }
        return magnitude <= 0;
    }

    // Four hex digits after "\u".
    bool u_escape(unsigned& cp) {
        if (!read_hex4(p_, end_, cp))
            return false;
        p_ += 4;
        return true;
    }

    // At the opening quote; the text is valid UTF-8 already.
    bool string(std::string& out) {
        out.clear();
        ++p_;
        for (;;) {
            const char* run = p_;
            while (p_ != end_ && *p_ != '"' && *p_ != '\\' &&
                   static_cast<unsigned char>(*p_) >= 0x20)
                ++p_;
            out.append(run, static_cast<std::size_t>(p_ - run));
            if (p_ == end_ || static_cast<unsigned char>(*p_) < 0x20)
                return syntax_error();
            if (*p_++ == '"')
                return true;
            if (p_ == end_)
                return syntax_error();
            const char e = *p_++;
            if (const char c = json_simple_escape(e); c != 0) {
                out += c;
                continue;
            }
            if (e != 'u')
                return syntax_error();
            unsigned cp = 0;
            if (!u_escape(cp) || (cp >= 0xDC00 && cp <= 0xDFFF))
                return syntax_error();
            if (cp >= 0xD800 && cp <= 0xDBFF) { // a high surrogate: its pair must follow
                unsigned low = 0;
                if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u')
                    return syntax_error();
                p_ += 2;
                if (!u_escape(low) || low < 0xDC00 || low > 0xDFFF)
                    return syntax_error();
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            }
            append_utf8(cp, out);
        }
    }

    const char* begin_;
    const char* p_;
    const char* end_;
    std::size_t max_depth_;
    std::vector<json*> stack_;
    std::string key_;
    core_errc error_{};
    std::string detail_;
};

} // namespace obauth::detail
