// Decrypting a nested JWT (an encrypted ID token: a 1 KB ES256-signed JWT,
// then encrypted) beside the bare OpenSSL operations it cannot avoid, in
// the same run:
//   RSA-OAEP-256 + A256GCM: the CEK decrypted with the RSA key, AES-256-GCM,
//   the ES256 signature;
//   ECDH-ES+A256KW (P-256) + A256GCM: the ephemeral public key imported from
//   its coordinates, ECDH, the Concat KDF (SHA-256), AES key unwrap,
//   AES-256-GCM, the ES256 signature.
// The ceilings reuse contexts and have every input decoded beforehand, and
// decrypt with a key object of their own (a copy: OpenSSL refreshes an RSA
// key object's blinding every 32 private-key operations, which a shared key
// put on one side of a paired run).
//
// Names: jwe/<alg>+A256GCM/decrypt-nested/<obauth|ceiling|paired> (paired:
// both in alternating blocks, the ratio the target is checked against).
#include "alloc_counter.hpp"
#include "ceiling.hpp"
#include "paired.hpp"
#include "setup_failure.hpp"

#include <obauth/core/base64url.hpp>
#include <obauth/core/json.hpp>
#include <obauth/jose/jwk.hpp>
#include <obauth/jose/key_access.hpp>
#include <obauth/jwe/nested.hpp>

#include <benchmark/benchmark.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

namespace jwe_bench {

namespace jose = obauth::jose;
namespace jwe = obauth::jwe;
using obauth::bytes;
using obauth::json;

const obauth::time_point now = obauth::from_unix_seconds(1900000010);

void ok(int rc) {
    if (rc != 1)
        bench::setup_failed("OpenSSL call failed in the ceiling");
}

bytes b64(std::string_view s) {
    return bench::value_or_fail(obauth::base64url_decode(s), "base64url");
}

jose::jwk encryption_key(jose::algorithm a, const char* jwe_alg) {
    const auto k = bench::value_or_fail(jose::generate_key(a), "key");
    json j = bench::value_or_fail(
        obauth::parse_json(
            bench::value_or_fail(k.export_private_json(), "export").expose_secret().as_chars()),
        "json");
    j["alg"] = jwe_alg;
    j["use"] = "enc";
    j["kid"] = "client-enc";
    return bench::value_or_fail(jose::jwk_from_json(j), "import");
}

struct variant {
    std::string name;
    jwe::key_management alg;
    jose::jwk ours;
    jose::jwk signer =
        bench::value_or_fail(jose::generate_key(jose::algorithm::ES256, "bank-sig"), "signer");
    jose::jwks signers{std::vector<jose::jwk>{signer.public_key()}};
    jose::jws_verify_options vopt{jose::algorithm_set{jose::algorithm::ES256}, {}, 64 * 1024, {}};
    jose::jwt_validation policy;
    jwe::decrypt_options dopt;
    std::string token;
    // The parts, decoded, for the ceiling.
    std::string aad;
    bytes encrypted_key, iv, ciphertext, tag, epk_point;
    std::string signing_input;
    bytes der_signature;

