#include <obauth/core/error.hpp>

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <system_error>

namespace {

TEST(Error, CoreCodesMapOntoConditions) {
    const std::error_code ec = obauth::core_errc::json_duplicate_member;
    EXPECT_EQ(ec, obauth::condition::invalid_input);
    EXPECT_NE(ec, obauth::condition::verification_failed);
    EXPECT_EQ(std::error_code(obauth::core_errc::random_failure),
              obauth::condition::internal_error);
}

TEST(Error, CategoryNamesAndMessages) {
    const std::error_code ec = obauth::core_errc::base64url_trailing_bits;
    EXPECT_STREQ(ec.category().name(), "obauth.core");
    EXPECT_EQ(ec.message(), "base64url: non-zero trailing bits");
    EXPECT_STREQ(obauth::condition_category().name(), "obauth.condition");
    EXPECT_EQ(obauth::make_error_condition(obauth::condition::protocol_error).message(),
              "protocol error");
}

TEST(Error, EveryCoreCodeHasItsOwnMessage) {
    std::set<std::string> seen;
    for (int v = 1; v <= static_cast<int>(obauth::core_errc::random_failure); ++v) {
        const std::error_code ec = static_cast<obauth::core_errc>(v);
        EXPECT_TRUE(seen.insert(ec.message()).second) << ec.message();
        EXPECT_NE(ec.message(), "unknown core error");
    }
}

TEST(Error, UnknownValuesDoNotCrash) {
    const std::error_code ec(999, obauth::error_category_for<obauth::core_errc>());
    EXPECT_EQ(ec.message(), "unknown core error");
    EXPECT_EQ(std::error_condition(999, obauth::condition_category()).message(),
              "unknown condition");
}

} // namespace
