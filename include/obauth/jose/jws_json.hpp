// JWS JSON serialization, general and flattened: RFC 7515 §7.2, with
// detached content (Appendix F) and unencoded payloads (RFC 7797 §3, §5.3).
//
// "alg" must be in the protected header of every signature (stricter than
// RFC 7515, which lets it travel unprotected); "crit" and "b64" too. The
// protected and unprotected headers must not share a name. Verification
// succeeds when one signature verifies with a key the caller trusts; the
// unprotected header is used only to select a key (its kid), never trusted.
#pragma once

#include "detail/jwks_impl.hpp"
#include "detail/jws_impl.hpp"
#include "jwks.hpp"
#include "jws.hpp"
#include "jws_sign_options.hpp"

#include "../core/base64url.hpp"
#include "../core/json.hpp"
#include "../core/result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace obauth::jose {

/// One signature of a JSON-serialized JWS.
struct jws_json_signer {
    const jwk* key = nullptr;
    jws_sign_options options; ///< b64 and detached must agree across signers
    json unprotected = json::object();
};

inline constexpr std::size_t max_json_signatures = 16;

/// Signs `payload` for every signer. `flattened` (one signer only) gives the
/// flattened form; otherwise the general form with a "signatures" array.
inline result<std::string>
sign_json(bytes_view payload, const std::vector<jws_json_signer>& signers, bool flattened = false) {
    if (signers.empty() || signers.size() > max_json_signatures)
        return make_error(errc::malformed, "1 to 16 signers");
    if (flattened && signers.size() != 1)
        return make_error(errc::malformed, "the flattened form has one signature");
    const bool b64 = signers.front().options.b64;
    const bool detached = signers.front().options.detached;
    json sigs = json::array();
    for (const auto& s : signers) {
        if (s.key == nullptr)
            return make_error(errc::invalid_key, "signer without a key");
        if (s.options.b64 != b64 || s.options.detached != detached)
            return make_error(errc::invalid_b64, "b64 and detached must agree across signatures");
        algorithm alg{};
        if (s.options.alg) {
            alg = *s.options.alg;
        } else {
            OBAUTH_TRY(alg, s.key->default_algorithm());
        }
        OBAUTH_TRY_VOID(s.key->check_usable(alg, key_operation::sign));
        if (!s.unprotected.is_object())
            return make_error(errc::invalid_header, "unprotected header is not an object");
        std::string header_text;
        OBAUTH_TRY_VOID(detail::write_header(
            to_string(alg), s.options.include_kid ? s.key->kid() : "", s.options.typ, s.options.b64,
            s.options.critical, s.options.extra_header, header_text));
        // The protected header's names, which the unprotected one must not repeat.
        const auto in_protected = [&s](const std::string& name) {
            return name == "alg" || name == "b64" || name == "crit" ||
                   (s.options.extra_header.is_object() && s.options.extra_header.contains(name)) ||
                   (name == "kid" && s.options.include_kid && !s.key->kid().empty()) ||
                   (name == "typ" && s.options.typ.has_value());
        };
        for (const auto& [name, value] : s.unprotected.items()) {
            (void)value;
            if (in_protected(name))
                return make_error(errc::invalid_header,
                                  "'" + name.substr(0, 64) + "' in both headers");
        }
        std::string input = base64url_encode(header_text);
        const std::size_t header_len = input.size();
        input += '.';
        if (b64)
            base64url_encode_append(payload, input);
        else
            input.append(payload.as_chars());
        unsigned char sig[detail::max_signature_size];
        OBAUTH_TRY(const std::size_t n, detail::sign_raw(s.key->data(), alg, input, sig));
        json entry = {{"protected", input.substr(0, header_len)},
                      {"signature", base64url_encode(bytes_view(sig, n))}};
        if (!s.unprotected.empty())
            entry["header"] = s.unprotected;
        sigs.push_back(std::move(entry));
    }
    json out = json::object();
    if (!detached) {
        if (b64)
            out["payload"] = base64url_encode(payload);
        else
            out["payload"] = std::string(payload.as_chars());
    }
    if (flattened) {
        for (auto& [name, value] : sigs.front().items())
            out[name] = value;
    } else {
        out["signatures"] = std::move(sigs);
    }
    return serialize_json(out);
}

