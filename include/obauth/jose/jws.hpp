// JSON Web Signature, compact serialization: RFC 7515 §3.1, §5, §7.1 and
// Appendix F (detached content), RFC 7797 (unencoded payload, b64=false).
//
// Verification trusts nothing from the header: the caller pins the allowed
// algorithms and supplies the key; `jwk`, `jku`, `x5u` and `x5c` header
// members are ignored. The signature is checked over the bytes received.
// `crit` is processed as RFC 7515 §4.1.11 requires; `b64` is honoured only
// in the protected header and only when listed in `crit`. Only a verifier
// can construct a verified_jws.
//
// The hot path parses the header with an allocation-free scanner and builds
// no DOM; header() parses one on first use.
#pragma once

#include "algorithm.hpp"
#include "detail/lazy_json.hpp"
#include "detail/text_buffer.hpp"
#include "error.hpp"
#include "jwk.hpp"

#include "../core/bytes.hpp"
#include "../core/config.hpp"
#include "../core/json_fwd.hpp"
#include "../core/result.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// jws_sign_options holds a JSON value: header-only, it comes with this
// header; separately compiled, include <obauth/jose/jws_sign_options.hpp>.
#if !defined(OBAUTH_SEPARATE_COMPILATION)
#include "jws_sign_options.hpp"
#endif

namespace obauth::jose {

struct jws_sign_options;

struct jws_verify_options {
    /// The allow-list; an empty set allows nothing.
    algorithm_set algorithms;
    /// Extension header names the caller understands and processes itself
    /// (e.g. "http://openbanking.org.uk/iat"); "b64" is understood here.
    std::vector<std::string> critical;
    std::size_t max_token_size = 256 * 1024;
    json_limits header_limits{16 * 1024, 8};
    /// With a key set: when the kid matches no key (or is absent and several
    /// keys fit), try every key usable with the token's (allowed) algorithm
    /// instead of failing. Off by default.
    bool try_all_keys = false;
};

namespace detail {
struct jws_access;
}

/// Which header of a JWS a member was found in.
enum class header_location { absent, protected_header, unprotected_header };

class verified_jws {
public:
    algorithm alg() const noexcept { return alg_; }
    /// The protected header as received (decoded JSON text).
    std::string_view header_text() const noexcept {
        return std::string_view(buffer_).substr(0, header_len_);
    }
    /// The protected header, parsed on first use (safe from several threads).
    const json& header() const;
    /// The unprotected header of the JSON serialization (empty otherwise);
    /// not integrity-protected, so never a source of trust.
    const json& unprotected_header() const noexcept;
    /// The payload octets (decoded, or as received for b64=false). They
    /// stay where they are when the verified_jws is moved.
    std::string_view payload() const noexcept {
        return std::string_view(buffer_).substr(header_len_);
    }
    /// The kid (protected header first, then unprotected), or empty;
    /// kid_location() says which header it came from.
    std::string_view kid() const;
    /// Where kid() came from. A kid from the unprotected header (JSON
    /// serialization) selected the key but is not covered by the signature.
    header_location kid_location() const;

private:
    std::pair<const json*, header_location> kid_member() const;

    friend struct detail::jws_access;
    verified_jws(algorithm a, detail::text_buffer&& buffer, std::size_t header_len,
                 std::shared_ptr<const json> unprotected, json* header_dom) noexcept
        : alg_(a), buffer_(std::move(buffer)), header_len_(header_len),
          unprotected_(std::move(unprotected)), header_(header_dom) {}

    algorithm alg_;
    detail::text_buffer buffer_; // the header text, then the payload
    std::size_t header_len_;
    std::shared_ptr<const json> unprotected_; // JSON serialization only
    detail::lazy_json header_;
};

/// Signs `payload` into a compact JWS.
OBAUTH_DECL result<std::string> sign_compact(bytes_view payload, const jwk& key);
OBAUTH_DECL result<std::string> sign_compact(bytes_view payload, const jwk& key,
                                             const jws_sign_options& opt);

/// Verifies a compact JWS with `key` (payload inside the token).
OBAUTH_DECL result<verified_jws> verify_compact(std::string_view token, const jwk& key,
                                                const jws_verify_options& opt);

/// Verifies a compact JWS whose payload travels separately (RFC 7515
/// Appendix F): the token's payload part must be empty.
OBAUTH_DECL result<verified_jws> verify_compact_detached(std::string_view token, bytes_view payload,
                                                         const jwk& key,
                                                         const jws_verify_options& opt);

} // namespace obauth::jose

// Header-only: the definitions (detail/jws_impl.hpp includes them itself
// when it is included first).
#if OBAUTH_INCLUDE_IMPL && !defined(OBAUTH_JOSE_JWS_IMPL_OPEN)
#include "impl/jws.ipp"
#endif
