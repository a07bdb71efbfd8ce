// Berlin Group NextGenPSD2 account-information consents (POST /v1/consents),
// so the module serves EU banks:
//   {"access": {"accounts": [{"iban": ...}], "balances": [...], "transactions": [...]}
//              or {"availableAccounts" | "availableAccountsWithBalance" | "allPsd2":
//              "allAccounts"},
//    "recurringIndicator": true, "validUntil": "2024-03-15", "frequencyPerDay": 4,
//    "combinedServiceIndicator": false}
// and the answers {"consentStatus": "received", "consentId": ..., "_links": ...} and
// {"consentStatus": ...}. Account references carry exactly one identifier;
// IBANs are checked (country, length, ISO 7064 mod 97-10). validUntil is a
// date, at most 90 days ahead (the model's account-access limit); a
// one-off consent has frequencyPerDay 1.
#pragma once

#include "consent.hpp"
#include "detail/wire.hpp"
#include "error.hpp"
#include "permission.hpp"
#include "status.hpp"
#include "timestamp.hpp"

#include "../core/json.hpp"
#include "../core/result.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace obauth::consent::berlin_group {

/// One account: exactly one of the identifiers, optionally a currency.
struct account_reference {
    std::string iban, bban, pan, masked_pan, msisdn;
    std::string currency;
};

enum class all_accounts { available_accounts, available_accounts_with_balance, all_psd2 };

struct access_rights {
    std::vector<account_reference> accounts, balances, transactions;
    std::optional<all_accounts> all; ///< instead of listing accounts
};

struct account_consent_request {
    access_rights access;
    bool recurring_indicator = true;
    civil_date valid_until;
    unsigned frequency_per_day = 4;
    bool combined_service_indicator = false;
};

enum class bg_status {
    received,
    rejected,
    valid,
    revoked_by_psu,
    expired,
    terminated_by_tpp,
    partially_authorised,
};

struct consent_response {
    std::string consent_id; ///< empty in a status-only answer
    bg_status status = bg_status::received;
};

namespace detail {
using namespace obauth::consent::detail;

inline constexpr std::array<std::string_view, 7> bg_status_names{
    "received",        "rejected",           "valid", "revokedByPsu", "expired",
    "terminatedByTpp", "partiallyAuthorised"};
inline constexpr std::array<std::string_view, 3> all_names{
    "availableAccounts", "availableAccountsWithBalance", "allPsd2"};
inline constexpr std::size_t max_references = 100;

/// ISO 13616: two letters, two check digits, up to 30 letters or digits,
/// and the ISO 7064 mod 97-10 check.
inline bool valid_iban(std::string_view s) noexcept {
    if (s.size() < 15 || s.size() > 34)
        return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const bool upper = c >= 'A' && c <= 'Z';
        const bool digit = c >= '0' && c <= '9';
        if ((i < 2 && !upper) || (i >= 2 && i < 4 && !digit) || (i >= 4 && !upper && !digit))
            return false;
    }
    unsigned rem = 0;
    for (std::size_t k = 0; k < s.size(); ++k) {
        const char c = s[(k + 4) % s.size()]; // the first four characters move to the end
        rem = c >= 'A' ? (rem * 100 + static_cast<unsigned>(c - 'A' + 10)) % 97
                       : (rem * 10 + static_cast<unsigned>(c - '0')) % 97;
    }
    return rem == 1;
}

inline result<void> check_reference(const account_reference& a) {
    int ids = 0;
    for (const std::string* s : {&a.iban, &a.bban, &a.pan, &a.masked_pan, &a.msisdn})
        ids += s->empty() ? 0 : 1;
    if (ids != 1)
        return make_error(errc::invalid_account,
                          "an account reference needs exactly one identifier");
    if (!a.iban.empty() && !valid_iban(a.iban))
        return make_error(errc::invalid_account, "IBAN " + quote(a.iban) + " does not check");
    for (const std::string* s : {&a.bban, &a.pan, &a.masked_pan, &a.msisdn})
        OBAUTH_TRY_VOID(check_text("account identifier", *s, 35, false));
    if (!a.currency.empty())
        OBAUTH_TRY_VOID(check_currency(a.currency));
    return {};
}

inline constexpr std::array<std::pair<std::string_view, std::string account_reference::*>, 5>
    reference_members{{{"iban", &account_reference::iban},
                       {"bban", &account_reference::bban},
                       {"pan", &account_reference::pan},
                       {"maskedPan", &account_reference::masked_pan},
                       {"msisdn", &account_reference::msisdn}}};

inline json references_json(const std::vector<account_reference>& v) {
    json out = json::array();
    for (const auto& a : v) {
        json j = json::object();
        for (const auto& [name, member] : reference_members)
            if (!(a.*member).empty())
                j[std::string(name)] = a.*member;
        if (!a.currency.empty())
            j["currency"] = a.currency;
        out.push_back(std::move(j));
    }
    return out;
}

