// What a fleet reads back from its shared store, which anyone with access
// to Redis can write: sealed values (selector 0: opened with a fixed key),
// stored token set text (selector 1: as if it had opened), and any bytes
// sealed and opened again (selector 2: must round-trip).
#include <obauth/oauth/token_set_io.hpp>
#include <obauth/store/sealing.hpp>

#include "fuzz_support.hpp"

#include <cstdlib>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace obauth;
    static const auto keys = store::sealing_keys::create("k1", secret(bytes(32, 7))).value();
    fuzz::input in(data, size);
    const std::uint8_t selector = in.byte();
    const std::string_view rest = in.rest();
    switch (selector % 3) {
    case 0: {
        auto opened = keys.open("tokens:key", rest);
        if (opened)
            (void)oauth::read_token_set(*opened);
        break;
    }
    case 1: {
        wiping_string text(rest.begin(), rest.end());
        auto t = oauth::read_token_set(text);
        if (t) {
            // What reads back writes again, and reads the same.
            auto again = oauth::write_token_set(*t);
            if (!again)
                std::abort();
            auto back = oauth::read_token_set(*again);
            if (!back || !(back->access_token == t->access_token))
                std::abort();
        }
        break;
    }
    default: {
        const auto sealed = keys.seal("tokens:key", bytes_view(rest)).value();
        const auto opened = keys.open("tokens:key", sealed);
        if (!opened || opened->size() != rest.size() ||
            (size > 1 && std::memcmp(opened->data(), rest.data(), rest.size()) != 0))
            std::abort();
        if (keys.open("tokens:other", sealed))
            std::abort();
    }
    }
    return 0;
}
