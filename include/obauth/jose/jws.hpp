// JSON Web Signature, compact serialization: RFC 7515 §3.1, §5, §7.1 and
// Appendix F (detached content), RFC 7797 (unencoded payload, b64=false).
//
// Verification trusts nothing from the header: the caller pins the allowed
// algorithms and supplies the key; `jwk`, `jku`, `x5u` and `x5c` header
// members are ignored. The signature is checked over the bytes received.
// `crit` is processed as RFC 7515 §4.1.11 requires; `b64` is honoured only
// in the protected header and only when listed in `crit`. Only a verifier
// can construct a verified_jws.
//
// The hot path parses the header with an allocation-free scanner and builds
// no DOM; header() parses one on first use.
#pragma once

#include "algorithm.hpp"
#include "detail/jws_header.hpp"
#include "detail/lazy_json.hpp"
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
#include <type_traits>
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
    /// Further protected header members, a JSON object or null for none
    /// (for example extension values that are also listed in "crit"). Must not set alg, b64 or
    /// crit, nor kid or typ when those are set by the options above.
    json extra_header;
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

/// Which header of a JWS a member was found in.
enum class header_location { absent, protected_header, unprotected_header };

class verified_jws {
public:
    algorithm alg() const noexcept { return alg_; }
    /// The protected header as received (decoded JSON text).
    std::string_view header_text() const noexcept {
        return std::string_view(buffer_).substr(0, header_len_);
    }
    /// The protected header, parsed on first use (safe from several threads).
    const json& header() const { return header_.get(header_text()); }
    /// The unprotected header of the JSON serialization (empty otherwise);
    /// not integrity-protected, so never a source of trust.
    const json& unprotected_header() const noexcept {
        static const json empty = json::object();
        return unprotected_.is_null() ? empty : unprotected_;
    }
    /// The payload octets (decoded, or as received for b64=false).
    std::string_view payload() const noexcept {
        return std::string_view(buffer_).substr(header_len_);
    }
    /// The kid (protected header first, then unprotected), or empty;
    /// kid_location() says which header it came from.
    std::string_view kid() const {
        const json* k = kid_member().first;
        return k != nullptr ? std::string_view(*k->get_ptr<const json::string_t*>())
                            : std::string_view();
    }
    /// Where kid() came from. A kid from the unprotected header (JSON
    /// serialization) selected the key but is not covered by the signature.
    header_location kid_location() const { return kid_member().second; }

private:
    std::pair<const json*, header_location> kid_member() const {
        if (const json* k = find_member(header(), "kid"))
            return {k->is_string() ? k : nullptr, header_location::protected_header};
        if (const json* k = find_member(unprotected_header(), "kid"))
            return {k->is_string() ? k : nullptr, header_location::unprotected_header};
        return {nullptr, header_location::absent};
    }

    friend struct detail::jws_access;
    verified_jws(algorithm a, std::string buffer, std::size_t header_len, json unprotected,
                 json* header_dom) noexcept
        : alg_(a), buffer_(std::move(buffer)), header_len_(header_len),
          unprotected_(std::move(unprotected)), header_(header_dom) {}

    algorithm alg_;
    std::string buffer_; // the header text, then the payload
    std::size_t header_len_;
    json unprotected_;
    detail::lazy_json header_;
};

namespace detail {

/// The one way to construct a verified_jws; used only by the verifiers.
/// `h.text` holds the header text followed by the payload.
struct jws_access {
    static verified_jws make(algorithm a, decoded_header&& h, json unprotected = json()) {
        json* dom = h.dom.is_null() ? nullptr : new json(std::move(h.dom));
        return verified_jws(a, std::move(h.text), h.header_len, std::move(unprotected), dom);
    }
};

inline result<void> decode_signature(std::string_view b64, unsigned char* out, std::size_t& len) {
    auto n = base64url_decode_into(b64, out, max_signature_size);
    if (!n)
        return make_error(errc::malformed_signature, n.error().to_string());
    len = *n;
    return {};
}

/// Shared by the compact and JSON verifiers: the key's fitness and the
/// signature over `signing_input`.
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

/// The keys to try for a token: one inline (no allocation), more if a key
/// set hands out several.
struct key_list {
    const jwk* first = nullptr;
    std::vector<const jwk*> more;

