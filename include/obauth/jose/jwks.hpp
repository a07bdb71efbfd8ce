// JWK Sets (RFC 7517 §5) and key selection for verification.
//
// Parsing keeps every usable key and skips, with a report, the keys it
// cannot use: unknown key types or curves, non-JWS algorithms (encryption
// keys), and keys that fail validation (weak, malformed, or private members
// in a public set). A kid is an opaque string compared exactly. Selection
// for a token: the keys whose kid equals the token's kid and that may verify
// with the token's algorithm; no match fails, several match fails, and a
// token without kid is accepted only when exactly one key fits — unless the
// caller opts in to trying every key of the pinned algorithm.
#pragma once

#include "algorithm.hpp"
#include "error.hpp"
#include "jwk.hpp"
#include "jws.hpp"

#include "../core/json.hpp"
#include "../core/result.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace obauth::jose {

struct jwks_options {
    /// Options for every key; public_only is the default for key sets.
    jwk_options key{std::nullopt, true, {}, {}};
    std::size_t max_keys = 256;
    json_limits limits{1024 * 1024, 8};
    /// A set mixing symmetric (oct) and asymmetric keys is refused unless
    /// this is set: such a set is a misconfiguration waiting for confusion.
    bool allow_mixed_symmetry = false;
};

/// A key that was left out of a set, and why.
struct skipped_key {
    std::size_t index; ///< position in the "keys" array
    std::string kid;   ///< its kid, if it had a string one
    error_info reason;
};

class jwks {
public:
    jwks() = default;
    explicit jwks(std::vector<jwk> keys) : keys_(std::move(keys)) {}

    const std::vector<jwk>& keys() const noexcept { return keys_; }
    const std::vector<skipped_key>& skipped() const noexcept { return skipped_; }
    bool empty() const noexcept { return keys_.empty(); }
    void add(jwk key) { keys_.push_back(std::move(key)); }

    /// The keys with this kid (exact match) usable for `op` with `alg`.
    std::vector<const jwk*> find(std::string_view kid, algorithm alg, key_operation op) const {
        std::vector<const jwk*> out;
        for (const auto& k : keys_)
            if (k.kid() == kid && k.check_usable(alg, op))
                out.push_back(&k);
        return out;
    }

    /// The one key for (kid, alg, op), or key_not_found / ambiguous_key.
    result<const jwk*> select(std::string_view kid, algorithm alg, key_operation op) const {
        const auto found = find(kid, alg, op);
        if (found.empty())
            return make_error(errc::key_not_found, "no usable " + std::string(to_string(alg)) +
                                                       " key with kid " + quote(kid, 64) +
                                                       " among " + std::to_string(keys_.size()));
        if (found.size() > 1)
            return make_error(errc::ambiguous_key,
                              "several usable keys with kid " + quote(kid, 64));
        return found.front();
    }

    /// The public keys as a JWK Set document.
    json to_public_json() const {
        json keys = json::array();
        for (const auto& k : keys_)
            keys.push_back(k.to_public_json());
        return json{{"keys", std::move(keys)}};
    }

private:
    friend result<jwks> jwks_from_json(const json& doc, const jwks_options& opt);
    std::vector<jwk> keys_;
    std::vector<skipped_key> skipped_;
};

