#include <obauth/assertion/assertion_verifier.hpp>

#include <obauth/assertion/client_assertion.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace jose = obauth::jose;
namespace assertion = obauth::assertion;
using jose::algorithm;
using obauth::json;
using namespace std::chrono_literals;

const obauth::time_point t0 = obauth::from_unix_seconds(1700000000);
const std::int64_t s0 = 1700000000;

class Verifier : public ::testing::Test {
protected:
    jose::jwk key = jose::generate_key(algorithm::ES256, "k1").value();
    jose::jwks registered{std::vector<jose::jwk>{key.public_key()}};
    assertion::jti_replay_cache cache{1000};
    assertion::assertion_policy policy = [] {
        assertion::assertion_policy p;
        p.client_id = "client-42";
        p.audiences = {"https://as.example", "https://as.example/token"};
        return p;
    }();
    json claims = {{"iss", "client-42"},
                   {"sub", "client-42"},
                   {"aud", "https://as.example"},
                   {"jti", "jti-0001-aaaaaaaaaaaa"},
                   {"iat", s0},
                   {"exp", s0 + 60}};

    obauth::result<assertion::verified_client_assertion> check(const json& c,
                                                               obauth::time_point now = t0 + 5s) {
        const auto jwt = jose::sign_jwt(c, key).value();
        return assertion::verify_client_assertion(jwt, registered, policy, cache, now);
    }
    // Each probe gets a fresh jti, so the replay cache stays out of the way.
    json fresh() {
        json c = claims;
        c["jti"] = "probe-jti-" + std::to_string(++probes_);
        return c;
    }
    std::error_code with(const char* name, const json& value) {
        json c = fresh();
        c[name] = value;
        return check(c).code();
    }
    std::error_code without(const char* name) {
        json c = fresh();
        c.erase(name);
        return check(c).code();
    }

private:
    int probes_ = 0;

protected:
};

TEST_F(Verifier, RoundTripForEveryAsymmetricAlgorithm) {
    for (const algorithm a : jose::all_algorithms) {
        if (jose::family(a) == jose::algorithm_family::hmac)
            continue;
        const auto k = jose::generate_key(a, "kid-" + std::string(jose::to_string(a))).value();
        assertion::assertion_options o;
        o.client_id = "client-42";
        o.audience = {"https://as.example"};
        const auto made = assertion::make_private_key_jwt(k, o, t0);
        ASSERT_TRUE(made) << jose::to_string(a);
        const jose::jwks keys({k.public_key()});
        const auto v = assertion::verify_client_assertion(made->jwt, keys, policy, cache, t0 + 1s);
        ASSERT_TRUE(v) << jose::to_string(a) << ": " << v.error();
        EXPECT_EQ(v->client_id(), "client-42");
        EXPECT_EQ(v->jti(), made->jti);
        EXPECT_EQ(v->alg(), a);
        EXPECT_EQ(v->expires_at(), t0 + 60s);
    }
}

TEST_F(Verifier, ClientSecretJwtForEveryHmacAlgorithm) {
    const obauth::secret client_secret(obauth::bytes_view(std::string(64, 'z')));
    auto p = policy;
    p.algorithms = jose::algorithm_set{algorithm::HS256, algorithm::HS384, algorithm::HS512};
    for (const algorithm a : {algorithm::HS256, algorithm::HS384, algorithm::HS512}) {
        assertion::assertion_options o;
        o.client_id = "client-42";
        o.audience = {"https://as.example/token"};
        const auto made = assertion::make_client_secret_jwt(client_secret, a, o, t0).value();
        const jose::jwks keys({jose::make_hmac_key(client_secret.clone(), a).value()});
        const auto v = assertion::verify_client_assertion(made.jwt, keys, p, cache, t0);
        ASSERT_TRUE(v) << jose::to_string(a) << ": " << v.error();
    }
}

TEST_F(Verifier, EachClaimMissingOrWrong) {
    EXPECT_TRUE(check(claims));
    EXPECT_EQ(without("iss"), jose::errc::missing_claim);
    EXPECT_EQ(with("iss", "client-43"), jose::errc::issuer_mismatch);
    EXPECT_EQ(without("sub"), jose::errc::missing_claim);
    EXPECT_EQ(with("sub", "user-1"), jose::errc::subject_mismatch);
    EXPECT_EQ(without("aud"), jose::errc::missing_claim);
    EXPECT_EQ(with("aud", "https://other.example"), jose::errc::audience_mismatch);
    EXPECT_EQ(with("aud", json::array({"https://x.example", "https://as.example/token"})),
              std::error_code());
    EXPECT_EQ(without("exp"), jose::errc::missing_claim);
    EXPECT_EQ(without("jti"), assertion::errc::missing_jti);
    EXPECT_EQ(with("jti", ""), assertion::errc::missing_jti);
    EXPECT_EQ(with("jti", std::string(300, 'j')), assertion::errc::missing_jti);
    EXPECT_EQ(with("jti", 5), jose::errc::invalid_claim);
    EXPECT_EQ(with("exp", "soon"), jose::errc::invalid_claim);
}

TEST_F(Verifier, TimeRules) {
    EXPECT_EQ(check(claims, t0 + 100s).code(), jose::errc::expired);
    EXPECT_EQ(with("nbf", s0 + 120), jose::errc::not_yet_valid);
    EXPECT_EQ(with("iat", s0 + 120), jose::errc::issued_in_future);
    // Too long-lived: exp - iat over the maximum (300 s by default).
    json c = claims;
    c["jti"] = "long-lived-jti-00000001";
    c["exp"] = s0 + 3600;
    EXPECT_EQ(check(c).code(), jose::errc::lifetime_too_long);
    c.erase("iat"); // without iat, measured from now
    EXPECT_EQ(check(c).code(), jose::errc::lifetime_too_long);
    c["exp"] = s0 + 200;
    EXPECT_TRUE(check(c));
}

