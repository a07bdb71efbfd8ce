// JWK Sets (RFC 7517 §5) and key selection for verification.
//
// Parsing keeps every usable key and skips, with a report, the keys it
// cannot use: unknown key types or curves, non-JWS algorithms (encryption
// keys), and keys that fail validation (weak, malformed, or private members
// in a public set). A kid is an opaque string compared exactly. Selection
// for a token: the keys whose kid equals the token's kid and that may verify
// with the token's algorithm; no match fails, several match fails, and a
// token without kid is accepted only when exactly one key fits — unless the
// caller opts in to trying every key of the pinned algorithm.
#pragma once

#include "algorithm.hpp"
#include "error.hpp"
#include "jwk.hpp"
#include "jws.hpp"

#include "../core/config.hpp"
#include "../core/json_fwd.hpp"
#include "../core/result.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace obauth::jose {

struct jwks_options {
    /// Options for every key; public_only is the default for key sets.
    jwk_options key{std::nullopt, true, {}, {}};
    std::size_t max_keys = 256;
    json_limits limits{1024 * 1024, 8};
    /// A set mixing symmetric (oct) and asymmetric keys is refused unless
    /// this is set: such a set is a misconfiguration waiting for confusion.
    bool allow_mixed_symmetry = false;
};

/// A key that was left out of a set, and why.
struct skipped_key {
    std::size_t index; ///< position in the "keys" array
    std::string kid;   ///< its kid, if it had a string one
    error_info reason;
};

class jwks {
public:
    jwks() = default;
    explicit jwks(std::vector<jwk> keys) : keys_(std::move(keys)) {}

    const std::vector<jwk>& keys() const noexcept { return keys_; }
    const std::vector<skipped_key>& skipped() const noexcept { return skipped_; }
    bool empty() const noexcept { return keys_.empty(); }
    void add(jwk key) { keys_.push_back(std::move(key)); }

    /// The keys with this kid (exact match) usable for `op` with `alg`.
    std::vector<const jwk*> find(std::string_view kid, algorithm alg, key_operation op) const {
        std::vector<const jwk*> out;
        for (const auto& k : keys_)
            if (k.kid() == kid && k.check_usable(alg, op))
                out.push_back(&k);
        return out;
    }

    /// The one key for (kid, alg, op), or key_not_found / ambiguous_key.
    result<const jwk*> select(std::string_view kid, algorithm alg, key_operation op) const;

    /// The public keys as a JWK Set document.
    json to_public_json() const;

private:
    friend result<jwks> jwks_from_json(const json& doc, const jwks_options& opt);
    std::vector<jwk> keys_;
    std::vector<skipped_key> skipped_;
};

/// Builds a key set from a parsed JWK Set document.
OBAUTH_DECL result<jwks> jwks_from_json(const json& doc, const jwks_options& opt = {});

/// Parses JWK Set JSON text.
OBAUTH_DECL result<jwks> parse_jwks(std::string_view text, const jwks_options& opt = {});

/// Verifies a compact JWS with the key of `set` that the token names.
OBAUTH_DECL result<verified_jws> verify_compact(std::string_view token, const jwks& set,
                                                const jws_verify_options& opt);

OBAUTH_DECL result<verified_jws> verify_compact_detached(std::string_view token, bytes_view payload,
                                                         const jwks& set,
                                                         const jws_verify_options& opt);

} // namespace obauth::jose

// Header-only: the definitions (detail/jwks_impl.hpp includes them itself
// when it is included first).
#if OBAUTH_INCLUDE_IMPL && !defined(OBAUTH_JOSE_JWKS_IMPL_OPEN)
#include "impl/jwks.ipp"
#endif