    variant(std::string n, jwe::key_management a, jose::jwk key)
        : name(std::move(n)), alg(a), ours(std::move(key)) {
        policy.issuer = "https://auth.hamsterbank.example";
        policy.audiences = {"tpp-6f5e4d3c"};
        dopt.algorithms = {a};
        dopt.encryptions = {jwe::content_encryption::A256GCM};
        json claims = {{"iss", "https://auth.hamsterbank.example"},
                       {"aud", "tpp-6f5e4d3c"},
                       {"sub", "user-8d3f0a7c-4b21-4c5e-9f1a-2b7c6d5e4f30"},
                       {"iat", 1900000000},
                       {"exp", 1900000300},
                       {"nonce", "n-0S6_WzA2Mj"},
                       {"acr", "urn:openbanking:psd2:sca"},
                       {"openbanking_intent_id", "urn:hamsterbank:consent:1234"},
                       {"address", std::string(700, 'a')}};
        jwe::encrypt_options eo;
        eo.alg = a;
        eo.enc = jwe::content_encryption::A256GCM;
        token = bench::value_or_fail(
            jwe::sign_and_encrypt_jwt(claims, signer, {}, ours.public_key(), eo), "encrypt");
        std::vector<std::string_view> p;
        std::size_t start = 0;
        for (int i = 0; i < 5; ++i) {
            const auto dot = i < 4 ? token.find('.', start) : token.size();
            p.push_back(std::string_view(token).substr(start, dot - start));
            start = dot + 1;
        }
        aad = std::string(p[0]);
        encrypted_key = b64(p[1]);
        iv = b64(p[2]);
        ciphertext = b64(p[3]);
        tag = b64(p[4]);
        const json header = bench::value_or_fail(
            obauth::parse_json(obauth::bytes_view(b64(p[0])).as_chars()), "header");
        if (header.contains("epk")) {
            epk_point = {0x04};
            for (const char* c : {"x", "y"}) {
                const bytes v = b64(header.at("epk").at(c).get<std::string>());
                epk_point.insert(epk_point.end(), v.begin(), v.end());
            }
        }
        // The inner JWS, decrypted once to give the ceiling its input.
        const auto d = bench::value_or_fail(jwe::decrypt_compact(token, ours, dopt), "decrypt");
        const std::string jws(d.plaintext().expose_secret().as_chars());
        signing_input = jws.substr(0, jws.rfind('.'));
        const bytes raw = b64(std::string_view(jws).substr(jws.rfind('.') + 1));
        // ECDSA r||s to DER, as OpenSSL verifies it.
        ECDSA_SIG* sig = ECDSA_SIG_new();
        ECDSA_SIG_set0(sig, BN_bin2bn(raw.data(), 32, nullptr),
                       BN_bin2bn(raw.data() + 32, 32, nullptr));
        unsigned char* der = nullptr;
        const int len = i2d_ECDSA_SIG(sig, &der);
        der_signature.assign(der, der + len);
        OPENSSL_free(der);
        ECDSA_SIG_free(sig);
    }
};

std::vector<std::unique_ptr<variant>>& variants() {
    static std::vector<std::unique_ptr<variant>> v;
    return v;
}

void decrypt_obauth(benchmark::State& state, const variant* v) {
    if (auto first = jwe::decrypt_and_verify_jwt(v->token, v->ours, v->dopt, v->signers, v->vopt,
                                                 v->policy, now);
        !first)
        bench::setup_failed(v->name + ": " + first.error().to_string());
    bench::alloc_scope allocs(state);
    for (auto _ : state) {
        auto r = jwe::decrypt_and_verify_jwt(v->token, v->ours, v->dopt, v->signers, v->vopt,
                                             v->policy, now);
        benchmark::DoNotOptimize(r);
    }
}

/// The bare operations, contexts made once.
class jwe_ceiling {
public:
    explicit jwe_ceiling(const variant& v)
        : v_(v), jws_(bench::primitive::ecdsa, "SHA256",
                      jose::key_access::pkey(v.signer.public_key()), {}, false) {
        gcm_ = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
        wrap_ = EVP_CIPHER_fetch(nullptr, "AES-256-WRAP", nullptr);
        sha256_ = EVP_MD_fetch(nullptr, "SHA256", nullptr);
        cipher_ctx_ = EVP_CIPHER_CTX_new();
        md_ctx_ = EVP_MD_CTX_new();
        // The context holds its own reference to the copy.
        const std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> own(
            EVP_PKEY_dup(jose::key_access::pkey(v.ours)), EVP_PKEY_free);
        pkey_ctx_ = EVP_PKEY_CTX_new_from_pkey(nullptr, own.get(), nullptr);
        if (v.alg == jwe::key_management::RSA_OAEP_256) {
            ok(EVP_PKEY_decrypt_init(pkey_ctx_));
            ok(EVP_PKEY_CTX_set_rsa_padding(pkey_ctx_, RSA_PKCS1_OAEP_PADDING));
            ok(EVP_PKEY_CTX_set_rsa_oaep_md(pkey_ctx_, sha256_));
            ok(EVP_PKEY_CTX_set_rsa_mgf1_md(pkey_ctx_, sha256_));
        } else {
            ok(EVP_PKEY_derive_init(pkey_ctx_));
        }
    }
    jwe_ceiling(const jwe_ceiling&) = delete;
    jwe_ceiling& operator=(const jwe_ceiling&) = delete;
    ~jwe_ceiling() {
        EVP_PKEY_CTX_free(pkey_ctx_);
        EVP_MD_CTX_free(md_ctx_);
        EVP_CIPHER_CTX_free(cipher_ctx_);
        EVP_MD_free(sha256_);
        EVP_CIPHER_free(wrap_);
        EVP_CIPHER_free(gcm_);
    }

