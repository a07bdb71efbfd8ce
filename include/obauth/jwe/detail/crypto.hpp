// The primitives behind JWE, on OpenSSL 3: content encryption (AES-GCM,
// AES-CBC with HMAC-SHA-2 as RFC 7518 §5.2 composes them), AES key wrap
// (RFC 3394), RSA-OAEP and ECDH with the Concat KDF (RFC 7518 §4.6.2).
// Ciphers, digests and the HMAC implementation are fetched once per process.
// Keys and plaintexts live in `secret`s (wiped when freed).
#pragma once

#include "../algorithm.hpp"
#include "../error.hpp"

#include "../../core/bytes.hpp"
#include "../../core/result.hpp"
#include "../../core/secret.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

namespace obauth::jwe::detail {

template <class T, void (*Free)(T*)>
struct ossl_free {
    void operator()(T* p) const noexcept { Free(p); }
};
using cipher_ctx_ptr =
    std::unique_ptr<EVP_CIPHER_CTX, ossl_free<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>>;
using pkey_ctx_ptr = std::unique_ptr<EVP_PKEY_CTX, ossl_free<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using mac_ctx_ptr = std::unique_ptr<EVP_MAC_CTX, ossl_free<EVP_MAC_CTX, EVP_MAC_CTX_free>>;
using md_ctx_ptr = std::unique_ptr<EVP_MD_CTX, ossl_free<EVP_MD_CTX, EVP_MD_CTX_free>>;

/// A failure of OpenSSL on a valid operation; its queue is dropped (its
/// strings can quote input).
inline error_info crypto_failure(const char* what) {
    ERR_clear_error();
    return make_error(errc::crypto_failure, what);
}

/// The uniform answer for anything that does not decrypt.
inline error_info decryption_failed() {
    ERR_clear_error();
    return make_error(errc::decryption_failed);
}

/// AES ciphers by mode and key size (16, 24 or 32 octets), fetched once.
enum class aes_mode : std::uint8_t { gcm, cbc, wrap };
inline const EVP_CIPHER* aes(aes_mode mode, std::size_t key_size) noexcept {
    static const auto table = [] {
        std::array<EVP_CIPHER*, 9> t{};
        const char* names[] = {"AES-128-GCM",  "AES-192-GCM",  "AES-256-GCM",
                               "AES-128-CBC",  "AES-192-CBC",  "AES-256-CBC",
                               "AES-128-WRAP", "AES-192-WRAP", "AES-256-WRAP"};
        for (std::size_t i = 0; i < t.size(); ++i)
            t[i] = EVP_CIPHER_fetch(nullptr, names[i], nullptr);
        return t;
    }();
    const std::size_t size_index = key_size == 16 ? 0 : key_size == 24 ? 1 : 2;
    return table[static_cast<std::size_t>(mode) * 3 + size_index];
}

inline const EVP_MD* digest(std::string_view name) noexcept {
    static EVP_MD* const sha[] = {
        EVP_MD_fetch(nullptr, "SHA1", nullptr), EVP_MD_fetch(nullptr, "SHA256", nullptr),
        EVP_MD_fetch(nullptr, "SHA384", nullptr), EVP_MD_fetch(nullptr, "SHA512", nullptr)};
    return name == "SHA1" ? sha[0] : name == "SHA256" ? sha[1] : name == "SHA384" ? sha[2] : sha[3];
}

inline EVP_MAC* hmac_implementation() noexcept {
    static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    return mac;
}

inline int int_size(std::size_t n) noexcept {
    return static_cast<int>(n);
}

/// Octets [offset, offset + n) of `b` (n clipped to what is there).
inline bytes_view slice(bytes_view b, std::size_t offset,
                        std::size_t n = static_cast<std::size_t>(-1)) noexcept {
    offset = std::min(offset, b.size());
    return {b.data() + offset, std::min(n, b.size() - offset)};
}

/// AES-GCM: `out` gets in.size() octets; `tag` (16) is written on
/// encryption, checked (by OpenSSL, in constant time) on decryption.
inline bool aes_gcm(bool encrypt, bytes_view key, bytes_view iv, bytes_view aad, bytes_view in,
                    unsigned char* out, unsigned char* tag) noexcept {
    const cipher_ctx_ptr ctx(EVP_CIPHER_CTX_new());
    const EVP_CIPHER* cipher = aes(aes_mode::gcm, key.size());
    // An empty text may come with no buffer at all: GCM writes nothing then.
    unsigned char none = 0;
    unsigned char* o = out != nullptr ? out : &none;
    int aad_len = 0, len = 0;
    if (!ctx || cipher == nullptr || iv.size() != 12 ||
        EVP_CipherInit_ex2(ctx.get(), cipher, key.data(), iv.data(), encrypt ? 1 : 0, nullptr) !=
            1 ||
        (!aad.empty() &&
         EVP_CipherUpdate(ctx.get(), nullptr, &aad_len, aad.data(), int_size(aad.size())) != 1) ||
        (!in.empty() && EVP_CipherUpdate(ctx.get(), o, &len, in.data(), int_size(in.size())) != 1))
        return false;
    if (!encrypt && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, 16, tag) != 1)
        return false;
    int final_len = 0;
    if (EVP_CipherFinal_ex(ctx.get(), o + len, &final_len) != 1)
        return false;
    return !encrypt || EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, 16, tag) == 1;
}

