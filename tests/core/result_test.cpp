#include <obauth/core/result.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>

namespace {

using obauth::core_errc;
using obauth::result;

result<int> parse_digit(char c) {
    if (c < '0' || c > '9')
        return obauth::make_error(core_errc::json_syntax_error, "not a digit");
    return c - '0';
}

result<int> sum_of_two(const char* s) {
    OBAUTH_TRY(const int a, parse_digit(s[0]));
    OBAUTH_TRY(const int b, parse_digit(s[1]));
    return a + b;
}

result<void> check_digit(char c) {
    OBAUTH_TRY_VOID(parse_digit(c));
    return {};
}

TEST(Result, HoldsAValue) {
    const result<int> r = 42;
    ASSERT_TRUE(r.has_value());
    EXPECT_TRUE(static_cast<bool>(r));
    EXPECT_EQ(r.value(), 42);
    EXPECT_EQ(*r, 42);
    EXPECT_FALSE(r.code());
}

TEST(Result, HoldsAnErrorWithDetail) {
    const result<int> r = parse_digit('x');
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, core_errc::json_syntax_error);
    EXPECT_EQ(r.code(), obauth::condition::invalid_input);
    EXPECT_EQ(r.error().detail, "not a digit");
    EXPECT_EQ(r.value_or(-1), -1);
    EXPECT_EQ(r.error().to_string(), "obauth.core: json: syntax error (not a digit)");
    std::ostringstream os;
    os << r.error();
    EXPECT_EQ(os.str(), r.error().to_string());
}

TEST(Result, ErrorEnumConvertsDirectly) {
    const result<std::string> r = core_errc::buffer_too_small;
    ASSERT_FALSE(r);
    EXPECT_EQ(r.code(), core_errc::buffer_too_small);
    EXPECT_TRUE(r.error().detail.empty());
    EXPECT_EQ(r.error().to_string(), "obauth.core: output buffer too small");
}

TEST(Result, TryPropagatesTheFirstError) {
    EXPECT_EQ(sum_of_two("34").value(), 7);
    const auto bad = sum_of_two("3x");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().detail, "not a digit");
    EXPECT_TRUE(check_digit('5'));
    EXPECT_EQ(check_digit('a').code(), core_errc::json_syntax_error);
}

// A failed result holds its error through one pointer (result.hpp): passing
// it on keeps every field, and copies and assignments own separate errors.
result<std::string> busy() {
    obauth::error_info e = obauth::make_error(core_errc::random_failure, "pool drained");
    e.retry_after = std::chrono::seconds(30);
    return e;
}

result<std::size_t> length_of_busy() {
    OBAUTH_TRY(const std::string s, busy());
    return s.size();
}

TEST(Result, ErrorsPassOnWholeAndCopyApart) {
    const auto passed = length_of_busy();
    ASSERT_FALSE(passed);
    EXPECT_EQ(passed.code(), core_errc::random_failure);
    EXPECT_EQ(passed.error().detail, "pool drained");
    ASSERT_TRUE(passed.error().retry_after);
    EXPECT_EQ(*passed.error().retry_after, std::chrono::seconds(30));

    result<std::size_t> copy = passed;
    copy = obauth::make_error(core_errc::json_syntax_error, "replaced");
    EXPECT_EQ(copy.error().detail, "replaced");
    EXPECT_EQ(passed.error().detail, "pool drained");
    copy = passed;
    EXPECT_EQ(copy.error().detail, "pool drained");
    copy = std::size_t{3};
    EXPECT_EQ(copy.value(), 3u);
    EXPECT_FALSE(passed.has_value());

    result<void> v = obauth::make_error(core_errc::random_failure, "first");
    const result<void> v2 = v;
    v = result<void>();
    EXPECT_TRUE(v);
    EXPECT_EQ(v2.error().detail, "first");
}

TEST(Result, MoveOnlyValues) {
    result<std::unique_ptr<int>> r = std::make_unique<int>(5);
    ASSERT_TRUE(r);
    std::unique_ptr<int> p = std::move(r).value();
    EXPECT_EQ(*p, 5);
}

