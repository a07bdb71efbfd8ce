// The JWS verifier and signer behind jose/jws.hpp (inline; also used by
// jws_json.hpp, jwks.hpp and jwt.hpp).
#pragma once

// Included first, this header declares and defines the helpers before
// jws.hpp pulls in its definitions (which use them).
#define OBAUTH_JOSE_JWS_IMPL_OPEN

#include "../jws.hpp"
#include "../jws_sign_options.hpp"
#include "header_codec.hpp"
#include "jwk_impl.hpp"
#include "jws_header.hpp"
#include "lazy_json.hpp"
#include "signature.hpp"

#include "../../core/base64url.hpp"
#include "../../core/json.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace obauth::jose {

namespace detail {

/// The one way to construct a verified_jws; used only by the verifiers.
/// `h.text` holds the header text followed by the payload.
struct jws_access {
    static verified_jws make(algorithm a, decoded_header&& h) {
        return verified_jws(a, std::move(h.text), h.header_len, nullptr, h.dom.release());
    }
    static verified_jws make(algorithm a, decoded_header&& h, json unprotected) {
        std::shared_ptr<const json> u;
        if (!unprotected.is_null())
            u = std::make_shared<const json>(std::move(unprotected));
        return verified_jws(a, std::move(h.text), h.header_len, std::move(u), h.dom.release());
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

/// The compact signer; `typ` stands in for `opt.typ` (sign_jwt's default).
inline result<std::string> sign_compact(bytes_view payload, const jwk& key,
                                        const jws_sign_options& opt,
                                        const std::optional<std::string>& typ) {
    algorithm alg{};
    if (opt.alg) {
        alg = *opt.alg;
    } else {
        OBAUTH_TRY(alg, key.default_algorithm());
    }
    OBAUTH_TRY_VOID(key.check_usable(alg, key_operation::sign));
    if (!opt.b64 && !opt.detached && payload.as_chars().find('.') != std::string_view::npos)
        return make_error(errc::invalid_b64, "unencoded payload with '.' must be detached");
    const std::string_view kid = opt.include_kid ? key.kid() : std::string_view();
    // A header of alg, kid and typ alone is the same for every token.
    const bool plain = opt.b64 && opt.critical.empty() && opt.extra_header.is_null();
    encoded_header_memo& memo = encoded_header_memo::local();
    const std::string* known = plain ? memo.find(alg, kid, typ) : nullptr;
    std::string& header = scratch(0);
    if (known == nullptr)
        OBAUTH_TRY_VOID(write_header(to_string(alg), kid, typ, opt.b64, opt.critical,
                                     opt.extra_header, header));

    const std::size_t sig_size = signature_size(key.data(), alg);
    std::string out;
    out.reserve((known ? known->size() : base64url_encoded_size(header.size())) + 2 +
                (opt.b64 ? base64url_encoded_size(payload.size()) : payload.size()) +
                base64url_encoded_size(sig_size));
    if (known != nullptr) {
        out.append(*known);
    } else {
        base64url_encode_append(header, out);
        if (plain)
            memo.remember(alg, kid, typ, out);
    }
    const std::size_t header_end = out.size();
    out += '.';
    if (opt.b64)
        base64url_encode_append(payload, out);
    else
        out.append(payload.as_chars());
    unsigned char sig[max_signature_size];
    OBAUTH_TRY(const std::size_t sig_len, sign_raw(key.data(), alg, out, sig));
    if (opt.detached)
        out.resize(header_end + 1);
    out += '.';
    base64url_encode_append(bytes_view(sig, sig_len), out);
    return out;
}

} // namespace detail

} // namespace obauth::jose

#undef OBAUTH_JOSE_JWS_IMPL_OPEN
#if OBAUTH_INCLUDE_IMPL
#include "../impl/jws.ipp"
#endif
