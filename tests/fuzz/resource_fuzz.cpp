// The gateway's validator from fuzz bytes: whole requests (Authorization
// fields and a URL), claims of an access token the harness signs itself so
// the claim and binding checks are reached (and the claims scanner compared
// with the DOM wherever it does not give up), and introspection answers.
// Every refusal's challenge must be a single header line.
#include <obauth/resource/challenge.hpp>
#include <obauth/resource/validator.hpp>

#include <obauth/jose/jws_sign_options.hpp>
#include <obauth/jose/jwt.hpp>

#include "fuzz_support.hpp"

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

namespace {

using namespace obauth;

const std::string issuer = "https://as.example";
const std::string audience = "https://api.example";

const jose::jwk& issuer_key() {
    static const jose::jwk k = jose::generate_key(jose::algorithm::ES256, "k1").value();
    return k;
}

struct gateway {
    oauth::client introspector{oidc::provider_metadata{}, oauth::client_auth::none("gateway"),
                               false, 64 * 1024};
    oidc::jwks_cache keys = oidc::jwks_cache::create(issuer + "/jwks").value();
    store::memory_replay_store seen{64};
    std::unique_ptr<resource::validator> v;

    gateway() {
        (void)keys.begin_fetch(fuzz::now);
        const std::string body =
            R"({"keys":[)" + issuer_key().public_key().to_public_json().dump() + "]}";
        const http::http_response r{200, {{"Content-Type", std::string("application/json")}}, body};
        if (!keys.on_response(r, fuzz::now))
            std::abort();
        introspector.server.issuer = issuer;
        resource::validator_options o;
        o.issuer = issuer;
        o.audience = audience;
        o.dpop.replay = &seen;
        o.cache.max_entries = 0; // every input reaches the checks
        resource::introspection_settings in;
        in.client = &introspector;
        o.introspection = in;
        v = std::make_unique<resource::validator>(resource::validator::create(o, keys).value());
    }
};

gateway& shared() {
    static gateway g;
    return g;
}

void answer(const error_info& e, const resource::resource_request& r) {
    resource::challenge_options co;
    co.realm = "fuzz";
    co.offer_dpop = true;
    const auto c = resource::make_challenge(e, r, co, fuzz::now);
    for (const auto& v : c.www_authenticate)
        if (v.find_first_of("\r\n") != std::string::npos)
            std::abort(); // a challenge that splits the response
}

void check(const resource::resource_request& r) {
    auto t = shared().v->validate(r, fuzz::now);
    if (!t)
        answer(t.error(), r);
}

/// The scanner and the DOM agree wherever the scanner answers.
void differential(std::string_view payload) {
    auto dom = parse_json_object(payload);
    if (!dom)
        return;
    resource::detail::access_claims c;
    resource::detail::access_claims_scan scan{c, {}, {}, false, false};
    json_scanner scanner(payload, 4);
    if (!scanner.scan(scan) || scan.give_up)
        return;
    auto d = resource::detail::access_claims_from(*dom);
    if (!d || d->client_id != c.client_id || d->scope != c.scope || d->x5t != c.x5t ||
        d->jkt != c.jkt)
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::input in(data, size);
    const std::uint8_t selector = in.byte();
    const std::uint8_t flags = in.byte();
    const std::string_view rest = in.rest();
    resource::resource_request r;
    r.method = "GET";
    r.url = "https://api.example/accounts";
    if (flags & 1)
        r.client_certificate_thumbprint = std::string_view("thumb");
    switch (selector % 3) {
    case 0: { // Authorization fields, one per line; the last line the URL
        std::vector<std::string_view> lines;
        std::string_view text = rest;
        while (!text.empty() && lines.size() < 8) {
            const auto nl = text.find('\n');
            lines.push_back(text.substr(0, nl));
            text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        }
        if (!lines.empty() && (flags & 2)) {
            r.url = lines.back();
            lines.pop_back();
        }
        r.authorization = lines;
        check(r);
        break;
    }
    case 1: { // the claims of a token the issuer signs
        differential(rest);
        auto claims = parse_json_object(rest);
        if (!claims)
            break;
        jose::jws_sign_options so;
        so.typ = "at+jwt";
        auto token = jose::sign_jwt(*claims, issuer_key(), so);
        if (!token)
            break;
        const std::string header = ((flags & 4) ? "DPoP " : "Bearer ") + *token;
        r.authorization = {header};
        check(r);
        break;
    }
    default: { // an introspection answer about an opaque token
        r.authorization = {"Bearer opaque-token"};
        const http::http_response resp{
            (flags & 8) ? 400 : 200, {{"Content-Type", std::string("application/json")}}, rest};
        auto t = shared().v->on_introspection(r, resp, fuzz::now);
        if (!t)
            answer(t.error(), r);
        break;
    }
    }
    return 0;
}
