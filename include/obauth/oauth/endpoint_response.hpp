// Reading what an authorization server endpoint answered, the part every
// processor shares: a success status with a bounded JSON object body, or an
// error. Errors keep everything the server said: the RFC 6749 §5.2 body
// (`error`, `error_description`, `error_uri`) as a distinct code, the
// RFC 6750 §3 WWW-Authenticate challenge of a 401/403, and Retry-After of a
// 429/503 (in error_info::retry_after). An HTML error page or any other
// body becomes a status error, never a parse crash.
#pragma once

#include "error.hpp"

#include "../core/ascii.hpp"
#include "../core/json.hpp"
#include "../core/json_secrets.hpp"
#include "../core/result.hpp"
#include "../core/secret.hpp"
#include "../http/http_response.hpp"
#include "../http/retry_after.hpp"
#include "../http/www_authenticate.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace obauth::oauth {

/// An endpoint's refusal, as structured data.
struct endpoint_error {
    errc code = errc::unexpected_status;
    int status = 0;
    std::string error;             ///< the `error` value as sent (may be empty)
    std::string error_description; ///< printable ASCII only, at most 256 characters
    std::string error_uri;
    std::optional<std::chrono::seconds> retry_after;
    std::vector<http::auth_challenge> challenges; ///< WWW-Authenticate

    /// "HTTP 400 invalid_grant: description <uri>" as an error_info.
    error_info to_error_info() const {
        std::string d = "HTTP " + std::to_string(status);
        if (!error.empty())
            d += " " + error;
        if (!error_description.empty())
            d += ": " + error_description;
        if (!error_uri.empty())
            d += " <" + error_uri + ">";
        for (const auto& c : challenges)
            d += " [" + c.scheme + "]";
        error_info e = make_error(code, std::move(d));
        e.retry_after = retry_after;
        return e;
    }
};

namespace detail {
// RFC 6749 §5.2 limits error, error_description and error_uri to printable
// ASCII without '"' and '\'; anything else is replaced, and the text cut
// short, so a hostile server cannot put control characters into logs.
inline std::string printable(std::string_view s, std::size_t max = 256) {
    std::string out;
    for (const char c : s.substr(0, max))
        out += (c >= 0x20 && c <= 0x7e && c != '"' && c != '\\') ? c : '?';
    return out;
}
inline std::string string_or_empty(const json& doc, std::string_view name) {
    const json* v = find_member(doc, name);
    const auto* s = v ? v->get_ptr<const json::string_t*>() : nullptr;
    return s ? printable(*s) : std::string();
}
} // namespace detail

/// What an error response says. Works on any status (a server may send
/// §5.2 bodies with 400, 401 or others).
inline endpoint_error parse_endpoint_error(const http::http_response& r, time_point now) {
    endpoint_error e;
    e.status = r.status;
    if (r.status == 401)
        e.code = errc::http_unauthorized;
    else if (r.status == 403)
        e.code = errc::http_forbidden;
    else if (r.status == 429)
        e.code = errc::rate_limited;
    else if (r.status >= 500 && r.status <= 599)
        e.code = errc::http_server_error;
    if (const auto* ra = r.header("Retry-After"))
        e.retry_after = http::parse_retry_after(*ra, now);
    if (auto ch = http::parse_www_authenticate(r.headers)) {
        e.challenges = std::move(*ch);
        for (const auto& c : e.challenges) {
            if (const std::string* err = c.param("error"); err && e.error.empty()) {
                e.error = detail::printable(*err, 64);
                e.code = errc_from_wire(*err);
                if (const std::string* d = c.param("error_description"))
                    e.error_description = detail::printable(*d);
                if (const std::string* u = c.param("error_uri"))
                    e.error_uri = detail::printable(*u);
            }
        }
    }
    if (r.body.size() <= 64 * 1024 && check_media_type(r, {"application/json"})) {
        if (auto doc = parse_json_object(r.body, json_limits{64 * 1024, 8})) {
            const json* err = find_member(*doc, "error");
            if (const auto* s = err ? err->get_ptr<const json::string_t*>() : nullptr) {
                e.error = detail::printable(*s, 64);
                e.code = errc_from_wire(*s);
                e.error_description = detail::string_or_empty(*doc, "error_description");
                e.error_uri = detail::string_or_empty(*doc, "error_uri");
            }
        }
    }
    return e;
}

