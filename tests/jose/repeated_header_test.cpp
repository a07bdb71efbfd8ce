// Protected headers that repeat: the verifier and the signer remember the
// last few headers of each thread (they repeat byte for byte per issuer and
// key). What is remembered must never change a verdict or a token.
#include <obauth/jose/jws.hpp>

#include <obauth/core/base64url.hpp>
#include <obauth/core/json.hpp>
#include <obauth/jose/jws_sign_options.hpp>
#include <obauth/jose/jwt.hpp>

#include "support/jose_support.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace {

namespace jose = obauth::jose;
using jose::algorithm;
using jose::errc;
using obauth::json;
using obauth::test::allow;

std::string header_of(const std::string& token) {
    auto text = obauth::base64url_decode(token.substr(0, token.find('.')));
    EXPECT_TRUE(text) << text.error();
    return std::string(text->begin(), text->end());
}

std::string payload(int i) {
    return R"({"n":)" + std::to_string(i) + "}";
}

jose::jwk hmac_key(const std::string& kid) {
    return jose::generate_key(algorithm::HS256, kid).value();
}

TEST(RepeatedHeader, EachTokenOfOneHeaderKeepsItsOwnPayload) {
    const auto key = hmac_key("k1");
    std::vector<std::string> tokens;
    for (int i = 0; i < 3; ++i)
        tokens.push_back(jose::sign_compact(payload(i), key).value());
    EXPECT_EQ(tokens[0].substr(0, tokens[0].find('.')), tokens[2].substr(0, tokens[2].find('.')));
    for (int round = 0; round < 2; ++round)
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            auto v = jose::verify_compact(tokens[i], key, allow({algorithm::HS256}));
            ASSERT_TRUE(v) << v.error();
            EXPECT_EQ(v->payload(), payload(static_cast<int>(i)));
            EXPECT_EQ(v->header_text(), R"({"alg":"HS256","kid":"k1"})");
            EXPECT_EQ(v->kid(), "k1");
        }
}

TEST(RepeatedHeader, StricterLimitsStillRefuseAHeaderSeenBefore) {
    const auto key = hmac_key("k1");
    jose::jws_sign_options so;
    so.extra_header = {{"x", {{"y", json::array({1})}}}}; // depth 3
    const auto token = jose::sign_compact(payload(1), key, so).value();
    auto opts = allow({algorithm::HS256});
    ASSERT_TRUE(jose::verify_compact(token, key, opts));

    opts.header_limits.max_depth = 2;
    EXPECT_EQ(jose::verify_compact(token, key, opts).code(), errc::invalid_header);
    opts.header_limits = {16, 8};
    EXPECT_EQ(jose::verify_compact(token, key, opts).code(), errc::invalid_header);
    EXPECT_TRUE(jose::verify_compact(token, key, allow({algorithm::HS256})));
}

TEST(RepeatedHeader, TheRulesRunOnARememberedHeaderEveryTime) {
    const auto key = hmac_key("k1");
    jose::jws_sign_options so;
    so.extra_header = {{"ext", 1}};
    so.critical = {"ext"};
    const auto token = jose::sign_compact(payload(1), key, so).value();
    auto opts = allow({algorithm::HS256});
    opts.critical = {"ext"};
    ASSERT_TRUE(jose::verify_compact(token, key, opts));
    opts.critical.clear();
    EXPECT_EQ(jose::verify_compact(token, key, opts).code(), errc::unsupported_critical);
    EXPECT_EQ(jose::verify_compact(token, key, allow({algorithm::HS384})).code(),
              errc::algorithm_not_allowed);
    // Another key under the same header: the signature still decides.
    opts.critical = {"ext"};
    EXPECT_EQ(jose::verify_compact(token, hmac_key("k1"), opts).code(), errc::invalid_signature);
}

