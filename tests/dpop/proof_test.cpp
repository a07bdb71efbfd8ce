#include <obauth/dpop/proof.hpp>

#include <obauth/core/base64url.hpp>
#include <obauth/core/json.hpp>
#include <obauth/jose/jws_sign_options.hpp>
#include <obauth/jose/jwt.hpp>
#include <obauth/jose/jwt_claims.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace obauth;
using jose::algorithm;

const time_point signed_at = from_unix_seconds(1700000000);

json part(const std::string& jws, int index) {
    std::size_t from = 0;
    for (int i = 0; i < index; ++i)
        from = jws.find('.', from) + 1;
    const auto text = base64url_decode(jws.substr(from, jws.find('.', from) - from)).value();
    return parse_json(std::string(text.begin(), text.end())).value();
}

TEST(DpopProof, HeaderCarriesOnlyThePublicKey) {
    const auto key = jose::generate_key(algorithm::ES256, "my-kid").value();
    const auto proof =
        dpop::make_proof(key, {"POST", "https://as.example/token", {}, {}}, signed_at).value();
    const json header = part(proof, 0);
    EXPECT_EQ(header.at("typ"), "dpop+jwt");
    EXPECT_EQ(header.at("alg"), "ES256");
    EXPECT_FALSE(header.contains("kid"));
    const json& jwk = header.at("jwk");
    EXPECT_EQ(jwk.size(), 4u) << jwk.dump(); // kty, crv, x, y
    EXPECT_FALSE(jwk.contains("d"));
    EXPECT_FALSE(jwk.contains("kid"));
    EXPECT_EQ(jwk.at("kty"), "EC");
}

TEST(DpopProof, ClaimsNormaliseTheTargetAndBindTheToken) {
    const auto key = jose::generate_okp_key(jose::curve::ed25519).value();
    const auto proof =
        dpop::make_proof(key,
                         {"GET", "HTTPS://Resource.Example:443/accounts/../accounts?x=1#frag",
                          std::string_view("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"),
                          std::string_view("eyJ7S_zG.eyJH0-Z.HX4w-7v")},
                         signed_at)
            .value();
    EXPECT_EQ(part(proof, 0).at("alg"), "EdDSA");
    const json claims = part(proof, 1);
    EXPECT_EQ(claims.at("htm"), "GET");
    EXPECT_EQ(claims.at("htu"), "https://resource.example/accounts");
    EXPECT_EQ(claims.at("iat"), 1700000000);
    EXPECT_EQ(claims.at("nonce"), "eyJ7S_zG.eyJH0-Z.HX4w-7v");
    // RFC 9449 §7.1's example access token and its ath.
    EXPECT_EQ(claims.at("ath"), "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo");
    // 128 bits of jti, base64url.
    EXPECT_EQ(claims.at("jti").get<std::string>().size(), 22u);
    const auto again =
        dpop::make_proof(key, {"GET", "https://resource.example/accounts", {}, {}}, signed_at)
            .value();
    EXPECT_NE(part(again, 1).at("jti"), claims.at("jti"));
}

TEST(DpopProof, RefusesWhatCannotMakeAProof) {
    const auto ec = jose::generate_key(algorithm::ES256).value();
    const auto hmac = jose::generate_key(algorithm::HS256).value();
    EXPECT_EQ(dpop::make_proof(hmac, {"POST", "https://as.example/token", {}, {}}, signed_at)
                  .error()
                  .code,
              dpop::errc::invalid_options);
    EXPECT_EQ(
        dpop::make_proof(ec.public_key(), {"POST", "https://as.example/token", {}, {}}, signed_at)
            .error()
            .code,
        dpop::errc::invalid_options);
    EXPECT_EQ(
        dpop::make_proof(ec, {"POST", "ftp://as.example/token", {}, {}}, signed_at).error().code,
        dpop::errc::invalid_options);
    EXPECT_EQ(
        dpop::make_proof(ec, {"", "https://as.example/token", {}, {}}, signed_at).error().code,
        dpop::errc::invalid_options);
}

// A signer prepared once makes the same proofs as make_proof: the same
// header (its key, algorithm, typ), a fresh jti each time, verifiable with
// the public key; and it refuses what make_proof refuses.
TEST(DpopProof, SignerPreparedOnceMakesTheSameProofs) {
    const auto key = jose::generate_key(algorithm::PS256).value();
    const auto signer = dpop::proof_signer::create(key).value();
    EXPECT_EQ(signer.algorithm(), algorithm::PS256);
    const auto a = signer.sign({"POST", "https://as.example/token", {}, {}}, signed_at).value();
    const auto b = signer.sign({"POST", "https://as.example/token", {}, {}}, signed_at).value();
    const auto c =
        dpop::make_proof(key, {"POST", "https://as.example/token", {}, {}}, signed_at).value();
    EXPECT_EQ(part(a, 0), part(c, 0));
    EXPECT_EQ(part(a, 0).at("jwk").at("kty"), "RSA");
    EXPECT_FALSE(part(a, 0).at("jwk").contains("d"));
    EXPECT_NE(part(a, 1).at("jti"), part(b, 1).at("jti"));
    jose::jwt_validation v;
    v.require_exp = false;
    v.typ = "dpop+jwt";
    jose::jws_verify_options vo;
    vo.algorithms = {algorithm::PS256};
    EXPECT_TRUE(jose::verify_jwt(b, key.public_key(), vo, v, signed_at));

    EXPECT_EQ(dpop::proof_signer::create(key.public_key()).error().code,
              dpop::errc::invalid_options);
    EXPECT_EQ(dpop::proof_signer::create(key, algorithm::HS256).error().code,
              dpop::errc::algorithm_not_allowed);
    EXPECT_EQ(signer.sign({"", "https://as.example/token", {}, {}}, signed_at).error().code,
              dpop::errc::invalid_options);
}

} // namespace
