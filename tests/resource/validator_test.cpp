#include <obauth/resource/validator.hpp>

#include <obauth/dpop/proof.hpp>
#include <obauth/oauth/certificate_binding.hpp>

#include "support/oauth_support.hpp"
#include "support/resource_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace obauth;
using namespace obauth::resource;
using namespace std::chrono_literals;
namespace rs = obauth::test::resource_support;

struct gateway {
    oidc::jwks_cache keys = rs::keys_cache();
    store::memory_replay_store seen;
    validator v;

    explicit gateway(validator_options o = rs::options()) : v(make(std::move(o))) {}
    validator make(validator_options o) {
        o.dpop.replay = &seen;
        return validator::create(std::move(o), keys).value();
    }
};

std::error_code code_of(const result<std::shared_ptr<const verified_access_token>>& r) {
    EXPECT_FALSE(r);
    return r ? std::error_code() : r.error().code;
}

TEST(ResourceValidator, AcceptsAnRfc9068AccessToken) {
    gateway g;
    auto t = g.v.validate(rs::request("Bearer " + rs::sign(rs::claims())), rs::issued + 10s);
    ASSERT_TRUE(t) << t.error();
    EXPECT_EQ((*t)->issuer(), rs::issuer);
    EXPECT_EQ((*t)->subject(), "user-1001");
    EXPECT_EQ((*t)->client_id(), "tpp-42");
    EXPECT_EQ((*t)->jti(), "at-1");
    EXPECT_EQ((*t)->scopes(), (std::vector<std::string_view>{"openid", "accounts", "payments"}));
    EXPECT_TRUE((*t)->has_scope("accounts"));
    EXPECT_EQ((*t)->audiences(), std::vector<std::string_view>{rs::audience});
    EXPECT_EQ((*t)->exp(), to_unix_seconds(rs::issued) + 300);
    EXPECT_FALSE((*t)->sender_constrained());
    // The scheme is case-insensitive; spaces before the token are allowed;
    // typ may be written in full.
    EXPECT_TRUE(g.v.validate(rs::request("bearer   " + rs::sign(rs::claims())), rs::issued));
    EXPECT_TRUE(g.v.validate(
        rs::request("Bearer " + rs::sign(rs::claims(), rs::issuer_key(), "application/at+jwt")),
        rs::issued));
}

TEST(ResourceValidator, EachClaimRuleOnItsOwn) {
    struct case_ {
        const char* what;
        void (*mutate)(json&);
        resource::errc expected;
    };
    const case_ cases[] = {
        {"another issuer", [](json& c) { c["iss"] = "https://evil.example"; }, errc::invalid_token},
        {"another audience", [](json& c) { c["aud"] = "https://other-api.example"; },
         errc::invalid_token},
        {"expired", [](json& c) { c["exp"] = to_unix_seconds(rs::issued) - 60; },
         errc::invalid_token},
        {"no exp", [](json& c) { c.erase("exp"); }, errc::invalid_token},
        {"no iat", [](json& c) { c.erase("iat"); }, errc::invalid_token},
        {"not yet valid", [](json& c) { c["nbf"] = to_unix_seconds(rs::issued) + 120; },
         errc::invalid_token},
        {"no sub", [](json& c) { c.erase("sub"); }, errc::missing_claim},
        {"no client_id", [](json& c) { c.erase("client_id"); }, errc::missing_claim},
        {"client_id a number", [](json& c) { c["client_id"] = 42; }, errc::missing_claim},
        {"no jti", [](json& c) { c.erase("jti"); }, errc::missing_claim},
        {"scope an array", [](json& c) { c["scope"] = json::array({"accounts"}); },
         errc::invalid_token},
        {"cnf a string", [](json& c) { c["cnf"] = "x"; }, errc::invalid_token},
        {"cnf.jkt a number",
         [](json& c) {
             c["cnf"] = {{"jkt", 1}};
         },
         errc::invalid_token},
    };
    for (const auto& k : cases) {
        gateway g;
        json c = rs::claims();
        k.mutate(c);
        EXPECT_EQ(code_of(g.v.validate(rs::request("Bearer " + rs::sign(c)), rs::issued)),
                  k.expected)
            << k.what;
    }
}

