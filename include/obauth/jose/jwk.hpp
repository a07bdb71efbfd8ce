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
#include "detail/key_data.hpp"
#include "detail/openssl.hpp"
#include "detail/roca.hpp"
#include "detail/small_order.hpp"
#include "error.hpp"

#include "../core/base64url.hpp"
#include "../core/json.hpp"
#include "../core/random.hpp"
#include "../core/result.hpp"
#include "../core/secret.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace obauth::jose {

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
    key_type type() const noexcept { return d_->kty; }
    jose::curve curve() const noexcept { return d_->crv; }
    bool has_private() const noexcept { return d_->has_private; }
    std::optional<algorithm> alg() const noexcept { return d_->alg; }
    const std::string& kid() const noexcept { return d_->kid; }
    const std::optional<std::string>& use() const noexcept { return d_->use; }
    const std::vector<std::string>& key_ops() const noexcept { return d_->key_ops; }
    const std::vector<std::string>& x5c() const noexcept { return d_->x5c; }
    const std::optional<std::string>& x5t_s256() const noexcept { return d_->x5t_s256; }
    /// RSA modulus bits, HMAC key bits, or the curve's size in bits.
    std::size_t bits() const noexcept { return d_->bits; }

    /// Whether `a` may be used with this key by type, curve, size and pin.
    bool compatible_with(algorithm a) const noexcept { return check_algorithm(a).has_value(); }
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

namespace detail {

inline error_info key_error(errc e, std::string what) {
    return make_error(e, std::move(what));
}

inline result<std::string_view> jwk_string(const json& j, std::string_view key) {
    auto r = get_string(j, key);
    if (!r)
        return make_error(errc::invalid_key, r.error().detail);
    return r;
}
inline result<std::optional<std::string_view>> jwk_optional_string(const json& j,
                                                                   std::string_view key) {
    auto r = get_optional_string(j, key);
    if (!r)
        return make_error(errc::invalid_key, r.error().detail);
    return r;
}

// A base64url member decoded into a secret (members may be private).
inline result<secret> jwk_b64(const json& j, std::string_view key) {
    OBAUTH_TRY(std::string_view text, jwk_string(j, key));
    auto size = base64url_decoded_size(text.size());
    if (!size)
        return key_error(errc::invalid_key, "member '" + std::string(key) + "' is not base64url");
    secret out = secret::zeroed(*size);
    if (!base64url_decode_into(text, out.expose_secret_mutable(), out.size()))
        return key_error(errc::invalid_key, "member '" + std::string(key) + "' is not base64url");
    return out;
}

// RFC 7518 §6.3.1: RSA integers use the minimum number of octets.
inline result<bn_ptr> jwk_rsa_integer(const json& j, std::string_view key) {
    OBAUTH_TRY(const secret raw, jwk_b64(j, key));
    const bytes_view v = raw.expose_secret();
    if (v.empty() || v[0] == 0)
        return key_error(errc::invalid_key, "member '" + std::string(key) + "' is not minimal");
    bn_ptr bn(BN_bin2bn(v.data(), static_cast<int>(v.size()), nullptr));
    if (!bn)
        return openssl_failure(errc::crypto_failure, "BN_bin2bn");
    return bn;
}

inline result<curve> parse_curve(std::string_view name, key_type kty) {
    for (const auto& c : curves)
        if (c.jwk_name == name && c.kty == kty)
            return c.crv;
    std::string d = "crv '";
    d.append(name.substr(0, 16));
    d += '\'';
    return key_error(errc::unsupported_key, d);
}

inline bool is_signing_curve(curve c) noexcept {
    return c != curve::x25519 && c != curve::x448;
}

inline bool has_any_member(const json& j, std::initializer_list<const char*> names) {
    for (const char* n : names)
        if (find_member(j, n) != nullptr)
            return true;
    return false;
}

inline result<pkey_ptr> pkey_from_params(const char* type, OSSL_PARAM_BLD* bld, bool with_private) {
    params_ptr params(OSSL_PARAM_BLD_to_param(bld));
    if (!params)
        return openssl_failure(errc::crypto_failure, "OSSL_PARAM_BLD_to_param");
    pkey_ctx_ptr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1)
        return openssl_failure(errc::crypto_failure, "EVP_PKEY_fromdata_init");
    EVP_PKEY* raw = nullptr;
    if (EVP_PKEY_fromdata(ctx.get(), &raw, with_private ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
                          params.get()) != 1)
        return openssl_failure(errc::invalid_key, "key parameters rejected");
    return pkey_ptr(raw);
}

// RSA public key sanity (SP 800-56B §6.4.1.2.1, without its primality
// test of n, which costs milliseconds per import): n odd, e odd with
// 65537 <= e < 2^256.
inline result<void> check_rsa_public(const BIGNUM* n, const BIGNUM* e) {
    if (!BN_is_odd(n))
        return key_error(errc::invalid_key, "RSA modulus is even");
    if (!BN_is_odd(e) || BN_num_bits(e) > 256 || BN_num_bits(e) < 17)
        return key_error(errc::weak_key, "RSA exponent must be odd and 65537 <= e < 2^256");
    return {};
}

