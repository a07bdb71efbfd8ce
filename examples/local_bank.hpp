// The local bank (tests/interop/bank/: oidc-provider in FAPI 1.0 Advanced
// mode on https://127.0.0.1) as the demo and the interop tests see it: where
// it runs, its PKI, the clients' keys, and a stand-in for the user's browser
// that follows the /authorize redirects (keeping the bank's cookies) until
// they reach the redirect URI. Test and demo code, not part of the library.
#pragma once

#include <obauth/core/json.hpp>
#include <obauth/core/result.hpp>
#include <obauth/http/headers.hpp>
#include <obauth/http/http_request.hpp>
#include <obauth/http/http_response.hpp>
#include <obauth/jose/key_io.hpp>
#include <obauth/transport/error.hpp>
#include <obauth/transport/options.hpp>

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <fstream>
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
        OBAUTH_TRY(std::string pem, read_file(file(name)));
        obauth::jose::jwk_options o;
        o.alg = alg;
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
            std::string cookie;
            for (const auto& [name, value] : cookies_)
                cookie += (cookie.empty() ? "" : "; ") + name + "=" + value;
            if (!cookie.empty())
                r.headers.push_back({"Cookie", cookie});
            OBAUTH_TRY(obauth::http::http_response resp, transport_(r));
            for (const auto& f : resp.headers)
                if (obauth::ascii_iequals(f.name, "Set-Cookie"))
                    keep_cookie(f.value);
            const std::string* location = resp.header("Location");
            if (resp.status < 300 || resp.status > 399 || location == nullptr)
                return obauth::make_error(obauth::transport::errc::invalid_response,
                                          "the bank answered " + std::to_string(resp.status) +
                                              ": " + resp.body.substr(0, 300));
            if (location->rfind(redirect_uri, 0) == 0)
                return *location;
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

private:
    void keep_cookie(const std::string& set_cookie) {
        const std::string pair = set_cookie.substr(0, set_cookie.find(';'));
        const auto eq = pair.find('=');
        if (eq != std::string::npos)
            cookies_[pair.substr(0, eq)] = pair.substr(eq + 1);
    }

    const Transport& transport_;
    std::map<std::string, std::string> cookies_;
};

} // namespace local_bank
