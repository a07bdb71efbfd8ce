// Key selection from a set for the JWS verifier (inline; also used by
// jws_json.hpp and jwt.hpp).
#pragma once

// Included first, this header declares and defines the helpers before
// jwks.hpp pulls in its definitions (which use them).
#define OBAUTH_JOSE_JWKS_IMPL_OPEN

#include "../jwks.hpp"
#include "jws_impl.hpp"

#include "../../core/ascii.hpp"

#include <string>
#include <string_view>

namespace obauth::jose {

namespace detail {

struct key_set_candidates {
    const jwks* set;
    bool try_all;
    result<key_list> operator()(std::string_view kid, bool has_kid, algorithm alg) const {
        key_list out;
        if (has_kid) {
            for (const auto& k : set->keys())
                if (k.kid() == kid && k.check_usable(alg, key_operation::verify))
                    out.add(&k);
            if (out.size() > 1 && !try_all)
                return make_error(errc::ambiguous_key,
                                  "several usable keys with kid " + quote(kid, 64));
        }
        if (out.size() == 0) {
            for (const auto& k : set->keys())
                if (k.check_usable(alg, key_operation::verify))
                    out.add(&k);
            if (out.size() == 0 || (has_kid && !try_all))
                return make_error(errc::key_not_found,
                                  (has_kid ? "no usable key with kid " + quote(kid, 64)
                                           : std::string("no usable key")) +
                                      " for " + std::string(to_string(alg)) + " among " +
                                      std::to_string(set->keys().size()));
            if (out.size() > 1 && !try_all)
                return make_error(errc::ambiguous_key, "token has no kid and several keys fit");
        }
        return out;
    }
};

} // namespace detail

} // namespace obauth::jose

#undef OBAUTH_JOSE_JWKS_IMPL_OPEN
#if OBAUTH_INCLUDE_IMPL
#include "../impl/jwks.ipp"
#endif
