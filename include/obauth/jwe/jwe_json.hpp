// JWE JSON serialization (RFC 7516 §7.2): the general syntax with several
// recipients and the flattened one; a protected header, a shared and
// per-recipient unprotected headers, and additional authenticated data.
//
// A recipient's header is the union of the three headers, which must not
// repeat a name (§7.2.1); "crit" must be protected. Decryption tries the
// recipients our key (or key set) fits, by kid and algorithm, under the
// same allow-lists and rules as the compact form: one decryption_failed for
// everything past the headers.
#pragma once

#include "jwe.hpp"

#include "../core/base64url.hpp"
#include "../core/bytes.hpp"
#include "../core/json.hpp"
#include "../core/result.hpp"
#include "../jose/jwk.hpp"
#include "../jose/jwks.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace obauth::jwe {

/// At most this many recipients are read (each may cost an RSA or ECDH
/// operation).
inline constexpr std::size_t max_recipients = 16;

struct json_recipient {
    const jose::jwk* key = nullptr; ///< its public (or shared) key; not owned
    key_management alg = key_management::RSA_OAEP_256;
    /// Its unprotected header members besides alg and kid (the kid is the
    /// key's, when it has one).
    json header = json::object();
    std::string apu, apv; ///< ECDH-ES PartyUInfo / PartyVInfo (raw octets)
};

struct encrypt_json_options {
    content_encryption enc = content_encryption::A256GCM;
    /// Protected header members besides enc (e.g. typ, cty).
    json protected_header = json::object();
    /// The shared unprotected header.
    json unprotected = json::object();
    /// Additional authenticated data (raw octets), sent as "aad".
    std::string aad;
    /// The flattened syntax (exactly one recipient).
    bool flattened = false;
};

