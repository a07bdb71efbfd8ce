#include <obauth/jose/jws_json.hpp>

#include "support/jose_support.hpp"
#include "support/test_data.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace {

namespace jose = obauth::jose;
using jose::algorithm;
using jose::errc;
using obauth::json;
using obauth::test::load_json;

using obauth::test::allow;

class JwsJson : public ::testing::Test {
protected:
    json v = load_json("rfc/rfc7515_A6_A7_json_serialization.json");
    jose::jwk rsa = jose::jwk_from_json(v["keys"]["2010-12-29"])->with_kid("2010-12-29").value();
    jose::jwk ec = jose::jwk_from_json(v["keys"]["e9bc097a-ce51-4036-9562-d2ade882db0d"])
                       ->with_kid("e9bc097a-ce51-4036-9562-d2ade882db0d")
                       .value();
    const std::string payload = "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n "
                                "\"http://example.com/is_root\":true}";
};

TEST_F(JwsJson, Rfc7515A6GeneralSerialization) {
    const std::string text = v["general"].dump();
    const auto by_rsa = jose::verify_json(text, rsa, allow({algorithm::RS256}));
    ASSERT_TRUE(by_rsa) << by_rsa.error();
    EXPECT_EQ(by_rsa->alg(), algorithm::RS256);
    EXPECT_EQ(by_rsa->payload(), payload);
    EXPECT_EQ(by_rsa->kid(), "2010-12-29");
    const auto by_ec = jose::verify_json(text, ec, allow({algorithm::ES256}));
    ASSERT_TRUE(by_ec) << by_ec.error();
    EXPECT_EQ(by_ec->alg(), algorithm::ES256);
    // With a key set, the unprotected kid selects the key.
    const jose::jwks set({rsa, ec});
    const auto r = jose::verify_json(text, set, allow({algorithm::ES256, algorithm::RS256}));
    ASSERT_TRUE(r) << r.error();
    // Algorithms outside the allow-list are not used.
    EXPECT_EQ(jose::verify_json(text, ec, allow({algorithm::PS256})).code(),
              errc::algorithm_not_allowed);
}

TEST_F(JwsJson, Rfc7515A7FlattenedSerialization) {
    const auto r = jose::verify_json(v["flattened"].dump(), ec, allow({algorithm::ES256}));
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->payload(), payload);
    EXPECT_EQ(r->unprotected_header()["kid"], "e9bc097a-ce51-4036-9562-d2ade882db0d");
    EXPECT_EQ(jose::verify_json(v["flattened"].dump(), rsa, allow({algorithm::ES256})).code(),
              errc::algorithm_key_mismatch);
}

TEST_F(JwsJson, HeadersMustBeDisjointAndAlgProtected) {
    json doc = v["flattened"];
    doc["header"]["alg"] = "ES256";
    EXPECT_EQ(jose::verify_json(doc.dump(), ec, allow({algorithm::ES256})).code(),
              errc::invalid_header);
    doc = v["flattened"];
    doc["header"]["crit"] = {"x"};
    EXPECT_EQ(jose::verify_json(doc.dump(), ec, allow({algorithm::ES256})).code(),
              errc::invalid_crit);
    doc = v["flattened"];
    doc["header"]["b64"] = false;
    EXPECT_EQ(jose::verify_json(doc.dump(), ec, allow({algorithm::ES256})).code(),
              errc::invalid_b64);
    // alg only in the unprotected header.
    doc = v["flattened"];
    doc["protected"] = obauth::base64url_encode(std::string(R"({"kid":"x"})"));
    doc["header"]["alg"] = "ES256";
    EXPECT_EQ(jose::verify_json(doc.dump(), ec, allow({algorithm::ES256})).code(),
              errc::invalid_header);
}

TEST_F(JwsJson, Malformed) {
    const auto opts = allow({algorithm::ES256});
    for (const std::string& text :
         {std::string("[]"), std::string("{}"), std::string(R"({"payload":"e30"})"),
          std::string(R"({"payload":"e30","signatures":[]})"),
          std::string(R"({"payload":"e30","signatures":{}})"),
          std::string(R"({"payload":1,"protected":"e30","signature":"AA"})"),
          std::string(R"({"payload":"e30","signatures":[1]})"),
          std::string(R"({"payload":"e30","protected":"e30","signature":"AA","signatures":[]})")}) {
        EXPECT_FALSE(jose::verify_json(text, ec, opts)) << text;
    }
    json many = v["general"];
    for (int i = 0; i < 20; ++i)
        many["signatures"].push_back(many["signatures"][1]);
    EXPECT_EQ(jose::verify_json(many.dump(), ec, opts).code(), errc::malformed);
}

