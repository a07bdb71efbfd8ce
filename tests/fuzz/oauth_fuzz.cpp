// What an authorization server sends back: token, PAR, introspection (JSON
// and RFC 9701 JWT), revocation and userinfo responses, endpoint errors, and
// authorization responses (query, fragment, form_post, JARM). Userinfo and
// introspection also as the client registered them encrypted: the input is
// then encrypted to the client's key first, so what is fuzzed is what a
// bank could put inside (claims, or the JWS of a nested JWT).
#include <obauth/oauth/callback.hpp>
#include <obauth/oauth/endpoint_response.hpp>
#include <obauth/oauth/introspection.hpp>
#include <obauth/oauth/par.hpp>
#include <obauth/oauth/revocation.hpp>
#include <obauth/oauth/token_response.hpp>
#include <obauth/oauth/userinfo.hpp>

#include "fuzz_support.hpp"

namespace {
namespace jose = obauth::jose;
const jose::jwks& issuer_keys() {
    static const jose::jwks set({jose::generate_key(jose::algorithm::ES256, "as").value()});
    return set;
}

// The client's decryption key (RFC 7520 §5.6's dir key) and registration.
const jose::jwks& client_keys() {
    static const jose::jwks set(
        {jose::parse_jwk(R"({"kty":"oct","kid":"c","use":"enc","k":"XctOhJAkA-pD9Lh7ZgW_2A"})")
             .value()});
    return set;
}
obauth::oidc::response_decryption registered() {
    return {&client_keys(),
            {obauth::jwe::key_management::dir, obauth::jwe::content_encryption::A128GCM}};
}
// The response with its body encrypted as registered (cty JWT if `nested`).
obauth::http::http_response sealed(obauth::http::http_response r, bool nested) {
    obauth::jwe::encrypt_options o;
    o.alg = obauth::jwe::key_management::dir;
    o.enc = obauth::jwe::content_encryption::A128GCM;
    if (nested)
        o.cty = "JWT";
    auto body =
        obauth::jwe::encrypt_compact(obauth::bytes_view(r.body), client_keys().keys().front(), o);
    if (body)
        r.body = std::move(*body);
    return r;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace oauth = obauth::oauth;
    using obauth::fuzz::now;
    obauth::fuzz::input in(data, size);
    const std::uint8_t which = in.byte();
    switch (which % 7) {
    case 0: {
        oauth::token_response_options o;
        o.require_id_token = (which & 0x10) != 0;
        o.token_types = {"Bearer", "DPoP"};
        (void)oauth::process_token_response(obauth::fuzz::response(in), now, o);
        break;
    }
    case 1:
        (void)oauth::process_par_response(obauth::fuzz::response(in), now);
        break;
    case 2: {
        oauth::introspection_options o;
        if ((which & 0x10) != 0) {
            o.issuer_keys = &issuer_keys();
            o.issuer = "https://as.example";
            o.client_id = "client";
        }
        auto r = obauth::fuzz::response(in);
        if ((which & 0x30) == 0x30) {
            o.decryption = registered();
            r = sealed(std::move(r), true);
        }
        (void)oauth::process_introspection_response(r, now, o);
        break;
    }
    case 3:
        (void)oauth::process_revocation_response(obauth::fuzz::response(in), now);
        break;
    case 4: {
        oauth::userinfo_options o;
        o.expected_sub = "248289761001";
        auto r = obauth::fuzz::response(in);
        if ((which & 0x10) != 0) {
            o.decryption = registered();
            o.issuer = "https://as.example";
            o.client_id = "client";
            if ((which & 0x20) != 0)
                o.issuer_keys = &issuer_keys();
            r = sealed(std::move(r), o.issuer_keys != nullptr);
        }
        (void)oauth::process_userinfo_response(r, now, o);
        break;
    }
    case 5:
        (void)oauth::parse_endpoint_error(obauth::fuzz::response(in), now);
        break;
    default: {
        oauth::callback_validation v;
        v.issuer = "https://as.example";
        v.client_id = "client";
        v.expected_state = "af0ifjsldkj";
        v.location = static_cast<oauth::response_location>((which >> 3) % 3);
        v.require_iss = (which & 0x20) != 0;
        v.jarm = (which & 0x40) != 0;
        v.issuer_keys = &issuer_keys();
        (void)oauth::process_callback(in.rest(), v, now);
        break;
    }
    }
    return 0;
}
