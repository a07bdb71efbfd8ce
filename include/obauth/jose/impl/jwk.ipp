// The definitions of jose/jwk.hpp: inline when header-only, compiled in
// src/obauth.cpp with OBAUTH_SEPARATE_COMPILATION.
#pragma once

#include "../detail/jwk_impl.hpp"

#include <algorithm>

namespace obauth::jose {

OBAUTH_DECL key_type jwk::type() const noexcept {
    return d_->kty;
}
OBAUTH_DECL jose::curve jwk::curve() const noexcept {
    return d_->crv;
}
OBAUTH_DECL bool jwk::has_private() const noexcept {
    return d_->has_private;
}
OBAUTH_DECL std::optional<algorithm> jwk::alg() const noexcept {
    return d_->alg;
}

OBAUTH_DECL const std::optional<std::string>& jwk::jwe_alg() const noexcept {
    return d_->jwe_alg;
}
OBAUTH_DECL const std::string& jwk::kid() const noexcept {
    return d_->kid;
}
OBAUTH_DECL const std::optional<std::string>& jwk::use() const noexcept {
    return d_->use;
}
OBAUTH_DECL const std::vector<std::string>& jwk::key_ops() const noexcept {
    return d_->key_ops;
}
OBAUTH_DECL const std::vector<std::string>& jwk::x5c() const noexcept {
    return d_->x5c;
}
OBAUTH_DECL const std::optional<std::string>& jwk::x5t_s256() const noexcept {
    return d_->x5t_s256;
}
OBAUTH_DECL std::size_t jwk::bits() const noexcept {
    return d_->bits;
}
OBAUTH_DECL bool jwk::compatible_with(algorithm a) const noexcept {
    return check_algorithm(a).has_value();
}

OBAUTH_DECL result<void> jwk::check_algorithm(algorithm a) const {
    const auto& k = *d_;
    const auto& ai = info(a);
    if (k.jwe_alg)
        return make_error(errc::algorithm_key_mismatch,
                          "key is for encryption with " + quote(*k.jwe_alg, 32));
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

OBAUTH_DECL result<void> jwk::check_usable(algorithm a, key_operation op) const {
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

OBAUTH_DECL result<algorithm> jwk::default_algorithm() const {
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

OBAUTH_DECL json jwk::to_public_json() const {
    json j = json::object();
    // A handle always holds a valid key, so reading its members cannot fail
    // short of memory exhaustion; an unreadable key yields just its metadata.
    if (auto m = detail::public_members(*d_))
        for (auto& [name, value] : *m)
            j[name] = std::move(value);
    detail::add_metadata(j, *d_);
    return j;
}

OBAUTH_DECL jwk jwk::public_key() const {
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

OBAUTH_DECL result<secret> jwk::export_private_json() const {
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

OBAUTH_DECL result<std::string> jwk::thumbprint(std::string_view hash) const {
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

OBAUTH_DECL result<jwk> jwk::with_kid(std::string kid) const {
    if (kid.size() > max_kid_length)
        return make_error(errc::invalid_key, "kid too long");
    auto c = detail::clone_metadata(*d_);
    c->kid = std::move(kid);
    detail::share_key_material(*d_, *c);
    return jwk(std::move(c));
}

OBAUTH_DECL result<jwk> jwk::with_alg(algorithm a) const {
    if (d_->alg && *d_->alg != a)
        return make_error(errc::algorithm_key_mismatch, "key is pinned to another algorithm");
    auto c = detail::clone_metadata(*d_);
    detail::share_key_material(*d_, *c);
    jwk key(c);
    OBAUTH_TRY_VOID(key.check_algorithm(a));
    c->alg = a;
    return key;
}

/// Builds a jwk from a parsed JWK object.
OBAUTH_DECL result<jwk> jwk_from_json(const json& j, const jwk_options& opt) {
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
    if (alg_name && !opt.alg && !parse_algorithm(*alg_name)) {
        // Not a signature algorithm: an encryption key's (RFC 7518 §4.1).
        OBAUTH_TRY_VOID(detail::check_jwe_alg(*k, *alg_name));
        k->jwe_alg = std::string(*alg_name);
        return jwk(k);
    }
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
OBAUTH_DECL result<jwk> parse_jwk(std::string_view text, const jwk_options& opt) {
    auto j = parse_json_object(text, opt.limits);
    if (!j)
        return make_error(errc::invalid_key, j.error().to_string());
    return jwk_from_json(*j, opt);
}

/// An HMAC key from raw secret octets (at least 32, and at least the hash
/// output of `alg`).
OBAUTH_DECL result<jwk> make_hmac_key(secret k, algorithm alg, std::string kid) {
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

OBAUTH_DECL result<jwk> make_encryption_key(secret k, std::string_view jwe_alg, std::string kid) {
    auto d = detail::make_key_data();
    d->kty = key_type::oct;
    OBAUTH_TRY_VOID(detail::check_jwe_alg(*d, jwe_alg));
    if (k.size() < 16 || k.size() > 64)
        return make_error(errc::weak_key, "a symmetric encryption key has 16 to 64 octets");
    d->has_private = true;
    d->bits = k.size() * 8;
    d->oct = std::move(k);
    d->kid = std::move(kid);
    d->jwe_alg = std::string(jwe_alg);
    d->use = "enc";
    return jwk(std::move(d));
}

/// Generates a fresh key for `alg`: RSA of `rsa_bits` for RS*/PS*, the
/// algorithm's curve for ES*, Ed25519 for EdDSA (see generate_okp_key for
/// Ed448), random octets of the hash size for HS*. The key is pinned to alg.
OBAUTH_DECL result<jwk> generate_key(algorithm alg, std::string kid, std::size_t rsa_bits) {
    return generate_key(alg, std::move(kid), rsa_bits, default_random());
}

OBAUTH_DECL result<jwk> generate_key(algorithm alg, std::string kid, std::size_t rsa_bits,
                                     random_generator& rng) {
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
OBAUTH_DECL result<jwk> generate_okp_key(curve crv, std::string kid) {
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
