// Verifying DPoP proofs (RFC 9449 §4.3), for authorization servers and the
// gateways in front of resource servers. Every check of §4.3, each with its
// own error (dpop/error.hpp, and challenge_error() for the answer):
//
//  1. exactly one DPoP header field;
//  2. a compact JWS within the size limit, its header and claims JSON;
//  3. typ dpop+jwt; 4. an asymmetric algorithm from the allow-list;
//  5. a public JWK in the header (private members refused), usable with it;
//  6. the signature, with that key;
//  7. jti, htm, htu and iat present; htm the request's method; htu the
//     request's URL, both normalised (dpop/htu.hpp);
//  8. iat within the window (not older than `max_age`, not ahead beyond
//     the leeway);
//  9. the server's nonce, when it requires one (dpop/nonce.hpp);
// 10. ath the SHA-256 of the presented access token (resource requests);
// 11. the key's RFC 7638 thumbprint equal to the token's cnf.jkt;
// 12. jti not seen within the window, through a store::replay_store
//     (recorded only once everything else passed; fail closed).
//
// The result carries the thumbprint (to bind a new token to, or to compare).
#pragma once

#include "error.hpp"
#include "htu.hpp"
#include "key_cache.hpp"
#include "nonce.hpp"
#include "proof.hpp"

