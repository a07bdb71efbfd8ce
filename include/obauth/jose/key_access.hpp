// The one door to a jwk's key material for the modules beside jose that run
// other OpenSSL operations with it (jwe: RSA-OAEP, ECDH, AES key wrap). A
// jwk hides its key by design; this borrows it without copying, for the
// life of the jwk. Application code has export_private_* instead.
#pragma once

#include "detail/key_data.hpp"
#include "jwk.hpp"

#include "../core/bytes.hpp"

#include <openssl/evp.h>

namespace obauth::jose {

struct key_access {
    /// The OpenSSL key of an RSA, EC or OKP jwk (nullptr for oct keys).
    static EVP_PKEY* pkey(const jwk& k) noexcept { return k.data().pkey.get(); }
    /// The octets of an oct jwk (empty for the others).
    static bytes_view octets(const jwk& k) noexcept { return k.data().oct.expose_secret(); }
};

} // namespace obauth::jose
