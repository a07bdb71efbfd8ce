// An in-memory authorization server for the OAuth client tests. It does the
// server's side for real with obauth's verifiers and real keys: client
// assertions (private_key_jwt) or the mTLS flag, signed request objects,
// PAR with expiry, PKCE S256, single-use codes, JARM and hybrid responses,
// ID tokens with at_hash/c_hash/s_hash, certificate-bound JWT access tokens,
// refresh-token rotation with reuse detection, introspection, revocation.
// Knobs make it misbehave the way hostile or broken servers do.
#pragma once

#include "support/oauth_support.hpp"

#include <obauth/assertion/assertion_verifier.hpp>
#include <obauth/dpop/verifier.hpp>
#include <obauth/http/form.hpp>
#include <obauth/http/http_request.hpp>
#include <obauth/http/http_response.hpp>
#include <obauth/jwe/jwe.hpp>
#include <obauth/jwe/nested.hpp>
#include <obauth/oidc/id_token.hpp>
#include <obauth/pkce/code_verifier.hpp>

#include <boost/url/parse.hpp>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <string>

namespace obauth::test {

class fake_bank {
public:
    std::string client_id = "client-42";
    jose::jwks client_keys{std::vector<jose::jwk>{client_key().public_key()}};
    std::string client_cert_thumbprint = "x5t-of-the-client-certificate-0123456789ab";
    std::string user = "user-1001";
    std::chrono::seconds access_lifetime{300};
    std::chrono::seconds par_lifetime{60};

    // Misbehaviour knobs.
    bool jarm_wrong_key = false;
    std::string callback_iss = bank_issuer; ///< empty: leave iss out
    bool token_id_token_other_sub = false;
    /// As Glewlwyd does: c_hash and s_hash in the token endpoint's ID token
    /// too (and, to test the check, a c_hash of another code).
    bool token_id_token_code_hashes = false;
    bool token_id_token_wrong_c_hash = false;

    /// DPoP at the token endpoint (verified with obauth's own verifier: the
    /// independent servers are in tests/interop): a proof binds the token
    /// (cnf.jkt, token_type DPoP); with `dpop_nonce_required` a proof must
    /// carry the bank's nonce, else 400 use_dpop_nonce with a DPoP-Nonce.
    bool dpop_nonce_required = false;
    /// Answer a DPoP request with a Bearer token (a server ignoring DPoP).
    bool dpop_ignored = false;
    /// Encryption the client registered: ID tokens and JARM responses
    /// signed, then encrypted to `client_encryption` (cty JWT). An encrypted
    /// request object is decrypted with bank_encryption_key().
    std::optional<jwe::encrypt_options> encrypt_id_tokens, encrypt_jarm;
    jose::jwk client_encryption = client_encryption_key().public_key();
    int encrypted_request_objects = 0;
    int token_requests = 0;
    int refresh_requests = 0;

    http::http_response handle(const http::http_request& req, time_point now) {
        std::lock_guard<std::mutex> lock(mu_);
        const std::string url(req.url.buffer());
        auto fields = http::parse_form(req.body);
        if (!fields)
            return error(400, "invalid_request");
        if (url == "https://mtls.bank.example/par" || url == bank_issuer + "/par")
            return par(req, *fields, now);
        if (url == "https://mtls.bank.example/token" || url == bank_issuer + "/token")
            return token(req, *fields, now);
        if (url == "https://mtls.bank.example/introspect" || url == bank_issuer + "/introspect")
            return introspect(req, *fields, now);
        if (url == "https://mtls.bank.example/revoke" || url == bank_issuer + "/revoke")
            return revoke(req, *fields, now);
        return {404, {{"Content-Type", "text/html"}}, "<h1>not found</h1>"};
    }

