#include <obauth/providers/finapi.hpp>

#include "support/hostile_bodies.hpp"
#include "support/oauth_support.hpp"
#include "support/secret_traits.hpp"

#include <obauth/http/form.hpp>

#include <gtest/gtest.h>

namespace {

using namespace obauth;
using namespace obauth::providers;
using namespace std::chrono_literals;

using test::t0;

// The client secret, user passwords and process tokens never print or copy by accident.
static_assert(!test::is_streamable<const finapi::config&>::value);
static_assert(!std::is_copy_constructible<finapi::user>::value);
static_assert(!std::is_copy_constructible<finapi::process>::value);

finapi::config finapi_config() {
    return finapi::config::create(finapi::sandbox(), "8f92e604-b9b9-11ec-8422-0242ac120002",
                                  test::secret_of("8f92ea14-b9b9-11ec-8422-0242ac120002"))
        .value();
}

json parsed(std::string_view text) {
    return parse_json(text).value();
}

using test::json_response;

TEST(FinApi, EnvironmentsAndCredentials) {
    EXPECT_EQ(finapi::sandbox().access_url, "https://sandbox.finapi.io");
    EXPECT_EQ(finapi::sandbox().process_controller_url,
              "https://di-processctl-finapi-general-sandbox.finapi.io");
    EXPECT_EQ(finapi::production().access_url, "https://live.finapi.io");
    EXPECT_EQ(finapi::config::create(finapi::sandbox(), "id", secret()).error().code,
              errc::missing_credential);
    EXPECT_EQ(finapi::config::create({"http://sandbox.finapi.io", "https://pcl.example"}, "id",
                                     test::secret_of("s"))
                  .error()
                  .code,
              errc::insecure_url);
    auto prod = finapi::config::create(finapi::production(), "id", test::secret_of("s"));
    ASSERT_TRUE(prod);
    EXPECT_EQ(prod->access_client().server.endpoints.token->buffer(),
              "https://live.finapi.io/api/v2/oauth/token");
}

TEST(FinApi, ClientAndUserTokenRequests) {
    const auto c = finapi_config();
    auto client = finapi::make_client_token_request(c, t0);
    ASSERT_TRUE(client) << client.error();
    EXPECT_EQ(client->url.buffer(), "https://sandbox.finapi.io/api/v2/oauth/token");
    EXPECT_EQ(*client->header("Content-Type"), "application/x-www-form-urlencoded");
    EXPECT_EQ(client->body, "grant_type=client_credentials"
                            "&client_id=8f92e604-b9b9-11ec-8422-0242ac120002"
                            "&client_secret=8f92ea14-b9b9-11ec-8422-0242ac120002");
    auto user = finapi::make_user_token_request(c, "user-7", test::secret_of("p@ss word"), t0);
    ASSERT_TRUE(user) << user.error();
    EXPECT_EQ(user->body, "grant_type=password&username=user-7&password=p%40ss+word"
                          "&client_id=8f92e604-b9b9-11ec-8422-0242ac120002"
                          "&client_secret=8f92ea14-b9b9-11ec-8422-0242ac120002");
    EXPECT_EQ(finapi::make_user_token_request(c, "user-7", secret(), t0).error().code,
              errc::invalid_argument);

    auto t = finapi::process_token_response(
        c,
        json_response(200, R"({"access_token":"fnsXpguIBkChhCsN8bVty9Y68AsUvJYyXUILcsFBvWABF03k",)"
                           R"("token_type":"bearer","expires_in":3599,"scope":"all"})"),
        t0);
    ASSERT_TRUE(t) << t.error();
    EXPECT_EQ(*t->expires_at(), t0 + 3599s);
    EXPECT_EQ(*t->scope, std::vector<std::string>{"all"});
}

TEST(FinApi, CreateUserSendsFinApisMembers) {
    const auto c = finapi_config();
    finapi::new_user u;
    u.id = "user-7";
    u.password = test::secret_of("hunter2-long");
    u.email = "ada@example.test";
    u.auto_update = false;
    auto r = finapi::make_create_user_request(c, test::secret_of("client-token"), u);
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->method, http::http_method::post);
    EXPECT_EQ(r->url.buffer(), "https://sandbox.finapi.io/api/v2/users");
    EXPECT_EQ(*r->header("Authorization"), "Bearer client-token");
    EXPECT_EQ(r->body, R"({"id":"user-7","password":"hunter2-long","email":"ada@example.test",)"
                       R"("isAutoUpdateEnabled":false})");
    EXPECT_EQ(finapi::make_create_user_request(c, test::secret_of("t"), {}).value().body, "{}");
    finapi::new_user short_password;
    short_password.password = test::secret_of("abc");
    EXPECT_EQ(
        finapi::make_create_user_request(c, test::secret_of("t"), short_password).error().code,
        errc::invalid_argument);

