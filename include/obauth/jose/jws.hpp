// JSON Web Signature, compact serialization: RFC 7515 §3.1, §5, §7.1 and
// Appendix F (detached content), RFC 7797 (unencoded payload, b64=false).
//
// Verification trusts nothing from the header: the caller pins the allowed
// algorithms and supplies the key; `jwk`, `jku`, `x5u` and `x5c` header
// members are ignored. The signature is checked over the bytes received.
// `crit` is processed as RFC 7515 §4.1.11 requires; `b64` is honoured only
// in the protected header and only when listed in `crit`. Only a verifier
// can construct a verified_jws.
#pragma once

#include "algorithm.hpp"
#include "detail/signature.hpp"
#include "error.hpp"
#include "jwk.hpp"

#include "../core/base64url.hpp"
#include "../core/json.hpp"
#include "../core/result.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace obauth::jose {

struct jws_sign_options {
    /// Defaults to the key's pinned (or only possible) algorithm.
    std::optional<algorithm> alg;
    /// "typ" header value, e.g. "JWT" or "at+jwt"; none by default.
    std::optional<std::string> typ;
    /// Put the key's kid (if it has one) into the header.
    bool include_kid = true;
    /// Further protected header members (for example extension values that
    /// are also listed in "crit"). Must not set alg, kid, b64 or crit.
    json extra_header = json::object();
    /// Extension names to list in "crit" (their values go in extra_header).
    std::vector<std::string> critical;
    /// RFC 7797: sign the payload unencoded (adds b64:false and crit b64).
    bool b64 = true;
    /// RFC 7515 Appendix F: leave the payload out of the serialization.
    bool detached = false;
};

struct jws_verify_options {
    /// The allow-list; an empty set allows nothing.
    algorithm_set algorithms;
    /// Extension header names the caller understands and processes itself
    /// (e.g. "http://openbanking.org.uk/iat"); "b64" is understood here.
    std::vector<std::string> critical;
    std::size_t max_token_size = 256 * 1024;
    json_limits header_limits{16 * 1024, 8};
    /// With a key set: when the kid matches no key (or is absent and several
    /// keys fit), try every key usable with the token's (allowed) algorithm
    /// instead of failing. Off by default.
    bool try_all_keys = false;
};

namespace detail {
struct jws_access;
}

class verified_jws {
public:
    algorithm alg() const noexcept { return alg_; }
    /// The protected header.
    const json& header() const noexcept { return header_; }
    /// The unprotected header of the JSON serialization (empty otherwise);
    /// not integrity-protected, so never a source of trust.
    const json& unprotected_header() const noexcept { return unprotected_; }
    /// The payload octets (decoded, or as received for b64=false).
    const std::string& payload() const noexcept { return payload_; }
    /// The kid (protected header first, then unprotected), or empty.
    std::string_view kid() const noexcept {
        const auto* k = find_member(header_, "kid");
        if (k == nullptr)
            k = find_member(unprotected_, "kid");
        return k && k->is_string() ? std::string_view(*k->get_ptr<const json::string_t*>())
                                   : std::string_view();
    }

private:
    friend struct detail::jws_access;
    verified_jws(algorithm a, json h, std::string p, json u)
        : alg_(a), header_(std::move(h)), unprotected_(std::move(u)), payload_(std::move(p)) {}
    algorithm alg_;
    json header_;
    json unprotected_;
    std::string payload_;
};