    void add(const jwk* k) {
        if (first == nullptr)
            first = k;
        else
            more.push_back(k);
    }
    std::size_t size() const noexcept { return (first ? 1 : 0) + more.size(); }
};

/// Tries the candidate keys (kid from the header) until one verifies.
template <class Candidates>
result<void> verify_any(const header_facts& facts, std::string_view kid, bool has_kid,
                        std::string_view input, std::string_view sig_b64, Candidates& candidates) {
    OBAUTH_TRY(const key_list keys, candidates(kid, has_kid, facts.alg));
    auto r = verify_parts(facts, *keys.first, input, sig_b64);
    for (const jwk* key : keys.more) {
        if (r)
            break;
        r = verify_parts(facts, *key, input, sig_b64);
    }
    return r;
}

/// A compact JWS whose signature verified, before it becomes a verified_jws:
/// `header.text` holds the header text followed by the payload.
struct compact_result {
    header_facts facts;
    decoded_header header;

    std::string_view payload() const noexcept {
        return std::string_view(header.text).substr(header.header_len);
    }
};

/// Verification of a compact JWS shared by every entry point. `candidates`
/// maps (kid, algorithm) to the keys to try; `detached` is the payload when
/// it travels separately (a `const bytes_view*`), or `nullptr` — a type of
/// its own, so that a program that never verifies detached payloads does not
/// carry the code (and the base64url encoder) for them.
template <class Candidates, class Detached>
result<void> verify_compact_into(std::string_view token, Detached detached,
                                 const jws_verify_options& opt, Candidates candidates,
                                 compact_result& out) {
    constexpr bool is_detached = !std::is_same_v<Detached, std::nullptr_t>;
    OBAUTH_TRY(const auto parts, split_compact(token, opt.max_token_size));
    std::size_t payload_room = parts.payload.size();
    if constexpr (is_detached) {
        if (!parts.payload.empty())
            return make_error(errc::malformed, "detached JWS with a payload part");
        payload_room = detached->size();
    }
    OBAUTH_TRY_VOID(decode_header(parts.header, opt.header_limits, payload_room, out.header));
    OBAUTH_TRY(out.facts, check_header(out.header.summary, opt.algorithms, opt.critical));
    std::string detached_input;
    std::string_view input = parts.signing_input;
    if constexpr (is_detached) {
        detached_input.assign(parts.header);
        detached_input += '.';
        if (out.facts.b64)
            base64url_encode_append(*detached, detached_input);
        else
            detached_input.append(detached->as_chars());
        input = detached_input;
    }
    const header_summary& s = out.header.summary;
    OBAUTH_TRY_VOID(verify_any(out.facts, s.kid, s.kid_kind == member_kind::string, input,
                               parts.signature, candidates));
    if constexpr (is_detached)
        return append_payload(out.header, detached->as_chars(), false);
    else
        return append_payload(out.header, parts.payload, out.facts.b64);
}

template <class Candidates, class Detached>
result<verified_jws> verify_compact_with(std::string_view token, Detached detached,
                                         const jws_verify_options& opt, Candidates candidates) {
    compact_result r;
    OBAUTH_TRY_VOID(verify_compact_into(token, detached, opt, candidates, r));
    return jws_access::make(r.facts.alg, std::move(r.header));
}

struct single_key {
    const jwk* key;
    result<key_list> operator()(std::string_view, bool, algorithm) const {
        key_list l;
        l.first = key;
        return l;
    }
};

/// Per-thread scratch text for the signer (header and claims JSON): reused,
/// so signing does not allocate for it. Never holds secrets.
inline std::string& scratch(int which) {
    thread_local std::string buffers[2];
    std::string& s = buffers[which];
    s.clear();
    return s;
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
    if (!opt.b64 && !opt.detached && payload.as_chars().find('.') != std::string_view::npos)
        return make_error(errc::invalid_b64, "unencoded payload with '.' must be detached");
    std::string& header = detail::scratch(0);
    OBAUTH_TRY_VOID(detail::write_header(to_string(alg), opt.include_kid ? key.kid() : "", opt.typ,
                                         opt.b64, opt.critical, opt.extra_header, header));

    const std::size_t sig_size = detail::signature_size(key.data(), alg);
    std::string out;
    out.reserve(base64url_encoded_size(header.size()) + 2 +
                (opt.b64 ? base64url_encoded_size(payload.size()) : payload.size()) +
                base64url_encoded_size(sig_size));
    base64url_encode_append(header, out);
    const std::size_t header_end = out.size();
    out += '.';
    if (opt.b64)
        base64url_encode_append(payload, out);
    else
        out.append(payload.as_chars());
    unsigned char sig[detail::max_signature_size];
    OBAUTH_TRY(const std::size_t sig_len, detail::sign_raw(key.data(), alg, out, sig));
    if (opt.detached)
        out.resize(header_end + 1);
    out += '.';
    base64url_encode_append(bytes_view(sig, sig_len), out);
    return out;
}

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
