#include <obauth/jwe/jwe.hpp>

#include <obauth/core/base64url.hpp>
#include <obauth/core/json.hpp>
#include <obauth/jose/jwk.hpp>
#include <obauth/jose/jwks.hpp>

#include "jwe/jwe_support.hpp"
#include "support/jose_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace obauth;
using namespace obauth::jwe;
using obauth::test::jwe_support::allow_all;
using obauth::test::jwe_support::text;

const std::string message = R"({"sub":"alice","acr":"urn:openbanking:psd2:sca"})";

using obauth::test::as_encryption_key;

jose::jwk oct_key(std::size_t size, const std::string& kid, char fill = 'k') {
    const json j = {{"kty", "oct"},
                    {"kid", kid},
                    {"use", "enc"},
                    {"k", base64url_encode(bytes_view(std::string(size, fill)))}};
    return jose::jwk_from_json(j).value();
}

struct keys {
    jose::jwk rsa = as_encryption_key(jose::generate_key(jose::algorithm::RS256).value(), "rsa");
    jose::jwk p256 = as_encryption_key(jose::generate_key(jose::algorithm::ES256).value(), "p256");
    jose::jwk p384 = as_encryption_key(jose::generate_key(jose::algorithm::ES384).value(), "p384");
    jose::jwk p521 = as_encryption_key(jose::generate_key(jose::algorithm::ES512).value(), "p521");
    jose::jwk x25519 = jose::generate_okp_key(jose::curve::x25519, "x25519").value();
    jose::jwk x448 = jose::generate_okp_key(jose::curve::x448, "x448").value();
};

const keys& shared_keys() {
    static const keys k;
    return k;
}

/// Keys that fit `alg` with `enc` (the shared key's size depends on both).
std::vector<jose::jwk> keys_for(key_management alg, content_encryption enc) {
    const keys& k = shared_keys();
    switch (info(alg).family) {
    case key_family::rsa_oaep:
        return {k.rsa};
    case key_family::ecdh_es:
        return {k.p256, k.p384, k.p521, k.x25519, k.x448};
    case key_family::direct:
        return {oct_key(info(enc).cek_size, "dir")};
    default:
        return {oct_key(info(alg).kek_size, "kw")};
    }
}

std::string encrypt(const jose::jwk& key, key_management alg, content_encryption enc,
                    const std::string& plaintext = message) {
    encrypt_options o;
    o.alg = alg;
    o.enc = enc;
    auto t = encrypt_compact(bytes_view(plaintext), key, o);
    EXPECT_TRUE(t) << to_string(alg) << "/" << to_string(enc) << ": "
                   << (t ? "" : t.error().to_string());
    return t ? *t : std::string();
}

TEST(Jwe, EveryAlgorithmWithEveryEncryptionRoundTrips) {
    for (const auto& a : key_managements) {
        for (const auto& e : content_encryptions) {
            for (const auto& key : keys_for(a.alg, e.enc)) {
                const std::string token = encrypt(key, a.alg, e.enc);
                const auto d = decrypt_compact(token, key, allow_all());
                ASSERT_TRUE(d) << a.name << "/" << e.name << " " << key.kid() << ": "
                               << d.error().to_string();
                EXPECT_EQ(text(d->plaintext()), message);
                EXPECT_EQ(d->alg(), a.alg);
                EXPECT_EQ(d->enc(), e.enc);
                EXPECT_EQ(d->header().at("kid"), key.kid());
            }
        }
    }
}

