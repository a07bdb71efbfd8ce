// The signature primitives behind JWS: sign and verify raw octets with a
// key and an algorithm.
//
// Hot-path design: digests are fetched once per process; each thread keeps a
// small cache of fully initialized contexts (EVP_PKEY_CTX for RSA signing
// and ECDSA, a Montgomery context for RSA verification (rsa_public.hpp),
// EVP_MD_CTX for EdDSA, the keyed hash states for HMAC (hmac.hpp))
// keyed by the key's unique id, algorithm and operation, so a repeated
// sign or verify neither fetches nor creates a context and shares nothing
// mutable between threads. A cache holds at most `op_cache::size` contexts
// per thread; they are freed (and HMAC keys wiped) on eviction or thread exit.
#pragma once

#include "../algorithm.hpp"
#include "../error.hpp"
#include "ecdsa_signature.hpp"
#include "hmac.hpp"
#include "key_data.hpp"
#include "openssl.hpp"
#include "rsa_public.hpp"

#include "../../core/bytes.hpp"
#include "../../core/result.hpp"
#include "../../core/secret.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <array>
#include <cstddef>
#include <cstdint>

namespace obauth::jose::detail {

class op_cache {
public:
    static constexpr std::size_t size = 16;
    struct entry {
        std::uint64_t key_id = 0;
        algorithm alg{};
        bool sign = false;
        EVP_PKEY_CTX* pkey_ctx = nullptr;
        EVP_MD_CTX* md_ctx = nullptr;
        hmac_key* hmac = nullptr;
        rsa_public* rsa = nullptr; ///< RSA verification
    };

    op_cache() = default;
    op_cache(const op_cache&) = delete;
    op_cache& operator=(const op_cache&) = delete;
    ~op_cache() {
        for (auto& e : entries_)
            release(e);
    }

    entry* find(std::uint64_t id, algorithm a, bool sign) noexcept {
        // The entry used last first: a thread mostly repeats one operation.
        const auto matches = [&](const entry& e) {
            return e.key_id == id && e.alg == a && e.sign == sign;
        };
        if (matches(entries_[last_]))
            return &entries_[last_];
        for (std::size_t i = 0; i < size; ++i)
            if (matches(entries_[i])) {
                last_ = i;
                return &entries_[i];
            }
        return nullptr;
    }
    /// Takes ownership of the contexts in `fresh`, evicting round-robin.
    entry& insert(const entry& fresh) noexcept {
        last_ = next_;
        entry& e = entries_[next_];
        next_ = (next_ + 1) % size;
        release(e);
        e = fresh;
        return e;
    }

    /// A reusable digest context for this thread.
    EVP_MD_CTX* digest_ctx() noexcept {
        if (!digest_)
            digest_.reset(EVP_MD_CTX_new());
        return digest_.get();
    }

private:
    static void release(entry& e) noexcept {
        EVP_PKEY_CTX_free(e.pkey_ctx);
        EVP_MD_CTX_free(e.md_ctx);
        free_hmac_key(e.hmac);
        delete e.rsa;
        e = entry{};
    }
    std::array<entry, size> entries_{};
    std::size_t next_ = 0, last_ = 0;
    md_ctx_ptr digest_;
};

inline op_cache& thread_op_cache() noexcept {
    thread_local op_cache cache;
    return cache;
}

inline std::size_t signature_size(const key_data& k, algorithm a) noexcept {
    const auto& ai = info(a);
    switch (ai.family) {
    case algorithm_family::hmac:
        return ai.digest_size;
    case algorithm_family::ecdsa:
        return 2 * ai.ec_coordinate;
    case algorithm_family::eddsa:
        return k.crv == curve::ed448 ? 114 : 64;
    default:
        return static_cast<std::size_t>(EVP_PKEY_get_size(k.pkey.get()));
    }
}

// Creates the context for (key, algorithm, operation).
inline result<op_cache::entry> make_op(const key_data& k, algorithm a, bool sign) {
    const auto& ai = info(a);
    op_cache::entry e;
    e.key_id = k.id;
    e.alg = a;
    e.sign = sign;
    if (ai.family == algorithm_family::hmac) {
        e.hmac = make_hmac_key(a, k.oct.expose_secret());
        if (e.hmac == nullptr)
            return openssl_failure(errc::crypto_failure, "HMAC key");
        return e;
    }
    if (ai.family == algorithm_family::eddsa) {
        md_ctx_ptr md(EVP_MD_CTX_new());
        const int ok = md ? (sign ? EVP_DigestSignInit_ex(md.get(), nullptr, nullptr, nullptr,
                                                          nullptr, k.pkey.get(), nullptr)
                                  : EVP_DigestVerifyInit_ex(md.get(), nullptr, nullptr, nullptr,
                                                            nullptr, k.pkey.get(), nullptr))
                          : 0;
        if (ok != 1)
            return openssl_failure(errc::crypto_failure, "EVP_DigestSignInit");
        e.md_ctx = md.release();
        return e;
    }
    if (!sign &&
        (ai.family == algorithm_family::rsa_pkcs1 || ai.family == algorithm_family::rsa_pss)) {
        OBAUTH_TRY(auto rsa, rsa_public::create(k.pkey.get()));
        e.rsa = rsa.release();
        return e;
    }
    pkey_ctx_ptr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, k.pkey.get(), nullptr));
    if (!ctx || (sign ? EVP_PKEY_sign_init(ctx.get()) : EVP_PKEY_verify_init(ctx.get())) != 1 ||
        EVP_PKEY_CTX_set_signature_md(ctx.get(), fetched_digest(ai.digest)) != 1)
        return openssl_failure(errc::crypto_failure, "EVP_PKEY_sign_init");
    if (ai.family == algorithm_family::rsa_pkcs1 &&
        EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1)
        return openssl_failure(errc::crypto_failure, "RSA padding");
    // RFC 7518 §3.5: MGF1 with the same hash, salt as long as the hash.
    if (ai.family == algorithm_family::rsa_pss &&
        (EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PSS_PADDING) != 1 ||
         EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), fetched_digest(ai.digest)) != 1 ||
         EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx.get(), RSA_PSS_SALTLEN_DIGEST) != 1))
        return openssl_failure(errc::crypto_failure, "RSA-PSS parameters");
    e.pkey_ctx = ctx.release();
    return e;
}

