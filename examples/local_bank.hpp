// The local bank (tests/interop/bank/: oidc-provider in FAPI 1.0 Advanced
// mode on https://127.0.0.1) as the demo and the interop tests see it: where
// it runs, its PKI, the clients' keys, and a stand-in for the user's browser
// that follows the /authorize redirects (keeping the bank's cookies) until
// they reach the redirect URI. Test and demo code, not part of the library.
#pragma once

#include <obauth/core/base64url.hpp>
#include <obauth/core/digest.hpp>
#include <obauth/core/json.hpp>
#include <obauth/core/result.hpp>
#include <obauth/core/secret.hpp>
#include <obauth/http/headers.hpp>
#include <obauth/http/http_request.hpp>
#include <obauth/http/http_response.hpp>
#include <obauth/jose/jwks.hpp>
#include <obauth/jose/key_io.hpp>
#include <obauth/oauth/error.hpp>
#include <obauth/oidc/discovery.hpp>
#include <obauth/oidc/provider_metadata.hpp>
#include <obauth/transport/curl.hpp>
#include <obauth/transport/error.hpp>
#include <obauth/transport/options.hpp>

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <utility>

namespace local_bank {

inline const std::string redirect_uri = "https://client.example/cb";

inline obauth::result<std::string> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return obauth::make_error(obauth::transport::errc::invalid_options, "cannot read " + path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// A running local bank: its state directory holds the PKI and server.json.
struct bank {
    std::string dir;
    std::string issuer;

    std::string file(const char* name) const { return dir + "/" + name; }

    /// Trusts the bank's CA; presents `client.pem` (CN=fapi-client, the
    /// FAPI clients' registered certificate) or `other.pem` for mTLS.
    obauth::transport::transport_options transport_options(bool other_certificate = false) const {
        obauth::transport::transport_options o;
        o.ca_file = file("ca.pem");
        const char* who = other_certificate ? "other" : "client";
        o.client_certificate = obauth::transport::client_identity{
            dir + "/" + who + ".pem", dir + "/" + who + ".key", {}};
        o.connect_timeout = std::chrono::milliseconds(5000);
        o.timeout = std::chrono::milliseconds(20000);
        return o;
    }

    /// A client signing key: "client-rsa.key" or "client-ec.key", pinned to
    /// `alg` and named as the bank has it registered.
    obauth::result<obauth::jose::jwk> key(const char* name, obauth::jose::algorithm alg,
                                          std::string kid) const {
        obauth::jose::jwk_options o;
        o.alg = alg;
        return import_key(name, o, std::move(kid));
    }
    /// The client's decryption key ("client-enc.key", RSA), named as the
    /// bank has its public half registered ("use": "enc").
    obauth::result<obauth::jose::jwk> decryption_key(std::string kid) const {
        return import_key("client-enc.key", {}, std::move(kid));
    }

    obauth::result<obauth::jose::jwk>
    import_key(const char* name, const obauth::jose::jwk_options& o, std::string kid) const {
        OBAUTH_TRY(std::string pem, read_file(file(name)));
        auto k = obauth::jose::import_pem(pem, o, std::move(kid));
        obauth::secret::wipe(pem);
        return k;
    }

    /// The PEM of the client certificate (for the x5t#S256 thumbprint).
    obauth::result<std::string> certificate_pem(bool other = false) const {
        return read_file(file(other ? "other.pem" : "client.pem"));
    }
};

/// Reads `<dir>/server.json`, written by server.mjs once it listens.
inline obauth::result<bank> find_bank(const std::string& dir) {
    OBAUTH_TRY(std::string text, read_file(dir + "/server.json"));
    auto doc = obauth::parse_json(text);
    if (!doc || !doc->is_object() || !doc->contains("issuer") || !(*doc)["issuer"].is_string())
        return obauth::make_error(obauth::transport::errc::invalid_options,
                                  dir + "/server.json is not the bank's");
    return bank{dir, (*doc)["issuer"].get<std::string>()};
}

/// The user's browser, for a bank whose login and consent approve
/// themselves: GETs the authorization URL and follows redirects, carrying
/// the bank's cookies, until one points at `redirect_uri`; returns that URL.
template <class Transport>
class browser {
public:
    explicit browser(const Transport& t) : transport_(t) {}

    obauth::result<std::string> operator()(const boost::urls::url& start) {
        boost::urls::url at = start;
        for (int hop = 0; hop < 10; ++hop) {
            obauth::http::http_request r;
            r.url = at;
            const std::string cookie = cookie_header();
            if (!cookie.empty())
                r.headers.push_back({"Cookie", cookie});
            OBAUTH_TRY(obauth::http::http_response resp, transport_(r));
            for (const auto& f : resp.headers)
                if (obauth::ascii_iequals(f.name, "Set-Cookie"))
                    keep_cookie(f.value);
            const auto* location = resp.header("Location");
            if (resp.status < 300 || resp.status > 399 || location == nullptr)
                return obauth::make_error(obauth::transport::errc::invalid_response,
                                          "the bank answered " + std::to_string(resp.status) +
                                              ": " + std::string(resp.body.substr(0, 300)));
            if (location->rfind(redirect_uri, 0) == 0)
                return std::string(*location);
            auto ref = boost::urls::parse_uri_reference(*location);
            if (!ref)
                return obauth::make_error(obauth::transport::errc::invalid_response,
                                          "bad Location");
            boost::urls::url next;
            boost::urls::resolve(at, *ref, next);
            at = std::move(next);
        }
        return obauth::make_error(obauth::transport::errc::too_many_redirects);
    }

    /// Keeps a cookie the server set (a Set-Cookie header value), as a
    /// browser does: a login made through an API counts for the redirects.
    void keep_cookie(std::string_view set_cookie) {
        const std::string pair(set_cookie.substr(0, set_cookie.find(';')));
        const auto eq = pair.find('=');
        if (eq != std::string::npos)
            cookies_[pair.substr(0, eq)] = pair.substr(eq + 1);
    }

    /// The Cookie header value for the cookies kept so far.
    std::string cookie_header() const {
        std::string cookie;
        for (const auto& [name, value] : cookies_)
            cookie += (cookie.empty() ? "" : "; ") + name + "=" + value;
        return cookie;
    }

private:
    const Transport& transport_;
    std::map<std::string, std::string> cookies_;
};

/// What a program learns of an authorization server before it starts: its
/// OpenID Connect metadata (the issuer checked) and its keys.
struct discovered {
    obauth::oidc::provider_metadata metadata;
    obauth::jose::jwks keys;
};

/// Discovery and the server's keys, through `t` (any transport).
template <class Transport>
obauth::result<discovered> discover(const Transport& t, const std::string& issuer) {
    namespace oidc = obauth::oidc;
    OBAUTH_TRY(obauth::http::http_request req,
               oidc::make_discovery_request(issuer, oidc::metadata_kind::openid_configuration));
    OBAUTH_TRY(obauth::http::http_response resp, t(req));
    oidc::metadata_options mo;
    mo.expected_issuer = issuer;
    discovered s;
    OBAUTH_TRY(s.metadata, oidc::process_discovery_response(resp, mo));
    if (!s.metadata.jwks_uri)
        return obauth::make_error(obauth::oauth::errc::invalid_response, "no jwks_uri");
    obauth::http::http_request keys_req;
    keys_req.url = *s.metadata.jwks_uri;
    OBAUTH_TRY(obauth::http::http_response keys_resp, t(keys_req));
    OBAUTH_TRY(s.keys, obauth::jose::parse_jwks(keys_resp.body));
    return s;
}

// --- for the example programs ------------------------------------------------

/// A credential the local bank derives from a name (its client secrets and
/// the stand-in providers' keys): base64url(sha256("obauth-local-bank:" + name)).
inline obauth::secret secret_of(const std::string& name) {
    const std::string seed = "obauth-local-bank:" + name;
    const auto digest = obauth::sha256(obauth::bytes_view(seed));
    std::string s = obauth::base64url_encode(obauth::bytes_view(digest.data(), digest.size()));
    return obauth::secret::take(s);
}

inline void step(const char* title) {
    std::printf("\n\033[1m%s\033[0m\n", title);
}

/// A token as something a person can compare, never the token itself.
inline std::string fingerprint(const obauth::secret& token) {
    const auto d = obauth::sha256(token.expose_secret());
    return std::to_string(token.expose_secret().size()) + " chars, sha256 " +
           obauth::base64url_encode(obauth::bytes_view(d.data(), 6));
}

/// The URL without its query: the endpoint, not the parameters.
inline std::string where(const boost::urls::url_view u) {
    std::string s(u.scheme());
    s += "://";
    s += std::string(u.encoded_host_and_port());
    s += std::string(u.encoded_path());
    if (u.has_query())
        s += "?…";
    return s;
}

inline int fail(const char* what, const obauth::error_info& e) {
    std::printf("  FAILED: %s: %s\n", what, e.to_string().c_str());
    return 1;
}

/// `t` printing each request line and the answer's status, type and size.
template <class Transport>
auto logged(const Transport& t) {
    return
        [&t](const obauth::http::http_request& r) -> obauth::result<obauth::http::http_response> {
            std::printf("  → %s %s%s\n", std::string(obauth::http::method_name(r.method)).c_str(),
                        where(r.url).c_str(), r.use_client_certificate ? "  (mTLS)" : "");
            auto resp = t(r);
            if (resp) {
                const auto* ct = resp->header("Content-Type");
                std::printf("  ← %d %s, %zu bytes\n", resp->status,
                            ct ? obauth::http::media_type(*ct).c_str() : "", resp->body.size());
            }
            return resp;
        };
}

/// Starts the local bank (start.sh from `scripts`, state in `state`) and
/// stops it however the program ends.
class process {
public:
    process(std::string scripts, std::string state, std::string node)
        : scripts_(std::move(scripts)), state_(std::move(state)), node_(std::move(node)) {}
    process(const process&) = delete;
    process& operator=(const process&) = delete;

    bool start() {
        const std::string cmd =
            "sh '" + scripts_ + "/start.sh' '" + state_ + "' '" + node_ + "' >/dev/null";
        started_ = std::system(cmd.c_str()) == 0;
        return started_;
    }
    ~process() {
        if (started_) {
            const std::string cmd = "sh '" + scripts_ + "/stop.sh' '" + state_ + "'";
            if (std::system(cmd.c_str()) == 0)
                std::printf("\nThe local bank has stopped.\n");
        }
    }

private:
    std::string scripts_, state_, node_;
    bool started_ = false;
};

using send_function =
    std::function<obauth::result<obauth::http::http_response>(const obauth::http::http_request&)>;

/// An example's main(): starts the bank, runs `body` with its address and a
/// libcurl transport to it (presenting the client certificate, every
/// request logged), stops it; the exit status says whether every step
/// passed.
inline int run_example(const char* title, const std::string& scripts, const std::string& state,
                       const std::string& node,
                       const std::function<int(const bank&, const send_function&)>& body) {
    std::printf("%s\n", title);
    process p(scripts, state, node);
    std::printf("Starting the local bank (oidc-provider, a fresh test CA and certificates)…\n");
    if (!p.start()) {
        std::printf("The local bank did not start (see %s/server.log).\n", state.c_str());
        return 1;
    }
    auto found = find_bank(state);
    if (!found)
        return fail("reading the bank's address", found.error());
    std::printf("The local bank is listening at %s\n", found->issuer.c_str());
    auto curl = obauth::transport::curl_transport::create(found->transport_options());
    if (!curl)
        return fail("creating the libcurl transport", curl.error());
    const int rc = body(*found, logged(*curl));
    std::printf(rc == 0 ? "\nEvery step passed.\n" : "\nThe example failed.\n");
    return rc;
}

} // namespace local_bank
