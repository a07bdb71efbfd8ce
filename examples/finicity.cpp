// Finicity (seed 004) with obauth's profile, against the local bank's
// Finicity stand-in (tests/interop/bank/providers.mjs): the JSON token
// request with the App-Key, kept fresh by the token manager, and an API
// call with Bearer token, App-Key and JSON headers.
//
// Usage: obauth_finicity_example [state-dir]   (OBAUTH_BUILD_INTEROP=ON)
#include <obauth/providers/finicity.hpp>

#include "local_bank.hpp"

#include <cstdio>
#include <string>

namespace finicity = obauth::providers::finicity;
namespace oauth = obauth::oauth;
using local_bank::fail;
using local_bank::fingerprint;
using local_bank::step;
using namespace std::chrono_literals;

namespace {

int run(const local_bank::bank& local, const local_bank::send_function& send) {

    // finicity::config::create(credentials) alone uses https://api.finicity.com.
    auto c = finicity::config::create({"finicity-client", local_bank::secret_of("finicity-client"),
                                       local_bank::secret_of("finicity-app-key")},
                                      local.issuer + "/finicity");
    if (!c)
        return fail("the configuration", c.error());

    step("1. A token (JSON body, Finicity-App-Key), kept by the token manager");
    obauth::manual_clock clock{obauth::system_clock_source().now()};
    auto manager = finicity::make_token_manager(*c, send, clock);
    auto token = manager.get({});
    if (!token)
        return fail("the token", token.error());
    std::printf("  %s, expires in %llds\n", fingerprint(token->access_token).c_str(),
                static_cast<long long>(token->expires_in->count()));
    clock.advance(3000s);
    std::printf("  50 minutes later: the same token, no request\n");
    auto same = manager.get({});
    clock.advance(250s); // under 10 % (6 min) left: a new one before it expires
    std::printf("  54 minutes later: refreshed ahead of expires_in\n");
    auto next = manager.get({});
    if (!same || !next)
        return fail("the refresh", same ? next.error() : same.error());
    if (same->access_token != token->access_token || next->access_token == token->access_token)
        return fail("the refresh", obauth::make_error(obauth::providers::errc::invalid_response));

    step("2. The API: GET /aggregation/v2/customers");
    auto req =
        finicity::make_api_request(*c, obauth::http::http_method::get, "/aggregation/v2/customers",
                                   next->access_token, {{"start", "1"}, {"limit", "25"}});
    if (!req)
        return fail("the request", req.error());
    auto resp = send(*req);
    auto customers = resp ? finicity::process_api_response(*c, *resp, clock.now())
                          : obauth::result<obauth::json>(resp.error());
    if (!customers)
        return fail("the customers", customers.error());
    std::printf("  found %s customer(s)\n", (*customers)["found"].dump().c_str());
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    return local_bank::run_example("obauth: Finicity", OBAUTH_LOCAL_BANK_DIR,
                                   argc > 1 ? argv[1] : OBAUTH_BANK_STATE_DIR, OBAUTH_NODE, run);
}
