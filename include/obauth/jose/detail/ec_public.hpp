// Public EC keys from their uncompressed point, fast: a copy of a public key
// of the same curve made once per process (its point the generator), with
// the point replaced.
//
// Why: EVP_PKEY_fromdata builds the curve's group from its name for every
// key (the field's Montgomery context with a modular inversion, the
// generator, the order): 18 us of the 20 us a public P-256 JWK took to
// import (ECDH-ES imports one per JWE, a DPoP proof one per new key).
// Copying the template key copies the group instead: 4.6 us for the copy
// and the point. The point goes through the same decoding as with
// EVP_PKEY_fromdata (EC_KEY_oct2key behind both), which refuses coordinates
// of p or more and a point off the curve.
#pragma once

#include "../error.hpp"
#include "key_data.hpp"
#include "openssl.hpp"

#include "../../core/result.hpp"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/objects.h>

#include <array>
#include <cstddef>
#include <string>
#include <utility>

namespace obauth::jose::detail {

/// The key of `point` (0x04 || x || y) on `ci`'s curve, with the private
/// scalar `d` if given, built from parameters: for key pairs, and how the
/// templates are made.
inline result<pkey_ptr> ec_key_from_params(const curve_info& ci, const unsigned char* point,
                                           std::size_t len, const BIGNUM* d) {
    const std::string group(ci.openssl_name);
    const param_bld_ptr bld(OSSL_PARAM_BLD_new());
    if (!bld ||
        !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group.c_str(), 0) ||
        !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point, len) ||
        (d != nullptr && !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d)))
        return openssl_failure(errc::crypto_failure, "OSSL_PARAM_BLD");
    return pkey_from_params("EC", bld.get(), d != nullptr);
}

/// Each EC curve's generator as a public key (nullptr where this OpenSSL
/// has no such curve), in the order of `curves`. Run once: out of line.
[[gnu::cold, gnu::noinline]] inline std::array<pkey_ptr, 4> make_ec_public_templates() noexcept {
    std::array<pkey_ptr, 4> t;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const curve_info& c = curves[i]; // the EC curves come first
        const std::string name(c.openssl_name);
        EC_GROUP* g =
            c.kty == key_type::ec ? EC_GROUP_new_by_curve_name(OBJ_sn2nid(name.c_str())) : nullptr;
        unsigned char point[1 + 2 * 66];
        const std::size_t len = g != nullptr ? EC_POINT_point2oct(g, EC_GROUP_get0_generator(g),
                                                                  POINT_CONVERSION_UNCOMPRESSED,
                                                                  point, sizeof point, nullptr)
                                             : 0;
        EC_GROUP_free(g);
        if (len == 1 + 2 * c.size)
            if (auto k = ec_key_from_params(c, point, len, nullptr))
                t[i] = std::move(*k);
    }
    ERR_clear_error();
    return t;
}

/// The template of `crv`, or nullptr.
inline EVP_PKEY* ec_public_template(curve crv) noexcept {
    static const std::array<pkey_ptr, 4> templates = make_ec_public_templates();
    for (std::size_t i = 0; i < templates.size(); ++i)
        if (curves[i].crv == crv)
            return templates[i].get();
    return nullptr;
}

/// The public key of `point` (0x04 || x || y) on `ci`'s curve.
inline result<pkey_ptr> ec_public_key(const curve_info& ci, const unsigned char* point,
                                      std::size_t len) {
    EVP_PKEY* tmpl = ec_public_template(ci.crv);
    pkey_ptr k(tmpl != nullptr ? EVP_PKEY_dup(tmpl) : nullptr);
    if (!k || EVP_PKEY_set1_encoded_public_key(k.get(), point, len) != 1)
        return openssl_failure(errc::invalid_key, "key parameters rejected");
    return k;
}

} // namespace obauth::jose::detail
