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