// Checks that OpenSSL accepts the key as consistent: the public point on
// its curve for EC, and the private half matching the public one.
inline result<void> check_pkey(EVP_PKEY* pkey, key_type kty, bool has_private) {
    pkey_ctx_ptr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
    if (!ctx)
        return openssl_failure(errc::crypto_failure, "EVP_PKEY_CTX_new_from_pkey");
    if (kty == key_type::ec && EVP_PKEY_public_check(ctx.get()) != 1)
        return openssl_failure(errc::invalid_key, "public key check failed (point not on curve?)");
    if (has_private && EVP_PKEY_pairwise_check(ctx.get()) != 1)
        return openssl_failure(errc::invalid_key, "private key does not match the public key");
    return {};
}

inline result<void> parse_rsa(const json& j, key_data& k, const jwk_options& opt) {
    OBAUTH_TRY(bn_ptr n, jwk_rsa_integer(j, "n"));
    OBAUTH_TRY(bn_ptr e, jwk_rsa_integer(j, "e"));
    k.bits = static_cast<std::size_t>(BN_num_bits(n.get()));
    if (k.bits < opt.policy.effective_min_rsa_bits())
        return key_error(errc::weak_key, "RSA modulus of " + std::to_string(k.bits) + " bits");
    if (k.bits > 16384)
        return key_error(errc::unsupported_key, "RSA modulus above 16384 bits");
    OBAUTH_TRY_VOID(check_rsa_public(n.get(), e.get()));
    if (rsa_modulus_has_roca_fingerprint(n.get()))
        return key_error(errc::weak_key, "RSA modulus from the ROCA-vulnerable generator");
    if (find_member(j, "oth") != nullptr)
        return key_error(errc::unsupported_key, "multi-prime RSA ('oth')");
    param_bld_ptr bld(OSSL_PARAM_BLD_new());
    if (!bld || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) ||
        !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()))
        return openssl_failure(errc::crypto_failure, "OSSL_PARAM_BLD");
    k.has_private = find_member(j, "d") != nullptr;
    const char* crt[] = {"p", "q", "dp", "dq", "qi"};
    if (!k.has_private && has_any_member(j, {"p", "q", "dp", "dq", "qi"}))
        return key_error(errc::invalid_key, "RSA private members without 'd'");
    std::vector<bn_ptr> keep; // must outlive the builder's params
    if (k.has_private) {
        OBAUTH_TRY(bn_ptr d, jwk_rsa_integer(j, "d"));
        if (!OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_D, d.get()))
            return openssl_failure(errc::crypto_failure, "OSSL_PARAM_BLD");
        keep.push_back(std::move(d));
        const char* names[] = {OSSL_PKEY_PARAM_RSA_FACTOR1, OSSL_PKEY_PARAM_RSA_FACTOR2,
                               OSSL_PKEY_PARAM_RSA_EXPONENT1, OSSL_PKEY_PARAM_RSA_EXPONENT2,
                               OSSL_PKEY_PARAM_RSA_COEFFICIENT1};
        for (std::size_t i = 0; i < 5; ++i) {
            if (find_member(j, crt[i]) == nullptr)
                return key_error(errc::invalid_key,
                                 std::string("RSA private key without '") + crt[i] + "'");
            OBAUTH_TRY(bn_ptr v, jwk_rsa_integer(j, crt[i]));
            if (!OSSL_PARAM_BLD_push_BN(bld.get(), names[i], v.get()))
                return openssl_failure(errc::crypto_failure, "OSSL_PARAM_BLD");
            keep.push_back(std::move(v));
        }
    }
    OBAUTH_TRY(k.pkey, pkey_from_params("RSA", bld.get(), k.has_private));
    return check_pkey(k.pkey.get(), key_type::rsa, k.has_private);
}

