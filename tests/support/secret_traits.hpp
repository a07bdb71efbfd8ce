// Compile-time checks that a type keeps its secrets: no operator<<.
#pragma once

#include <ostream>
#include <type_traits>
#include <utility>

namespace obauth::test {

template <class T, class = void>
struct is_streamable : std::false_type {};
template <class T>
struct is_streamable<T, std::void_t<decltype(std::declval<std::ostream&>() << std::declval<T>())>>
    : std::true_type {};

} // namespace obauth::test