namespace detail {

/// The one way to construct a verified_jws; used only by the verifiers.
struct jws_access {
    static verified_jws make(algorithm a, json h, std::string p, json u = json::object()) {
        return verified_jws(a, std::move(h), std::move(p), std::move(u));
    }
};

inline bool is_registered_header(std::string_view n) noexcept {
    // RFC 7515 §4.1 and RFC 7516 §4.1: not allowed in "crit".
    for (const char* r :
         {"alg",  "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty",
          "crit", "enc", "zip", "epk", "apu", "apv", "iv",  "tag",      "p2s", "p2c"})
        if (n == r)
            return true;
    return false;
}

struct header_facts {
    algorithm alg;
    bool b64 = true;
};

/// Checks a protected header (and, for the JSON serialization, the
/// unprotected one) against the caller's options and the key's type.
inline result<header_facts> check_header(const json& prot, const json* unprot,
                                         const jws_verify_options& opt) {
    auto alg_name = get_string(prot, "alg");
    if (!alg_name)
        return make_error(errc::invalid_header, "protected header: " + alg_name.error().detail);
    OBAUTH_TRY(const algorithm alg, parse_algorithm(*alg_name));
    if (!opt.algorithms.contains(alg))
        return make_error(errc::algorithm_not_allowed, std::string(to_string(alg)));
    if (const json* kid = find_member(prot, "kid")) {
        if (!kid->is_string() || kid->get_ptr<const json::string_t*>()->size() > max_kid_length)
            return make_error(errc::invalid_header,
                              "kid is not a string of at most 256 characters");
    }
    if (unprot) {
        for (const char* n : {"crit", "b64", "alg"})
            if (find_member(*unprot, n))
                return make_error(n[0] == 'b' ? errc::invalid_b64 : errc::invalid_crit,
                                  std::string("'") + n + "' outside the protected header");
    }
    header_facts facts{alg, true};
    const json* crit = find_member(prot, "crit");
    bool b64_critical = false;
    if (crit) {
        if (!crit->is_array() || crit->empty())
            return make_error(errc::invalid_crit, "crit is not a non-empty array");
        std::vector<std::string_view> seen;
        for (const auto& c : *crit) {
            const auto* name = c.get_ptr<const json::string_t*>();
            if (name == nullptr)
                return make_error(errc::invalid_crit, "crit holds a non-string");
            if (std::find(seen.begin(), seen.end(), *name) != seen.end())
                return make_error(errc::invalid_crit, "crit lists a name twice");
            seen.emplace_back(*name);
            if (is_registered_header(*name))
                return make_error(errc::invalid_crit, "crit lists a registered name");
            if (find_member(prot, *name) == nullptr)
                return make_error(errc::invalid_crit, "crit lists a name absent from the header");
            if (*name == "b64") {
                b64_critical = true;
                continue;
            }
            if (std::find(opt.critical.begin(), opt.critical.end(), *name) == opt.critical.end())
                return make_error(errc::unsupported_critical,
                                  "'" + name->substr(0, 64) + "' is not understood");
        }
    }
    if (const json* b64 = find_member(prot, "b64")) {
        if (!b64->is_boolean())
            return make_error(errc::invalid_b64, "b64 is not a boolean");
        if (!b64_critical)
            return make_error(errc::invalid_b64, "b64 is not listed in crit");
        facts.b64 = *b64->get_ptr<const json::boolean_t*>();
    }
    return facts;
}

inline result<json> decode_header(std::string_view b64, const json_limits& limits) {
    auto text = base64url_decode_to_string(b64);
    if (!text)
        return make_error(errc::malformed, "header: " + text.error().to_string());
    auto j = parse_json_object(*text, limits);
    if (!j)
        return make_error(errc::invalid_header, j.error().to_string());
    return j;
}

inline result<void> decode_signature(std::string_view b64, unsigned char* out, std::size_t& len) {
    auto n = base64url_decode_into(b64, out, max_signature_size);
    if (!n)
        return make_error(errc::malformed_signature, n.error().to_string());
    len = *n;
    return {};
}

/// Shared by the compact and JSON verifiers: header checks, key checks,
/// the signature over `signing_input`.
inline result<void> verify_parts(const header_facts& facts, const jwk& key,
                                 std::string_view signing_input, std::string_view sig_b64) {
    OBAUTH_TRY_VOID(key.check_usable(facts.alg, key_operation::verify));
    unsigned char sig[max_signature_size];
    std::size_t sig_len = 0;
    OBAUTH_TRY_VOID(decode_signature(sig_b64, sig, sig_len));
    return verify_raw(key.data(), facts.alg, signing_input, bytes_view(sig, sig_len));
}

struct compact_parts {
    std::string_view header, payload, signature, signing_input;
};

inline result<compact_parts> split_compact(std::string_view token, std::size_t max_size) {
    if (token.size() > max_size)
        return make_error(errc::too_large, "token over " + std::to_string(max_size) + " bytes");
    const auto d1 = token.find('.');
    const auto d2 = d1 == std::string_view::npos ? d1 : token.find('.', d1 + 1);
    if (d2 == std::string_view::npos || token.find('.', d2 + 1) != std::string_view::npos)
        return make_error(errc::malformed, "compact JWS has three dot-separated parts");
    return compact_parts{token.substr(0, d1), token.substr(d1 + 1, d2 - d1 - 1),
                         token.substr(d2 + 1), token.substr(0, d2)};
}

inline result<json> make_header(const jwk& key, algorithm alg, const jws_sign_options& opt) {
    if (!opt.extra_header.is_object())
        return make_error(errc::invalid_header, "extra_header is not an object");
    json h = opt.extra_header;
    for (const char* reserved : {"alg", "b64", "crit"})
        if (h.contains(reserved))
            return make_error(errc::invalid_header,
                              std::string("'") + reserved + "' is set by the signer");
    h["alg"] = std::string(to_string(alg));
    if (opt.typ)
        h["typ"] = *opt.typ;
    if (opt.include_kid && !key.kid().empty())
        h["kid"] = key.kid();
    std::vector<std::string> crit = opt.critical;
    if (!opt.b64) {
        h["b64"] = false;
        crit.insert(crit.begin(), "b64");
    }
    for (const auto& c : crit) {
        if (is_registered_header(c) || (c != "b64" && !h.contains(c)))
            return make_error(errc::invalid_crit,
                              "crit name '" + c.substr(0, 64) + "' is registered or has no value");
    }
    if (!crit.empty())
        h["crit"] = crit;
    return h;
}

} // namespace detail

