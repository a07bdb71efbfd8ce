// Shared fixtures of the OAuth client tests: one bank's metadata and keys.
#pragma once

#include "support/jose_support.hpp"

#include <obauth/core/random.hpp>
#include <obauth/http/http_response.hpp>
#include <obauth/jose/jwk.hpp>
#include <obauth/oauth/client.hpp>
#include <obauth/oidc/provider_metadata.hpp>

#include <string>

namespace obauth::test {

/// The instant at which the OAuth client and provider tests' injected clocks stand.
inline const time_point t0 = from_unix_seconds(1'800'000'000);

/// A JSON answer as the providers send it.
inline http::http_response json_response(int status, std::string body) {
    return {status, {{"Content-Type", "application/json"}}, std::move(body)};
}

inline const std::string bank_issuer = "https://as.bank.example";

inline json bank_metadata_json() {
    return {{"issuer", bank_issuer},
            {"authorization_endpoint", bank_issuer + "/authorize"},
            {"token_endpoint", bank_issuer + "/token"},
            {"pushed_authorization_request_endpoint", bank_issuer + "/par"},
            {"introspection_endpoint", bank_issuer + "/introspect"},
            {"revocation_endpoint", bank_issuer + "/revoke"},
            {"userinfo_endpoint", bank_issuer + "/userinfo"},
            {"jwks_uri", bank_issuer + "/jwks"},
            {"mtls_endpoint_aliases",
             {{"token_endpoint", "https://mtls.bank.example/token"},
              {"pushed_authorization_request_endpoint", "https://mtls.bank.example/par"},
              {"introspection_endpoint", "https://mtls.bank.example/introspect"},
              {"revocation_endpoint", "https://mtls.bank.example/revoke"},
              {"userinfo_endpoint", "https://mtls.bank.example/userinfo"}}},
            {"response_types_supported", {"code", "code id_token"}},
            {"response_modes_supported", {"query", "fragment", "jwt"}},
            {"subject_types_supported", {"public"}},
            {"id_token_signing_alg_values_supported", {"PS256", "ES256"}},
            {"code_challenge_methods_supported", {"S256"}},
            {"authorization_response_iss_parameter_supported", true},
            {"tls_client_certificate_bound_access_tokens", true},
            {"require_pushed_authorization_requests", true},
            {"id_token_encryption_alg_values_supported", {"RSA-OAEP-256", "ECDH-ES+A256KW"}},
            {"id_token_encryption_enc_values_supported", {"A256GCM", "A128CBC-HS256"}},
            {"authorization_encryption_alg_values_supported", {"RSA-OAEP-256", "RSA-OAEP"}},
            {"request_object_encryption_alg_values_supported", {"ECDH-ES+A256KW", "RSA-OAEP-256"}},
            {"request_object_encryption_enc_values_supported", {"A256GCM"}}};
}

inline oidc::provider_metadata bank_metadata() {
    oidc::metadata_options o;
    o.expected_issuer = bank_issuer;
    return oidc::parse_provider_metadata(bank_metadata_json().dump(), o).value();
}

/// Keys generated once per test binary (RSA generation is slow).
inline const jose::jwk& client_key() {
    static const jose::jwk k = jose::generate_key(jose::algorithm::PS256, "client-key-1").value();
    return k;
}
inline const jose::jwk& bank_key() {
    static const jose::jwk k = jose::generate_key(jose::algorithm::PS256, "bank-key-1").value();
    return k;
}
inline const jose::jwk& other_key() {
    static const jose::jwk k = jose::generate_key(jose::algorithm::ES256, "attacker").value();
    return k;
}

/// The client's key for what the bank encrypts to it (RSA), and the bank's
/// for encrypted request objects (P-256).
inline const jose::jwk& client_encryption_key() {
    static const jose::jwk k =
        as_encryption_key(jose::generate_key(jose::algorithm::RS256).value(), "client-enc");
    return k;
}
inline const jose::jwk& bank_encryption_key() {
    static const jose::jwk k =
        as_encryption_key(jose::generate_key(jose::algorithm::ES256).value(), "bank-enc");
    return k;
}

/// Predictable "randomness" for byte-exact tests: 0, 1, 2, ...
class counting_random final : public random_generator {
public:
    result<void> fill(unsigned char* out, std::size_t n) noexcept override {
        for (std::size_t i = 0; i < n; ++i)
            out[i] = static_cast<unsigned char>(next_++);
        return {};
    }

private:
    unsigned next_ = 0;
};

inline secret secret_of(std::string_view s) {
    return secret(bytes_view(s));
}

inline oauth::client make_client(oauth::client_auth auth, bool bound = false) {
    return oauth::client{bank_metadata(), std::move(auth), bound, 256 * 1024};
}

} // namespace obauth::test
