// DPoP for the OAuth client (RFC 9449): the key a client's proofs are
// signed with, the latest DPoP-Nonce each server gave, and the pieces the
// request builders and the flows share -- a fresh proof on a request, the
// nonce a response carries, and whether a response asks for one.
//
// A client with `client::dpop` set sends a proof with every token and PAR
// request (make_endpoint_request) and accepts a token_type of DPoP (only
// DPoP when `require_binding`, the default: a Bearer answer to a DPoP
// request is refused). The flows remember nonces and retry once when the
// server answers `use_dpop_nonce`.
#pragma once

#include "../core/clock.hpp"
#include "../core/random.hpp"
#include "../core/result.hpp"
#include "../dpop/proof.hpp"
#include "../http/headers.hpp"
#include "../http/http_request.hpp"
#include "../http/http_response.hpp"
#include "../http/www_authenticate.hpp"
#include "../jose/jwk.hpp"

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace obauth::oauth {

class dpop_binding {
public:
    /// `key`: a private EC, RSA or OKP key (ES256, PS256 or EdDSA proofs).
    explicit dpop_binding(jose::jwk key, bool require_binding = true,
                          std::optional<jose::algorithm> alg = {})
        : key_(std::move(key)), alg_(alg), require_binding_(require_binding) {
        if (auto s = dpop::proof_signer::create(key_, alg_))
            signer_.emplace(std::move(*s));
    }

    const jose::jwk& key() const noexcept { return key_; }
    /// The proofs' algorithm: the one given, else the key's own.
    result<jose::algorithm> algorithm() const {
        return alg_ ? result<jose::algorithm>(*alg_) : key_.default_algorithm();
    }
    /// Refuse a Bearer token where a DPoP-bound one was asked for.
    bool require_binding() const noexcept { return require_binding_; }
    /// The key's RFC 7638 thumbprint (dpop_jkt).
    result<std::string> thumbprint() const { return key_.thumbprint(); }

    /// The latest nonce the server at `origin` gave, if any.
    std::optional<std::string> nonce_for(std::string_view origin) const {
        const std::lock_guard<std::mutex> lock(mutex_);
        const auto it = nonces_.find(std::string(origin));
        return it == nonces_.end() ? std::nullopt : std::optional<std::string>(it->second);
    }
    void remember_nonce(std::string_view origin, std::string nonce) {
        const std::lock_guard<std::mutex> lock(mutex_);
        if (nonces_.size() >= 64 && nonces_.count(std::string(origin)) == 0)
            nonces_.erase(nonces_.begin()); // bounded: any one may go
        nonces_[std::string(origin)] = std::move(nonce);
    }

    /// Puts a fresh proof for `req` into its DPoP header (replacing one
    /// already there): its method and URL, the server's latest nonce, and
    /// `access_token`'s hash for resource requests.
    result<void> prove(http::http_request& req, time_point now, random_generator& rng,
                       std::optional<std::string_view> access_token = {}) const {
        const std::string url(req.url.buffer());
        const auto nonce = nonce_for(origin_of(req.url));
        dpop::proof_target t{http::method_name(req.method), url, access_token, std::nullopt};
        if (nonce)
            t.nonce = *nonce;
        // A key that cannot sign proofs: make_proof names the reason.
        OBAUTH_TRY(std::string proof, signer_ ? signer_->sign(t, now, rng)
                                              : dpop::make_proof(key_, t, now, rng, alg_));
        http::set_header(req.headers, "DPoP", wiping_string(proof));
        return {};
    }

    /// Keeps the DPoP-Nonce of a response from `url`'s server.
    void remember(const http::http_response& r, const boost::urls::url_view& url) {
        if (const auto* n = r.header("DPoP-Nonce"); n != nullptr && !n->empty() && n->size() <= 512)
            remember_nonce(origin_of(url), std::string(*n));
    }

    /// "scheme://host:port" of `url`: nonces are per server.
    static std::string origin_of(const boost::urls::url_view& url) {
        std::string o(url.scheme());
        o += "://";
        o += url.encoded_host();
        if (url.has_port()) {
            o += ':';
            o += url.port();
        }
        return o;
    }

private:
    jose::jwk key_;
    std::optional<jose::algorithm> alg_;
    bool require_binding_;
    std::optional<dpop::proof_signer> signer_; ///< the key ready to sign (unset: unusable key)
    mutable std::mutex mutex_;
    std::map<std::string, std::string> nonces_;
};

/// Whether `r` asks the client to repeat its request with a (new) nonce:
/// the authorization server's 400 `use_dpop_nonce` (RFC 9449 §8) or the
/// resource server's 401 with `WWW-Authenticate: DPoP error="use_dpop_nonce"`
/// (§9), carrying a DPoP-Nonce.
inline bool asks_for_dpop_nonce(const http::http_response& r) {
    if (r.header("DPoP-Nonce") == nullptr)
        return false;
    if (r.status == 400) {
        auto doc = parse_json_object(std::string_view(r.body.data(), r.body.size()),
                                     json_limits{16 * 1024, 4});
        if (!doc)
            return false;
        const json* e = find_member(*doc, "error");
        return e != nullptr && e->is_string() && *e == "use_dpop_nonce";
    }
    if (r.status == 401) {
        auto challenges = http::parse_www_authenticate(r.headers);
        if (!challenges)
            return false;
        for (const auto& c : *challenges)
            if (ascii_iequals(c.scheme, "DPoP"))
                if (const auto* e = c.param("error"); e != nullptr && *e == "use_dpop_nonce")
                    return true;
    }
    return false;
}

} // namespace obauth::oauth
