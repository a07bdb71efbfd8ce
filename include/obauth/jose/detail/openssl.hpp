// RAII for OpenSSL 3 objects, and OpenSSL failures as results.
#pragma once

#include "../error.hpp"

#include "../../core/digest.hpp"
#include "../../core/result.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <memory>
#include <string>

namespace obauth::jose::detail {

template <class T, void (*Free)(T*)>
struct openssl_deleter {
    void operator()(T* p) const noexcept { Free(p); }
};
inline void bn_clear_free(BIGNUM* b) noexcept {
    BN_clear_free(b);
}

using pkey_ptr = std::unique_ptr<EVP_PKEY, openssl_deleter<EVP_PKEY, EVP_PKEY_free>>;
using pkey_ctx_ptr =
    std::unique_ptr<EVP_PKEY_CTX, openssl_deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using md_ctx_ptr = std::unique_ptr<EVP_MD_CTX, openssl_deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using mac_ptr = std::unique_ptr<EVP_MAC, openssl_deleter<EVP_MAC, EVP_MAC_free>>;
using mac_ctx_ptr = std::unique_ptr<EVP_MAC_CTX, openssl_deleter<EVP_MAC_CTX, EVP_MAC_CTX_free>>;
/// BIGNUMs may hold private key material: cleared before they are freed.
using bn_ptr = std::unique_ptr<BIGNUM, openssl_deleter<BIGNUM, bn_clear_free>>;
using bn_ctx_ptr = std::unique_ptr<BN_CTX, openssl_deleter<BN_CTX, BN_CTX_free>>;
using bn_mont_ptr = std::unique_ptr<BN_MONT_CTX, openssl_deleter<BN_MONT_CTX, BN_MONT_CTX_free>>;
using param_bld_ptr =
    std::unique_ptr<OSSL_PARAM_BLD, openssl_deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using params_ptr = std::unique_ptr<OSSL_PARAM, openssl_deleter<OSSL_PARAM, OSSL_PARAM_free>>;

/// An error for an OpenSSL failure: `what` names the step. OpenSSL's own
/// queue is drained (its strings can quote input) and not copied.
inline error_info openssl_failure(errc e, const char* what) {
    ERR_clear_error();
    return make_error(e, what);
}

/// A key of `type` from the parameters in `bld`: a key pair or a public key.
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

inline EVP_MAC* fetch_hmac() noexcept {
    static const mac_ptr hmac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
    return hmac.get();
}

} // namespace obauth::jose::detail
