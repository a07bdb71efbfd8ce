// Certificate-bound access tokens (RFC 8705 §3): the token's confirmation
// claim `cnf` carries `x5t#S256`, the base64url SHA-256 of the DER client
// certificate. The client checks it in a JWT access token or an
// introspection response before trusting that its token is bound to its
// certificate (FAPI 1.0 Advanced §5.2.2-5, §6.2.1-12).
#pragma once

#include "error.hpp"

#include "../core/base64url.hpp"
#include "../core/digest.hpp"
#include "../core/json.hpp"
#include "../core/result.hpp"
#include "../core/secret.hpp"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <climits>
#include <memory>
#include <string>
#include <string_view>

namespace obauth::oauth {

/// x5t#S256 of a DER-encoded certificate.
inline std::string certificate_thumbprint(bytes_view der) {
    return base64url_encode(sha256(der));
}

/// x5t#S256 of the first certificate in a PEM text.
inline result<std::string> certificate_thumbprint_from_pem(std::string_view pem) {
    if (pem.size() > 64 * 1024)
        return make_error(errc::invalid_options, "PEM over 64 KiB");
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
    if (!bio)
        return make_error(errc::invalid_options, "BIO allocation failed");
    std::unique_ptr<X509, decltype(&X509_free)> cert(
        PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
    if (!cert)
        return make_error(errc::invalid_options, "no PEM certificate");
    unsigned char* der = nullptr;
    const int n = i2d_X509(cert.get(), &der);
    if (n <= 0)
        return make_error(errc::invalid_options, "certificate cannot be encoded");
    std::string t = certificate_thumbprint(bytes_view(der, static_cast<std::size_t>(n)));
    OPENSSL_free(der);
    return t;
}

/// Checks that `claims` (JWT access token claims or an introspection
/// response) has cnf.x5t#S256 equal to `thumbprint`, in constant time.
inline result<void> check_certificate_binding(const json& claims, std::string_view thumbprint) {
    const json* cnf = find_member(claims, "cnf");
    if (cnf == nullptr || !cnf->is_object())
        return make_error(errc::certificate_mismatch, "no cnf claim");
    const json* x5t = find_member(*cnf, "x5t#S256");
    const auto* s = x5t ? x5t->get_ptr<const json::string_t*>() : nullptr;
    if (s == nullptr)
        return make_error(errc::certificate_mismatch, "no cnf.x5t#S256");
    if (thumbprint.empty() || !constant_time_equal(bytes_view(*s), bytes_view(thumbprint)))
        return make_error(errc::certificate_mismatch, "cnf.x5t#S256 differs");
    return {};
}

} // namespace obauth::oauth
