// verify_jwt with a claims visitor: code that reads claims of its own (a
// resource server's client_id, scope and cnf; a profile's extra claims)
// sees them during the verifier's one scan of the claims instead of
// scanning the payload again.
//
// A visitor has json_scanner's handler interface (core/json_scanner.hpp):
// key, string, number, literal, open and close, with depth 1 for a claim
// (its name and value) and more for what is nested in it; views point into
// the verified token's payload. It also has `void dom()`: the verifier read
// the claims through a DOM instead (a string with escapes, a shape the
// scanner does not take), so what the visitor saw is incomplete and
// verified_jwt::claims() is the place to read them. The visitor sees the
// claims only after the signature has verified, and before the claim rules
// run: its findings count only when verify_jwt succeeds.
#pragma once

#include "detail/jwt_impl.hpp"

namespace obauth::jose {

/// verify_jwt(token, key, opt, policy, now), showing the claims to `visitor`.
template <class Visitor>
result<verified_jwt> verify_jwt(std::string_view token, const jwk& key,
                                const jws_verify_options& opt, const jwt_validation& policy,
                                time_point now, Visitor& visitor) {
    return detail::jwt_access::verify(token, opt, detail::single_key{&key}, policy, now, visitor);
}

/// verify_jwt(token, set, opt, policy, now), showing the claims to `visitor`.
template <class Visitor>
result<verified_jwt> verify_jwt(std::string_view token, const jwks& set,
                                const jws_verify_options& opt, const jwt_validation& policy,
                                time_point now, Visitor& visitor) {
    return detail::jwt_access::verify(
        token, opt, detail::key_set_candidates{&set, opt.try_all_keys}, policy, now, visitor);
}

} // namespace obauth::jose
