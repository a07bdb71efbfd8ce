// DPoP proofs from fuzz bytes: as a whole proof (with or without a server
// nonce and an access token), as the claims of a proof the harness signs
// itself so the claim checks are reached, and as a URL whose normalised htu
// must be a fixed point of normalisation.
#include <obauth/dpop/proof.hpp>
#include <obauth/dpop/verifier.hpp>
#include <obauth/jose/jws_sign_options.hpp>
#include <obauth/jose/jwt_claims.hpp>

#include "fuzz_support.hpp"

#include <cstdlib>
#include <string>
#include <vector>

namespace {

using namespace obauth;

const jose::jwk& proof_key() {
    static const jose::jwk k = jose::generate_key(jose::algorithm::ES256).value();
    return k;
}

const dpop::nonce_issuer& nonces() {
    static const dpop::nonce_issuer n = [] {
        std::vector<secret> keys;
        keys.push_back(secret(bytes_view(std::string(32, 'n'))));
        return dpop::nonce_issuer::create(std::move(keys)).value();
    }();
    return n;
}

void verify(std::string_view proof, std::uint8_t flags) {
    store::memory_replay_store seen(16);
    dpop::verify_options o;
    o.replay = &seen;
    if (flags & 1)
        o.nonces = &nonces();
    dpop::proof_request r;
    r.dpop_headers = {proof};
    r.method = "POST";
    r.url = "https://as.example/token";
    if (flags & 2)
        r.access_token = std::string_view("access-token");
    if (flags & 4)
        r.bound_jkt = std::string_view("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I");
    auto v = dpop::verify_proof(r, fuzz::now, o);
    if (v && v->thumbprint().empty())
        std::abort();
    if (!v)
        (void)dpop::challenge_error(v.error().code);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::input in(data, size);
    const std::uint8_t selector = in.byte();
    const std::uint8_t flags = in.byte();
    switch (selector % 3) {
    case 0:
        verify(in.rest(), flags);
        break;
    case 1: {
        auto claims = parse_json_object(in.rest());
        if (!claims)
            break;
        jose::jws_sign_options so;
        so.typ = "dpop+jwt";
        so.include_kid = false;
        so.extra_header = json(json::value_t::object);
        so.extra_header["jwk"] = dpop::proof_jwk(proof_key());
        auto proof = jose::sign_jwt(*claims, proof_key(), so);
        if (proof)
            verify(*proof, flags);
        break;
    }
    default: {
        auto once = dpop::normalized_htu(in.rest());
        if (once) {
            auto twice = dpop::normalized_htu(*once);
            if (!twice || *twice != *once)
                std::abort();
        }
        break;
    }
    }
    return 0;
}
