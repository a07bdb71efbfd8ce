// OpenID Connect input: issuer identifiers, discovery documents (both kinds, with and without
// the FAPI check), JWKS responses, and ID tokens the harness signs itself
// (so validation of the claims is reached).
#include <obauth/jose/jws.hpp>
#include <obauth/oidc/discovery.hpp>
#include <obauth/oidc/fapi.hpp>
#include <obauth/oidc/id_token.hpp>
#include <obauth/oidc/jwks_cache.hpp>
#include <obauth/oidc/provider_metadata.hpp>

#include "fuzz_support.hpp"

namespace {
namespace jose = obauth::jose;
const jose::jwk& key() {
    static const jose::jwk k = jose::generate_key(jose::algorithm::ES256, "k").value();
    return k;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace oidc = obauth::oidc;
    obauth::fuzz::input in(data, size);
    const std::uint8_t which = in.byte();
    switch (which % 4) {
    case 0: {
        const auto r = obauth::fuzz::response(in);
        oidc::metadata_options o;
        o.expected_issuer = "https://as.example";
        o.kind = (which & 0x10) != 0 ? oidc::metadata_kind::oauth_authorization_server
                                     : oidc::metadata_kind::openid_configuration;
        if (const auto m = oidc::process_discovery_response(r, o))
            (void)oidc::check_fapi1_advanced(*m);
        break;
    }
    case 1: { // a key set answer, with Cache-Control, through the JWKS cache
        auto cache = oidc::jwks_cache::create("https://as.example/jwks").value();
        (void)cache.begin_fetch(obauth::fuzz::now);
        auto r = obauth::fuzz::response(in);
        r.headers.push_back({"Cache-Control", "max-age=300"});
        (void)cache.on_response(r, obauth::fuzz::now);
        break;
    }
    case 3:
        (void)oidc::parse_issuer(in.rest());
        break;
    default: {
        const auto token = jose::sign_compact(in.rest(), key());
        if (!token)
            break;
        oidc::id_token_validation v;
        v.issuer = "https://as.example";
        v.client_id = "client";
        v.algorithms = jose::algorithm_set({jose::algorithm::ES256});
        v.nonce = "n-0S6_WzA2Mj";
        v.code = "SplxlOBeZQQYbYS6WxSbIA";
        v.state = "af0ifjsldkj";
        v.fapi = (which & 0x10) != 0;
        (void)oidc::validate_id_token(*token, key(), v, obauth::fuzz::now);
        break;
    }
    }
    return 0;
}