/// RFC 7518 §5.2.2.1: M = HMAC(MAC_KEY, A || IV || E || AL), T = the first
/// tag_size octets of M.
inline bool cbc_hmac_tag(const content_encryption_info& e, bytes_view mac_key, bytes_view aad,
                         bytes_view iv, bytes_view ciphertext, unsigned char* tag) noexcept {
    const mac_ctx_ptr ctx(EVP_MAC_CTX_new(hmac_implementation()));
    char name[8] = {};
    e.digest.copy(name, sizeof name - 1);
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, name, 0),
                                 OSSL_PARAM_END};
    unsigned char al[8];
    const std::uint64_t bits = static_cast<std::uint64_t>(aad.size()) * 8;
    for (int i = 0; i < 8; ++i)
        al[i] = static_cast<unsigned char>(bits >> (56 - 8 * i));
    unsigned char m[64];
    std::size_t m_len = 0;
    const bool ok = ctx && EVP_MAC_init(ctx.get(), mac_key.data(), mac_key.size(), params) == 1 &&
                    EVP_MAC_update(ctx.get(), aad.data(), aad.size()) == 1 &&
                    EVP_MAC_update(ctx.get(), iv.data(), iv.size()) == 1 &&
                    EVP_MAC_update(ctx.get(), ciphertext.data(), ciphertext.size()) == 1 &&
                    EVP_MAC_update(ctx.get(), al, sizeof al) == 1 &&
                    EVP_MAC_final(ctx.get(), m, &m_len, sizeof m) == 1 && m_len >= e.tag_size;
    if (ok)
        std::memcpy(tag, m, e.tag_size);
    OPENSSL_cleanse(m, sizeof m);
    return ok;
}

/// Encrypts `plaintext` under `enc` with `cek`: the ciphertext, and the
/// tag (info(enc).tag_size octets) into `tag`.
inline result<std::string> encrypt_content(content_encryption enc, bytes_view cek, bytes_view iv,
                                           bytes_view aad, bytes_view plaintext,
                                           unsigned char* tag) {
    const auto& e = info(enc);
    if (cek.size() != e.cek_size || iv.size() != e.iv_size)
        return make_error(errc::invalid_options, "CEK or IV of the wrong size");
    std::string out;
    if (e.gcm) {
        out.resize(plaintext.size());
        if (!aes_gcm(true, cek, iv, aad, plaintext, reinterpret_cast<unsigned char*>(out.data()),
                     tag))
            return crypto_failure("AES-GCM encryption");
        return out;
    }
    const bytes_view mac_key = slice(cek, 0, e.cek_size / 2), enc_key = slice(cek, e.cek_size / 2);
    out.resize(plaintext.size() + 16); // PKCS #7 padding adds 1..16 octets
    const cipher_ctx_ptr ctx(EVP_CIPHER_CTX_new());
    int len = 0, final_len = 0;
    auto* o = reinterpret_cast<unsigned char*>(out.data());
    if (!ctx ||
        EVP_CipherInit_ex2(ctx.get(), aes(aes_mode::cbc, enc_key.size()), enc_key.data(), iv.data(),
                           1, nullptr) != 1 ||
        EVP_CipherUpdate(ctx.get(), o, &len, plaintext.data(), int_size(plaintext.size())) != 1 ||
        EVP_CipherFinal_ex(ctx.get(), o + len, &final_len) != 1)
        return crypto_failure("AES-CBC encryption");
    out.resize(static_cast<std::size_t>(len + final_len));
    if (!cbc_hmac_tag(e, mac_key, aad, iv, bytes_view(out), tag))
        return crypto_failure("HMAC");
    return out;
}

