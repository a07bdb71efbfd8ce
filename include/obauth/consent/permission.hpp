// Account-access permissions as a typed set (Hamster Bank's model: eight
// permissions, two of which have a "Basic" variant that the detailed one
// already covers). Parsing refuses unknown names (and says which), repeats
// and an empty list; check_permissions() reports a detailed permission
// requested together with its basic variant.
#pragma once

#include "error.hpp"

#include "../core/json.hpp"
#include "../core/result.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace obauth::consent {

enum class permission : std::uint8_t {
    read_accounts,
    read_accounts_basic,
    read_balances,
    read_transactions,
    read_transactions_basic,
    read_standing_orders,
    read_direct_debits,
    read_beneficiaries,
};
inline constexpr std::size_t permission_count = 8;

namespace detail {
struct permission_entry {
    permission value;
    std::string_view name;
    std::optional<permission> covers; ///< the basic variant this one includes
};
inline constexpr std::array<permission_entry, permission_count> permission_table{{
    {permission::read_accounts, "ReadAccounts", permission::read_accounts_basic},
    {permission::read_accounts_basic, "ReadAccountsBasic", std::nullopt},
    {permission::read_balances, "ReadBalances", std::nullopt},
    {permission::read_transactions, "ReadTransactions", permission::read_transactions_basic},
    {permission::read_transactions_basic, "ReadTransactionsBasic", std::nullopt},
    {permission::read_standing_orders, "ReadStandingOrders", std::nullopt},
    {permission::read_direct_debits, "ReadDirectDebits", std::nullopt},
    {permission::read_beneficiaries, "ReadBeneficiaries", std::nullopt},
}};
} // namespace detail

/// The wire name ("ReadAccounts").
inline std::string_view permission_name(permission p) noexcept {
    return detail::permission_table[static_cast<std::size_t>(p)].name;
}

inline std::optional<permission> permission_from_name(std::string_view name) noexcept {
    for (const auto& e : detail::permission_table)
        if (e.name == name)
            return e.value;
    return std::nullopt;
}

/// The permission `p` includes (ReadAccounts → ReadAccountsBasic), if any.
inline std::optional<permission> covered_by(permission p) noexcept {
    return detail::permission_table[static_cast<std::size_t>(p)].covers;
}

class permission_set {
public:
    permission_set() = default;
    permission_set(std::initializer_list<permission> ps) noexcept {
        for (permission p : ps)
            insert(p);
    }

    void insert(permission p) noexcept { bits_ |= bit(p); }
    void erase(permission p) noexcept { bits_ &= static_cast<std::uint16_t>(~bit(p)); }
    bool contains(permission p) const noexcept { return (bits_ & bit(p)) != 0; }
    bool empty() const noexcept { return bits_ == 0; }
    std::size_t size() const noexcept {
        std::size_t n = 0;
        for (std::uint16_t b = bits_; b != 0; b &= static_cast<std::uint16_t>(b - 1))
            ++n;
        return n;
    }

    /// Whether the set allows `p`: listed, or covered by a detailed one.
    bool grants(permission p) const noexcept {
        if (contains(p))
            return true;
        for (const auto& e : detail::permission_table)
            if (e.covers == p && contains(e.value))
                return true;
        return false;
    }

    /// In the table's (the seed's) order.
    std::vector<permission> list() const {
        std::vector<permission> out;
        for (const auto& e : detail::permission_table)
            if (contains(e.value))
                out.push_back(e.value);
        return out;
    }
    std::vector<std::string> names() const {
        std::vector<std::string> out;
        for (permission p : list())
            out.emplace_back(permission_name(p));
        return out;
    }

    friend bool operator==(permission_set a, permission_set b) noexcept {
        return a.bits_ == b.bits_;
    }
    friend bool operator!=(permission_set a, permission_set b) noexcept { return !(a == b); }

private:
    static std::uint16_t bit(permission p) noexcept {
        return static_cast<std::uint16_t>(1u << static_cast<unsigned>(p));
    }
    std::uint16_t bits_ = 0;
};

/// At most this many entries are read from a permissions array.
inline constexpr std::size_t max_permission_entries = 32;

namespace detail {
/// The strings of a JSON array of at most `max` entries (`member` names it
/// in errors).
inline result<std::vector<std::string_view>>
string_entries(const json& array, std::string_view member, std::size_t max) {
    if (!array.is_array())
        return make_error(errc::invalid_json, quote(member) + " is not an array");
    if (array.size() > max)
        return make_error(errc::too_many_items,
                          quote(member) + " has " + std::to_string(array.size()) + " entries");
    std::vector<std::string_view> names;
    for (const json& v : array) {
        const auto* s = v.get_ptr<const json::string_t*>();
        if (s == nullptr)
            return make_error(errc::invalid_json, quote(member) + " has a non-string entry");
        names.emplace_back(*s);
    }
    return names;
}

/// Names to a `Set` through `lookup` (name -> optional value): every
/// unknown name is reported, all of them in the detail; a repeat, an empty
/// list or more than `max` names is an error too.
template <class Set, class Lookup>
result<Set> names_to_set(const std::vector<std::string_view>& names, std::size_t max,
                         Lookup&& lookup) {
    if (names.size() > max)
        return make_error(errc::too_many_items, std::to_string(names.size()) +
                                                    " permissions, at most " + std::to_string(max));
    if (names.empty())
        return make_error(errc::empty_permissions);
    Set set;
    std::string unknown;
    for (std::string_view n : names) {
        const auto p = lookup(n);
        if (!p) {
            unknown += (unknown.empty() ? "" : ", ") + quote(n);
            continue;
        }
        if (set.contains(*p))
            return make_error(errc::duplicate_permission, std::string(n));
        set.insert(*p);
    }
    if (!unknown.empty())
        return make_error(errc::unknown_permission, unknown);
    return set;
}
} // namespace detail

/// Names to a set: every unknown name is reported, with all of them in the
/// detail; a repeat or an empty list is an error too.
inline result<permission_set> parse_permission_names(const std::vector<std::string_view>& names) {
    return detail::names_to_set<permission_set>(names, max_permission_entries,
                                                permission_from_name);
}

/// From a JSON array of strings (`member` names it in errors).
inline result<permission_set> parse_permissions(const json& array,
                                                std::string_view member = "permissions") {
    OBAUTH_TRY(const auto names, detail::string_entries(array, member, max_permission_entries));
    return parse_permission_names(names);
}

/// A detailed permission with its basic variant is reported: the detailed
/// one already covers it. An empty set is an error.
inline result<void> check_permissions(permission_set s) {
    if (s.empty())
        return make_error(errc::empty_permissions);
    for (const auto& e : detail::permission_table)
        if (e.covers && s.contains(e.value) && s.contains(*e.covers))
            return make_error(errc::redundant_permission,
                              std::string(e.name) + " already covers " +
                                  std::string(permission_name(*e.covers)));
    return {};
}

/// The set without basic variants that a detailed permission covers.
inline permission_set without_redundant(permission_set s) noexcept {
    for (const auto& e : detail::permission_table)
        if (e.covers && s.contains(e.value))
            s.erase(*e.covers);
    return s;
}

} // namespace obauth::consent
