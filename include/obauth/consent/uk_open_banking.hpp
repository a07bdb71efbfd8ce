// UK Open Banking Read/Write API v3.1 consent shapes, so the module serves
// UK banks too: account-access consents (POST /account-access-consents),
// domestic payment consents (POST /domestic-payment-consents) and funds
// confirmation consents (POST /funds-confirmation-consents), request and
// response.
//
// Account access uses the UK's own 21 permissions (uk_permission_set) with
// its dependency rule: ReadTransactionsBasic/Detail need
// ReadTransactionsCredits and/or ReadTransactionsDebits, and those need
// Basic or Detail. to_uk() maps Hamster Bank's eight permissions onto them
// (ReadAccounts → ReadAccountsDetail, ReadTransactions → ReadTransactionsDetail
// with credits and debits, ...).
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

namespace obauth::consent::uk {

enum class uk_permission : std::uint8_t {
    read_accounts_basic,
    read_accounts_detail,
    read_balances,
    read_beneficiaries_basic,
    read_beneficiaries_detail,
    read_direct_debits,
    read_offers,
    read_pan,
    read_party,
    read_party_psu,
    read_products,
    read_scheduled_payments_basic,
    read_scheduled_payments_detail,
    read_standing_orders_basic,
    read_standing_orders_detail,
    read_statements_basic,
    read_statements_detail,
    read_transactions_basic,
    read_transactions_credits,
    read_transactions_debits,
    read_transactions_detail,
};

namespace detail {
using namespace obauth::consent::detail;
inline constexpr std::array<std::string_view, 21> uk_permission_names{"ReadAccountsBasic",
                                                                      "ReadAccountsDetail",
                                                                      "ReadBalances",
                                                                      "ReadBeneficiariesBasic",
                                                                      "ReadBeneficiariesDetail",
                                                                      "ReadDirectDebits",
                                                                      "ReadOffers",
                                                                      "ReadPAN",
                                                                      "ReadParty",
                                                                      "ReadPartyPSU",
                                                                      "ReadProducts",
                                                                      "ReadScheduledPaymentsBasic",
                                                                      "ReadScheduledPaymentsDetail",
                                                                      "ReadStandingOrdersBasic",
                                                                      "ReadStandingOrdersDetail",
                                                                      "ReadStatementsBasic",
                                                                      "ReadStatementsDetail",
                                                                      "ReadTransactionsBasic",
                                                                      "ReadTransactionsCredits",
                                                                      "ReadTransactionsDebits",
                                                                      "ReadTransactionsDetail"};
} // namespace detail

inline std::string_view permission_name(uk_permission p) noexcept {
    return detail::uk_permission_names[static_cast<std::size_t>(p)];
}

inline std::optional<uk_permission> permission_from_name(std::string_view name) noexcept {
    for (std::size_t i = 0; i < detail::uk_permission_names.size(); ++i)
        if (detail::uk_permission_names[i] == name)
            return static_cast<uk_permission>(i);
    return std::nullopt;
}

class uk_permission_set {
public:
    uk_permission_set() = default;
    uk_permission_set(std::initializer_list<uk_permission> ps) noexcept {
        for (auto p : ps)
            insert(p);
    }
    void insert(uk_permission p) noexcept { bits_ |= bit(p); }
    bool contains(uk_permission p) const noexcept { return (bits_ & bit(p)) != 0; }
    bool empty() const noexcept { return bits_ == 0; }
    std::vector<std::string> names() const {
        std::vector<std::string> out;
        for (std::size_t i = 0; i < detail::uk_permission_names.size(); ++i)
            if (contains(static_cast<uk_permission>(i)))
                out.emplace_back(detail::uk_permission_names[i]);
        return out;
    }
    friend bool operator==(uk_permission_set a, uk_permission_set b) noexcept {
        return a.bits_ == b.bits_;
    }
    friend bool operator!=(uk_permission_set a, uk_permission_set b) noexcept { return !(a == b); }

private:
    static std::uint32_t bit(uk_permission p) noexcept {
        return std::uint32_t{1} << static_cast<unsigned>(p);
    }
    std::uint32_t bits_ = 0;
};

/// The dependency rule of v3.1: transactions need credits or debits, and
/// credits or debits need transactions (basic or detail). Empty is refused.
inline result<void> check_dependencies(uk_permission_set s) {
    if (s.empty())
        return make_error(errc::empty_permissions);
    const bool tx = s.contains(uk_permission::read_transactions_basic) ||
                    s.contains(uk_permission::read_transactions_detail);
    const bool direction = s.contains(uk_permission::read_transactions_credits) ||
                           s.contains(uk_permission::read_transactions_debits);
    if (tx && !direction)
        return make_error(errc::missing_dependency,
                          "ReadTransactionsBasic/Detail need ReadTransactionsCredits or "
                          "ReadTransactionsDebits");
    if (direction && !tx)
        return make_error(errc::missing_dependency,
                          "ReadTransactionsCredits/Debits need ReadTransactionsBasic or "
                          "ReadTransactionsDetail");
    return {};
}

/// Hamster Bank's permissions in UK terms (transactions in both directions).
inline uk_permission_set to_uk(permission_set s) {
    uk_permission_set u;
    auto map = [&](permission p, std::initializer_list<uk_permission> to) {
        if (s.contains(p))
            for (auto t : to)
                u.insert(t);
    };
    map(permission::read_accounts, {uk_permission::read_accounts_detail});
    map(permission::read_accounts_basic, {uk_permission::read_accounts_basic});
    map(permission::read_balances, {uk_permission::read_balances});
    map(permission::read_transactions,
        {uk_permission::read_transactions_detail, uk_permission::read_transactions_credits,
         uk_permission::read_transactions_debits});
    map(permission::read_transactions_basic,
        {uk_permission::read_transactions_basic, uk_permission::read_transactions_credits,
         uk_permission::read_transactions_debits});
    map(permission::read_standing_orders, {uk_permission::read_standing_orders_detail});
    map(permission::read_direct_debits, {uk_permission::read_direct_debits});
    map(permission::read_beneficiaries, {uk_permission::read_beneficiaries_detail});
    return u;
}

/// Names to a set: unknown names all reported, repeats and empty refused,
/// then the dependency rule.
inline result<uk_permission_set> parse_permissions(const json& array) {
    OBAUTH_TRY(const auto names, obauth::consent::detail::string_entries(array, "Permissions", 64));
    OBAUTH_TRY(const auto set, obauth::consent::detail::names_to_set<uk_permission_set>(
                                   names, 64, permission_from_name));
    OBAUTH_TRY_VOID(check_dependencies(set));
    return set;
}

/// An account-access consent request in UK terms.
struct account_access_request {
    uk_permission_set permissions;
    std::optional<time_point> expiration, transaction_from, transaction_to;
};

/// The bank's account-access-consent resource.
struct account_access_consent {
    std::string consent_id;
    consent_status status = consent_status::awaiting_authorisation;
    time_point creation{}, status_update{};
    account_access_request request;
};

namespace detail {
/// {"Data": {...}, ...} of a response: the Data object.
inline result<const json*> data_of(const json& doc) {
    return object_member(doc, "Data");
}

inline result<void> read_status_fields(const json& data, std::string& id, consent_status& status,
                                       time_point& created, time_point& updated) {
    OBAUTH_TRY(id, string_member(data, "ConsentId"));
    if (id.empty() || id.size() > 128)
        return make_error(errc::invalid_consent_id, "ConsentId empty or longer than 128");
    OBAUTH_TRY(const std::string s, string_member(data, "Status"));
    OBAUTH_TRY(status, parse_status(s));
    OBAUTH_TRY(auto c, time_member(data, "CreationDateTime", true));
    OBAUTH_TRY(auto u, time_member(data, "StatusUpdateDateTime", true));
    created = *c;
    updated = *u;
    return {};
}

/// Data of a consent resource: the document, its status fields into `c`.
inline result<json> read_resource(std::string_view body, consent& c) {
    OBAUTH_TRY(json doc, parse_body(body));
    OBAUTH_TRY(const json* data, data_of(doc));
    OBAUTH_TRY_VOID(read_status_fields(*data, c.id, c.status, c.created, c.status_updated));
    return json(std::move(*data));
}
} // namespace detail

/// POST /account-access-consents: {"Data": {"Permissions", "ExpirationDateTime",
/// "TransactionFromDateTime", "TransactionToDateTime"}, "Risk": {}}.
/// Checks the dependency rule, the 90-day limit and the window first.
inline result<std::string> account_access_request_body(const account_access_request& r,
                                                       time_point now) {
    OBAUTH_TRY_VOID(check_dependencies(r.permissions));
    consent_request check; // the dates follow the same rules as everywhere
    check.type = consent_type::account_access;
    check.permissions = {permission::read_balances};
    check.expiration = r.expiration;
    check.transaction_from = r.transaction_from;
    check.transaction_to = r.transaction_to;
    OBAUTH_TRY_VOID(validate(check, now));
    json data = {{"Permissions", r.permissions.names()}};
    detail::put_time(data, "ExpirationDateTime", r.expiration);
    detail::put_time(data, "TransactionFromDateTime", r.transaction_from);
    detail::put_time(data, "TransactionToDateTime", r.transaction_to);
    return detail::dump({{"Data", std::move(data)}, {"Risk", json::object()}});
}

/// The same from Hamster Bank's model.
inline result<std::string> account_access_request_body(const consent_request& r, time_point now) {
    if (r.type != consent_type::account_access)
        return make_error(errc::wrong_consent_type, "not an account-access consent");
    OBAUTH_TRY_VOID(check_permissions(r.permissions));
    return account_access_request_body(account_access_request{to_uk(r.permissions), r.expiration,
                                                              r.transaction_from, r.transaction_to},
                                       now);
}

/// The account-access-consent response (POST or GET).
inline result<account_access_consent> parse_account_access_response(std::string_view body) {
    OBAUTH_TRY(const json doc, detail::parse_body(body));
    OBAUTH_TRY(const json* data, detail::data_of(doc));
    account_access_consent c;
    OBAUTH_TRY_VOID(
        detail::read_status_fields(*data, c.consent_id, c.status, c.creation, c.status_update));
    const json* p = find_member(*data, "Permissions");
    if (p == nullptr)
        return make_error(errc::invalid_json, "'Permissions' is missing");
    OBAUTH_TRY(c.request.permissions, parse_permissions(*p));
    OBAUTH_TRY(c.request.expiration, detail::time_member(*data, "ExpirationDateTime", false));
    OBAUTH_TRY(c.request.transaction_from,
               detail::time_member(*data, "TransactionFromDateTime", false));
    OBAUTH_TRY(c.request.transaction_to,
               detail::time_member(*data, "TransactionToDateTime", false));
    return c;
}

/// POST /domestic-payment-consents: {"Data": {"Initiation": {...}}, "Risk": {}}.
inline result<std::string> payment_request_body(const consent_request& r, time_point now) {
    if (r.type != consent_type::payment)
        return make_error(errc::wrong_consent_type, "not a payment consent");
    OBAUTH_TRY_VOID(validate(r, now));
    return detail::dump(
        {{"Data", {{"Initiation", detail::payment_json(*r.payment, detail::pascal_payment)}}},
         {"Risk", json::object()}});
}

/// The domestic-payment-consent response as a consent (Status is one of
/// AwaitingAuthorisation, Authorised, Consumed, Rejected).
inline result<consent> parse_payment_response(std::string_view body) {
    consent c;
    OBAUTH_TRY(const json data, detail::read_resource(body, c));
    OBAUTH_TRY(const json* init, detail::object_member(data, "Initiation"));
    OBAUTH_TRY(auto p, detail::payment_from_json(*init, detail::pascal_payment, false));
    OBAUTH_TRY_VOID(check_payment(p));
    c.request = consent_request::single_payment(std::move(p));
    return c;
}

/// POST /funds-confirmation-consents: {"Data": {"ExpirationDateTime", "DebtorAccount"}}.
inline result<std::string> funds_confirmation_request_body(const consent_request& r,
                                                           time_point now) {
    if (r.type != consent_type::funds_confirmation)
        return make_error(errc::wrong_consent_type, "not a funds-confirmation consent");
    OBAUTH_TRY_VOID(validate(r, now));
    json data = {
        {"DebtorAccount", detail::account_json(*r.debtor_account, detail::pascal_account)}};
    detail::put_time(data, "ExpirationDateTime", r.expiration);
    return detail::dump({{"Data", std::move(data)}});
}

inline result<consent> parse_funds_confirmation_response(std::string_view body) {
    consent c;
    OBAUTH_TRY(const json data, detail::read_resource(body, c));
    OBAUTH_TRY(const json* debtor, detail::object_member(data, "DebtorAccount"));
    OBAUTH_TRY(auto a, detail::account_from_json(*debtor, detail::pascal_account, "DebtorAccount"));
    OBAUTH_TRY(auto expiration, detail::time_member(data, "ExpirationDateTime", false));
    c.request = consent_request::funds_confirmation(std::move(a), expiration);
    return c;
}

} // namespace obauth::consent::uk
