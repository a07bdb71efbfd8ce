// How to sign a JWS (jose/jws.hpp). Its own header because extra_header is a
// JSON value: with OBAUTH_SEPARATE_COMPILATION, jws.hpp does not include it
// (nor nlohmann/json.hpp); include this header to sign with options.
#pragma once

#include "algorithm.hpp"

#include "../core/json_fwd.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace obauth::jose {

struct jws_sign_options {
    /// Defaults to the key's pinned (or only possible) algorithm.
    std::optional<algorithm> alg;
    /// "typ" header value, e.g. "JWT" or "at+jwt"; none by default.
    std::optional<std::string> typ;
    /// Put the key's kid (if it has one) into the header.
    bool include_kid = true;
    /// Further protected header members, a JSON object or null for none
    /// (for example extension values that are also listed in "crit"). Must not set alg, b64 or
    /// crit, nor kid or typ when those are set by the options above.
    json extra_header;
    /// Extension names to list in "crit" (their values go in extra_header).
    std::vector<std::string> critical;
    /// RFC 7797: sign the payload unencoded (adds b64:false and crit b64).
    bool b64 = true;
    /// RFC 7515 Appendix F: leave the payload out of the serialization.
    bool detached = false;
};

} // namespace obauth::jose
