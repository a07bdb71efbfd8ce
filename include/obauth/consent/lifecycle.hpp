// A consent's lifecycle: one transition table (which event moves which
// status, for which consent types), apply() that follows it or fails with
// illegal_transition, and the question a resource server asks before it
// serves a request: may this consent be used, now, for this?
//
//   AwaitingAuthorisation --authorise--> Authorised --consume--> Consumed (payment)
//          |  reject / expire                 |  revoke / expire
//          v                                  v
//   Rejected, Expired                    Revoked, Expired
#pragma once

#include "consent.hpp"
#include "error.hpp"
#include "status.hpp"

#include "../core/clock.hpp"
#include "../core/result.hpp"

#include <optional>
#include <string>

namespace obauth::consent {

namespace detail {
struct consent_transition {
    consent_status from;
    consent_event event;
    consent_status to;
    bool payment;  ///< allowed for payment consents
    bool standing; ///< allowed for account-access and funds-confirmation consents
};
inline constexpr consent_transition consent_transitions[] = {
    {consent_status::awaiting_authorisation, consent_event::authorise, consent_status::authorised,
     true, true},
    {consent_status::awaiting_authorisation, consent_event::reject, consent_status::rejected, true,
     true},
    {consent_status::awaiting_authorisation, consent_event::expire, consent_status::expired, true,
     true},
    {consent_status::authorised, consent_event::revoke, consent_status::revoked, false, true},
    {consent_status::authorised, consent_event::expire, consent_status::expired, true, true},
    {consent_status::authorised, consent_event::consume, consent_status::consumed, true, false},
};

inline const consent_transition* find_transition(consent_type t, consent_status from,
                                                 consent_event e) noexcept {
    for (const auto& tr : consent_transitions)
        if (tr.from == from && tr.event == e &&
            (t == consent_type::payment ? tr.payment : tr.standing))
            return &tr;
    return nullptr;
}
} // namespace detail

/// Whether `e` may happen to a consent of type `t` in status `from`.
inline bool can_apply(consent_type t, consent_status from, consent_event e) noexcept {
    return detail::find_transition(t, from, e) != nullptr;
}

/// Moves `c` by `e` at `now`, as the table allows; otherwise nothing changes.
inline result<void> apply(consent& c, consent_event e, time_point now) {
    const auto* t = detail::find_transition(c.type(), c.status, e);
    if (t == nullptr)
        return make_error(errc::illegal_transition, std::string(event_name(e)) + " from " +
                                                        std::string(status_name(c.status)) + " (" +
                                                        std::string(consent_type_name(c.type())) +
                                                        ")");
    c.status = t->to;
    c.status_updated = now;
    return {};
}

/// The status at `now`: an open consent past its expiry is Expired even if
/// nobody recorded it yet.
inline consent_status effective_status(const consent& c, time_point now) {
    const auto end = c.expires_at();
    if (!is_final(c.status) && end && now >= *end)
        return consent_status::expired;
    return c.status;
}

/// Why `c` may not be used at `now` (for `p`, when given), or nothing:
/// it must be Authorised and not expired; an account-access consent must
/// grant `p` (directly or through the detailed permission); a payment
/// consent is usable once, until consumed, and has no permissions.
inline result<void> check_usable(const consent& c, time_point now,
                                 std::optional<permission> p = std::nullopt) {
    const consent_status s = effective_status(c, now);
    if (s != consent_status::authorised)
        return make_error(errc::not_usable, "status " + std::string(status_name(s)));
    if (p) {
        if (c.type() != consent_type::account_access)
            return make_error(errc::wrong_consent_type,
                              std::string(consent_type_name(c.type())) + " has no permissions");
        if (!c.request.permissions.grants(*p))
            return make_error(errc::not_usable, std::string(permission_name(*p)) + " not granted");
    }
    return {};
}

inline bool is_usable(const consent& c, time_point now,
                      std::optional<permission> p = std::nullopt) {
    return check_usable(c, now, p).has_value();
}

} // namespace obauth::consent
