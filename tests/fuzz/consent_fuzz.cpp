// Every consent format obauth reads: Hamster Bank's requests and consents,
// UK Open Banking v3.1 responses, Berlin Group NextGenPSD2 requests and
// responses, permission lists, RFC 3339 timestamps and full dates.
#include <obauth/consent/berlin_group.hpp>
#include <obauth/consent/hamster.hpp>
#include <obauth/consent/permission.hpp>
#include <obauth/consent/timestamp.hpp>
#include <obauth/consent/uk_open_banking.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace consent = obauth::consent;
    using obauth::fuzz::now;
    obauth::fuzz::input in(data, size);
    const std::uint8_t which = in.byte();
    const std::string_view text = in.rest();
    const auto type = static_cast<consent::consent_type>((which >> 4) % 3);
    switch (which % 10) {
    case 0:
        if (const auto r = consent::hamster::parse_request_body(type, text, now))
            (void)consent::hamster::request_body(*r, now);
        break;
    case 1:
        if (const auto c = consent::hamster::parse_consent_body(type, text))
            (void)consent::hamster::consent_body(*c);
        break;
    case 2:
        (void)consent::uk::parse_account_access_response(text);
        break;
    case 3:
        (void)consent::uk::parse_payment_response(text);
        break;
    case 4:
        (void)consent::uk::parse_funds_confirmation_response(text);
        break;
    case 5:
        if (const auto r = consent::berlin_group::parse_request_body(text, now))
            (void)consent::berlin_group::request_body(*r, now);
        break;
    case 6:
        (void)consent::berlin_group::parse_response(text);
        break;
    case 7:
        if (const auto doc = obauth::parse_json(text))
            (void)consent::parse_permissions(*doc);
        break;
    case 8:
        if (const auto t = consent::parse_timestamp(text))
            (void)consent::format_timestamp(*t);
        break;
    default:
        if (const auto d = consent::parse_date(text)) {
            (void)consent::format_date(*d);
            (void)consent::start_of_day(*d);
        }
        break;
    }
    return 0;
}
