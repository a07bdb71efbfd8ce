// Hoseki Connect (seed 000) with obauth's profile, against the local bank's
// Hoseki stand-in (tests/interop/bank/providers.mjs): the server creates a
// session with its API key, hands the session's client_secret to the client
// application (here a stand-in POST for Hoseki's user interface), reads the
// session back once accounts are linked, and retrieves the accounts' data.
//
// Usage: obauth_hoseki_example [state-dir]   (OBAUTH_BUILD_INTEROP=ON)
#include <obauth/providers/hoseki.hpp>

#include "local_bank.hpp"

#include <cstdio>
#include <string>

namespace hoseki = obauth::providers::hoseki;
namespace http = obauth::http;
using local_bank::fail;
using local_bank::step;
using obauth::result;

namespace {

int run(const local_bank::bank& local, const local_bank::send_function& send) {
    obauth::system_clock_source clock;

    step("1. HTTPS and the API key, or nothing is built");
    auto plain = hoseki::config::create("http://api.hoseki.example",
                                        local_bank::secret_of("hoseki-api-key"));
    std::printf("  http://: %s\n", plain ? "accepted?!" : plain.error().to_string().c_str());
    auto c =
        hoseki::config::create(local.issuer + "/hoseki", local_bank::secret_of("hoseki-api-key"));
    if (plain || !c)
        return fail("the configuration", c ? plain.error() : c.error());

    step("2. The server creates a session");
    auto created_resp = send(hoseki::make_create_session_request(*c).value());
    auto created = created_resp
                       ? hoseki::process_session_response(*c, *created_resp, clock.now(), true)
                       : result<hoseki::session>(created_resp.error());
    if (!created)
        return fail("creating the session", created.error());
    std::printf("  session %s: %s\n", created->id.c_str(), created->status.c_str());
    auto handoff = hoseki::client_handoff(*created);
    if (!handoff)
        return fail("the hand-off", handoff.error());

    step("3. The client application links the user's accounts with the client_secret");
    http::http_request link;
    link.method = http::http_method::post;
    link.url = boost::urls::url(local.issuer + "/hoseki/test/link");
    link.headers.push_back({"Content-Type", "application/json"});
    link.body = handoff->expose_secret_chars(); // wiped when the request goes
    auto linked = send(link);
    if (!linked || linked->status != 200)
        return fail("linking", linked ? obauth::make_error(obauth::providers::errc::bad_request)
                                      : linked.error());

    step("4. The server reads the session back");
    auto read_resp = send(hoseki::make_get_session_request(*c, created->id).value());
    auto read = read_resp ? hoseki::process_session_response(*c, *read_resp, clock.now(), false)
                          : result<hoseki::session>(read_resp.error());
    if (!read)
        return fail("reading the session", read.error());
    auto accounts = hoseki::linked_accounts(*read);
    if (!accounts)
        return fail("the linked accounts", accounts.error());
    std::printf("  %s: %zu accounts linked\n", read->status.c_str(), (*accounts)->size());

    step("5. The accounts' data");
    for (const auto& a : **accounts) {
        auto b = send(hoseki::make_account_request(*c, a.id, "balances").value());
        auto balances = b ? hoseki::process_account_response(*c, *b, clock.now())
                          : result<obauth::json>(b.error());
        if (!balances)
            return fail("the balances", balances.error());
        std::printf("  %s (%s): available %s\n", a.name.c_str(), a.id.c_str(),
                    (*balances)["balances"]["available"].dump().c_str());
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    return local_bank::run_example("obauth: Hoseki Connect", OBAUTH_LOCAL_BANK_DIR,
                                   argc > 1 ? argv[1] : OBAUTH_BANK_STATE_DIR, OBAUTH_NODE, run);
}