// Claims with escapes take the DOM path: the same token, the same result.
TEST(ResourceValidator, EscapedClaimsReadTheSame) {
    gateway g;
    const std::string payload =
        R"({"iss":"https://as.bank.example","aud":"https://api.bank.example",)"
        R"("sub":"user-1001","client_id":"tpp\u002d42","scope":"openid accounts",)"
        R"("jti":"at-1","iat":1800000000,"exp":1800000300,"cnf":{"x5t#S256":"abc\/def"}})";
    jose::jws_sign_options so;
    so.typ = "at+jwt";
    const std::string token =
        jose::sign_compact(bytes_view(std::string_view(payload)), rs::issuer_key(), so).value();
    auto r = rs::request("Bearer " + token);
    EXPECT_EQ(code_of(g.v.validate(r, rs::issued)), errc::certificate_required);
    r.client_certificate_thumbprint = "abc/def";
    auto t = g.v.validate(r, rs::issued);
    ASSERT_TRUE(t) << t.error();
    EXPECT_EQ((*t)->client_id(), "tpp-42");
    EXPECT_EQ((*t)->certificate_thumbprint(), "abc/def");
    EXPECT_EQ((*t)->claims().at("client_id"), "tpp-42");
    // The claims as a DOM (parsed on first use for tokens read without one).
    auto plain = g.v.validate(rs::request("Bearer " + rs::sign(rs::claims())), rs::issued);
    ASSERT_TRUE(plain);
    EXPECT_EQ((*plain)->claims().at("client_id"), "tpp-42");
    EXPECT_EQ((*plain)->claims().at("scope"), "openid accounts payments");
}

TEST(ResourceValidator, RefusesTokensThatAreNotTheIssuersAccessTokens) {
    gateway g;
    // An ID token or any other JWT: typ is not at+jwt.
    EXPECT_EQ(
        code_of(g.v.validate(
            rs::request("Bearer " + rs::sign(rs::claims(), rs::issuer_key(), "JWT")), rs::issued)),
        errc::invalid_token);
    EXPECT_EQ(code_of(g.v.validate(
                  rs::request("Bearer " + rs::sign(rs::claims(), rs::issuer_key(), nullptr)),
                  rs::issued)),
              errc::invalid_token);
    // Signed by a key with the issuer's kid that is not the issuer's.
    EXPECT_EQ(code_of(g.v.validate(
                  rs::request("Bearer " + rs::sign(rs::claims(), rs::impostor_key())), rs::issued)),
              errc::invalid_token);
    // An algorithm not allowed (ES256 with the default RS256/PS256/ES256 is
    // allowed: pin RS256 only).
    auto o = rs::options();
    o.algorithms = {jose::algorithm::RS256};
    gateway pinned(o);
    const auto ec = jose::generate_key(jose::algorithm::ES256, "as-key-1").value();
    EXPECT_EQ(
        code_of(pinned.v.validate(rs::request("Bearer " + rs::sign(rs::claims(), ec)), rs::issued)),
        errc::invalid_token);
    // Opaque tokens need introspection.
    EXPECT_EQ(code_of(g.v.validate(rs::request("Bearer 2YotnFZFEjr1zCsicMWpAA"), rs::issued)),
              errc::not_a_jwt);
}

// A kid the key set lacks: refused, and the JWKS cache asked for a refresh
// (rate-limited), which the caller then fetches.
TEST(ResourceValidator, AnUnknownKidAsksForAKeySetRefresh) {
    gateway g;
    EXPECT_FALSE(g.keys.needs_fetch(rs::issued + 120s));
    const auto rotated = jose::generate_key(jose::algorithm::RS256, "as-key-2").value();
    EXPECT_EQ(code_of(g.v.validate(rs::request("Bearer " + rs::sign(rs::claims(), rotated)),
                                   rs::issued + 120s)),
              errc::unknown_key);
    EXPECT_TRUE(g.keys.needs_fetch(rs::issued + 120s));
}