namespace detail {

/// The names of `b` that `a` has too (the headers must be disjoint).
inline bool overlap(const json& a, const json& b) {
    for (const auto& item : b.items())
        if (a.contains(item.key()))
            return true;
    return false;
}

inline result<json> joint_header(const json& protected_header, const json& unprotected,
                                 const json& recipient) {
    if (overlap(protected_header, unprotected) || overlap(protected_header, recipient) ||
        overlap(unprotected, recipient))
        return make_error(errc::invalid_header, "a member appears in more than one header");
    if ((unprotected.contains("crit") || recipient.contains("crit")))
        return make_error(errc::invalid_header, "'crit' must be protected");
    json joint = protected_header;
    for (const json* h : {&unprotected, &recipient})
        for (const auto& item : h->items())
            joint[item.key()] = item.value();
    return joint;
}

inline result<json> object_member(const json& doc, const char* name) {
    const json* m = find_member(doc, name);
    if (m == nullptr)
        return json::object();
    if (!m->is_object())
        return make_error(errc::malformed, std::string("'") + name + "' is not an object");
    return *m;
}

inline result<bytes> string_member(const json& doc, const char* name, bool required) {
    const json* m = find_member(doc, name);
    if (m == nullptr) {
        if (required)
            return make_error(errc::malformed, std::string("'") + name + "' is missing");
        return bytes{};
    }
    const auto* s = m->get_ptr<const json::string_t*>();
    if (s == nullptr)
        return make_error(errc::malformed, std::string("'") + name + "' is not a string");
    return decode_part(*s, name);
}

/// A JSON-serialized JWE read as far as it can be without a key.
struct parsed_json {
    json protected_header, unprotected;
    std::vector<json> recipient_headers;
    std::vector<bytes> encrypted_keys;
    content_parts content;
};

inline result<parsed_json> parse_json_jwe(std::string_view text, const decrypt_options& opt) {
    if (opt.algorithms.empty() || opt.encryptions.empty())
        return make_error(errc::invalid_options, "no algorithm or encryption allowed");
    if (text.size() > opt.max_token_size)
        return make_error(errc::too_large, std::to_string(text.size()) + " characters");
    auto doc = parse_json_object(text, json_limits{opt.max_token_size, 8});
    if (!doc)
        return make_error(errc::malformed, doc.error().to_string());
    parsed_json p;
    std::string protected_b64;
    if (const json* ph = find_member(*doc, "protected")) {
        const auto* s = ph->get_ptr<const json::string_t*>();
        if (s == nullptr)
            return make_error(errc::malformed, "'protected' is not a string");
        protected_b64 = *s;
        OBAUTH_TRY(const bytes raw, decode_part(*s, "'protected'"));
        auto h = parse_json_object(bytes_view(raw).as_chars(), json_limits{16 * 1024, 8});
        if (!h)
            return make_error(errc::malformed, "protected header: " + h.error().to_string());
        p.protected_header = std::move(*h);
    } else {
        p.protected_header = json::object();
    }
    OBAUTH_TRY(p.unprotected, object_member(*doc, "unprotected"));
    auto add = [&p](const json& r) -> result<void> {
        if (!r.is_object())
            return make_error(errc::malformed, "a recipient is not an object");
        OBAUTH_TRY(json h, object_member(r, "header"));
        OBAUTH_TRY(bytes ek, string_member(r, "encrypted_key", false));
        p.recipient_headers.push_back(std::move(h));
        p.encrypted_keys.push_back(std::move(ek));
        return {};
    };
    if (const json* rs = find_member(*doc, "recipients")) {
        if (!rs->is_array() || rs->empty())
            return make_error(errc::malformed, "'recipients' is not a non-empty array");
        if (doc->contains("header") || doc->contains("encrypted_key"))
            return make_error(errc::malformed, "both the general and the flattened syntax");
        if (rs->size() > max_recipients)
            return make_error(errc::too_large, std::to_string(rs->size()) + " recipients");
        for (const auto& r : *rs)
            OBAUTH_TRY_VOID(add(r));
    } else {
        OBAUTH_TRY_VOID(add(*doc)); // flattened: the top level is the one recipient
    }
    OBAUTH_TRY(p.content.iv, string_member(*doc, "iv", false));
    OBAUTH_TRY(p.content.ciphertext, string_member(*doc, "ciphertext", true));
    OBAUTH_TRY(p.content.tag, string_member(*doc, "tag", false));
    OBAUTH_TRY(p.content.external_aad, string_member(*doc, "aad", false));
    // The AAD: ASCII(protected) || ( "." || ASCII(aad) ) (RFC 7516 §5.1 step 14).
    p.content.aad = protected_b64;
    if (const json* aad = find_member(*doc, "aad")) {
        p.content.aad += '.';
        p.content.aad += *aad->get_ptr<const json::string_t*>();
    }
    return p;
}

/// Tries every recipient that `keys_for` finds keys for; the first that
/// decrypts wins. Keys: a callable (header_fields) -> result<vector<const jwk*>>.
template <class KeysFor>
result<decrypted_jwe> decrypt_recipients(const parsed_json& p, const decrypt_options& opt,
                                         KeysFor keys_for) {
    std::optional<error_info> first;
    bool tried = false;
    for (std::size_t i = 0; i < p.recipient_headers.size(); ++i) {
        auto joint = joint_header(p.protected_header, p.unprotected, p.recipient_headers[i]);
        auto fields = joint ? read_header(*joint, opt.algorithms, opt.encryptions, opt.critical)
                            : result<header_fields>(joint.error());
        auto keys =
            fields ? keys_for(*fields) : result<std::vector<const jose::jwk*>>(fields.error());
        if (!keys) {
            if (!first || first->code == errc::key_not_found)
                first = keys.error();
            continue;
        }
        for (const jose::jwk* k : *keys) {
            auto d = jwe_access::decrypt(*fields, *joint, bytes_view(p.encrypted_keys[i]),
                                         p.content, *k);
            if (d)
                return d;
            tried = true;
            if (d.error().code != errc::decryption_failed && !first)
                first = d.error();
        }
    }
    if (tried)
        return make_error(errc::decryption_failed);
    return first ? *first : make_error(errc::key_not_found);
}

} // namespace detail

/// Decrypts a JSON-serialized JWE (general or flattened) with `key`.
inline result<decrypted_jwe> decrypt_json(std::string_view text, const jose::jwk& key,
                                          const decrypt_options& opt) {
    OBAUTH_TRY(const detail::parsed_json p, detail::parse_json_jwe(text, opt));
    return detail::decrypt_recipients(
        p, opt, [&key](const detail::header_fields& f) -> result<std::vector<const jose::jwk*>> {
            if (!f.kid.empty() && !key.kid().empty() && f.kid != key.kid())
                return make_error(errc::key_not_found, "kid " + quote(f.kid, 64));
            OBAUTH_TRY_VOID(detail::check_key(key, f.alg, true));
            return std::vector<const jose::jwk*>{&key};
        });
}