inline result<void> parse_ec(const json& j, key_data& k) {
    OBAUTH_TRY(std::string_view crv_name, jwk_string(j, "crv"));
    OBAUTH_TRY(k.crv, parse_curve(crv_name, key_type::ec));
    const curve_info& ci = *find_curve(k.crv);
    OBAUTH_TRY(const secret x, jwk_b64(j, "x"));
    OBAUTH_TRY(const secret y, jwk_b64(j, "y"));
    if (x.size() != ci.size || y.size() != ci.size)
        return key_error(errc::invalid_key, "EC coordinates must be " + std::to_string(ci.size) +
                                                " octets for " + std::string(ci.jwk_name));
    k.bits = ci.size * 8;
    unsigned char point[1 + 2 * 66];
    point[0] = 0x04;
    std::copy(x.expose_secret().begin(), x.expose_secret().end(), point + 1);
    std::copy(y.expose_secret().begin(), y.expose_secret().end(), point + 1 + ci.size);
    param_bld_ptr bld(OSSL_PARAM_BLD_new());
    const std::string group(ci.openssl_name);
    if (!bld ||
        !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group.c_str(), 0) ||
        !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point,
                                          1 + 2 * ci.size))
        return openssl_failure(errc::crypto_failure, "OSSL_PARAM_BLD");
    k.has_private = find_member(j, "d") != nullptr;
    bn_ptr d;
    if (k.has_private) {
        OBAUTH_TRY(const secret draw, jwk_b64(j, "d"));
        if (draw.size() != ci.size)
            return key_error(errc::invalid_key,
                             "EC private key 'd' must be " + std::to_string(ci.size) + " octets");
        d.reset(BN_secure_new());
        if (!d || !BN_bin2bn(draw.expose_secret().data(), static_cast<int>(draw.size()), d.get()) ||
            !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()))
            return openssl_failure(errc::crypto_failure, "OSSL_PARAM_BLD");
    }
    OBAUTH_TRY(k.pkey, pkey_from_params("EC", bld.get(), k.has_private));
    return check_pkey(k.pkey.get(), key_type::ec, k.has_private);
}

/// Whether an Ed25519 or Ed448 public key (raw, of the curve's size) is a
/// point of small order (detail/small_order.hpp). X25519 and X448 keys are
/// not signature keys and are not checked here.
inline bool okp_small_order(curve crv, const unsigned char* x) noexcept {
    return (crv == curve::ed25519 && ed25519_has_small_order(x)) ||
           (crv == curve::ed448 && ed448_has_small_order(x));
}

inline result<void> parse_okp(const json& j, key_data& k) {
    OBAUTH_TRY(std::string_view crv_name, jwk_string(j, "crv"));
    OBAUTH_TRY(k.crv, parse_curve(crv_name, key_type::okp));
    const curve_info& ci = *find_curve(k.crv);
    const std::string type(ci.openssl_name);
    OBAUTH_TRY(const secret x, jwk_b64(j, "x"));
    if (x.size() != ci.size)
        return key_error(errc::invalid_key, "OKP 'x' must be " + std::to_string(ci.size) +
                                                " octets for " + std::string(ci.jwk_name));
    if (okp_small_order(k.crv, x.expose_secret().data()))
        return key_error(errc::invalid_key, "OKP 'x' is a point of small order");
    k.bits = ci.size * 8;
    k.has_private = find_member(j, "d") != nullptr;
    if (!k.has_private) {
        k.pkey.reset(EVP_PKEY_new_raw_public_key_ex(nullptr, type.c_str(), nullptr,
                                                    x.expose_secret().data(), x.size()));
        if (!k.pkey)
            return openssl_failure(errc::invalid_key, "OKP public key rejected");
        return {};
    }
    OBAUTH_TRY(const secret d, jwk_b64(j, "d"));
    if (d.size() != ci.size)
        return key_error(errc::invalid_key, "OKP 'd' has the wrong length");
    k.pkey.reset(EVP_PKEY_new_raw_private_key_ex(nullptr, type.c_str(), nullptr,
                                                 d.expose_secret().data(), d.size()));
    if (!k.pkey)
        return openssl_failure(errc::invalid_key, "OKP private key rejected");
    // The public key derived from 'd' must be the 'x' given.
    unsigned char derived[57];
    std::size_t len = sizeof derived;
    if (EVP_PKEY_get_raw_public_key(k.pkey.get(), derived, &len) != 1)
        return openssl_failure(errc::crypto_failure, "EVP_PKEY_get_raw_public_key");
    if (!constant_time_equal(bytes_view(derived, len), x.expose_secret()))
        return key_error(errc::invalid_key, "OKP 'x' does not match 'd'");
    return {};
}

inline result<void> parse_oct(const json& j, key_data& k) {
    OBAUTH_TRY(k.oct, jwk_b64(j, "k"));
    k.has_private = true;
    k.bits = k.oct.size() * 8;
    if (k.oct.size() < 32)
        return key_error(errc::weak_key, "HMAC key of " + std::to_string(k.oct.size()) +
                                             " octets (at least 32 required)");
    return {};
}

inline bool is_string_array(const json& v) {
    if (!v.is_array())
        return false;
    for (const auto& e : v)
        if (!e.is_string())
            return false;
    return true;
}

