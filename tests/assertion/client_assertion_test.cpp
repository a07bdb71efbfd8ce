#include <obauth/assertion/client_assertion.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

namespace jose = obauth::jose;
namespace assertion = obauth::assertion;
using jose::algorithm;
using namespace std::chrono_literals;

const obauth::time_point now = obauth::from_unix_seconds(1700000000);

assertion::assertion_options options() {
    assertion::assertion_options o;
    o.client_id = "client-42";
    o.audience = {"https://as.example"};
    return o;
}

obauth::json claims_of(const std::string& jwt) {
    const auto dot1 = jwt.find('.');
    const auto dot2 = jwt.find('.', dot1 + 1);
    return obauth::parse_json(
               obauth::base64url_decode_to_string(jwt.substr(dot1 + 1, dot2 - dot1 - 1)).value())
        .value();
}
obauth::json header_of(const std::string& jwt) {
    return obauth::parse_json(
               obauth::base64url_decode_to_string(jwt.substr(0, jwt.find('.'))).value())
        .value();
}

TEST(ClientAssertion, PrivateKeyJwtClaims) {
    const auto key = jose::generate_key(algorithm::PS256, "client-key-1").value();
    const auto a = assertion::make_private_key_jwt(key, options(), now);
    ASSERT_TRUE(a) << a.error();
    const auto c = claims_of(a->jwt);
    EXPECT_EQ(c["iss"], "client-42");
    EXPECT_EQ(c["sub"], "client-42");
    EXPECT_EQ(c["aud"], "https://as.example");
    EXPECT_EQ(c["iat"], 1700000000);
    EXPECT_EQ(c["exp"], 1700000060);
    EXPECT_FALSE(c.contains("nbf"));
    EXPECT_EQ(c["jti"], a->jti);
    EXPECT_GE(a->jti.size(), 22u); // 16 octets = 128 bits
    EXPECT_EQ(a->expires_at, now + 60s);
    const auto h = header_of(a->jwt);
    EXPECT_EQ(h["alg"], "PS256");
    EXPECT_EQ(h["kid"], "client-key-1");
    const auto form = a->form_parameters();
    ASSERT_EQ(form.size(), 2u);
    EXPECT_EQ(form[0].first, "client_assertion_type");
    EXPECT_EQ(form[0].second, "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    EXPECT_EQ(form[1].second, a->jwt);
}

TEST(ClientAssertion, Options) {
    const auto key = jose::generate_key(algorithm::ES256).value();
    auto o = options();
    o.audience = {"https://as.example", "https://as.example/token"};
    o.lifetime = 30s;
    o.include_nbf = true;
    o.typ = "client-authentication+jwt";
    o.jti_octets = 32;
    o.extra_claims = {{"purpose", "token"}};
    const auto a = assertion::make_private_key_jwt(key, o, now).value();
    const auto c = claims_of(a.jwt);
    EXPECT_TRUE(c["aud"].is_array());
    EXPECT_EQ(c["exp"], 1700000030);
    EXPECT_EQ(c["nbf"], 1700000000);
    EXPECT_EQ(c["purpose"], "token");
    EXPECT_EQ(a.jti.size(), 43u);
    EXPECT_EQ(header_of(a.jwt)["typ"], "client-authentication+jwt");
    // Every assertion gets a fresh jti.
    EXPECT_NE(assertion::make_private_key_jwt(key, o, now)->jti, a.jti);
}

TEST(ClientAssertion, InvalidOptions) {
    const auto key = jose::generate_key(algorithm::ES256).value();
    auto o = options();
    o.client_id.clear();
    EXPECT_EQ(assertion::make_private_key_jwt(key, o, now).code(),
              assertion::errc::invalid_options);
    o = options();
    o.audience.clear();
    EXPECT_EQ(assertion::make_private_key_jwt(key, o, now).code(),
              assertion::errc::invalid_options);
    o.audience = {""};
    EXPECT_EQ(assertion::make_private_key_jwt(key, o, now).code(),
              assertion::errc::invalid_options);
    o = options();
    o.lifetime = 0s;
    EXPECT_EQ(assertion::make_private_key_jwt(key, o, now).code(),
              assertion::errc::invalid_options);
    o.lifetime = 2h;
    EXPECT_EQ(assertion::make_private_key_jwt(key, o, now).code(),
              assertion::errc::invalid_options);
    o = options();
    o.jti_octets = 8;
    EXPECT_EQ(assertion::make_private_key_jwt(key, o, now).code(),
              assertion::errc::invalid_options);
    o = options();
    o.extra_claims = {{"iss", "someone-else"}};
    EXPECT_EQ(assertion::make_private_key_jwt(key, o, now).code(), jose::errc::invalid_claim);
}

TEST(ClientAssertion, KeyTypesFitTheMethod) {
    const auto hmac = jose::generate_key(algorithm::HS256).value();
    EXPECT_EQ(assertion::make_private_key_jwt(hmac, options(), now).code(),
              assertion::errc::wrong_key_type);
    const obauth::secret s(obauth::bytes_view(std::string(32, 's')));
    EXPECT_EQ(assertion::make_client_secret_jwt(s, algorithm::RS256, options(), now).code(),
              assertion::errc::wrong_key_type);
    // A client secret shorter than the hash output is refused (RFC 7518 §3.2).
    const obauth::secret short_secret(obauth::bytes_view(std::string(20, 's')));
    EXPECT_EQ(
        assertion::make_client_secret_jwt(short_secret, algorithm::HS256, options(), now).code(),
        jose::errc::weak_key);
    EXPECT_EQ(assertion::make_client_secret_jwt(s, algorithm::HS512, options(), now).code(),
              jose::errc::weak_key);
    const auto ok = assertion::make_client_secret_jwt(s, algorithm::HS256, options(), now);
    ASSERT_TRUE(ok);
    EXPECT_EQ(header_of(ok->jwt)["alg"], "HS256");
    // A public key cannot sign.
    const auto pub = jose::generate_key(algorithm::ES256)->public_key();
    EXPECT_EQ(assertion::make_private_key_jwt(pub, options(), now).code(),
              jose::errc::private_key_required);
}

TEST(ClientAssertion, FailingRandomness) {
    class failing final : public obauth::random_generator {
    public:
        obauth::result<void> fill(unsigned char*, std::size_t) noexcept override {
            return obauth::core_errc::random_failure;
        }
    } rng;
    const auto key = jose::generate_key(algorithm::ES256).value();
    EXPECT_EQ(assertion::make_private_key_jwt(key, options(), now, std::nullopt, rng).code(),
              obauth::core_errc::random_failure);
}

} // namespace
