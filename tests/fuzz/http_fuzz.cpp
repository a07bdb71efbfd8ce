// The http module's parsers of what a server or a browser sends:
// WWW-Authenticate, Retry-After and HTTP dates, Cache-Control and Age,
// form bodies and URLs (endpoint rules, redirect URLs with parameters).
#include <obauth/http/cache_control.hpp>
#include <obauth/http/form.hpp>
#include <obauth/http/retry_after.hpp>
#include <obauth/http/url.hpp>
#include <obauth/http/www_authenticate.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace http = obauth::http;
    obauth::fuzz::input in(data, size);
    const std::uint8_t which = in.byte();
    const std::string_view text = in.rest();
    switch (which % 6) {
    case 0:
        (void)http::parse_www_authenticate(text);
        break;
    case 1:
        (void)http::parse_retry_after(text, obauth::fuzz::now);
        (void)http::parse_retry_after(text, obauth::from_unix_seconds(INT64_MIN));
        (void)http::parse_retry_after(text, obauth::from_unix_seconds(INT64_MAX));
        if (const auto t = http::parse_http_date(text))
            (void)http::format_http_date(*t);
        break;
    case 2: {
        http::http_headers h{{"Cache-Control", text}, {"Age", text}};
        (void)http::parse_cache_control(h);
        (void)http::parse_age(h);
        break;
    }
    case 3:
        (void)http::parse_form(text, 1 + (which >> 3));
        break;
    case 4: {
        http::url_policy p;
        p.allow_http_loopback = (which & 0x08) != 0;
        if (const auto u = http::parse_url(text, p))
            (void)http::check_url(*u, p);
        break;
    }
    default: // a redirect URL with the callback's parameters
        if (const auto u = http::parse_url(text, {true, true}))
            (void)http::parse_form(
                std::string_view(u->encoded_query().data(), u->encoded_query().size()));
        break;
    }
    return 0;
}