// No keys to verify with (never fetched, or staler than max_stale): the
// gateway's own failure, not the token's.
TEST(ResourceValidator, NoKeysIsTheGatewaysFailure) {
    oidc::jwks_cache_options o;
    o.max_stale = 1h;
    auto keys = oidc::jwks_cache::create(rs::issuer + "/jwks", o).value();
    auto vo = rs::options();
    vo.cache.max_entries = 0; // each request verified, none answered from the cache
    auto v = validator::create(std::move(vo), keys).value();
    auto claims = rs::claims();
    claims["exp"] = to_unix_seconds(rs::issued + 2h);
    const auto r = rs::request("Bearer " + rs::sign(claims));
    auto never = v.validate(r, rs::issued);
    EXPECT_EQ(code_of(never), errc::keys_unavailable);
    EXPECT_NE(never.error().to_string().find("never fetched"), std::string::npos);

    ASSERT_TRUE(keys.begin_fetch(rs::issued));
    const std::string body =
        R"({"keys":[)" + rs::issuer_key().public_key().to_public_json().dump() + "]}";
    const http::http_response ok{
        200,
        {{"Content-Type", std::string("application/json")}, {"Cache-Control", "max-age=60"}},
        body};
    ASSERT_TRUE(keys.on_response(ok, rs::issued));
    EXPECT_TRUE(v.validate(r, rs::issued + 1s));
    // Fetches failing since: served for max_stale past their freshness, then not.
    EXPECT_TRUE(v.validate(r, rs::issued + 60s + 1h));
    EXPECT_EQ(code_of(v.validate(r, rs::issued + 60s + 1h + 1s)), errc::keys_unavailable);
}

TEST(ResourceValidator, HostileAuthorizationHeaders) {
    gateway g;
    const std::string token = rs::sign(rs::claims());
    auto with = [&](const std::vector<std::string>& fields,
                    const std::string& url = "https://api.bank.example/accounts") {
        resource_request r;
        for (const auto& f : fields)
            r.authorization.push_back(f);
        r.method = "GET";
        r.url = url;
        return code_of(g.v.validate(r, rs::issued));
    };
    EXPECT_EQ(with({}), errc::missing_token);
    EXPECT_EQ(with({"Bearer " + token, "Bearer " + token}), errc::multiple_authorizations);
    EXPECT_EQ(with({"Basic dXNlcjpwYXNz"}), errc::unsupported_scheme);
    EXPECT_EQ(with({"Bearer"}), errc::malformed_authorization);
    EXPECT_EQ(with({"Bearer "}), errc::malformed_authorization);
    EXPECT_EQ(with({"Bearer " + token + " extra"}), errc::malformed_authorization);
    EXPECT_EQ(with({"Bearer " + token + "\r\nX-Injected: 1"}), errc::malformed_authorization);
    EXPECT_EQ(with({"Bearer\t" + token}), errc::unsupported_scheme);
    EXPECT_EQ(with({"Bearer " + std::string(9000, 'a')}), errc::token_too_large);
    EXPECT_EQ(with({"Bearer " + token}, "https://api.bank.example/accounts?access_token=x"),
              errc::token_in_query);
    EXPECT_EQ(with({"Bearer " + token}, "https://api.bank.example/accounts?a=1&access%5Ftoken=x"),
              errc::token_in_query);
    EXPECT_EQ(with({}, "https://api.bank.example/accounts?access_token=" + token),
              errc::token_in_query);
    // Not the parameter: a longer name, or the value.
    resource_request ok = rs::request("Bearer " + token);
    ok.url = "https://api.bank.example/accounts?my_access_token=1&q=access_token";
    EXPECT_TRUE(g.v.validate(ok, rs::issued));
}

TEST(ResourceValidator, CertificateBoundTokens) {
    gateway g;
    const std::string der = "a DER certificate (any bytes will do here)";
    const std::string thumbprint = oauth::certificate_thumbprint(bytes_view(der));
    json c = rs::claims();
    c["cnf"] = {{"x5t#S256", thumbprint}};
    const std::string header = "Bearer " + rs::sign(c);
    for (int round = 0; round < 2; ++round) { // verified, then from the cache
        SCOPED_TRACE(round);
        auto r = rs::request(header);
        EXPECT_EQ(code_of(g.v.validate(r, rs::issued)), errc::certificate_required);
        r.client_certificate_thumbprint = "another-certificate-thumbprint-0123456789abc";
        EXPECT_EQ(code_of(g.v.validate(r, rs::issued)), errc::certificate_mismatch);
        r.client_certificate_thumbprint = thumbprint;
        auto t = g.v.validate(r, rs::issued);
        ASSERT_TRUE(t) << t.error();
        EXPECT_EQ((*t)->certificate_thumbprint(), thumbprint);
        r.client_certificate_thumbprint.reset();
        r.client_certificate_der = bytes_view(der);
        EXPECT_TRUE(g.v.validate(r, rs::issued));
    }
    // A DPoP scheme with a certificate-bound token.
    auto dpop = rs::request("DPoP " + rs::sign(c));
    dpop.client_certificate_thumbprint = thumbprint;
    EXPECT_EQ(code_of(g.v.validate(dpop, rs::issued)), errc::not_dpop_bound);
}

