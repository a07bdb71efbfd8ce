// Proof Key for Code Exchange (RFC 7636), for clients and for servers.
//
// Clients: code_verifier::generate() draws 32 octets from the CSPRNG (43
// characters; 43 to 128 on request), challenge() gives the S256
// code_challenge for the authorization request, and take() hands the
// verifier over for the token request exactly once. The verifier is a
// secret: wiped, never printed.
//
// Servers: verify_code_verifier() checks a received verifier against the
// stored challenge in constant time. "plain" exists only behind names that
// say "insecure": FAPI and RFC 9700 §2.1.1 forbid it.
#pragma once

#include "error.hpp"

#include "../core/base64url.hpp"
#include "../core/digest.hpp"
#include "../core/random.hpp"
#include "../core/result.hpp"
#include "../core/secret.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace obauth::pkce {

enum class challenge_method : std::uint8_t {
    s256,           ///< BASE64URL(SHA256(ASCII(code_verifier)))
    plain_insecure, ///< code_challenge = code_verifier; only with an explicit opt-in
};

inline constexpr std::size_t min_verifier_length = 43;
inline constexpr std::size_t max_verifier_length = 128;

/// "S256" or "plain" (the latter parsed so it can be refused by name).
inline result<challenge_method> parse_challenge_method(std::string_view name) {
    if (name == "S256")
        return challenge_method::s256;
    if (name == "plain")
        return challenge_method::plain_insecure;
    return errc::unsupported_method;
}

inline std::string_view to_string(challenge_method m) noexcept {
    return m == challenge_method::s256 ? "S256" : "plain";
}

namespace detail {
inline bool is_unreserved(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

/// RFC 7636 §4.1: 43 to 128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~".
inline result<void> check_verifier(std::string_view v) {
    if (v.size() < min_verifier_length || v.size() > max_verifier_length)
        return errc::invalid_length;
    for (const char c : v)
        if (!is_unreserved(c))
            return errc::invalid_verifier;
    return {};
}

inline std::string s256(std::string_view verifier) {
    return base64url_encode(sha256(verifier));
}
} // namespace detail

class code_verifier {
public:
    /// A fresh verifier: 32 random octets, base64url-encoded (43 characters,
    /// 256 bits).
    static result<code_verifier> generate(random_generator& rng = default_random()) {
        OBAUTH_TRY(secret text, random_token(32, rng));
        return code_verifier(std::move(text));
    }

    /// A fresh verifier of exactly `length` characters (43 to 128), each
    /// carrying 6 random bits from the base64url alphabet.
    static result<code_verifier> generate(std::size_t length,
                                          random_generator& rng = default_random()) {
        if (length < min_verifier_length || length > max_verifier_length)
            return errc::invalid_length;
        OBAUTH_TRY(secret raw, random_secret(length, rng));
        secret text = secret::zeroed(length);
        static constexpr char alphabet[] =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (std::size_t i = 0; i < length; ++i)
            text.expose_secret_mutable()[i] =
                static_cast<unsigned char>(alphabet[raw.expose_secret()[i] & 63]);
        return code_verifier(std::move(text));
    }

    /// A verifier received or stored as text; checked strictly.
    static result<code_verifier> parse(std::string_view text) {
        OBAUTH_TRY_VOID(detail::check_verifier(text));
        return code_verifier(secret(bytes_view(text)));
    }

    code_verifier(code_verifier&&) noexcept = default;
    code_verifier& operator=(code_verifier&&) noexcept = default;

    /// The S256 code_challenge (not secret: it goes in the front channel).
    /// Available until the verifier is taken.
    result<std::string> challenge() const {
        if (used_)
            return errc::already_used;
        return detail::s256(value_.expose_secret_chars());
    }

    /// The "plain" challenge, for servers that support nothing else.
    /// FAPI and RFC 9700 forbid it; the name says so.
    result<std::string> plain_challenge_insecure() const {
        if (used_)
            return errc::already_used;
        return std::string(value_.expose_secret_chars());
    }

    /// Hands the verifier over for the token request, once; afterwards the
    /// object is empty and every call fails with already_used.
    result<secret> take() {
        if (used_)
            return errc::already_used;
        used_ = true;
        return std::move(value_);
    }

    bool used() const noexcept { return used_; }
    std::size_t length() const noexcept { return value_.size(); }

private:
    explicit code_verifier(secret v) noexcept : value_(std::move(v)) {}
    secret value_;
    bool used_ = false;
};

/// Server-side options.
struct verifier_policy {
    /// Accept "plain" challenges. Off by default; never for FAPI.
    bool allow_plain_insecure = false;
};

/// Checks `verifier` (from the token request) against the `challenge` and
/// `method` stored with the authorization code. Constant-time comparison.
inline result<void> verify_code_verifier(std::string_view verifier, std::string_view challenge,
                                         challenge_method method,
                                         const verifier_policy& policy = {}) {
    OBAUTH_TRY_VOID(detail::check_verifier(verifier));
    if (method == challenge_method::plain_insecure) {
        if (!policy.allow_plain_insecure)
            return errc::plain_not_allowed;
        if (!constant_time_equal(verifier, challenge))
            return errc::mismatch;
        return {};
    }
    if (challenge.size() != 43)
        return errc::invalid_challenge;
    if (!constant_time_equal(detail::s256(verifier), challenge))
        return errc::mismatch;
    return {};
}

} // namespace obauth::pkce