// The JWK members common to every key type.
inline result<void> parse_common(const json& j, key_data& k) {
    OBAUTH_TRY(auto kid, jwk_optional_string(j, "kid"));
    if (kid) {
        if (kid->size() > max_kid_length)
            return key_error(errc::invalid_key,
                             "kid longer than " + std::to_string(max_kid_length) + " characters");
        k.kid = std::string(*kid);
    }
    OBAUTH_TRY(auto use, jwk_optional_string(j, "use"));
    if (use)
        k.use = std::string(*use);
    if (const json* ops = find_member(j, "key_ops")) {
        if (!is_string_array(*ops))
            return key_error(errc::invalid_key, "member 'key_ops' is not an array of strings");
        for (const auto& op : *ops) {
            const auto* s = op.get_ptr<const json::string_t*>();
            if (std::find(k.key_ops.begin(), k.key_ops.end(), *s) != k.key_ops.end())
                return key_error(errc::invalid_key, "duplicate value in 'key_ops'");
            k.key_ops.push_back(*s);
        }
    }
    if (k.use && !k.key_ops.empty()) {
        const bool has_sig_op =
            std::any_of(k.key_ops.begin(), k.key_ops.end(),
                        [](const std::string& s) { return s == "sign" || s == "verify"; });
        const bool has_other_op =
            std::any_of(k.key_ops.begin(), k.key_ops.end(),
                        [](const std::string& s) { return s != "sign" && s != "verify"; });
        if ((*k.use == "sig" && has_other_op) || (*k.use == "enc" && has_sig_op))
            return key_error(errc::invalid_key, "'use' and 'key_ops' disagree");
    }
    if (const json* x5c = find_member(j, "x5c")) {
        if (!is_string_array(*x5c) || x5c->empty())
            return key_error(errc::invalid_key, "member 'x5c' is not a non-empty string array");
        for (const auto& c : *x5c)
            k.x5c.push_back(*c.get_ptr<const json::string_t*>());
    }
    OBAUTH_TRY(auto x5t, jwk_optional_string(j, "x5t#S256"));
    if (x5t) {
        auto raw = base64url_decode(*x5t);
        if (!raw || raw->size() != 32)
            return key_error(errc::invalid_key, "'x5t#S256' is not a base64url SHA-256 value");
        k.x5t_s256 = std::string(*x5t);
    }
    return {};
}

inline std::shared_ptr<detail::key_data> make_key_data() {
    return std::make_shared<detail::key_data>();
}

} // namespace detail

inline result<void> jwk::check_algorithm(algorithm a) const {
    const auto& k = *d_;
    const auto& ai = info(a);
    if (k.alg && *k.alg != a)
        return make_error(errc::algorithm_key_mismatch,
                          "key is pinned to " + std::string(to_string(*k.alg)));
    bool ok = false;
    switch (ai.family) {
    case algorithm_family::hmac:
        if (k.kty == key_type::oct && k.oct.size() < ai.digest_size)
            return make_error(errc::weak_key,
                              "HMAC key shorter than the " + std::string(ai.name) + " output");
        ok = k.kty == key_type::oct;
        break;
    case algorithm_family::rsa_pkcs1:
    case algorithm_family::rsa_pss:
        ok = k.kty == key_type::rsa;
        break;
    case algorithm_family::ecdsa:
        ok = k.kty == key_type::ec && detail::find_curve(k.crv)->jwk_name == ai.ec_curve;
        break;
    case algorithm_family::eddsa:
        ok = k.kty == key_type::okp && detail::is_signing_curve(k.crv);
        break;
    }
    if (!ok)
        return make_error(errc::algorithm_key_mismatch,
                          std::string(ai.name) + " cannot be used with this key");
    return {};
}

inline result<void> jwk::check_usable(algorithm a, key_operation op) const {
    OBAUTH_TRY_VOID(check_algorithm(a));
    const auto& k = *d_;
    if (k.use && *k.use != "sig")
        return make_error(errc::key_use_mismatch, "key 'use' is not 'sig'");
    if (!k.key_ops.empty()) {
        const char* needed = op == key_operation::sign ? "sign" : "verify";
        if (std::find(k.key_ops.begin(), k.key_ops.end(), needed) == k.key_ops.end())
            return make_error(errc::key_use_mismatch,
                              std::string("key_ops lacks '") + needed + "'");
    }
    if (op == key_operation::sign && !k.has_private)
        return make_error(errc::private_key_required, "signing needs a private key");
    return {};
}

inline result<algorithm> jwk::default_algorithm() const {
    const auto& k = *d_;
    if (k.alg)
        return *k.alg;
    if (k.kty == key_type::ec) {
        for (const auto& a : detail::algorithms)
            if (a.family == algorithm_family::ecdsa &&
                a.ec_curve == detail::find_curve(k.crv)->jwk_name)
                return a.alg;
    }
    if (k.kty == key_type::okp && detail::is_signing_curve(k.crv))
        return algorithm::EdDSA;
    return make_error(errc::algorithm_key_mismatch, "key has no algorithm; give one explicitly");
}

