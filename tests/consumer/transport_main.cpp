// Uses an optional transport adapter from the installed or vendored package:
// its target brings libcurl or libssl along. Exits non-zero on failure.
#include <obauth/transport/beast.hpp>
#include <obauth/transport/curl.hpp>

#include <cstdio>

int main() {
    auto curl = obauth::transport::curl_transport::create({});
    auto beast = obauth::transport::beast_transport::create({});
    obauth::http::http_request plain;
    plain.url = boost::urls::url("http://example.com/");
    // Refused before anything is sent: not https.
    if (!curl || !beast || (*curl)(plain) || (*beast)(plain)) {
        std::puts("consumer transports: FAILED");
        return 1;
    }
    std::puts("consumer transports: OK");
    return 0;
}
