// application/x-www-form-urlencoded, the body of every OAuth 2.0 request to
// the token, PAR, introspection and revocation endpoints (RFC 6749
// Appendix B, encoded as the WHATWG URL standard §5.2 serializes it), and
// HTTP Basic client authentication with the RFC 6749 §2.3.1 rule that the
// client id and secret are form-encoded before they are joined and base64
// encoded.
//
// These bodies carry client secrets, authorization codes, PKCE verifiers and
// refresh tokens: form_body keeps one buffer, reserved ahead so it never
// reallocates behind our back in the common case, and wipes it when
// destroyed; the Basic credentials come back as a `secret`.
#pragma once

#include "error.hpp"

#include "../core/ascii.hpp"
#include "../core/result.hpp"
#include "../core/secret.hpp"
#include "../core/wiping_allocator.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace obauth::http {

namespace detail {
inline bool form_safe(unsigned char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '*' ||
           c == '-' || c == '.' || c == '_';
}
inline std::size_t form_encoded_size(std::string_view s) noexcept {
    std::size_t n = 0;
    for (const char c : s)
        n += form_safe(static_cast<unsigned char>(c)) || c == ' ' ? 1u : 3u;
    return n;
}
inline void wipe_string(std::string& s) noexcept {
    if (s.capacity() > 0)
        OPENSSL_cleanse(&s[0], s.capacity()); // the whole buffer, not just size()
    s.clear();
}
} // namespace detail

/// Appends `s` form-encoded: A-Z a-z 0-9 * - . _ kept, space as '+', every
/// other octet as %XX (upper-case hex). `out` is a std::string or a
/// wiping_string.
template <class String>
void append_form_encoded(std::string_view s, String& out) {
    static constexpr char hex[] = "0123456789ABCDEF";
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (detail::form_safe(c)) {
            out += ch;
        } else if (c == ' ') {
            out += '+';
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
}

/// A form body built in place, in memory that is wiped whenever it is
/// released (growth included) and on destruction.
class form_body {
public:
    form_body() { buffer_.reserve(512); }
    form_body(const form_body&) = delete;
    form_body& operator=(const form_body&) = delete;
    form_body(form_body&&) noexcept = default;
    ~form_body() { wipe(buffer_); }

    form_body& add(std::string_view name, std::string_view value) {
        buffer_.reserve(buffer_.size() + 2 + detail::form_encoded_size(name) +
                        detail::form_encoded_size(value));
        if (!buffer_.empty())
            buffer_ += '&';
        append_form_encoded(name, buffer_);
        buffer_ += '=';
        append_form_encoded(value, buffer_);
        return *this;
    }
    std::string_view view() const noexcept { return buffer_; }
    /// Hands the encoded body over (for http_request::body); this one is left empty.
    wiping_string take() noexcept { return std::exchange(buffer_, wiping_string()); }

private:
    wiping_string buffer_;
};

/// The Authorization header value for client_secret_basic (RFC 6749
/// §2.3.1, RFC 7617): "Basic " + base64(form(client_id) ":" form(secret)).
inline secret basic_authorization(std::string_view client_id, const secret& client_secret) {
    std::string joined;
    joined.reserve(detail::form_encoded_size(client_id) + 1 +
                   detail::form_encoded_size(client_secret.expose_secret_chars()));
    append_form_encoded(client_id, joined);
    joined += ':';
    append_form_encoded(client_secret.expose_secret_chars(), joined);
    const std::size_t encoded = 4 * ((joined.size() + 2) / 3);
    secret out = secret::zeroed(6 + encoded + 1); // EVP_EncodeBlock writes a NUL
    unsigned char* p = out.expose_secret_mutable();
    for (const char c : std::string_view("Basic "))
        *p++ = static_cast<unsigned char>(c);
    EVP_EncodeBlock(p, reinterpret_cast<const unsigned char*>(joined.data()),
                    static_cast<int>(joined.size()));
    detail::wipe_string(joined);
    secret header{bytes_view(out.expose_secret().data(), 6 + encoded)};
    return header;
}

/// Appends the application/x-www-form-urlencoded decoding of `in` to `out`
/// ('+' as space, "%XX" as its octet); false on a '%' without two hex
/// digits after it.
inline bool form_decode(std::string_view in, std::string& out) {
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] == '+') {
            out += ' ';
        } else if (in[i] == '%') {
            if (i + 2 >= in.size())
                return false;
            const int hi = hex_digit_value(in[i + 1]), lo = hex_digit_value(in[i + 2]);
            if (hi < 0 || lo < 0)
                return false;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else {
            out += in[i];
        }
    }
    return true;
}

using form_fields = std::vector<std::pair<std::string, std::string>>;

/// Parses a form body strictly: every '%' followed by two hex digits, '+'
/// as space, every field "name=value" with a non-empty name, at most
/// `max_fields` fields. Names and values come back decoded, in order.
inline result<form_fields> parse_form(std::string_view body, std::size_t max_fields = 64) {
    form_fields fields;
    if (body.empty())
        return fields;
    while (true) {
        const std::size_t amp = body.find('&');
        const std::string_view field = body.substr(0, amp);
        const std::size_t eq = field.find('=');
        if (eq == 0 || eq == std::string_view::npos)
            return make_error(errc::invalid_form, "a field is not name=value");
        if (fields.size() == max_fields)
            return make_error(errc::invalid_form,
                              "more than " + std::to_string(max_fields) + " fields");
        std::pair<std::string, std::string> f;
        if (!form_decode(field.substr(0, eq), f.first) ||
            !form_decode(field.substr(eq + 1), f.second))
            return make_error(errc::invalid_form, "bad percent-encoding");
        fields.push_back(std::move(f));
        if (amp == std::string_view::npos)
            return fields;
        body.remove_prefix(amp + 1);
    }
}

} // namespace obauth::http