    /// The user agent at the authorization endpoint: returns the redirect
    /// back to the client (query, fragment or JARM).
    std::string authorize(std::string_view authorization_url, time_point now) {
        std::lock_guard<std::mutex> lock(mu_);
        auto u = boost::urls::parse_uri(authorization_url);
        if (!u)
            return "bad-url";
        auto q = http::parse_form(u->encoded_query()).value();
        const std::string* request_uri = field(q, "request_uri");
        if (request_uri == nullptr || field(q, "client_id") == nullptr ||
            *field(q, "client_id") != client_id)
            return redirect_error("https://client.example/cb?", "", "invalid_request");
        auto it = pushed_.find(*request_uri);
        if (it == pushed_.end())
            return redirect_error("https://client.example/cb?", "", "invalid_request_uri");
        if (now >= it->second.expires) {
            // Errors go where the response would have gone (fragment for hybrid).
            const auto& p = it->second.params;
            return redirect_error(p.at("redirect_uri") +
                                      (p.at("response_type") == "code id_token" ? "#" : "?"),
                                  p.at("state"), "invalid_request_uri");
        }
        auto p = it->second.params;
        pushed_.erase(it);
        const std::string code = "code-" + std::to_string(++counter_);
        codes_[code] = p;
        const std::string& redirect = p.at("redirect_uri");
        const std::string& state = p.at("state");
        if (p.count("response_mode") && p.at("response_mode") == "jwt") {
            json claims = {{"iss", bank_issuer},
                           {"aud", client_id},
                           {"exp", to_unix_seconds(now) + 60},
                           {"code", code},
                           {"state", state}};
            const std::string jwt =
                jose::sign_jwt(claims, jarm_wrong_key ? other_key() : bank_key()).value();
            return redirect + "?response=" + seal(jwt, encrypt_jarm);
        }
        std::string params = "code=" + code + "&state=" + state;
        if (!callback_iss.empty())
            params += "&iss=" + form(callback_iss);
        if (p.at("response_type") == "code id_token") {
            params += "&id_token=" + id_token(p, now, code, state, "");
            return redirect + "#" + params;
        }
        return redirect + "?" + params;
    }

    std::string access_token_for(std::string_view token) const {
        std::lock_guard<std::mutex> lock(mu_);
        return active_.count(std::string(token)) ? "active" : "inactive";
    }

private:
    struct pushed {
        std::map<std::string, std::string> params;
        time_point expires;
    };

    static const std::string* field(const http::form_fields& f, std::string_view name) {
        for (const auto& [n, v] : f)
            if (n == name)
                return &v;
        return nullptr;
    }
    static std::string form(std::string_view s) {
        std::string out;
        http::append_form_encoded(s, out);
        return out;
    }
    static http::http_response json_response(int status, const json& body) {
        return {status,
                {{"Content-Type", "application/json"}, {"Cache-Control", "no-store"}},
                body.dump()};
    }
    static http::http_response error(int status, const char* code) {
        return json_response(status, {{"error", code}});
    }
    static std::string redirect_error(const std::string& redirect, const std::string& state,
                                      const char* code) {
        return redirect + "error=" + code + "&state=" + state + "&iss=" + form(bank_issuer);
    }

    // Client authentication: the mTLS flag, or a private_key_jwt assertion.
    bool authenticated(const http::http_request& req, const http::form_fields& f, time_point now) {
        const std::string* type = field(f, "client_assertion_type");
        const std::string* assertion = field(f, "client_assertion");
        if (type && assertion) {
            return assertion::verify_client_assertion(
                       *assertion, client_keys,
                       assertion::assertion_policy::fapi(client_id, {bank_issuer}), seen_, now)
                .has_value();
        }
        const std::string* id = field(f, "client_id");
        return req.use_client_certificate && id && *id == client_id;
    }

    http::http_response par(const http::http_request& req, const http::form_fields& f,
                            time_point now) {
        if (!authenticated(req, f, now))
            return error(401, "invalid_client");
        std::map<std::string, std::string> params;
        if (const std::string* sent = field(f, "request")) {
            std::string inner;
            if (std::count(sent->begin(), sent->end(), '.') == 4) {
                jwe::decrypt_options dopt;
                dopt.algorithms = {jwe::key_management::ECDH_ES_A256KW,
                                   jwe::key_management::RSA_OAEP_256};
                dopt.encryptions = {jwe::content_encryption::A256GCM};
                auto d = jwe::decrypt_compact(*sent, bank_encryption_key(), dopt);
                if (!d || !jwe::check_nested_jwt(*d))
                    return error(400, "invalid_request_object");
                inner = std::string(d->plaintext().expose_secret().as_chars());
                ++encrypted_request_objects;
            }
            const std::string* ro = inner.empty() ? sent : &inner;
            jose::jws_verify_options vo;
            vo.algorithms = jose::fapi_algorithms;
            jose::jwt_validation p;
            p.issuer = client_id;
            p.audiences = {bank_issuer};
            p.max_lifetime = std::chrono::minutes(60);
            p.typ = "oauth-authz-req+jwt";
            auto jwt = jose::verify_jwt(*ro, client_keys, vo, p, now);
            if (!jwt || !jwt->nbf())
                return error(400, "invalid_request_object");
            for (const auto& [k, v] : jwt->claims().items())
                if (v.is_string())
                    params[k] = v.get<std::string>();
        } else {
            for (const auto& [k, v] : f)
                params[k] = v;
        }
        for (const char* required : {"redirect_uri", "state", "code_challenge", "response_type"})
            if (!params.count(required))
                return error(400, "invalid_request");
        if (params["code_challenge_method"] != "S256")
            return error(400, "invalid_request");
        const std::string uri = "urn:ietf:params:oauth:request_uri:" + std::to_string(++counter_);
        pushed_[uri] = {params, now + par_lifetime};
        return json_response(201, {{"request_uri", uri}, {"expires_in", par_lifetime.count()}});
    }

