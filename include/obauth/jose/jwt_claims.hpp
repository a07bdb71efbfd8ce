// A claim set to sign with sign_jwt (jose/jwt.hpp). Its own header because
// `extra` is a JSON value: with OBAUTH_SEPARATE_COMPILATION, jwt.hpp does
// not include it (nor nlohmann/json.hpp); include this header to use it.
#pragma once

#include "error.hpp"

#include "../core/clock.hpp"
#include "../core/json.hpp"
#include "../core/result.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace obauth::jose {

/// A claim set to sign: the registered claims typed (RFC 7519 §4.1), any
/// other claim as JSON in `extra`.
struct jwt_claims {
    std::optional<std::string> iss;
    std::optional<std::string> sub;
    std::vector<std::string> aud; ///< one element is written as a string
    std::optional<time_point> exp;
    std::optional<time_point> nbf;
    std::optional<time_point> iat;
    std::optional<std::string> jti;
    json extra = json::object(); ///< must not repeat a registered claim

    /// The claim set as a JSON object, or an error when `extra` is not an
    /// object or repeats a registered claim.
    result<json> to_json() const {
        if (!extra.is_object())
            return make_error(errc::invalid_claim, "extra claims are not an object");
        json j = extra;
        auto put = [&j](const char* name, json value) -> result<void> {
            if (j.contains(name))
                return make_error(errc::invalid_claim,
                                  std::string("'") + name + "' set twice (typed and in extra)");
            j[name] = std::move(value);
            return {};
        };
        if (iss)
            OBAUTH_TRY_VOID(put("iss", *iss));
        if (sub)
            OBAUTH_TRY_VOID(put("sub", *sub));
        if (aud.size() == 1)
            OBAUTH_TRY_VOID(put("aud", aud.front()));
        else if (!aud.empty())
            OBAUTH_TRY_VOID(put("aud", aud));
        if (exp)
            OBAUTH_TRY_VOID(put("exp", to_unix_seconds(*exp)));
        if (nbf)
            OBAUTH_TRY_VOID(put("nbf", to_unix_seconds(*nbf)));
        if (iat)
            OBAUTH_TRY_VOID(put("iat", to_unix_seconds(*iat)));
        if (jti)
            OBAUTH_TRY_VOID(put("jti", *jti));
        return j;
    }
};

} // namespace obauth::jose
