// An access token that passed the resource validator (RFC 9068 JWT access
// token): only resource::validator makes one. It holds the claims a gateway
// decides on -- issuer, subject, client, scopes, audiences, times -- and the
// sender constraint the token is bound to (RFC 8705 cnf.x5t#S256, RFC 9449
// cnf.jkt), never the token itself: a JWT's decoded header and claims are
// kept, its signature is not.
#pragma once

#include "../core/json.hpp"
#include "../jose/jwt.hpp"
#include "../oauth/endpoint_response.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace obauth::resource {

class validator;

namespace detail {
/// What a verified token is made of, as views that stay valid while it is
/// assembled (into the verified JWT it keeps, or an introspection answer).
struct token_fields {
    std::string_view iss, sub, client_id, jti;
    std::array<std::string_view, 16> aud{}; ///< the first `naud`
    std::size_t naud = 0;
    std::string_view scope;               ///< space-separated (a JWT's claim)...
    std::vector<std::string_view> scopes; ///< ...or already split (introspection)
    std::optional<std::string_view> x5t, jkt;
    std::int64_t exp = 0, iat = 0;
    std::optional<std::int64_t> nbf;
};
} // namespace detail

/// A read-only run of views into a verified token (its audiences, its
/// scopes), valid while the token is.
class string_views {
public:
    using value_type = std::string_view;
    using const_iterator = const std::string_view*;
    using iterator = const_iterator;

    string_views() noexcept = default;
    string_views(const std::string_view* first, std::size_t n) noexcept : p_(first), n_(n) {}
    const_iterator begin() const noexcept { return p_; }
    const_iterator end() const noexcept { return p_ + n_; }
    std::size_t size() const noexcept { return n_; }
    bool empty() const noexcept { return n_ == 0; }
    std::string_view operator[](std::size_t i) const noexcept { return p_[i]; }

    friend bool operator==(string_views a, const std::vector<std::string_view>& b) {
        return std::equal(a.begin(), a.end(), b.begin(), b.end());
    }
    friend bool operator==(const std::vector<std::string_view>& a, string_views b) {
        return b == a;
    }

private:
    const std::string_view* p_ = nullptr;
    std::size_t n_ = 0;
};

class verified_access_token {
public:
    std::string_view issuer() const noexcept { return iss_; }
    std::string_view subject() const noexcept { return sub_; }
    std::string_view client_id() const noexcept { return client_id_; }
    std::string_view jti() const noexcept { return jti_; }
    string_views audiences() const noexcept { return {views_, naud_}; }
    /// The scope claim, split at spaces.
    string_views scopes() const noexcept { return {views_ + naud_, nviews_ - naud_}; }
    bool has_scope(std::string_view s) const {
        const string_views all = scopes();
        return std::find(all.begin(), all.end(), s) != all.end();
    }
    std::int64_t exp() const noexcept { return exp_; }
    std::int64_t iat() const noexcept { return iat_; }
    std::optional<std::int64_t> nbf() const noexcept { return nbf_; }
    /// cnf.x5t#S256: the certificate the token is bound to.
    std::optional<std::string_view> certificate_thumbprint() const noexcept { return x5t_; }
    /// cnf.jkt: the DPoP key the token is bound to.
    std::optional<std::string_view> dpop_thumbprint() const noexcept { return jkt_; }
    bool sender_constrained() const noexcept { return x5t_ || jkt_; }
    /// Every claim (e.g. the consent claim, authorization_details): a JWT's
    /// parsed on first use (safe from several threads), so the hot path
    /// never builds the DOM; an introspection answer's as it came.
    const json& claims() const { return jwt_ ? jwt_->claims() : claims_; }

    /// Made in place (make_shared) and never moved: the views point into it.
    verified_access_token(const verified_access_token&) = delete;
    verified_access_token& operator=(const verified_access_token&) = delete;

private:
    friend class validator;
    /// Constructible by the validator alone (a user-provided private
    /// constructor: `{}` cannot make one elsewhere).
    class made_by_validator {
        friend class validator;
        made_by_validator() {}
    };

public:
    /// Only the validator can name the tag (for make_shared).
    explicit verified_access_token(made_by_validator) {}

private:
    /// Every field a view: into the verified JWT the token keeps (its
    /// payload, its unescaped values, its DOM), or, for an introspection
    /// answer (`copy`), into one buffer the values are copied to.
    void assemble(const detail::token_fields& f, bool copy) {
        if (copy) {
            std::size_t n = 0;
            for (const auto v : {f.iss, f.sub, f.client_id, f.jti, f.scope})
                n += v.size();
            for (std::size_t i = 0; i < f.naud; ++i)
                n += f.aud[i].size();
            for (const auto v : f.scopes)
                n += v.size();
            for (const auto& v : {f.x5t, f.jkt})
                n += v ? v->size() : 0;
            text_.reserve(n); // views taken below stay valid
        }
        const auto place = [&](std::string_view v) {
            if (!copy)
                return v;
            const std::size_t at = text_.size();
            text_.append(v);
            return std::string_view(text_).substr(at);
        };
        iss_ = place(f.iss);
        sub_ = place(f.sub);
        client_id_ = place(f.client_id);
        jti_ = place(f.jti);
        if (f.x5t)
            x5t_ = place(*f.x5t);
        if (f.jkt)
            jkt_ = place(*f.jkt);
        // The audiences, then the scopes: inline when few (no allocation).
        const std::string_view scope = place(f.scope);
        const std::size_t n =
            f.naud + static_cast<std::size_t>(std::count(scope.begin(), scope.end(), ' ')) + 1 +
            f.scopes.size();
        if (n > few_.size())
            many_.resize(n);
        std::string_view* out = n > few_.size() ? many_.data() : few_.data();
        views_ = out;
        for (std::size_t i = 0; i < f.naud; ++i)
            *out++ = place(f.aud[i]);
        naud_ = f.naud;
        oauth::for_each_scope_token(scope, [&out](std::string_view t) { *out++ = t; });
        for (const auto v : f.scopes)
            *out++ = place(v);
        nviews_ = static_cast<std::size_t>(out - views_);
        exp_ = f.exp;
        iat_ = f.iat;
        nbf_ = f.nbf;
    }

    std::optional<jose::verified_jwt> jwt_; ///< a JWT access token, as verified
    json claims_;                           ///< an introspection answer's claims
    std::string text_;                      ///< an introspection answer's values
    std::string_view iss_, sub_, client_id_, jti_;
    std::optional<std::string_view> x5t_, jkt_;
    std::array<std::string_view, 8> few_;
    std::vector<std::string_view> many_;
    const std::string_view* views_ = nullptr; ///< the audiences, then the scopes
    std::size_t naud_ = 0, nviews_ = 0;
    std::int64_t exp_ = 0, iat_ = 0;
    std::optional<std::int64_t> nbf_;
};

} // namespace obauth::resource