namespace detail {

/// The signature entries: the "signatures" array, or the document itself
/// in the flattened form. Each entry's own members are checked when that
/// signature is tried, so one unusable signature does not spoil the others.
inline result<std::vector<const json*>> json_signatures(const json& doc) {
    std::vector<const json*> out;
    if (const json* sigs = find_member(doc, "signatures")) {
        if (find_member(doc, "signature") || find_member(doc, "protected") ||
            find_member(doc, "header"))
            return make_error(errc::malformed, "both general and flattened members");
        if (!sigs->is_array() || sigs->empty() || sigs->size() > max_json_signatures)
            return make_error(errc::malformed, "'signatures' is not an array of 1 to 16");
        for (const json& e : *sigs) {
            if (!e.is_object())
                return make_error(errc::malformed, "signature entry is not an object");
            out.push_back(&e);
        }
    } else {
        if (find_member(doc, "signature") == nullptr)
            return make_error(errc::malformed, "neither 'signatures' nor 'signature'");
        out.push_back(&doc);
    }
    return out;
}

/// RFC 7797 §3: every signature of one document uses the same b64 value.
/// Checked over all of them before any is verified: otherwise the signed
/// content would depend on which signature happens to verify first. A
/// protected header that cannot be decoded fails on its own later.
inline result<void> check_b64_agreement(const std::vector<const json*>& sigs,
                                        const jws_verify_options& opt) {
    std::optional<member_kind> first;
    for (const json* entry : sigs) {
        const json* p = find_member(*entry, "protected");
        if (p == nullptr || !p->is_string())
            continue;
        decoded_header header;
        if (!decode_header(*p->get_ptr<const json::string_t*>(), opt.header_limits, 0, header))
            continue;
        // Absent means true (RFC 7797 §3).
        const member_kind b64 = header.summary.b64_kind == member_kind::absent
                                    ? member_kind::boolean_true
                                    : header.summary.b64_kind;
        if (first && *first != b64)
            return make_error(errc::invalid_b64, "b64 differs between signatures");
        first = b64;
    }
    return {};
}

template <class Candidates>
result<verified_jws> verify_json_with(std::string_view text, const bytes_view* detached,
                                      const jws_verify_options& opt, Candidates candidates) {
    if (text.size() > opt.max_token_size)
        return make_error(errc::too_large,
                          "JWS over " + std::to_string(opt.max_token_size) + " bytes");
    auto doc = parse_json_object(text, json_limits{opt.max_token_size, 16});
    if (!doc)
        return make_error(errc::malformed, doc.error().to_string());
    OBAUTH_TRY(const auto sigs, json_signatures(*doc));
    auto payload_member = get_optional_string(*doc, "payload");
    if (!payload_member)
        return make_error(errc::malformed, "'payload' is not a string");
    // Detached content omits "payload" (RFC 7515 Appendix F); an empty one
    // is accepted too, as in the compact form (some libraries emit it).
    if (detached != nullptr && payload_member->has_value() && !(*payload_member)->empty())
        return make_error(errc::malformed, "detached JWS with a payload");
    if (detached == nullptr && !payload_member->has_value())
        return make_error(errc::malformed, "no payload (detached content needs the payload)");

    OBAUTH_TRY_VOID(check_b64_agreement(sigs, opt));
    std::optional<error_info> first_error;
    for (const json* entry : sigs) {
        auto attempt = [&]() -> result<verified_jws> {
            auto protected_b64 = get_string(*entry, "protected");
            if (!protected_b64)
                return make_error(errc::invalid_header, "no protected header (alg must be in it)");
            auto signature_b64 = get_string(*entry, "signature");
            if (!signature_b64)
                return make_error(errc::malformed, "'signature' is not a string");
            const json empty = json::object();
            const json* unprot_member = find_member(*entry, "header");
            if (unprot_member != nullptr && !unprot_member->is_object())
                return make_error(errc::invalid_header, "'header' is not an object");
            const json& unprot = unprot_member != nullptr ? *unprot_member : empty;
            if (find_member(unprot, "alg"))
                return make_error(errc::invalid_header, "'alg' outside the protected header");
            if (find_member(unprot, "crit"))
                return make_error(errc::invalid_crit, "'crit' outside the protected header");
            if (find_member(unprot, "b64"))
                return make_error(errc::invalid_b64, "'b64' outside the protected header");
            decoded_header header;
            const std::size_t payload_room =
                detached != nullptr ? detached->size() : (*payload_member)->size();
            OBAUTH_TRY_VOID(decode_header(*protected_b64, opt.header_limits, payload_room, header));
            for (const auto& [name, value] : unprot.items()) {
                (void)value;
                if (header.summary.has(name))
                    return make_error(errc::invalid_header,
                                      "'" + name.substr(0, 64) + "' in both headers");
            }
            OBAUTH_TRY(const auto facts,
                       check_header(header.summary, opt.algorithms, opt.critical));
            std::string input(*protected_b64);
            input += '.';
            if (detached != nullptr && facts.b64)
                base64url_encode_append(*detached, input);
            else if (detached != nullptr)
                input.append(detached->as_chars());
            else
                input.append(**payload_member);
            // The kid selects a key; from the unprotected header it is only a hint.
            std::string_view kid = header.summary.kid;
            bool has_kid = header.summary.kid_kind == member_kind::string;
            if (!has_kid) {
                if (const json* k = find_member(unprot, "kid")) {
                    if (!k->is_string())
                        return make_error(errc::invalid_header, "kid is not a string");
                    kid = *k->get_ptr<const json::string_t*>();
                    has_kid = true;
                }
            }
            OBAUTH_TRY_VOID(verify_any(facts, kid, has_kid, input, *signature_b64, candidates));
            if (detached != nullptr) {
                OBAUTH_TRY_VOID(append_payload(header, detached->as_chars(), false));
            } else {
                OBAUTH_TRY_VOID(append_payload(header, **payload_member, facts.b64));
            }
            return jws_access::make(facts.alg, std::move(header), unprot);
        };
        auto r = attempt();
        if (r)
            return r;
        // A signature that a trusted key rejects outranks "not for my key".
        auto decisive = [](const error_info& e) {
            return e.code == errc::invalid_signature || e.code == errc::malformed_signature;
        };
        if (!first_error || (decisive(r.error()) && !decisive(*first_error)))
            first_error = std::move(r).error();
    }
    return *first_error;
}

} // namespace detail

/// Verifies a JSON-serialized JWS (general or flattened) with `key`.
inline result<verified_jws> verify_json(std::string_view text, const jwk& key,
                                        const jws_verify_options& opt) {
    return detail::verify_json_with(text, nullptr, opt, detail::single_key{&key});
}
inline result<verified_jws> verify_json(std::string_view text, const jwks& set,
                                        const jws_verify_options& opt) {
    return detail::verify_json_with(text, nullptr, opt,
                                    detail::key_set_candidates{&set, opt.try_all_keys});
}
/// The same, with the payload given separately (RFC 7515 Appendix F).
inline result<verified_jws> verify_json_detached(std::string_view text, bytes_view payload,
                                                 const jwk& key, const jws_verify_options& opt) {
    return detail::verify_json_with(text, &payload, opt, detail::single_key{&key});
}
inline result<verified_jws> verify_json_detached(std::string_view text, bytes_view payload,
                                                 const jwks& set, const jws_verify_options& opt) {
    return detail::verify_json_with(text, &payload, opt,
                                    detail::key_set_candidates{&set, opt.try_all_keys});
}

} // namespace obauth::jose
