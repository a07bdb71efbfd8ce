// Key types (JWK "kty") and curves (JWK "crv").
#pragma once

#include <cstdint>

namespace obauth::jose {

enum class key_type : std::uint8_t { rsa, ec, okp, oct };
enum class curve : std::uint8_t { none, p256, p384, p521, secp256k1, ed25519, ed448, x25519, x448 };

} // namespace obauth::jose