TEST(ResourceValidator, DpopBoundTokens) {
    gateway g;
    const auto key = jose::generate_key(jose::algorithm::ES256).value();
    json c = rs::claims();
    c["cnf"] = {{"jkt", key.thumbprint().value()}};
    const std::string token = rs::sign(c);
    const std::string url = "https://api.bank.example/accounts";
    auto proof_by = [&](const jose::jwk& k) {
        return dpop::make_proof(k, {"GET", url, std::string_view(token), {}}, rs::issued).value();
    };
    // As a Bearer token: refused, whatever proof comes with it.
    auto bearer = rs::request("Bearer " + token);
    const std::string p1 = proof_by(key);
    bearer.dpop = {p1};
    EXPECT_EQ(code_of(g.v.validate(bearer, rs::issued)), errc::dpop_required);

    auto r = rs::request("DPoP " + token);
    EXPECT_EQ(code_of(g.v.validate(r, rs::issued)), dpop::errc::missing_proof);
    const std::string p2 = proof_by(key);
    r.dpop = {p2};
    auto t = g.v.validate(r, rs::issued);
    ASSERT_TRUE(t) << t.error();
    EXPECT_EQ((*t)->dpop_thumbprint(), key.thumbprint().value());
    // The same proof again (the token now comes from the cache): a replay.
    EXPECT_EQ(code_of(g.v.validate(r, rs::issued)), dpop::errc::replayed);
    // A proof from another key.
    const std::string p3 = proof_by(jose::generate_key(jose::algorithm::ES256).value());
    r.dpop = {p3};
    EXPECT_EQ(code_of(g.v.validate(r, rs::issued)), dpop::errc::key_mismatch);
    // A proof for another token.
    const std::string other =
        dpop::make_proof(key, {"GET", url, std::string_view("another-token"), {}}, rs::issued)
            .value();
    r.dpop = {other};
    EXPECT_EQ(code_of(g.v.validate(r, rs::issued)), dpop::errc::ath_mismatch);
    // An unbound token with the DPoP scheme.
    const std::string p4 = proof_by(key);
    auto unbound = rs::request("DPoP " + rs::sign(rs::claims()));
    unbound.dpop = {p4};
    EXPECT_EQ(code_of(g.v.validate(unbound, rs::issued)), errc::not_dpop_bound);
}

TEST(ResourceValidator, SenderConstraintCanBeRequired) {
    auto o = rs::options();
    o.require_sender_constraint = true;
    gateway g(o);
    EXPECT_EQ(code_of(g.v.validate(rs::request("Bearer " + rs::sign(rs::claims())), rs::issued)),
              errc::unbound_token);
}

// The cache never serves a token past its exp (plus the leeway), and a
// cached token still needs its sender constraint on every request.
TEST(ResourceValidator, CachedTokensExpire) {
    gateway g;
    const auto r = rs::request("Bearer " + rs::sign(rs::claims()));
    EXPECT_TRUE(g.v.validate(r, rs::issued));
    EXPECT_TRUE(g.v.validate(r, rs::issued + 300s + 29s));
    EXPECT_EQ(code_of(g.v.validate(r, rs::issued + 300s + 30s)), errc::invalid_token);
    auto off = rs::options();
    off.cache.max_entries = 0;
    gateway uncached(off);
    EXPECT_TRUE(uncached.v.validate(r, rs::issued));
    EXPECT_EQ(code_of(uncached.v.validate(r, rs::issued + 330s)), errc::invalid_token);
}

