// What a client registered encrypted: OpenID Connect Registration §2
// (id_token_, userinfo_encrypted_response_alg / _enc,
// request_object_encryption_alg / _enc), JARM §3 (authorization_) and
// RFC 9701 §6 (introspection_). The server signs those responses, then
// encrypts them to the client's "use": "enc" key; the client decrypts with
// its private half (client_encryption::keys). Request objects go the other
// way: signed by the client, then encrypted to the key the server publishes
// for encryption.
//
// A response registered encrypted must arrive encrypted with exactly the
// registered alg and enc; one that was not registered must not arrive
// encrypted (see oidc/response_encryption.hpp).
#pragma once

#include "error.hpp"

#include "../core/result.hpp"
#include "../jose/jwks.hpp"
#include "../jwe/algorithm.hpp"
#include "../oidc/provider_metadata.hpp"
#include "../oidc/response_encryption.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace obauth::oauth {

/// The responses a server may encrypt to the client.
enum class encrypted_response : std::uint8_t {
    id_token,      ///< id_token_encrypted_response_alg / _enc
    userinfo,      ///< userinfo_encrypted_response_alg / _enc
    authorization, ///< authorization_encrypted_response_alg / _enc (JARM)
    introspection, ///< introspection_encrypted_response_alg / _enc (RFC 9701)
};

struct client_encryption {
    /// The client's private keys for what the server encrypts to it; their
    /// public halves, with "use": "enc", are in the client's registered
    /// JWKS. The JWE's kid selects one.
    jose::jwks keys;
    std::optional<oidc::encryption_algorithms> id_token;
    std::optional<oidc::encryption_algorithms> userinfo;
    std::optional<oidc::encryption_algorithms> authorization;
    std::optional<oidc::encryption_algorithms> introspection;
    /// Request objects: signed, then encrypted to the server's key with
    /// these algorithms.
    std::optional<oidc::encryption_algorithms> request_object;

    /// How to open `r`, when it was registered encrypted (it refers to
    /// `keys`: this object outlives its use).
    std::optional<oidc::response_decryption> decryption(encrypted_response r) const {
        const std::optional<oidc::encryption_algorithms>* const registered[] = {
            &id_token, &userinfo, &authorization, &introspection};
        const auto& a = *registered[static_cast<std::size_t>(r)];
        if (!a)
            return std::nullopt;
        return oidc::response_decryption{&keys, *a};
    }

    /// Refuses a registration the server says it cannot serve: each
    /// registered alg and enc must be in the server's list when it
    /// publishes one; responses need decryption keys.
    result<void> check(const oidc::provider_metadata& m) const {
        struct entry {
            const std::optional<oidc::encryption_algorithms>* registered;
            const std::vector<std::string>* algs;
            const std::vector<std::string>* encs;
            const char* what;
        };
        const entry entries[] = {
            {&id_token, &m.id_token_encryption_alg_values_supported,
             &m.id_token_encryption_enc_values_supported, "id_token"},
            {&userinfo, &m.userinfo_encryption_alg_values_supported,
             &m.userinfo_encryption_enc_values_supported, "userinfo"},
            {&authorization, &m.authorization_encryption_alg_values_supported,
             &m.authorization_encryption_enc_values_supported, "authorization"},
            {&introspection, &m.introspection_encryption_alg_values_supported,
             &m.introspection_encryption_enc_values_supported, "introspection"},
            {&request_object, &m.request_object_encryption_alg_values_supported,
             &m.request_object_encryption_enc_values_supported, "request_object"},
        };
        for (const entry& e : entries) {
            if (!*e.registered)
                continue;
            if (e.registered != &request_object && keys.empty())
                return make_error(errc::invalid_options,
                                  std::string(e.what) + " encryption needs the client's keys");
            const std::string_view alg = jwe::to_string((*e.registered)->alg);
            const std::string_view enc = jwe::to_string((*e.registered)->enc);
            for (const auto& [list, value, kind] :
                 {std::tuple{e.algs, alg, "alg"}, std::tuple{e.encs, enc, "enc"}})
                if (!list->empty() && !oidc::provider_metadata::contains(*list, value))
                    return make_error(errc::invalid_options, std::string(value) +
                                                                 " is registered but not in the "
                                                                 "provider's " +
                                                                 e.what + "_encryption_" + kind +
                                                                 "_values_supported");
        }
        return {};
    }
};

} // namespace obauth::oauth
