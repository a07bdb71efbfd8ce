// JSON Web Encryption (RFC 7516), compact serialization: encrypt to a
// recipient's key, and decrypt with the caller's key (or key set) under an
// allow-list of key management and content encryption algorithms.
//
// Decryption: the header is read first (alg and enc must be allowed; "zip"
// and unknown "crit" members refused), then the key is checked for the
// algorithm (type, size, curve, its own "alg", "use": "enc", key_ops), the
// CEK recovered and the content decrypted. The header never chooses the key:
// a kid only selects among the caller's keys. Every failure past the header
// is errc::decryption_failed with no detail (no padding or unwrap oracle).
// The plaintext is a secret (wiped when freed): ID tokens and userinfo are
// personal data.
#pragma once

#include "algorithm.hpp"
#include "detail/key_management.hpp"
#include "error.hpp"

#include "../core/base64url.hpp"
#include "../core/bytes.hpp"
#include "../core/json.hpp"
#include "../core/result.hpp"
#include "../core/secret.hpp"
#include "../jose/jwk.hpp"
#include "../jose/jwks.hpp"

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace obauth::jwe {

struct encrypt_options {
    key_management alg = key_management::RSA_OAEP_256;
    content_encryption enc = content_encryption::A256GCM;
    std::optional<std::string> typ; ///< e.g. "JWT"
    std::optional<std::string> cty; ///< "JWT" for a nested JWT (RFC 7519 §5.2)
    /// Put the recipient key's kid (when it has one) into the header.
    bool include_kid = true;
    /// ECDH-ES: PartyUInfo and PartyVInfo (raw octets, sent as apu / apv).
    std::string apu, apv;
};

struct decrypt_options {
    key_management_set algorithms;      ///< required: the allowed "alg" values
    content_encryption_set encryptions; ///< required: the allowed "enc" values
    std::size_t max_token_size = 256 * 1024;
    /// Header members the caller understands when "crit" names them.
    std::vector<std::string> critical;
    /// Key sets: a JWE without a kid is tried with each fitting key (else
    /// refused when more than one fits).
    bool try_all_keys = false;
};

class decrypted_jwe;
namespace detail {
struct jwe_access;
}

class decrypted_jwe {
public:
    key_management alg() const noexcept { return alg_; }
    content_encryption enc() const noexcept { return enc_; }
    /// The header: the protected one (compact), or the union of the
    /// protected, shared and recipient's headers (JSON serialization).
    const json& header() const noexcept { return header_; }
    /// The decrypted content (a nested JWT's compact form, JSON, ...).
    const secret& plaintext() const noexcept { return plaintext_; }
    /// JSON serialization: the additional authenticated data ("aad",
    /// decoded); empty otherwise.
    const bytes& aad() const noexcept { return aad_; }

private:
    friend struct detail::jwe_access;
    decrypted_jwe() = default;
    key_management alg_{};
    content_encryption enc_{};
    json header_;
    bytes aad_;
    secret plaintext_;
};

namespace detail {

/// What the content decryption needs besides the CEK: the IV, ciphertext
/// and tag, and the additional authenticated data as ASCII.
struct content_parts {
    bytes iv, ciphertext, tag;
    std::string aad;
    bytes external_aad; ///< JSON serialization: the decoded "aad" member
};

/// The five parts of a compact JWE.
struct compact_parts {
    std::string_view header, encrypted_key, iv, ciphertext, tag;
};

inline result<compact_parts> split(std::string_view token) {
    std::array<std::string_view, 5> p;
    std::size_t start = 0;
    for (std::size_t i = 0; i < 5; ++i) {
        const std::size_t dot = i < 4 ? token.find('.', start) : token.size();
        if (dot == std::string_view::npos)
            return make_error(errc::malformed, "not five parts");
        p[i] = token.substr(start, dot - start);
        start = dot + 1;
    }
    if (p[4].find('.') != std::string_view::npos)
        return make_error(errc::malformed, "more than five parts");
    return compact_parts{p[0], p[1], p[2], p[3], p[4]};
}

inline result<bytes> decode_part(std::string_view text, const char* name) {
    auto b = base64url_decode(text);
    if (!b)
        return make_error(errc::malformed, std::string(name) + " is not base64url");
    return std::move(*b);
}

/// A compact JWE read as far as it can be without a key.
struct parsed_compact {
    compact_parts parts;
    json header;
    header_fields fields;
    bytes encrypted_key;
    content_parts content;
};

inline result<parsed_compact> parse_compact(std::string_view token, const decrypt_options& opt) {
    if (opt.algorithms.empty() || opt.encryptions.empty())
        return make_error(errc::invalid_options, "no algorithm or encryption allowed");
    if (token.size() > opt.max_token_size)
        return make_error(errc::too_large, std::to_string(token.size()) + " characters");
    parsed_compact c;
    OBAUTH_TRY(c.parts, split(token));
    OBAUTH_TRY(const bytes header_text, decode_part(c.parts.header, "the header"));
    auto header = parse_json_object(bytes_view(header_text).as_chars(), json_limits{16 * 1024, 8});
    if (!header)
        return make_error(errc::malformed, "header: " + header.error().to_string());
    c.header = std::move(*header);
    OBAUTH_TRY(c.fields, read_header(c.header, opt.algorithms, opt.encryptions, opt.critical));
    OBAUTH_TRY(c.encrypted_key, decode_part(c.parts.encrypted_key, "the encrypted key"));
    OBAUTH_TRY(c.content.iv, decode_part(c.parts.iv, "the IV"));
    OBAUTH_TRY(c.content.ciphertext, decode_part(c.parts.ciphertext, "the ciphertext"));
    OBAUTH_TRY(c.content.tag, decode_part(c.parts.tag, "the tag"));
    // The additional authenticated data: the header as sent (ASCII).
    c.content.aad = std::string(c.parts.header);
    return c;
}

struct jwe_access {
    /// On success `header` moves into the result (a caller may try several
    /// keys with one header: only the winner takes it).
    static result<decrypted_jwe> decrypt(const header_fields& fields, json& header,
                                         bytes_view encrypted_key, const content_parts& c,
                                         const jose::jwk& key) {
        OBAUTH_TRY(const secret cek, recover_cek(key, fields, encrypted_key));
        OBAUTH_TRY(secret plaintext,
                   decrypt_content(fields.enc, cek.expose_secret(), bytes_view(c.iv),
                                   bytes_view(c.aad), bytes_view(c.ciphertext), bytes_view(c.tag)));
        decrypted_jwe d;
        d.alg_ = fields.alg;
        d.enc_ = fields.enc;
        d.header_ = std::move(header);
        d.aad_ = c.external_aad;
        d.plaintext_ = std::move(plaintext);
        return d;
    }
    static result<decrypted_jwe> decrypt(parsed_compact& c, const jose::jwk& key) {
        return decrypt(c.fields, c.header, bytes_view(c.encrypted_key), c.content, key);
    }
};

/// The keys of `keys` that fit a recipient: those its kid names (all that
/// fit `alg` without a kid; more than one only with try_all_keys).
inline result<std::vector<const jose::jwk*>>
fitting_keys(const jose::jwks& keys, const header_fields& f, bool try_all_keys) {
    std::vector<const jose::jwk*> fit;
    for (const auto& k : keys.keys())
        if ((f.kid.empty() || k.kid() == f.kid) && check_key(k, f.alg, true))
            fit.push_back(&k);
    if (fit.empty())
        return make_error(errc::key_not_found, f.kid.empty() ? std::string("no key fits ") +
                                                                   std::string(to_string(f.alg))
                                                             : "kid " + quote(f.kid, 64));
    if (fit.size() > 1 && !try_all_keys)
        return make_error(errc::key_not_found, "several keys fit and the JWE names none");
    return fit;
}

} // namespace detail

/// The key of `keys` (a server's published set) to encrypt to with `alg`:
/// the first that is marked for encryption -- "use": "enc", a JWE "alg" or
/// "key_ops" -- and fits the algorithm (type, curve, size, its own alg).
/// A key marked for nothing is never taken: it may be a signing key.
inline result<const jose::jwk*> select_recipient(const jose::jwks& keys, key_management alg) {
    for (const auto& k : keys.keys()) {
        const bool marked = (k.use() && *k.use() == "enc") || k.jwe_alg() || !k.key_ops().empty();
        if (marked && detail::check_key(k, alg, false))
            return &k;
    }
    return make_error(errc::key_not_found,
                      "no key marked for encryption fits " + std::string(to_string(alg)));
}

/// Decrypts a compact JWE with `key`.
inline result<decrypted_jwe> decrypt_compact(std::string_view token, const jose::jwk& key,
                                             const decrypt_options& opt) {
    OBAUTH_TRY(detail::parsed_compact c, detail::parse_compact(token, opt));
    return detail::jwe_access::decrypt(c, key);
}

/// Decrypts a compact JWE with the key of `keys` its kid names (or, without
/// a kid, the one key that fits; see decrypt_options::try_all_keys).
inline result<decrypted_jwe> decrypt_compact(std::string_view token, const jose::jwks& keys,
                                             const decrypt_options& opt) {
    OBAUTH_TRY(detail::parsed_compact c, detail::parse_compact(token, opt));
    OBAUTH_TRY(const auto fit, detail::fitting_keys(keys, c.fields, opt.try_all_keys));
    result<decrypted_jwe> r = make_error(errc::decryption_failed);
    for (const jose::jwk* k : fit) {
        r = detail::jwe_access::decrypt(c, *k);
        if (r || r.error().code != errc::decryption_failed)
            return r;
    }
    return r;
}

/// Encrypts `plaintext` to `recipient` (its public key, or the shared key
/// for AES key wrap and dir) as a compact JWE.
inline result<std::string> encrypt_compact(bytes_view plaintext, const jose::jwk& recipient,
                                           const encrypt_options& opt) {
    json header = json::object();
    header["alg"] = std::string(to_string(opt.alg));
    header["enc"] = std::string(to_string(opt.enc));
    if (opt.include_kid && !recipient.kid().empty())
        header["kid"] = recipient.kid();
    if (opt.typ)
        header["typ"] = *opt.typ;
    if (opt.cty)
        header["cty"] = *opt.cty;
    OBAUTH_TRY(const detail::sender_keys keys,
               detail::make_cek(recipient, opt.alg, opt.enc, bytes_view(opt.apu),
                                bytes_view(opt.apv), header));
    const auto& e = info(opt.enc);
    OBAUTH_TRY(const secret iv, random_secret(e.iv_size));
    const std::string protected_b64 = base64url_encode(bytes_view(header.dump()));
    unsigned char tag[32];
    OBAUTH_TRY(const std::string ciphertext,
               detail::encrypt_content(opt.enc, keys.cek.expose_secret(), iv.expose_secret(),
                                       bytes_view(protected_b64), plaintext, tag));
    std::string out = protected_b64;
    out += '.';
    base64url_encode_append(bytes_view(keys.encrypted_key), out);
    out += '.';
    base64url_encode_append(iv.expose_secret(), out);
    out += '.';
    base64url_encode_append(bytes_view(ciphertext), out);
    out += '.';
    base64url_encode_append(bytes_view(tag, e.tag_size), out);
    return out;
}

} // namespace obauth::jwe
