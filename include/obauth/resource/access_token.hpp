// An access token that passed the resource validator (RFC 9068 JWT access
// token): only resource::validator makes one. It holds the claims a gateway
// decides on -- issuer, subject, client, scopes, audiences, times -- and the
// sender constraint the token is bound to (RFC 8705 cnf.x5t#S256, RFC 9449
// cnf.jkt), never the token itself.
#pragma once

#include "../core/json.hpp"
#include "../oauth/endpoint_response.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace obauth::resource {

class validator;

namespace detail {
/// What a verified token is made of, as views that stay valid while it is
/// assembled (into the signed payload, a DOM, an introspection answer).
struct token_fields {
    std::string_view payload; ///< the claims as signed; empty when introspected
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
    std::string_view issuer() const noexcept { return view(iss_); }
    std::string_view subject() const noexcept { return view(sub_); }
    std::string_view client_id() const noexcept { return view(client_id_); }
    std::string_view jti() const noexcept { return view(jti_); }
    string_views audiences() const noexcept { return {views_.data(), naud_}; }
    /// The scope claim, split at spaces.
    string_views scopes() const noexcept { return {views_.data() + naud_, views_.size() - naud_}; }
    bool has_scope(std::string_view s) const {
        const string_views all = scopes();
        return std::find(all.begin(), all.end(), s) != all.end();
    }
    std::int64_t exp() const noexcept { return exp_; }
    std::int64_t iat() const noexcept { return iat_; }
    std::optional<std::int64_t> nbf() const noexcept { return nbf_; }
    /// cnf.x5t#S256: the certificate the token is bound to.
    std::optional<std::string_view> certificate_thumbprint() const {
        return x5t_ ? std::optional<std::string_view>(view(*x5t_)) : std::nullopt;
    }
    /// cnf.jkt: the DPoP key the token is bound to.
    std::optional<std::string_view> dpop_thumbprint() const {
        return jkt_ ? std::optional<std::string_view>(view(*jkt_)) : std::nullopt;
    }
    bool sender_constrained() const noexcept { return x5t_ || jkt_; }
    /// Every claim (e.g. the consent claim, authorization_details), parsed
    /// on first use (safe from several threads): the hot path never builds
    /// the DOM.
    const json& claims() const {
        std::call_once(parsed_, [this] {
            if (claims_.is_null())
                claims_ = parse_json(std::string_view(text_).substr(0, payload_len_),
                                     json_limits{64 * 1024, 16})
                              .value_or(json());
        });
        return claims_;
    }

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
    struct span {
        std::uint32_t offset = 0, length = 0;
    };

public:
    /// Only the validator can name the tag (for make_shared).
    explicit verified_access_token(made_by_validator) {}

private:
    /// One buffer for everything: the payload, then the values that are not
    /// slices of it (unescaped, or from a DOM); every field a view into it.
    void assemble(const detail::token_fields& f) {
        const auto inside = [&f](std::string_view v) {
            const std::less_equal<const char*> le;
            return !f.payload.empty() && le(f.payload.data(), v.data()) &&
                   le(v.data() + v.size(), f.payload.data() + f.payload.size());
        };
        std::size_t extra = 0;
        const auto count = [&](std::string_view v) {
            if (!inside(v))
                extra += v.size();
        };
        for (const auto v : {f.iss, f.sub, f.client_id, f.jti})
            count(v);
        for (std::size_t i = 0; i < f.naud; ++i)
            count(f.aud[i]);
        for (const auto v : f.scopes)
            count(v);
        count(f.scope);
        for (const auto& v : {f.x5t, f.jkt})
            if (v)
                count(*v);
        text_.reserve(f.payload.size() + extra);
        text_.assign(f.payload);
        payload_len_ = f.payload.size();
        const auto place = [&](std::string_view v) {
            if (inside(v))
                return span{static_cast<std::uint32_t>(v.data() - f.payload.data()),
                            static_cast<std::uint32_t>(v.size())};
            const span s{static_cast<std::uint32_t>(text_.size()),
                         static_cast<std::uint32_t>(v.size())};
            text_.append(v);
            return s;
        };
        iss_ = place(f.iss);
        sub_ = place(f.sub);
        client_id_ = place(f.client_id);
        jti_ = place(f.jti);
        if (f.x5t)
            x5t_ = place(*f.x5t);
        if (f.jkt)
            jkt_ = place(*f.jkt);
        // text_ has its final capacity: views taken now stay valid. One
        // vector holds the audiences, then the scopes.
        const std::string_view scope = view(place(f.scope));
        views_.reserve(f.naud +
                       static_cast<std::size_t>(std::count(scope.begin(), scope.end(), ' ')) + 1 +
                       f.scopes.size());
        for (std::size_t i = 0; i < f.naud; ++i)
            views_.push_back(view(place(f.aud[i])));
        naud_ = f.naud;
        oauth::for_each_scope_token(scope, [this](std::string_view t) { views_.push_back(t); });
        for (const auto v : f.scopes)
            views_.push_back(view(place(v)));
        exp_ = f.exp;
        iat_ = f.iat;
        nbf_ = f.nbf;
    }
    std::string_view view(span s) const noexcept {
        return std::string_view(text_).substr(s.offset, s.length);
    }

    std::string text_;
    std::size_t payload_len_ = 0;
    span iss_, sub_, client_id_, jti_;
    std::optional<span> x5t_, jkt_;
    std::vector<std::string_view> views_; ///< the audiences, then the scopes
    std::size_t naud_ = 0;
    std::int64_t exp_ = 0, iat_ = 0;
    std::optional<std::int64_t> nbf_;
    mutable std::once_flag parsed_;
    mutable json claims_; ///< set at once when the validator had to build it
};

} // namespace obauth::resource
