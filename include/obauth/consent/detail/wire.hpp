// What the consent wire formats (hamster.hpp, uk_open_banking.hpp,
// berlin_group.hpp) share: bounded strict parsing of a body, typed member
// access that reports the consent module's invalid_json, and accounts and
// amounts under each convention's member names.
#pragma once

#include "../consent.hpp"
#include "../error.hpp"
#include "../timestamp.hpp"

#include "../../core/json.hpp"
#include "../../core/result.hpp"

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace obauth::consent::detail {

/// Consent bodies are small: 64 KiB and 8 levels are plenty.
inline constexpr json_limits wire_limits{64 * 1024, 8};

inline error_info wire_error(const error_info& e) {
    return make_error(errc::invalid_json, e.detail.empty() ? e.code.message() : e.detail);
}

/// A JSON object from untrusted text: strict (duplicates, UTF-8, limits).
inline result<json> parse_body(std::string_view text) {
    auto doc = parse_json_object(text, wire_limits);
    if (!doc)
        return wire_error(doc.error());
    return doc;
}

inline result<std::string> string_member(const json& obj, std::string_view key) {
    auto v = get_string(obj, key);
    if (!v)
        return wire_error(v.error());
    return std::string(*v);
}

/// Absent (or null) gives an empty string.
inline result<std::string> optional_string_member(const json& obj, std::string_view key) {
    const json* v = find_member(obj, key);
    if (v == nullptr || v->is_null())
        return std::string();
    const auto* s = v->get_ptr<const json::string_t*>();
    if (s == nullptr)
        return make_error(errc::invalid_json, "'" + std::string(key) + "' is not a string");
    return *s;
}

inline result<const json*> object_member(const json& obj, std::string_view key) {
    auto v = get_object(obj, key);
    if (!v)
        return wire_error(v.error());
    return v;
}

inline result<std::optional<time_point>> time_member(const json& obj, std::string_view key,
                                                     bool required) {
    OBAUTH_TRY(auto t, optional_timestamp(obj, key));
    if (required && !t)
        return make_error(errc::invalid_json, "'" + std::string(key) + "' is missing");
    return t;
}

inline void put_time(json& j, const char* key, const std::optional<time_point>& t) {
    if (t)
        j[key] = format_timestamp(*t);
}

inline result<std::string> dump(const json& j) {
    auto s = serialize_json(j);
    if (!s)
        return wire_error(s.error());
    return s;
}

/// Refuses members outside `allowed` (requests are checked strictly).
inline result<void> only_members(const json& obj, std::initializer_list<std::string_view> allowed) {
    for (const auto& [k, v] : obj.items()) {
        bool ok = false;
        for (std::string_view a : allowed)
            ok = ok || a == k;
        if (!ok)
            return make_error(errc::invalid_json, "unknown member " + quote(k));
    }
    return {};
}

/// Member names of an account in one convention.
struct account_names {
    std::string_view scheme, identification, name, secondary;
};
inline constexpr account_names snake_account{"scheme_name", "identification", "name",
                                             "secondary_identification"};
inline constexpr account_names pascal_account{"SchemeName", "Identification", "Name",
                                              "SecondaryIdentification"};

inline json account_json(const account& a, const account_names& n) {
    json j = {{n.scheme, a.scheme_name}, {n.identification, a.identification}};
    if (!a.name.empty())
        j[std::string(n.name)] = a.name;
    if (!a.secondary_identification.empty())
        j[std::string(n.secondary)] = a.secondary_identification;
    return j;
}

inline result<account> account_from_json(const json& j, const account_names& n,
                                         std::string_view which) {
    if (!j.is_object())
        return make_error(errc::invalid_json, std::string(which) + " is not an object");
    account a;
    OBAUTH_TRY(a.scheme_name, string_member(j, n.scheme));
    OBAUTH_TRY(a.identification, string_member(j, n.identification));
    OBAUTH_TRY(a.name, optional_string_member(j, n.name));
    OBAUTH_TRY(a.secondary_identification, optional_string_member(j, n.secondary));
    return a;
}

/// Member names of a payment initiation in one convention.
struct payment_names {
    std::string_view instruction_identification, end_to_end_identification, instructed_amount,
        amount, currency, creditor_account, debtor_account, remittance, reference, unstructured;
    const account_names& account;
};
inline constexpr payment_names snake_payment{"instruction_identification",
                                             "end_to_end_identification",
                                             "instructed_amount",
                                             "amount",
                                             "currency",
                                             "creditor_account",
                                             "debtor_account",
                                             "remittance_information",
                                             "reference",
                                             "unstructured",
                                             snake_account};
inline constexpr payment_names pascal_payment{"InstructionIdentification",
                                              "EndToEndIdentification",
                                              "InstructedAmount",
                                              "Amount",
                                              "Currency",
                                              "CreditorAccount",
                                              "DebtorAccount",
                                              "RemittanceInformation",
                                              "Reference",
                                              "Unstructured",
                                              pascal_account};

inline json payment_json(const payment_initiation& p, const payment_names& n) {
    json j = {{n.instruction_identification, p.instruction_identification},
              {n.end_to_end_identification, p.end_to_end_identification},
              {n.instructed_amount,
               {{n.amount, p.instructed_amount.value}, {n.currency, p.instructed_amount.currency}}},
              {n.creditor_account, account_json(p.creditor_account, n.account)}};
    if (p.debtor_account)
        j[std::string(n.debtor_account)] = account_json(*p.debtor_account, n.account);
    json remittance = json::object();
    if (!p.reference.empty())
        remittance[std::string(n.reference)] = p.reference;
    if (!p.unstructured.empty())
        remittance[std::string(n.unstructured)] = p.unstructured;
    if (!remittance.empty())
        j[std::string(n.remittance)] = std::move(remittance);
    return j;
}

/// `strict`: no members beyond the payment's (requests a bank receives).
inline result<payment_initiation> payment_from_json(const json& j, const payment_names& n,
                                                    bool strict) {
    if (strict)
        OBAUTH_TRY_VOID(only_members(j, {n.instruction_identification, n.end_to_end_identification,
                                         n.instructed_amount, n.creditor_account, n.debtor_account,
                                         n.remittance}));
    payment_initiation p;
    OBAUTH_TRY(p.instruction_identification, string_member(j, n.instruction_identification));
    OBAUTH_TRY(p.end_to_end_identification, string_member(j, n.end_to_end_identification));
    OBAUTH_TRY(const json* amt, object_member(j, n.instructed_amount));
    if (strict)
        OBAUTH_TRY_VOID(only_members(*amt, {n.amount, n.currency}));
    OBAUTH_TRY(p.instructed_amount.value, string_member(*amt, n.amount));
    OBAUTH_TRY(p.instructed_amount.currency, string_member(*amt, n.currency));
    OBAUTH_TRY(const json* creditor, object_member(j, n.creditor_account));
    OBAUTH_TRY(p.creditor_account, account_from_json(*creditor, n.account, n.creditor_account));
    if (const json* d = find_member(j, n.debtor_account)) {
        OBAUTH_TRY(p.debtor_account, account_from_json(*d, n.account, n.debtor_account));
    }
    if (const json* r = find_member(j, n.remittance)) {
        if (!r->is_object())
            return make_error(errc::invalid_json, quote(n.remittance) + " is not an object");
        if (strict)
            OBAUTH_TRY_VOID(only_members(*r, {n.reference, n.unstructured}));
        OBAUTH_TRY(p.reference, optional_string_member(*r, n.reference));
        OBAUTH_TRY(p.unstructured, optional_string_member(*r, n.unstructured));
    }
    return p;
}

} // namespace obauth::consent::detail
