// The JWK parser and exporter behind jose/jwk.hpp (inline, also used by
// key_io.hpp and the JWS code).
#pragma once

// Included first, this header declares and defines the helpers before
// jwk.hpp pulls in its definitions (which use them).
#define OBAUTH_JOSE_JWK_IMPL_OPEN

#include "../jwk.hpp"

#include "../algorithm.hpp"
#include "../error.hpp"
#include "ec_public.hpp"
#include "jwe_names.hpp"
#include "key_data.hpp"
#include "openssl.hpp"
#include "roca.hpp"
#include "small_order.hpp"

#include "../../core/base64url.hpp"
#include "../../core/json.hpp"
#include "../../core/random.hpp"
#include "../../core/result.hpp"
#include "../../core/secret.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace obauth::jose::detail {

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

// Checks that OpenSSL accepts the key as consistent: the private half
// matching the public one.
//
// EC: the partial check of SP 800-56A §5.6.2.3.4 (coordinates in range, on
// the curve, not the point at infinity) is OpenSSL's import itself: decoding
// the uncompressed point refuses coordinates of p or more and a point off
// the curve (EC_POINT_set_affine_coordinates), and the 0x04 form cannot
// name infinity. Every curve obauth takes (P-256, P-384, P-521, secp256k1)
// has cofactor 1, so such a point has the group's order and the full
// check's extra n*Q = O multiplication adds nothing; a public EC key needs
// no second look (it cost a fifth of an import: ECDH-ES imports one per JWE).
inline result<void> check_pkey(EVP_PKEY* pkey, bool has_private) {
    if (!has_private)
        return {};
    pkey_ctx_ptr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
    if (!ctx)
        return openssl_failure(errc::crypto_failure, "EVP_PKEY_CTX_new_from_pkey");
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
    return check_pkey(k.pkey.get(), k.has_private);
}

/// "`what` must be N octets for <crv>": out of line, like every error.
[[gnu::cold, gnu::noinline]] inline error_info size_error(const char* what, const curve_info& ci) {
    return key_error(errc::invalid_key, std::string(what) + " must be " + std::to_string(ci.size) +
                                            " octets for " + std::string(ci.jwk_name));
}

inline result<void> parse_ec(const json& j, key_data& k) {
    OBAUTH_TRY(std::string_view crv_name, jwk_string(j, "crv"));
    OBAUTH_TRY(k.crv, parse_curve(crv_name, key_type::ec));
    const curve_info& ci = *find_curve(k.crv);
    OBAUTH_TRY(const secret x, jwk_b64(j, "x"));
    OBAUTH_TRY(const secret y, jwk_b64(j, "y"));
    if (x.size() != ci.size || y.size() != ci.size)
        return size_error("EC coordinates", ci);
    k.bits = ci.size * 8;
    unsigned char point[1 + 2 * 66];
    point[0] = 0x04;
    std::copy(x.expose_secret().begin(), x.expose_secret().end(), point + 1);
    std::copy(y.expose_secret().begin(), y.expose_secret().end(), point + 1 + ci.size);
    k.has_private = find_member(j, "d") != nullptr;
    if (!k.has_private) { // from a copy of the curve's template key (ec_public.hpp)
        OBAUTH_TRY(k.pkey, ec_public_key(ci, point, 1 + 2 * ci.size));
        return {};
    }
    OBAUTH_TRY(const secret draw, jwk_b64(j, "d"));
    if (draw.size() != ci.size)
        return size_error("EC private key 'd'", ci);
    const bn_ptr d(BN_secure_new());
    if (!d || !BN_bin2bn(draw.expose_secret().data(), static_cast<int>(draw.size()), d.get()))
        return openssl_failure(errc::crypto_failure, "BN_bin2bn");
    OBAUTH_TRY(k.pkey, ec_key_from_params(ci, point, 1 + 2 * ci.size, d.get()));
    return check_pkey(k.pkey.get(), true);
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
        return size_error("OKP 'x'", ci);
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
        return size_error("OKP 'd'", ci);
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
    if (k.oct.size() >= 32)
        return {};
    // AES keys of 16 and 24 octets (key wrap, GCM key wrap, dir with
    // A128GCM/A192GCM): for encryption keys only, never HMAC.
    const json* alg = find_member(j, "alg");
    const auto* name = alg != nullptr ? alg->get_ptr<const json::string_t*>() : nullptr;
    const bool encryption =
        (k.use && *k.use == "enc") || (name != nullptr && find_jwe_algorithm(*name) != nullptr);
    if (!encryption || k.oct.size() < 16)
        return key_error(errc::weak_key, "HMAC key of " + std::to_string(k.oct.size()) +
                                             " octets (at least 32 required; 16 for encryption)");
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
    if (k.jwe_alg)
        j["alg"] = *k.jwe_alg;
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
    c->jwe_alg = k.jwe_alg;
    c->kid = k.kid;
    c->use = k.use;
    c->key_ops = k.key_ops;
    c->x5c = k.x5c;
    c->x5t_s256 = k.x5t_s256;
    c->bits = k.bits;
    return c;
}

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
        OBAUTH_TRY_VOID(check_pkey(p, d->has_private));
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

} // namespace obauth::jose::detail

#undef OBAUTH_JOSE_JWK_IMPL_OPEN
#if OBAUTH_INCLUDE_IMPL
#include "../impl/jwk.ipp"
#endif
