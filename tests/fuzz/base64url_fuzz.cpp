// Strict base64url: decoding never fails badly, and whatever decodes
// encodes back to the same text (the decoder accepts one spelling only).
#include <obauth/core/base64url.hpp>

#include "fuzz_support.hpp"

#include <cstdlib>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto decoded = obauth::base64url_decode(text);
    if (decoded && obauth::base64url_encode(obauth::bytes_view(*decoded)) != text)
        std::abort();
    // And every byte string survives the round trip.
    const auto encoded = obauth::base64url_encode(obauth::bytes_view(data, size));
    const auto back = obauth::base64url_decode(encoded);
    if (!back || back->size() != size || (size != 0 && std::memcmp(back->data(), data, size) != 0))
        std::abort();
    return 0;
}