TEST(Result, ConvertingConstruction) {
    const result<std::string> r = "text";
    EXPECT_EQ(r.value(), "text");
    EXPECT_EQ(r->size(), 4u);
}

TEST(Result, VoidResult) {
    const result<void> ok;
    EXPECT_TRUE(ok);
    EXPECT_FALSE(ok.code());
    const result<void> bad = obauth::make_error(core_errc::random_failure, "rng");
    EXPECT_FALSE(bad);
    EXPECT_EQ(bad.code(), obauth::condition::internal_error);
    EXPECT_EQ(bad.error().detail, "rng");
}

result<int> digit(char c) {
    if (c < '0' || c > '9')
        return obauth::make_error(core_errc::json_syntax_error, std::string("'") + c + "'");
    return c - '0';
}

TEST(Result, AndThenAndTransformChainLikeExpected) {
    auto twice = [](int v) -> result<int> { return v * 2; };
    EXPECT_EQ(digit('4').and_then(twice).value(), 8);
    EXPECT_EQ(digit('x').and_then(twice).error().detail, "'x'");
    EXPECT_EQ(digit('4').transform([](int v) { return std::to_string(v); }).value(), "4");
    const result<std::string> failed =
        digit('x').transform([](int v) { return std::to_string(v); });
    EXPECT_EQ(failed.code(), core_errc::json_syntax_error);
    int seen = 0;
    const result<void> done = digit('7').transform([&](int v) { seen = v; });
    EXPECT_TRUE(done);
    EXPECT_EQ(seen, 7);
    // Move-only values move through.
    result<std::unique_ptr<int>> p = std::make_unique<int>(3);
    auto q = std::move(p).transform([](std::unique_ptr<int> v) { return *v + 1; });
    EXPECT_EQ(q.value(), 4);
}

TEST(Result, OrElseAndTransformErrorHandleTheError) {
    EXPECT_EQ(
        digit('x').or_else([](const obauth::error_info&) -> result<int> { return 0; }).value(), 0);
    EXPECT_EQ(
        digit('3').or_else([](const obauth::error_info&) -> result<int> { return 0; }).value(), 3);
    const auto with_context = digit('x').transform_error([](obauth::error_info e) {
        e.detail = "digit " + e.detail;
        return e;
    });
    EXPECT_EQ(with_context.error().detail, "digit 'x'");
    EXPECT_EQ(with_context.code(), core_errc::json_syntax_error);
    EXPECT_EQ(digit('x').value_or(-1), -1);
    EXPECT_EQ(digit('9').value_or(-1), 9);

    const result<void> bad = obauth::make_error(core_errc::random_failure);
    EXPECT_EQ(bad.and_then([] { return result<int>(1); }).code(), core_errc::random_failure);
    EXPECT_EQ(result<void>().and_then([] { return result<int>(1); }).value(), 1);
    EXPECT_TRUE(bad.or_else([](const obauth::error_info&) { return result<void>(); }));
    EXPECT_EQ(bad.transform_error([](obauth::error_info e) {
                     e.detail = "more";
                     return e;
                 })
                  .error()
                  .detail,
              "more");
}

// Reading the value of a failed result is a programmer error: the handler
// runs, also in release builds (NDEBUG), instead of undefined behaviour.
TEST(ResultDeathTest, ValueOfAnErrorCallsTheHandler) {
    EXPECT_DEATH((void)digit('x').value(), "result::value\\(\\) called on an error: .*'x'");
    EXPECT_DEATH((void)digit('1').error(), "error\\(\\) called on a value");
    const result<void> bad = obauth::make_error(core_errc::random_failure, "rng");
    EXPECT_DEATH(bad.value(), "rng");
    EXPECT_EXIT(
        {
            obauth::set_bad_result_access_handler(
                [](const obauth::error_info*) noexcept { std::_Exit(7); });
            (void)digit('x').value();
        },
        ::testing::ExitedWithCode(7), "");
}

} // namespace
