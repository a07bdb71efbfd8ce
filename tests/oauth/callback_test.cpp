#include <obauth/oauth/callback.hpp>

#include "support/oauth_support.hpp"

#include <gtest/gtest.h>

namespace {

using namespace obauth;
using namespace obauth::oauth;

using test::t0;

callback_validation base() {
    callback_validation v;
    v.issuer = test::bank_issuer;
    v.client_id = "client-42";
    v.expected_state = "xyz";
    return v;
}

TEST(Callback, QueryCodeStateIss) {
    auto r = process_callback(
        "https://client.example.com/"
        "cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz&iss=https%3A%2F%2Fas.bank.example",
        base(), t0);
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->code.expose_secret_chars(), "SplxlOBeZQQYbYS6WxSbIA");
    EXPECT_EQ(r->iss, test::bank_issuer);
}

TEST(Callback, RefusalsInTheRightOrder) {
    struct bad_case {
        const char* url;
        std::error_code code;
    };
    const auto v = base();
    for (const auto& [url, code] : std::initializer_list<bad_case>{
             {"https://c/cb?code=a&state=xyZ", errc::state_mismatch},
             {"https://c/cb?code=a", errc::state_mismatch},
             // An injected error without the right state is a state mismatch.
             {"https://c/cb?error=access_denied&state=abc", errc::state_mismatch},
             {"https://c/cb?error=access_denied&state=xyz&error_description=no+thanks",
              errc::access_denied},
             {"https://c/cb?code=a&state=xyz&iss=https%3A%2F%2Fevil.example",
              errc::issuer_mismatch},
             {"https://c/cb?code=a&state=xyz&state=xyz", errc::invalid_callback},
             {"https://c/cb?code=&state=xyz", errc::invalid_callback},
             {"https://c/cb?state=xyz", errc::invalid_callback},
             {"https://c/cb?code=a&state=xyz&bad=%zz", errc::invalid_callback},
             {"https://c/cb#code=a&state=xyz",
              errc::state_mismatch}, // fragment ignored for query mode
         }) {
        auto r = process_callback(url, v, t0);
        ASSERT_FALSE(r) << url;
        EXPECT_EQ(r.error().code, code) << url << " " << r.error();
    }
    // The detail names both issuers.
    EXPECT_EQ(
        process_callback("https://c/cb?code=a&state=xyz&iss=https%3A%2F%2Fevil.example", v, t0)
            .error()
            .detail,
        "iss 'https://evil.example', expected '" + v.issuer + "'");
    auto needs_iss = base();
    needs_iss.require_iss = true;
    EXPECT_EQ(process_callback("https://c/cb?code=a&state=xyz", needs_iss, t0).error().code,
              errc::issuer_mismatch);
    // Expecting a hybrid response does not excuse a missing iss when no ID
    // token came (an error response, say).
    needs_iss.id_token = oidc::id_token_validation{};
    EXPECT_EQ(
        process_callback("https://c/cb?error=access_denied&state=xyz", needs_iss, t0).error().code,
        errc::issuer_mismatch);
    EXPECT_EQ(process_callback(std::string(20000, 'a'), v, t0).error().code,
              errc::invalid_callback);
    auto no_state = base();
    no_state.expected_state = {};
    EXPECT_EQ(process_callback("https://c/cb?code=a&state=", no_state, t0).error().code,
              errc::invalid_options);
}

TEST(Callback, FormPostAndFragment) {
    auto v = base();
    v.location = response_location::form_post;
    EXPECT_TRUE(process_callback("code=a&state=xyz", v, t0));
    v.location = response_location::fragment;
    EXPECT_TRUE(process_callback("https://c/cb#code=a&state=xyz", v, t0));
    // A hybrid response in the query (Glewlwyd sends it there) is refused,
    // and the error says why instead of "no state".
    auto query = process_callback("https://c/cb?code=a&state=xyz", v, t0);
    ASSERT_FALSE(query);
    EXPECT_EQ(query.error().code, errc::invalid_callback);
    EXPECT_NE(query.error().detail.find("in the query"), std::string::npos) << query.error();
}

TEST(Callback, UnsignedAnswerWhereJarmWasRequested) {
    const jose::jwks keys({test::bank_key().public_key()});
    auto v = base();
    v.jarm = true;
    v.issuer_keys = &keys;
    auto r = process_callback("https://c/cb?code=a&state=xyz", v, t0);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::jarm_invalid);
    EXPECT_NE(r.error().detail.find("unsigned"), std::string::npos) << r.error();
}

TEST(Callback, Jarm) {
    const jose::jwks keys({test::bank_key().public_key()});
    auto v = base();
    v.jarm = true;
    v.issuer_keys = &keys;
    auto jarm = [](const json& claims, const jose::jwk& key) {
        return "https://c/cb?response=" + jose::sign_jwt(claims, key).value();
    };
    json claims = {{"iss", test::bank_issuer},
                   {"aud", "client-42"},
                   {"exp", to_unix_seconds(t0) + 60},
                   {"code", "PyyFaux2o7Q0YfXBU32jhw.5FXSQpvr8akv9CeRDSd0QA"},
                   {"state", "xyz"}};
    auto ok = process_callback(jarm(claims, test::bank_key()), v, t0);
    ASSERT_TRUE(ok) << ok.error();
    EXPECT_EQ(ok->code.expose_secret_chars(), "PyyFaux2o7Q0YfXBU32jhw.5FXSQpvr8akv9CeRDSd0QA");
    EXPECT_EQ(process_callback(jarm(claims, test::other_key()), v, t0).error().code,
              errc::jarm_invalid);
    EXPECT_EQ(process_callback(jarm(claims, test::bank_key()), v, t0 + std::chrono::minutes(5))
                  .error()
                  .code,
              errc::jarm_invalid); // expired
    json other_aud = claims;
    other_aud["aud"] = "client-43";
    EXPECT_EQ(process_callback(jarm(other_aud, test::bank_key()), v, t0).error().code,
              errc::jarm_invalid);
    json other_iss = claims;
    other_iss["iss"] = "https://evil.example";
    EXPECT_EQ(process_callback(jarm(other_iss, test::bank_key()), v, t0).error().code,
              errc::jarm_invalid);
    json error_claims = claims;
    error_claims.erase("code");
    error_claims["error"] = "access_denied";
    EXPECT_EQ(process_callback(jarm(error_claims, test::bank_key()), v, t0).error().code,
              errc::access_denied);
    json wrong_state = claims;
    wrong_state["state"] = "abc";
    EXPECT_EQ(process_callback(jarm(wrong_state, test::bank_key()), v, t0).error().code,
              errc::state_mismatch);
    json non_string = claims;
    non_string["code"] = 5;
    EXPECT_EQ(process_callback(jarm(non_string, test::bank_key()), v, t0).error().code,
              errc::jarm_invalid);
    EXPECT_EQ(process_callback("https://c/cb?response=a.b.c&state=xyz", v, t0).error().code,
              errc::jarm_invalid);
}

} // namespace
