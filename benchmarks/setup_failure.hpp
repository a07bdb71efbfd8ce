// Benchmark setup that cannot go on (a key that does not generate, a token
// that does not verify): said on stderr, then the run stops -- a benchmark
// has no other way to fail, and figures from a broken setup would mislead.
#pragma once

#include <obauth/core/result.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

namespace bench {

[[noreturn]] inline void setup_failed(const std::string& what) {
    std::fprintf(stderr, "benchmark setup failed: %s\n", what.c_str());
    std::abort();
}

/// The value of `r`, or setup_failed naming `what` and the error.
template <class T>
T value_or_fail(obauth::result<T> r, const char* what) {
    if (!r)
        setup_failed(std::string(what) + ": " + r.error().to_string());
    return std::move(*r);
}

} // namespace bench