/// Builds a jwk from a parsed JWK object.
inline result<jwk> jwk_from_json(const json& j, const jwk_options& opt = {}) {
    if (!j.is_object())
        return make_error(errc::invalid_key, "a JWK is a JSON object");
    auto k = detail::make_key_data();
    OBAUTH_TRY(std::string_view kty, detail::jwk_string(j, "kty"));
    OBAUTH_TRY_VOID(detail::parse_common(j, *k));
    if (opt.public_only &&
        (kty == "oct" || detail::has_any_member(j, {"d", "p", "q", "dp", "dq", "qi", "oth", "k"})))
        return make_error(errc::private_key_refused, "private key members in a public key");
    if (kty == "RSA") {
        k->kty = key_type::rsa;
        OBAUTH_TRY_VOID(detail::parse_rsa(j, *k, opt));
    } else if (kty == "EC") {
        k->kty = key_type::ec;
        OBAUTH_TRY_VOID(detail::parse_ec(j, *k));
    } else if (kty == "OKP") {
        k->kty = key_type::okp;
        OBAUTH_TRY_VOID(detail::parse_okp(j, *k));
    } else if (kty == "oct") {
        k->kty = key_type::oct;
        OBAUTH_TRY_VOID(detail::parse_oct(j, *k));
    } else {
        std::string d = "kty '";
        d.append(kty.substr(0, 16));
        d += '\'';
        return make_error(errc::unsupported_key, std::move(d));
    }
    OBAUTH_TRY(auto alg_name, detail::jwk_optional_string(j, "alg"));
    std::optional<algorithm> alg = opt.alg;
    if (alg_name) {
        OBAUTH_TRY(const algorithm a, parse_algorithm(*alg_name));
        if (opt.alg && *opt.alg != a)
            return make_error(errc::algorithm_key_mismatch,
                              "JWK 'alg' differs from the pinned one");
        alg = a;
    }
    jwk key(k);
    if (alg) {
        OBAUTH_TRY_VOID(key.check_algorithm(*alg));
        k->alg = alg;
    }
    return key;
}

/// Parses JWK JSON text.
inline result<jwk> parse_jwk(std::string_view text, const jwk_options& opt = {}) {
    auto j = parse_json_object(text, opt.limits);
    if (!j)
        return make_error(errc::invalid_key, j.error().to_string());
    return jwk_from_json(*j, opt);
}

namespace detail {

inline result<std::string> bn_param_b64(const EVP_PKEY* pkey, const char* name, std::size_t pad) {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1)
        return openssl_failure(errc::crypto_failure, "EVP_PKEY_get_bn_param");
    bn_ptr bn(raw);
    const std::size_t len = pad ? pad : static_cast<std::size_t>(BN_num_bytes(bn.get()));
    secret buf = secret::zeroed(len);
    if (BN_bn2binpad(bn.get(), buf.expose_secret_mutable(), static_cast<int>(len)) < 0)
        return openssl_failure(errc::crypto_failure, "BN_bn2binpad");
    return base64url_encode(buf.expose_secret());
}

inline result<std::string> okp_raw_b64(const EVP_PKEY* pkey, bool priv) {
    unsigned char buf[64];
    std::size_t len = sizeof buf;
    const int ok = priv ? EVP_PKEY_get_raw_private_key(pkey, buf, &len)
                        : EVP_PKEY_get_raw_public_key(pkey, buf, &len);
    if (ok != 1)
        return openssl_failure(errc::crypto_failure, "EVP_PKEY_get_raw_key");
    std::string out = base64url_encode(bytes_view(buf, len));
    OPENSSL_cleanse(buf, sizeof buf);
    return out;
}

/// The key's public members, in RFC 7638 order (lexicographic).
inline result<std::vector<std::pair<const char*, std::string>>> public_members(const key_data& k) {
    std::vector<std::pair<const char*, std::string>> m;
    switch (k.kty) {
    case key_type::rsa: {
        OBAUTH_TRY(std::string e, bn_param_b64(k.pkey.get(), OSSL_PKEY_PARAM_RSA_E, 0));
        OBAUTH_TRY(std::string n, bn_param_b64(k.pkey.get(), OSSL_PKEY_PARAM_RSA_N, 0));
        m = {{"e", std::move(e)}, {"kty", "RSA"}, {"n", std::move(n)}};
        break;
    }
    case key_type::ec: {
        const auto& ci = *find_curve(k.crv);
        OBAUTH_TRY(std::string x, bn_param_b64(k.pkey.get(), OSSL_PKEY_PARAM_EC_PUB_X, ci.size));
        OBAUTH_TRY(std::string y, bn_param_b64(k.pkey.get(), OSSL_PKEY_PARAM_EC_PUB_Y, ci.size));
        m = {{"crv", std::string(ci.jwk_name)},
             {"kty", "EC"},
             {"x", std::move(x)},
             {"y", std::move(y)}};
        break;
    }
    case key_type::okp: {
        OBAUTH_TRY(std::string x, okp_raw_b64(k.pkey.get(), false));
        m = {
            {"crv", std::string(find_curve(k.crv)->jwk_name)}, {"kty", "OKP"}, {"x", std::move(x)}};
        break;
    }
    case key_type::oct:
        m = {{"kty", "oct"}};
        break;
    }
    return m;
}

