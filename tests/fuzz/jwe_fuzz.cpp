// JWEs as a bank or an attacker could send them, compact (selector below
// 0x40) or JSON-serialized (0x40 to 0x7f), decrypted with fixed keys of the
// published examples (selector % 5: the RFC 7516 A.3 AES key, RFC 7518 C's
// P-256 key, the cookbook's X25519 and dir keys, or all of them as a key
// set), and any bytes encrypted to each key and decrypted again (selector
// 0x80 and above: they must round-trip).
#include <obauth/jwe/jwe.hpp>
#include <obauth/jwe/jwe_json.hpp>

#include "fuzz_support.hpp"

#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

using namespace obauth;

jose::jwk key(const char* text) {
    auto k = jose::parse_jwk(text);
    if (!k)
        std::abort();
    return *k;
}

struct fixed_keys {
    std::vector<jose::jwk> keys{
        key(R"({"kty":"oct","use":"enc","k":"GawgguFyGrWKav7AX4VKUg"})"),
        key(R"({"kty":"EC","crv":"P-256","x":"weNJy2HscCSM6AEDTDg04biOvhFhyyWvOHQfeF_PxMQ",)"
            R"("y":"e8lnCO-AlStT-NJVX-crhB7QRYhiix03illJOVAOyck",)"
            R"("d":"VEmDZpDXXK8p8N0Cndsxs924q6nS1RXFASRl6BfUqdw"})"),
        key(R"({"kty":"OKP","kid":"Bob","use":"enc","crv":"X25519",)"
            R"("x":"3p7bfXt9wbTTW2HC7OQ1Nz-DQ8hbeGdNrfx-FG-IK08",)"
            R"("d":"XasIfmJKikt54X-Lg4AO5m87sSkmGLb9HC-LJ_-I4Os"})"),
        key(R"({"kty":"oct","kid":"77c7e2b8-6e13-45cf-8672-617b5b45243a","use":"enc",)"
            R"("alg":"A128GCM","k":"XctOhJAkA-pD9Lh7ZgW_2A"})")};
    jose::jwks set{keys};
    jwe::decrypt_options all = [] {
        jwe::decrypt_options o;
        for (const auto& a : jwe::key_managements)
            o.algorithms.insert(a.alg);
        for (const auto& e : jwe::content_encryptions)
            o.encryptions.insert(e.enc);
        o.critical = {"exp"};
        o.try_all_keys = true;
        return o;
    }();
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const fixed_keys k;
    fuzz::input in(data, size);
    const std::uint8_t selector = in.byte();
    const std::string_view rest = in.rest();
    if (selector < 0x80) {
        const bool as_json = selector >= 0x40;
        const std::size_t which = selector % 5;
        const auto d = which == 4 ? (as_json ? jwe::decrypt_json(rest, k.set, k.all)
                                             : jwe::decrypt_compact(rest, k.set, k.all))
                                  : (as_json ? jwe::decrypt_json(rest, k.keys[which], k.all)
                                             : jwe::decrypt_compact(rest, k.keys[which], k.all));
        (void)d;
        return 0;
    }
    // Round trips: key management and encryption chosen by the selector.
    static constexpr jwe::key_management algs[] = {
        jwe::key_management::A128KW, jwe::key_management::ECDH_ES_A128KW,
        jwe::key_management::ECDH_ES, jwe::key_management::dir};
    const std::size_t which = selector % 4;
    jwe::encrypt_options o;
    o.alg = algs[which];
    o.enc = which == 3 ? jwe::content_encryption::A128GCM
                       : jwe::content_encryptions[(selector >> 2) % 6].enc;
    const auto token = jwe::encrypt_compact(bytes_view(rest), k.keys[which], o);
    if (!token)
        std::abort();
    const auto back = jwe::decrypt_compact(*token, k.keys[which], k.all);
    if (!back || back->plaintext().size() != rest.size() ||
        (!rest.empty() &&
         std::memcmp(back->plaintext().expose_secret().data(), rest.data(), rest.size()) != 0))
        std::abort();
    return 0;
}
