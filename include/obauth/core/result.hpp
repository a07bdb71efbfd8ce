// result<T>: a value or an error, for a library that never throws; shaped
// like C++23's std::expected<T, error_info> (and_then, transform, or_else,
// transform_error, value_or).
//
// An error is an `std::error_code` plus a short detail string. The detail
// names what was wrong ("member 'exp' is not an integer") and never holds
// secret material or a full token.
//
// value() is checked: reading the value of a failed result is a programmer
// error, not bad input, and calls the bad-access handler (by default: print
// the error to stderr and std::terminate), also under NDEBUG. operator* and
// operator-> are unchecked (an assertion in debug builds), for code that has
// tested has_value() already.
#pragma once

#include "error.hpp"

#include <atomic>
#include <cassert>
#include <chrono>
#include <cstdio>
#include <exception>
#include <optional>
#include <ostream>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>

// Error paths out of line: the code that builds, moves and frees errors
// stays out of the functions that check results (8 KB less in a verify-only
// program), and a hot path's instructions stay together.
#if defined(__GNUC__)
#define OBAUTH_DETAIL_COLD __attribute__((cold, noinline))
#else
#define OBAUTH_DETAIL_COLD
#endif

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
OBAUTH_DETAIL_COLD error_info make_error(E e, std::string detail = {}) {
    return error_info{make_error_code(e), std::move(detail), std::nullopt};
}

namespace detail {
// The error of a failed result, on the heap: a result carries one pointer
// for it, passing an error on (OBAUTH_TRY) moves that pointer, and checking
// or destroying a successful result is one test of it.
class error_box {
public:
    error_box() noexcept = default;
    explicit error_box(error_info&& e) : p_(make(std::move(e))) {}
    error_box(const error_box& o) : p_(o.p_ != nullptr ? make(error_info(*o.p_)) : nullptr) {}
    error_box(error_box&& o) noexcept : p_(o.p_) { o.p_ = nullptr; }
    error_box& operator=(error_box o) noexcept {
        std::swap(p_, o.p_);
        return *this;
    }
    ~error_box() {
        if (p_ != nullptr)
            destroy(p_);
    }
    explicit operator bool() const noexcept { return p_ != nullptr; }
    error_info& operator*() const noexcept { return *p_; }
    error_info* operator->() const noexcept { return p_; }

private:
    OBAUTH_DETAIL_COLD static error_info* make(error_info&& e) {
        return new error_info(std::move(e));
    }
    OBAUTH_DETAIL_COLD static void destroy(error_info* p) noexcept { delete p; }
    error_info* p_ = nullptr;
};
} // namespace detail

/// Called by result::value() (and error()) on the wrong alternative: a
/// programmer error. It must not return (if it does, std::terminate follows).
using bad_result_access_handler = void (*)(const error_info* error) noexcept;

namespace detail {
[[noreturn]] inline void default_bad_result_access(const error_info* e) noexcept {
    std::fputs("obauth: result::value() called on an error: ", stderr);
    std::fputs(e != nullptr ? e->to_string().c_str() : "(error() called on a value)", stderr);
    std::fputc('\n', stderr);
    std::terminate();
}
inline std::atomic<bad_result_access_handler>& bad_access_handler() noexcept {
    static std::atomic<bad_result_access_handler> h{&default_bad_result_access};
    return h;
}
[[noreturn]] inline void bad_result_access(const error_info* e) noexcept {
    bad_access_handler().load(std::memory_order_acquire)(e);
    std::terminate();
}

template <class T>
struct is_result : std::false_type {};
} // namespace detail

/// Replaces the bad-access handler (e.g. to log through the application's
/// logger, or to throw in a program built with exceptions); returns the
/// previous one.
inline bad_result_access_handler
set_bad_result_access_handler(bad_result_access_handler h) noexcept {
    return detail::bad_access_handler().exchange(h != nullptr ? h
                                                              : &detail::default_bad_result_access);
}

template <class T>
class result;
namespace detail {
template <class U>
error_box take_error(result<U>&& r) noexcept;
} // namespace detail

template <class T>
class [[nodiscard]] result {
    static_assert(!std::is_reference<T>::value, "result<T&> is not supported");
    static_assert(!std::is_same<std::decay_t<T>, error_info>::value, "result<error_info>");

public:
    using value_type = T;

    result(const T& v) : v_(v) {}
    result(T&& v) : v_(std::move(v)) {}
    template <class U, std::enable_if_t<std::is_constructible<T, U&&>::value &&
                                            !std::is_same<std::decay_t<U>, result>::value &&
                                            !std::is_same<std::decay_t<U>, T>::value &&
                                            !std::is_same<std::decay_t<U>, error_info>::value,
                                        int> = 0>
    result(U&& v) : v_(std::in_place, std::forward<U>(v)) {}
    result(error_info e) : e_(std::move(e)) {}
    template <class E, std::enable_if_t<std::is_error_code_enum<E>::value, int> = 0>
    result(E e) : e_(make_error(e)) {}
    /// An error passed on from another result (OBAUTH_TRY).
    result(detail::error_box&& e) noexcept : e_(std::move(e)) {}

