// What the profiles share: base URLs (https only), endpoint URLs under them,
// JSON requests whose bodies may carry secrets, and reading a provider's
// JSON answer or refusal.
#pragma once

#include "../error.hpp"

#include "../../core/ascii.hpp"
#include "../../core/base64url.hpp"
#include "../../core/json.hpp"
#include "../../core/json_secrets.hpp"
#include "../../core/result.hpp"
#include "../../core/secret.hpp"
#include "../../core/wiping_allocator.hpp"
#include "../../http/error.hpp"
#include "../../http/headers.hpp"
#include "../../http/http_request.hpp"
#include "../../http/http_response.hpp"
#include "../../http/retry_after.hpp"
#include "../../http/url.hpp"

#include <boost/url/ipv4_address.hpp>
#include <boost/url/ipv6_address.hpp>
#include <boost/url/url.hpp>

#include <array>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace obauth::providers::detail {

/// A provider's base URL: https (http only to a loopback address when
/// `allow_http_loopback`), no query or fragment, no trailing '/'.
inline result<boost::urls::url> parse_base_url(std::string_view text,
                                               bool allow_http_loopback = false) {
    http::url_policy p;
    p.allow_http_loopback = allow_http_loopback;
    p.allow_query = false;
    auto u = http::parse_url(text, p);
    if (!u)
        return make_error(u.error().code == http::errc::insecure_url ? errc::insecure_url
                                                                     : errc::invalid_configuration,
                          u.error().detail);
    std::string path(u->encoded_path());
    while (!path.empty() && path.back() == '/')
        path.pop_back();
    u->set_encoded_path(path);
    return u;
}

/// Whether `path` is an absolute path of RFC 3986 pchars and '/', with
/// valid percent-encodings (so Boost.URL takes it as it is).
inline bool valid_path(std::string_view path) noexcept {
    if (path.empty() || path.front() != '/')
        return false;
    for (std::size_t i = 0; i < path.size(); ++i) {
        const char c = path[i];
        if (c == '%') {
            if (i + 2 >= path.size() || hex_digit_value(path[i + 1]) < 0 ||
                hex_digit_value(path[i + 2]) < 0)
                return false;
            i += 2;
        } else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                     std::string_view("-._~!$&'()*+,;=:@/").find(c) != std::string_view::npos)) {
            return false;
        }
    }
    return true;
}

/// `path` (absolute, percent-encoded, no query) under `base`.
inline result<boost::urls::url> endpoint_url(const boost::urls::url& base, std::string_view path) {
    if (!valid_path(path))
        return make_error(errc::invalid_configuration, "path " + quote(path));
    boost::urls::url u = base;
    std::string p(base.encoded_path());
    p.append(path);
    u.set_encoded_path(p);
    return u;
}

/// One path segment (an id from a response) percent-encoded.
inline result<std::string> path_segment(std::string_view id) {
    if (id.empty() || id.size() > 256)
        return make_error(errc::invalid_argument, "empty or over 256 characters");
    std::string out;
    static constexpr char hex[] = "0123456789ABCDEF";
    for (const char ch : id) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            out += ch;
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

/// A request that accepts JSON (and sends it when `json_body`).
inline http::http_request json_request(http::http_method m, boost::urls::url url, bool json_body) {
    http::http_request r;
    r.method = m;
    r.url = std::move(url);
    r.headers.push_back({"Accept", "application/json"});
    if (json_body)
        r.headers.push_back({"Content-Type", "application/json"});
    return r;
}

/// `Authorization: Bearer <token>`.
/// An IPv4 or IPv6 address, nothing else.
inline bool ip_address(std::string_view s) noexcept {
    const boost::urls::string_view v(s.data(), s.size());
    return boost::urls::parse_ipv4_address(v).has_value() ||
           boost::urls::parse_ipv6_address(v).has_value();
}

/// An RFC 4122 UUID in its text form: 8-4-4-4-12 hexadecimal digits.
inline bool uuid(std::string_view s) noexcept {
    if (s.size() != 36)
        return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : hex_digit_value(s[i]) < 0)
            return false;
    }
    return true;
}

