// The definitions of jose/jws.hpp: inline when header-only, compiled in
// src/obauth.cpp with OBAUTH_SEPARATE_COMPILATION.
#pragma once

#include "../detail/jws_impl.hpp"

namespace obauth::jose {

OBAUTH_DECL const json& verified_jws::header() const {
    return header_.get(header_text());
}

OBAUTH_DECL const json& verified_jws::unprotected_header() const noexcept {
    static const json empty = json::object();
    return unprotected_ ? *unprotected_ : empty;
}

OBAUTH_DECL std::string_view verified_jws::kid() const {
    const json* k = kid_member().first;
    return k != nullptr ? std::string_view(*k->get_ptr<const json::string_t*>())
                        : std::string_view();
}

OBAUTH_DECL header_location verified_jws::kid_location() const {
    return kid_member().second;
}

OBAUTH_DECL std::pair<const json*, header_location> verified_jws::kid_member() const {
    if (const json* k = find_member(header(), "kid"))
        return {k->is_string() ? k : nullptr, header_location::protected_header};
    if (const json* k = find_member(unprotected_header(), "kid"))
        return {k->is_string() ? k : nullptr, header_location::unprotected_header};
    return {nullptr, header_location::absent};
}

OBAUTH_DECL result<std::string> sign_compact(bytes_view payload, const jwk& key) {
    return sign_compact(payload, key, jws_sign_options{});
}

OBAUTH_DECL result<std::string> sign_compact(bytes_view payload, const jwk& key,
                                             const jws_sign_options& opt) {
    return detail::sign_compact(payload, key, opt, opt.typ);
}

OBAUTH_DECL result<verified_jws> verify_compact(std::string_view token, const jwk& key,
                                                const jws_verify_options& opt) {
    return detail::verify_compact_with(token, nullptr, opt, detail::single_key{&key});
}

OBAUTH_DECL result<verified_jws> verify_compact_detached(std::string_view token, bytes_view payload,
                                                         const jwk& key,
                                                         const jws_verify_options& opt) {
    return detail::verify_compact_with(token, &payload, opt, detail::single_key{&key});
}

} // namespace obauth::jose
