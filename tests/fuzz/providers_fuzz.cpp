// Every provider profile's response processors: finAPI, FinHub, Finicity,
// Hoseki Connect and Hamster Bank, fed hostile answers.
#include <obauth/providers/finapi.hpp>
#include <obauth/providers/finhub.hpp>
#include <obauth/providers/finicity.hpp>
#include <obauth/providers/hamster_bank.hpp>
#include <obauth/providers/hoseki.hpp>

#include "fuzz_support.hpp"

namespace {
using namespace obauth::providers;

obauth::secret secret_of(const char* s) {
    std::string t = s;
    return obauth::secret::take(t);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using obauth::fuzz::now;
    obauth::fuzz::input in(data, size);
    const std::uint8_t which = in.byte();
    const auto r = obauth::fuzz::response(in);
    switch (which % 10) {
    case 0: {
        static const auto c =
            finapi::config::create(finapi::sandbox(), "client", secret_of("s")).value();
        (void)finapi::process_create_user_response(c, r, now);
        break;
    }
    case 1: {
        static const auto c =
            finapi::config::create(finapi::sandbox(), "client", secret_of("s")).value();
        (void)finapi::process_process_token_response(c, r, now);
        (void)finapi::process_delete_user_response(r, now);
        break;
    }
    case 2: {
        static const auto c =
            finhub::config::create("https://api.finhub.example", finhub::integration, false)
                .value();
        const finhub::client_headers h{"Windows", "203.0.113.7", "Mozilla/5.0", "1234567"};
        finhub::login l;
        l.username = "user";
        l.password = secret_of("pw");
        l.customer_id = "c";
        l.customer_secret = secret_of("cs");
        if (const auto s = finhub::process_login_response(c, h, l, r, now))
            (void)finhub::process_refresh_response(c, h, *s, r, now);
        break;
    }
    case 3: {
        static const auto c =
            finicity::config::create({"client", secret_of("s"), secret_of("app-key")}).value();
        (void)finicity::process_api_response(c, r, now);
        break;
    }
    case 4: {
        static const auto c =
            hoseki::config::create("https://api.hoseki.example", secret_of("api-key")).value();
        (void)hoseki::process_session_response(c, r, now, (which & 0x10) != 0);
        (void)hoseki::process_account_response(c, r, now);
        break;
    }
    case 5:
        (void)hamster::process_jwks_response(r, now);
        break;
    case 6:
        (void)hamster::process_get_consent_response(
            static_cast<obauth::consent::consent_type>((which >> 4) % 3), "hb-consent-1", r, now);
        break;
    case 7:
        (void)hamster::process_delete_consent_response(r, now);
        break;
    default: {
        obauth::http::http_request sent;
        sent.headers.push_back({"x-fapi-interaction-id", "93bac548-d2de-4546-b106-880a5018460d"});
        (void)hamster::process_resource_response(sent, r, now);
        break;
    }
    }
    return 0;
}
