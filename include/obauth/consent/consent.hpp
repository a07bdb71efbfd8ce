// The three consent types of Hamster Bank's open-banking API (seed 001) as
// typed values: account-access (permissions, at most 90 days), payment (one
// payment, single use) and funds-confirmation (at most 90 days), with the
// checks a consent must pass before it is sent (validate()) and the consent
// as a bank holds it (id, status, timestamps; see lifecycle.hpp).
//
// Amounts are decimal strings with an ISO 4217 currency, never binary
// floating point. Time is passed in. Text fields are bounded and free of
// control characters; the bounds are those of the UK Open Banking v3.1
// data dictionary, which the seed leaves open.
#pragma once

#include "error.hpp"
#include "permission.hpp"
#include "status.hpp"
#include "timestamp.hpp"

#include "../core/clock.hpp"
#include "../core/random.hpp"
#include "../core/result.hpp"
#include "../core/utf8.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace obauth::consent {

enum class consent_type { account_access, payment, funds_confirmation };

/// As in the seed's paths: "account-access", "payment", "funds-confirmation".
inline std::string_view consent_type_name(consent_type t) noexcept {
    switch (t) {
    case consent_type::account_access:
        return "account-access";
    case consent_type::payment:
        return "payment";
    case consent_type::funds_confirmation:
        return "funds-confirmation";
    }
    return "account-access";
}

/// The longest a consent of type `t` may last; none for payments (single use).
inline std::optional<std::chrono::hours> max_duration(consent_type t) noexcept {
    if (t == consent_type::payment)
        return std::nullopt;
    return std::chrono::hours(24 * 90);
}

struct amount {
    std::string value;    ///< "1250.00": up to 13 integer and 5 fraction digits, positive
    std::string currency; ///< ISO 4217 alphabetic, "GBP"
};

struct account {
    std::string scheme_name;              ///< "UK.OBIE.SortCodeAccountNumber", "UK.OBIE.IBAN", ...
    std::string identification;           ///< the number in that scheme
    std::string name;                     ///< the holder's name (optional)
    std::string secondary_identification; ///< roll number and alike (optional)
};

/// A single payment (the payment consent's subject).
struct payment_initiation {
    std::string instruction_identification; ///< the TPP's id for the instruction
    std::string end_to_end_identification;  ///< travels with the payment to the creditor
    amount instructed_amount;
    account creditor_account;
    std::optional<account> debtor_account;
    std::string reference;    ///< remittance reference (optional)
    std::string unstructured; ///< remittance text (optional)
};

struct consent_request {
    consent_type type = consent_type::account_access;
    permission_set permissions; ///< account-access only
    std::optional<time_point> expiration;
    std::optional<time_point> transaction_from; ///< account-access only
    std::optional<time_point> transaction_to;   ///< account-access only
    std::optional<payment_initiation> payment;  ///< payment only
    std::optional<account> debtor_account;      ///< funds-confirmation only

    static consent_request account_access(permission_set p, std::optional<time_point> expiration,
                                          std::optional<time_point> from = std::nullopt,
                                          std::optional<time_point> to = std::nullopt) {
        consent_request r;
        r.type = consent_type::account_access;
        r.permissions = p;
        r.expiration = expiration;
        r.transaction_from = from;
        r.transaction_to = to;
        return r;
    }
    static consent_request single_payment(payment_initiation p) {
        consent_request r;
        r.type = consent_type::payment;
        r.payment = std::move(p);
        return r;
    }
    static consent_request funds_confirmation(account debtor,
                                              std::optional<time_point> expiration) {
        consent_request r;
        r.type = consent_type::funds_confirmation;
        r.debtor_account = std::move(debtor);
        r.expiration = expiration;
        return r;
    }
};

/// A consent as the bank holds it.
struct consent {
    std::string id;
    consent_request request;
    consent_status status = consent_status::awaiting_authorisation;
    time_point created{};
    time_point status_updated{};

    consent_type type() const noexcept { return request.type; }
    /// When it stops being usable: its expiration, else creation plus the
    /// type's maximum duration; none for a payment.
    std::optional<time_point> expires_at() const {
        if (request.expiration)
            return request.expiration;
        if (const auto max = max_duration(request.type))
            return created + *max;
        return std::nullopt;
    }
};

namespace detail {

/// Valid UTF-8 without control characters (it is serialized as JSON).
inline result<void> check_text(std::string_view field, std::string_view v, std::size_t max,
                               bool required) {
    if (v.empty()) {
        if (required)
            return make_error(errc::invalid_field, std::string(field) + " is empty");
        return {};
    }
    if (v.size() > max)
        return make_error(errc::invalid_field,
                          std::string(field) + " is longer than " + std::to_string(max) + " bytes");
    for (const char c : v)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            return make_error(errc::invalid_field, std::string(field) + " has a control character");
    if (!is_valid_utf8(v))
        return make_error(errc::invalid_field, std::string(field) + " is not valid UTF-8");
    return {};
}

} // namespace detail

/// ISO 4217 alphabetic code: three upper-case letters.
inline result<void> check_currency(std::string_view c) {
    if (c.size() != 3)
        return make_error(errc::invalid_currency, quote(c));
    for (const char ch : c)
        if (ch < 'A' || ch > 'Z')
            return make_error(errc::invalid_currency, quote(c));
    return {};
}

