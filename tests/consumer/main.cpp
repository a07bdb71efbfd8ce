// Uses the library the way a consumer would; exits non-zero on failure.
#include <obauth/obauth.hpp>

#include <cstdio>

int main() {
    const auto decoded = obauth::base64url_decode_to_string("b2JhdXRo");
    const auto doc = obauth::parse_json_object(R"({"a":1,"a":2})");
    // Boost.URL is a compiled library: this links it.
    const auto url = obauth::oidc::metadata_url(
        "https://as.example/tenant", obauth::oidc::metadata_kind::oauth_authorization_server);
    if (!decoded || *decoded != "obauth" || doc.has_value() || !url ||
        url->buffer() != "https://as.example/.well-known/oauth-authorization-server/tenant") {
        std::puts("consumer: FAILED");
        return 1;
    }
    std::puts("consumer: OK");
    return 0;
}
