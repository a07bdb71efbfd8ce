// An access token that passed the resource validator (RFC 9068 JWT access
// token): only resource::validator makes one. It holds the claims a gateway
// decides on -- issuer, subject, client, scopes, audiences, times -- and the
// sender constraint the token is bound to (RFC 8705 cnf.x5t#S256, RFC 9449
// cnf.jkt), never the token itself.
#pragma once

#include "../core/json.hpp"

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace obauth::resource {

class validator;

class verified_access_token {
public:
    const std::string& issuer() const noexcept { return issuer_; }
    const std::string& subject() const noexcept { return subject_; }
    const std::string& client_id() const noexcept { return client_id_; }
    const std::string& jti() const noexcept { return jti_; }
    const std::vector<std::string>& audiences() const noexcept { return audiences_; }
    /// The scope claim, split at spaces.
    const std::vector<std::string>& scopes() const noexcept { return scopes_; }
    bool has_scope(std::string_view s) const {
        return std::find(scopes_.begin(), scopes_.end(), s) != scopes_.end();
    }
    std::int64_t exp() const noexcept { return exp_; }
    std::int64_t iat() const noexcept { return iat_; }
    std::optional<std::int64_t> nbf() const noexcept { return nbf_; }
    /// cnf.x5t#S256: the certificate the token is bound to.
    const std::optional<std::string>& certificate_thumbprint() const noexcept { return x5t_; }
    /// cnf.jkt: the DPoP key the token is bound to.
    const std::optional<std::string>& dpop_thumbprint() const noexcept { return jkt_; }
    bool sender_constrained() const noexcept { return x5t_ || jkt_; }
    /// Every claim (e.g. the consent claim, authorization_details), parsed
    /// on first use (safe from several threads): the hot path never builds
    /// the DOM.
    const json& claims() const {
        std::call_once(parsed_, [this] {
            if (claims_.is_null())
                claims_ = parse_json(payload_, json_limits{64 * 1024, 16}).value_or(json());
        });
        return claims_;
    }

private:
    friend class validator;
    verified_access_token() = default;

    std::string issuer_, subject_, client_id_, jti_;
    std::vector<std::string> audiences_, scopes_;
    std::int64_t exp_ = 0, iat_ = 0;
    std::optional<std::int64_t> nbf_;
    std::optional<std::string> x5t_, jkt_;
    std::string payload_; ///< the claims as signed (JSON text)
    mutable std::once_flag parsed_;
    mutable json claims_; ///< set at once when the validator had to build it
};

} // namespace obauth::resource