inline void add_metadata(json& j, const key_data& k) {
    if (!k.kid.empty())
        j["kid"] = k.kid;
    if (k.use)
        j["use"] = *k.use;
    if (!k.key_ops.empty())
        j["key_ops"] = k.key_ops;
    if (k.alg)
        j["alg"] = std::string(to_string(*k.alg));
    if (!k.x5c.empty())
        j["x5c"] = k.x5c;
    if (k.x5t_s256)
        j["x5t#S256"] = *k.x5t_s256;
}

// Shares the (immutable) key material of `from` with `to`.
inline void share_key_material(const key_data& from, key_data& to) {
    to.has_private = from.has_private;
    if (from.pkey && EVP_PKEY_up_ref(from.pkey.get()) == 1)
        to.pkey.reset(from.pkey.get());
    to.oct = from.oct.clone();
}

inline std::shared_ptr<key_data> clone_metadata(const key_data& k) {
    auto c = make_key_data();
    c->kty = k.kty;
    c->crv = k.crv;
    c->alg = k.alg;
    c->kid = k.kid;
    c->use = k.use;
    c->key_ops = k.key_ops;
    c->x5c = k.x5c;
    c->x5t_s256 = k.x5t_s256;
    c->bits = k.bits;
    return c;
}

} // namespace detail

inline json jwk::to_public_json() const {
    json j = json::object();
    // A handle always holds a valid key, so reading its members cannot fail
    // short of memory exhaustion; an unreadable key yields just its metadata.
    if (auto m = detail::public_members(*d_))
        for (auto& [name, value] : *m)
            j[name] = std::move(value);
    detail::add_metadata(j, *d_);
    return j;
}

inline jwk jwk::public_key() const {
    if (!d_->has_private || d_->kty == key_type::oct)
        return *this;
    auto c = detail::clone_metadata(*d_);
    if (!c->key_ops.empty())
        c->key_ops.erase(std::remove(c->key_ops.begin(), c->key_ops.end(), "sign"),
                         c->key_ops.end());
    // EVP_PKEY holds both halves; a public-only copy is re-imported from the
    // public members so the private scalar is not shared.
    auto pub = jwk_from_json(to_public_json(), jwk_options{d_->alg, true, {0, true}, {}});
    if (!pub)
        return *this; // unreachable for a key that was valid on import
    detail::share_key_material(pub->data(), *c);
    return jwk(std::move(c));
}

