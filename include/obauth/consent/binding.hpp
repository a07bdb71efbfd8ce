// Binding a consent to the authorization request, where each convention
// expects its id:
//   - an essential claim in the OpenID Connect `claims` request (UK Open
//     Banking and FAPI banks: `openbanking_intent_id` in id_token and
//     userinfo), placed in the signed request object's `claims`;
//   - a scope value such as `AIS:<id>` (Berlin Group's OAuth SCA approach
//     and many EU banks);
//   - an RFC 9396 `authorization_details` entry naming the consent.
// The results are plain JSON and strings for the OAuth client's
// authorization_request (its `claims`, `scope` and `authorization_details`).
// A consent id must be 1 to 128 visible ASCII characters without space,
// quote or backslash, so that it is safe in all three.
#pragma once

#include "consent.hpp"
#include "error.hpp"

#include "../core/json.hpp"
#include "../core/result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace obauth::consent {

inline result<void> check_consent_id(std::string_view id) {
    if (id.empty() || id.size() > 128)
        return make_error(errc::invalid_consent_id, "empty or longer than 128");
    for (const char c : id)
        if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\')
            return make_error(errc::invalid_consent_id, quote(id));
    return {};
}

/// The `claims` request naming the consent: the claim (essential, with the
/// consent id as its value) in both id_token and userinfo; `acr_values`,
/// when given, are requested as an essential acr.
inline result<json> intent_claims(std::string_view consent_id,
                                  std::string_view claim = "openbanking_intent_id",
                                  const std::vector<std::string>& acr_values = {}) {
    OBAUTH_TRY_VOID(check_consent_id(consent_id));
    const json intent = {{"value", consent_id}, {"essential", true}};
    json id_token = {{std::string(claim), intent}};
    if (!acr_values.empty())
        id_token["acr"] = {{"essential", true}, {"values", acr_values}};
    return json{{"id_token", std::move(id_token)}, {"userinfo", {{std::string(claim), intent}}}};
}

/// A scope value "<prefix>:<consent id>", e.g. "AIS:1234-wertiq-983".
inline result<std::string> consent_scope(std::string_view prefix, std::string_view consent_id) {
    OBAUTH_TRY_VOID(check_consent_id(consent_id));
    if (prefix.empty() || prefix.size() > 32 ||
        prefix.find_first_of(" :\"\\") != std::string_view::npos)
        return make_error(errc::invalid_field, "scope prefix " + quote(prefix));
    return std::string(prefix) + ":" + std::string(consent_id);
}

/// An RFC 9396 authorization_details array with one entry of `type`
/// naming the consent (`consent_id`), plus `extra` members (locations,
/// actions, ...). `type` defaults to the consent type's name.
inline result<json> consent_authorization_details(consent_type t, std::string_view consent_id,
                                                  std::string type = {},
                                                  json extra = json::object()) {
    OBAUTH_TRY_VOID(check_consent_id(consent_id));
    if (!extra.is_object())
        return make_error(errc::invalid_json, "extra members must be an object");
    json entry = std::move(extra);
    entry["type"] = type.empty() ? std::string(consent_type_name(t)) : std::move(type);
    entry["consent_id"] = consent_id;
    return json::array({std::move(entry)});
}

} // namespace obauth::consent
