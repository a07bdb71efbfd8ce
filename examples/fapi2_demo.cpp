// The FAPI 2.0 Security Profile with DPoP end to end, against a real
// authorization server: starts the local bank (oidc-provider on
// https://127.0.0.1, see tests/interop/bank/), then, through the libcurl
// adapter: discovery and the FAPI 2.0 metadata check, PAR with PKCE and a
// DPoP proof (the bank asks for a nonce first), the user's consent, the code
// with RFC 9207 iss, the token exchange with private_key_jwt and a
// DPoP-bound token, the bank's API (which asks for its own nonce), the same
// token with another key's proof, a refresh with a proof, introspection
// showing the key binding; then stops the bank.
//
// Prints each request line and what was checked. Tokens are shown as a
// length and a SHA-256 fingerprint: never a full token, a key or a secret.
//
// Usage: obauth_fapi2_demo [state-dir]   (built with OBAUTH_BUILD_INTEROP=ON)
#include <obauth/oauth/authorization_code_flow.hpp>
#include <obauth/oauth/introspection.hpp>
#include <obauth/oauth/resource_request.hpp>
#include <obauth/oauth/run.hpp>
#include <obauth/oauth/security_profile.hpp>
#include <obauth/oauth/token_manager.hpp>
#include <obauth/oidc/fapi.hpp>
#include <obauth/transport/curl.hpp>

#include "local_bank.hpp"

#include <cstdio>
#include <memory>
#include <string>

namespace oauth = obauth::oauth;
namespace oidc = obauth::oidc;
namespace http = obauth::http;
namespace jose = obauth::jose;
using obauth::result;

namespace {

using local_bank::fail;
using local_bank::fingerprint;
using local_bank::step;
using local_bank::where;

int run(const local_bank::bank& bank, const local_bank::send_function& transport) {
    step("1. Discovery");
    auto server = local_bank::discover(transport, bank.issuer);
    if (!server)
        return fail("discovery", server.error());
    const oidc::provider_metadata* md = &server->metadata;
    const jose::jwks* bank_keys = &server->keys;
    if (auto fapi = oidc::check_fapi2_security(*md); !fapi)
        return fail("the FAPI 2.0 metadata check", fapi.error());
    std::printf("  issuer matches; FAPI 2.0 Security Profile metadata check passed "
                "(PAR, S256, iss, DPoP or mTLS, PS256/ES256/EdDSA); %zu signing keys\n",
                bank_keys->keys().size());

    step("2. The client: private_key_jwt (PS256) and a new DPoP key (ES256)");
    auto signing_key = bank.key("client-rsa.key", jose::algorithm::PS256, "client-rsa");
    if (!signing_key)
        return fail("loading the client's key", signing_key.error());
    auto proof_key = jose::generate_key(jose::algorithm::ES256);
    if (!proof_key)
        return fail("generating the DPoP key", proof_key.error());
    oauth::client client{*md, oauth::client_auth::private_key_jwt("fapi2-dpop", *signing_key),
                         false, 256 * 1024};
    client.dpop = std::make_shared<oauth::dpop_binding>(*proof_key);
    const std::string jkt = client.dpop->thumbprint().value_or("");
    std::printf("  DPoP key thumbprint (jkt): %s\n", jkt.c_str());

    step("3. Authorization: PAR + PKCE + DPoP proof, the user consents, code + iss");
    auto flow = oauth::authorization_code_flow::create(
        client, oauth::fapi2_security(local_bank::redirect_uri,
                                      {"openid", "accounts", "offline_access"}, *bank_keys));
    if (!flow)
        return fail("setting up the flow", flow.error());
    local_bank::browser<decltype(transport)> browser(transport);
    auto user = [&](const boost::urls::url& u) -> result<std::string> {
        std::printf("  the user's browser goes to %s (the bank logs in user-1001 and "
                    "consents)\n",
                    where(u).c_str());
        return browser(u);
    };
    obauth::system_clock_source clock;
    auto done = oauth::run_flow(*flow, transport, user, clock);
    if (!done)
        return fail("the FAPI 2.0 flow", done.error());
    std::printf("  checked: use_dpop_nonce answered once with a new proof; iss, state, PKCE; the "
                "ID token (PS256) with its nonce; token_type DPoP\n");
    const oauth::token_set& tokens = done->tokens;
    std::printf("  access token: %s, %s, expires in %llds\n",
                fingerprint(tokens.access_token).c_str(), tokens.token_type.c_str(),
                static_cast<long long>(tokens.expires_in ? tokens.expires_in->count() : 0));

    step("4. The bank's API with the DPoP-bound token");
    auto accounts = [&](const oauth::client& who, const oauth::token_set& t) {
        http::http_request r;
        r.url = boost::urls::url(bank.issuer + "/accounts");
        auto resp = oauth::send_resource_request(who, std::move(r), t, transport, clock);
        if (!resp) {
            std::printf("  transport error: %s\n", resp.error().to_string().c_str());
            return 0;
        }
        std::printf("    %s\n", resp->body.substr(0, 100).c_str());
        return resp->status;
    };
    std::printf("  with our key (the API asks for its own nonce first):\n");
    const int ours = accounts(client, tokens);
    oauth::client thief{*md, oauth::client_auth::none("someone-else"), false, 256 * 1024};
    thief.dpop = std::make_shared<oauth::dpop_binding>(
        jose::generate_key(jose::algorithm::ES256).value_or(*proof_key));
    std::printf("  the same token with another key's proof: the binding must refuse it\n");
    const int theirs = accounts(thief, tokens);

    step("5. Refresh with a proof (the token manager)");
    oauth::token_manager_options tmo;
    tmo.refresh_skew = std::chrono::hours(1); // refresh now, for the demo
    oauth::token_manager manager(client, transport, clock, tmo);
    const oauth::token_key key{{"openid", "accounts"}, {}};
    manager.put(key, tokens.clone());
    auto refreshed = manager.get(key);
    if (!refreshed)
        return fail("refresh", refreshed.error());
    std::printf("  new access token: %s, %s\n", fingerprint(refreshed->access_token).c_str(),
                refreshed->token_type.c_str());

    step("6. Introspection (signed, RFC 9701): the token is bound to our key");
    auto ir = oauth::make_introspection_request(client, refreshed->access_token, "access_token",
                                                clock.now(), true);
    auto iresp = ir ? transport(*ir) : result<http::http_response>(ir.error());
    if (!iresp)
        return fail("introspection", iresp.error());
    oauth::introspection_options io;
    io.issuer_keys = bank_keys;
    io.algorithms = jose::fapi2_algorithms;
    io.issuer = bank.issuer;
    io.client_id = "fapi2-dpop";
    auto info = oauth::process_introspection_response(*iresp, clock.now(), io);
    if (!info)
        return fail("introspection", info.error());
    const auto* cnf = obauth::find_member(info->claims, "cnf");
    const auto* bound = cnf != nullptr ? obauth::find_member(*cnf, "jkt") : nullptr;
    const bool ours_bound = bound != nullptr && bound->is_string() && *bound == jkt;
    std::printf("  active=%s token_type=%s cnf.jkt is our key: %s\n",
                info->active ? "true" : "false", info->token_type.c_str(),
                ours_bound ? "yes" : "NO");
    return ours == 200 && theirs == 401 && ours_bound ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
    return local_bank::run_example("obauth FAPI 2.0 + DPoP demo", OBAUTH_LOCAL_BANK_DIR,
                                   argc > 1 ? argv[1] : OBAUTH_BANK_STATE_DIR, OBAUTH_NODE, run);
}
