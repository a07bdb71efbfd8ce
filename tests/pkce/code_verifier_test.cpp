#include <obauth/pkce/code_verifier.hpp>

#include "support/test_data.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace {

namespace pkce = obauth::pkce;
using pkce::errc;

// Replays fixed octets: for the RFC 7636 Appendix B known answer.
class fixed_random final : public obauth::random_generator {
public:
    explicit fixed_random(obauth::bytes b) : b_(std::move(b)) {}
    obauth::result<void> fill(unsigned char* out, std::size_t n) noexcept override {
        for (std::size_t i = 0; i < n; ++i)
            out[i] = b_[i % b_.size()];
        return {};
    }

private:
    obauth::bytes b_;
};

TEST(Pkce, Rfc7636AppendixB) {
    const auto v = obauth::test::load_json("rfc/rfc7636_B_pkce_s256.json");
    obauth::bytes octets;
    for (const auto& o : v["code_verifier_random_octets"])
        octets.push_back(o.get<unsigned char>());
    ASSERT_EQ(octets.size(), 32u);
    fixed_random rng(octets);
    auto verifier = pkce::code_verifier::generate(rng);
    ASSERT_TRUE(verifier);
    EXPECT_EQ(verifier->challenge().value(), obauth::test::str(v, "code_challenge"));
    const auto taken = verifier->take();
    ASSERT_TRUE(taken);
    EXPECT_EQ(taken->expose_secret_chars(), obauth::test::str(v, "code_verifier"));
    EXPECT_TRUE(pkce::verify_code_verifier(obauth::test::str(v, "code_verifier"),
                                           obauth::test::str(v, "code_challenge"),
                                           pkce::challenge_method::s256));
}

TEST(Pkce, GeneratedVerifiersAreDistinctAndWellFormed) {
    std::set<std::string> seen;
    for (int i = 0; i < 2000; ++i) {
        auto v = pkce::code_verifier::generate();
        ASSERT_TRUE(v);
        EXPECT_EQ(v->length(), 43u);
        const auto challenge = v->challenge().value();
        auto text = v->take().value();
        const std::string s(text.expose_secret_chars());
        EXPECT_TRUE(pkce::code_verifier::parse(s)) << s;
        EXPECT_TRUE(seen.insert(s).second);
        EXPECT_TRUE(pkce::verify_code_verifier(s, challenge, pkce::challenge_method::s256));
    }
    for (std::size_t len : {43u, 44u, 45u, 64u, 127u, 128u}) {
        auto v = pkce::code_verifier::generate(len);
        ASSERT_TRUE(v) << len;
        EXPECT_EQ(v->length(), len);
        const auto text = v->take().value();
        EXPECT_TRUE(pkce::code_verifier::parse(text.expose_secret_chars()));
    }
    EXPECT_EQ(pkce::code_verifier::generate(42).code(), errc::invalid_length);
    EXPECT_EQ(pkce::code_verifier::generate(129).code(), errc::invalid_length);
}

TEST(Pkce, ParsingIsStrict) {
    const std::string good(43, 'a');
    EXPECT_TRUE(pkce::code_verifier::parse(good));
    EXPECT_TRUE(pkce::code_verifier::parse(std::string(128, '~')));
    EXPECT_TRUE(pkce::code_verifier::parse("ABCxyz019-._~" + std::string(30, 'Z')));
    EXPECT_EQ(pkce::code_verifier::parse(std::string(42, 'a')).code(), errc::invalid_length);
    EXPECT_EQ(pkce::code_verifier::parse(std::string(129, 'a')).code(), errc::invalid_length);
    EXPECT_EQ(pkce::code_verifier::parse("").code(), errc::invalid_length);
    // Every byte outside the unreserved set, at the start, middle and end.
    const std::string unreserved =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    for (int c = 0; c < 256; ++c) {
        if (unreserved.find(static_cast<char>(c)) != std::string::npos)
            continue;
        for (std::size_t pos : {0u, 21u, 42u}) {
            std::string s = good;
            s[pos] = static_cast<char>(c);
            EXPECT_EQ(pkce::code_verifier::parse(s).code(), errc::invalid_verifier) << c;
        }
    }
}

TEST(Pkce, VerifierIsSingleUse) {
    auto v = pkce::code_verifier::generate().value();
    EXPECT_FALSE(v.used());
    EXPECT_TRUE(v.take());
    EXPECT_TRUE(v.used());
    EXPECT_EQ(v.take().code(), errc::already_used);
    EXPECT_EQ(v.challenge().code(), errc::already_used);
    EXPECT_EQ(v.take().code(), obauth::condition::invalid_state);
}

TEST(Pkce, ServerSideChecks) {
    auto v = pkce::code_verifier::generate().value();
    const std::string challenge = v.challenge().value();
    const auto text = v.take().value();
    const std::string s(text.expose_secret_chars());
    EXPECT_TRUE(pkce::verify_code_verifier(s, challenge, pkce::challenge_method::s256));
    std::string other = s;
    other[10] = other[10] == 'a' ? 'b' : 'a';
    EXPECT_EQ(pkce::verify_code_verifier(other, challenge, pkce::challenge_method::s256).code(),
              errc::mismatch);
    EXPECT_EQ(
        pkce::verify_code_verifier(s, challenge.substr(1), pkce::challenge_method::s256).code(),
        errc::invalid_challenge);
    EXPECT_EQ(
        pkce::verify_code_verifier("bad verifier", challenge, pkce::challenge_method::s256).code(),
        errc::invalid_length);
    // The verifier itself sent as if it were the challenge (a downgrade to plain).
    EXPECT_EQ(pkce::verify_code_verifier(s, s, pkce::challenge_method::s256).code(),
              errc::mismatch);

    // plain: refused unless the server opts in by name.
    EXPECT_EQ(pkce::verify_code_verifier(s, s, pkce::challenge_method::plain_insecure).code(),
              errc::plain_not_allowed);
    pkce::verifier_policy lax;
    lax.allow_plain_insecure = true;
    EXPECT_TRUE(pkce::verify_code_verifier(s, s, pkce::challenge_method::plain_insecure, lax));
    EXPECT_EQ(
        pkce::verify_code_verifier(s, other, pkce::challenge_method::plain_insecure, lax).code(),
        errc::mismatch);
}

TEST(Pkce, Methods) {
    EXPECT_EQ(pkce::parse_challenge_method("S256").value(), pkce::challenge_method::s256);
    EXPECT_EQ(pkce::parse_challenge_method("plain").value(),
              pkce::challenge_method::plain_insecure);
    for (const char* bad : {"s256", "SHA256", "", "S512", "PLAIN"})
        EXPECT_EQ(pkce::parse_challenge_method(bad).code(), errc::unsupported_method) << bad;
    EXPECT_EQ(pkce::to_string(pkce::challenge_method::s256), "S256");
    auto v = pkce::code_verifier::generate().value();
    const auto plain = v.plain_challenge_insecure().value();
    EXPECT_EQ(plain.size(), 43u);
}

TEST(Pkce, FailingRandomnessIsAnError) {
    class failing final : public obauth::random_generator {
    public:
        obauth::result<void> fill(unsigned char*, std::size_t) noexcept override {
            return obauth::core_errc::random_failure;
        }
    } rng;
    EXPECT_EQ(pkce::code_verifier::generate(rng).code(), obauth::core_errc::random_failure);
    EXPECT_EQ(pkce::code_verifier::generate(64, rng).code(), obauth::core_errc::random_failure);
}

} // namespace
