// Hamster Bank's consent JSON (seed 001), both directions.
//
// Request (POST /consents/{type}, the seed's example for account-access):
//   {"permissions": [...], "expiration_date": "...", "transaction_from_date": "...",
//    "transaction_to_date": "..."}
// The seed shows only that body. For the other types and for the response
// obauth uses the same snake_case convention, and says so here:
//   payment:            {"instruction_identification", "end_to_end_identification",
//                        "instructed_amount": {"amount", "currency"},
//                        "creditor_account": {"scheme_name", "identification", "name",
//                                             "secondary_identification"},
//                        "debtor_account": {...}, "remittance_information":
//                        {"reference", "unstructured"}}
//   funds-confirmation: {"debtor_account": {...}, "expiration_date"}
//   response:           the request's members plus "consent_id", "status"
//                       (AwaitingAuthorisation, ...), "created_at", "status_updated_at"
// Requests are parsed strictly (unknown members refused: a bank must not
// ignore a restriction it does not understand); responses tolerate extra
// members.
#pragma once

#include "consent.hpp"
#include "detail/wire.hpp"
#include "error.hpp"
#include "status.hpp"
#include "timestamp.hpp"

#include "../core/json.hpp"
#include "../core/result.hpp"

#include <string>
#include <string_view>

namespace obauth::consent::hamster {

/// "/consents/account-access", "/consents/payment", "/consents/funds-confirmation".
inline std::string create_path(consent_type t) {
    return "/consents/" + std::string(consent_type_name(t));
}

namespace detail {
using namespace obauth::consent::detail;

/// The request members of `r` into `j`.
inline void put_request(json& j, const consent_request& r) {
    switch (r.type) {
    case consent_type::account_access:
        j["permissions"] = r.permissions.names();
        put_time(j, "expiration_date", r.expiration);
        put_time(j, "transaction_from_date", r.transaction_from);
        put_time(j, "transaction_to_date", r.transaction_to);
        break;
    case consent_type::payment:
        if (r.payment)
            j.update(payment_json(*r.payment, snake_payment));
        break;
    case consent_type::funds_confirmation:
        if (r.debtor_account)
            j["debtor_account"] = account_json(*r.debtor_account, snake_account);
        put_time(j, "expiration_date", r.expiration);
        break;
    }
}

/// The request members of type `t` out of `j` (`strict`: nothing else).
inline result<consent_request> take_request(consent_type t, const json& j, bool strict) {
    consent_request r;
    r.type = t;
    switch (t) {
    case consent_type::account_access: {
        if (strict)
            OBAUTH_TRY_VOID(only_members(j, {"permissions", "expiration_date",
                                             "transaction_from_date", "transaction_to_date"}));
        const json* p = find_member(j, "permissions");
        if (p == nullptr)
            return make_error(errc::invalid_json, "'permissions' is missing");
        OBAUTH_TRY(r.permissions, parse_permissions(*p));
        OBAUTH_TRY(r.expiration, time_member(j, "expiration_date", false));
        OBAUTH_TRY(r.transaction_from, time_member(j, "transaction_from_date", false));
        OBAUTH_TRY(r.transaction_to, time_member(j, "transaction_to_date", false));
        break;
    }
    case consent_type::payment: {
        OBAUTH_TRY(r.payment, payment_from_json(j, snake_payment, strict));
        break;
    }
    case consent_type::funds_confirmation: {
        if (strict)
            OBAUTH_TRY_VOID(only_members(j, {"debtor_account", "expiration_date"}));
        const json* d = find_member(j, "debtor_account");
        if (d == nullptr)
            return make_error(errc::invalid_json, "'debtor_account' is missing");
        OBAUTH_TRY(r.debtor_account, account_from_json(*d, snake_account, "debtor_account"));
        OBAUTH_TRY(r.expiration, time_member(j, "expiration_date", false));
        break;
    }
    }
    return r;
}
} // namespace detail

/// The create request's body. Validates first (with `now`), so an invalid
/// consent is never sent.
inline result<std::string> request_body(const consent_request& r, time_point now) {
    OBAUTH_TRY_VOID(validate(r, now));
    json j = json::object();
    detail::put_request(j, r);
    return detail::dump(j);
}

/// The bank's side: a create request's body, parsed strictly and validated.
inline result<consent_request> parse_request_body(consent_type t, std::string_view body,
                                                  time_point now) {
    OBAUTH_TRY(const json j, detail::parse_body(body));
    OBAUTH_TRY(consent_request r, detail::take_request(t, j, true));
    OBAUTH_TRY_VOID(validate(r, now));
    return r;
}

/// The bank's answer describing `c` (create and GET responses).
inline result<std::string> consent_body(const consent& c) {
    json j = {{"consent_id", c.id},
              {"status", std::string(status_name(c.status))},
              {"created_at", format_timestamp(c.created)},
              {"status_updated_at", format_timestamp(c.status_updated)}};
    detail::put_request(j, c.request);
    return detail::dump(j);
}

/// The TPP's side: the bank's create or GET response for a consent of type `t`.
inline result<consent> parse_consent_body(consent_type t, std::string_view body) {
    OBAUTH_TRY(const json j, detail::parse_body(body));
    consent c;
    OBAUTH_TRY(c.id, detail::string_member(j, "consent_id"));
    if (c.id.empty() || c.id.size() > 128)
        return make_error(errc::invalid_consent_id, "empty or longer than 128");
    OBAUTH_TRY(const std::string status, detail::string_member(j, "status"));
    OBAUTH_TRY(c.status, parse_status(status));
    OBAUTH_TRY(auto created, detail::time_member(j, "created_at", true));
    OBAUTH_TRY(auto updated, detail::time_member(j, "status_updated_at", true));
    c.created = *created;
    c.status_updated = *updated;
    OBAUTH_TRY(c.request, detail::take_request(t, j, false));
    return c;
}

} // namespace obauth::consent::hamster