TEST(RepeatedHeader, MoreHeadersThanTheMemoHolds) {
    std::vector<jose::jwk> keys;
    std::vector<std::string> tokens;
    for (int i = 0; i < 9; ++i) {
        keys.push_back(hmac_key("key-" + std::to_string(i)));
        tokens.push_back(jose::sign_compact(payload(i), keys.back()).value());
    }
    for (int round = 0; round < 3; ++round)
        for (std::size_t i = 0; i < keys.size(); ++i) {
            auto v = jose::verify_compact(tokens[i], keys[i], allow({algorithm::HS256}));
            ASSERT_TRUE(v) << v.error();
            EXPECT_EQ(v->kid(), "key-" + std::to_string(i));
            EXPECT_EQ(v->payload(), payload(static_cast<int>(i)));
            EXPECT_EQ(jose::verify_compact(tokens[i], keys[(i + 1) % keys.size()],
                                           allow({algorithm::HS256}))
                          .code(),
                      errc::invalid_signature);
        }
}

TEST(RepeatedHeader, AHeaderWithEscapesReadsTheSameEveryTime) {
    // An escaped kid: the scanner leaves it to the parser.
    const auto key = hmac_key("a\"b\\c");
    const auto token = jose::sign_compact(payload(1), key).value();
    for (int i = 0; i < 2; ++i) {
        auto v = jose::verify_compact(token, key, allow({algorithm::HS256}));
        ASSERT_TRUE(v) << v.error();
        EXPECT_EQ(v->kid(), "a\"b\\c");
    }
}

TEST(RepeatedHeader, TheSignerWritesEachCombinationItsOwnHeader) {
    const auto hs = hmac_key("k1");
    // Two RSA keys under one kid: only the algorithm tells their headers apart.
    const auto rsa = jose::generate_key(algorithm::RS256, "r1").value();
    const auto pss = jose::generate_key(algorithm::PS256, "r1").value();
    jose::jws_sign_options at;
    at.typ = "at+jwt";
    jose::jws_sign_options no_kid;
    no_kid.include_kid = false;
    jose::jws_sign_options extra;
    extra.extra_header = {{"x5t#S256", "abc"}};
    const json claims = {{"sub", "s"}};
    struct signing {
        const jose::jwk* key;
        const jose::jws_sign_options* opt;
        bool jwt;
        std::string header;
    };
    const jose::jws_sign_options none;
    const std::vector<signing> all = {
        {&hs, &none, false, R"({"alg":"HS256","kid":"k1"})"},
        {&hs, &none, true, R"({"alg":"HS256","kid":"k1","typ":"JWT"})"},
        {&hs, &at, true, R"({"alg":"HS256","kid":"k1","typ":"at+jwt"})"},
        {&hs, &at, false, R"({"alg":"HS256","kid":"k1","typ":"at+jwt"})"},
        {&hs, &no_kid, false, R"({"alg":"HS256"})"},
        {&hs, &extra, false, R"({"alg":"HS256","kid":"k1","x5t#S256":"abc"})"},
        {&rsa, &none, false, R"({"alg":"RS256","kid":"r1"})"},
        {&pss, &none, false, R"({"alg":"PS256","kid":"r1"})"},
    };
    for (int round = 0; round < 2; ++round)
        for (std::size_t i = 0; i < all.size(); ++i) {
            // Forwards, then backwards: each header follows others.
            const signing& s = all[round == 0 ? i : all.size() - 1 - i];
            auto token = s.jwt ? jose::sign_jwt(claims, *s.key, *s.opt)
                               : jose::sign_compact(payload(1), *s.key, *s.opt);
            ASSERT_TRUE(token) << token.error();
            EXPECT_EQ(header_of(*token), s.header);
        }
}

TEST(RepeatedHeader, EveryThreadRemembersItsOwn) {
    std::vector<std::thread> threads;
    std::vector<int> failures(4, 0);
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([t, &failures] {
            const auto key = hmac_key("thread-" + std::to_string(t));
            const auto other = hmac_key("thread-" + std::to_string(t));
            for (int i = 0; i < 200; ++i) {
                const auto token = jose::sign_compact(payload(i), key).value();
                auto v = jose::verify_compact(token, key, allow({algorithm::HS256}));
                if (!v || v->payload() != payload(i) || v->kid() != "thread-" + std::to_string(t) ||
                    jose::verify_compact(token, other, allow({algorithm::HS256})))
                    ++failures[static_cast<std::size_t>(t)];
            }
        });
    for (auto& th : threads)
        th.join();
    EXPECT_EQ(failures, std::vector<int>(4, 0));
}

} // namespace
