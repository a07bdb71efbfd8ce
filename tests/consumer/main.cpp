// Uses the library the way a consumer would; exits non-zero on failure.
#include <obauth/obauth.hpp>

#include <cstdio>

int main() {
    const auto decoded = obauth::base64url_decode_to_string("b2JhdXRo");
    const auto doc = obauth::parse_json_object(R"({"a":1,"a":2})");
    if (!decoded || *decoded != "obauth" || doc.has_value()) {
        std::puts("consumer: FAILED");
        return 1;
    }
    std::puts("consumer: OK");
    return 0;
}
