#include <obauth/providers/hoseki.hpp>

#include "support/hostile_bodies.hpp"
#include "support/oauth_support.hpp"
#include "support/secret_traits.hpp"

#include <gtest/gtest.h>

namespace {

using namespace obauth;
using namespace obauth::providers;

using test::t0;

// The API key and the session's client_secret never print or copy by accident.
static_assert(!test::is_streamable<const hoseki::config&>::value);
static_assert(!test::is_streamable<const hoseki::session&>::value);
static_assert(!std::is_copy_constructible<hoseki::session>::value);

hoseki::config hoseki_config() {
    return hoseki::config::create("https://api.hoseki.example/v1", test::secret_of("hk_live_42"))
        .value();
}

using test::json_response;

TEST(Hoseki, RefusedWithoutHttpsOrKeyBeforeAnythingIsBuilt) {
    EXPECT_EQ(
        hoseki::config::create("http://api.hoseki.example", test::secret_of("k")).error().code,
        errc::insecure_url);
    EXPECT_EQ(hoseki::config::create("ftp://api.hoseki.example", test::secret_of("k")).error().code,
              errc::insecure_url);
    EXPECT_EQ(hoseki::config::create("https://api.hoseki.example", secret()).error().code,
              errc::missing_credential);
    EXPECT_EQ(hoseki::config::create("https://api.hoseki.example", test::secret_of("k\r\nX: 1"))
                  .error()
                  .code,
              errc::invalid_configuration);
    EXPECT_EQ(
        hoseki::config::create("https://api.hoseki.example?x=1", test::secret_of("k")).error().code,
        errc::invalid_configuration);
    auto local = hoseki::config::create("http://127.0.0.1:9000", test::secret_of("k"), true);
    ASSERT_TRUE(local) << local.error();
    EXPECT_TRUE(hoseki::make_create_session_request(*local));
}

TEST(Hoseki, CreateSessionRequest) {
    const auto c = hoseki_config();
    auto r = hoseki::make_create_session_request(c);
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->method, http::http_method::post);
    EXPECT_EQ(r->url.buffer(), "https://api.hoseki.example/v1/sessions");
    EXPECT_EQ(*r->header("Authorization"), "Bearer hk_live_42");
    EXPECT_EQ(*r->header("Content-Type"), "application/json");
    EXPECT_EQ(r->body, "{}");
    auto with = hoseki::make_create_session_request(c, json{{"products", {"accounts"}}});
    EXPECT_EQ(with->body, R"({"products":["accounts"]})");
    EXPECT_EQ(hoseki::make_create_session_request(c, json::array()).error().code,
              errc::invalid_argument);
}

TEST(Hoseki, SessionCreatedThenReadBackWithLinkedAccounts) {
    const auto c = hoseki_config();
    auto created = hoseki::process_session_response(
        c,
        json_response(201, R"({"id":"ses_123","client_secret":"ses_123_secret_abc",)"
                           R"("status":"pending","accounts":[]})"),
        t0, true);
    ASSERT_TRUE(created) << created.error();
    EXPECT_EQ(created->id, "ses_123");
    EXPECT_EQ(created->client_secret->expose_secret_chars(), "ses_123_secret_abc");
    auto handoff = hoseki::client_handoff(*created);
    ASSERT_TRUE(handoff);
    EXPECT_EQ(handoff->expose_secret_chars(), R"({"client_secret":"ses_123_secret_abc"})");
    auto none = hoseki::linked_accounts(*created);
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, errc::session_incomplete);

    auto get = hoseki::make_get_session_request(c, "ses_123");
    ASSERT_TRUE(get);
    EXPECT_EQ(get->method, http::http_method::get);
    EXPECT_EQ(get->url.buffer(), "https://api.hoseki.example/v1/sessions/ses_123");
    EXPECT_EQ(*get->header("Authorization"), "Bearer hk_live_42");
    EXPECT_TRUE(get->body.empty());

    auto read = hoseki::process_session_response(
        c,
        json_response(200,
                      R"({"id":"ses_123","status":"completed","accounts":[)"
                      R"({"id":"acc_1","name":"Checking","type":"depository","mask":"0042"}]})"),
        t0, false);
    ASSERT_TRUE(read) << read.error();
    EXPECT_FALSE(read->client_secret);
    auto linked = hoseki::linked_accounts(*read);
    ASSERT_TRUE(linked);
    ASSERT_EQ((*linked)->size(), 1u);
    EXPECT_EQ((*linked)->front().id, "acc_1");
    EXPECT_EQ((*linked)->front().other["mask"], "0042");
}

TEST(Hoseki, AccountDataRequests) {
    const auto c = hoseki_config();
    auto r = hoseki::make_account_request(c, "acc/1", "transactions");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->url.buffer(), "https://api.hoseki.example/v1/accounts/acc%2F1/transactions");
    EXPECT_EQ(*r->header("Authorization"), "Bearer hk_live_42");
    EXPECT_EQ(hoseki::make_account_request(c, "").error().code, errc::invalid_argument);
    auto data = hoseki::process_account_response(
        c, json_response(200, R"({"balances":{"available":100.5}})"), t0);
    ASSERT_TRUE(data);
    EXPECT_EQ((*data)["balances"]["available"], 100.5);
}

TEST(Hoseki, MalformedAnswersAndRefusals) {
    const auto c = hoseki_config();
    auto no_secret =
        hoseki::process_session_response(c, json_response(201, R"({"id":"s"})"), t0, true);
    EXPECT_EQ(no_secret.error().code, errc::invalid_response);
    // The client_secret goes into the client application's headers as it is.
    auto crlf = hoseki::process_session_response(
        c, json_response(201, R"({"id":"s","client_secret":"cs\r\nX-Injected: 1"})"), t0, true);
    EXPECT_EQ(crlf.error().code, errc::invalid_response);
    EXPECT_NE(crlf.error().detail.find("outside %x20-7E"), std::string::npos);
    EXPECT_EQ(crlf.error().detail.find("cs"), std::string::npos);
    auto bad_accounts = hoseki::process_session_response(
        c, json_response(200, R"({"id":"s","accounts":{"id":"a"}})"), t0, false);
    EXPECT_EQ(bad_accounts.error().code, errc::invalid_response);
    auto no_id = hoseki::process_session_response(
        c, json_response(200, R"({"id":"s","accounts":[{"name":"x"}]})"), t0, false);
    EXPECT_EQ(no_id.error().code, errc::invalid_response);
    auto dup = hoseki::process_session_response(c, json_response(200, R"({"id":"a","id":"b"})"), t0,
                                                false);
    EXPECT_EQ(dup.error().code, errc::invalid_response);
    EXPECT_EQ(hoseki::process_session_response(
                  c, json_response(401, R"({"message":"invalid API key"})"), t0, true)
                  .error()
                  .code,
              errc::invalid_credentials);
    EXPECT_EQ(hoseki::process_session_response(c, json_response(404, "{}"), t0, false).error().code,
              errc::not_found);
    EXPECT_EQ(hoseki::process_account_response(c, json_response(500, "oops"), t0).error().code,
              errc::server_error);
}

TEST(Hoseki, HostileAnswersAreRefused) {
    const auto c = hoseki_config();
    for (const auto& r : test::hostile_responses()) {
        SCOPED_TRACE(r.body.substr(0, 40));
        EXPECT_FALSE(hoseki::process_session_response(c, r, t0, false));
        EXPECT_FALSE(hoseki::process_session_response(c, r, t0, true));
        EXPECT_FALSE(hoseki::process_account_response(c, r, t0));
    }
}

} // namespace