inline result<void> set_bearer(http::http_request& r, const secret& token) {
    if (token.empty())
        return make_error(errc::missing_credential, "empty bearer token");
    if (!is_vschar_text(token.expose_secret_chars()))
        return make_error(errc::invalid_argument,
                          "the bearer token has characters outside %x20-7E");
    http::set_header(r.headers, "Authorization",
                     http::authorization_value("Bearer", token.expose_secret_chars()));
    return {};
}

/// A JSON object written member by member into memory that is wiped, so
/// secrets in it leave no copies behind; finish_into() moves it into a
/// request body.
class json_writer {
public:
    json_writer() { out_ += '{'; }
    json_writer(const json_writer&) = delete;
    json_writer& operator=(const json_writer&) = delete;

    result<void> add(std::string_view name, std::string_view value) {
        key(name);
        std::string tmp; // append_json_string writes to a std::string
        tmp.reserve(value.size() * 6 + 2);
        const bool ok = append_json_string(value, tmp);
        out_.append(tmp.data(), tmp.size());
        secret::wipe(tmp);
        if (!ok)
            return make_error(errc::invalid_argument, std::string(name) + " is not UTF-8");
        return {};
    }
    result<void> add(std::string_view name, const secret& value) {
        return add(name, value.expose_secret_chars());
    }
    /// A non-secret JSON value.
    result<void> add_json(std::string_view name, const json& value) {
        key(name);
        OBAUTH_TRY(const std::string text, serialize_json(value));
        out_.append(text);
        return {};
    }
    /// Moves the body into `r`.
    void finish_into(http::http_request& r) {
        out_ += '}';
        wipe(r.body);
        r.body = std::move(out_);
    }

private:
    void key(std::string_view name) {
        if (out_.size() > 1)
            out_ += ',';
        out_ += '"';
        out_.append(name.data(), name.size()); // names are the profile's own ASCII
        out_ += "\":";
    }
    wiping_string out_;
};

/// The provider's message in an error body: `message`, `error_description`,
/// `error`, or the first `errors[].message`; printable and cut short.
inline std::string response_message(const http::http_response& r) {
    if (r.body.empty() || r.body.size() > 64 * 1024)
        return {};
    auto doc = parse_json_object(r.body, json_limits{64 * 1024, 8});
    if (!doc)
        return {};
    const json* body = &*doc;
    if (const json* errors = find_member(*doc, "errors");
        errors != nullptr && errors->is_array() && !errors->empty())
        body = &errors->front();
    for (const char* name : {"message", "error_description", "error", "detail"})
        if (const json* m = find_member(*body, name))
            if (const auto* s = m->get_ptr<const json::string_t*>())
                return quote(*s, 160);
    return {};
}

/// The error of a refused response: one code per documented status,
/// Retry-After kept.
inline error_info status_error(const http::http_response& r, time_point now) {
    errc code = errc::unexpected_status;
    if (r.status == 400)
        code = errc::bad_request;
    else if (r.status == 401)
        code = errc::invalid_credentials;
    else if (r.status == 403)
        code = errc::forbidden;
    else if (r.status == 404)
        code = errc::not_found;
    else if (r.status == 429)
        code = errc::rate_limited;
    else if (r.status >= 500 && r.status <= 599)
        code = errc::server_error;
    std::string d = "HTTP " + std::to_string(r.status);
    if (const std::string m = response_message(r); !m.empty())
        d += ": " + m;
    error_info e = make_error(code, std::move(d));
    if (const auto* ra = r.header("Retry-After"))
        e.retry_after = http::parse_retry_after(*ra, now);
    return e;
}