    std::string id_token(const std::map<std::string, std::string>& p, time_point now,
                         const std::string& code, const std::string& state,
                         const std::string& access_token) const {
        json c = {{"iss", bank_issuer},
                  {"sub", token_id_token_other_sub && access_token.size() ? "user-666" : user},
                  {"aud", client_id},
                  {"iat", to_unix_seconds(now)},
                  {"exp", to_unix_seconds(now) + 300},
                  {"auth_time", to_unix_seconds(now) - 5}};
        if (p.count("nonce"))
            c["nonce"] = p.at("nonce");
        if (!code.empty())
            c["c_hash"] = oidc::token_hash(jose::algorithm::PS256, code).value();
        if (!state.empty())
            c["s_hash"] = oidc::token_hash(jose::algorithm::PS256, state).value();
        if (!access_token.empty())
            c["at_hash"] = oidc::token_hash(jose::algorithm::PS256, access_token).value();
        return seal(jose::sign_jwt(c, bank_key()).value(), encrypt_id_tokens);
    }

    /// `jws` encrypted to the client when `how` is set.
    std::string seal(const std::string& jws, const std::optional<jwe::encrypt_options>& how) const {
        if (!how)
            return jws;
        jwe::encrypt_options o = *how;
        o.cty = "JWT";
        return jwe::encrypt_compact(bytes_view(jws), client_encryption, o).value();
    }

    json issue(const std::map<std::string, std::string>& p, bool mtls, time_point now,
               const std::string& scope, bool with_refresh, const std::string& code = {}) {
        json at_claims = {{"iss", bank_issuer},
                          {"aud", "https://api.bank.example"},
                          {"sub", user},
                          {"client_id", client_id},
                          {"scope", scope},
                          {"exp", to_unix_seconds(now + access_lifetime)},
                          {"jti", std::to_string(++counter_)}};
        if (mtls)
            at_claims["cnf"] = {{"x5t#S256", client_cert_thumbprint}};
        if (jkt_)
            at_claims["cnf"]["jkt"] = *jkt_;
        jose::jws_sign_options so;
        so.typ = "at+jwt";
        const std::string at = jose::sign_jwt(at_claims, bank_key(), so).value();
        active_.insert(at);
        json body = {{"access_token", at},
                     {"token_type", jkt_ ? "DPoP" : "Bearer"},
                     {"expires_in", access_lifetime.count()},
                     {"scope", scope}};
        if (with_refresh) {
            const std::string rt = "rt-" + std::to_string(++counter_);
            refresh_[rt] = {scope, false};
            body["refresh_token"] = rt;
        }
        if (p.count("nonce"))
            body["id_token"] =
                token_id_token_code_hashes
                    ? id_token(p, now, token_id_token_wrong_c_hash ? code + "x" : code,
                               p.at("state"), at)
                    : id_token(p, now, "", "", at);
        return body;
    }

