// Sealing values before they leave the process: AES-256-GCM under a key
// the caller provides (from its secret store), named by a key id, with the
// store key as associated data — so a dump of the store reveals no token,
// and a sealed value copied under another key, or altered, does not open.
//
// Sealed form (text, safe for any store):
//   "s1." key-id "." base64url(IV (12) || ciphertext || tag (16))
// Associated data: "obauth-seal-v1" NUL key-id NUL store-key.
//
// Rotation: the current key seals; older keys (add_old) still open what
// they sealed, until every value has been written again.
// Every failure to open — truncated, altered, another store key, a key id
// not held — is `sealed_value_invalid` (an unknown key id says so in the
// detail; nothing else separates the causes).
#pragma once

#include "error.hpp"

#include "../core/base64url.hpp"
#include "../core/random.hpp"
#include "../core/result.hpp"
#include "../core/secret.hpp"
#include "../core/wiping_allocator.hpp"

#include <openssl/evp.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace obauth::store {

class sealing_keys {
public:
    static constexpr std::size_t key_size = 32, iv_size = 12, tag_size = 16;
    /// Sealed values larger than this are refused when opened.
    static constexpr std::size_t max_sealed_size = 1024 * 1024;

    /// `key`: 32 octets; `id`: 1 to 64 characters of [A-Za-z0-9_-].
    static result<sealing_keys> create(std::string id, secret key) {
        sealing_keys k;
        OBAUTH_TRY_VOID(k.add(std::move(id), std::move(key)));
        return k;
    }
    /// A key that opens values but no longer seals.
    result<void> add_old(std::string id, secret key) { return add(std::move(id), std::move(key)); }

    const std::string& current_id() const noexcept { return keys_.front().id; }

    result<std::string> seal(std::string_view store_key, bytes_view plaintext,
                             random_generator& rng = default_random()) const {
        const entry& k = keys_.front();
        unsigned char iv[iv_size];
        OBAUTH_TRY_VOID(rng.fill(iv, sizeof iv));
        bytes box(iv_size + plaintext.size() + tag_size);
        std::copy(iv, iv + iv_size, box.begin());
        if (!crypt(true, k, store_key, iv, plaintext.data(), plaintext.size(), &box[iv_size],
                   &box[iv_size + plaintext.size()]))
            return make_error(errc::sealing_failed, "AES-256-GCM");
        return "s1." + k.id + "." + base64url_encode(bytes_view(box));
    }

    /// The plaintext, in memory wiped when freed.
    result<wiping_string> open(std::string_view store_key, std::string_view sealed) const {
        auto invalid = [](std::string detail = {}) {
            return make_error(errc::sealed_value_invalid, std::move(detail));
        };
        if (sealed.size() > max_sealed_size || sealed.substr(0, 3) != "s1.")
            return invalid();
        const std::size_t dot = sealed.find('.', 3);
        if (dot == std::string_view::npos)
            return invalid();
        const std::string_view id = sealed.substr(3, dot - 3);
        const entry* k = find(id);
        if (k == nullptr)
            return invalid(valid_id(id) ? "no key with id " + std::string(id) : std::string());
        auto box = base64url_decode(sealed.substr(dot + 1));
        if (!box || box->size() < iv_size + tag_size)
            return invalid();
        const std::size_t n = box->size() - iv_size - tag_size;
        wiping_string out(n, '\0');
        if (!crypt(false, *k, store_key, box->data(), box->data() + iv_size, n,
                   reinterpret_cast<unsigned char*>(&out[0]), box->data() + iv_size + n))
            return invalid();
        return out;
    }

private:
    struct entry {
        std::string id;
        secret key;
    };

    static bool valid_id(std::string_view id) noexcept {
        if (id.empty() || id.size() > 64)
            return false;
        for (const char c : id)
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_'))
                return false;
        return true;
    }

    result<void> add(std::string id, secret key) {
        if (!valid_id(id))
            return make_error(errc::invalid_options,
                              "a key id is 1 to 64 characters of [A-Za-z0-9_-]");
        if (key.size() != key_size)
            return make_error(errc::invalid_options, "a sealing key is 32 octets");
        if (find(id) != nullptr)
            return make_error(errc::invalid_options, "key id " + id + " twice");
        keys_.push_back(entry{std::move(id), std::move(key)});
        return {};
    }

    const entry* find(std::string_view id) const noexcept {
        for (const auto& k : keys_)
            if (k.id == id)
                return &k;
        return nullptr;
    }

    // One AES-256-GCM operation; `tag` is written (seal) or checked (open).
    static bool crypt(bool seal, const entry& k, std::string_view store_key,
                      const unsigned char* iv, const unsigned char* in, std::size_t n,
                      unsigned char* out, unsigned char* tag) {
        const std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(
            EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
        std::string aad = "obauth-seal-v1";
        aad += '\0';
        aad += k.id;
        aad += '\0';
        aad.append(store_key);
        int len = 0;
        const auto* key = k.key.expose_secret().data();
        const auto* a = reinterpret_cast<const unsigned char*>(aad.data());
        if (!ctx || n > 0x7fffffff)
            return false;
        if (seal) {
            return EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key, iv) == 1 &&
                   EVP_EncryptUpdate(ctx.get(), nullptr, &len, a, static_cast<int>(aad.size())) ==
                       1 &&
                   EVP_EncryptUpdate(ctx.get(), out, &len, in, static_cast<int>(n)) == 1 &&
                   EVP_EncryptFinal_ex(ctx.get(), out + len, &len) == 1 &&
                   EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, tag_size, tag) == 1;
        }
        // The tag is checked in constant time by EVP_DecryptFinal_ex.
        return EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key, iv) == 1 &&
               EVP_DecryptUpdate(ctx.get(), nullptr, &len, a, static_cast<int>(aad.size())) == 1 &&
               EVP_DecryptUpdate(ctx.get(), out, &len, in, static_cast<int>(n)) == 1 &&
               EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, tag_size, tag) == 1 &&
               EVP_DecryptFinal_ex(ctx.get(), out + len, &len) == 1;
    }

    sealing_keys() = default;
    std::vector<entry> keys_;
};

} // namespace obauth::store
