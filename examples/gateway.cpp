// An API gateway protecting GET /accounts with obauth's resource validator,
// against real tokens: starts the local bank (oidc-provider, see
// tests/interop/bank/), then serves HTTPS on 127.0.0.1 (Boost.Beast, asking
// for client certificates) in front of an API whose RFC 8707 resource
// indicator is https://gateway.obauth.test. TPP clients get tokens from the
// bank through the libcurl adapter and call the gateway:
//
//   - a certificate-bound JWT access token (tls_client_auth): 200; the same
//     token over another certificate: 401 invalid_token;
//   - a DPoP-bound JWT access token: the gateway asks for its own nonce
//     (401 use_dpop_nonce), the client answers once, 200; as a Bearer
//     token: 401 with the DPoP challenge;
//   - an opaque token: introspected at the bank (once; the answer is kept);
//   - a token without the accounts scope: 403 insufficient_scope;
//   - no token, and a forged one: 401 with the challenges.
//
// Tokens are shown as a length and a SHA-256 fingerprint only.
//
// Usage: obauth_gateway_example [state-dir]   (built with OBAUTH_BUILD_INTEROP=ON)
#include <obauth/dpop/nonce.hpp>
#include <obauth/oauth/grant_flow.hpp>
#include <obauth/oauth/resource_request.hpp>
#include <obauth/oauth/run.hpp>
#include <obauth/oidc/jwks_cache.hpp>
#include <obauth/resource/authorize.hpp>
#include <obauth/resource/challenge.hpp>
#include <obauth/resource/validator.hpp>
#include <obauth/store/replay_store.hpp>
#include <obauth/transport/curl.hpp>

#include "local_bank.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <openssl/x509.h>

#include <atomic>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace oauth = obauth::oauth;
namespace resource = obauth::resource;
namespace http = obauth::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace bhttp = boost::beast::http;
using obauth::result;

namespace {

using local_bank::fail;
using local_bank::fingerprint;
using local_bank::step;

const std::string api = "https://gateway.obauth.test";

/// One HTTPS connection at a time on 127.0.0.1 (enough for the example):
/// TLS with the bank's test server certificate, a client certificate
/// asked for and handed to the handler as DER (the validator compares its
/// thumbprint with the token's binding; the handshake proved the key).
class gateway_server {
public:
    using handler = std::function<bhttp::response<bhttp::string_body>(
        const bhttp::request<bhttp::string_body>&, const std::string& certificate_der)>;

    gateway_server(const local_bank::bank& bank, handler h)
        : ctx_(ssl::context::tls_server), acceptor_(io_), handler_(std::move(h)) {
        ctx_.use_certificate_chain_file(bank.file("server.pem"));
        ctx_.use_private_key_file(bank.file("server.key"), ssl::context::pem);
        ctx_.set_verify_mode(ssl::verify_peer);
        ctx_.set_verify_callback([](bool, ssl::verify_context&) { return true; });
        // Clients resume sessions; with client certificates asked for,
        // OpenSSL needs a session id context to allow that.
        static const unsigned char sid[] = "obauth-gateway";
        SSL_CTX_set_session_id_context(ctx_.native_handle(), sid, sizeof sid - 1);
        const net::ip::tcp::endpoint at(net::ip::make_address("127.0.0.1"), 0);
        acceptor_.open(at.protocol());
        acceptor_.bind(at);
        acceptor_.listen();
        port_ = acceptor_.local_endpoint().port();
        thread_ = std::thread([this] { serve(); });
    }
    ~gateway_server() {
        stopping_ = true;
        boost::system::error_code ec;
        net::ip::tcp::socket wake(io_);
        wake.connect(acceptor_.local_endpoint(), ec); // unblocks accept()
        thread_.join();
    }
    gateway_server(const gateway_server&) = delete;
    gateway_server& operator=(const gateway_server&) = delete;