/// Signs `payload` into a compact JWS.
inline result<std::string> sign_compact(bytes_view payload, const jwk& key,
                                        const jws_sign_options& opt = {}) {
    algorithm alg{};
    if (opt.alg) {
        alg = *opt.alg;
    } else {
        OBAUTH_TRY(alg, key.default_algorithm());
    }
    OBAUTH_TRY_VOID(key.check_usable(alg, key_operation::sign));
    OBAUTH_TRY(const json header, detail::make_header(key, alg, opt));
    OBAUTH_TRY(const std::string header_text, serialize_json(header));
    if (!opt.b64 && !opt.detached && payload.as_chars().find('.') != std::string_view::npos)
        return make_error(errc::invalid_b64, "unencoded payload with '.' must be detached");

    const std::size_t sig_size = detail::signature_size(key.data(), alg);
    std::string out;
    out.reserve(base64url_encoded_size(header_text.size()) + 2 +
                (opt.b64 ? base64url_encoded_size(payload.size()) : payload.size()) +
                base64url_encoded_size(sig_size));
    base64url_encode_append(header_text, out);
    out += '.';
    if (opt.b64)
        base64url_encode_append(payload, out);
    else
        out.append(payload.as_chars());
    unsigned char sig[detail::max_signature_size];
    OBAUTH_TRY(const std::size_t sig_len, detail::sign_raw(key.data(), alg, out, sig));
    if (opt.detached)
        out.resize(out.find('.') + 1);
    out += '.';
    base64url_encode_append(bytes_view(sig, sig_len), out);
    return out;
}

namespace detail {

/// Tries the candidate keys for `header` until one verifies.
template <class Candidates>
result<void> verify_any(const header_facts& facts, const json& header, std::string_view input,
                        std::string_view sig_b64, Candidates& candidates) {
    OBAUTH_TRY(const auto keys, candidates(header, facts.alg));
    error_info last = make_error(errc::key_not_found);
    for (const jwk* key : keys) {
        auto r = verify_parts(facts, *key, input, sig_b64);
        if (r)
            return r;
        last = std::move(r).error();
    }
    return last;
}

/// Verification of a compact JWS shared by every entry point. `candidates`
/// maps (header, algorithm) to the keys to try; `detached` is the payload
/// when it travels separately.
template <class Candidates>
result<verified_jws> verify_compact_with(std::string_view token, const bytes_view* detached,
                                         const jws_verify_options& opt, Candidates candidates) {
    OBAUTH_TRY(const auto parts, split_compact(token, opt.max_token_size));
    if (detached != nullptr && !parts.payload.empty())
        return make_error(errc::malformed, "detached JWS with a payload part");
    OBAUTH_TRY(json header, decode_header(parts.header, opt.header_limits));
    OBAUTH_TRY(const auto facts, check_header(header, nullptr, opt));
    std::string detached_input;
    std::string_view input = parts.signing_input;
    if (detached != nullptr) {
        detached_input.assign(parts.header);
        detached_input += '.';
        if (facts.b64)
            base64url_encode_append(*detached, detached_input);
        else
            detached_input.append(detached->as_chars());
        input = detached_input;
    }
    OBAUTH_TRY_VOID(verify_any(facts, header, input, parts.signature, candidates));
    std::string payload;
    if (detached != nullptr) {
        payload.assign(detached->as_chars());
    } else if (facts.b64) {
        auto p = base64url_decode_to_string(parts.payload);
        if (!p)
            return make_error(errc::malformed, "payload: " + p.error().to_string());
        payload = std::move(*p);
    } else {
        payload.assign(parts.payload);
    }
    return jws_access::make(facts.alg, std::move(header), std::move(payload));
}

struct single_key {
    const jwk* key;
    result<std::vector<const jwk*>> operator()(const json&, algorithm) const {
        return std::vector<const jwk*>{key};
    }
};

} // namespace detail

/// Verifies a compact JWS with `key` (payload inside the token).
inline result<verified_jws> verify_compact(std::string_view token, const jwk& key,
                                           const jws_verify_options& opt) {
    return detail::verify_compact_with(token, nullptr, opt, detail::single_key{&key});
}

/// Verifies a compact JWS whose payload travels separately (RFC 7515
/// Appendix F): the token's payload part must be empty.
inline result<verified_jws> verify_compact_detached(std::string_view token, bytes_view payload,
                                                    const jwk& key, const jws_verify_options& opt) {
    return detail::verify_compact_with(token, &payload, opt, detail::single_key{&key});
}

} // namespace obauth::jose
