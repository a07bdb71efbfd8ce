#include <obauth/jose/jwks.hpp>

#include <obauth/core/base64url.hpp>
#include <obauth/core/json.hpp>
#include <obauth/jose/jws_sign_options.hpp>

#include "support/jose_support.hpp"
#include "support/test_data.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

namespace jose = obauth::jose;
using jose::algorithm;
using jose::errc;
using obauth::json;

using obauth::test::allow;

class Jwks : public ::testing::Test {
protected:
    jose::jwk es_a = jose::generate_key(algorithm::ES256, "a").value();
    jose::jwk es_b = jose::generate_key(algorithm::ES256, "b").value();
    jose::jwk rsa_c = jose::generate_key(algorithm::PS256, "c").value();

    jose::jwks published() const {
        json doc = {
            {"keys", {es_a.to_public_json(), es_b.to_public_json(), rsa_c.to_public_json()}}};
        return jose::jwks_from_json(doc).value();
    }
};

TEST_F(Jwks, ParsesAndSelectsByKidAndAlgorithm) {
    const auto set = published();
    EXPECT_EQ(set.keys().size(), 3u);
    EXPECT_TRUE(set.skipped().empty());
    const auto k = set.select("b", algorithm::ES256, jose::key_operation::verify);
    ASSERT_TRUE(k);
    EXPECT_EQ((*k)->thumbprint().value(), es_b.thumbprint().value());
    EXPECT_EQ(set.select("b", algorithm::PS256, jose::key_operation::verify).code(),
              errc::key_not_found);
    EXPECT_EQ(set.select("zzz", algorithm::ES256, jose::key_operation::verify).code(),
              errc::key_not_found);
    EXPECT_EQ(set.select("B", algorithm::ES256, jose::key_operation::verify).code(),
              errc::key_not_found); // kids are compared exactly
    // Public keys cannot be selected for signing.
    EXPECT_EQ(set.select("a", algorithm::ES256, jose::key_operation::sign).code(),
              errc::key_not_found);
}

TEST_F(Jwks, VerifiesTheKeyTheTokenNames) {
    const auto set = published();
    const auto token = jose::sign_compact(std::string("x"), es_b).value();
    const auto r = jose::verify_compact(token, set, allow({algorithm::ES256}));
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->kid(), "b");

    // Unknown kid: fails, unless the caller opts in to trying the keys of
    // the pinned algorithm.
    const auto stranger = jose::generate_key(algorithm::ES256, "unknown").value();
    auto opts = allow({algorithm::ES256});
    const auto other = jose::sign_compact(std::string("x"), stranger).value();
    EXPECT_EQ(jose::verify_compact(other, set, opts).code(), errc::key_not_found);
    const auto a_as_unknown = jose::sign_compact(std::string("x"), es_a.with_kid("nope").value());
    EXPECT_EQ(jose::verify_compact(*a_as_unknown, set, opts).code(), errc::key_not_found);
    opts.try_all_keys = true;
    EXPECT_TRUE(jose::verify_compact(*a_as_unknown, set, opts));
    EXPECT_EQ(jose::verify_compact(other, set, opts).code(), errc::invalid_signature);
}

TEST_F(Jwks, TokenWithoutKid) {
    jose::jws_sign_options no_kid;
    no_kid.include_kid = false;
    const auto token = jose::sign_compact(std::string("x"), es_a, no_kid).value();
    // Two ES256 keys fit: ambiguous unless opted in.
    EXPECT_EQ(jose::verify_compact(token, published(), allow({algorithm::ES256})).code(),
              errc::ambiguous_key);
    auto opts = allow({algorithm::ES256});
    opts.try_all_keys = true;
    EXPECT_TRUE(jose::verify_compact(token, published(), opts));
    // One key fits: used.
    const jose::jwks one({es_a.public_key(), rsa_c.public_key()});
    EXPECT_TRUE(jose::verify_compact(token, one, allow({algorithm::ES256})));
}