    bool run() {
        unsigned char cek[512]; // OpenSSL wants room for the RSA modulus
        std::size_t cek_len = sizeof cek;
        if (v_.alg == jwe::key_management::RSA_OAEP_256) {
            ok(EVP_PKEY_decrypt(pkey_ctx_, cek, &cek_len, v_.encrypted_key.data(),
                                v_.encrypted_key.size()));
        } else {
            cek_len = unwrap_ecdh(cek);
        }
        int len = 0, fin = 0;
        std::vector<unsigned char>& out = plaintext_;
        out.resize(v_.ciphertext.size());
        ok(EVP_DecryptInit_ex2(cipher_ctx_, gcm_, cek, v_.iv.data(), nullptr));
        ok(EVP_DecryptUpdate(cipher_ctx_, nullptr, &len,
                             reinterpret_cast<const unsigned char*>(v_.aad.data()),
                             static_cast<int>(v_.aad.size())));
        ok(EVP_DecryptUpdate(cipher_ctx_, out.data(), &len, v_.ciphertext.data(),
                             static_cast<int>(v_.ciphertext.size())));
        ok(EVP_CIPHER_CTX_ctrl(cipher_ctx_, EVP_CTRL_GCM_SET_TAG, 16,
                               const_cast<unsigned char*>(v_.tag.data())));
        ok(EVP_DecryptFinal_ex(cipher_ctx_, out.data() + len, &fin));
        OPENSSL_cleanse(cek, sizeof cek);
        return jws_.verify(v_.signing_input, v_.der_signature.data(), v_.der_signature.size());
    }

private:
    std::size_t unwrap_ecdh(unsigned char* cek) {
        // The ephemeral key from its point (OpenSSL checks it is on the curve).
        OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
        OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, v_.epk_point.data(),
                                         v_.epk_point.size());
        OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
        EVP_PKEY_CTX* from = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
        EVP_PKEY* peer = nullptr;
        ok(EVP_PKEY_fromdata_init(from));
        ok(EVP_PKEY_fromdata(from, &peer, EVP_PKEY_PUBLIC_KEY, params));
        EVP_PKEY_CTX_free(from);
        OSSL_PARAM_free(params);
        OSSL_PARAM_BLD_free(bld);
        unsigned char z[32];
        std::size_t z_len = sizeof z;
        ok(EVP_PKEY_derive_set_peer_ex(pkey_ctx_, peer, 0));
        ok(EVP_PKEY_derive(pkey_ctx_, z, &z_len));
        EVP_PKEY_free(peer);
        // Concat KDF, one SHA-256 block: counter, Z, OtherInfo.
        static const unsigned char other[] = {0,   0,   0,   14,  'E', 'C', 'D', 'H', '-', 'E',
                                              'S', '+', 'A', '2', '5', '6', 'K', 'W', 0,   0,
                                              0,   0,   0,   0,   0,   0,   0,   0,   1,   0};
        static const unsigned char counter[] = {0, 0, 0, 1};
        unsigned char kek[32];
        unsigned int kek_len = 0;
        ok(EVP_DigestInit_ex2(md_ctx_, sha256_, nullptr));
        ok(EVP_DigestUpdate(md_ctx_, counter, sizeof counter));
        ok(EVP_DigestUpdate(md_ctx_, z, z_len));
        ok(EVP_DigestUpdate(md_ctx_, other, sizeof other));
        ok(EVP_DigestFinal_ex(md_ctx_, kek, &kek_len));
        int len = 0, fin = 0;
        ok(EVP_DecryptInit_ex2(cipher_ctx_, wrap_, kek, nullptr, nullptr));
        ok(EVP_DecryptUpdate(cipher_ctx_, cek, &len, v_.encrypted_key.data(),
                             static_cast<int>(v_.encrypted_key.size())));
        ok(EVP_DecryptFinal_ex(cipher_ctx_, cek + len, &fin));
        OPENSSL_cleanse(z, sizeof z);
        OPENSSL_cleanse(kek, sizeof kek);
        return static_cast<std::size_t>(len + fin);
    }