/// The JSON object of `text`, the body of a success response (status in
/// `ok`, JSON media type, at most `max_bytes`), or the provider's refusal.
inline result<json> parse_success_text(const http::http_response& r, std::string_view text,
                                       std::initializer_list<int> ok, std::size_t max_bytes,
                                       time_point now) {
    if (!http::status_in(r.status, ok))
        return status_error(r, now);
    if (r.body.size() > max_bytes)
        return make_error(errc::invalid_response, "body over " + std::to_string(max_bytes));
    if (auto ct = http::check_media_type(r, {"application/json"}); !ct)
        return make_error(errc::invalid_response, ct.error().detail);
    auto doc = parse_json_object(text, json_limits{max_bytes, 16});
    if (!doc)
        return make_error(errc::invalid_response, doc.error().to_string());
    return doc;
}

/// The JSON object of a success response, or the provider's refusal.
inline result<json> parse_success(const http::http_response& r, std::initializer_list<int> ok,
                                  std::size_t max_bytes, time_point now) {
    return parse_success_text(r, r.body, ok, max_bytes, now);
}

/// The same, with the secrets in `members` (top-level strings) taken out of
/// a wiped copy of the body before it is parsed (core/json_secrets.hpp);
/// take_secret() then takes them from there.
template <std::size_t N>
result<json> parse_success(const http::http_response& r, std::initializer_list<int> ok,
                           std::size_t max_bytes, time_point now,
                           std::array<secret_member, N>& members) {
    if (!http::status_in(r.status, ok) || r.body.size() > max_bytes)
        return parse_success_text(r, r.body, ok, max_bytes, now); // the refusal
    wiping_string text(r.body);
    take_secret_members(text, members);
    return parse_success_text(r, text, ok, max_bytes, now);
}

/// A string member that may be absent.
inline result<std::optional<std::string>> optional_string(const json& doc, std::string_view name) {
    return copy_optional_string(doc, name, errc::invalid_response);
}
/// A string member that must be present and non-empty.
inline result<std::string> required_string(const json& doc, std::string_view name) {
    OBAUTH_TRY(std::optional<std::string> v, optional_string(doc, name));
    if (!v || v->empty())
        return make_error(errc::invalid_response, "'" + std::string(name) + "' is missing");
    return std::move(*v);
}
/// A required string member moved into a secret and wiped in the document;
/// from `taken` when parse_success took it out of the text.
inline result<secret> take_secret(json& doc, std::string_view name,
                                  secret_member* taken = nullptr) {
    json* v = const_cast<json*>(find_member(doc, name)); // `doc` is the caller's to change
    auto* s = v ? v->get_ptr<json::string_t*>() : nullptr;
    secret value;
    if (s != nullptr)
        value = taken != nullptr && taken->value ? std::move(*taken->value) : secret::take(*s);
    if (value.empty())
        return make_error(errc::invalid_response,
                          "'" + std::string(name) + "' is missing or not a string");
    return value;
}
/// take_secret() for a token: RFC 6749's 1*VSCHAR, as it goes into header
/// fields (Authorization) as it is.
inline result<secret> take_token(json& doc, std::string_view name, secret_member* taken = nullptr) {
    OBAUTH_TRY(secret token, take_secret(doc, name, taken));
    if (!is_vschar_text(token.expose_secret_chars()))
        return make_error(errc::invalid_response,
                          "'" + std::string(name) + "' has characters outside %x20-7E");
    return token;
}

/// The claims of a compact JWS read without verifying it: only for values
/// the provider documents as readable by the client, never for trust.
inline result<json> unverified_jwt_claims(std::string_view jwt) {
    if (jwt.size() > 16 * 1024)
        return make_error(errc::invalid_response, "JWT over 16 KiB");
    const auto first = jwt.find('.');
    const auto second = first == std::string_view::npos ? first : jwt.find('.', first + 1);
    if (second == std::string_view::npos || jwt.find('.', second + 1) != std::string_view::npos)
        return make_error(errc::invalid_response, "not a compact JWS");
    auto payload = base64url_decode_to_string(jwt.substr(first + 1, second - first - 1));
    if (!payload)
        return make_error(errc::invalid_response, "JWT payload: " + payload.error().to_string());
    auto claims = parse_json_object(*payload, json_limits{16 * 1024, 8});
    if (!claims)
        return make_error(errc::invalid_response, "JWT claims: " + claims.error().to_string());
    return claims;
}

} // namespace obauth::providers::detail