inline result<secret> jwk::export_private_json() const {
    const auto& k = *d_;
    if (!k.has_private)
        return make_error(errc::private_key_required, "key has no private part");
    std::vector<std::pair<const char*, std::string>> priv;
    auto bn = [&](const char* member, const char* param, std::size_t pad) -> result<void> {
        OBAUTH_TRY(std::string v, detail::bn_param_b64(k.pkey.get(), param, pad));
        priv.emplace_back(member, std::move(v));
        return {};
    };
    switch (k.kty) {
    case key_type::rsa:
        OBAUTH_TRY_VOID(bn("d", OSSL_PKEY_PARAM_RSA_D, 0));
        OBAUTH_TRY_VOID(bn("p", OSSL_PKEY_PARAM_RSA_FACTOR1, 0));
        OBAUTH_TRY_VOID(bn("q", OSSL_PKEY_PARAM_RSA_FACTOR2, 0));
        OBAUTH_TRY_VOID(bn("dp", OSSL_PKEY_PARAM_RSA_EXPONENT1, 0));
        OBAUTH_TRY_VOID(bn("dq", OSSL_PKEY_PARAM_RSA_EXPONENT2, 0));
        OBAUTH_TRY_VOID(bn("qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1, 0));
        break;
    case key_type::ec:
        OBAUTH_TRY_VOID(bn("d", OSSL_PKEY_PARAM_PRIV_KEY, detail::find_curve(k.crv)->size));
        break;
    case key_type::okp: {
        OBAUTH_TRY(std::string d, detail::okp_raw_b64(k.pkey.get(), true));
        priv.emplace_back("d", std::move(d));
        break;
    }
    case key_type::oct:
        priv.emplace_back("k", base64url_encode(k.oct.expose_secret()));
        break;
    }
    // The public JSON carries no secret; the private members are spliced
    // into a buffer reserved up front so no partial copy is left behind.
    const std::string pub = to_public_json().dump();
    std::size_t size = pub.size();
    for (const auto& [name, value] : priv)
        size += std::char_traits<char>::length(name) + value.size() + 6;
    std::string out;
    out.reserve(size);
    out.append(pub, 0, pub.size() - 1);
    for (auto& [name, value] : priv) {
        if (out.size() > 1)
            out += ',';
        out += '"';
        out += name;
        out += "\":\"";
        out += value;
        out += '"';
        secret::wipe(value);
    }
    out += '}';
    return secret::take(out);
}

inline result<std::string> jwk::thumbprint(std::string_view hash) const {
    const EVP_MD* md = fetched_digest(hash);
    if (md == nullptr || hash == "SHA1")
        return make_error(errc::unsupported_algorithm, "thumbprint hash");
    // RFC 7638 §3.2: the required members only, in lexicographic order.
    std::string text;
    if (d_->kty == key_type::oct) {
        text = "{\"k\":\"" + base64url_encode(d_->oct.expose_secret()) + "\",\"kty\":\"oct\"}";
    } else {
        OBAUTH_TRY(auto members, detail::public_members(*d_));
        text = "{";
        for (const auto& [name, value] : members) {
            if (text.size() > 1)
                text += ',';
            text += '"';
            text += name;
            text += "\":\"";
            text += value;
            text += '"';
        }
        text += '}';
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    const int ok = EVP_Digest(text.data(), text.size(), digest, &len, md, nullptr);
    secret::wipe(text);
    if (ok != 1)
        return detail::openssl_failure(errc::crypto_failure, "EVP_Digest");
    return base64url_encode(bytes_view(digest, len));
}

inline result<jwk> jwk::with_kid(std::string kid) const {
    if (kid.size() > max_kid_length)
        return make_error(errc::invalid_key, "kid too long");
    auto c = detail::clone_metadata(*d_);
    c->kid = std::move(kid);
    detail::share_key_material(*d_, *c);
    return jwk(std::move(c));
}

inline result<jwk> jwk::with_alg(algorithm a) const {
    if (d_->alg && *d_->alg != a)
        return make_error(errc::algorithm_key_mismatch, "key is pinned to another algorithm");
    auto c = detail::clone_metadata(*d_);
    detail::share_key_material(*d_, *c);
    jwk key(c);
    OBAUTH_TRY_VOID(key.check_algorithm(a));
    c->alg = a;
    return key;
}

namespace detail {

inline bool pkey_has_bn(const EVP_PKEY* pkey, const char* name) {
    BIGNUM* bn = nullptr;
    const bool ok = EVP_PKEY_get_bn_param(pkey, name, &bn) == 1;
    BN_clear_free(bn);
    ERR_clear_error();
    return ok;
}

/// Wraps a key OpenSSL already holds (decoded or generated) as a jwk:
/// determines type and curve, applies the policy and, when `validate`,
/// OpenSSL's consistency checks.
inline result<jwk> key_from_pkey(pkey_ptr pkey, const jwk_options& opt, std::string kid,
                                 bool validate) {
    auto d = make_key_data();
    EVP_PKEY* p = pkey.get();
    switch (EVP_PKEY_get_base_id(p)) {
    case EVP_PKEY_RSA:
        d->kty = key_type::rsa;
        d->bits = static_cast<std::size_t>(EVP_PKEY_get_bits(p));
        if (d->bits < opt.policy.effective_min_rsa_bits())
            return make_error(errc::weak_key,
                              "RSA modulus of " + std::to_string(d->bits) + " bits");
        if (d->bits > 16384)
            return make_error(errc::unsupported_key, "RSA modulus above 16384 bits");
        d->has_private = pkey_has_bn(p, OSSL_PKEY_PARAM_RSA_D);
        if (validate) {
            BIGNUM* n = nullptr;
            BIGNUM* e = nullptr;
            if (EVP_PKEY_get_bn_param(p, OSSL_PKEY_PARAM_RSA_N, &n) != 1 ||
                EVP_PKEY_get_bn_param(p, OSSL_PKEY_PARAM_RSA_E, &e) != 1) {
                BN_free(n);
                return openssl_failure(errc::crypto_failure, "RSA parameters");
            }
            const bn_ptr n_owner(n), e_owner(e);
            OBAUTH_TRY_VOID(check_rsa_public(n, e));
            if (rsa_modulus_has_roca_fingerprint(n))
                return make_error(errc::weak_key, "RSA modulus from the ROCA-vulnerable generator");
        }
        break;
    case EVP_PKEY_EC: {
        d->kty = key_type::ec;
        char group[64] = {};
        std::size_t len = 0;
        if (EVP_PKEY_get_utf8_string_param(p, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                           &len) != 1) {
            ERR_clear_error();
            return make_error(errc::unsupported_key, "EC key without a named curve");
        }
        for (const auto& c : curves)
            if (c.kty == key_type::ec && c.openssl_name == std::string_view(group, len))
                d->crv = c.crv;
        if (d->crv == curve::none)
            return make_error(errc::unsupported_key, "EC curve not supported");
        d->bits = find_curve(d->crv)->size * 8;
        d->has_private = pkey_has_bn(p, OSSL_PKEY_PARAM_PRIV_KEY);
        break;
    }
    case EVP_PKEY_ED25519:
    case EVP_PKEY_ED448:
    case EVP_PKEY_X25519:
    case EVP_PKEY_X448: {
        d->kty = key_type::okp;
        const int id = EVP_PKEY_get_base_id(p);
        d->crv = id == EVP_PKEY_ED25519  ? curve::ed25519
                 : id == EVP_PKEY_ED448  ? curve::ed448
                 : id == EVP_PKEY_X25519 ? curve::x25519
                                         : curve::x448;
        d->bits = find_curve(d->crv)->size * 8;
        std::size_t len = 0;
        d->has_private = EVP_PKEY_get_raw_private_key(p, nullptr, &len) == 1;
        ERR_clear_error();
        unsigned char raw[57];
        len = sizeof raw;
        if (EVP_PKEY_get_raw_public_key(p, raw, &len) != 1)
            return openssl_failure(errc::crypto_failure, "EVP_PKEY_get_raw_public_key");
        if (len != find_curve(d->crv)->size || okp_small_order(d->crv, raw))
            return make_error(errc::invalid_key, "OKP public key is a point of small order");
        break;
    }
    default:
        return make_error(errc::unsupported_key, "key type not supported");
    }
    if (opt.public_only && d->has_private)
        return make_error(errc::private_key_refused, "private key where a public key is expected");
    if (validate && d->kty != key_type::okp)
        OBAUTH_TRY_VOID(check_pkey(p, d->kty, d->has_private));
    if (kid.size() > max_kid_length)
        return make_error(errc::invalid_key, "kid too long");
    d->kid = std::move(kid);
    d->pkey = std::move(pkey);
    jwk key(d);
    std::optional<algorithm> alg = opt.alg;
    if (!alg && d->kty == key_type::ec) {
        OBAUTH_TRY(alg, key.default_algorithm());
    } else if (!alg && d->kty == key_type::okp && is_signing_curve(d->crv)) {
        alg = algorithm::EdDSA;
    }
    if (alg) {
        OBAUTH_TRY_VOID(key.check_algorithm(*alg));
        d->alg = alg;
    }
    return key;
}

} // namespace detail

/// An HMAC key from raw secret octets (at least 32, and at least the hash
/// output of `alg`).
inline result<jwk> make_hmac_key(secret k, algorithm alg, std::string kid = {}) {
    if (family(alg) != algorithm_family::hmac)
        return make_error(errc::algorithm_key_mismatch, "not an HMAC algorithm");
    auto d = detail::make_key_data();
    d->kty = key_type::oct;
    d->has_private = true;
    d->bits = k.size() * 8;
    d->oct = std::move(k);
    d->kid = std::move(kid);
    if (d->oct.size() < 32 || d->oct.size() < info(alg).digest_size)
        return make_error(errc::weak_key, "HMAC key shorter than the hash output");
    d->alg = alg;
    return jwk(std::move(d));
}

/// Generates a fresh key for `alg`: RSA of `rsa_bits` for RS*/PS*, the
/// algorithm's curve for ES*, Ed25519 for EdDSA (see generate_okp_key for
/// Ed448), random octets of the hash size for HS*. The key is pinned to alg.
inline result<jwk> generate_key(algorithm alg, std::string kid = {}, std::size_t rsa_bits = 2048,
                                random_generator& rng = default_random()) {
    const auto& ai = info(alg);
    if (ai.family == algorithm_family::hmac) {
        OBAUTH_TRY(secret k, random_secret(ai.digest_size, rng));
        return make_hmac_key(std::move(k), alg, std::move(kid));
    }
    EVP_PKEY* raw = nullptr;
    switch (ai.family) {
    case algorithm_family::rsa_pkcs1:
    case algorithm_family::rsa_pss:
        if (rsa_bits < 2048 || rsa_bits > 16384)
            return make_error(errc::weak_key, "RSA keys are 2048 to 16384 bits");
        raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", rsa_bits);
        break;
    case algorithm_family::ecdsa: {
        OBAUTH_TRY(const curve crv, detail::parse_curve(ai.ec_curve, key_type::ec));
        const std::string group(detail::find_curve(crv)->openssl_name);
        raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", group.c_str());
        break;
    }
    default:
        raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
        break;
    }
    if (raw == nullptr)
        return detail::openssl_failure(errc::crypto_failure, "key generation");
    jwk_options opt;
    opt.alg = alg;
    return detail::key_from_pkey(detail::pkey_ptr(raw), opt, std::move(kid), false);
}

/// Generates an OKP key on `crv` (Ed25519, Ed448, X25519 or X448).
inline result<jwk> generate_okp_key(curve crv, std::string kid = {}) {
    const auto* ci = detail::find_curve(crv);
    if (ci == nullptr || ci->kty != key_type::okp)
        return make_error(errc::unsupported_key, "not an OKP curve");
    const std::string type(ci->openssl_name);
    EVP_PKEY* raw = EVP_PKEY_Q_keygen(nullptr, nullptr, type.c_str());
    if (raw == nullptr)
        return detail::openssl_failure(errc::crypto_failure, "key generation");
    return detail::key_from_pkey(detail::pkey_ptr(raw), {}, std::move(kid), false);
}

} // namespace obauth::jose
