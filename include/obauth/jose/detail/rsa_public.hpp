// RSA signature verification one layer below EVP_PKEY_verify: the public
// operation s^e mod n with OpenSSL's BN_mod_exp_mont on a Montgomery
// context made once per key and thread, and the encoding checked here by
// RFC 8017 (§8.2.2 EMSA-PKCS1-v1_5 by encode-and-compare, §9.1.2
// EMSA-PSS-VERIFY with MGF1 and a salt as long as the hash, RFC 7518 §3.5).
//
// Why: EVP_PKEY_verify makes about 13 allocations, a provider dispatch and
// a lock on the key's cached Montgomery context per call; this path makes
// none of them once a thread has verified with the key, which takes some
// 4 % off an RSA-2048 verification. Everything it handles is public (key,
// message, signature): nothing needs constant time.
#pragma once

#include "../algorithm.hpp"
#include "../error.hpp"
#include "openssl.hpp"

#include "../../core/bytes.hpp"
#include "../../core/digest.hpp"
#include "../../core/result.hpp"

#include <openssl/bn.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>

namespace obauth::jose::detail {

/// Largest raw signature: RSA-16384.
inline constexpr std::size_t max_signature_size = 2048;

/// A thread's working space: a BN_CTX whose pool is reused and the two
/// numbers of every verification.
struct rsa_scratch {
    bn_ctx_ptr ctx{BN_CTX_new()};
    bn_ptr s{BN_new()}, m{BN_new()};
};

inline rsa_scratch& thread_rsa_scratch() noexcept {
    thread_local rsa_scratch scratch;
    return scratch;
}

/// One RSA public key, ready for verification on one thread.
struct rsa_public {
    bn_ptr n, e;
    bn_mont_ptr mont;
    std::size_t bits = 0; ///< of the modulus

    /// Reads n and e from `pkey` and makes the Montgomery context.
    static result<std::unique_ptr<rsa_public>> create(EVP_PKEY* pkey) {
        auto r = std::make_unique<rsa_public>();
        BIGNUM *n = nullptr, *e = nullptr;
        const bool got = EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &n) == 1 &&
                         EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e) == 1;
        r->n.reset(n);
        r->e.reset(e);
        rsa_scratch& t = thread_rsa_scratch();
        r->mont.reset(BN_MONT_CTX_new());
        if (!got || !r->mont || !t.ctx || BN_MONT_CTX_set(r->mont.get(), n, t.ctx.get()) != 1)
            return openssl_failure(errc::crypto_failure, "RSA public key");
        r->bits = static_cast<std::size_t>(BN_num_bits(n));
        return r;
    }
};

// The DER DigestInfo before the hash (RFC 8017 §9.2 note 1), by hash size.
inline bytes_view digest_info_prefix(std::size_t hash_size) noexcept {
    static const unsigned char sha256[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60,
                                           0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                           0x01, 0x05, 0x00, 0x04, 0x20};
    static const unsigned char sha384[] = {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60,
                                           0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                           0x02, 0x05, 0x00, 0x04, 0x30};
    static const unsigned char sha512[] = {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60,
                                           0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                           0x03, 0x05, 0x00, 0x04, 0x40};
    const unsigned char* p = hash_size == 32 ? sha256 : hash_size == 48 ? sha384 : sha512;
    return {p, sizeof sha256};
}

// §8.2.2 step 3-4: EM must be 0x00 0x01 PS(0xff...) 0x00 DigestInfo(H).
inline bool pkcs1_encoding_matches(const unsigned char* em, std::size_t k, bytes_view hash) {
    const bytes_view prefix = digest_info_prefix(hash.size());
    const std::size_t t = prefix.size() + hash.size();
    if (k < t + 11 || em[0] != 0x00 || em[1] != 0x01 || em[k - t - 1] != 0x00)
        return false;
    return std::all_of(em + 2, em + k - t - 1, [](unsigned char c) { return c == 0xff; }) &&
           std::memcmp(em + k - t, prefix.data(), prefix.size()) == 0 &&
           std::memcmp(em + k - hash.size(), hash.data(), hash.size()) == 0;
}

