// Helpers shared by the JOSE tests.
#pragma once

#include <obauth/jose/jws.hpp>

#include <initializer_list>

namespace obauth::test {

/// Verify options that allow exactly `algs`.
inline jose::jws_verify_options allow(std::initializer_list<jose::algorithm> algs) {
    jose::jws_verify_options o;
    o.algorithms = jose::algorithm_set(algs);
    return o;
}

} // namespace obauth::test
