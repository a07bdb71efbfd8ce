// JSON Web Keys: RFC 7517, RFC 7518 §6, RFC 8037 §2 (OKP), RFC 7638
// (thumbprints).
//
// A jwk is an immutable handle: parsed and validated once, cheap to copy,
// safe to use from many threads. Import validates what RFC 7518 asks and
// more: EC points on their curve and coordinates of exactly the curve's
// length, minimal RSA integers and a modulus of at least 2048 bits (by
// policy), HMAC secrets at least as long as the hash, `use`/`key_ops`/`alg`
// consistent with the key. Private members are refused where public keys
// are expected. Key material is exported only through export_private_*.
#pragma once

#include "algorithm.hpp"
#include "error.hpp"
#include "key_type.hpp"

#include "../core/config.hpp"
#include "../core/json_fwd.hpp"
#include "../core/result.hpp"
#include "../core/secret.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace obauth {
class random_generator;
}

namespace obauth::jose {

namespace detail {
struct key_data;
}

enum class key_operation : std::uint8_t { sign, verify };

struct key_policy {
    /// Minimum RSA modulus size. Raising it is always allowed; values below
    /// 2048 take effect only with allow_rsa_below_2048.
    std::size_t min_rsa_bits = 2048;
    bool allow_rsa_below_2048 = false;

    std::size_t effective_min_rsa_bits() const noexcept {
        return min_rsa_bits < 2048 && !allow_rsa_below_2048 ? 2048 : min_rsa_bits;
    }
};

struct jwk_options {
    /// Pins the key to this algorithm; must agree with the JWK's own "alg".
    std::optional<algorithm> alg;
    /// Refuse private members (and oct keys): for keys received from others.
    bool public_only = false;
    key_policy policy;
    json_limits limits{64 * 1024, 8};
};

inline constexpr std::size_t max_kid_length = 256;

class jwk {
public:
    key_type type() const noexcept;
    jose::curve curve() const noexcept;
    bool has_private() const noexcept;
    /// The signature algorithm the key is pinned to ("alg"), if any.
    std::optional<algorithm> alg() const noexcept;
    /// An encryption key's "alg": the JWE key management algorithm it is
    /// for (e.g. "RSA-OAEP-256", "ECDH-ES+A256KW"), checked by the jwe
    /// module. Such a key is never used for signatures.
    const std::optional<std::string>& jwe_alg() const noexcept;
    const std::string& kid() const noexcept;
    const std::optional<std::string>& use() const noexcept;
    const std::vector<std::string>& key_ops() const noexcept;
    const std::vector<std::string>& x5c() const noexcept;
    const std::optional<std::string>& x5t_s256() const noexcept;
    /// RSA modulus bits, HMAC key bits, or the curve's size in bits.
    std::size_t bits() const noexcept;

    /// Whether `a` may be used with this key by type, curve, size and pin.
    bool compatible_with(algorithm a) const noexcept;
    result<void> check_algorithm(algorithm a) const;
    /// check_algorithm plus `use`/`key_ops` and the private part for signing.
    result<void> check_usable(algorithm a, key_operation op) const;
    /// The algorithm to sign with: the pinned one, or the only one the key
    /// allows (EC curves, OKP); RSA and oct keys without a pin need it given.
    result<algorithm> default_algorithm() const;

    /// The public JWK (no private members even for a private key).
    json to_public_json() const;
    /// The public half of this key as its own handle.
    jwk public_key() const;
    /// The full JWK including private members, as JSON text in a secret.
    result<secret> export_private_json() const;
    /// RFC 7638 thumbprint, base64url of the hash (SHA256, SHA384, SHA512).
    result<std::string> thumbprint(std::string_view hash = "SHA256") const;

    /// A copy of this handle with metadata changed (the key is shared).
    result<jwk> with_kid(std::string kid) const;
    result<jwk> with_alg(algorithm a) const;

    /// Internals for the JWS implementation.
    const detail::key_data& data() const noexcept { return *d_; }
    explicit jwk(std::shared_ptr<const detail::key_data> d) noexcept : d_(std::move(d)) {}

private:
    std::shared_ptr<const detail::key_data> d_;
};

/// Builds a jwk from a parsed JWK object.
OBAUTH_DECL result<jwk> jwk_from_json(const json& j, const jwk_options& opt = {});

/// Parses JWK JSON text.
OBAUTH_DECL result<jwk> parse_jwk(std::string_view text, const jwk_options& opt = {});

/// An HMAC key from raw secret octets (at least 32, and at least the hash
/// output of `alg`).
OBAUTH_DECL result<jwk> make_hmac_key(secret k, algorithm alg, std::string kid = {});

/// A symmetric key for JWE from raw secret octets (16 to 64), marked for
/// encryption ("use": "enc") with `jwe_alg`: a key management name such as
/// "A128KW", "dir", or the content encryption a "dir" key is the CEK for.
/// The jwe module checks the size against the algorithm.
OBAUTH_DECL result<jwk> make_encryption_key(secret k, std::string_view jwe_alg,
                                            std::string kid = {});

/// Generates a fresh key for `alg`: RSA of `rsa_bits` for RS*/PS*, the
/// algorithm's curve for ES*, Ed25519 for EdDSA (see generate_okp_key for
/// Ed448), random octets of the hash size for HS*. The key is pinned to alg.
/// Randomness from `rng` (HMAC keys), or OpenSSL's generator.
OBAUTH_DECL result<jwk> generate_key(algorithm alg, std::string kid = {},
                                     std::size_t rsa_bits = 2048);
OBAUTH_DECL result<jwk> generate_key(algorithm alg, std::string kid, std::size_t rsa_bits,
                                     random_generator& rng);

/// Generates an OKP key on `crv` (Ed25519, Ed448, X25519 or X448).
OBAUTH_DECL result<jwk> generate_okp_key(curve crv, std::string kid = {});

} // namespace obauth::jose

// Header-only: the definitions (detail/jwk_impl.hpp includes them itself
// when it is included first).
#if OBAUTH_INCLUDE_IMPL && !defined(OBAUTH_JOSE_JWK_IMPL_OPEN)
#include "impl/jwk.ipp"
#endif