namespace detail {
inline result<json> parse_success_text(const http::http_response& r, std::string_view text,
                                       std::initializer_list<int> ok, std::size_t max_bytes,
                                       time_point now) {
    if (!http::status_in(r.status, ok))
        return parse_endpoint_error(r, now).to_error_info();
    OBAUTH_TRY_VOID(check_body_size(r, max_bytes));
    OBAUTH_TRY_VOID(check_media_type(r, {"application/json"}));
    auto doc = parse_json_object(text, json_limits{max_bytes, 16});
    if (!doc)
        return make_error(errc::invalid_response, doc.error().to_string());
    return doc;
}
} // namespace detail

/// The JSON object of a success response: the status is one of `ok`, the
/// body is within `max_bytes`, the media type is application/json. Any
/// other status is the server's error.
inline result<json> parse_json_success(const http::http_response& r, std::initializer_list<int> ok,
                                       std::size_t max_bytes, time_point now) {
    return detail::parse_success_text(r, r.body, ok, max_bytes, now);
}

/// The same, for a success response that carries secrets in `members`
/// (top-level strings): they are taken out of a wiped copy of the body
/// before it is parsed (core/json_secrets.hpp), and the document holds ""
/// in their place.
template <std::size_t N>
result<json> parse_json_success(const http::http_response& r, std::initializer_list<int> ok,
                                std::size_t max_bytes, time_point now,
                                std::array<secret_member, N>& members) {
    if (!http::status_in(r.status, ok) || r.body.size() > max_bytes)
        return detail::parse_success_text(r, r.body, ok, max_bytes, now); // the error
    wiping_string text(r.body);
    take_secret_members(text, members);
    return detail::parse_success_text(r, text, ok, max_bytes, now);
}

/// RFC 6749 §3.3: the space-delimited tokens of a scope value, as views
/// into it (empty tokens from repeated spaces left out).
/// Calls `f` with each token of the space-separated scope `s`, in order.
template <class F>
void for_each_scope_token(std::string_view s, F&& f) {
    while (!s.empty()) {
        const std::size_t sp = s.find(' ');
        if (sp != 0)
            f(s.substr(0, sp));
        if (sp == std::string_view::npos)
            break;
        s.remove_prefix(sp + 1);
    }
}

inline std::vector<std::string_view> scope_tokens(std::string_view s) {
    std::vector<std::string_view> out;
    out.reserve(static_cast<std::size_t>(std::count(s.begin(), s.end(), ' ')) + 1);
    for_each_scope_token(s, [&out](std::string_view t) { out.push_back(t); });
    return out;
}

namespace detail {
/// A member that must be a string when present.
inline result<std::optional<std::string>> optional_string(const json& doc, std::string_view name) {
    return copy_optional_string(doc, name, errc::invalid_response);
}
/// Moves a token member (a string of RFC 6749's 1*VSCHAR: it goes into
/// header fields as it is) into a secret and wipes it in the DOM.
inline result<std::optional<secret>> take_token(json& doc, std::string_view name,
                                                secret_member* taken = nullptr) {
    json* v = const_cast<json*>(find_member(doc, name)); // `doc` is ours to change
    if (v == nullptr)
        return std::optional<secret>();
    auto* s = v->get_ptr<json::string_t*>();
    if (s == nullptr)
        return make_error(errc::invalid_response, "'" + std::string(name) + "' is not a string");
    // Taken out of the text before parsing (the document holds "" instead).
    secret token = taken != nullptr && taken->value ? std::move(*taken->value) : secret::take(*s);
    if (token.empty())
        return make_error(errc::invalid_response, "'" + std::string(name) + "' is empty");
    if (!is_vschar_text(token.expose_secret_chars()))
        return make_error(errc::invalid_response,
                          "'" + std::string(name) + "' has characters outside %x20-7E");
    return std::optional<secret>(std::move(token));
}
/// RFC 6749 §3.3: space-delimited scope tokens, copied.
inline std::vector<std::string> split_scope(std::string_view s) {
    const auto tokens = scope_tokens(s);
    return std::vector<std::string>(tokens.begin(), tokens.end());
}
inline std::string join_scope(const std::vector<std::string>& scope) {
    std::string out;
    for (const auto& s : scope) {
        if (!out.empty())
            out += ' ';
        out += s;
    }
    return out;
}
} // namespace detail

} // namespace obauth::oauth
