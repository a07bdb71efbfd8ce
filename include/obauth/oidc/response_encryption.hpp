// Encrypted responses and request objects as a client registers them
// (OpenID Connect Registration §2: id_token_, userinfo_encrypted_response_alg
// and _enc, request_object_encryption_alg and _enc; JARM §3: authorization_;
// RFC 9701 §6: introspection_). The server signs, then encrypts to a key the
// client published with "use": "enc" (OpenID Connect Core §10.2); the client
// decrypts with its private half and verifies the JWS inside as it would an
// unencrypted one.
//
// Registration is a promise in both directions: a client that registered
// encryption refuses a plaintext answer (errc::response_not_encrypted: an
// attacker who can strip the encryption must not be able to downgrade), and
// one that did not refuses a JWE it has no keys for
// (errc::response_encrypted). Only the registered alg and enc are accepted.
#pragma once

#include "error.hpp"

#include "../core/digest.hpp"
#include "../core/result.hpp"
#include "../core/secret.hpp"
#include "../jose/jwk.hpp"
#include "../jose/jwks.hpp"
#include "../jwe/algorithm.hpp"
#include "../jwe/error.hpp"
#include "../jwe/jwe.hpp"
#include "../jwe/nested.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace obauth::oidc {

/// The algorithms registered for one encrypted response, or for request
/// objects. `enc` defaults to A128CBC-HS256, the registration's default
/// when only the alg is registered.
struct encryption_algorithms {
    jwe::key_management alg = jwe::key_management::RSA_OAEP_256;
    jwe::content_encryption enc = jwe::content_encryption::A128CBC_HS256;
};

/// How a client opens a response the server encrypted to it: its own keys
/// (the private halves of what it registered; the JWE's kid selects one) and
/// the registered algorithms.
struct response_decryption {
    const jose::jwks* keys = nullptr;
    encryption_algorithms registered;
};

/// OpenID Connect Core §10.2: the key of the symmetric algorithms (A*KW,
/// A*GCMKW, dir) for a client with a client secret: the left-most octets of
/// SHA-256, SHA-384 or SHA-512 (the smallest that is long enough) of the
/// secret's UTF-8 octets, as many as the algorithm's key (for "dir": the
/// CEK of `enc`). The key has no kid: the server names none.
inline result<jose::jwk> client_secret_encryption_key(const secret& client_secret,
                                                      const encryption_algorithms& a) {
    const auto& km = jwe::info(a.alg);
    const bool direct = km.family == jwe::key_family::direct;
    if (!direct && km.family != jwe::key_family::aes_kw && km.family != jwe::key_family::aes_gcm_kw)
        return make_error(jwe::errc::invalid_options,
                          std::string(km.name) + " does not use a key derived from a secret");
    if (client_secret.empty())
        return make_error(jwe::errc::invalid_options, "empty client secret");
    const std::size_t size = direct ? jwe::info(a.enc).cek_size : km.kek_size;
    const char* digest = size <= 32 ? "SHA256" : size <= 48 ? "SHA384" : "SHA512";
    unsigned char hash[64];
    unsigned int len = 0;
    if (EVP_Digest(client_secret.expose_secret().data(), client_secret.size(), hash, &len,
                   fetched_digest(digest), nullptr) != 1 ||
        len < size) {
        OPENSSL_cleanse(hash, sizeof hash);
        return make_error(jwe::errc::crypto_failure, "digest");
    }
    secret key(bytes_view(hash, size));
    OPENSSL_cleanse(hash, sizeof hash);
    return jose::make_encryption_key(std::move(key), km.name);
}

/// Whether `token` has the five parts of a compact JWE (a JWS has three).
inline bool is_compact_jwe(std::string_view token) noexcept {
    return std::count(token.begin(), token.end(), '.') == 4;
}

/// Decrypts a response encrypted as registered. Not a JWE: refused with
/// errc::response_not_encrypted; other failures are jwe::errc (every one
/// past the JWE header is jwe::errc::decryption_failed, without detail).
inline result<jwe::decrypted_jwe>
decrypt_response(std::string_view token, const response_decryption& d, std::size_t max_size) {
    if (d.keys == nullptr || d.keys->empty())
        return make_error(jwe::errc::invalid_options, "no decryption keys");
    if (!is_compact_jwe(token))
        return make_error(errc::response_not_encrypted);
    jwe::decrypt_options o;
    o.algorithms = {d.registered.alg};
    o.encryptions = {d.registered.enc};
    o.max_token_size = max_size;
    return jwe::decrypt_compact(token, *d.keys, o);
}

/// The same for a nested JWT (signed, then encrypted): "cty" must say JWT;
/// the JWS is the plaintext (verify it as the unencrypted response).
inline result<jwe::decrypted_jwe> decrypt_nested_response(std::string_view token,
                                                          const response_decryption& d,
                                                          std::size_t max_size) {
    OBAUTH_TRY(jwe::decrypted_jwe out, decrypt_response(token, d, max_size));
    OBAUTH_TRY_VOID(jwe::check_nested_jwt(out));
    return out;
}

/// Refuses a JWE where no encryption was registered.
inline result<void> refuse_unexpected_jwe(std::string_view token) {
    if (is_compact_jwe(token))
        return make_error(errc::response_encrypted);
    return {};
}

} // namespace obauth::oidc