    bool has_value() const noexcept { return v_.has_value(); }
    explicit operator bool() const noexcept { return has_value(); }

    /// The value; on an error, the bad-access handler (see above).
    T& value() & { return *checked(); }
    const T& value() const& { return *checked(); }
    T&& value() && { return std::move(*checked()); }
    /// Unchecked (an assertion in debug builds): test has_value() first.
    T& operator*() & { return *get(); }
    const T& operator*() const& { return *get(); }
    T&& operator*() && { return std::move(*get()); }
    T* operator->() { return get(); }
    const T* operator->() const { return get(); }

    template <class U>
    T value_or(U&& fallback) const& {
        return has_value() ? *get() : static_cast<T>(std::forward<U>(fallback));
    }
    template <class U>
    T value_or(U&& fallback) && {
        return has_value() ? std::move(*get()) : static_cast<T>(std::forward<U>(fallback));
    }

    /// The error; on a value, the bad-access handler.
    const error_info& error() const& { return *checked_error(); }
    error_info&& error() && { return std::move(*checked_error()); }

    /// f(value) -> result<U>, or this error.
    template <class F>
    auto and_then(F&& f) & {
        return bind(*this, std::forward<F>(f));
    }
    template <class F>
    auto and_then(F&& f) const& {
        return bind(*this, std::forward<F>(f));
    }
    template <class F>
    auto and_then(F&& f) && {
        return bind(std::move(*this), std::forward<F>(f));
    }

    /// result<f(value)>, or this error.
    template <class F>
    auto transform(F&& f) & {
        return map(*this, std::forward<F>(f));
    }
    template <class F>
    auto transform(F&& f) const& {
        return map(*this, std::forward<F>(f));
    }
    template <class F>
    auto transform(F&& f) && {
        return map(std::move(*this), std::forward<F>(f));
    }

    /// This value, or f(error) -> result<T> (a fallback, or another error).
    template <class F>
    result or_else(F&& f) const& {
        return has_value() ? result(*get()) : std::forward<F>(f)(*get_error());
    }
    template <class F>
    result or_else(F&& f) && {
        return has_value() ? result(std::move(*get()))
                           : std::forward<F>(f)(std::move(*get_error()));
    }

    /// This value, or the error f(error) -> error_info (e.g. with context added).
    template <class F>
    result transform_error(F&& f) const& {
        return has_value() ? result(*get()) : result(std::forward<F>(f)(*get_error()));
    }
    template <class F>
    result transform_error(F&& f) && {
        return has_value() ? result(std::move(*get()))
                           : result(std::forward<F>(f)(std::move(*get_error())));
    }

    /// The error code, or a default (success) code when there is a value.
    std::error_code code() const noexcept { return has_value() ? std::error_code{} : e_->code; }

private:
    template <class Self, class F>
    static auto bind(Self&& self, F&& f) {
        using R = std::decay_t<decltype(std::forward<F>(f)(*std::forward<Self>(self)))>;
        static_assert(detail::is_result<R>::value, "and_then: f must return a result<>");
        if (!self.has_value())
            return R(std::forward<Self>(self).error());
        return std::forward<F>(f)(*std::forward<Self>(self));
    }
    template <class Self, class F>
    static auto map(Self&& self, F&& f) {
        using U = std::decay_t<decltype(std::forward<F>(f)(*std::forward<Self>(self)))>;
        if (!self.has_value())
            return result<U>(std::forward<Self>(self).error());
        if constexpr (std::is_void<U>::value) {
            std::forward<F>(f)(*std::forward<Self>(self));
            return result<U>(); // result<void>, named dependently: it is declared below
        } else {
            return result<U>(std::forward<F>(f)(*std::forward<Self>(self)));
        }
    }

    T* checked() {
        if (!has_value())
            detail::bad_result_access(&*e_);
        return &*v_;
    }
    const T* checked() const {
        if (!has_value())
            detail::bad_result_access(&*e_);
        return &*v_;
    }
    error_info* checked_error() {
        if (has_value())
            detail::bad_result_access(nullptr);
        return &*e_;
    }
    const error_info* checked_error() const {
        if (has_value())
            detail::bad_result_access(nullptr);
        return &*e_;
    }
    T* get() {
        assert(has_value());
        return &*v_;
    }
    const T* get() const {
        assert(has_value());
        return &*v_;
    }
    error_info* get_error() {
        assert(!has_value());
        return &*e_;
    }
    const error_info* get_error() const {
        assert(!has_value());
        return &*e_;
    }

