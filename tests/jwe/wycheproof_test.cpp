// Wycheproof's JWE vectors (json_web_encryption_test.json): each test's
// JWE decrypted with its group's private key under an allow-list of every
// algorithm; valid ones must give the plaintext, invalid ones must fail.
#include <obauth/jwe/jwe.hpp>

#include <obauth/core/base64url.hpp>
#include <obauth/core/json.hpp>
#include <obauth/jose/jwk.hpp>

#include "jwe/jwe_support.hpp"
#include "support/test_data.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace {

using namespace obauth;
using obauth::test::load_json;
using obauth::test::str;
using obauth::test::jwe_support::allow_all;
using obauth::test::jwe_support::from_hex;

/// What obauth refuses on purpose where Wycheproof labels a JWE valid:
/// RSA1_5 (algorithm_left_out) and "zip" (compression_refused).
std::optional<jwe::errc> refused_on_purpose(const std::string& token) {
    const auto header = base64url_decode(token.substr(0, token.find('.')));
    if (!header)
        return std::nullopt;
    const auto h = parse_json(bytes_view(*header).as_chars());
    if (!h || !h->is_object())
        return std::nullopt;
    if (h->contains("zip"))
        return jwe::errc::compression_refused;
    if (h->value("alg", "") == "RSA1_5")
        return jwe::errc::algorithm_left_out;
    return std::nullopt;
}

TEST(JweWycheproof, EveryVectorAsLabelled) {
    const json v = load_json("wycheproof/json_web_encryption_test.json");
    std::size_t valid = 0, invalid = 0, refused = 0;
    for (const auto& g : v.at("testGroups")) {
        const auto key = jose::jwk_from_json(g.at("private"));
        for (const auto& t : g.at("tests")) {
            const std::string id =
                std::to_string(t.at("tcId").get<int>()) + " " + str(t, "comment");
            const std::string token = str(t, "jwe");
            const auto d = key ? jwe::decrypt_compact(token, *key, allow_all())
                               : obauth::result<jwe::decrypted_jwe>(key.error());
            if (str(t, "result") == "invalid") {
                ++invalid;
                EXPECT_FALSE(d) << id;
                continue;
            }
            ++valid;
            if (const auto why = refused_on_purpose(token)) {
                ++refused;
                ASSERT_FALSE(d) << id;
                EXPECT_EQ(d.error().code, *why) << id;
                continue;
            }
            EXPECT_TRUE(d) << id << ": " << d.error().to_string();
            if (d) {
                EXPECT_EQ(d->plaintext().expose_secret().to_bytes(), from_hex(str(t, "pt"))) << id;
            }
        }
    }
    EXPECT_EQ(valid + invalid, v.at("numberOfTests").get<std::size_t>());
    // Eight RSA1_5 JWEs and one compressed one: refused with their own
    // errors, as documented (README, jwe/algorithm.hpp).
    EXPECT_EQ(refused, 9u);
}

} // namespace
