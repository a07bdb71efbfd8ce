// FinHub (seed 003) with obauth's profile, against the local bank's FinHub
// stand-in (tests/interop/bank/providers.mjs): the required headers checked
// before anything is sent, the login, internalTokenKey read from the
// verified userSessionToken, the 10 % refresh rule, and the documented
// errors as their own codes.
//
// Usage: obauth_finhub_example [state-dir]   (OBAUTH_BUILD_INTEROP=ON)
#include <obauth/jose/jwks.hpp>
#include <obauth/providers/finhub.hpp>

#include "local_bank.hpp"

#include <cstdio>
#include <string>

namespace finhub = obauth::providers::finhub;
namespace http = obauth::http;
using local_bank::fail;
using local_bank::fingerprint;
using local_bank::step;
using obauth::result;

namespace {

finhub::login ada() {
    finhub::login l;
    l.username = "ada";
    l.password = local_bank::secret_of("finhub-user:ada");
    l.customer_id = "finhub-customer";
    l.customer_secret = local_bank::secret_of("finhub-customer");
    l.type = finhub::account_type::b2c;
    return l;
}

int run(const local_bank::bank& local, const local_bank::send_function& send) {
    obauth::system_clock_source clock;

    // Integration: 3600 s sessions, the client certificate optional (the
    // transport presents one anyway; production requires it).
    auto c = finhub::config::create(local.issuer + "/finhub", finhub::integration, true);
    if (!c)
        return fail("the configuration", c.error());
    http::http_request keys_req;
    keys_req.url = boost::urls::url(local.issuer + "/finhub/.well-known/jwks.json");
    auto keys_resp = send(keys_req);
    auto keys = keys_resp ? obauth::jose::parse_jwks(keys_resp->body)
                          : result<obauth::jose::jwks>(keys_resp.error());
    if (!keys)
        return fail("FinHub's keys", keys.error());
    c->session_keys = std::move(*keys);
    c->session_issuer = local.issuer + "/finhub";

    const finhub::client_headers headers{"Windows", "203.0.113.7",
                                         "Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "1234567"};

    step("1. Headers are checked before a request exists");
    auto bad = headers;
    bad.forwarded_for = "client.example";
    auto refused = finhub::make_login_request(*c, bad, ada());
    std::printf("  X-Forwarded-For 'client.example': %s\n",
                refused ? "built?!" : refused.error().to_string().c_str());
    if (refused)
        return 1;

    step("2. Login");
    auto resp = send(finhub::make_login_request(*c, headers, ada()).value());
    auto session = resp ? finhub::process_login_response(*c, headers, ada(), *resp, clock.now())
                        : result<finhub::session>(resp.error());
    if (!session)
        return fail("the login", session.error());
    std::printf("  userSessionToken %s (%s), expires in %llds\n",
                fingerprint(session->user_session_token).c_str(),
                session->verified ? "signature verified" : "NOT verified",
                static_cast<long long>(session->expires_in.count()));
    std::printf("  internalTokenKey %s for user %s, tenant %s\n",
                session->internal_token_key.c_str(), session->subject.c_str(),
                session->tenant_id.c_str());

    step("3. Refresh follows the 10 % rule");
    auto early = finhub::make_refresh_request(*c, headers, *session, clock.now());
    std::printf("  right after login: %s\n", early ? "sent?!" : early.error().to_string().c_str());
    auto forced = finhub::make_refresh_request(*c, headers, *session, clock.now(), true);
    auto fresp = forced ? send(*forced) : result<http::http_response>(forced.error());
    auto same = fresp ? finhub::process_refresh_response(*c, headers, *session, *fresp, clock.now())
                      : result<finhub::session>(fresp.error());
    if (!same)
        return fail("the refresh", same.error());
    std::printf("  forced anyway: FinHub keeps the session (%s) and says %llds are left\n",
                same->user_session_token == session->user_session_token ? "same token"
                                                                        : "new token?!",
                static_cast<long long>(same->expires_in.count()));

    step("4. Wrong credentials: their own error");
    auto wrong = ada();
    wrong.password = local_bank::secret_of("not ada's password");
    auto wresp = send(finhub::make_login_request(*c, headers, wrong).value());
    auto denied = wresp ? finhub::process_login_response(*c, headers, wrong, *wresp, clock.now())
                        : result<finhub::session>(wresp.error());
    std::printf("  %s\n", denied ? "logged in?!" : denied.error().to_string().c_str());
    return !early && !denied && denied.error().code == obauth::providers::errc::invalid_credentials
               ? 0
               : 1;
}

} // namespace

int main(int argc, char** argv) {
    return local_bank::run_example("obauth: FinHub", OBAUTH_LOCAL_BANK_DIR,
                                   argc > 1 ? argv[1] : OBAUTH_BANK_STATE_DIR, OBAUTH_NODE, run);
}