    http::http_response token(const http::http_request& req, const http::form_fields& f,
                              time_point now) {
        ++token_requests;
        if (!authenticated(req, f, now))
            return error(401, "invalid_client");
        jkt_.reset();
        std::vector<std::string_view> proofs;
        for (const auto& h : req.headers)
            if (ascii_iequals(h.name, "DPoP"))
                proofs.emplace_back(h.value.data(), h.value.size());
        if (!proofs.empty() && !dpop_ignored) {
            dpop::verify_options vo;
            vo.replay = &dpop_seen_;
            if (dpop_nonce_required)
                vo.nonces = &dpop_nonces();
            const std::string url(req.url.buffer());
            dpop::proof_request pr{proofs, "POST", url, {}, {}};
            auto v = dpop::verify_proof(pr, now, vo);
            if (!v) {
                auto e = error(400, std::string(dpop::challenge_error(v.error().code)).c_str());
                if (dpop::challenge_error(v.error().code) == "use_dpop_nonce")
                    e.headers.push_back({"DPoP-Nonce", dpop_nonces().issue(now).value()});
                return e;
            }
            jkt_ = v->thumbprint();
        }
        const std::string* grant = field(f, "grant_type");
        if (grant == nullptr)
            return error(400, "invalid_request");
        if (*grant == "authorization_code") {
            const std::string* code = field(f, "code");
            const std::string* verifier = field(f, "code_verifier");
            const std::string* redirect = field(f, "redirect_uri");
            if (!code || !verifier || !redirect)
                return error(400, "invalid_request");
            auto it = codes_.find(*code);
            if (it == codes_.end())
                return error(400, "invalid_grant");
            auto p = it->second;
            codes_.erase(it); // single use
            if (p["redirect_uri"] != *redirect ||
                !pkce::verify_code_verifier(*verifier, p["code_challenge"],
                                            pkce::challenge_method::s256))
                return error(400, "invalid_grant");
            return json_response(
                200, issue(p, req.use_client_certificate, now, p["scope"], true, *code));
        }
        if (*grant == "refresh_token") {
            ++refresh_requests;
            const std::string* rt = field(f, "refresh_token");
            auto it = rt ? refresh_.find(*rt) : refresh_.end();
            if (it == refresh_.end())
                return error(400, "invalid_grant");
            if (it->second.used) { // reuse of a rotated token: revoke the family
                for (auto& r : refresh_)
                    r.second.used = true;
                return error(400, "invalid_grant");
            }
            it->second.used = true;
            return json_response(
                200, issue({}, req.use_client_certificate, now, it->second.scope, true));
        }
        if (*grant == "client_credentials") {
            const std::string* scope = field(f, "scope");
            return json_response(
                200, issue({}, req.use_client_certificate, now, scope ? *scope : "default", false));
        }
        return error(400, "unsupported_grant_type");
    }

    http::http_response introspect(const http::http_request& req, const http::form_fields& f,
                                   time_point now) {
        if (!authenticated(req, f, now))
            return error(401, "invalid_client");
        const std::string* t = field(f, "token");
        if (!t || !active_.count(*t))
            return json_response(200, {{"active", false}});
        return json_response(200, {{"active", true},
                                   {"client_id", client_id},
                                   {"sub", user},
                                   {"scope", "accounts"},
                                   {"token_type", "Bearer"},
                                   {"exp", to_unix_seconds(now + access_lifetime)},
                                   {"cnf", {{"x5t#S256", client_cert_thumbprint}}}});
    }

    http::http_response revoke(const http::http_request& req, const http::form_fields& f,
                               time_point now) {
        if (!authenticated(req, f, now))
            return error(401, "invalid_client");
        if (const std::string* t = field(f, "token"))
            active_.erase(*t);
        return {200, {}, ""};
    }

    struct refresh_entry {
        std::string scope;
        bool used;
    };

    mutable std::mutex mu_;
    std::optional<std::string> jkt_; ///< the token request's DPoP key, while it is answered
    store::memory_replay_store dpop_seen_;
    std::optional<dpop::nonce_issuer> dpop_nonces_;
    dpop::nonce_issuer& dpop_nonces() {
        if (!dpop_nonces_) {
            std::vector<secret> keys;
            keys.push_back(secret(bytes_view(std::string(32, 'b'))));
            dpop_nonces_.emplace(dpop::nonce_issuer::create(std::move(keys)).value());
        }
        return *dpop_nonces_;
    }
    assertion::jti_replay_cache seen_;
    int counter_ = 0;
    std::map<std::string, pushed> pushed_;
    std::map<std::string, std::map<std::string, std::string>> codes_;
    std::map<std::string, refresh_entry> refresh_;
    std::set<std::string> active_;
};

} // namespace obauth::test