inline result<jwks> jwks_from_json(const json& doc, const jwks_options& opt = {}) {
    auto keys = get_array(doc, "keys");
    if (!keys)
        return make_error(errc::invalid_key, "JWK Set: " + keys.error().detail);
    if ((*keys)->size() > opt.max_keys)
        return make_error(errc::too_large,
                          "JWK Set with more than " + std::to_string(opt.max_keys) + " keys");
    // RFC 7517 §4.5: keys in a set use distinct kids, except keys of
    // different types (or uses) offered as alternatives. Checked on the raw
    // entries, so a key skipped below still counts.
    const auto& entries = **keys;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        for (std::size_t j = i + 1; j < entries.size(); ++j) {
            const auto kid_i = get_optional_string(entries[i], "kid");
            const auto kid_j = get_optional_string(entries[j], "kid");
            if (!kid_i || !kid_j || !kid_i->has_value() || !kid_j->has_value() ||
                **kid_i != **kid_j)
                continue;
            const json* kty_i = find_member(entries[i], "kty");
            const json* kty_j = find_member(entries[j], "kty");
            const json* use_i = find_member(entries[i], "use");
            const json* use_j = find_member(entries[j], "use");
            const bool same_use = use_i == nullptr || use_j == nullptr || *use_i == *use_j;
            if (kty_i != nullptr && kty_j != nullptr && *kty_i == *kty_j && same_use)
                return make_error(errc::invalid_key, "JWK Set: duplicate kid for keys of one type");
        }
    }
    jwks set;
    std::size_t index = 0;
    for (const json& k : **keys) {
        auto key = jwk_from_json(k, opt.key);
        if (key) {
            set.keys_.push_back(std::move(*key));
        } else {
            const json* kid = find_member(k, "kid");
            std::string kid_text;
            if (kid != nullptr && kid->is_string())
                kid_text = kid->get_ptr<const json::string_t*>()->substr(0, max_kid_length);
            set.skipped_.push_back({index, std::move(kid_text), std::move(key).error()});
        }
        ++index;
    }
    bool symmetric = false, asymmetric = false;
    for (const auto& k : set.keys_)
        (k.type() == key_type::oct ? symmetric : asymmetric) = true;
    if (symmetric && asymmetric && !opt.allow_mixed_symmetry)
        return make_error(errc::invalid_key, "JWK Set mixes symmetric and asymmetric keys");
    return set;
}

inline result<jwks> parse_jwks(std::string_view text, const jwks_options& opt = {}) {
    auto doc = parse_json_object(text, opt.limits);
    if (!doc)
        return make_error(errc::invalid_key, "JWK Set: " + doc.error().to_string());
    return jwks_from_json(*doc, opt);
}

namespace detail {

struct key_set_candidates {
    const jwks* set;
    bool try_all;
    result<key_list> operator()(std::string_view kid, bool has_kid, algorithm alg) const {
        key_list out;
        if (has_kid) {
            for (const auto& k : set->keys())
                if (k.kid() == kid && k.check_usable(alg, key_operation::verify))
                    out.add(&k);
            if (out.size() > 1 && !try_all)
                return make_error(errc::ambiguous_key,
                                  "several usable keys with kid " + quote(kid, 64));
        }
        if (out.size() == 0) {
            for (const auto& k : set->keys())
                if (k.check_usable(alg, key_operation::verify))
                    out.add(&k);
            if (out.size() == 0 || (has_kid && !try_all))
                return make_error(errc::key_not_found,
                                  (has_kid ? "no usable key with kid " + quote(kid, 64)
                                           : std::string("no usable key")) +
                                      " for " + std::string(to_string(alg)) + " among " +
                                      std::to_string(set->keys().size()));
            if (out.size() > 1 && !try_all)
                return make_error(errc::ambiguous_key, "token has no kid and several keys fit");
        }
        return out;
    }
};

} // namespace detail

/// Verifies a compact JWS with the key of `set` that the token names.
inline result<verified_jws> verify_compact(std::string_view token, const jwks& set,
                                           const jws_verify_options& opt) {
    return detail::verify_compact_with(token, nullptr, opt,
                                       detail::key_set_candidates{&set, opt.try_all_keys});
}

inline result<verified_jws> verify_compact_detached(std::string_view token, bytes_view payload,
                                                    const jwks& set,
                                                    const jws_verify_options& opt) {
    return detail::verify_compact_with(token, &payload, opt,
                                       detail::key_set_candidates{&set, opt.try_all_keys});
}

} // namespace obauth::jose