#include "../core/ascii.hpp"
#include "../core/clock.hpp"
#include "../core/json.hpp"
#include "../core/json_scanner.hpp"
#include "../core/result.hpp"
#include "../core/secret.hpp"
#include "../jose/jwk.hpp"
#include "../jose/jwt.hpp"
#include "../store/replay_store.hpp"

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace obauth::dpop {

struct verify_options {
    /// Accepted proof algorithms (asymmetric ones only are ever accepted).
    jose::algorithm_set algorithms{jose::algorithm::ES256, jose::algorithm::PS256,
                                   jose::algorithm::EdDSA};
    /// How old a proof may be (iat), and how far ahead of `now`.
    std::chrono::seconds max_age{60};
    std::chrono::seconds leeway{5};
    /// When set, proofs must carry a nonce it issued.
    const nonce_issuer* nonces = nullptr;
    /// Where jtis are recorded (required: a proof is single-use).
    store::replay_store* replay = nullptr;
    /// Keys of headers seen before (optional; see dpop/key_cache.hpp).
    proof_key_cache* keys = nullptr;
    std::size_t max_proof_size = 8 * 1024;
};

/// The request the proof came with.
struct proof_request {
    /// Every DPoP header field value of the request.
    std::vector<std::string_view> dpop_headers;
    std::string_view method;
    std::string_view url;
    /// The access token presented with it (resource requests): ath required.
    std::optional<std::string_view> access_token;
    /// The token's cnf.jkt, when it is DPoP-bound.
    std::optional<std::string_view> bound_jkt;
};

/// A proof that passed verify_proof; only it makes one.
class verified_proof {
public:
    /// RFC 7638 SHA-256 thumbprint of the proof's key (base64url).
    const std::string& thumbprint() const noexcept { return key_->jkt; }
    /// The proof's public key.
    const jose::jwk& key() const noexcept { return key_->key; }
    const std::string& jti() const noexcept { return jti_; }
    jose::algorithm alg() const noexcept { return key_->alg; }
    std::int64_t iat() const noexcept { return iat_; }

private:
    friend struct verified_proof_access;
    verified_proof(std::shared_ptr<const proof_key> k, std::string jti, std::int64_t iat)
        : key_(std::move(k)), jti_(std::move(jti)), iat_(iat) {}
    std::shared_ptr<const proof_key> key_;
    std::string jti_;
    std::int64_t iat_ = 0;
};

struct verified_proof_access {
    static verified_proof make(std::shared_ptr<const proof_key> k, std::string jti,
                               std::int64_t iat) {
        return verified_proof(std::move(k), std::move(jti), iat);
    }
};

namespace detail {

// jose reports a failed proof with its own codes; a proof has one per check.
inline error_info from_jose(const error_info& e) {
    using je = jose::errc;
    if (e.code.category() != error_category_for<je>())
        return make_error(errc::malformed_proof, e.detail);
    switch (static_cast<je>(e.code.value())) {
    case je::invalid_signature:
    case je::malformed_signature:
        return make_error(errc::invalid_signature, e.detail);
    case je::unsupported_algorithm:
    case je::algorithm_not_allowed:
    case je::algorithm_key_mismatch:
        return make_error(errc::algorithm_not_allowed, e.detail);
    case je::type_mismatch:
        return make_error(errc::invalid_typ, e.detail);
    case je::issued_in_future:
    case je::too_old:
        return make_error(errc::iat_out_of_window, e.detail);
    case je::missing_claim:
    case je::invalid_claim:
        return make_error(errc::missing_claim, e.detail);
    default:
        return make_error(errc::malformed_proof, e.detail);
    }
}

inline result<std::string_view> string_claim(const json& claims, const char* name) {
    const json* v = find_member(claims, name);
    const auto* s = v ? v->get_ptr<const json::string_t*>() : nullptr;
    if (s == nullptr || s->empty())
        return make_error(errc::missing_claim, std::string("'") + name + "'");
    return std::string_view(*s);
}

/// The proof's header checked: typ, an asymmetric algorithm, a public key
/// usable with it; its thumbprint computed.
inline result<std::shared_ptr<const proof_key>> read_header(std::string_view encoded) {
    auto text = base64url_decode(encoded);
    if (!text)
        return make_error(errc::malformed_proof, "header is not base64url");
    auto header = parse_json_object(
        std::string_view(reinterpret_cast<const char*>(text->data()), text->size()),
        json_limits{4096, 4});
    if (!header)
        return make_error(errc::malformed_proof, "header: " + header.error().detail);
    auto typ = string_claim(*header, "typ");
    if (!typ || !ascii_iequals(*typ, "dpop+jwt"))
        return make_error(errc::invalid_typ, typ ? "typ " + quote(*typ, 32) : "no typ");
    OBAUTH_TRY(std::string_view alg_name, string_claim(*header, "alg"));
    const auto alg = jose::parse_algorithm(alg_name);
    if (!alg || !is_proof_algorithm(*alg))
        return make_error(errc::algorithm_not_allowed, "alg " + quote(alg_name, 16));
    const json* key = find_member(*header, "jwk");
    if (key == nullptr || !key->is_object())
        return make_error(errc::invalid_key, "no jwk in the header");
    jose::jwk_options ko;
    ko.alg = *alg;
    ko.public_only = true;
    auto k = jose::jwk_from_json(*key, ko);
    if (!k)
        return make_error(errc::invalid_key, k.error().to_string());
    auto jkt = k->thumbprint();
    if (!jkt)
        return make_error(errc::invalid_key, jkt.error().to_string());
    return std::make_shared<const proof_key>(proof_key{std::move(*k), *alg, std::move(*jkt)});
}

/// The proof's key: from the cache, or read from its header (and cached).
inline result<std::shared_ptr<const proof_key>> proof_key_of(std::string_view proof,
                                                             const verify_options& o) {
    const auto dot = proof.find('.');
    if (dot == std::string_view::npos || dot > 4096)
        return make_error(errc::malformed_proof, "not a compact JWS");
    const std::string_view encoded = proof.substr(0, dot);
    std::shared_ptr<const proof_key> k = o.keys ? o.keys->find(encoded) : nullptr;
    if (!k) {
        OBAUTH_TRY(k, read_header(encoded));
        if (o.keys)
            o.keys->insert(encoded, k);
    }
    if (!o.algorithms.contains(k->alg))
        return make_error(errc::algorithm_not_allowed, "alg " + quote(jose::to_string(k->alg), 16));
    return k;
}

/// The claims the checks read, as views into the verified JWT (string
/// members only; a member of another type counts as absent).
struct proof_claims {
    std::string_view jti, htm, htu;
    std::optional<std::string_view> ath, nonce;
};

/// Top-level string members of the claims, without building a DOM; gives
/// up (the caller uses the DOM) on escapes or a claim of another type.
struct claims_scan {
    proof_claims& out;
    std::string_view current;
    bool give_up = false;

    void key(std::size_t depth, std::string_view name) {
        if (depth == 1)
            current = name;
    }
    bool ours() const {
        return current == "htm" || current == "htu" || current == "ath" || current == "nonce";
    }
    void string(std::size_t depth, std::string_view raw, bool escaped) {
        if (depth != 1 || !ours())
            return;
        if (escaped) {
            give_up = true;
        } else if (current == "htm") {
            out.htm = raw;
        } else if (current == "htu") {
            out.htu = raw;
        } else if (current == "ath") {
            out.ath = raw;
        } else {
            out.nonce = raw;
        }
    }
    void other(std::size_t depth) {
        if (depth == 1 && ours())
            give_up = true;
    }
    void number(std::size_t depth, std::string_view, bool) { other(depth); }
    void literal(std::size_t depth, char) { other(depth); }
    void open(std::size_t depth, bool) { other(depth); }
    void close(std::size_t) {}
};

inline result<proof_claims> read_claims(const jose::verified_jwt& jwt) {
    proof_claims c;
    c.jti = jwt.jti();
    claims_scan scan{c, {}, false};
    json_scanner scanner(jwt.payload(), 4);
    if (scanner.scan(scan) && !scan.give_up)
        return c;
    // Escapes or odd types: the DOM decides (strings only).
    c = proof_claims{};
    c.jti = jwt.jti();
    const json& claims = jwt.claims();
    const auto text = [&](const char* name) -> std::optional<std::string_view> {
        const json* v = find_member(claims, name);
        const auto* str = v ? v->get_ptr<const json::string_t*>() : nullptr;
        if (str == nullptr)
            return std::nullopt;
        return std::string_view(*str);
    };
    c.htm = text("htm").value_or(std::string_view());
    c.htu = text("htu").value_or(std::string_view());
    c.ath = text("ath");
    c.nonce = text("nonce");
    return c;
}

/// htu against the request's URL: equal once both are normalised. The
/// common case, the URL as the client wrote it (query and fragment left
/// out), is compared directly.
inline result<void> check_htu(std::string_view htu, std::string_view url) {
    const std::string_view bare = url.substr(0, url.find_first_of("?#"));
    if (htu == bare && (bare.substr(0, 8) == "https://" || bare.substr(0, 7) == "http://"))
        return {};
    auto requested = normalized_htu(url);
    if (!requested)
        return make_error(errc::invalid_options, "the request URL is not an http(s) URL");
    auto claimed = normalized_htu(htu);
    if (!claimed || *claimed != *requested)
        return make_error(errc::url_mismatch,
                          "htu " + quote(htu, 128) + ", request " + quote(*requested, 128));
    return {};
}

} // namespace detail

/// Verifies the DPoP proof of `r` at `now` (RFC 9449 §4.3).
inline result<verified_proof> verify_proof(const proof_request& r, time_point now,
                                           const verify_options& o) {
    if (o.replay == nullptr)
        return make_error(errc::invalid_options, "a replay store is required");
    if (r.dpop_headers.empty())
        return errc::missing_proof;
    if (r.dpop_headers.size() > 1)
        return errc::multiple_proofs;
    const std::string_view proof = r.dpop_headers.front();
    if (proof.empty() || proof.size() > o.max_proof_size)
        return make_error(errc::malformed_proof,
                          "empty or over " + std::to_string(o.max_proof_size) + " octets");
    OBAUTH_TRY(const std::shared_ptr<const proof_key> key, detail::proof_key_of(proof, o));

    jose::jws_verify_options vo;
    vo.algorithms = jose::algorithm_set{key->alg};
    vo.max_token_size = o.max_proof_size;
    jose::jwt_validation v;
    v.require_exp = false;
    v.require_iat = true;
    v.max_age = o.max_age;
    v.leeway = o.leeway;
    v.typ = "dpop+jwt";
    v.claims_limits = json_limits{o.max_proof_size, 4};
    auto jwt = jose::verify_jwt(proof, key->key, vo, v, now);
    if (!jwt)
        return detail::from_jose(jwt.error());
    OBAUTH_TRY(const detail::proof_claims c, detail::read_claims(*jwt));
    if (c.jti.empty() || c.jti.size() > 256)
        return make_error(errc::missing_claim, "'jti' absent, empty or over 256 characters");
    if (c.htm.empty() || c.htu.empty())
        return make_error(errc::missing_claim, c.htm.empty() ? "'htm'" : "'htu'");
    if (c.htm != r.method)
        return make_error(errc::method_mismatch,
                          "htm " + quote(c.htm, 16) + ", request " + quote(r.method, 16));
    OBAUTH_TRY_VOID(detail::check_htu(c.htu, r.url));

    if (o.nonces != nullptr) {
        if (!c.nonce)
            return errc::nonce_required;
        if (!o.nonces->accepts(*c.nonce, now))
            return errc::nonce_invalid;
    }

    if (r.access_token) {
        if (!c.ath)
            return errc::ath_missing;
        if (!constant_time_equal(bytes_view(*c.ath),
                                 bytes_view(access_token_hash(*r.access_token))))
            return errc::ath_mismatch;
    }

    if (r.bound_jkt && !constant_time_equal(bytes_view(key->jkt), bytes_view(*r.bound_jkt)))
        return errc::key_mismatch;

    // Single use within the window: recorded until the proof would be too
    // old anyway.
    const std::int64_t iat = *jwt->iat();
    const time_point expires = from_unix_seconds(iat) + o.max_age + o.leeway;
    switch (
        o.replay->insert_if_absent(store::replay_key({"dpop", key->jkt, c.jti}), expires, now)) {
    case store::insert_result::inserted:
        break;
    case store::insert_result::already_present:
        return errc::replayed;
    case store::insert_result::unavailable:
        return errc::replay_store_unavailable;
    }
    return verified_proof_access::make(key, std::string(c.jti), iat);
}

} // namespace obauth::dpop