/// A positive decimal: 1 to 13 integer digits, optionally '.' and 1 to 5
/// fraction digits (UK Open Banking's ActiveOrHistoricCurrencyAndAmount);
/// no sign, exponent, spaces or leading '.'.
inline result<void> check_amount(const amount& a) {
    const std::string_view v = a.value;
    const auto dot = v.find('.');
    const std::string_view whole = v.substr(0, dot);
    const std::string_view frac =
        dot == std::string_view::npos ? std::string_view() : v.substr(dot + 1);
    auto all_digits = [](std::string_view s) {
        for (const char c : s)
            if (c < '0' || c > '9')
                return false;
        return true;
    };
    if (whole.empty() || whole.size() > 13 || !all_digits(whole) ||
        (dot != std::string_view::npos && (frac.empty() || frac.size() > 5 || !all_digits(frac))))
        return make_error(errc::invalid_amount, quote(v));
    if (v.find_first_not_of("0.") == std::string_view::npos)
        return make_error(errc::invalid_amount, "amount must be positive");
    return check_currency(a.currency);
}

inline result<void> check_account(const account& a, std::string_view which) {
    const std::string w(which);
    if (a.scheme_name.empty() || a.identification.empty())
        return make_error(errc::invalid_account, w + " needs a scheme and an identification");
    auto wrap = [&](result<void> r) -> result<void> {
        if (!r)
            return make_error(errc::invalid_account, w + ": " + r.error().detail);
        return {};
    };
    OBAUTH_TRY_VOID(wrap(detail::check_text("scheme_name", a.scheme_name, 40, true)));
    OBAUTH_TRY_VOID(wrap(detail::check_text("identification", a.identification, 256, true)));
    OBAUTH_TRY_VOID(wrap(detail::check_text("name", a.name, 350, false)));
    OBAUTH_TRY_VOID(wrap(
        detail::check_text("secondary_identification", a.secondary_identification, 34, false)));
    return {};
}

inline result<void> check_payment(const payment_initiation& p) {
    OBAUTH_TRY_VOID(
        detail::check_text("instruction_identification", p.instruction_identification, 35, true));
    OBAUTH_TRY_VOID(
        detail::check_text("end_to_end_identification", p.end_to_end_identification, 35, true));
    OBAUTH_TRY_VOID(check_amount(p.instructed_amount));
    OBAUTH_TRY_VOID(check_account(p.creditor_account, "creditor account"));
    if (p.debtor_account)
        OBAUTH_TRY_VOID(check_account(*p.debtor_account, "debtor account"));
    OBAUTH_TRY_VOID(detail::check_text("reference", p.reference, 35, false));
    OBAUTH_TRY_VOID(detail::check_text("unstructured", p.unstructured, 140, false));
    return {};
}

/// Checks a request made at `now`: the fields its type uses (and no
/// others), the permissions (non-empty, no detailed-with-basic pair), the
/// expiration (after `now`, within the type's maximum), the transaction
/// window (from ≤ to), the payment and the accounts.
inline result<void> validate(const consent_request& r, time_point now) {
    const bool access = r.type == consent_type::account_access;
    const bool pay = r.type == consent_type::payment;
    const bool funds = r.type == consent_type::funds_confirmation;
    if (!access && (!r.permissions.empty() || r.transaction_from || r.transaction_to))
        return make_error(errc::wrong_consent_type,
                          "permissions and transaction dates are for account-access consents");
    if (!pay && r.payment)
        return make_error(errc::wrong_consent_type, "a payment is for payment consents");
    if (!funds && r.debtor_account)
        return make_error(errc::wrong_consent_type,
                          "a debtor account alone is for funds-confirmation consents");
    if (pay && r.expiration)
        return make_error(errc::wrong_consent_type,
                          "a payment consent is single use, no expiration");

    if (access)
        OBAUTH_TRY_VOID(check_permissions(r.permissions));
    if (r.expiration) {
        if (*r.expiration <= now)
            return make_error(errc::expiration_in_past, format_timestamp(*r.expiration));
        if (const auto max = max_duration(r.type); max && *r.expiration > now + *max)
            return make_error(errc::expiration_too_far, format_timestamp(*r.expiration) +
                                                            " is more than 90 days after " +
                                                            format_timestamp(now));
    }
    if (r.transaction_from && r.transaction_to && *r.transaction_from > *r.transaction_to)
        return make_error(errc::invalid_date_range, format_timestamp(*r.transaction_from) + " > " +
                                                        format_timestamp(*r.transaction_to));
    if (pay) {
        if (!r.payment)
            return make_error(errc::wrong_consent_type, "a payment consent needs the payment");
        OBAUTH_TRY_VOID(check_payment(*r.payment));
    }
    if (funds) {
        if (!r.debtor_account)
            return make_error(errc::invalid_account,
                              "a funds-confirmation consent needs the debtor account");
        OBAUTH_TRY_VOID(check_account(*r.debtor_account, "debtor account"));
    }
    return {};
}

/// A fresh idempotency key for a create request: a random (version 4) UUID,
/// 36 characters, as the x-idempotency-key of UK Open Banking expects.
inline result<std::string> new_idempotency_key(random_generator& rng = default_random()) {
    unsigned char b[16];
    OBAUTH_TRY_VOID(rng.fill(b, sizeof b));
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (std::size_t i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out += '-';
        out += hex[b[i] >> 4];
        out += hex[b[i] & 0x0f];
    }
    return out;
}

} // namespace obauth::consent
