// The FAPI 1.0 Advanced flow end to end, against a real authorization
// server: starts the local bank (oidc-provider on https://127.0.0.1, see
// tests/interop/bank/), then, through the libcurl adapter with mutual TLS:
// discovery and the FAPI metadata check, PAR with a signed request object
// and PKCE, the user's consent, the signed (JARM) response, the token
// exchange with private_key_jwt and a certificate-bound token, a call to the
// bank's API (and the same token from another certificate), refresh with
// rotation, introspection as a signed JWT, revocation; then stops the bank.
//
// Prints each request line and what was checked. Tokens are shown as a
// length and a SHA-256 fingerprint, JWTs as their decoded claims: never a
// full token, a key or a secret.
//
// Usage: obauth_fapi_demo [state-dir]   (built with OBAUTH_BUILD_INTEROP=ON)
#include <obauth/oauth/authorization_code_flow.hpp>
#include <obauth/oauth/introspection.hpp>
#include <obauth/oauth/revocation.hpp>
#include <obauth/oauth/run.hpp>
#include <obauth/oidc/fapi.hpp>
#include <obauth/oidc/provider_metadata.hpp>
#include <obauth/transport/curl.hpp>

#include "local_bank.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace oauth = obauth::oauth;
namespace oidc = obauth::oidc;
namespace http = obauth::http;
namespace jose = obauth::jose;
using obauth::json;
using obauth::result;
using obauth::secret;