    auto created = finapi::process_create_user_response(
        c,
        json_response(201, R"({"id":"user-7","password":"hunter2-long","email":"ada@example.test",)"
                           R"("phone":null,"isAutoUpdateEnabled":false})"),
        t0);
    ASSERT_FALSE(created); // phone null is not a string
    created = finapi::process_create_user_response(
        c,
        json_response(201,
                      R"({"id":"user-7","password":"generated-9","isAutoUpdateEnabled":true})"),
        t0);
    ASSERT_TRUE(created) << created.error();
    EXPECT_EQ(created->password.expose_secret_chars(), "generated-9");
    EXPECT_TRUE(created->auto_update);
    auto exists = finapi::process_create_user_response(
        c,
        json_response(422, R"({"errors":[{"message":"User with id user-7 already exists",)"
                           R"("code":"ENTITY_EXISTS","type":"BUSINESS"}],"requestId":"r1"})"),
        t0);
    EXPECT_EQ(exists.error().code, errc::unexpected_status);
    EXPECT_NE(exists.error().detail.find("already exists"), std::string::npos);
}

TEST(FinApi, DeleteTheAuthorizedUser) {
    const auto c = finapi_config();
    auto r = finapi::make_delete_user_request(c, test::secret_of("user-token"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->method, http::http_method::delete_);
    EXPECT_EQ(r->url.buffer(), "https://sandbox.finapi.io/api/v2/users");
    EXPECT_EQ(*r->header("Authorization"), "Bearer user-token");
    EXPECT_TRUE(finapi::process_delete_user_response(json_response(200, "\"user-7\""), t0));
    EXPECT_EQ(finapi::process_delete_user_response(
                  json_response(401, R"({"errors":[{"message":"Invalid token"}]})"), t0)
                  .error()
                  .code,
              errc::invalid_credentials);
}

TEST(FinApi, ProcessControllerTwoSteps) {
    const auto c = finapi_config();
    const std::vector<std::string> refs{"kyc-4711"};
    auto r = finapi::make_create_process_request(c, refs);
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->url.buffer(),
              "https://di-processctl-finapi-general-sandbox.finapi.io/api/v1/processes");
    EXPECT_EQ(r->header("Authorization"), nullptr);
    // The seed's body, member for member.
    EXPECT_EQ(parsed(r->body), parsed(R"({ "clientId": "8f92e604-b9b9-11ec-8422-0242ac120002",
                               "clientSecret": "8f92ea14-b9b9-11ec-8422-0242ac120002",
                               "clientReferences": [ { "clientReference": "kyc-4711" } ],
                               "processId": "USER_ONLY" })"));
    EXPECT_EQ(finapi::make_create_process_request(c, {}).error().code, errc::invalid_argument);

    auto procs = finapi::process_create_process_response(
        c, json_response(201, R"({ "processes": [ { "clientReference": "kyc-4711",
                                 "processToken": "8f92ec58-b9b9-11ec-8422-0242ac120002" } ] })"),
        refs, t0);
    ASSERT_TRUE(procs) << procs.error();
    ASSERT_EQ(procs->size(), 1u);
    EXPECT_EQ(procs->front().process_token.expose_secret_chars(),
              "8f92ec58-b9b9-11ec-8422-0242ac120002");
    auto other = finapi::process_create_process_response(
        c,
        json_response(201, R"({"processes":[{"clientReference":"someone-else",)"
                           R"("processToken":"t"}]})"),
        refs, t0);
    EXPECT_EQ(other.error().code, errc::invalid_response);
    EXPECT_EQ(finapi::process_create_process_response(c, json_response(201, R"({"processes":[]})"),
                                                      refs, t0)
                  .error()
                  .code,
              errc::invalid_response);

    auto get = finapi::make_process_token_request(c, procs->front().process_token);
    ASSERT_TRUE(get);
    EXPECT_EQ(get->method, http::http_method::get);
    EXPECT_EQ(get->url.buffer(), "https://di-processctl-finapi-general-sandbox.finapi.io"
                                 "/api/v1/processes/8f92ec58-b9b9-11ec-8422-0242ac120002"
                                 "?invalidate=true");
    auto token = finapi::process_process_token_response(
        c, json_response(200, R"({ "accessToken": "89e3b64c-b9ba-11ec-8422-0242ac120002" })"), t0);
    ASSERT_TRUE(token) << token.error();
    EXPECT_EQ(token->expose_secret_chars(), "89e3b64c-b9ba-11ec-8422-0242ac120002");
    EXPECT_EQ(finapi::process_process_token_response(c, json_response(404, "{}"), t0).error().code,
              errc::not_found);
}

TEST(FinApi, HostileAnswersAreRefused) {
    const auto c = finapi_config();
    const std::vector<std::string> refs{"kyc-4711"};
    for (const auto& r : test::hostile_responses()) {
        SCOPED_TRACE(r.body.substr(0, 40));
        EXPECT_FALSE(finapi::process_token_response(c, r, t0));
        EXPECT_FALSE(finapi::process_create_user_response(c, r, t0));
        EXPECT_FALSE(finapi::process_create_process_response(c, r, refs, t0));
        EXPECT_FALSE(finapi::process_process_token_response(c, r, t0));
    }
}

} // namespace