/// Decrypts a JSON-serialized JWE with the keys of `keys` its recipients name.
inline result<decrypted_jwe> decrypt_json(std::string_view text, const jose::jwks& keys,
                                          const decrypt_options& opt) {
    OBAUTH_TRY(const detail::parsed_json p, detail::parse_json_jwe(text, opt));
    return detail::decrypt_recipients(p, opt, [&](const detail::header_fields& f) {
        return detail::fitting_keys(keys, f, opt.try_all_keys);
    });
}

/// Encrypts `plaintext` to every recipient (one CEK, wrapped for each) in
/// the JSON serialization.
inline result<std::string> encrypt_json(bytes_view plaintext,
                                        const std::vector<json_recipient>& recipients,
                                        const encrypt_json_options& opt) {
    if (recipients.empty() || recipients.size() > max_recipients ||
        (opt.flattened && recipients.size() != 1))
        return make_error(errc::invalid_options, "1 to 16 recipients (flattened: exactly 1)");
    if (!opt.protected_header.is_object() || !opt.unprotected.is_object() ||
        opt.protected_header.contains("alg") || opt.protected_header.contains("enc"))
        return make_error(errc::invalid_options, "headers are objects; alg and enc are set here");
    json protected_header = opt.protected_header;
    protected_header["enc"] = std::string(to_string(opt.enc));
    const auto& e = info(opt.enc);
    // One recipient with dir or ECDH-ES determines the CEK; else it is fresh.
    const bool direct = recipients.size() == 1 && recipients[0].key != nullptr &&
                        (info(recipients[0].alg).family == key_family::direct ||
                         recipients[0].alg == key_management::ECDH_ES);
    secret cek;
    if (!direct) {
        OBAUTH_TRY(cek, random_secret(e.cek_size));
    }
    json out_recipients = json::array();
    for (const auto& r : recipients) {
        if (r.key == nullptr || !r.header.is_object())
            return make_error(errc::invalid_options, "a recipient without a key");
        json h = r.header;
        h["alg"] = std::string(to_string(r.alg));
        if (!r.key->kid().empty())
            h["kid"] = r.key->kid();
        OBAUTH_TRY(detail::sender_keys keys,
                   detail::make_cek(*r.key, r.alg, opt.enc, bytes_view(r.apu), bytes_view(r.apv), h,
                                    direct ? nullptr : &cek));
        OBAUTH_TRY_VOID(detail::joint_header(protected_header, opt.unprotected, h));
        if (direct)
            cek = std::move(keys.cek);
        json entry = {{"header", std::move(h)}};
        if (!keys.encrypted_key.empty())
            entry["encrypted_key"] = base64url_encode(bytes_view(keys.encrypted_key));
        out_recipients.push_back(std::move(entry));
    }
    const std::string protected_b64 = base64url_encode(bytes_view(protected_header.dump()));
    std::string aad_text = protected_b64;
    if (!opt.aad.empty()) {
        aad_text += '.';
        base64url_encode_append(bytes_view(opt.aad), aad_text);
    }
    OBAUTH_TRY(const secret iv, random_secret(e.iv_size));
    unsigned char tag[32];
    OBAUTH_TRY(const std::string ciphertext,
               detail::encrypt_content(opt.enc, cek.expose_secret(), iv.expose_secret(),
                                       bytes_view(aad_text), plaintext, tag));
    json doc = {{"protected", protected_b64},
                {"iv", base64url_encode(iv.expose_secret())},
                {"ciphertext", base64url_encode(bytes_view(ciphertext))},
                {"tag", base64url_encode(bytes_view(tag, e.tag_size))}};
    if (!opt.unprotected.empty())
        doc["unprotected"] = opt.unprotected;
    if (!opt.aad.empty())
        doc["aad"] = base64url_encode(bytes_view(opt.aad));
    if (opt.flattened) {
        for (const auto& item : out_recipients[0].items())
            doc[item.key()] = item.value();
    } else {
        doc["recipients"] = std::move(out_recipients);
    }
    return doc.dump();
}

} // namespace obauth::jwe