TEST(ResourceValidator, OptionsAreChecked) {
    oidc::jwks_cache keys = rs::keys_cache();
    auto o = rs::options();
    o.audience.clear();
    EXPECT_EQ(validator::create(o, keys).error().code, errc::invalid_options);
    o = rs::options();
    o.algorithms = {};
    EXPECT_EQ(validator::create(o, keys).error().code, errc::invalid_options);
    o = rs::options();
    o.algorithms = {jose::algorithm::RS256, jose::algorithm::HS256};
    EXPECT_EQ(validator::create(o, keys).error().code, errc::invalid_options);
    // DPoP without a replay store: DPoP requests are refused.
    auto v = validator::create(rs::options(), keys).value();
    const auto key = jose::generate_key(jose::algorithm::ES256).value();
    json c = rs::claims();
    c["cnf"] = {{"jkt", key.thumbprint().value()}};
    const std::string token = rs::sign(c);
    auto r = rs::request("DPoP " + token);
    const std::string proof =
        dpop::make_proof(key,
                         {"GET", "https://api.bank.example/accounts", std::string_view(token), {}},
                         rs::issued)
            .value();
    r.dpop = {proof};
    EXPECT_EQ(code_of(v.validate(r, rs::issued)), errc::invalid_options);
}

// Several workers share one validator: the same and different tokens at
// once, DPoP proofs each accepted once.
TEST(ResourceValidator, SharedByWorkers) {
    gateway g;
    const auto key = jose::generate_key(jose::algorithm::ES256).value();
    std::vector<std::string> tokens;
    for (int i = 0; i < 8; ++i) {
        json c = rs::claims();
        c["jti"] = "at-" + std::to_string(i);
        if (i % 2 == 1)
            c["cnf"] = {{"jkt", key.thumbprint().value()}};
        tokens.push_back(rs::sign(c));
    }
    const std::string url = "https://api.bank.example/accounts";
    const std::string proof =
        dpop::make_proof(key, {"GET", url, std::string_view(tokens[1]), {}}, rs::issued).value();
    std::atomic<int> accepted_proof{0}, failures{0};
    std::vector<std::thread> workers;
    for (int w = 0; w < 4; ++w) {
        workers.emplace_back([&] {
            for (int round = 0; round < 50; ++round) {
                for (std::size_t i = 0; i < tokens.size(); i += 2)
                    if (!g.v.validate(rs::request("Bearer " + tokens[i]), rs::issued))
                        ++failures;
                auto r = rs::request("DPoP " + tokens[1]);
                r.dpop = {proof};
                if (g.v.validate(r, rs::issued))
                    ++accepted_proof;
            }
        });
    }
    for (auto& t : workers)
        t.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(accepted_proof.load(), 1);
}

// Opaque tokens, introspected at the issuer (RFC 7662): the answer is
// checked like a JWT's claims, kept until its exp (at most max_ttl), and an
// inactive answer for negative_ttl; the sender constraint still applies.
struct introspecting_gateway {
    oauth::client gateway_client = test::make_client(
        oauth::client_auth::client_secret_basic("gateway-1", test::secret_of("s")));
    oidc::jwks_cache keys = rs::keys_cache();
    validator v = make();
    int calls = 0;
    std::string answer;
    int status = 200;

    validator make() {
        auto o = rs::options();
        introspection_settings in;
        in.client = &gateway_client;
        in.max_ttl = 60s;
        in.negative_ttl = 5s;
        o.introspection = in;
        return validator::create(std::move(o), keys).value();
    }
    auto transport() {
        return [this](const http::http_request& req) -> result<http::http_response> {
            ++calls;
            EXPECT_EQ(req.url.buffer(), test::bank_issuer + "/introspect");
            EXPECT_NE(req.body.find("token=2YotnFZFEjr1zCsicMWpAA"), std::string::npos);
            EXPECT_NE(req.header("Authorization"), nullptr); // the gateway authenticates
            return http::http_response{
                status, {{"Content-Type", std::string("application/json")}}, answer};
        };
    }
};

std::string active_answer(std::int64_t exp, const char* extra = "") {
    return R"({"active":true,"client_id":"tpp-42","sub":"user-1001","scope":"accounts payments",)"
           R"("iss":"https://as.bank.example","aud":"https://api.bank.example","exp":)" +
           std::to_string(exp) + extra + "}";
}

