// Injectable randomness. Everything in obauth that needs random octets (JWT
// IDs, state, nonce, PKCE verifiers, key generation helpers) takes a
// random_generator&, defaulting to OpenSSL's CSPRNG. A generator failure is
// an error (core_errc::random_failure), never silently weak output.
#pragma once

#include "base64url.hpp"
#include "result.hpp"
#include "secret.hpp"

#include <openssl/rand.h>

#include <climits>
#include <cstddef>
#include <string>

namespace obauth {

class random_generator {
public:
    virtual ~random_generator() = default;
    /// Fills `out[0..n)` with random octets, or fails.
    virtual result<void> fill(unsigned char* out, std::size_t n) noexcept = 0;
};

/// OpenSSL's RAND_bytes (the default, thread-safe CSPRNG).
class openssl_random final : public random_generator {
public:
    result<void> fill(unsigned char* out, std::size_t n) noexcept override {
        while (n > 0) {
            const int chunk = n > static_cast<std::size_t>(INT_MAX) ? INT_MAX : static_cast<int>(n);
            if (RAND_bytes(out, chunk) != 1)
                return make_error(core_errc::random_failure, "RAND_bytes");
            out += chunk;
            n -= static_cast<std::size_t>(chunk);
        }
        return {};
    }
};

inline random_generator& default_random() noexcept {
    static openssl_random generator;
    return generator;
}

/// `n` random octets held as a secret.
inline result<secret> random_secret(std::size_t n, random_generator& rng = default_random()) {
    secret s = secret::zeroed(n);
    OBAUTH_TRY_VOID(rng.fill(s.expose_secret_mutable(), n));
    return s;
}

/// `n` random octets, base64url-encoded: for values that are unique but not
/// secret on their own, such as a JWT ID.
inline result<std::string> random_base64url(std::size_t n,
                                            random_generator& rng = default_random()) {
    OBAUTH_TRY(const secret raw, random_secret(n, rng));
    return base64url_encode(raw.expose_secret());
}

/// `n` random octets, base64url-encoded and held as a secret: for state,
/// nonce and similar values that must stay private until used.
inline result<secret> random_token(std::size_t n, random_generator& rng = default_random()) {
    OBAUTH_TRY(const secret raw, random_secret(n, rng));
    std::string text = base64url_encode(raw.expose_secret());
    return secret::take(text);
}

} // namespace obauth