inline result<std::vector<account_reference>> references_from_json(const json& v,
                                                                   std::string_view key) {
    if (!v.is_array())
        return make_error(errc::invalid_json, quote(key) + " is not an array");
    if (v.size() > max_references)
        return make_error(errc::too_many_items, quote(key) + " has " + std::to_string(v.size()));
    std::vector<account_reference> out;
    for (const json& j : v) {
        if (!j.is_object())
            return make_error(errc::invalid_json, quote(key) + " has a non-object entry");
        OBAUTH_TRY_VOID(
            only_members(j, {"iban", "bban", "pan", "maskedPan", "msisdn", "currency"}));
        account_reference a;
        for (const auto& [name, member] : reference_members) {
            OBAUTH_TRY(a.*member, optional_string_member(j, name));
        }
        OBAUTH_TRY(a.currency, optional_string_member(j, "currency"));
        OBAUTH_TRY_VOID(check_reference(a));
        out.push_back(std::move(a));
    }
    return out;
}
} // namespace detail

inline std::string_view status_name(bg_status s) noexcept {
    return detail::bg_status_names[static_cast<std::size_t>(s)];
}

inline result<bg_status> parse_bg_status(std::string_view name) {
    for (std::size_t i = 0; i < detail::bg_status_names.size(); ++i)
        if (detail::bg_status_names[i] == name)
            return static_cast<bg_status>(i);
    return make_error(errc::unknown_status, quote(name));
}

/// The model's status for a NextGenPSD2 one (both "revoked" kinds are
/// Revoked; a partial authorisation still awaits the other PSUs).
inline consent_status to_consent_status(bg_status s) noexcept {
    switch (s) {
    case bg_status::received:
    case bg_status::partially_authorised:
        return consent_status::awaiting_authorisation;
    case bg_status::valid:
        return consent_status::authorised;
    case bg_status::rejected:
        return consent_status::rejected;
    case bg_status::revoked_by_psu:
    case bg_status::terminated_by_tpp:
        return consent_status::revoked;
    case bg_status::expired:
        return consent_status::expired;
    }
    return consent_status::rejected;
}

/// The rules before sending: some access (listed accounts or an
/// all-accounts flag, not both), valid references, validUntil from today
/// (UTC) to 90 days ahead, 1 ≤ frequencyPerDay ≤ 100 and exactly 1 for a
/// one-off consent.
inline result<void> validate(const account_consent_request& r, time_point now) {
    const auto& a = r.access;
    const bool listed = !a.accounts.empty() || !a.balances.empty() || !a.transactions.empty();
    if (listed == a.all.has_value())
        return make_error(errc::empty_permissions,
                          listed ? "list accounts or ask for all accounts, not both"
                                 : "no access requested");
    for (const auto* v : {&a.accounts, &a.balances, &a.transactions}) {
        if (v->size() > detail::max_references)
            return make_error(errc::too_many_items, std::to_string(v->size()) + " accounts");
        for (const auto& ref : *v)
            OBAUTH_TRY_VOID(detail::check_reference(ref));
    }
    // In whole seconds, not time_points: any YYYY-MM-DD is a valid full-date,
    // but only about 1678-2262 fits a time_point.
    const std::int64_t end = (detail::days_from_civil(r.valid_until) + 1) * 86400;
    const std::int64_t today = to_unix_seconds(now);
    const auto longest = std::chrono::duration_cast<std::chrono::seconds>(
        *max_duration(consent_type::account_access) + std::chrono::hours(24));
    if (end <= today)
        return make_error(errc::expiration_in_past, "validUntil " + format_date(r.valid_until));
    if (end > today + longest.count())
        return make_error(errc::expiration_too_far, "validUntil " + format_date(r.valid_until) +
                                                        " is more than 90 days ahead");
    if (r.frequency_per_day < 1 || r.frequency_per_day > 100 ||
        (!r.recurring_indicator && r.frequency_per_day != 1))
        return make_error(errc::invalid_field,
                          "frequencyPerDay " + std::to_string(r.frequency_per_day) +
                              (r.recurring_indicator ? "" : " for a one-off consent"));
    return {};
}

inline result<std::string> request_body(const account_consent_request& r, time_point now) {
    OBAUTH_TRY_VOID(validate(r, now));
    json access = json::object();
    if (r.access.all) {
        access[std::string(detail::all_names[static_cast<std::size_t>(*r.access.all)])] =
            "allAccounts";
    } else {
        if (!r.access.accounts.empty())
            access["accounts"] = detail::references_json(r.access.accounts);
        if (!r.access.balances.empty())
            access["balances"] = detail::references_json(r.access.balances);
        if (!r.access.transactions.empty())
            access["transactions"] = detail::references_json(r.access.transactions);
    }
    return detail::dump({{"access", std::move(access)},
                         {"recurringIndicator", r.recurring_indicator},
                         {"validUntil", format_date(r.valid_until)},
                         {"frequencyPerDay", r.frequency_per_day},
                         {"combinedServiceIndicator", r.combined_service_indicator}});
}

