// OpenID Connect without owning a socket: discovery, the FAPI 1.0 Advanced
// check, the JWKS cache and ID token validation (hybrid flow: nonce, c_hash,
// s_hash). obauth builds every request as a value and takes every response
// as a value; here `serve()` plays the bank so the example runs offline —
// in an application it is your HTTP client.
#include <obauth/oidc/discovery.hpp>
#include <obauth/oidc/fapi.hpp>
#include <obauth/oidc/id_token.hpp>
#include <obauth/oidc/jwks_cache.hpp>
#include <obauth/oidc/provider_metadata.hpp>

#include <iostream>
#include <string>

namespace oidc = obauth::oidc;
namespace jose = obauth::jose;
namespace http = obauth::http;
using obauth::json;
using namespace std::chrono_literals;

namespace {

const std::string issuer = "https://auth.hamsterbank.example";

// The bank's side, in memory.
struct bank {
    jose::jwk key = jose::generate_key(jose::algorithm::PS256, "2026-11-signing").value();

    http::http_response serve(const http::http_request& req) const {
        const std::string url(req.url.buffer());
        if (url == issuer + "/.well-known/openid-configuration")
            return json_response(metadata(), {});
        if (url == "https://keys.hamsterbank.example/jwks")
            return json_response({{"keys", {key.to_public_json()}}}, "public, max-age=900");
        return {404, {}, ""};
    }
    static json metadata() {
        return {{"issuer", issuer},
                {"authorization_endpoint", issuer + "/as/authorize"},
                {"token_endpoint", issuer + "/as/token"},
                {"pushed_authorization_request_endpoint", issuer + "/as/par"},
                {"jwks_uri", "https://keys.hamsterbank.example/jwks"},
                {"mtls_endpoint_aliases",
                 {{"token_endpoint", "https://mtls.auth.hamsterbank.example/as/token"},
                  {"pushed_authorization_request_endpoint",
                   "https://mtls.auth.hamsterbank.example/as/par"}}},
                {"response_types_supported", {"code", "code id_token"}},
                {"response_modes_supported", {"query", "fragment", "jwt"}},
                {"grant_types_supported", {"authorization_code", "refresh_token"}},
                {"subject_types_supported", {"public"}},
                {"code_challenge_methods_supported", {"S256"}},
                {"token_endpoint_auth_methods_supported", {"private_key_jwt", "tls_client_auth"}},
                {"token_endpoint_auth_signing_alg_values_supported", {"PS256", "ES256"}},
                {"id_token_signing_alg_values_supported", {"PS256", "ES256"}},
                {"request_object_signing_alg_values_supported", {"PS256", "ES256"}},
                {"authorization_signing_alg_values_supported", {"PS256", "ES256"}},
                {"tls_client_certificate_bound_access_tokens", true},
                {"require_pushed_authorization_requests", true}};
    }
    // The ID token of a hybrid ("code id_token") authorization response.
    std::string id_token(std::string_view code, std::string_view state, std::string_view nonce,
                         std::int64_t now) const {
        json claims = {{"iss", issuer},
                       {"sub", "psu-2289761001"},
                       {"aud", "client-7f3a"},
                       {"iat", now},
                       {"exp", now + 300},
                       {"auth_time", now - 20},
                       {"acr", "urn:openbanking:psd2:sca"},
                       {"nonce", nonce},
                       {"c_hash", oidc::token_hash(jose::algorithm::PS256, code).value()},
                       {"s_hash", oidc::token_hash(jose::algorithm::PS256, state).value()}};
        return jose::sign_jwt(claims, key).value();
    }

private:
    static http::http_response json_response(const json& body, std::string cache_control) {
        http::http_response r{200, {{"Content-Type", "application/json"}}, body.dump()};
        if (!cache_control.empty())
            r.headers.push_back({"Cache-Control", std::move(cache_control)});
        return r;
    }
};

int fail(const char* step, const obauth::error_info& e) {
    std::cerr << step << ": " << e.to_string() << "\n";
    return 1;
}

} // namespace