TEST_F(JwsJson, SignAndVerifyEveryForm) {
    const auto a = jose::generate_key(algorithm::ES256, "a").value();
    const auto b = jose::generate_key(algorithm::EdDSA, "b").value();
    const std::string body = "payload text";
    // General, two signatures with unprotected headers.
    jose::jws_json_signer sa{&a, {}, {{"note", "first"}}};
    jose::jws_json_signer sb{&b, {}, json::object()};
    const auto general = jose::sign_json(body, {sa, sb});
    ASSERT_TRUE(general) << general.error();
    const auto ra = jose::verify_json(*general, a.public_key(), allow({algorithm::ES256}));
    ASSERT_TRUE(ra) << ra.error();
    EXPECT_EQ(ra->payload(), body);
    EXPECT_EQ(ra->unprotected_header()["note"], "first");
    EXPECT_TRUE(jose::verify_json(*general, b.public_key(), allow({algorithm::EdDSA})));
    // Flattened.
    const auto flat = jose::sign_json(body, {sa}, true);
    ASSERT_TRUE(flat);
    EXPECT_TRUE(obauth::parse_json(*flat)->contains("signature"));
    EXPECT_TRUE(jose::verify_json(*flat, a, allow({algorithm::ES256})));
    EXPECT_EQ(jose::sign_json(body, {sa, sb}, true).code(), errc::malformed);
    // Detached, unencoded.
    jose::jws_json_signer sd{&a, {}, json::object()};
    sd.options.b64 = false;
    sd.options.detached = true;
    const auto det = jose::sign_json(body, {sd});
    ASSERT_TRUE(det);
    EXPECT_FALSE(obauth::parse_json(*det)->contains("payload"));
    EXPECT_TRUE(jose::verify_json_detached(*det, body, a, allow({algorithm::ES256})));
    EXPECT_EQ(jose::verify_json_detached(*det, body + "!", a, allow({algorithm::ES256})).code(),
              errc::invalid_signature);
    EXPECT_EQ(jose::verify_json(*det, a, allow({algorithm::ES256})).code(), errc::malformed);
    // An empty "payload" member also means detached content; a non-empty one
    // does not.
    json with_empty = obauth::parse_json(*det).value();
    with_empty["payload"] = "";
    EXPECT_TRUE(jose::verify_json_detached(with_empty.dump(), body, a, allow({algorithm::ES256})));
    with_empty["payload"] = body;
    EXPECT_EQ(
        jose::verify_json_detached(with_empty.dump(), body, a, allow({algorithm::ES256})).code(),
        errc::malformed);
    // Unprotected names may not repeat protected ones.
    jose::jws_json_signer clash{&a, {}, {{"kid", "other"}}};
    EXPECT_EQ(jose::sign_json(body, {clash}).code(), errc::invalid_header);
    // b64 must agree.
    EXPECT_EQ(jose::sign_json(body, {sa, sd}).code(), errc::invalid_b64);
}

// Regression (issue 19, item 9): RFC 7797 §3 requires one b64 value for all
// signatures of a document. A document whose first signature has b64=true
// and whose second has b64=false was accepted, and its signed content
// ("hello" or "aGVsbG8") depended on which key verified it.
TEST_F(JwsJson, B64MustAgreeAcrossSignatures) {
    const auto a = jose::generate_key(algorithm::ES256, "a").value();
    const auto b = jose::generate_key(algorithm::ES256, "b").value();
    jose::jws_json_signer encoded{&a, {}, json::object()};
    jose::jws_json_signer raw{&b, {}, json::object()};
    raw.options.b64 = false;
    // "aGVsbG8" is both the base64url of "hello" and a valid raw payload.
    json doc = obauth::parse_json(jose::sign_json(std::string("hello"), {encoded}).value()).value();
    const json other =
        obauth::parse_json(jose::sign_json(std::string("aGVsbG8"), {raw}).value()).value();
    ASSERT_EQ(doc["payload"], other["payload"]);
    doc["signatures"].push_back(other["signatures"][0]);
    for (const auto* key : {&a, &b}) {
        const auto r = jose::verify_json(doc.dump(), *key, allow({algorithm::ES256}));
        ASSERT_FALSE(r);
        EXPECT_EQ(r.code(), errc::invalid_b64) << r.error();
    }
    // In the other order too, and with a key set.
    std::swap(doc["signatures"][0], doc["signatures"][1]);
    EXPECT_EQ(jose::verify_json(doc.dump(), jose::jwks({a, b}), allow({algorithm::ES256})).code(),
              errc::invalid_b64);
    // Agreeing signatures still verify, each with its own key.
    doc["signatures"].erase(1);
    EXPECT_TRUE(jose::verify_json(doc.dump(), b, allow({algorithm::ES256})));
}

// Regression (issue 19, item 11): kid() fell back to the unprotected header
// without saying so.
TEST_F(JwsJson, KidSaysWhichHeaderItCameFrom) {
    const auto general = v["general"].dump(); // kids in the unprotected headers
    const auto r = jose::verify_json(general, rsa, allow({algorithm::RS256}));
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->kid(), "2010-12-29");
    EXPECT_EQ(r->kid_location(), jose::header_location::unprotected_header);

    const auto key = jose::generate_key(algorithm::ES256, "in-protected").value();
    jose::jws_json_signer s{&key, {}, json::object()};
    const auto p = jose::verify_json(jose::sign_json(std::string("x"), {s}).value(), key,
                                     allow({algorithm::ES256}));
    ASSERT_TRUE(p) << p.error();
    EXPECT_EQ(p->kid(), "in-protected");
    EXPECT_EQ(p->kid_location(), jose::header_location::protected_header);

    s.options.include_kid = false;
    const auto none = jose::verify_json(jose::sign_json(std::string("x"), {s}).value(), key,
                                        allow({algorithm::ES256}));
    ASSERT_TRUE(none) << none.error();
    EXPECT_EQ(none->kid(), "");
    EXPECT_EQ(none->kid_location(), jose::header_location::absent);
}

TEST_F(JwsJson, TamperedPayloadFailsEverySignature) {
    json doc = v["general"];
    doc["payload"] = obauth::base64url_encode(payload + " ");
    const jose::jwks set({rsa, ec});
    EXPECT_EQ(
        jose::verify_json(doc.dump(), set, allow({algorithm::ES256, algorithm::RS256})).code(),
        errc::invalid_signature);
}

} // namespace
