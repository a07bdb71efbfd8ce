// The OpenSSL ceiling: the fastest sane use of the bare OpenSSL 3 primitive
// over a JWS signing input. Keys parsed once; per thread: SHA-2 on a reused
// EVP_MD_CTX and EVP_PKEY_sign/verify on a once-initialized EVP_PKEY_CTX
// (RSA, ECDSA, with DER signatures as OpenSSL produces them), a reused
// EVP_MD_CTX for EdDSA, a reused EVP_MAC_CTX re-initialized with a NULL key
// for HMAC (obauth's own HMAC goes below EVP_MAC, to OpenSSL's SHA-2
// functions, as its RSA verification goes below EVP_PKEY_verify: both stay
// measured against the EVP call, the OpenSSL 3 API without deprecated
// functions). Each ceiling signs and verifies with a key object of its own (a
// copy), as a separate program would: OpenSSL refreshes an RSA key's
// blinding every 32 private-key operations on that object, and a key shared
// with obauth's side of a paired run had every refresh fall on one side of
// the alternation. Written for the benchmarks only; no obauth code is used.
#pragma once

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

enum class primitive { hmac, rsa_pkcs1, rsa_pss, ecdsa, eddsa };

class ceiling {
public:
    // `digest` is "SHA256"/"SHA384"/"SHA512" (ignored for EdDSA); `key` is
    // the EVP_PKEY (asymmetric) or the HMAC key octets.
    ceiling(primitive p, const char* digest, EVP_PKEY* pkey, const std::string& hmac_key, bool sign)
        : p_(p) {
        if (p != primitive::eddsa)
            md_ = EVP_MD_fetch(nullptr, digest, nullptr);
        if (p == primitive::hmac) {
            mac_ = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
            mac_ctx_ = EVP_MAC_CTX_new(mac_);
            std::string name = digest;
            const OSSL_PARAM params[] = {
                OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, name.data(), 0),
                OSSL_PARAM_END};
            check(EVP_MAC_init(mac_ctx_, reinterpret_cast<const unsigned char*>(hmac_key.data()),
                               hmac_key.size(), params));
            return;
        }
        // The contexts made below hold their own references to the copy.
        const std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> own(EVP_PKEY_dup(pkey), EVP_PKEY_free);
        check(own != nullptr ? 1 : 0);
        pkey = own.get();
        if (p == primitive::eddsa) {
            md_ctx_ = EVP_MD_CTX_new();
            check(sign ? EVP_DigestSignInit_ex(md_ctx_, nullptr, nullptr, nullptr, nullptr, pkey,
                                               nullptr)
                       : EVP_DigestVerifyInit_ex(md_ctx_, nullptr, nullptr, nullptr, nullptr, pkey,
                                                 nullptr));
            return;
        }
        md_ctx_ = EVP_MD_CTX_new();
        pkey_ctx_ = EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr);
        check(sign ? EVP_PKEY_sign_init(pkey_ctx_) : EVP_PKEY_verify_init(pkey_ctx_));
        check(EVP_PKEY_CTX_set_signature_md(pkey_ctx_, md_));
        if (p == primitive::rsa_pkcs1)
            check(EVP_PKEY_CTX_set_rsa_padding(pkey_ctx_, RSA_PKCS1_PADDING));
        if (p == primitive::rsa_pss) {
            check(EVP_PKEY_CTX_set_rsa_padding(pkey_ctx_, RSA_PKCS1_PSS_PADDING));
            check(EVP_PKEY_CTX_set_rsa_mgf1_md(pkey_ctx_, md_));
            check(EVP_PKEY_CTX_set_rsa_pss_saltlen(pkey_ctx_, RSA_PSS_SALTLEN_DIGEST));
        }
    }
    ceiling(const ceiling&) = delete;
    ceiling& operator=(const ceiling&) = delete;
    ~ceiling() {
        EVP_MAC_CTX_free(mac_ctx_);
        EVP_MAC_free(mac_);
        EVP_MD_CTX_free(md_ctx_);
        EVP_PKEY_CTX_free(pkey_ctx_);
        EVP_MD_free(md_);
    }

    /// Signs `input` into `sig` (DER for ECDSA); returns the length.
    std::size_t sign(std::string_view input, unsigned char* sig, std::size_t cap) {
        const auto* in = reinterpret_cast<const unsigned char*>(input.data());
        std::size_t len = cap;
        if (p_ == primitive::hmac) {
            check(EVP_MAC_init(mac_ctx_, nullptr, 0, nullptr));
            check(EVP_MAC_update(mac_ctx_, in, input.size()));
            check(EVP_MAC_final(mac_ctx_, sig, &len, cap));
            return len;
        }
        if (p_ == primitive::eddsa) {
            check(EVP_DigestSign(md_ctx_, sig, &len, in, input.size()));
            return len;
        }
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int md_len = 0;
        check(EVP_DigestInit_ex2(md_ctx_, md_, nullptr));
        check(EVP_DigestUpdate(md_ctx_, in, input.size()));
        check(EVP_DigestFinal_ex(md_ctx_, md, &md_len));
        check(EVP_PKEY_sign(pkey_ctx_, sig, &len, md, md_len));
        return len;
    }

    /// Verifies `sig` (DER for ECDSA) over `input`.
    bool verify(std::string_view input, const unsigned char* sig, std::size_t sig_len) {
        const auto* in = reinterpret_cast<const unsigned char*>(input.data());
        if (p_ == primitive::hmac) {
            unsigned char mac[EVP_MAX_MD_SIZE];
            std::size_t len = 0;
            check(EVP_MAC_init(mac_ctx_, nullptr, 0, nullptr));
            check(EVP_MAC_update(mac_ctx_, in, input.size()));
            check(EVP_MAC_final(mac_ctx_, mac, &len, sizeof mac));
            return len == sig_len && CRYPTO_memcmp(mac, sig, len) == 0;
        }
        if (p_ == primitive::eddsa)
            return EVP_DigestVerify(md_ctx_, sig, sig_len, in, input.size()) == 1;
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int md_len = 0;
        check(EVP_DigestInit_ex2(md_ctx_, md_, nullptr));
        check(EVP_DigestUpdate(md_ctx_, in, input.size()));
        check(EVP_DigestFinal_ex(md_ctx_, md, &md_len));
        return EVP_PKEY_verify(pkey_ctx_, sig, sig_len, md, md_len) == 1;
    }

private:
    static void check(int ok) {
        if (ok != 1) {
            std::fputs("ceiling: OpenSSL call failed\n", stderr);
            std::abort();
        }
    }
    primitive p_;
    EVP_MD* md_ = nullptr;
    EVP_MD_CTX* md_ctx_ = nullptr;
    EVP_PKEY_CTX* pkey_ctx_ = nullptr;
    EVP_MAC* mac_ = nullptr;
    EVP_MAC_CTX* mac_ctx_ = nullptr;
};

} // namespace bench