    std::string origin() const { return "https://127.0.0.1:" + std::to_string(port_); }

private:
    void serve() {
        while (!stopping_) {
            boost::system::error_code ec;
            net::ip::tcp::socket socket(io_);
            acceptor_.accept(socket, ec);
            if (ec || stopping_)
                continue;
            ssl::stream<net::ip::tcp::socket> s(std::move(socket), ctx_);
            s.handshake(ssl::stream_base::server, ec);
            if (ec)
                continue;
            std::string der;
            if (X509* cert = SSL_get1_peer_certificate(s.native_handle())) {
                unsigned char* out = nullptr;
                const int n = i2d_X509(cert, &out);
                if (n > 0)
                    der.assign(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
                OPENSSL_free(out);
                X509_free(cert);
            }
            boost::beast::flat_buffer buffer;
            bhttp::request<bhttp::string_body> req;
            bhttp::read(s, buffer, req, ec);
            if (ec)
                continue;
            auto res = handler_(req, der);
            res.keep_alive(false); // one request per connection
            res.prepare_payload();
            bhttp::write(s, res, ec);
            s.shutdown(ec);
        }
    }

    net::io_context io_;
    ssl::context ctx_;
    net::ip::tcp::acceptor acceptor_;
    handler handler_;
    unsigned short port_ = 0;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

int run(const local_bank::bank& bank, const local_bank::send_function& transport) {
    obauth::system_clock_source clock;

    step("1. The gateway: the bank's metadata and keys, a validator, HTTPS on 127.0.0.1");
    auto server = local_bank::discover(transport, bank.issuer);
    if (!server)
        return fail("discovery", server.error());
    auto keys = obauth::oidc::jwks_cache::create(server->metadata);
    if (!keys)
        return fail("the JWKS cache", keys.error());
    auto fetch_keys = [&] {
        if (auto req = keys->begin_fetch(clock.now())) {
            auto resp = transport(*req);
            if (resp)
                (void)keys->on_response(*resp, clock.now());
            else
                keys->on_fetch_failed(clock.now());
        }
    };
    fetch_keys();
    // The gateway introspects opaque tokens as a confidential client.
    const oauth::client introspector{
        server->metadata,
        oauth::client_auth::client_secret_basic("cc-basic", local_bank::secret_of("cc-basic")),
        false, 256 * 1024};
    obauth::store::memory_replay_store seen_proofs;
    // The gateway's own DPoP nonces (RFC 9449 §9): stateless, from a key it
    // would share with the other nodes of a fleet.
    std::vector<obauth::secret> nonce_keys;
    nonce_keys.push_back(obauth::secret(obauth::bytes_view(std::string(32, 'g'))));
    auto nonces = obauth::dpop::nonce_issuer::create(std::move(nonce_keys));
    if (!nonces)
        return fail("the nonce issuer", nonces.error());
    resource::validator_options vo;
    vo.issuer = bank.issuer;
    vo.audience = api;
    vo.algorithms = {obauth::jose::algorithm::PS256, obauth::jose::algorithm::ES256};
    vo.dpop.replay = &seen_proofs;
    vo.dpop.nonces = &*nonces;
    resource::introspection_settings in;
    in.client = &introspector;
    vo.introspection = in;
    auto validator = resource::validator::create(vo, *keys);
    if (!validator)
        return fail("the validator", validator.error());
    resource::challenge_options co;
    co.realm = "obauth-gateway";
    co.offer_dpop = true;
    co.scope = {"accounts"};
    co.nonces = &*nonces;
    std::mutex gate;    // the example serves one request at a time anyway
    std::string origin; // set once the gateway listens

    gateway_server gw(
        bank, [&](const bhttp::request<bhttp::string_body>& req, const std::string& der) {
            const std::lock_guard<std::mutex> lock(gate);
            fetch_keys(); // when due: first use, freshness over, or an unknown kid
            std::vector<std::string> authorization, dpop;
            for (const auto& f : req.base()) {
                if (obauth::ascii_iequals(f.name_string(), "Authorization"))
                    authorization.emplace_back(f.value());
                else if (obauth::ascii_iequals(f.name_string(), "DPoP"))
                    dpop.emplace_back(f.value());
            }
            const std::string url = origin + std::string(req.target());
            resource::resource_request r;
            r.authorization.assign(authorization.begin(), authorization.end());
            r.dpop.assign(dpop.begin(), dpop.end());
            r.method = req.method_string();
            r.url = url;
            if (!der.empty())
                r.client_certificate_der = obauth::bytes_view(der);
            auto t = validator->validate(r, clock.now(), transport);
            result<void> allowed =
                t ? resource::require_scopes(**t, {"accounts"}) : result<void>(t.error());
            bhttp::response<bhttp::string_body> res;
            res.set(bhttp::field::content_type, "application/json");
            if (allowed) {
                res.result(200);
                res.body() = R"({"Data":{"Account":[{"AccountId":"22289"}]},"client_id":")" +
                             std::string((*t)->client_id()) + "\"}";
                return res;
            }
            const auto c = resource::make_challenge(allowed.error(), r, co, clock.now());
            res.result(static_cast<unsigned>(c.status));
            for (const auto& v : c.www_authenticate)
                res.insert(bhttp::field::www_authenticate, v);
            if (c.dpop_nonce)
                res.set("DPoP-Nonce", *c.dpop_nonce);
            res.body() = R"({"refused":")" + std::string(allowed.error().code.message()) + "\"}";
            return res;
        });
    origin = gw.origin();
    std::printf("  the gateway listens at %s, for the API %s\n", origin.c_str(), api.c_str());