namespace {

using local_bank::fail;
using local_bank::fingerprint;
using local_bank::step;
using local_bank::where;

// `transport`: every request on its way out and its answer, as one line each.
int run(const local_bank::bank& bank, const local_bank::send_function& transport) {
    auto other = obauth::transport::curl_transport::create(bank.transport_options(true));
    if (!other)
        return fail("creating the libcurl transport", other.error());

    step("1. Discovery");
    auto server = local_bank::discover(transport, bank.issuer);
    if (!server)
        return fail("discovery", server.error());
    const oidc::provider_metadata* md = &server->metadata;
    const jose::jwks* bank_keys = &server->keys;
    if (auto fapi = oidc::check_fapi1_advanced(*md); !fapi)
        return fail("the FAPI 1.0 Advanced metadata check", fapi.error());
    std::printf("  issuer matches; FAPI 1.0 Advanced metadata check passed "
                "(PAR, S256, PS256/ES256, certificate-bound tokens); %zu signing keys\n",
                bank_keys->keys().size());

    step("2. Authorization: PAR + signed request object + PKCE, the user consents, JARM");
    auto signing_key = bank.key("client-rsa.key", jose::algorithm::PS256, "client-rsa");
    if (!signing_key)
        return fail("loading the client's key", signing_key.error());
    const oauth::client client{*md, oauth::client_auth::private_key_jwt("fapi-jarm", *signing_key),
                               true, 256 * 1024};
    auto flow = oauth::authorization_code_flow::create(
        client,
        oauth::fapi1_advanced(local_bank::redirect_uri, {"openid", "accounts", "offline_access"},
                              *signing_key, *bank_keys));
    if (!flow)
        return fail("setting up the flow", flow.error());
    local_bank::browser<decltype(transport)> browser(transport);
    auto user = [&](const boost::urls::url& u) -> result<std::string> {
        std::printf("  the user's browser goes to %s (the bank logs in user-1001 and "
                    "consents)\n",
                    where(u).c_str());
        auto back = browser(u);
        if (back)
            std::printf("  …and comes back to %s with a signed response\n",
                        local_bank::redirect_uri.c_str());
        return back;
    };
    obauth::system_clock_source clock;
    auto done = oauth::run_flow(*flow, transport, user, clock);
    if (!done)
        return fail("the FAPI flow", done.error());
    std::printf("  checked: the JARM response's signature with the bank's key, its iss, aud and "
                "exp; state; PKCE; PS256 client assertions\n");

    step("3. The tokens");
    const oauth::token_set& tokens = done->tokens;
    std::printf("  access token:  %s, %s, expires in %llds\n",
                fingerprint(tokens.access_token).c_str(), tokens.token_type.c_str(),
                static_cast<long long>(tokens.expires_in ? tokens.expires_in->count() : 0));
    if (tokens.refresh_token)
        std::printf("  refresh token: %s\n", fingerprint(*tokens.refresh_token).c_str());
    if (done->id_token) {
        const auto& id = *done->id_token;
        std::printf("  ID token (%s, verified): iss=%s sub=%s aud=%s\n",
                    std::string(jose::to_string(id.alg())).c_str(), std::string(id.iss()).c_str(),
                    std::string(id.sub()).c_str(),
                    id.aud().empty() ? "" : std::string(id.aud().front()).c_str());
        std::printf("  checked: signature with the bank's key, iss, aud, exp, iat, nonce\n");
    }

    step("4. The bank's API with the certificate-bound token");
    auto call = [&](const local_bank::send_function& t, const char* who) {
        std::printf("  %s:\n", who);
        http::http_request r;
        r.url = boost::urls::url(bank.issuer + "/accounts");
        r.headers.push_back(
            {"Authorization",
             http::authorization_value("Bearer", tokens.access_token.expose_secret_chars())});
        r.use_client_certificate = true;
        auto resp = t(r);
        if (!resp) {
            std::printf("  transport error: %s\n", resp.error().to_string().c_str());
            return;
        }
        std::printf("    %s\n", resp->body.substr(0, 120).c_str());
    };
    call(transport, "our certificate");
    call(local_bank::logged(*other), "someone else's certificate: the binding must refuse it");

    step("5. Refresh (the refresh token rotates)");
    if (!tokens.refresh_token)
        return fail("refresh",
                    obauth::make_error(oauth::errc::invalid_response, "no refresh token"));
    auto rr = oauth::make_token_request(
        client, oauth::refresh_token_grant{tokens.refresh_token->clone(), {}}, clock.now());
    auto rresp = rr ? transport(*rr) : result<http::http_response>(rr.error());
    if (!rresp)
        return fail("refresh", rresp.error());
    auto refreshed = oauth::process_token_response(*rresp, clock.now());
    if (!refreshed)
        return fail("refresh", refreshed.error());
    std::printf("  new access token:  %s\n", fingerprint(refreshed->access_token).c_str());
    if (refreshed->refresh_token)
        std::printf("  new refresh token: %s (%s)\n",
                    fingerprint(*refreshed->refresh_token).c_str(),
                    *refreshed->refresh_token == *tokens.refresh_token ? "not rotated" : "rotated");

    step("6. Introspection, as a JWT signed by the bank (RFC 9701)");
    auto ir = oauth::make_introspection_request(client, refreshed->access_token, "access_token",
                                                clock.now(), true);
    auto iresp = ir ? transport(*ir) : result<http::http_response>(ir.error());
    if (!iresp)
        return fail("introspection", iresp.error());
    oauth::introspection_options io;
    io.issuer_keys = bank_keys;
    io.issuer = bank.issuer;
    io.client_id = "fapi-jarm";
    auto info = oauth::process_introspection_response(*iresp, clock.now(), io);
    if (!info)
        return fail("introspection", info.error());
    auto thumb = bank.certificate_pem();
    auto bound =
        thumb ? oauth::certificate_thumbprint_from_pem(*thumb) : result<std::string>(thumb.error());
    std::printf("  active=%s client_id=%s sub=%s scope=%zu values; bound to our certificate: %s\n",
                info->active ? "true" : "false", info->client_id.c_str(), info->sub.c_str(),
                info->scope.size(),
                bound && oauth::check_certificate_binding(info->claims, *bound) ? "yes" : "NO");

    step("7. Revocation");
    auto rv = oauth::make_revocation_request(client, refreshed->access_token, "access_token",
                                             clock.now());
    auto rvresp = rv ? transport(*rv) : result<http::http_response>(rv.error());
    if (!rvresp)
        return fail("revocation", rvresp.error());
    if (auto ok = oauth::process_revocation_response(*rvresp, clock.now()); !ok)
        return fail("revocation", ok.error());
    auto again = oauth::make_introspection_request(client, refreshed->access_token, "access_token",
                                                   clock.now());
    auto again_resp = again ? transport(*again) : result<http::http_response>(again.error());
    if (!again_resp)
        return fail("introspection after revocation", again_resp.error());
    auto gone = oauth::process_introspection_response(*again_resp, clock.now());
    if (!gone)
        return fail("introspection after revocation", gone.error());
    std::printf("  the revoked token is now active=%s\n", gone->active ? "true" : "false");
    return gone->active ? 1 : 0;
}

} // namespace

int main(int argc, char** argv) {
    return local_bank::run_example("obauth FAPI 1.0 Advanced demo", OBAUTH_LOCAL_BANK_DIR,
                                   argc > 1 ? argv[1] : OBAUTH_BANK_STATE_DIR, OBAUTH_NODE, run);
}
