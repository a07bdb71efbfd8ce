// SHA-2 digests for the whole library: each OpenSSL digest implementation is
// fetched once per process (EVP_MD_fetch looks up a provider by name, which
// is too slow to repeat on every call), and sha256() computes on a context
// each thread makes once (EVP_Digest makes and frees one per call).
#pragma once

#include "bytes.hpp"
#include "result.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstddef>
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

namespace detail {
/// This thread's digest context (nullptr if it could not be made).
inline EVP_MD_CTX* thread_digest_ctx() noexcept {
    struct ctx_free {
        void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
    };
    thread_local const std::unique_ptr<EVP_MD_CTX, ctx_free> ctx(EVP_MD_CTX_new());
    return ctx.get();
}
} // namespace detail

/// The digest `md` (not an XOF) of `data` on `ctx` (made once and reused)
/// into `out`, which has room for it; its length, or 0 when OpenSSL fails.
inline std::size_t digest_into(EVP_MD_CTX* ctx, const EVP_MD* md, bytes_view data,
                               unsigned char* out) noexcept {
    unsigned int len = 0;
    if (ctx == nullptr || EVP_DigestInit_ex2(ctx, md, nullptr) != 1 ||
        EVP_DigestUpdate(ctx, data.data(), data.size()) != 1 ||
        EVP_DigestFinal_ex(ctx, out, &len) != 1)
        return 0;
    return len;
}

/// SHA-256 of `data` (all zero if OpenSSL fails).
inline std::array<unsigned char, 32> sha256(bytes_view data) noexcept {
    std::array<unsigned char, 32> out{};
    if (digest_into(detail::thread_digest_ctx(), fetched_digest("SHA256"), data, out.data()) !=
        out.size())
        out.fill(0);
    return out;
}

} // namespace obauth