    auto other = obauth::transport::curl_transport::create(bank.transport_options(true));
    if (!other)
        return fail("creating the second libcurl transport", other.error());
    int mismatches = 0;
    auto call = [&](const char* what, const oauth::client& c, const oauth::token_set& tokens,
                    const local_bank::send_function& via, int expected) {
        http::http_request r;
        r.url = boost::urls::url(gw.origin() + "/accounts");
        auto resp = oauth::send_resource_request(c, std::move(r), tokens, via, clock);
        const int status = resp ? resp->status : 0;
        std::printf("  %s: %d", what, status);
        if (!resp)
            std::printf(" (%s)", resp.error().to_string().c_str());
        if (resp && resp->header("WWW-Authenticate") != nullptr)
            for (const auto& f : resp->headers)
                if (obauth::ascii_iequals(f.name, "WWW-Authenticate"))
                    std::printf("\n      WWW-Authenticate: %s", f.value.c_str());
        std::printf("%s\n", status == expected ? "" : "   <-- unexpected");
        mismatches += status != expected;
    };
    auto token_for = [&](const oauth::client& c, std::vector<std::string> scope,
                         bool for_the_api) -> result<oauth::token_set> {
        oauth::token_request_options ro;
        if (for_the_api)
            ro.resources = {api};
        auto flow = oauth::grant_flow::client_credentials(c, {std::move(scope)}, ro);
        OBAUTH_TRY(oauth::flow_complete done, oauth::run_flow(flow, transport, clock));
        std::printf("  token: %s, %s\n", fingerprint(done.tokens.access_token).c_str(),
                    done.tokens.token_type.c_str());
        return std::move(done.tokens);
    };

    step("2. A certificate-bound JWT access token (tls_client_auth)");
    const oauth::client mtls{server->metadata, oauth::client_auth::tls_client_auth("gw-api-mtls"),
                             true, 256 * 1024};
    auto bound = token_for(mtls, {"accounts"}, true);
    if (!bound)
        return fail("the certificate-bound token", bound.error());
    call("with our certificate", mtls, *bound, transport, 200);
    call("over another certificate", mtls, *bound, local_bank::logged(*other), 401);

    step("3. A DPoP-bound JWT access token (private_key_jwt, ES256 proofs)");
    auto client_ec = bank.key("client-ec.key", obauth::jose::algorithm::ES256, "client-ec");
    auto proof_key = obauth::jose::generate_key(obauth::jose::algorithm::ES256);
    if (!client_ec || !proof_key)
        return fail("the keys", (!client_ec ? client_ec : proof_key).error());
    oauth::client dpop{server->metadata,
                       oauth::client_auth::private_key_jwt("gw-api-dpop", *client_ec), false,
                       256 * 1024};
    dpop.dpop = std::make_shared<oauth::dpop_binding>(*proof_key);
    auto dpop_bound = token_for(dpop, {"accounts"}, true);
    if (!dpop_bound)
        return fail("the DPoP-bound token", dpop_bound.error());
    call("with a proof (after the gateway's nonce challenge)", dpop, *dpop_bound, transport, 200);
    oauth::token_set as_bearer = dpop_bound->clone();
    as_bearer.token_type = "Bearer";
    call("as a Bearer token", dpop, as_bearer, transport, 401);

    step("4. An opaque token: the gateway introspects it at the bank, once");
    const oauth::client opaque{server->metadata,
                               oauth::client_auth::client_secret_basic(
                                   "gw-api-opaque", local_bank::secret_of("gw-api-opaque")),
                               false, 256 * 1024};
    auto plain = token_for(opaque, {"accounts"}, true);
    if (!plain)
        return fail("the opaque token", plain.error());
    call("first call (introspected)", opaque, *plain, transport, 200);
    call("second call (the kept answer)", opaque, *plain, transport, 200);

    step("5. Refusals");
    auto payments = token_for(mtls, {"payments"}, true);
    if (!payments)
        return fail("the payments token", payments.error());
    call("a token without the accounts scope", mtls, *payments, transport, 403);
    oauth::token_set none;
    none.token_type = "Bearer";
    none.access_token = obauth::secret(obauth::bytes_view(std::string_view("forged.jwt.token")));
    call("a forged token", mtls, none, transport, 401);
    http::http_request bare;
    bare.url = boost::urls::url(gw.origin() + "/accounts");
    bare.use_client_certificate = true;
    auto resp = transport(bare);
    const int status = resp ? resp->status : 0;
    std::printf("  no token: %d\n", status);
    mismatches += status != 401;
    return mismatches == 0 ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
    return local_bank::run_example("obauth gateway example", OBAUTH_LOCAL_BANK_DIR,
                                   argc > 1 ? argv[1] : OBAUTH_BANK_STATE_DIR, OBAUTH_NODE, run);
}
