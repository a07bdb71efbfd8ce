// WWW-Authenticate (RFC 9110 §11.6.1): the challenges a 401 response
// carries, e.g. `Bearer realm="bank", error="invalid_token"` (RFC 6750 §3).
// Strict grammar: auth-scheme, then either a token68 or comma-separated
// auth-params (token or quoted-string values); several challenges in one
// field or in several fields. Parameter names are case-insensitive.
// Bounded: at most 16 challenges of at most 32 parameters, 8 KiB in all.
#pragma once

#include "error.hpp"
#include "headers.hpp"

#include "../core/ascii.hpp"
#include "../core/result.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace obauth::http {

struct auth_challenge {
    std::string scheme; ///< as sent; compare with ascii_iequals
    std::string token68;
    std::vector<std::pair<std::string, std::string>> params; ///< names lower-cased

    /// The value of parameter `name` (lower-case), or nullptr.
    const std::string* param(std::string_view name) const noexcept {
        for (const auto& p : params)
            if (p.first == name)
                return &p.second;
        return nullptr;
    }
};

namespace detail {
inline bool is_tchar(char c) noexcept {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}
inline bool is_token68_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

class challenge_parser {
public:
    explicit challenge_parser(std::string_view s) : s_(s) {}

    result<std::vector<auth_challenge>> parse() {
        std::vector<auth_challenge> out;
        skip_list_separators();
        while (i_ < s_.size()) {
            if (out.size() == 16)
                return fail("more than 16 challenges");
            auth_challenge c;
            c.scheme = std::string(token());
            if (c.scheme.empty())
                return fail("expected an auth-scheme");
            const std::size_t after_scheme = i_;
            skip_spaces();
            if (i_ > after_scheme && i_ < s_.size() && s_[i_] != ',') {
                if (starts_param()) {
                    OBAUTH_TRY_VOID(params(c));
                } else {
                    const std::size_t start = i_;
                    while (i_ < s_.size() && is_token68_char(s_[i_]))
                        ++i_;
                    if (i_ == start)
                        return fail("expected token68 or auth-param");
                    while (i_ < s_.size() && s_[i_] == '=')
                        ++i_;
                    c.token68 = std::string(s_.substr(start, i_ - start));
                    skip_spaces();
                    if (i_ < s_.size() && s_[i_] != ',')
                        return fail("junk after token68");
                }
            }
            out.push_back(std::move(c));
            skip_list_separators();
        }
        return out;
    }

private:
    error_info fail(const char* what) const {
        return make_error(errc::invalid_header,
                          std::string("WWW-Authenticate: ") + what + " at " + std::to_string(i_));
    }
    std::string_view token() {
        const std::size_t start = i_;
        while (i_ < s_.size() && is_tchar(s_[i_]))
            ++i_;
        return s_.substr(start, i_ - start);
    }
    void skip_spaces() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t'))
            ++i_;
    }
    void skip_list_separators() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == ','))
            ++i_;
    }
    // At a token followed by BWS "=" and then a value (not "=" or a list end,
    // which would make it a token68 with padding).
    bool starts_param() const {
        std::size_t j = i_;
        while (j < s_.size() && is_tchar(s_[j]))
            ++j;
        if (j == i_)
            return false;
        while (j < s_.size() && (s_[j] == ' ' || s_[j] == '\t'))
            ++j;
        if (j >= s_.size() || s_[j] != '=')
            return false;
        ++j;
        while (j < s_.size() && (s_[j] == ' ' || s_[j] == '\t'))
            ++j;
        return j < s_.size() && s_[j] != ',' && s_[j] != '=';
    }
    result<void> params(auth_challenge& c) {
        while (true) {
            if (c.params.size() == 32)
                return fail("more than 32 parameters");
            std::string name(token());
            for (char& ch : name)
                ch = ascii_lower(ch);
            for (const auto& p : c.params)
                if (p.first == name)
                    return fail("repeated parameter");
            skip_spaces();
            ++i_; // '=' (starts_param checked it)
            skip_spaces();
            std::string value;
            if (s_[i_] == '"') {
                ++i_;
                while (true) {
                    if (i_ >= s_.size())
                        return fail("unterminated quoted-string");
                    char ch = s_[i_++];
                    if (ch == '"')
                        break;
                    if (ch == '\\') {
                        if (i_ >= s_.size())
                            return fail("unterminated quoted-string");
                        ch = s_[i_++];
                    }
                    const auto u = static_cast<unsigned char>(ch);
                    if ((u < 0x20 && ch != '\t') || u == 0x7f)
                        return fail("control character in quoted-string");
                    value += ch;
                }
            } else {
                value = std::string(token());
                if (value.empty())
                    return fail("expected a parameter value");
            }
            c.params.emplace_back(std::move(name), std::move(value));
            skip_spaces();
            if (i_ >= s_.size())
                return {};
            if (s_[i_] != ',')
                return fail("expected ',' between parameters");
            // The next list element continues this challenge only if it is
            // another auth-param.
            std::size_t save = i_;
            skip_list_separators();
            if (i_ >= s_.size() || !starts_param()) {
                i_ = save;
                return {};
            }
        }
    }

    std::string_view s_;
    std::size_t i_ = 0;
};
} // namespace detail

/// The challenges of one WWW-Authenticate field value.
inline result<std::vector<auth_challenge>> parse_www_authenticate(std::string_view value) {
    if (value.size() > 8192)
        return make_error(errc::invalid_header, "WWW-Authenticate over 8 KiB");
    return detail::challenge_parser(value).parse();
}

/// The challenges of every WWW-Authenticate field of a response.
inline result<std::vector<auth_challenge>> parse_www_authenticate(const http_headers& h) {
    return parse_www_authenticate(combined_header(h, "WWW-Authenticate"));
}

} // namespace obauth::http
