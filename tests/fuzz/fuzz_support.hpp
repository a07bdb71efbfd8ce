// Shared by the libFuzzer harnesses: the input split into a selector and
// the rest, HTTP responses made from fuzz bytes, a fixed `now`, and keys
// made once per process. A harness may only ever see error results: any
// crash, abort, sanitizer report or exception is a finding.
#pragma once

#include <obauth/core/clock.hpp>
#include <obauth/http/http_response.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace obauth::fuzz {

/// 2024-01-10T09:00:00Z, within the validity of the fixed test material.
inline const time_point now = from_unix_seconds(1704877200);

/// The fuzz input, consumed from the front.
class input {
public:
    input(const std::uint8_t* data, std::size_t size)
        : text_(reinterpret_cast<const char*>(data), size) {}

    /// One byte (0 when the input is used up).
    std::uint8_t byte() {
        if (text_.empty())
            return 0;
        const auto b = static_cast<std::uint8_t>(text_.front());
        text_.remove_prefix(1);
        return b;
    }
    /// Everything left.
    std::string_view rest() const { return text_; }

private:
    std::string_view text_;
};

/// An HTTP response whose body is the rest of `in`, with a status and a
/// Content-Type chosen by the next byte.
inline http::http_response response(input& in) {
    static constexpr int statuses[] = {200, 201, 400, 401, 403, 429, 500, 503};
    static constexpr const char* types[] = {
        "application/json", "application/json; charset=utf-8",
        "application/jwt",  "application/token-introspection+jwt",
        "text/html",        nullptr};
    const std::uint8_t b = in.byte();
    http::http_response r(statuses[b & 7]);
    if (const char* t = types[(b >> 3) % 6])
        r.headers.push_back({"Content-Type", t});
    if (b & 0x40)
        r.headers.push_back({"Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"});
    if (b & 0x80)
        r.headers.push_back({"WWW-Authenticate", "Bearer error=\"invalid_token\""});
    r.body.assign(in.rest());
    return r;
}

} // namespace obauth::fuzz