/// Decrypts; every failure (tag, padding, sizes) is decryption_failed.
inline result<secret> decrypt_content(content_encryption enc, bytes_view cek, bytes_view iv,
                                      bytes_view aad, bytes_view ciphertext, bytes_view tag) {
    const auto& e = info(enc);
    if (cek.size() != e.cek_size || iv.size() != e.iv_size || tag.size() != e.tag_size)
        return decryption_failed();
    if (e.gcm) {
        secret out = secret::zeroed(ciphertext.size());
        unsigned char t[16];
        std::memcpy(t, tag.data(), 16);
        if (!aes_gcm(false, cek, iv, aad, ciphertext, out.expose_secret_mutable(), t))
            return decryption_failed();
        return out;
    }
    // The tag first, in constant time: the padding is looked at only in
    // a ciphertext that is authentic (no padding oracle).
    const bytes_view mac_key = slice(cek, 0, e.cek_size / 2), enc_key = slice(cek, e.cek_size / 2);
    unsigned char expected[32];
    if (!cbc_hmac_tag(e, mac_key, aad, iv, ciphertext, expected) ||
        !constant_time_equal(bytes_view(expected, e.tag_size), tag) || ciphertext.empty() ||
        ciphertext.size() % 16 != 0)
        return decryption_failed();
    secret out = secret::zeroed(ciphertext.size());
    const cipher_ctx_ptr ctx(EVP_CIPHER_CTX_new());
    int len = 0, final_len = 0;
    unsigned char* o = out.expose_secret_mutable();
    if (!ctx ||
        EVP_CipherInit_ex2(ctx.get(), aes(aes_mode::cbc, enc_key.size()), enc_key.data(), iv.data(),
                           0, nullptr) != 1 ||
        EVP_CipherUpdate(ctx.get(), o, &len, ciphertext.data(), int_size(ciphertext.size())) != 1 ||
        EVP_CipherFinal_ex(ctx.get(), o + len, &final_len) != 1)
        return decryption_failed();
    return secret(slice(out.expose_secret(), 0, static_cast<std::size_t>(len + final_len)));
}

/// RFC 3394 AES key wrap (encrypt) or unwrap of `in` with `kek`; an unwrap
/// whose integrity check fails returns an empty secret.
inline secret aes_key_wrap(bool wrap, bytes_view kek, bytes_view in) noexcept {
    if (in.size() < (wrap ? 16u : 24u) || in.size() % 8 != 0)
        return {};
    const cipher_ctx_ptr ctx(EVP_CIPHER_CTX_new());
    secret out = secret::zeroed(wrap ? in.size() + 8 : in.size() - 8);
    int len = 0, final_len = 0;
    unsigned char* o = out.expose_secret_mutable();
    if (!ctx ||
        EVP_CipherInit_ex2(ctx.get(), aes(aes_mode::wrap, kek.size()), kek.data(), nullptr,
                           wrap ? 1 : 0, nullptr) != 1 ||
        EVP_CipherUpdate(ctx.get(), o, &len, in.data(), int_size(in.size())) != 1 ||
        EVP_CipherFinal_ex(ctx.get(), o + len, &final_len) != 1 ||
        static_cast<std::size_t>(len + final_len) != out.size()) {
        ERR_clear_error();
        return {};
    }
    return out;
}

/// RSA-OAEP with `md` as the OAEP and MGF1 hash: the CEK encrypted to
/// `pkey`, or (decrypt) the CEK, empty when it does not decrypt.
inline secret rsa_oaep(bool encrypt, EVP_PKEY* pkey, std::string_view md, bytes_view in) noexcept {
    const pkey_ctx_ptr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
    const EVP_MD* h = digest(md);
    if (!ctx ||
        (encrypt ? EVP_PKEY_encrypt_init(ctx.get()) : EVP_PKEY_decrypt_init(ctx.get())) != 1 ||
        EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), h) != 1 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), h) != 1) {
        ERR_clear_error();
        return {};
    }
    std::size_t len = static_cast<std::size_t>(EVP_PKEY_get_size(pkey));
    secret out = secret::zeroed(len);
    const int ok =
        encrypt
            ? EVP_PKEY_encrypt(ctx.get(), out.expose_secret_mutable(), &len, in.data(), in.size())
            : EVP_PKEY_decrypt(ctx.get(), out.expose_secret_mutable(), &len, in.data(), in.size());
    if (ok != 1) {
        ERR_clear_error();
        return {};
    }
    return secret(slice(out.expose_secret(), 0, len));
}

/// The ECDH shared secret Z of `own` (private) and `peer` (public); empty on
/// failure. The peer key comes from jose's import, which put an EC point on
/// its curve (enough for the cofactor-1 NIST curves: SP 800-56A partial
/// validation), so OpenSSL's full check (a second scalar multiplication) is
/// skipped; X25519/X448 fail on an all-zero result (a small-order point).
/// Per thread, the derivation contexts of the last few own keys: a client
/// or gateway decrypts with the same key again and again, and making the
/// context (and finding the key exchange) each time costs more than the KDF.
/// Each entry holds a reference on its key, so a cached address never names
/// another key; they are released on eviction and at thread exit.
class derive_cache {
public:
    static constexpr std::size_t size = 8;
    derive_cache() = default;
    derive_cache(const derive_cache&) = delete;
    derive_cache& operator=(const derive_cache&) = delete;
    ~derive_cache() {
        for (auto& e : entries_)
            release(e);
    }

