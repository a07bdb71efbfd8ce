// Hamster Bank (seed 001) with obauth's profile, against the local bank
// (oidc-provider laid out as Hamster Bank, with its consent endpoints):
// discovery and keys from the well-known endpoints, a client credentials
// token (private_key_jwt, scope consents), an account-access consent, the
// FAPI 1.0 Advanced authorization bound to it (PAR, signed request object,
// PKCE, JARM), the consent Authorised, the accounts API with the
// certificate-bound token, refresh through the token manager, introspection,
// and the disconnect (both tokens revoked, the consent deleted).
//
// Tokens are shown as a length and a fingerprint, never in full.
// Usage: obauth_hamster_bank_example [state-dir]   (OBAUTH_BUILD_INTEROP=ON)
#include <obauth/oauth/run.hpp>
#include <obauth/providers/hamster_bank.hpp>

#include "local_bank.hpp"

#include <cstdio>
#include <string>

namespace hamster = obauth::providers::hamster;
namespace oauth = obauth::oauth;
namespace consent = obauth::consent;
namespace http = obauth::http;
using local_bank::fail;
using local_bank::fingerprint;
using local_bank::step;
using obauth::result;
using namespace std::chrono_literals;

namespace {

int run(const local_bank::bank& local, const local_bank::send_function& send) {
    obauth::system_clock_source clock;

    step("1. Discovery and the bank's keys (the seed's well-known endpoints)");
    // api.hamsterbank.ai in production: hamster::bank::create() with no URL.
    auto bank = hamster::bank::create(local.issuer);
    if (!bank)
        return fail("the bank's address", bank.error());
    auto md_resp = send(hamster::make_discovery_request(*bank).value());
    auto md = md_resp ? hamster::process_discovery_response(*bank, *md_resp)
                      : result<obauth::oidc::provider_metadata>(md_resp.error());
    if (!md)
        return fail("discovery", md.error());
    std::printf("  issuer matches; FAPI 1.0 Advanced metadata\n");
    auto keys_resp = send(hamster::make_jwks_request(*md).value());
    auto keys = keys_resp ? hamster::process_jwks_response(*keys_resp, clock.now())
                          : result<obauth::jose::jwks>(keys_resp.error());
    if (!keys)
        return fail("the bank's keys", keys.error());

    step("2. Client credentials: private_key_jwt (PS256), scope consents, mTLS-bound");
    auto key = local.key("client-rsa.key", obauth::jose::algorithm::PS256, "client-rsa");
    if (!key)
        return fail("the client's key", key.error());
    auto tpp = hamster::make_client(*md, oauth::client_auth::private_key_jwt("hamster-tpp", *key));
    if (!tpp)
        return fail("the client", tpp.error());
    auto cc_resp = send(hamster::make_consents_token_request(*tpp, clock.now()).value());
    auto cc = cc_resp ? oauth::process_token_response(*cc_resp, clock.now())
                      : result<oauth::token_set>(cc_resp.error());
    if (!cc)
        return fail("the client credentials token", cc.error());
    std::printf("  token %s\n", fingerprint(cc->access_token).c_str());

    step("3. An account-access consent");
    const auto request = consent::consent_request::account_access(
        {consent::permission::read_accounts, consent::permission::read_balances,
         consent::permission::read_transactions},
        clock.now() + 24h * 30, clock.now() - 24h * 365);
    auto create_req =
        hamster::make_create_consent_request(*bank, cc->access_token, request, clock.now());
    if (!create_req)
        return fail("the consent request", create_req.error());
    std::printf("  %s\n", create_req->body.c_str());
    auto created_resp = send(*create_req);
    auto created =
        created_resp ? hamster::process_create_consent_response(request, *created_resp, clock.now())
                     : result<consent::consent>(created_resp.error());
    if (!created)
        return fail("creating the consent", created.error());
    std::printf("  consent %s: %s\n", created->id.c_str(),
                std::string(consent::status_name(created->status)).c_str());

    step("4. The user authorizes it: PAR + signed request object + PKCE, JARM");
    auto options = hamster::authorization_options(*created, local_bank::redirect_uri, *key, *keys);
    if (!options)
        return fail("the authorization options", options.error());
    auto flow = oauth::authorization_code_flow::create(*tpp, std::move(*options));
    if (!flow)
        return fail("the flow", flow.error());
    local_bank::browser<decltype(send)> browser(send);
    auto done = oauth::run_flow(*flow, send, browser, clock);
    if (!done)
        return fail("the authorization", done.error());
    if (auto bound = hamster::check_consent_binding(*done, created->id); !bound)
        return fail("the consent binding", bound.error());
    std::printf("  the ID token names consent %s (openbanking_intent_id)\n", created->id.c_str());
    auto read_resp =
        send(hamster::make_get_consent_request(*bank, cc->access_token, request.type, created->id)
                 .value());
    auto read = read_resp ? hamster::process_get_consent_response(request.type, created->id,
                                                                  *read_resp, clock.now())
                          : result<consent::consent>(read_resp.error());
    if (!read)
        return fail("reading the consent", read.error());
    if (auto ok = hamster::check_authorised(*read, clock.now()); !ok)
        return fail("the consent's status", ok.error());
    std::printf("  consent %s: %s\n", read->id.c_str(),
                std::string(consent::status_name(read->status)).c_str());

    step("5. The accounts API with the certificate-bound token");
    hamster::fapi_headers fapi;
    fapi.customer_ip_address = "203.0.113.7"; // the user is present
    fapi.auth_date = clock.now();
    auto call = [&](const obauth::secret& token) {
        auto r =
            hamster::make_resource_request(*bank, http::http_method::get, "/accounts", token, fapi);
        auto resp = r ? send(*r) : result<http::http_response>(r.error());
        if (resp && resp->status == 200) {
            auto data = hamster::process_resource_response(*r, *resp, clock.now());
            std::printf("  %s (x-fapi-interaction-id echoed)\n",
                        data ? (*data)["Data"].dump().c_str() : data.error().to_string().c_str());
        }
        return resp ? resp->status : 0;
    };
    if (call(done->tokens.access_token) != 200)
        return fail("the accounts API", obauth::make_error(oauth::errc::unexpected_status));

    step("6. Refresh by the token manager (access 5 min, refresh 90 days)");
    obauth::manual_clock later{clock.now() + 280s}; // 20 s before the access token expires
    oauth::token_manager manager(*tpp, send, later, hamster::token_manager_options());
    const oauth::token_key scope{hamster::consent_scopes(request.type), {}};
    manager.put(scope, done->tokens.clone());
    auto fresh = manager.get(scope);
    if (!fresh)
        return fail("the refresh", fresh.error());
    std::printf("  new access token %s; refresh token %s\n",
                fingerprint(fresh->access_token).c_str(),
                *fresh->refresh_token == *done->tokens.refresh_token ? "kept" : "rotated");

    step("7. Introspection");
    auto intro_resp = send(
        oauth::make_introspection_request(*tpp, fresh->access_token, "access_token", clock.now())
            .value());
    auto intro = intro_resp ? oauth::process_introspection_response(*intro_resp, clock.now())
                            : result<oauth::introspection_result>(intro_resp.error());
    if (!intro)
        return fail("introspection", intro.error());
    std::printf("  active=%s client_id=%s sub=%s\n", intro->active ? "true" : "false",
                intro->client_id.c_str(), intro->sub.c_str());

    step("8. The user disconnects: revoke both tokens, delete the consent");
    auto bye = hamster::make_disconnect_requests(*tpp, *bank, *fresh, cc->access_token, *created,
                                                 clock.now());
    if (!bye)
        return fail("the disconnect", bye.error());
    for (const auto& r : *bye)
        if (auto resp = send(r); !resp || resp->status / 100 != 2)
            return fail("the disconnect",
                        resp ? obauth::make_error(oauth::errc::unexpected_status) : resp.error());
    const int after = call(fresh->access_token);
    std::printf("  the accounts API now answers %d\n", after);
    return after == 401 ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
    return local_bank::run_example("obauth: Hamster Bank", OBAUTH_LOCAL_BANK_DIR,
                                   argc > 1 ? argv[1] : OBAUTH_BANK_STATE_DIR, OBAUTH_NODE, run);
}
