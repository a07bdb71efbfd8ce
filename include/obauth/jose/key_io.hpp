// PEM and DER keys: SubjectPublicKeyInfo (RFC 5280 §4.1), PKCS#8
// (RFC 5958), and the traditional forms (PKCS#1 RSAPrivateKey/RSAPublicKey,
// SEC1 ECPrivateKey) for import and private export.
//
// Imported keys pass the same policy as JWKs (RSA size, named curves only,
// consistency checks). Encrypted PEM is refused (no passphrase prompt ever
// happens). Private keys leave only through export_private_*, as secrets.
#pragma once

#include "detail/jwk_impl.hpp"
#include "detail/openssl.hpp"
#include "error.hpp"
#include "jwk.hpp"

#include "../core/bytes.hpp"
#include "../core/result.hpp"
#include "../core/secret.hpp"

#include <openssl/decoder.h>
#include <openssl/encoder.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace obauth::jose {

enum class private_key_encoding : std::uint8_t {
    pkcs8,       ///< PrivateKeyInfo ("BEGIN PRIVATE KEY")
    traditional, ///< PKCS#1 for RSA, SEC1 for EC ("BEGIN RSA/EC PRIVATE KEY")
};

inline constexpr std::size_t max_key_file_size = 64 * 1024;

namespace detail {

inline int refuse_passphrase(char*, int, int, void*) {
    return 0;
}

inline result<jwk> decode_key(bytes_view data, const char* format, const jwk_options& opt,
                              std::string kid) {
    if (data.size() > max_key_file_size)
        return make_error(errc::too_large, "key file over 64 KiB");
    EVP_PKEY* raw = nullptr;
    std::unique_ptr<OSSL_DECODER_CTX, openssl_deleter<OSSL_DECODER_CTX, OSSL_DECODER_CTX_free>> ctx(
        OSSL_DECODER_CTX_new_for_pkey(&raw, format, nullptr, nullptr, 0, nullptr, nullptr));
    if (!ctx)
        return openssl_failure(errc::crypto_failure, "OSSL_DECODER_CTX_new_for_pkey");
    OSSL_DECODER_CTX_set_pem_password_cb(ctx.get(), refuse_passphrase, nullptr);
    const unsigned char* p = data.data();
    std::size_t len = data.size();
    if (OSSL_DECODER_from_data(ctx.get(), &p, &len) != 1 || raw == nullptr) {
        EVP_PKEY_free(raw);
        return openssl_failure(errc::invalid_key, "not a supported (unencrypted) key");
    }
    return key_from_pkey(pkey_ptr(raw), opt, std::move(kid), true);
}

struct encoded {
    unsigned char* data = nullptr;
    std::size_t size = 0;
    ~encoded() { OPENSSL_clear_free(data, size); }
};

inline result<void> encode_key(const jwk& key, int selection, const char* format,
                               const char* structure, encoded& out) {
    if (key.type() == key_type::oct)
        return make_error(errc::unsupported_key, "oct keys have no PEM or DER form");
    std::unique_ptr<OSSL_ENCODER_CTX, openssl_deleter<OSSL_ENCODER_CTX, OSSL_ENCODER_CTX_free>> ctx(
        OSSL_ENCODER_CTX_new_for_pkey(key.data().pkey.get(), selection, format, structure,
                                      nullptr));
    if (!ctx || OSSL_ENCODER_CTX_get_num_encoders(ctx.get()) == 0 ||
        OSSL_ENCODER_to_data(ctx.get(), &out.data, &out.size) != 1)
        return openssl_failure(errc::unsupported_key, "no encoder for this key and form");
    return {};
}

inline const char* private_structure(private_key_encoding e) {
    if (e == private_key_encoding::pkcs8)
        return "PrivateKeyInfo";
    return "type-specific";
}

inline result<secret> export_private(const jwk& key, private_key_encoding e, const char* format) {
    if (!key.has_private())
        return make_error(errc::private_key_required, "key has no private part");
    if (e == private_key_encoding::traditional && key.type() == key_type::okp)
        return make_error(errc::unsupported_key, "OKP keys have no traditional form");
    encoded out;
    OBAUTH_TRY_VOID(encode_key(key, EVP_PKEY_KEYPAIR, format, private_structure(e), out));
    return secret(bytes_view(out.data, out.size));
}

} // namespace detail

/// Imports a PEM public key ("PUBLIC KEY", "RSA PUBLIC KEY") or private key
/// ("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY").
inline result<jwk> import_pem(std::string_view pem, const jwk_options& opt = {},
                              std::string kid = {}) {
    return detail::decode_key(pem, "PEM", opt, std::move(kid));
}

/// Imports a DER key (SubjectPublicKeyInfo, PKCS#8, PKCS#1, SEC1).
inline result<jwk> import_der(bytes_view der, const jwk_options& opt = {}, std::string kid = {}) {
    return detail::decode_key(der, "DER", opt, std::move(kid));
}

/// The public key as PEM SubjectPublicKeyInfo.
inline result<std::string> export_public_pem(const jwk& key) {
    detail::encoded out;
    OBAUTH_TRY_VOID(
        detail::encode_key(key, EVP_PKEY_PUBLIC_KEY, "PEM", "SubjectPublicKeyInfo", out));
    return std::string(reinterpret_cast<const char*>(out.data), out.size);
}

/// The public key as DER SubjectPublicKeyInfo.
inline result<bytes> export_public_der(const jwk& key) {
    detail::encoded out;
    OBAUTH_TRY_VOID(
        detail::encode_key(key, EVP_PKEY_PUBLIC_KEY, "DER", "SubjectPublicKeyInfo", out));
    return bytes(out.data, out.data + out.size);
}

inline result<secret> export_private_pem(const jwk& key,
                                         private_key_encoding e = private_key_encoding::pkcs8) {
    return detail::export_private(key, e, "PEM");
}

inline result<secret> export_private_der(const jwk& key,
                                         private_key_encoding e = private_key_encoding::pkcs8) {
    return detail::export_private(key, e, "DER");
}

} // namespace obauth::jose
