// result<T>: a value or an error, for a library that never throws.
//
// An error is an `std::error_code` plus a short detail string. The detail
// names what was wrong ("member 'exp' is not an integer") and never holds
// secret material or a full token.
#pragma once

#include "error.hpp"

#include <cassert>
#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>

namespace obauth {

struct error_info {
    std::error_code code;
    std::string detail; ///< short, secret-free context; may be empty
    /// When the peer asked to be retried later (HTTP Retry-After on a 429 or
    /// 503): how long to wait.
    std::optional<std::chrono::seconds> retry_after;

    /// "category: message (detail)" — for logs.
    std::string to_string() const {
        std::string s = code.category().name();
        s += ": ";
        s += code.message();
        if (!detail.empty()) {
            s += " (";
            s += detail;
            s += ')';
        }
        return s;
    }
    friend std::ostream& operator<<(std::ostream& os, const error_info& e) {
        return os << e.to_string();
    }
};

template <class E, std::enable_if_t<std::is_error_code_enum<E>::value, int> = 0>
error_info make_error(E e, std::string detail = {}) {
    return error_info{make_error_code(e), std::move(detail), std::nullopt};
}

template <class T>
class [[nodiscard]] result {
    static_assert(!std::is_reference<T>::value, "result<T&> is not supported");
    static_assert(!std::is_same<std::decay_t<T>, error_info>::value, "result<error_info>");

public:
    using value_type = T;

    result(const T& v) : v_(std::in_place_index<0>, v) {}
    result(T&& v) : v_(std::in_place_index<0>, std::move(v)) {}
    template <class U, std::enable_if_t<std::is_constructible<T, U&&>::value &&
                                            !std::is_same<std::decay_t<U>, result>::value &&
                                            !std::is_same<std::decay_t<U>, T>::value &&
                                            !std::is_same<std::decay_t<U>, error_info>::value,
                                        int> = 0>
    result(U&& v) : v_(std::in_place_index<0>, std::forward<U>(v)) {}
    result(error_info e) : v_(std::in_place_index<1>, std::move(e)) {}
    template <class E, std::enable_if_t<std::is_error_code_enum<E>::value, int> = 0>
    result(E e) : v_(std::in_place_index<1>, make_error(e)) {}

    bool has_value() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }

    /// Precondition: has_value().
    T& value() & { return *get(); }
    const T& value() const& { return *get(); }
    T&& value() && { return std::move(*get()); }
    T& operator*() & { return *get(); }
    const T& operator*() const& { return *get(); }
    T&& operator*() && { return std::move(*get()); }
    T* operator->() { return get(); }
    const T* operator->() const { return get(); }

    template <class U>
    T value_or(U&& fallback) const& {
        return has_value() ? *get() : static_cast<T>(std::forward<U>(fallback));
    }

    /// Precondition: !has_value().
    const error_info& error() const& { return *get_error(); }
    error_info&& error() && { return std::move(*get_error()); }

    /// The error code, or a default (success) code when there is a value.
    std::error_code code() const noexcept {
        return has_value() ? std::error_code{} : std::get_if<1>(&v_)->code;
    }

private:
    T* get() {
        assert(has_value());
        return std::get_if<0>(&v_);
    }
    const T* get() const {
        assert(has_value());
        return std::get_if<0>(&v_);
    }
    error_info* get_error() {
        assert(!has_value());
        return std::get_if<1>(&v_);
    }
    const error_info* get_error() const {
        assert(!has_value());
        return std::get_if<1>(&v_);
    }

    std::variant<T, error_info> v_;
};

template <>
class [[nodiscard]] result<void> {
public:
    using value_type = void;

    result() = default;
    result(error_info e) : e_(std::move(e)) {}
    template <class E, std::enable_if_t<std::is_error_code_enum<E>::value, int> = 0>
    result(E e) : e_(make_error(e)) {}

    bool has_value() const noexcept { return !e_.has_value(); }
    explicit operator bool() const noexcept { return has_value(); }
    void value() const { assert(has_value()); }

    const error_info& error() const& {
        assert(!has_value());
        return *e_;
    }
    error_info&& error() && {
        assert(!has_value());
        return std::move(*e_);
    }
    std::error_code code() const noexcept { return e_ ? e_->code : std::error_code{}; }

private:
    std::optional<error_info> e_;
};

} // namespace obauth

#define OBAUTH_DETAIL_CAT2(a, b) a##b
#define OBAUTH_DETAIL_CAT(a, b) OBAUTH_DETAIL_CAT2(a, b)

/// Propagates an error from a result-returning expression, or binds its value:
///   OBAUTH_TRY(auto header, parse_header(text));
/// The enclosing function must return a result<> (any T).
#define OBAUTH_TRY(decl, expr)                                                                     \
    OBAUTH_DETAIL_TRY(OBAUTH_DETAIL_CAT(obauth_try_, __LINE__), decl, expr)
#define OBAUTH_DETAIL_TRY(tmp, decl, expr)                                                         \
    auto tmp = (expr);                                                                             \
    if (!tmp.has_value())                                                                          \
        return std::move(tmp).error();                                                             \
    decl = std::move(tmp).value()

/// Propagates an error from a result<void>-returning expression.
#define OBAUTH_TRY_VOID(expr)                                                                      \
    do {                                                                                           \
        auto obauth_try_void_ = (expr);                                                            \
        if (!obauth_try_void_.has_value())                                                         \
            return std::move(obauth_try_void_).error();                                            \
    } while (false)
