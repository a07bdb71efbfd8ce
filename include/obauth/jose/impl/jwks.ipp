// The definitions of jose/jwks.hpp: inline when header-only, compiled in
// src/obauth.cpp with OBAUTH_SEPARATE_COMPILATION.
#pragma once

#include "../detail/jwks_impl.hpp"

#include "../../core/ascii.hpp"
#include "../../core/json.hpp"

namespace obauth::jose {

OBAUTH_DECL result<const jwk*> jwks::select(std::string_view kid, algorithm alg,
                                            key_operation op) const {
    const auto found = find(kid, alg, op);
    if (found.empty())
        return make_error(errc::key_not_found, "no usable " + std::string(to_string(alg)) +
                                                   " key with kid " + quote(kid, 64) + " among " +
                                                   std::to_string(keys_.size()));
    if (found.size() > 1)
        return make_error(errc::ambiguous_key, "several usable keys with kid " + quote(kid, 64));
    return found.front();
}

OBAUTH_DECL json jwks::to_public_json() const {
    json keys = json::array();
    for (const auto& k : keys_)
        keys.push_back(k.to_public_json());
    return json{{"keys", std::move(keys)}};
}

OBAUTH_DECL result<jwks> jwks_from_json(const json& doc, const jwks_options& opt) {
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

OBAUTH_DECL result<jwks> parse_jwks(std::string_view text, const jwks_options& opt) {
    auto doc = parse_json_object(text, opt.limits);
    if (!doc)
        return make_error(errc::invalid_key, "JWK Set: " + doc.error().to_string());
    return jwks_from_json(*doc, opt);
}

OBAUTH_DECL result<verified_jws> verify_compact(std::string_view token, const jwks& set,
                                                const jws_verify_options& opt) {
    return detail::verify_compact_with(token, nullptr, opt,
                                       detail::key_set_candidates{&set, opt.try_all_keys});
}

OBAUTH_DECL result<verified_jws> verify_compact_detached(std::string_view token, bytes_view payload,
                                                         const jwks& set,
                                                         const jws_verify_options& opt) {
    return detail::verify_compact_with(token, &payload, opt,
                                       detail::key_set_candidates{&set, opt.try_all_keys});
}

} // namespace obauth::jose