TEST_F(Jwks, DuplicateKidsAreAmbiguous) {
    const jose::jwks dup({es_a.public_key(), es_b.with_kid("a").value().public_key()});
    const auto token = jose::sign_compact(std::string("x"), es_a).value();
    EXPECT_EQ(jose::verify_compact(token, dup, allow({algorithm::ES256})).code(),
              errc::ambiguous_key);
    // Same kid on keys of different types is fine: the algorithm decides.
    const jose::jwks mixed({es_a.public_key(), rsa_c.with_kid("a").value().public_key()});
    EXPECT_TRUE(jose::verify_compact(token, mixed, allow({algorithm::ES256, algorithm::PS256})));
}

TEST_F(Jwks, SkipsAndReportsKeysItCannotUse) {
    json doc = {
        {"keys",
         {es_a.to_public_json(),
          {{"kty", "XYZ"}, {"kid", "future"}},
          {{"kty", "RSA"}, {"kid", "enc"}, {"alg", "RSA-OAEP"}, {"n", "AQAB"}, {"e", "AQAB"}},
          {{"kty", "oct"},
           {"kid", "secret"},
           {"k", obauth::base64url_encode(std::string(32, 'k'))}},
          {{"kty", "EC"}, {"kid", "broken"}, {"crv", "P-256"}, {"x", "AA"}, {"y", "AA"}},
          json::parse(es_b.export_private_json()->expose_secret_chars())}}};
    const auto set = jose::jwks_from_json(doc);
    ASSERT_TRUE(set);
    ASSERT_EQ(set->keys().size(), 1u);
    ASSERT_EQ(set->skipped().size(), 5u);
    EXPECT_EQ(set->skipped()[0].kid, "future");
    EXPECT_EQ(set->skipped()[0].reason.code, errc::unsupported_key);
    EXPECT_EQ(set->skipped()[1].index, 2u);
    EXPECT_EQ(set->skipped()[2].reason.code, errc::private_key_refused);
    EXPECT_EQ(set->skipped()[3].reason.code, errc::invalid_key);
    EXPECT_EQ(set->skipped()[4].reason.code, errc::private_key_refused);
}

TEST_F(Jwks, SerializesPublicKeysOnly) {
    jose::jwks set({es_a, rsa_c});
    const json out = set.to_public_json();
    ASSERT_EQ(out["keys"].size(), 2u);
    for (const auto& k : out["keys"]) {
        EXPECT_FALSE(k.contains("d"));
        EXPECT_FALSE(k.contains("p"));
    }
    const auto again = jose::parse_jwks(out.dump());
    ASSERT_TRUE(again);
    EXPECT_EQ(again->keys().size(), 2u);
}

TEST_F(Jwks, HostileKidsSelectNothing) {
    const auto set = published();
    for (const std::string& kid :
         {std::string("../../../../etc/passwd"), std::string("a\\..\\b"),
          std::string("' OR '1'='1"), std::string("a\0", 2), std::string("*"),
          std::string("%2e%2e%2f"), std::string("a/../a"), std::string("http://evil.example/jwks"),
          std::string("A"), std::string(" a")}) {
        const auto forged = es_a.with_kid(kid);
        ASSERT_TRUE(forged);
        const auto token = jose::sign_compact(std::string("x"), *forged).value();
        EXPECT_EQ(jose::verify_compact(token, set, allow({algorithm::ES256})).code(),
                  errc::key_not_found)
            << kid;
    }
}

TEST_F(Jwks, MalformedSets) {
    for (const char* text :
         {"{}", R"({"keys":{}})", R"({"keys":"x"})", "[]", R"({"keys":[],"keys":[]})"})
        EXPECT_FALSE(jose::parse_jwks(text)) << text;
    json many = {{"keys", json::array()}};
    for (int i = 0; i < 300; ++i)
        many["keys"].push_back(es_a.to_public_json());
    EXPECT_EQ(jose::jwks_from_json(many).code(), errc::too_large);
    EXPECT_TRUE(jose::parse_jwks(R"({"keys":[]})"));
}

} // namespace
