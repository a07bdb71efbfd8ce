#include <obauth/jose/jwt_visit.hpp>

#include <obauth/core/json.hpp>
#include <obauth/jose/jwt_claims.hpp>

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace {

namespace jose = obauth::jose;
using jose::algorithm;
using obauth::json;

constexpr std::int64_t visit_t0 = 1700000000;

// Records what it is shown: every claim's name with the text of its value
// when that is a string or a number, and how deep it went.
struct recorder {
    std::map<std::string, std::string> values;
    std::vector<std::string> names;
    std::string current;
    std::size_t deepest = 0, events = 0;
    bool dom_seen = false, escaped_seen = false;

    void key(std::size_t depth, std::string_view name) {
        ++events;
        deepest = std::max(deepest, depth);
        if (depth == 1) {
            current = std::string(name);
            names.push_back(current);
        }
    }
    void string(std::size_t depth, std::string_view raw, bool escaped) {
        ++events;
        escaped_seen = escaped_seen || escaped;
        if (depth == 1)
            values[current] = std::string(raw);
    }
    void number(std::size_t depth, std::string_view text, bool) {
        ++events;
        if (depth == 1)
            values[current] = std::string(text);
    }
    void literal(std::size_t, char) { ++events; }
    void open(std::size_t depth, bool) {
        ++events;
        deepest = std::max(deepest, depth);
    }
    void close(std::size_t) { ++events; }
    void dom() { dom_seen = true; }
};

class JwtVisit : public ::testing::Test {
protected:
    jose::jwk key = jose::generate_key(algorithm::ES256, "k").value();
    jose::jws_verify_options opts{jose::algorithm_set{algorithm::ES256}, {}, 256 * 1024, {}};
    jose::jwt_validation policy = [] {
        jose::jwt_validation p;
        p.issuer = "https://as.example";
        p.audiences = {"rs"};
        return p;
    }();
    json claims = {{"iss", "https://as.example"}, {"aud", "rs"},
                   {"exp", visit_t0 + 300},       {"client_id", "tpp-1"},
                   {"cnf", {{"jkt", "abc"}}},     {"scope", "accounts payments"}};
    obauth::time_point now = obauth::from_unix_seconds(visit_t0 + 10);

    std::string sign(const json& c) { return jose::sign_jwt(c, key).value(); }
};

TEST_F(JwtVisit, SeesEveryClaimInTheVerifiersScan) {
    recorder r;
    const auto jwt = jose::verify_jwt(sign(claims), key, opts, policy, now, r);
    ASSERT_TRUE(jwt) << jwt.error().to_string();
    EXPECT_FALSE(r.dom_seen);
    EXPECT_EQ(r.names.size(), claims.size());
    EXPECT_EQ(r.values["client_id"], "tpp-1");
    EXPECT_EQ(r.values["scope"], "accounts payments");
    EXPECT_EQ(r.values["exp"], std::to_string(visit_t0 + 300));
    EXPECT_EQ(r.deepest, 2u); // cnf's members
    // The views it was shown point into the verified token's payload.
    EXPECT_NE(jwt->payload().find("\"tpp-1\""), std::string_view::npos);
}

TEST_F(JwtVisit, WithAKeySetToo) {
    const jose::jwks set(std::vector<jose::jwk>{key});
    recorder r;
    const auto jwt = jose::verify_jwt(sign(claims), set, opts, policy, now, r);
    ASSERT_TRUE(jwt) << jwt.error().to_string();
    EXPECT_EQ(r.values["client_id"], "tpp-1");
}

TEST_F(JwtVisit, ToldWhenTheClaimsWereReadThroughADom) {
    // An escape in a claim the verifier reads: it gives way to the DOM, and
    // the visitor is told that what it saw is incomplete.
    json c = claims;
    c["sub"] = "alice\n";
    recorder r;
    const auto jwt = jose::verify_jwt(sign(c), key, opts, policy, now, r);
    ASSERT_TRUE(jwt) << jwt.error().to_string();
    EXPECT_TRUE(r.dom_seen);
    EXPECT_EQ(jwt->sub(), "alice\n");
}

TEST_F(JwtVisit, EscapesInOtherClaimsAreTheVisitorsToHandle) {
    // The verifier does not read client_id: the scan goes on, and the
    // visitor is shown the raw text with its escape flag.
    json c = claims;
    c["client_id"] = "tpp\n1";
    recorder r;
    const auto jwt = jose::verify_jwt(sign(c), key, opts, policy, now, r);
    ASSERT_TRUE(jwt) << jwt.error().to_string();
    EXPECT_FALSE(r.dom_seen);
    EXPECT_TRUE(r.escaped_seen);
    EXPECT_EQ(r.values["client_id"], "tpp\\n1");
}

TEST_F(JwtVisit, ShownNothingBeforeTheSignatureVerifies) {
    std::string token = sign(claims);
    token.back() = token.back() == 'A' ? 'B' : 'A';
    recorder r;
    EXPECT_FALSE(jose::verify_jwt(token, key, opts, policy, now, r));
    EXPECT_EQ(r.events, 0u);
    EXPECT_FALSE(r.dom_seen);
}

TEST_F(JwtVisit, TheClaimRulesStillDecide) {
    json c = claims;
    c["aud"] = "another-resource";
    recorder r;
    const auto jwt = jose::verify_jwt(sign(c), key, opts, policy, now, r);
    ASSERT_FALSE(jwt);
    EXPECT_EQ(jwt.error().code, jose::errc::audience_mismatch);
}

} // namespace
