#include <obauth/consent/permission.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace obauth::consent {
namespace {

TEST(Permission, NamesRoundTrip) {
    for (const auto& e : detail::permission_table) {
        EXPECT_EQ(permission_from_name(permission_name(e.value)), e.value);
    }
    EXPECT_FALSE(permission_from_name("readaccounts")); // case matters
    EXPECT_FALSE(permission_from_name(""));
}

TEST(Permission, ParsesTheSeedsExample) {
    auto s =
        parse_permissions(*parse_json(R"(["ReadAccounts","ReadBalances","ReadTransactions"])"));
    ASSERT_TRUE(s) << s.error();
    EXPECT_EQ(s->size(), 3u);
    EXPECT_EQ(s->names(),
              (std::vector<std::string>{"ReadAccounts", "ReadBalances", "ReadTransactions"}));
    EXPECT_TRUE(check_permissions(*s));
    // A detailed permission grants its basic variant.
    EXPECT_TRUE(s->grants(permission::read_transactions_basic));
    EXPECT_TRUE(s->grants(permission::read_accounts_basic));
    EXPECT_FALSE(s->grants(permission::read_beneficiaries));
}

TEST(Permission, UnknownNamesAreAllNamed) {
    auto s =
        parse_permission_names({"ReadAccounts", "ReadEverything", "ReadBalances", "Write\x01"});
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, errc::unknown_permission);
    EXPECT_EQ(s.error().detail, "'ReadEverything', 'Write?'");
}

TEST(Permission, EmptyRepeatedWrongTypesAndHugeListsAreRefused) {
    EXPECT_EQ(parse_permission_names({}).error().code, errc::empty_permissions);
    EXPECT_EQ(parse_permission_names({"ReadBalances", "ReadBalances"}).error().code,
              errc::duplicate_permission);
    EXPECT_EQ(parse_permissions(*parse_json(R"(["ReadBalances", 1])")).error().code,
              errc::invalid_json);
    EXPECT_EQ(parse_permissions(*parse_json(R"("ReadBalances")")).error().code, errc::invalid_json);
    json many = json::array();
    for (int i = 0; i < 1000; ++i)
        many.push_back("ReadBalances");
    EXPECT_EQ(parse_permissions(many).error().code, errc::too_many_items);
    EXPECT_EQ(check_permissions(permission_set{}).error().code, errc::empty_permissions);
}

TEST(Permission, DetailedWithBasicIsReported) {
    const permission_set both{permission::read_transactions, permission::read_transactions_basic,
                              permission::read_balances};
    auto r = check_permissions(both);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::redundant_permission);
    EXPECT_EQ(r.error().detail, "ReadTransactions already covers ReadTransactionsBasic");
    const permission_set fixed = without_redundant(both);
    EXPECT_EQ(fixed, (permission_set{permission::read_transactions, permission::read_balances}));
    EXPECT_TRUE(check_permissions(fixed));
    EXPECT_EQ(check_permissions({permission::read_accounts, permission::read_accounts_basic})
                  .error()
                  .code,
              errc::redundant_permission);
}

} // namespace
} // namespace obauth::consent
