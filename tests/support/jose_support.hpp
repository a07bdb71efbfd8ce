// Helpers shared by the JOSE tests.
#pragma once

#include <obauth/core/json.hpp>
#include <obauth/jose/jwk.hpp>
#include <obauth/jose/jws.hpp>

#include <initializer_list>
#include <string>

namespace obauth::test {

/// Verify options that allow exactly `algs`.
inline jose::jws_verify_options allow(std::initializer_list<jose::algorithm> algs) {
    jose::jws_verify_options o;
    o.algorithms = jose::algorithm_set(algs);
    return o;
}

/// A generated key as its owner publishes it for encryption: "use": "enc",
/// no signature "alg".
inline jose::jwk as_encryption_key(const jose::jwk& generated, const std::string& kid) {
    json j = parse_json(generated.export_private_json().value().expose_secret().as_chars()).value();
    j.erase("alg");
    j["use"] = "enc";
    j["kid"] = kid;
    return jose::jwk_from_json(j).value();
}

} // namespace obauth::test