TEST(Jwe, EmptyAndLargePlaintexts) {
    const auto& k = shared_keys();
    for (const std::string& p : {std::string(), std::string(1, 'x'), std::string(15, 'y'),
                                 std::string(16, 'z'), std::string(100'000, 'w')}) {
        for (auto enc : {content_encryption::A256GCM, content_encryption::A128CBC_HS256}) {
            const auto d = decrypt_compact(encrypt(k.p256, key_management::ECDH_ES_A256KW, enc, p),
                                           k.p256, allow_all());
            ASSERT_TRUE(d) << p.size() << ": " << d.error().to_string();
            EXPECT_EQ(text(d->plaintext()), p);
        }
    }
}

// Whatever is changed, the answer is the same error without detail: no
// oracle separates a bad tag, bad padding or a key that does not unwrap.
TEST(Jwe, EveryChangeIsTheSameFailure) {
    const auto& k = shared_keys();
    const std::vector<std::pair<jose::jwk, key_management>> cases = {
        {k.rsa, key_management::RSA_OAEP_256},
        {oct_key(16, "kw"), key_management::A128KW},
        {oct_key(32, "gcmkw"), key_management::A256GCMKW},
        {k.x25519, key_management::ECDH_ES_A128KW}};
    for (const auto& [key, alg] : cases) {
        for (auto enc : {content_encryption::A128GCM, content_encryption::A256CBC_HS512}) {
            const std::string token = encrypt(key, alg, enc);
            const auto first_dot = token.find('.');
            for (std::size_t i = first_dot + 1; i < token.size(); ++i) {
                if (token[i] == '.')
                    continue;
                std::string t = token;
                t[i] = t[i] == 'A' ? 'B' : 'A';
                const auto d = decrypt_compact(t, key, allow_all());
                // A change in the last character of a part may only touch
                // the unused bits: then it is not base64url (malformed).
                if (!d && d.error().code == errc::malformed)
                    continue;
                ASSERT_FALSE(d) << to_string(alg) << " position " << i;
                EXPECT_EQ(d.error().code, errc::decryption_failed) << to_string(alg) << " " << i;
                EXPECT_EQ(d.error().detail, "") << to_string(alg);
            }
        }
    }
}

TEST(Jwe, AnotherKeyOfTheSameKindFailsTheSameWay) {
    const auto& k = shared_keys();
    const jose::jwk other_rsa =
        as_encryption_key(jose::generate_key(jose::algorithm::RS256).value(), "rsa");
    const jose::jwk other_p256 =
        as_encryption_key(jose::generate_key(jose::algorithm::ES256).value(), "p256");
    const std::vector<std::tuple<jose::jwk, jose::jwk, key_management>> cases = {
        {k.rsa, other_rsa, key_management::RSA_OAEP},
        {k.p256, other_p256, key_management::ECDH_ES},
        {oct_key(24, "kw"), oct_key(24, "kw", 'j'), key_management::A192KW},
        {oct_key(32, "dir"), oct_key(32, "dir", 'j'), key_management::dir}};
    for (const auto& [to, with, alg] : cases) {
        const auto d =
            decrypt_compact(encrypt(to, alg, content_encryption::A128CBC_HS256), with, allow_all());
        ASSERT_FALSE(d) << to_string(alg);
        EXPECT_EQ(d.error().code, errc::decryption_failed) << to_string(alg);
    }
}

/// A token whose protected header is `header` (the rest from a real token).
std::string with_header(const std::string& token, const json& header) {
    return base64url_encode(bytes_view(header.dump())) + token.substr(token.find('.'));
}

TEST(Jwe, HeaderRefusals) {
    const jose::jwk key = oct_key(16, "kw");
    const std::string token = encrypt(key, key_management::A128KW, content_encryption::A128GCM);
    const json good = {{"alg", "A128KW"}, {"enc", "A128GCM"}, {"kid", "kw"}};
    auto code = [&](const json& h, decrypt_options o = allow_all()) {
        const auto d = decrypt_compact(with_header(token, h), key, o);
        return d ? errc{} : static_cast<errc>(d.error().code.value());
    };
    auto changed = [&](const char* name, const json& value) {
        json h = good;
        h[name] = value;
        return h;
    };
    EXPECT_EQ(code(changed("zip", "DEF")), errc::compression_refused);
    EXPECT_EQ(code(changed("alg", "RSA1_5")), errc::algorithm_left_out);
    EXPECT_EQ(code(changed("alg", "PBES2-HS256+A128KW")), errc::algorithm_left_out);
    EXPECT_EQ(code(changed("alg", "none")), errc::unsupported_algorithm);
    EXPECT_EQ(code(changed("enc", "A128CBC")), errc::unsupported_algorithm);
    EXPECT_EQ(code(changed("alg", 7)), errc::invalid_header);
    EXPECT_EQ(code(json{{"alg", "A128KW"}}), errc::invalid_header);
    EXPECT_EQ(code(changed("kid", json::array())), errc::invalid_header);
    EXPECT_EQ(code(changed("cty", 1)), errc::invalid_header);
    EXPECT_EQ(code(changed("crit", {"exp"})), errc::unsupported_critical);
    EXPECT_EQ(code(changed("crit", {"alg"})), errc::invalid_header);
    EXPECT_EQ(code(changed("crit", json::array())), errc::invalid_header);
    decrypt_options understood = allow_all();
    understood.critical = {"exp"};
    EXPECT_EQ(code(changed("crit", {"exp"}), understood), errc::invalid_header); // absent
    // Allowed by name only: a header that names another algorithm is refused
    // before any key is touched.
    decrypt_options narrow;
    narrow.algorithms = {key_management::RSA_OAEP_256};
    narrow.encryptions = {content_encryption::A128GCM};
    EXPECT_EQ(code(good, narrow), errc::algorithm_not_allowed);
    narrow.algorithms = {key_management::A128KW};
    narrow.encryptions = {content_encryption::A256GCM};
    EXPECT_EQ(code(good, narrow), errc::algorithm_not_allowed);
    EXPECT_EQ(code(good, decrypt_options{}), errc::invalid_options);
    // The header as received is the AAD: any change, even one the reader
    // accepts, fails the tag.
    EXPECT_EQ(code(changed("typ", "JWT")), errc::decryption_failed);
}

TEST(Jwe, HostileShapes) {
    const jose::jwk key = oct_key(16, "kw");
    const std::string token = encrypt(key, key_management::A128KW, content_encryption::A128GCM);
    decrypt_options small = allow_all();
    small.max_token_size = 64;
    EXPECT_EQ(decrypt_compact(token, key, small).error().code, errc::too_large);
    for (const std::string& t :
         {std::string(), std::string("...."), std::string("a.b.c.d"), token + ".x",
          token.substr(0, token.rfind('.')), "e30" + token.substr(token.find('.')),
          "W10" + token.substr(token.find('.')), "!!" + token.substr(token.find('.')),
          token.substr(0, token.find('.') + 1) + "*" + token.substr(token.find('.') + 1)}) {
        const auto d = decrypt_compact(t, key, allow_all());
        ASSERT_FALSE(d) << t;
        EXPECT_TRUE(d.error().code == errc::malformed || d.error().code == errc::invalid_header)
            << t << ": " << d.error().to_string();
    }
    // An encrypted key where dir needs none, and none where key wrap needs one.
    const jose::jwk dir = oct_key(16, "dir");
    std::string d = encrypt(dir, key_management::dir, content_encryption::A128GCM);
    d.insert(d.find('.') + 1, "AAAA");
    EXPECT_EQ(decrypt_compact(d, dir, allow_all()).error().code, errc::invalid_header);
    std::string w = token;
    w.erase(w.find('.') + 1, w.find('.', w.find('.') + 1) - w.find('.') - 1);
    EXPECT_EQ(decrypt_compact(w, key, allow_all()).error().code, errc::invalid_header);
}

TEST(Jwe, KeysMustFitTheAlgorithm) {
    const auto& k = shared_keys();
    auto enc_code = [](const jose::jwk& key, key_management alg) {
        encrypt_options o;
        o.alg = alg;
        const auto t = encrypt_compact(bytes_view(message), key, o);
        return t ? errc{} : static_cast<errc>(t.error().code.value());
    };
    EXPECT_EQ(enc_code(k.rsa, key_management::A128KW), errc::key_mismatch);
    EXPECT_EQ(enc_code(k.p256, key_management::RSA_OAEP), errc::key_mismatch);
    EXPECT_EQ(enc_code(oct_key(16, "x"), key_management::A256KW), errc::key_mismatch);
    EXPECT_EQ(enc_code(oct_key(16, "x"), key_management::dir), errc::key_mismatch); // A256GCM
    // A signing key (pinned to a signature algorithm) never encrypts.
    EXPECT_EQ(
        enc_code(jose::generate_key(jose::algorithm::RS256).value(), key_management::RSA_OAEP_256),
        errc::key_mismatch);
    // use and key_ops.
    json sig = parse_json(k.rsa.to_public_json().dump()).value();
    sig["use"] = "sig";
    EXPECT_EQ(enc_code(jose::jwk_from_json(sig).value(), key_management::RSA_OAEP),
              errc::key_mismatch);
    json ops = parse_json(k.rsa.to_public_json().dump()).value();
    ops.erase("use");
    ops["key_ops"] = {"unwrapKey"};
    EXPECT_EQ(enc_code(jose::jwk_from_json(ops).value(), key_management::RSA_OAEP),
              errc::key_mismatch);
    ops["key_ops"] = {"wrapKey"};
    EXPECT_EQ(enc_code(jose::jwk_from_json(ops).value(), key_management::RSA_OAEP), errc{});
    // The key's own "alg" decides.
    json pinned = parse_json(k.rsa.to_public_json().dump()).value();
    pinned["alg"] = "RSA-OAEP-256";
    const jose::jwk oaep256 = jose::jwk_from_json(pinned).value();
    EXPECT_EQ(oaep256.jwe_alg(), std::optional<std::string>("RSA-OAEP-256"));
    EXPECT_EQ(enc_code(oaep256, key_management::RSA_OAEP), errc::key_mismatch);
    EXPECT_EQ(enc_code(oaep256, key_management::RSA_OAEP_256), errc{});
    // Decrypting needs the private key.
    const std::string t = encrypt(k.rsa, key_management::RSA_OAEP, content_encryption::A128GCM);
    EXPECT_EQ(decrypt_compact(t, k.rsa.public_key(), allow_all()).error().code, errc::key_mismatch);
}

TEST(Jwe, EphemeralKeysAreChecked) {
    const auto& k = shared_keys();
    auto with_epk = [](const std::string& token, const json& epk) {
        const auto dot = token.find('.');
        json h =
            parse_json(
                base64url_decode(token.substr(0, dot)).value().data() == nullptr
                    ? std::string()
                    : std::string(
                          bytes_view(base64url_decode(token.substr(0, dot)).value()).as_chars()))
                .value();
        h["epk"] = epk;
        return base64url_encode(bytes_view(h.dump())) + token.substr(dot);
    };
    const std::string p256 = encrypt(k.p256, key_management::ECDH_ES, content_encryption::A128GCM);
    const std::string x25519 =
        encrypt(k.x25519, key_management::ECDH_ES, content_encryption::A128GCM);
    auto code = [](const std::string& t, const jose::jwk& key) {
        const auto d = decrypt_compact(t, key, allow_all());
        return d ? errc{} : static_cast<errc>(d.error().code.value());
    };
    // Another curve, another key type, a private key, a point off the curve,
    // a small-order X25519 point (all-zero shared secret), no epk at all.
    json p384 = k.p384.to_public_json();
    p384.erase("kid");
    p384.erase("use");
    EXPECT_EQ(code(with_epk(p256, p384), k.p256), errc::invalid_header);
    json okp = k.x25519.to_public_json();
    EXPECT_EQ(code(with_epk(p256, okp), k.p256), errc::invalid_header);
    const json priv =
        parse_json(k.p256.export_private_json().value().expose_secret().as_chars()).value();
    EXPECT_EQ(code(with_epk(p256, priv), k.p256), errc::invalid_header);
    json off = k.p256.to_public_json();
    std::string y = off.at("y").get<std::string>();
    y[5] = y[5] == 'A' ? 'B' : 'A';
    off["y"] = y;
    EXPECT_EQ(code(with_epk(p256, off), k.p256), errc::invalid_header);
    const json zero = {{"kty", "OKP"},
                       {"crv", "X25519"},
                       {"x", base64url_encode(bytes_view(std::string(32, '\0')))}};
    EXPECT_EQ(code(with_epk(x25519, zero), k.x25519), errc::invalid_header);
    EXPECT_EQ(code(with_epk(x25519, "not a key"), k.x25519), errc::invalid_header);
}

TEST(Jwe, KeySetsSelectByKid) {
    const auto& k = shared_keys();
    const jose::jwks set(std::vector<jose::jwk>{k.rsa, k.p256, k.x25519, oct_key(16, "kw")});
    for (const jose::jwk& key : {k.rsa, k.p256, k.x25519}) {
        const auto alg = key.type() == jose::key_type::rsa ? key_management::RSA_OAEP_256
                                                           : key_management::ECDH_ES_A128KW;
        const auto d =
            decrypt_compact(encrypt(key, alg, content_encryption::A256GCM), set, allow_all());
        ASSERT_TRUE(d) << key.kid() << ": " << d.error().to_string();
        EXPECT_EQ(text(d->plaintext()), message);
    }
    // An unknown kid, and no kid with two keys that fit.
    encrypt_options o;
    o.alg = key_management::ECDH_ES;
    const jose::jwk stranger = jose::generate_okp_key(jose::curve::x25519, "stranger").value();
    EXPECT_EQ(
        decrypt_compact(encrypt_compact(bytes_view(message), stranger, o).value(), set, allow_all())
            .error()
            .code,
        errc::key_not_found);
    o.include_kid = false;
    const jose::jwks two(std::vector<jose::jwk>{
        stranger, jose::generate_okp_key(jose::curve::x25519, "other").value()});
    const std::string anonymous = encrypt_compact(bytes_view(message), stranger, o).value();
    EXPECT_EQ(decrypt_compact(anonymous, two, allow_all()).error().code, errc::key_not_found);
    decrypt_options all = allow_all();
    all.try_all_keys = true;
    const auto d = decrypt_compact(anonymous, two, all);
    ASSERT_TRUE(d) << d.error().to_string();
    EXPECT_EQ(text(d->plaintext()), message);
}

// The recipient's derivation contexts are kept per thread (8 keys): more
// keys than that, keys that come and go, and threads of their own all
// decrypt with the right key.
TEST(Jwe, DerivationContextsFollowTheirKeys) {
    std::vector<jose::jwk> keys;
    std::vector<std::string> tokens;
    for (int i = 0; i < 11; ++i) {
        keys.push_back(
            jose::generate_okp_key(jose::curve::x25519, "k" + std::to_string(i)).value());
        tokens.push_back(encrypt(keys.back(), key_management::ECDH_ES, content_encryption::A128GCM,
                                 "to " + std::to_string(i)));
    }
    for (int round = 0; round < 2; ++round) {
        for (std::size_t i = 0; i < keys.size(); ++i) {
            const auto d = decrypt_compact(tokens[i], keys[i], allow_all());
            ASSERT_TRUE(d) << i << ": " << d.error().to_string();
            EXPECT_EQ(text(d->plaintext()), "to " + std::to_string(i));
            // Another key never opens it, cached or not.
            EXPECT_FALSE(decrypt_compact(tokens[i], keys[(i + 1) % keys.size()], allow_all()));
        }
    }
    for (int i = 0; i < 20; ++i) { // keys made and dropped: a new key is never mistaken
        const jose::jwk k = jose::generate_okp_key(jose::curve::x25519, "k0").value();
        ASSERT_TRUE(decrypt_compact(
            encrypt(k, key_management::ECDH_ES, content_encryption::A128GCM), k, allow_all()));
        EXPECT_FALSE(decrypt_compact(tokens[0], k, allow_all()));
    }
    std::vector<std::thread> threads;
    std::atomic<int> opened{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (std::size_t i = 0; i < keys.size(); ++i)
                if (decrypt_compact(tokens[i], keys[i], allow_all()))
                    ++opened;
        });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(opened.load(), 4 * static_cast<int>(keys.size()));
}

} // namespace