inline result<op_cache::entry*> cached_op(const key_data& k, algorithm a, bool sign) {
    op_cache& cache = thread_op_cache();
    if (auto* e = cache.find(k.id, a, sign))
        return e;
    OBAUTH_TRY(const op_cache::entry fresh, make_op(k, a, sign));
    return &cache.insert(fresh);
}

inline result<std::size_t> digest(algorithm a, bytes_view input, unsigned char* out) {
    const std::size_t len =
        digest_into(thread_op_cache().digest_ctx(), fetched_digest(info(a).digest), input, out);
    if (len == 0)
        return openssl_failure(errc::crypto_failure, "digest");
    return len;
}

inline result<std::size_t> hmac(const op_cache::entry& e, bytes_view input, unsigned char* out) {
    const std::size_t len = hmac_of(*e.hmac, input, out);
    if (len == 0)
        return openssl_failure(errc::crypto_failure, "HMAC");
    return len;
}

/// Signs `input`; writes signature_size(k, a) octets to `out`.
/// The caller has checked that the key may sign with `a`.
inline result<std::size_t> sign_raw(const key_data& k, algorithm a, bytes_view input,
                                    unsigned char* out) {
    OBAUTH_TRY(op_cache::entry * e, cached_op(k, a, true));
    const auto& ai = info(a);
    switch (ai.family) {
    case algorithm_family::hmac:
        return hmac(*e, input, out);
    case algorithm_family::eddsa: {
        std::size_t len = signature_size(k, a);
        if (EVP_DigestSign(e->md_ctx, out, &len, input.data(), input.size()) != 1)
            return openssl_failure(errc::crypto_failure, "EdDSA sign");
        return len;
    }
    default:
        break;
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    OBAUTH_TRY(const std::size_t md_len, digest(a, input, md));
    if (ai.family == algorithm_family::ecdsa) {
        unsigned char der[ecdsa_der_max_size(66)];
        std::size_t der_len = sizeof der;
        if (EVP_PKEY_sign(e->pkey_ctx, der, &der_len, md, md_len) != 1 ||
            !ecdsa_der_to_raw(der, der_len, ai.ec_coordinate, out))
            return openssl_failure(errc::crypto_failure, "ECDSA sign");
        return 2 * ai.ec_coordinate;
    }
    std::size_t len = signature_size(k, a);
    if (EVP_PKEY_sign(e->pkey_ctx, out, &len, md, md_len) != 1)
        return openssl_failure(errc::crypto_failure, "RSA sign");
    return len;
}

/// Verifies `sig` over `input`. Wrong lengths, DER-encoded ECDSA signatures
/// and r or s outside [1, n) are malformed_signature; a well-formed
/// signature that does not verify is invalid_signature.
inline result<void> verify_raw(const key_data& k, algorithm a, bytes_view input, bytes_view sig) {
    const auto& ai = info(a);
    const std::size_t expected = signature_size(k, a);
    if (sig.size() != expected)
        return make_error(errc::malformed_signature, "signature of " + std::to_string(sig.size()) +
                                                         " octets, expected " +
                                                         std::to_string(expected));
    if (ai.family == algorithm_family::ecdsa) {
        const std::string_view order = ec_group_order(ai.ec_curve);
        if (!ec_scalar_in_range(sig.data(), order) ||
            !ec_scalar_in_range(sig.data() + ai.ec_coordinate, order))
            return make_error(errc::malformed_signature, "ECDSA r or s out of range");
    }
    OBAUTH_TRY(op_cache::entry * e, cached_op(k, a, false));
    switch (ai.family) {
    case algorithm_family::hmac: {
        unsigned char mac[EVP_MAX_MD_SIZE];
        OBAUTH_TRY(const std::size_t len, hmac(*e, input, mac));
        const bool equal = constant_time_equal(bytes_view(mac, len), sig);
        OPENSSL_cleanse(mac, len); // the MAC of input that may be forged
        if (!equal)
            return errc::invalid_signature;
        return {};
    }
    case algorithm_family::eddsa:
        if (EVP_DigestVerify(e->md_ctx, sig.data(), sig.size(), input.data(), input.size()) != 1) {
            ERR_clear_error();
            return errc::invalid_signature;
        }
        return {};
    default:
        break;
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    OBAUTH_TRY(const std::size_t md_len, digest(a, input, md));
    if (ai.family != algorithm_family::ecdsa)
        return verify_rsa(*e->rsa, a, bytes_view(md, md_len), sig);
    unsigned char der[ecdsa_der_max_size(66)];
    const std::size_t der_len = ecdsa_raw_to_der(sig.data(), ai.ec_coordinate, der);
    if (EVP_PKEY_verify(e->pkey_ctx, der, der_len, md, md_len) != 1) {
        ERR_clear_error();
        return errc::invalid_signature;
    }
    return {};
}

} // namespace obauth::jose::detail