/// The bank's side: a request body, parsed strictly and validated.
inline result<account_consent_request> parse_request_body(std::string_view body, time_point now) {
    OBAUTH_TRY(const json j, detail::parse_body(body));
    OBAUTH_TRY_VOID(detail::only_members(j, {"access", "recurringIndicator", "validUntil",
                                             "frequencyPerDay", "combinedServiceIndicator"}));
    account_consent_request r;
    OBAUTH_TRY(const json* access, detail::object_member(j, "access"));
    OBAUTH_TRY_VOID(
        detail::only_members(*access, {"accounts", "balances", "transactions", "availableAccounts",
                                       "availableAccountsWithBalance", "allPsd2"}));
    for (auto [key, out] :
         {std::pair<const char*, std::vector<account_reference>*>{"accounts", &r.access.accounts},
          {"balances", &r.access.balances},
          {"transactions", &r.access.transactions}})
        if (const json* v = find_member(*access, key)) {
            OBAUTH_TRY(*out, detail::references_from_json(*v, key));
        }
    for (std::size_t i = 0; i < detail::all_names.size(); ++i)
        if (const json* v = find_member(*access, detail::all_names[i])) {
            if (v->get_ptr<const json::string_t*>() == nullptr || *v != "allAccounts" ||
                r.access.all)
                return make_error(errc::invalid_json,
                                  "an all-accounts flag must be 'allAccounts', once");
            r.access.all = static_cast<all_accounts>(i);
        }
    auto flag = [&](const char* key, bool& out) -> result<void> {
        auto b = get_bool(j, key);
        if (!b)
            return detail::wire_error(b.error());
        out = *b;
        return {};
    };
    OBAUTH_TRY_VOID(flag("recurringIndicator", r.recurring_indicator));
    if (find_member(j, "combinedServiceIndicator") != nullptr)
        OBAUTH_TRY_VOID(flag("combinedServiceIndicator", r.combined_service_indicator));
    OBAUTH_TRY(const std::string until, detail::string_member(j, "validUntil"));
    OBAUTH_TRY(r.valid_until, parse_date(until));
    auto freq = get_int64(j, "frequencyPerDay");
    if (!freq)
        return detail::wire_error(freq.error());
    if (*freq < 1 || *freq > 100)
        return make_error(errc::invalid_field, "frequencyPerDay " + std::to_string(*freq));
    r.frequency_per_day = static_cast<unsigned>(*freq);
    OBAUTH_TRY_VOID(validate(r, now));
    return r;
}

/// The create answer ({"consentStatus", "consentId", "_links", ...}) or the
/// status answer ({"consentStatus"}; consent_id stays empty).
inline result<consent_response> parse_response(std::string_view body) {
    OBAUTH_TRY(const json j, detail::parse_body(body));
    consent_response r;
    OBAUTH_TRY(const std::string status, detail::string_member(j, "consentStatus"));
    OBAUTH_TRY(r.status, parse_bg_status(status));
    OBAUTH_TRY(r.consent_id, detail::optional_string_member(j, "consentId"));
    if (r.consent_id.size() > 128)
        return make_error(errc::invalid_consent_id, "consentId longer than 128");
    return r;
}

/// A Hamster-model account-access request in NextGenPSD2 terms, for the
/// given accounts: ReadAccounts(/Basic) → accounts, ReadBalances →
/// balances, ReadTransactions(/Basic) → transactions; validUntil is the
/// expiration's UTC date (or 90 days from `now`). The other permissions
/// have no NextGenPSD2 counterpart and are refused.
inline result<account_consent_request> from_model(const obauth::consent::consent_request& m,
                                                  const std::vector<account_reference>& on,
                                                  time_point now) {
    if (m.type != consent_type::account_access)
        return make_error(errc::wrong_consent_type, "not an account-access consent");
    OBAUTH_TRY_VOID(check_permissions(m.permissions));
    account_consent_request r;
    for (permission p : m.permissions.list()) {
        switch (p) {
        case permission::read_accounts:
        case permission::read_accounts_basic:
            r.access.accounts = on;
            break;
        case permission::read_balances:
            r.access.balances = on;
            break;
        case permission::read_transactions:
        case permission::read_transactions_basic:
            r.access.transactions = on;
            break;
        default:
            return make_error(errc::unknown_permission,
                              std::string(permission_name(p)) + " has no NextGenPSD2 access");
        }
    }
    const time_point until =
        m.expiration.value_or(now + *max_duration(consent_type::account_access));
    r.valid_until = date_of(until);
    OBAUTH_TRY_VOID(validate(r, now));
    return r;
}

} // namespace obauth::consent::berlin_group
