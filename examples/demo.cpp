// obauth demo: generate keys, sign a JWT with each, verify it under a pinned
// policy, and show that tampering, a wrong key and an algorithm outside the
// allow-list are refused. Prints what it does; never prints key material.
#include <obauth/core/clock.hpp>
#include <obauth/jose/jwk.hpp>
#include <obauth/jose/jwt.hpp>

#include <chrono>
#include <cstdio>
#include <string>

namespace jose = obauth::jose;
using namespace std::chrono_literals;

namespace {

// Shows the start and end of a token only: a full token is a credential.
std::string redact(const std::string& token) {
    return token.size() <= 24 ? "[short]"
                              : token.substr(0, 12) + "..." + token.substr(token.size() - 8);
}

bool run(jose::algorithm alg, obauth::time_point now) {
    const std::string name(jose::to_string(alg));
    auto key = jose::generate_key(alg, "demo-" + name);
    if (!key) {
        std::printf("  %-6s key generation failed: %s\n", name.c_str(),
                    key.error().to_string().c_str());
        return false;
    }
    const auto thumb = key->thumbprint();
    const obauth::json claims = {
        {"iss", "https://as.example.com"},
        {"sub", "user-1234"},
        {"aud", "https://api.bank.example"},
        {"iat", obauth::to_unix_seconds(now)},
        {"exp", obauth::to_unix_seconds(now + 5min)},
        {"scope", "accounts payments"},
    };
    auto token = jose::sign_jwt(claims, *key);
    if (!token) {
        std::printf("  %-6s signing failed: %s\n", name.c_str(), token.error().to_string().c_str());
        return false;
    }

    // The verifier holds only the public key, pins the algorithm and the claims policy.
    const jose::jwk verifier_key = key->public_key();
    const jose::jws_verify_options pinned{jose::algorithm_set{alg}, {}, 256 * 1024, {}};
    jose::jwt_validation policy;
    policy.issuer = "https://as.example.com";
    policy.audiences = {"https://api.bank.example"};
    policy.typ = "JWT";
    const auto ok = jose::verify_jwt(*token, verifier_key, pinned, policy, now);

    std::string tampered = *token;
    tampered[tampered.find('.') + 2] ^= 1;
    const auto bad_sig = jose::verify_jwt(tampered, verifier_key, pinned, policy, now);
    const auto late = jose::verify_jwt(*token, verifier_key, pinned, policy, now + 10min);
    const jose::jws_verify_options other{jose::algorithm_set{alg == jose::algorithm::ES256
                                                                 ? jose::algorithm::PS256
                                                                 : jose::algorithm::ES256},
                                         {},
                                         256 * 1024,
                                         {}};
    const auto not_allowed = jose::verify_jwt(*token, verifier_key, other, policy, now);

    std::printf("  %-6s kid=%s thumbprint=%s\n", name.c_str(), key->kid().c_str(),
                thumb ? thumb->c_str() : "?");
    std::printf("         token %s (%zu bytes)\n", redact(*token).c_str(), token->size());
    std::printf("         verified: %s  sub=%s\n", ok ? "yes" : ok.error().to_string().c_str(),
                ok ? std::string(ok->sub()).c_str() : "-");
    std::printf("         tampered payload -> %s\n",
                bad_sig ? "ACCEPTED" : bad_sig.error().to_string().c_str());
    std::printf("         10 minutes later  -> %s\n",
                late ? "ACCEPTED" : late.error().to_string().c_str());
    std::printf("         alg not allowed   -> %s\n",
                not_allowed ? "ACCEPTED" : not_allowed.error().to_string().c_str());
    return ok && !bad_sig && !late && !not_allowed;
}

} // namespace

int main() {
    const obauth::system_clock_source clock;
    const auto now = clock.now();
    std::printf("obauth demo: sign and verify a JWT with every JWS algorithm\n");
    bool all = true;
    for (const jose::algorithm a : jose::all_algorithms)
        all = run(a, now) && all;
    std::printf("%s\n", all ? "all algorithms behaved as expected" : "SOMETHING WENT WRONG");
    return all ? 0 : 1;
}
