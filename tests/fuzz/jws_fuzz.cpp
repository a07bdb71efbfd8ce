// JWS and JWT verification with keys the harness holds (HS256, ES256,
// EdDSA, RS256): compact, JSON (general and flattened), detached, and JWT
// claims validation. Hostile tokens must be refused, never crash.
#include <obauth/jose/jwks.hpp>
#include <obauth/jose/jws.hpp>
#include <obauth/jose/jws_json.hpp>
#include <obauth/jose/jwt.hpp>

#include "fuzz_support.hpp"

namespace {
namespace jose = obauth::jose;

const jose::jwks& keys() {
    static const jose::jwks set({
        jose::generate_key(jose::algorithm::HS256, "hs").value(),
        jose::generate_key(jose::algorithm::ES256, "es").value(),
        jose::generate_key(jose::algorithm::EdDSA, "ed").value(),
        jose::generate_key(jose::algorithm::RS256, "rs").value(),
    });
    return set;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    obauth::fuzz::input in(data, size);
    const std::uint8_t which = in.byte();
    const std::string_view text = in.rest();
    jose::jws_verify_options opt;
    opt.algorithms = jose::algorithm_set({jose::algorithm::HS256, jose::algorithm::ES256,
                                          jose::algorithm::EdDSA, jose::algorithm::RS256});
    opt.try_all_keys = (which & 0x10) != 0;
    const unsigned char detached[] = {'p', 'a', 'y'};
    switch (which % 6) {
    case 0:
        (void)jose::verify_compact(text, keys(), opt);
        break;
    case 1:
        (void)jose::verify_json(text, keys(), opt);
        break;
    case 2:
        (void)jose::verify_compact_detached(text, obauth::bytes_view(detached, 3), keys(), opt);
        break;
    case 3:
        (void)jose::verify_json_detached(text, obauth::bytes_view(detached, 3), keys(), opt);
        break;
    case 4: {
        // Claims the harness signs itself: the fuzzer reaches claim
        // validation without having to forge a signature.
        const auto token = jose::sign_compact(text, keys().keys().front());
        if (!token)
            break;
        jose::jwt_validation policy;
        policy.issuer = "https://as.example";
        policy.audiences = {"client"};
        policy.allow_fractional_dates = (which & 0x20) != 0;
        policy.max_age = std::chrono::seconds(300);
        (void)jose::verify_jwt(*token, keys(), opt, policy, obauth::fuzz::now);
        break;
    }
    default: {
        jose::jwt_validation policy;
        policy.issuer = "https://as.example";
        policy.audiences = {"client"};
        policy.allow_fractional_dates = (which & 0x20) != 0;
        policy.typ = (which & 0x40) != 0 ? std::optional<std::string>("at+jwt") : std::nullopt;
        (void)jose::verify_jwt(text, keys(), opt, policy, obauth::fuzz::now);
        break;
    }
    }
    return 0;
}
