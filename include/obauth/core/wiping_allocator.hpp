// An allocator that wipes memory before giving it back, for buffers that
// hold secrets on their way through (HTTP bodies with tokens, serialized
// requests with credentials): when a string grows, the old block is
// cleansed too, so no copy is left behind in freed memory.
#pragma once

#include <openssl/crypto.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace obauth {

template <class T>
struct wiping_allocator {
    using value_type = T;

    wiping_allocator() noexcept = default;
    template <class U>
    wiping_allocator(const wiping_allocator<U>&) noexcept {}

    T* allocate(std::size_t n) { return std::allocator<T>().allocate(n); }
    void deallocate(T* p, std::size_t n) noexcept {
        OPENSSL_cleanse(p, n * sizeof(T));
        std::allocator<T>().deallocate(p, n);
    }

    template <class U>
    friend bool operator==(const wiping_allocator&, const wiping_allocator<U>&) noexcept {
        return true;
    }
    template <class U>
    friend bool operator!=(const wiping_allocator&, const wiping_allocator<U>&) noexcept {
        return false;
    }
};

/// A string whose every buffer is wiped when released. Its destructor only
/// frees heap blocks: a short string kept inside the object (SSO) is not
/// wiped, so call wipe() on one that held a secret.
using wiping_string = std::basic_string<char, std::char_traits<char>, wiping_allocator<char>>;

/// Comparisons with std::string (found by argument-dependent lookup through
/// the allocator): the contents, not the allocator, make strings equal.
inline bool operator==(const wiping_string& a, const std::string& b) noexcept {
    return std::string_view(a) == std::string_view(b);
}
inline bool operator==(const std::string& a, const wiping_string& b) noexcept {
    return b == a;
}
inline bool operator!=(const wiping_string& a, const std::string& b) noexcept {
    return !(a == b);
}
inline bool operator!=(const std::string& a, const wiping_string& b) noexcept {
    return !(b == a);
}

/// Overwrites the contents (including a short string kept inline), then
/// empties the string.
inline void wipe(wiping_string& s) noexcept {
    if (!s.empty())
        OPENSSL_cleanse(&s[0], s.size());
    s.clear();
}

} // namespace obauth