// §9.1.2 steps 3-14 on EM (em_len octets, em_bits significant bits), the
// salt as long as the hash; `md` hashes with the thread's digest context.
inline bool pss_encoding_matches(unsigned char* em, std::size_t em_len, std::size_t em_bits,
                                 const EVP_MD* md, bytes_view hash) {
    const std::size_t h_len = hash.size(), s_len = h_len;
    if (em_len < h_len + s_len + 2 || em[em_len - 1] != 0xbc)
        return false;
    const std::size_t db_len = em_len - h_len - 1;
    const unsigned char* h = em + db_len;
    const auto top_mask = static_cast<unsigned char>(0xff >> (8 * em_len - em_bits));
    if ((em[0] & ~top_mask) != 0)
        return false;
    EVP_MD_CTX* ctx = obauth::detail::thread_digest_ctx();
    unsigned char block[64 + 4], mask[64];
    std::memcpy(block, h, h_len);
    // MGF1(H, db_len) XORed into maskedDB, one hash output at a time.
    for (std::size_t done = 0, counter = 0; done < db_len; done += h_len, ++counter) {
        block[h_len] = static_cast<unsigned char>(counter >> 24);
        block[h_len + 1] = static_cast<unsigned char>(counter >> 16);
        block[h_len + 2] = static_cast<unsigned char>(counter >> 8);
        block[h_len + 3] = static_cast<unsigned char>(counter);
        if (digest_into(ctx, md, bytes_view(block, h_len + 4), mask) != h_len)
            return false;
        const std::size_t n = std::min(h_len, db_len - done);
        for (std::size_t i = 0; i < n; ++i)
            em[done + i] ^= mask[i];
    }
    em[0] &= top_mask;
    const std::size_t one = db_len - s_len - 1;
    if (em[one] != 0x01 || !std::all_of(em, em + one, [](unsigned char c) { return c == 0; }))
        return false;
    // M' = 0x00 x 8 || mHash || salt; H' = Hash(M') must equal H.
    unsigned char m_prime[8 + 64 + 64] = {};
    std::memcpy(m_prime + 8, hash.data(), h_len);
    std::memcpy(m_prime + 8 + h_len, em + db_len - s_len, s_len);
    unsigned char h_prime[64];
    return digest_into(ctx, md, bytes_view(m_prime, 8 + h_len + s_len), h_prime) == h_len &&
           std::memcmp(h_prime, h, h_len) == 0;
}

/// Verifies an RSASSA-PKCS1-v1_5 or RSASSA-PSS signature of `sig.size()`
/// octets (the modulus size: the caller checked) over the digest `hash`.
inline result<void> verify_rsa(const rsa_public& key, algorithm a, bytes_view hash,
                               bytes_view sig) {
    rsa_scratch& t = thread_rsa_scratch();
    if (!t.ctx || !t.s || !t.m || !BN_bin2bn(sig.data(), static_cast<int>(sig.size()), t.s.get()))
        return openssl_failure(errc::crypto_failure, "RSA verify");
    // §5.2.2 RSAVP1: a representative not below n is no signature.
    if (BN_cmp(t.s.get(), key.n.get()) >= 0)
        return errc::invalid_signature;
    unsigned char em[max_signature_size];
    const std::size_t k = sig.size();
    if (BN_mod_exp_mont(t.m.get(), t.s.get(), key.e.get(), key.n.get(), t.ctx.get(),
                        key.mont.get()) != 1 ||
        BN_bn2binpad(t.m.get(), em, static_cast<int>(k)) != static_cast<int>(k))
        return openssl_failure(errc::crypto_failure, "RSA verify");
    bool ok;
    if (info(a).family == algorithm_family::rsa_pkcs1) {
        ok = pkcs1_encoding_matches(em, k, hash);
    } else {
        // emBits = modBits - 1: one leading zero octet when that is a
        // multiple of 8 (§9.1.2 step 2 note).
        const std::size_t em_bits = key.bits - 1, em_len = (em_bits + 7) / 8;
        ok = (k == em_len || em[0] == 0x00) &&
             pss_encoding_matches(em + (k - em_len), em_len, em_bits,
                                  fetched_digest(info(a).digest), hash);
    }
    if (!ok)
        return errc::invalid_signature;
    return {};
}

} // namespace obauth::jose::detail