TEST_F(Verifier, ReplayWithinAndAfterExpiry) {
    const auto jwt = jose::sign_jwt(claims, key).value();
    EXPECT_TRUE(assertion::verify_client_assertion(jwt, registered, policy, cache, t0 + 1s));
    EXPECT_EQ(assertion::verify_client_assertion(jwt, registered, policy, cache, t0 + 2s).code(),
              assertion::errc::replayed);
    // Within the leeway after exp the token is still acceptable, so still a replay.
    EXPECT_EQ(assertion::verify_client_assertion(jwt, registered, policy, cache, t0 + 80s).code(),
              assertion::errc::replayed);
    // After exp + leeway it is refused as expired, and the cache has let go.
    EXPECT_EQ(assertion::verify_client_assertion(jwt, registered, policy, cache, t0 + 91s).code(),
              jose::errc::expired);
    json fresh = claims;
    fresh["jti"] = "other-jti-000000000001";
    fresh["iat"] = s0 + 100;
    fresh["exp"] = s0 + 160;
    EXPECT_TRUE(check(fresh, t0 + 101s));
    EXPECT_EQ(cache.size(), 1u);
}

TEST_F(Verifier, SignedByAnotherKey) {
    const auto other = jose::generate_key(algorithm::ES256, "k1").value(); // same kid
    const auto jwt = jose::sign_jwt(claims, other).value();
    EXPECT_EQ(assertion::verify_client_assertion(jwt, registered, policy, cache, t0).code(),
              jose::errc::invalid_signature);
    const auto unknown = jose::generate_key(algorithm::ES256, "k2").value();
    EXPECT_EQ(assertion::verify_client_assertion(jose::sign_jwt(claims, unknown).value(),
                                                 registered, policy, cache, t0)
                  .code(),
              jose::errc::key_not_found);
    EXPECT_EQ(cache.size(), 0u); // failures leave no trace in the replay cache
}

TEST_F(Verifier, FapiPresetRefusesRs256) {
    const auto rsa = jose::generate_key(algorithm::RS256, "rsa").value();
    const jose::jwks keys({rsa.public_key()});
    const auto fapi = assertion::assertion_policy::fapi("client-42", {"https://as.example"});
    const auto jwt = jose::sign_jwt(claims, rsa).value();
    EXPECT_EQ(assertion::verify_client_assertion(jwt, keys, fapi, cache, t0).code(),
              jose::errc::algorithm_not_allowed);
    const auto ps = rsa.with_alg(algorithm::PS256);
    ASSERT_FALSE(ps); // pinned to RS256
    const auto ps_key = jose::generate_key(algorithm::PS256, "ps").value();
    const jose::jwks ps_keys({ps_key.public_key()});
    EXPECT_TRUE(assertion::verify_client_assertion(jose::sign_jwt(claims, ps_key).value(), ps_keys,
                                                   fapi, cache, t0));
}

TEST_F(Verifier, HmacAssertionWhenOnlyAsymmetricKeysAreRegistered) {
    // An attacker who knows, say, the client's public key text tries
    // client_secret_jwt against a client registered with asymmetric keys.
    const std::string pub_text = key.to_public_json().dump();
    const auto mac =
        jose::make_hmac_key(obauth::secret(obauth::bytes_view(pub_text)), algorithm::HS256)
            .value()
            .with_kid("k1")
            .value();
    const auto jwt = jose::sign_jwt(claims, mac).value();
    EXPECT_EQ(assertion::verify_client_assertion(jwt, registered, policy, cache, t0).code(),
              jose::errc::algorithm_not_allowed);
    auto lax = policy;
    lax.algorithms.insert(algorithm::HS256);
    EXPECT_EQ(assertion::verify_client_assertion(jwt, registered, lax, cache, t0).code(),
              jose::errc::key_not_found);
}

TEST_F(Verifier, ExplicitTyping) {
    policy.typ = "client-authentication+jwt";
    EXPECT_EQ(check(claims).code(), jose::errc::type_mismatch);
    jose::jws_sign_options so;
    so.typ = "client-authentication+jwt";
    json c = claims;
    c["jti"] = "typed-jti-000000000001";
    const auto jwt = jose::sign_jwt(c, key, so).value();
    EXPECT_TRUE(assertion::verify_client_assertion(jwt, registered, policy, cache, t0));
}

TEST_F(Verifier, ConcurrentVerificationSharesTheReplayCache) {
    // Each assertion is sent from 4 threads at once: exactly one must win.
    constexpr int count = 50;
    std::vector<std::string> jwts;
    assertion::assertion_options o;
    o.client_id = "client-42";
    o.audience = {"https://as.example"};
    for (int i = 0; i < count; ++i)
        jwts.push_back(assertion::make_private_key_jwt(key, o, t0)->jwt);
    std::atomic<int> accepted{0}, replayed{0}, other{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (const auto& jwt : jwts) {
                const auto r =
                    assertion::verify_client_assertion(jwt, registered, policy, cache, t0);
                if (r)
                    ++accepted;
                else if (r.code() == assertion::errc::replayed)
                    ++replayed;
                else
                    ++other;
            }
        });
    for (auto& th : threads)
        th.join();
    EXPECT_EQ(accepted.load(), count);
    EXPECT_EQ(replayed.load(), 3 * count);
    EXPECT_EQ(other.load(), 0);
}

TEST_F(Verifier, PolicyNeedsClientAndAudience) {
    policy.audiences.clear();
    EXPECT_EQ(check(claims).code(), assertion::errc::invalid_options);
}

} // namespace
