// What a route asks of a verified access token beyond its validity: the
// scopes it needs (RFC 6750 §3.1 insufficient_scope, 403), and for open
// banking the consent the token was issued for (the `openbanking_intent_id`
// claim, or another one the bank uses), looked up by the caller and checked
// with the consent module: Authorised, not expired, granting the
// permission the route needs.
#pragma once

#include "access_token.hpp"
#include "error.hpp"

#include "../consent/consent.hpp"
#include "../consent/lifecycle.hpp"
#include "../core/clock.hpp"
#include "../core/json.hpp"
#include "../core/result.hpp"

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace obauth::resource {

/// Every scope in `required` is in the token's scope claim.
inline result<void> require_scopes(const verified_access_token& t,
                                   std::initializer_list<std::string_view> required) {
    std::string missing;
    for (const std::string_view s : required)
        if (!t.has_scope(s))
            missing += (missing.empty() ? "" : " ") + std::string(s);
    if (!missing.empty())
        return make_error(errc::insufficient_scope, "missing: " + missing);
    return {};
}

/// The consent id the token names in `claim` (a string), if any.
inline std::optional<std::string> consent_id(const verified_access_token& t,
                                             std::string_view claim = "openbanking_intent_id") {
    const json* v = find_member(t.claims(), claim);
    const auto* s = v != nullptr ? v->get_ptr<const json::string_t*>() : nullptr;
    if (s == nullptr || s->empty())
        return std::nullopt;
    return *s;
}

/// `c` is the consent the token names in `claim` and allows `p` at `now`.
inline result<void> require_consent(const verified_access_token& t, const consent::consent& c,
                                    time_point now,
                                    std::optional<consent::permission> p = std::nullopt,
                                    std::string_view claim = "openbanking_intent_id") {
    const auto id = consent_id(t, claim);
    if (!id)
        return make_error(errc::consent_not_usable, "the token names no consent");
    if (*id != c.id)
        return make_error(errc::consent_not_usable, "the token names another consent");
    if (auto ok = consent::check_usable(c, now, p); !ok)
        return make_error(errc::consent_not_usable, ok.error().to_string());
    return {};
}

} // namespace obauth::resource
