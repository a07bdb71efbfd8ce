// What an authorization server sends back: token, PAR, introspection (JSON
// and RFC 9701 JWT), revocation and userinfo responses, endpoint errors, and
// authorization responses (query, fragment, form_post, JARM).
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
        (void)oauth::process_introspection_response(obauth::fuzz::response(in), now, o);
        break;
    }
    case 3:
        (void)oauth::process_revocation_response(obauth::fuzz::response(in), now);
        break;
    case 4: {
        oauth::userinfo_options o;
        o.expected_sub = "248289761001";
        (void)oauth::process_userinfo_response(obauth::fuzz::response(in), now, o);
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