    // Not a std::variant: an optional and a pointer compile in a fraction of
    // the time in every translation unit. A value constructs no error_info
    // (no error_code, no string) at all.
    template <class U>
    friend detail::error_box detail::take_error(result<U>&& r) noexcept;

    std::optional<T> v_;
    detail::error_box e_;
};

namespace detail {
template <class T>
struct is_result<result<T>> : std::true_type {};
} // namespace detail

template <>
class [[nodiscard]] result<void> {
public:
    using value_type = void;

    result() = default;
    result(error_info e) : e_(std::move(e)) {}
    template <class E, std::enable_if_t<std::is_error_code_enum<E>::value, int> = 0>
    result(E e) : e_(make_error(e)) {}
    /// An error passed on from another result (OBAUTH_TRY).
    result(detail::error_box&& e) noexcept : e_(std::move(e)) {}

    bool has_value() const noexcept { return !e_; }
    explicit operator bool() const noexcept { return has_value(); }
    /// Nothing; on an error, the bad-access handler.
    void value() const {
        if (e_)
            detail::bad_result_access(&*e_);
    }

    const error_info& error() const& {
        if (!e_)
            detail::bad_result_access(nullptr);
        return *e_;
    }
    error_info&& error() && {
        if (!e_)
            detail::bad_result_access(nullptr);
        return std::move(*e_);
    }
    std::error_code code() const noexcept { return e_ ? e_->code : std::error_code{}; }

    /// f() -> result<U>, or this error.
    template <class F>
    auto and_then(F&& f) const {
        using R = std::decay_t<decltype(std::forward<F>(f)())>;
        static_assert(detail::is_result<R>::value, "and_then: f must return a result<>");
        return e_ ? R(*e_) : std::forward<F>(f)();
    }
    /// result<f()>, or this error.
    template <class F>
    auto transform(F&& f) const {
        using U = std::decay_t<decltype(std::forward<F>(f)())>;
        if (e_)
            return result<U>(*e_);
        if constexpr (std::is_void<U>::value) {
            std::forward<F>(f)();
            return result<void>();
        } else {
            return result<U>(std::forward<F>(f)());
        }
    }
    /// Success, or f(error) -> result<void>.
    template <class F>
    result or_else(F&& f) const {
        return e_ ? std::forward<F>(f)(*e_) : result();
    }
    /// Success, or the error f(error).
    template <class F>
    result transform_error(F&& f) const {
        return e_ ? result(std::forward<F>(f)(*e_)) : result();
    }

private:
    template <class U>
    friend detail::error_box detail::take_error(result<U>&& r) noexcept;

    detail::error_box e_;
};

namespace detail {
/// The error of a failed `r`, moved out without copying it.
template <class U>
error_box take_error(result<U>&& r) noexcept {
    return std::move(r.e_);
}
} // namespace detail

} // namespace obauth

#undef OBAUTH_DETAIL_COLD

// A failed check is the branch not taken: the success path falls through.
// That is how the branches run when the predictors have forgotten them (after
// an RSA verification): RS256 and PS256 verification read 0.003 closer to
// the ceiling with it (paired rows, medians of 6 runs, two batches).
#if defined(__GNUC__)
#define OBAUTH_DETAIL_UNLIKELY(c) __builtin_expect(static_cast<bool>(c), 0)
#else
#define OBAUTH_DETAIL_UNLIKELY(c) (c)
#endif
#define OBAUTH_DETAIL_CAT2(a, b) a##b
#define OBAUTH_DETAIL_CAT(a, b) OBAUTH_DETAIL_CAT2(a, b)

/// Propagates an error from a result-returning expression, or binds its value:
///   OBAUTH_TRY(auto header, parse_header(text));
/// The enclosing function must return a result<> (any T).
#define OBAUTH_TRY(decl, expr)                                                                     \
    OBAUTH_DETAIL_TRY(OBAUTH_DETAIL_CAT(obauth_try_, __LINE__), decl, expr)
#define OBAUTH_DETAIL_TRY(tmp, decl, expr)                                                         \
    auto tmp = (expr);                                                                             \
    if (OBAUTH_DETAIL_UNLIKELY(!tmp.has_value()))                                                  \
        return ::obauth::detail::take_error(std::move(tmp));                                       \
    decl = *std::move(tmp)

/// Propagates an error from a result<void>-returning expression.
#define OBAUTH_TRY_VOID(expr)                                                                      \
    do {                                                                                           \
        auto obauth_try_void_ = (expr);                                                            \
        if (OBAUTH_DETAIL_UNLIKELY(!obauth_try_void_.has_value()))                                 \
            return ::obauth::detail::take_error(std::move(obauth_try_void_));                      \
    } while (false)
