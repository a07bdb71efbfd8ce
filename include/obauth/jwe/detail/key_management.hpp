// JWE key management (RFC 7518 §4, RFC 8037 §3.2): which keys fit an
// algorithm, the sender's content encryption key (CEK) and what the
// recipient needs to recover it, and the recipient's recovery of the CEK.
#pragma once

#include "crypto.hpp"
#include "header.hpp"

#include "../algorithm.hpp"
#include "../error.hpp"

#include "../../core/json.hpp"
#include "../../core/random.hpp"
#include "../../core/result.hpp"
#include "../../core/secret.hpp"
#include "../../jose/jwk.hpp"
#include "../../jose/key_access.hpp"

#include <algorithm>
#include <string>
#include <string_view>

namespace obauth::jwe::detail {

/// The key_ops (RFC 7517 §4.3) that allow `alg` on the sender's (or the
/// recipient's) side: either of two (the second may be empty).
struct allowing_ops {
    std::string_view first, second;
};
inline allowing_ops needed_ops(key_family f, bool decrypt) noexcept {
    switch (f) {
    case key_family::ecdh_es:
        return {"deriveKey", "deriveBits"};
    case key_family::direct:
        return {decrypt ? "decrypt" : "encrypt", {}};
    default:
        return {decrypt ? "unwrapKey" : "wrapKey", {}};
    }
}

/// Whether `key` fits `alg`: its type, curve and size, its own "alg" (an
/// encryption key's, never a signing algorithm), "use" ("enc") and
/// "key_ops"; to decrypt with RSA or ECDH, its private part.
inline result<void> check_key(const jose::jwk& key, key_management alg, bool decrypt) {
    const auto& a = info(alg);
    auto mismatch = [&a](const std::string& why) {
        return make_error(errc::key_mismatch, std::string(a.name) + ": " + why);
    };
    if (key.alg())
        return mismatch("the key is for signatures");
    // A key's "alg" names its key management algorithm, or (a "dir" key)
    // the content encryption its octets are the CEK for.
    if (key.jwe_alg() && *key.jwe_alg() != a.name &&
        !(a.family == key_family::direct && parse_content_encryption(*key.jwe_alg())))
        return mismatch("the key is for " + quote(*key.jwe_alg(), 32));
    if (key.use() && *key.use() != "enc")
        return mismatch("the key's use is not 'enc'");
    if (!key.key_ops().empty()) {
        const auto ops = needed_ops(a.family, decrypt);
        const auto& have = key.key_ops();
        const bool found =
            std::find(have.begin(), have.end(), ops.first) != have.end() ||
            (!ops.second.empty() && std::find(have.begin(), have.end(), ops.second) != have.end());
        if (!found)
            return mismatch("key_ops does not allow it");
    }
    using jose::key_type;
    switch (a.family) {
    case key_family::rsa_oaep:
        if (key.type() != key_type::rsa)
            return mismatch("not an RSA key");
        break;
    case key_family::ecdh_es: {
        const auto c = key.curve();
        const bool ok =
            (key.type() == key_type::ec &&
             (c == jose::curve::p256 || c == jose::curve::p384 || c == jose::curve::p521)) ||
            (key.type() == key_type::okp && (c == jose::curve::x25519 || c == jose::curve::x448));
        if (!ok)
            return mismatch("not a P-256, P-384, P-521, X25519 or X448 key");
        break;
    }
    case key_family::aes_kw:
    case key_family::aes_gcm_kw:
        if (key.type() != key_type::oct || jose::key_access::octets(key).size() != a.kek_size)
            return mismatch("not an AES key of the algorithm's size");
        break;
    case key_family::direct:
        if (key.type() != key_type::oct)
            return mismatch("not a symmetric key");
        break;
    }
    if (decrypt && (a.family == key_family::rsa_oaep || a.family == key_family::ecdh_es) &&
        !key.has_private())
        return mismatch("decrypting needs the private key");
    return {};
}

/// A "dir" key whose "alg" names a content encryption is for that one only.
inline result<void> check_direct_key(const jose::jwk& key, content_encryption enc) {
    if (key.jwe_alg() && *key.jwe_alg() != "dir" && *key.jwe_alg() != info(enc).name)
        return make_error(errc::key_mismatch, "dir: the key is for " + quote(*key.jwe_alg(), 32));
    return {};
}

/// ECDH-ES: the key the Concat KDF derives from Z: the CEK itself (direct,
/// AlgorithmID = enc) or the key-wrapping key (AlgorithmID = alg).
inline result<secret> ecdh_derived_key(bytes_view z, key_management alg, content_encryption enc,
                                       bytes_view apu, bytes_view apv) {
    const auto& a = info(alg);
    if (a.kek_size == 0)
        return concat_kdf(z, info(enc).name, apu, apv, info(enc).cek_size);
    return concat_kdf(z, a.name, apu, apv, a.kek_size);
}

/// ECDH-ES, the recipient's side: Z from our key and the sender's "epk",
/// which must be a public JWK of our key's type and curve (the point checked
/// on import; X25519/X448 agreements with an all-zero Z refused).
inline result<secret> shared_secret(const jose::jwk& key, const json& epk_json) {
    auto epk = jose::jwk_from_json(epk_json, jose::jwk_options{std::nullopt, true, {}, {}});
    if (!epk)
        return make_error(errc::invalid_header, "epk: " + epk.error().to_string());
    if (epk->type() != key.type() || epk->curve() != key.curve())
        return make_error(errc::invalid_header, "epk is not on the key's curve");
    secret z = ecdh(jose::key_access::pkey(key), jose::key_access::pkey(*epk), true);
    if (z.empty())
        return make_error(errc::invalid_header, "epk gives no shared secret");
    return z;
}

/// A fresh key pair on the recipient's curve: the ECDH-ES ephemeral key.
inline result<jose::jwk> ephemeral_key(const jose::jwk& recipient) {
    using jose::algorithm;
    using jose::curve;
    auto generate = [&]() -> result<jose::jwk> {
        switch (recipient.curve()) {
        case curve::p256:
            return jose::generate_key(algorithm::ES256);
        case curve::p384:
            return jose::generate_key(algorithm::ES384);
        case curve::p521:
            return jose::generate_key(algorithm::ES512);
        case curve::x25519:
        case curve::x448:
            return jose::generate_okp_key(recipient.curve());
        default:
            return make_error(errc::key_mismatch, "no ephemeral key for this curve");
        }
    };
    auto k = generate();
    if (!k)
        return make_error(errc::crypto_failure, "ephemeral key: " + k.error().to_string());
    return k;
}

/// The sender's side: the CEK, the JWE Encrypted Key, and the header
/// members the recipient needs (epk, iv, tag) added to `header`.
struct sender_keys {
    secret cek;
    std::string encrypted_key;
};

/// `shared_cek`: the CEK several recipients share (JSON serialization),
/// wrapped for this one; dir and ECDH-ES (direct) cannot take one.
inline result<sender_keys> make_cek(const jose::jwk& recipient, key_management alg,
                                    content_encryption enc, bytes_view apu, bytes_view apv,
                                    json& header, const secret* shared_cek = nullptr) {
    OBAUTH_TRY_VOID(check_key(recipient, alg, false));
    const auto& a = info(alg);
    const std::size_t cek_size = info(enc).cek_size;
    if (shared_cek != nullptr &&
        (a.family == key_family::direct || (a.family == key_family::ecdh_es && a.kek_size == 0)))
        return make_error(errc::invalid_options,
                          std::string(a.name) + " determines the CEK: one recipient only");
    sender_keys out;
    if (a.family == key_family::direct) {
        OBAUTH_TRY_VOID(check_direct_key(recipient, enc));
        if (jose::key_access::octets(recipient).size() != cek_size)
            return make_error(errc::key_mismatch, "dir: the key is not " +
                                                      std::to_string(cek_size) + " octets for " +
                                                      std::string(info(enc).name));
        out.cek = secret(jose::key_access::octets(recipient));
        return out;
    }
    secret kek;
    if (a.family == key_family::ecdh_es) {
        OBAUTH_TRY(const jose::jwk eph, ephemeral_key(recipient));
        const secret z =
            ecdh(jose::key_access::pkey(eph), jose::key_access::pkey(recipient), false);
        if (z.empty())
            return crypto_failure("ECDH");
        json epk = eph.to_public_json();
        epk.erase("alg");
        epk.erase("kid");
        header["epk"] = std::move(epk);
        if (!apu.empty())
            header["apu"] = base64url_encode(apu);
        if (!apv.empty())
            header["apv"] = base64url_encode(apv);
        OBAUTH_TRY(secret derived, ecdh_derived_key(z.expose_secret(), alg, enc, apu, apv));
        if (a.kek_size == 0) {
            out.cek = std::move(derived);
            return out;
        }
        kek = std::move(derived);
    }
    if (shared_cek != nullptr) {
        out.cek = shared_cek->clone();
    } else {
        OBAUTH_TRY(out.cek, random_secret(cek_size));
    }
    const bytes_view cek = out.cek.expose_secret();
    secret wrapped;
    switch (a.family) {
    case key_family::rsa_oaep:
        wrapped = rsa_oaep(true, jose::key_access::pkey(recipient), a.digest, cek);
        break;
    case key_family::aes_gcm_kw: {
        OBAUTH_TRY(const secret iv, random_secret(12));
        unsigned char tag[16];
        wrapped = secret::zeroed(cek.size());
        if (!aes_gcm(true, jose::key_access::octets(recipient), iv.expose_secret(), {}, cek,
                     wrapped.expose_secret_mutable(), tag))
            return crypto_failure("AES-GCM key wrap");
        header["iv"] = base64url_encode(iv.expose_secret());
        header["tag"] = base64url_encode(bytes_view(tag, sizeof tag));
        break;
    }
    default: // AES key wrap, directly or after ECDH-ES
        wrapped = aes_key_wrap(true,
                               a.family == key_family::aes_kw ? jose::key_access::octets(recipient)
                                                              : kek.expose_secret(),
                               cek);
        break;
    }
    if (wrapped.empty())
        return crypto_failure("key encryption");
    out.encrypted_key = std::string(wrapped.expose_secret().as_chars());
    return out;
}

/// The recipient's side: the CEK from the header and the JWE Encrypted Key.
/// A CEK that does not unwrap (or has the wrong size) becomes a random one
/// of the right size (RFC 7516 §11.5): the content decryption then fails
/// like any other, so no answer and little timing tells them apart.
/// Errors here are about the header and the key, never the secret.
inline result<secret> recover_cek(const jose::jwk& key, const header_fields& h,
                                  bytes_view encrypted_key) {
    OBAUTH_TRY_VOID(check_key(key, h.alg, true));
    const auto& a = info(h.alg);
    const std::size_t cek_size = info(h.enc).cek_size;
    const bool empty_key_expected =
        a.family == key_family::direct || (a.family == key_family::ecdh_es && a.kek_size == 0);
    if (empty_key_expected != encrypted_key.empty())
        return make_error(errc::invalid_header, empty_key_expected
                                                    ? "an encrypted key where none belongs"
                                                    : "the encrypted key is missing");
    if (a.family == key_family::direct) {
        OBAUTH_TRY_VOID(check_direct_key(key, h.enc));
        if (jose::key_access::octets(key).size() != cek_size)
            return make_error(errc::key_mismatch,
                              "dir: the key does not fit " + std::string(info(h.enc).name));
        return secret(jose::key_access::octets(key));
    }
    secret kek;
    if (a.family == key_family::ecdh_es) {
        OBAUTH_TRY(const secret z, shared_secret(key, *h.epk));
        OBAUTH_TRY(secret derived, ecdh_derived_key(z.expose_secret(), h.alg, h.enc,
                                                    bytes_view(h.apu), bytes_view(h.apv)));
        if (a.kek_size == 0)
            return derived;
        kek = std::move(derived);
    }
    secret cek;
    switch (a.family) {
    case key_family::rsa_oaep:
        cek = rsa_oaep(false, jose::key_access::pkey(key), a.digest, encrypted_key);
        break;
    case key_family::aes_gcm_kw: {
        unsigned char tag[16];
        std::copy(h.tag.begin(), h.tag.end(), tag);
        cek = secret::zeroed(encrypted_key.size());
        if (!aes_gcm(false, jose::key_access::octets(key), bytes_view(h.iv), {}, encrypted_key,
                     cek.expose_secret_mutable(), tag))
            cek = secret();
        break;
    }
    default:
        cek = aes_key_wrap(false,
                           a.family == key_family::aes_kw ? jose::key_access::octets(key)
                                                          : kek.expose_secret(),
                           encrypted_key);
        break;
    }
    if (cek.size() != cek_size)
        return random_secret(cek_size).value_or(secret::zeroed(cek_size));
    return cek;
}

} // namespace obauth::jwe::detail
