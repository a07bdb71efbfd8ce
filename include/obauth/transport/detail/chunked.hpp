// RFC 9112 §7.1 chunked transfer coding, decoded as the bytes arrive, for the
// libcurl adapter: curl hands over the raw coding (transfer decoding off) so
// that chunk extensions and trailers count against a limit, as they do in
// the Beast adapter's bounded buffer. libcurl itself skips extensions of any
// length without counting them.
#pragma once

#include "../../core/ascii.hpp"
#include "../../core/wiping_allocator.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace obauth::transport::detail {

class chunked_decoder {
public:
    enum class status { more, done, too_large, malformed };

    /// `max_body`: decoded octets; `max_overhead`: size lines, extensions and
    /// trailer fields together.
    chunked_decoder(std::size_t max_body, std::size_t max_overhead) noexcept
        : max_body_(max_body), max_overhead_(max_overhead) {}

    /// Decodes `in` onto `body`. Once done or failed, stays so.
    status feed(std::string_view in, wiping_string& body) {
        for (std::size_t i = 0; i < in.size() && result_ == status::more;) {
            if (state_ == state::data) {
                const std::size_t n = in.size() - i < left_ ? in.size() - i : left_;
                if (n > max_body_ - body.size())
                    return result_ = status::too_large;
                body.append(in.data() + i, n);
                i += n;
                left_ -= n;
                if (left_ == 0)
                    state_ = state::data_cr;
                continue;
            }
            step(in[i++]);
        }
        return result_;
    }

    bool done() const noexcept { return result_ == status::done; }
    /// Within the trailer fields (after the last chunk).
    bool in_trailer() const noexcept {
        return result_ == status::more &&
               (state_ == state::line || state_ == state::line_lf || state_ == state::last_lf);
    }

private:
    enum class state { size, extension, size_lf, data, data_cr, data_lf, line, line_lf, last_lf };

    void step(char c) {
        if (state_ != state::data_cr && state_ != state::data_lf && ++overhead_ > max_overhead_) {
            result_ = status::too_large;
            return;
        }
        switch (state_) {
        case state::size:
            if (hex_digit_value(c) >= 0 && digits_ < 15) { // 15 hex digits: no overflow
                left_ = left_ * 16 + static_cast<std::size_t>(hex_digit_value(c));
                ++digits_;
            } else if (digits_ > 0 && (c == ';' || c == ' ' || c == '\t')) {
                state_ = state::extension;
            } else if (digits_ > 0 && c == '\r') {
                state_ = state::size_lf;
            } else {
                result_ = status::malformed;
            }
            return;
        case state::extension:
            if (c == '\r')
                state_ = state::size_lf;
            else if (c == '\n')
                result_ = status::malformed;
            return;
        case state::size_lf:
            if (c != '\n') {
                result_ = status::malformed;
            } else if (left_ == 0) {
                state_ = state::line; // the last chunk: trailer fields follow
                line_empty_ = true;
            } else {
                state_ = state::data;
                digits_ = 0;
            }
            return;
        case state::data_cr:
            state_ = c == '\r' ? state::data_lf : state_;
            result_ = c == '\r' ? result_ : status::malformed;
            return;
        case state::data_lf:
            state_ = c == '\n' ? state::size : state_;
            result_ = c == '\n' ? result_ : status::malformed;
            return;
        case state::line:
            if (c == '\r')
                state_ = line_empty_ ? state::last_lf : state::line_lf;
            else if (c == '\n')
                result_ = status::malformed;
            else
                line_empty_ = false;
            return;
        case state::line_lf:
            if (c != '\n')
                result_ = status::malformed;
            state_ = state::line;
            line_empty_ = true;
            return;
        case state::last_lf:
            result_ = c == '\n' ? status::done : status::malformed;
            return;
        case state::data:
            return; // handled in feed()
        }
    }

    std::size_t max_body_, max_overhead_;
    std::size_t overhead_ = 0, left_ = 0;
    unsigned digits_ = 0;
    bool line_empty_ = true;
    state state_ = state::size;
    status result_ = status::more;
};

} // namespace obauth::transport::detail
