// HMAC (RFC 2104) for HS256, HS384 and HS512: a keyed state made once per
// key and thread (it lives in the op cache, signature.hpp), then one MAC per
// call.
//
// Where OpenSSL declares its SHA-2 functions (OPENSSL_NO_DEPRECATED_3_0 not
// defined), the keyed state is the two hash states after the key's inner
// and outer pad blocks, and a MAC copies them by value: two SHA-2 runs on
// OpenSSL's block functions and nothing else. EVP_MAC does the same work
// behind a provider dispatch and two digest-context duplications, each a
// heap allocation and free in OpenSSL 3.0: about 110 ns of the 460 ns an
// HS256 MAC over a 390-octet signing input takes with it.
// An OpenSSL built without deprecated API, or OPENSSL_API_COMPAT 3.0 with
// OPENSSL_NO_DEPRECATED, gets EVP_MAC (the no-exceptions test
// configuration builds that way). Either way the choice is made at compile
// time and must be the same in every translation unit of a program.
//
// The pad states are as good as the key: wiped before they are freed.
#pragma once

#include "../algorithm.hpp"
#include "openssl.hpp"

#include "../../core/bytes.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <new>
#include <utility>

namespace obauth::jose::detail {

#ifndef OPENSSL_NO_DEPRECATED_3_0

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#elif defined(_MSC_VER)
#pragma warning(push)
#pragma warning(disable : 4996)
#endif

/// A SHA-2 state of any of the three functions.
union sha2_state {
    SHA256_CTX s256;
    SHA512_CTX s512;
};

/// One SHA-2 function of OpenSSL's low-level (pre-EVP) API, as a table:
/// one HMAC routine serves the three (a template per function was 4 KB
/// more in every program that can verify a JWS).
struct sha2_function {
    void (*init)(sha2_state&);
    void (*update)(sha2_state&, const unsigned char*, std::size_t);
    void (*final)(unsigned char*, sha2_state&);
    std::size_t block, size;
};

inline const sha2_function& sha2_for(algorithm a) noexcept {
    static constexpr sha2_function table[] = {
        {[](sha2_state& c) { SHA256_Init(&c.s256); },
         [](sha2_state& c, const unsigned char* p, std::size_t n) { SHA256_Update(&c.s256, p, n); },
         [](unsigned char* out, sha2_state& c) { SHA256_Final(out, &c.s256); }, 64, 32},
        {[](sha2_state& c) { SHA384_Init(&c.s512); },
         [](sha2_state& c, const unsigned char* p, std::size_t n) { SHA384_Update(&c.s512, p, n); },
         [](unsigned char* out, sha2_state& c) { SHA384_Final(out, &c.s512); }, 128, 48},
        {[](sha2_state& c) { SHA512_Init(&c.s512); },
         [](sha2_state& c, const unsigned char* p, std::size_t n) { SHA512_Update(&c.s512, p, n); },
         [](unsigned char* out, sha2_state& c) { SHA512_Final(out, &c.s512); }, 128, 64},
    };
    return table[a == algorithm::HS256 ? 0 : a == algorithm::HS384 ? 1 : 2];
}

#if defined(__GNUC__)
#pragma GCC diagnostic pop
#elif defined(_MSC_VER)
#pragma warning(pop)
#endif

struct hmac_key {
    const sha2_function* f = nullptr;
    sha2_state inner{}, outer{};
    hmac_key() = default;
    hmac_key(const hmac_key&) = delete;
    hmac_key& operator=(const hmac_key&) = delete;
    ~hmac_key() { OPENSSL_cleanse(this, sizeof *this); }
};

/// The keyed state for `a` (HS256/384/512): the hash states after the
/// inner and the outer pad block; nullptr when out of memory.
inline hmac_key* make_hmac_key(algorithm a, bytes_view key) noexcept {
    auto* h = new (std::nothrow) hmac_key;
    if (h == nullptr)
        return nullptr;
    const sha2_function& f = sha2_for(a);
    h->f = &f;
    unsigned char k[128] = {};  // the key, zero-padded to the block
    if (key.size() > f.block) { // RFC 2104 §2: a long key is hashed first
        sha2_state c;
        f.init(c);
        f.update(c, key.data(), key.size());
        f.final(k, c);
        OPENSSL_cleanse(&c, sizeof c);
    } else if (!key.empty()) {
        std::memcpy(k, key.data(), key.size());
    }
    unsigned char pad[128];
    for (const auto& [state, byte] : {std::pair{&h->inner, 0x36}, std::pair{&h->outer, 0x5c}}) {
        for (std::size_t i = 0; i < f.block; ++i)
            pad[i] = static_cast<unsigned char>(k[i] ^ byte);
        f.init(*state);
        f.update(*state, pad, f.block);
    }
    OPENSSL_cleanse(k, sizeof k);
    OPENSSL_cleanse(pad, sizeof pad);
    return h;
}

/// Writes the MAC of `input` to `out` (EVP_MAX_MD_SIZE octets of room);
/// returns its length, or 0 on failure. The inner hash would let its reader
/// compute the MAC of this input (of a forged token, on verification): it
/// is wiped, with the working state whose last block held it.
inline std::size_t hmac_of(const hmac_key& h, bytes_view input, unsigned char* out) noexcept {
    const sha2_function& f = *h.f;
    unsigned char inner_hash[64];
    sha2_state c = h.inner;
    f.update(c, input.data(), input.size());
    f.final(inner_hash, c);
    c = h.outer;
    f.update(c, inner_hash, f.size);
    f.final(out, c);
    OPENSSL_cleanse(inner_hash, sizeof inner_hash);
    OPENSSL_cleanse(&c, sizeof c);
    return f.size;
}

#else // EVP_MAC

struct hmac_key {
    mac_ctx_ptr ctx;
};

inline hmac_key* make_hmac_key(algorithm a, bytes_view key) noexcept {
    const std::string_view name = info(a).digest;
    char digest[8] = {};
    std::copy(name.begin(), name.end(), digest);
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_END};
    auto* h = new (std::nothrow) hmac_key{mac_ctx_ptr(EVP_MAC_CTX_new(fetch_hmac()))};
    if (h != nullptr &&
        (!h->ctx || EVP_MAC_init(h->ctx.get(), key.data(), key.size(), params) != 1)) {
        delete h;
        return nullptr;
    }
    return h;
}

inline std::size_t hmac_of(const hmac_key& h, bytes_view input, unsigned char* out) noexcept {
    std::size_t len = 0;
    // Re-initializing with a NULL key keeps the key schedule: the cheap reset.
    if (EVP_MAC_init(h.ctx.get(), nullptr, 0, nullptr) != 1 ||
        EVP_MAC_update(h.ctx.get(), input.data(), input.size()) != 1 ||
        EVP_MAC_final(h.ctx.get(), out, &len, EVP_MAX_MD_SIZE) != 1)
        return 0;
    return len;
}

#endif

/// Frees (and wipes) what make_hmac_key made.
inline void free_hmac_key(hmac_key* h) noexcept {
    delete h;
}

} // namespace obauth::jose::detail