    /// A context ready for EVP_PKEY_derive_set_peer_ex, or nullptr.
    EVP_PKEY_CTX* get(EVP_PKEY* own) noexcept {
        for (const auto& e : entries_)
            if (e.key == own)
                return e.ctx;
        pkey_ctx_ptr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, own, nullptr));
        if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 || EVP_PKEY_up_ref(own) != 1)
            return nullptr;
        entry& e = entries_[next_];
        next_ = (next_ + 1) % size;
        release(e);
        e = {own, ctx.release()};
        return e.ctx;
    }

private:
    struct entry {
        EVP_PKEY* key = nullptr;
        EVP_PKEY_CTX* ctx = nullptr;
    };
    static void release(entry& e) noexcept {
        EVP_PKEY_CTX_free(e.ctx);
        EVP_PKEY_free(e.key);
        e = entry{};
    }
    std::array<entry, size> entries_{};
    std::size_t next_ = 0;
};

inline derive_cache& thread_derive_cache() noexcept {
    thread_local derive_cache cache;
    return cache;
}

/// `own` is a long-lived key (the recipient's): its context is cached; an
/// ephemeral one (the sender's) is used once.
inline secret ecdh(EVP_PKEY* own, EVP_PKEY* peer, bool long_lived) noexcept {
    pkey_ctx_ptr fresh;
    EVP_PKEY_CTX* ctx = nullptr;
    if (long_lived) {
        ctx = thread_derive_cache().get(own);
    } else {
        fresh.reset(EVP_PKEY_CTX_new_from_pkey(nullptr, own, nullptr));
        if (fresh && EVP_PKEY_derive_init(fresh.get()) == 1)
            ctx = fresh.get();
    }
    std::size_t len = 0;
    if (ctx == nullptr || EVP_PKEY_derive_set_peer_ex(ctx, peer, 0) != 1 ||
        EVP_PKEY_derive(ctx, nullptr, &len) != 1) {
        ERR_clear_error();
        return {};
    }
    secret z = secret::zeroed(len);
    if (EVP_PKEY_derive(ctx, z.expose_secret_mutable(), &len) != 1 || len != z.size()) {
        ERR_clear_error();
        return {};
    }
    return z;
}

/// RFC 7518 §4.6.2: the Concat KDF (NIST SP 800-56A §5.8.1) with SHA-256,
/// `size` octets from Z, AlgorithmID `alg_id`, PartyUInfo `apu`, PartyVInfo
/// `apv`, SuppPubInfo the key length in bits.
inline result<secret> concat_kdf(bytes_view z, std::string_view alg_id, bytes_view apu,
                                 bytes_view apv, std::size_t size) {
    auto be32 = [](std::string& s, std::size_t v) {
        for (int shift = 24; shift >= 0; shift -= 8)
            s.push_back(static_cast<char>((v >> shift) & 0xff));
    };
    std::string other;
    be32(other, alg_id.size());
    other.append(alg_id);
    be32(other, apu.size());
    other.append(reinterpret_cast<const char*>(apu.data()), apu.size());
    be32(other, apv.size());
    other.append(reinterpret_cast<const char*>(apv.data()), apv.size());
    be32(other, size * 8);
    secret out = secret::zeroed(size);
    const md_ctx_ptr ctx(EVP_MD_CTX_new());
    unsigned char block[32];
    for (std::size_t done = 0, counter = 1; done < size; ++counter) {
        std::string c;
        be32(c, counter);
        unsigned int len = 0;
        if (!ctx || EVP_DigestInit_ex2(ctx.get(), digest("SHA256"), nullptr) != 1 ||
            EVP_DigestUpdate(ctx.get(), c.data(), c.size()) != 1 ||
            EVP_DigestUpdate(ctx.get(), z.data(), z.size()) != 1 ||
            EVP_DigestUpdate(ctx.get(), other.data(), other.size()) != 1 ||
            EVP_DigestFinal_ex(ctx.get(), block, &len) != 1) {
            OPENSSL_cleanse(block, sizeof block);
            return crypto_failure("Concat KDF");
        }
        const std::size_t n = std::min<std::size_t>(len, size - done);
        std::memcpy(out.expose_secret_mutable() + done, block, n);
        done += n;
    }
    OPENSSL_cleanse(block, sizeof block);
    return out;
}

} // namespace obauth::jwe::detail