int main() {
    const bank the_bank;
    const obauth::time_point now = std::chrono::system_clock::now();

    // 1. Discovery.
    auto req = oidc::make_discovery_request(issuer, oidc::metadata_kind::openid_configuration);
    if (!req)
        return fail("discovery request", req.error());
    std::cout << "GET " << req->url.buffer() << "\n";
    oidc::metadata_options mo;
    mo.expected_issuer = issuer;
    auto md = oidc::process_discovery_response(the_bank.serve(*req), mo);
    if (!md)
        return fail("metadata", md.error());
    std::cout << "  issuer matches; " << md->response_types_supported.size()
              << " response types, PAR "
              << (md->require_pushed_authorization_requests ? "required" : "optional") << "\n";

    // 2. FAPI 1.0 Advanced: every problem at once, or none.
    const auto problems = oidc::fapi1_advanced_problems(*md);
    std::cout << "  FAPI 1.0 Advanced: " << (problems.empty() ? "ok" : "NOT MET") << "\n";
    for (const auto& p : problems)
        std::cout << "    " << p.member << ": " << p.message << "\n";

    // 3. With a TLS client certificate the mTLS alias is the token endpoint.
    auto token_url =
        oidc::select_endpoint(*md, oidc::endpoint::token, oidc::client_certificate::used);
    std::cout << "  token endpoint (mTLS): " << token_url->buffer() << "\n";

    // 4. The JWKS cache says when to fetch; the caller fetches.
    auto cache = oidc::jwks_cache::create(*md).value();
    if (auto fetch = cache.begin_fetch(now)) {
        std::cout << "GET " << fetch->url.buffer() << "\n";
        if (auto r = cache.on_response(the_bank.serve(*fetch), now); !r)
            return fail("jwks", r.error());
    }
    const auto fresh_for =
        std::chrono::duration_cast<std::chrono::seconds>(cache.status().fresh_until - now);
    std::cout << "  " << cache.keys(now).value()->keys().size() << " key(s), fresh for "
              << fresh_for.count() << " s\n";

    // 5. The ID token from the authorization response (hybrid flow).
    const std::string code = "SplxlOBeZQQYbYS6WxSbIA", state = "af0ifjsldkj",
                      nonce = "n-0S6_WzA2Mj";
    const std::string token = the_bank.id_token(code, state, nonce, obauth::to_unix_seconds(now));
    auto v = oidc::fapi1_id_token_validation(issuer, "client-7f3a",
                                             oidc::id_token_source::authorization_response);
    v.nonce = nonce;
    v.code = code;
    v.state = state;
    v.acr_values = {"urn:openbanking:psd2:sca"};
    v.acr_essential = true;
    auto id = oidc::validate_id_token(token, *cache.keys(now).value(), v, now);
    if (!id)
        return fail("ID token", id.error());
    std::cout << "ID token (" << jose::info(id->alg()).name << ") valid: sub=" << id->sub()
              << " acr=" << id->acr() << "; nonce, c_hash and s_hash match\n";

    // 6. Tampering and forged key ids are refused; a forged kid cannot make
    //    the cache fetch again right away.
    v.state = "another-state";
    auto swapped = oidc::validate_id_token(token, *cache.keys(now).value(), v, now);
    std::cout << "  with another state: " << swapped.error().code.message() << "\n";
    const auto attacker = jose::generate_key(jose::algorithm::PS256, "forged").value();
    const std::string forged =
        jose::sign_jwt(json{{"iss", issuer}, {"sub", "x"}}, attacker).value();
    auto f = oidc::validate_id_token(forged, *cache.keys(now).value(), v, now);
    std::cout << "  forged kid: " << f.error().code.message()
              << "; refresh granted: " << (cache.request_refresh(now) ? "yes" : "no (rate-limited)")
              << "\n";
    return 0;
}
