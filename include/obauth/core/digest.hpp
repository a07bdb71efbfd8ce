// SHA-2 digests for the whole library: each OpenSSL digest implementation is
// fetched once per process (EVP_MD_fetch looks up a provider by name, which
// is too slow to repeat on every call).
#pragma once

#include "bytes.hpp"
#include "result.hpp"

#include <openssl/evp.h>

#include <array>
#include <memory>
#include <string_view>

namespace obauth {

/// The fetched digest for "SHA256", "SHA384", "SHA512", "SHA1" or
/// "SHAKE256" (an XOF: finish it with EVP_DigestFinalXOF); nullptr for any
/// other name.
inline const EVP_MD* fetched_digest(std::string_view name) noexcept {
    struct md_free {
        void operator()(EVP_MD* m) const noexcept { EVP_MD_free(m); }
    };
    using md_ptr = std::unique_ptr<EVP_MD, md_free>;
    static const md_ptr sha256(EVP_MD_fetch(nullptr, "SHA256", nullptr));
    static const md_ptr sha384(EVP_MD_fetch(nullptr, "SHA384", nullptr));
    static const md_ptr sha512(EVP_MD_fetch(nullptr, "SHA512", nullptr));
    static const md_ptr sha1(EVP_MD_fetch(nullptr, "SHA1", nullptr));
    static const md_ptr shake256(EVP_MD_fetch(nullptr, "SHAKE256", nullptr));
    if (name == "SHA256")
        return sha256.get();
    if (name == "SHA384")
        return sha384.get();
    if (name == "SHA512")
        return sha512.get();
    if (name == "SHA1")
        return sha1.get();
    if (name == "SHAKE256")
        return shake256.get();
    return nullptr;
}

/// SHA-256 of `data`.
inline std::array<unsigned char, 32> sha256(bytes_view data) noexcept {
    std::array<unsigned char, 32> out{};
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), out.data(), &len, fetched_digest("SHA256"), nullptr);
    return out;
}

} // namespace obauth