    const variant& v_;
    bench::ceiling jws_;
    EVP_CIPHER* gcm_ = nullptr;
    EVP_CIPHER* wrap_ = nullptr;
    EVP_MD* sha256_ = nullptr;
    EVP_CIPHER_CTX* cipher_ctx_ = nullptr;
    EVP_MD_CTX* md_ctx_ = nullptr;
    EVP_PKEY_CTX* pkey_ctx_ = nullptr;
    std::vector<unsigned char> plaintext_;
};

void decrypt_ceiling(benchmark::State& state, const variant* v) {
    jwe_ceiling c(*v);
    if (!c.run())
        bench::setup_failed(v->name + ": the ceiling does not verify");
    bench::alloc_scope allocs(state);
    for (auto _ : state)
        benchmark::DoNotOptimize(c.run());
}

void decrypt_paired(benchmark::State& state, const variant* v) {
    jwe_ceiling c(*v);
    if (!c.run())
        bench::setup_failed(v->name + ": the ceiling does not verify");
    // An RSA-OAEP decryption takes about half a millisecond, ECDH-ES a tenth.
    const std::size_t block = v->alg == jwe::key_management::RSA_OAEP_256 ? 1 : 4;
    bench::paired(
        state, block,
        [v] {
            auto r = jwe::decrypt_and_verify_jwt(v->token, v->ours, v->dopt, v->signers, v->vopt,
                                                 v->policy, now);
            benchmark::DoNotOptimize(r);
        },
        [&c] { benchmark::DoNotOptimize(c.run()); });
}

} // namespace jwe_bench

void register_jwe_benchmarks() {
    using namespace jwe_bench;
    variants().push_back(
        std::make_unique<variant>("RSA-OAEP-256", jwe::key_management::RSA_OAEP_256,
                                  encryption_key(jose::algorithm::RS256, "RSA-OAEP-256")));
    variants().push_back(
        std::make_unique<variant>("ECDH-ES+A256KW-P256", jwe::key_management::ECDH_ES_A256KW,
                                  encryption_key(jose::algorithm::ES256, "ECDH-ES+A256KW")));
    for (const auto& v : variants()) {
        const std::string base = "jwe/" + v->name + "+A256GCM/decrypt-nested";
        benchmark::RegisterBenchmark((base + "/obauth").c_str(), decrypt_obauth, v.get());
        benchmark::RegisterBenchmark((base + "/ceiling").c_str(), decrypt_ceiling, v.get());
        benchmark::RegisterBenchmark((base + "/paired").c_str(), decrypt_paired, v.get());
    }
}