TEST(ResourceValidator, OpaqueTokensAreIntrospectedAndTheAnswerKept) {
    introspecting_gateway g;
    const std::int64_t t0 = to_unix_seconds(rs::issued);
    g.answer = active_answer(t0 + 300);
    const auto r = rs::request("Bearer 2YotnFZFEjr1zCsicMWpAA");
    EXPECT_EQ(code_of(g.v.validate(r, rs::issued)), errc::introspection_required);
    auto t = g.v.validate(r, rs::issued, g.transport());
    ASSERT_TRUE(t) << t.error();
    EXPECT_EQ((*t)->client_id(), "tpp-42");
    EXPECT_EQ((*t)->scopes(), (std::vector<std::string_view>{"accounts", "payments"}));
    EXPECT_EQ(g.calls, 1);
    // Kept: no second call, also without a transport.
    EXPECT_TRUE(g.v.validate(r, rs::issued + 30s, g.transport()));
    EXPECT_TRUE(g.v.validate(r, rs::issued + 59s));
    EXPECT_EQ(g.calls, 1);
    // At most max_ttl: asked again.
    EXPECT_TRUE(g.v.validate(r, rs::issued + 61s, g.transport()));
    EXPECT_EQ(g.calls, 2);
    // Never past exp.
    g.answer = active_answer(t0 + 100);
    EXPECT_TRUE(
        g.v.validate(rs::request("Bearer 2YotnFZFEjr1zCsicMWpAA"), rs::issued + 130s, g.transport())
            .has_value() == false);
}

TEST(ResourceValidator, InactiveAndForeignAnswersAreRefused) {
    introspecting_gateway g;
    const std::int64_t t0 = to_unix_seconds(rs::issued);
    const auto r = rs::request("Bearer 2YotnFZFEjr1zCsicMWpAA");
    g.answer = R"({"active":false})";
    EXPECT_EQ(code_of(g.v.validate(r, rs::issued, g.transport())), errc::invalid_token);
    EXPECT_EQ(code_of(g.v.validate(r, rs::issued + 4s, g.transport())), errc::invalid_token);
    EXPECT_EQ(g.calls, 1); // the negative answer is kept for 5 s
    g.answer = active_answer(t0 + 300);
    EXPECT_TRUE(g.v.validate(r, rs::issued + 5s, g.transport()));
    EXPECT_EQ(g.calls, 2);

    const char* const foreign[] = {
        R"({"active":true,"iss":"https://evil.example","exp":1800000300})",
        R"({"active":true,"aud":"https://other-api.example","exp":1800000300})",
        R"({"active":true,"exp":1799999000})",
        R"({"active":true,"nbf":1800000600,"exp":1800000900})",
        R"({"active":true,"cnf":"x","exp":1800000300})",
    };
    for (const char* a : foreign) {
        introspecting_gateway f;
        f.answer = a;
        EXPECT_EQ(code_of(f.v.validate(r, rs::issued, f.transport())), errc::invalid_token) << a;
    }
    introspecting_gateway broken;
    broken.status = 500;
    broken.answer = R"({"error":"server_error"})";
    EXPECT_EQ(code_of(broken.v.validate(r, rs::issued, broken.transport())),
              errc::introspection_failed);
    broken.status = 200;
    broken.answer = "not json";
    EXPECT_EQ(code_of(broken.v.validate(r, rs::issued, broken.transport())),
              errc::introspection_failed);
    // The endpoint cannot be reached: no answer is kept, the next request asks again.
    auto unreachable = [](const http::http_request&) -> result<http::http_response> {
        return make_error(errc::introspection_failed, "connection refused");
    };
    EXPECT_EQ(code_of(broken.v.validate(r, rs::issued, unreachable)), errc::introspection_failed);
    EXPECT_EQ(code_of(broken.v.validate(r, rs::issued)), errc::introspection_required);
}

TEST(ResourceValidator, IntrospectedTokensKeepTheirBinding) {
    introspecting_gateway g;
    g.answer = active_answer(to_unix_seconds(rs::issued) + 300,
                             R"(,"cnf":{"x5t#S256":"the-certificates-thumbprint"})");
    auto r = rs::request("Bearer 2YotnFZFEjr1zCsicMWpAA");
    EXPECT_EQ(code_of(g.v.validate(r, rs::issued, g.transport())), errc::certificate_required);
    r.client_certificate_thumbprint = "the-certificates-thumbprint";
    EXPECT_TRUE(g.v.validate(r, rs::issued, g.transport()));
    EXPECT_EQ(g.calls, 1); // the answer was kept although the first request was refused
    r.client_certificate_thumbprint = "another-certificate";
    EXPECT_EQ(code_of(g.v.validate(r, rs::issued)), errc::certificate_mismatch);
}

} // namespace
