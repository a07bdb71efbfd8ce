// Keys from outside: a JWK, a JWK Set, PEM and DER. The first byte picks
// the parser; an asymmetric key that imports exports a public JWK that
// imports again.
#include <obauth/jose/jwk.hpp>
#include <obauth/jose/jwks.hpp>
#include <obauth/jose/key_io.hpp>

#include "fuzz_support.hpp"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace jose = obauth::jose;
    obauth::fuzz::input in(data, size);
    const std::uint8_t which = in.byte();
    const std::string_view text = in.rest();
    switch (which % 4) {
    case 0: {
        const auto doc = obauth::parse_json_object(text);
        if (!doc)
            return 0;
        const auto key = jose::jwk_from_json(*doc);
        if (key) {
            // An asymmetric key's public half exports and imports again (a
            // symmetric key has no public half to export).
            if (key->type() != jose::key_type::oct && !jose::jwk_from_json(key->to_public_json()))
                std::abort();
            (void)key->thumbprint();
        }
        break;
    }
    case 1:
        (void)jose::parse_jwks(text);
        break;
    case 2:
        if (const auto key = jose::import_pem(text))
            (void)jose::export_public_pem(*key);
        break;
    default:
        if (const auto key = jose::import_der(obauth::bytes_view(
                reinterpret_cast<const unsigned char*>(text.data()), text.size())))
            (void)jose::export_public_der(*key);
        break;
    }
    return 0;
}
