// Error codes and coarse error conditions shared by every obauth module.
//
// Each module has its own error enum and `std::error_category`; every code maps
// onto one of a few coarse conditions so that callers can branch without
// knowing every code:
//
//   if (r.error().code == obauth::condition::verification_failed) ...
//
// Messages are static and never contain input data; the per-error detail
// string lives in `obauth::error_info` (see result.hpp).
#pragma once

#include <string>
#include <system_error>
#include <type_traits>

namespace obauth {

/// Coarse error conditions every module-specific code maps onto.
enum class condition {
    invalid_input = 1,   ///< malformed, oversized or otherwise unacceptable input
    verification_failed, ///< a signature, MAC, hash, claim or binding did not verify
    protocol_error,      ///< the peer broke the protocol (RFC 6749 §5.2 errors and alike)
    invalid_state,       ///< a call made in the wrong state, or on a failed object
    server_error,        ///< the peer reported a server-side failure (HTTP 5xx, 429)
    internal_error,      ///< a failure of the platform: RNG, OpenSSL allocation
};

namespace detail {
class condition_category_impl final : public std::error_category {
public:
    const char* name() const noexcept override { return "obauth.condition"; }
    std::string message(int v) const override {
        switch (static_cast<condition>(v)) {
        case condition::invalid_input:
            return "invalid input";
        case condition::verification_failed:
            return "verification failed";
        case condition::protocol_error:
            return "protocol error";
        case condition::invalid_state:
            return "invalid state";
        case condition::server_error:
            return "server error";
        case condition::internal_error:
            return "internal error";
        }
        return "unknown condition";
    }
};
} // namespace detail

inline const std::error_category& condition_category() noexcept {
    static const detail::condition_category_impl category;
    return category;
}

inline std::error_condition make_error_condition(condition c) noexcept {
    return {static_cast<int>(c), condition_category()};
}

/// Describes a module's error enum: specialize with `name`, `message(E)` and
/// `to_condition(E)`; `error_category_for<E>()` then yields its category.
template <class E>
struct error_traits;

namespace detail {
template <class E>
class module_category final : public std::error_category {
public:
    const char* name() const noexcept override { return error_traits<E>::name; }
    std::string message(int v) const override {
        return error_traits<E>::message(static_cast<E>(v));
    }
    std::error_condition default_error_condition(int v) const noexcept override {
        return make_error_condition(error_traits<E>::to_condition(static_cast<E>(v)));
    }
};
} // namespace detail

template <class E>
const std::error_category& error_category_for() noexcept {
    static const detail::module_category<E> category;
    return category;
}

/// Errors of the core module.
enum class core_errc {
    base64url_invalid_character = 1, ///< outside the URL-safe alphabet, or padding
    base64url_invalid_length,        ///< a length no encoding can have (4n+1)
    base64url_trailing_bits,         ///< non-zero bits after the last full octet
    buffer_too_small,                ///< the caller's output buffer is too small
    json_too_large,                  ///< input over the configured size limit
    json_too_deep,                   ///< nesting over the configured depth limit
    json_syntax_error,               ///< not JSON (RFC 8259)
    json_invalid_utf8,               ///< input is not valid UTF-8
    json_duplicate_member,           ///< an object repeats a member name
    json_missing_member,             ///< a required member is absent
    json_wrong_type,                 ///< a member has an unexpected JSON type
    json_out_of_range,               ///< a number does not fit the requested type
    random_failure,                  ///< the random generator failed
};

template <>
struct error_traits<core_errc> {
    static constexpr const char* name = "obauth.core";
    static const char* message(core_errc e) noexcept {
        switch (e) {
        case core_errc::base64url_invalid_character:
            return "base64url: invalid character";
        case core_errc::base64url_invalid_length:
            return "base64url: invalid length";
        case core_errc::base64url_trailing_bits:
            return "base64url: non-zero trailing bits";
        case core_errc::buffer_too_small:
            return "output buffer too small";
        case core_errc::json_too_large:
            return "json: input too large";
        case core_errc::json_too_deep:
            return "json: nesting too deep";
        case core_errc::json_syntax_error:
            return "json: syntax error";
        case core_errc::json_invalid_utf8:
            return "json: invalid UTF-8";
        case core_errc::json_duplicate_member:
            return "json: duplicate member";
        case core_errc::json_missing_member:
            return "json: missing member";
        case core_errc::json_wrong_type:
            return "json: wrong type";
        case core_errc::json_out_of_range:
            return "json: number out of range";
        case core_errc::random_failure:
            return "random generator failure";
        }
        return "unknown core error";
    }
    static condition to_condition(core_errc e) noexcept {
        return e == core_errc::random_failure ? condition::internal_error
                                              : condition::invalid_input;
    }
};

} // namespace obauth

namespace std {
template <>
struct is_error_condition_enum<obauth::condition> : true_type {};
} // namespace std

/// Makes `ns::e` (which has an error_traits specialization) an error-code
/// enum: make_error_code found by ADL, and std::is_error_code_enum. Use at
/// global scope.
#define OBAUTH_ERROR_CODE_ENUM(ns, e)                                                              \
    namespace ns {                                                                                 \
    inline std::error_code make_error_code(e value) noexcept {                                     \
        return {static_cast<int>(value), ::obauth::error_category_for<e>()};                       \
    }                                                                                              \
    }                                                                                              \
    template <>                                                                                    \
    struct std::is_error_code_enum<ns::e> : std::true_type {}

OBAUTH_ERROR_CODE_ENUM(obauth, core_errc);
