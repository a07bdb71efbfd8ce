// obauth's RSA verification (jose/detail/rsa_public.hpp: the public
// operation and the RFC 8017 encodings checked by obauth) against OpenSSL's
// own EVP_PKEY_verify as a second implementation: real signatures, and
// encoded messages altered field by field and signed raw with the private
// key, on moduli whose length is and is not a multiple of 8 bits (RSASSA-PSS
// drops the top bit: a 2049-bit modulus has a leading zero octet).
#include <obauth/jose/detail/signature.hpp>

#include <gtest/gtest.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace {

namespace jose = obauth::jose;
namespace detail = obauth::jose::detail;
using jose::algorithm;

// An RSA key whose modulus has exactly `bits` bits (EVP_RSA_gen makes an
// odd length one bit short): primes of ceil(bits/2) and floor(bits/2) bits
// until their product is long enough, e = 65537.
detail::pkey_ptr rsa_key_of(unsigned bits) {
    using detail::bn_ptr;
    const detail::bn_ctx_ptr ctx(BN_CTX_new());
    bn_ptr p(BN_new()), q(BN_new()), n(BN_new()), e(BN_new()), d(BN_new()), p1(BN_new()),
        q1(BN_new()), phi(BN_new()), dp(BN_new()), dq(BN_new()), qinv(BN_new());
    EXPECT_EQ(BN_set_word(e.get(), 65537), 1);
    do {
        EXPECT_EQ(BN_generate_prime_ex(p.get(), static_cast<int>((bits + 1) / 2), 0, nullptr,
                                       nullptr, nullptr),
                  1);
        EXPECT_EQ(
            BN_generate_prime_ex(q.get(), static_cast<int>(bits / 2), 0, nullptr, nullptr, nullptr),
            1);
        EXPECT_EQ(BN_mul(n.get(), p.get(), q.get(), ctx.get()), 1);
        BN_sub(p1.get(), p.get(), BN_value_one());
        BN_sub(q1.get(), q.get(), BN_value_one());
        BN_mul(phi.get(), p1.get(), q1.get(), ctx.get());
    } while (BN_num_bits(n.get()) != static_cast<int>(bits) ||
             BN_mod_inverse(d.get(), e.get(), phi.get(), ctx.get()) == nullptr);
    BN_mod(dp.get(), d.get(), p1.get(), ctx.get());
    BN_mod(dq.get(), d.get(), q1.get(), ctx.get());
    EXPECT_NE(BN_mod_inverse(qinv.get(), q.get(), p.get(), ctx.get()), nullptr);
    const detail::param_bld_ptr bld(OSSL_PARAM_BLD_new());
    for (const auto& [name, value] : {std::pair{OSSL_PKEY_PARAM_RSA_N, n.get()},
                                      {OSSL_PKEY_PARAM_RSA_E, e.get()},
                                      {OSSL_PKEY_PARAM_RSA_D, d.get()},
                                      {OSSL_PKEY_PARAM_RSA_FACTOR1, p.get()},
                                      {OSSL_PKEY_PARAM_RSA_FACTOR2, q.get()},
                                      {OSSL_PKEY_PARAM_RSA_EXPONENT1, dp.get()},
                                      {OSSL_PKEY_PARAM_RSA_EXPONENT2, dq.get()},
                                      {OSSL_PKEY_PARAM_RSA_COEFFICIENT1, qinv.get()}})
        EXPECT_EQ(OSSL_PARAM_BLD_push_BN(bld.get(), name, value), 1);
    const detail::params_ptr params(OSSL_PARAM_BLD_to_param(bld.get()));
    const detail::pkey_ctx_ptr from(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    EVP_PKEY* key = nullptr;
    EXPECT_EQ(EVP_PKEY_fromdata_init(from.get()), 1);
    EXPECT_EQ(EVP_PKEY_fromdata(from.get(), &key, EVP_PKEY_KEYPAIR, params.get()), 1);
    return detail::pkey_ptr(key);
}

struct key_pair {
    detail::key_data priv, pub;
    std::size_t size = 0; ///< of the modulus, in octets

    explicit key_pair(unsigned bits) {
        priv.pkey = rsa_key_of(bits);
        EVP_PKEY* p = priv.pkey.get();
        EXPECT_EQ(EVP_PKEY_get_bits(p), static_cast<int>(bits));
        priv.kty = pub.kty = jose::key_type::rsa;
        priv.has_private = true;
        priv.bits = pub.bits = bits;
        // The public half alone, as a JWKS would give it.
        unsigned char* der = nullptr;
        const int len = i2d_PUBKEY(p, &der);
        const unsigned char* in = der;
        pub.pkey.reset(d2i_PUBKEY(nullptr, &in, len));
        OPENSSL_free(der);
        EXPECT_NE(pub.pkey, nullptr);
        size = static_cast<std::size_t>(EVP_PKEY_get_size(p));
    }
};

detail::pkey_ctx_ptr rsa_ctx(const detail::key_data& k, bool sign, int padding,
                             const EVP_MD* md = nullptr) {
    detail::pkey_ctx_ptr c(EVP_PKEY_CTX_new_from_pkey(nullptr, k.pkey.get(), nullptr));
    EXPECT_EQ(sign ? EVP_PKEY_sign_init(c.get()) : EVP_PKEY_verify_init(c.get()), 1);
    EXPECT_EQ(EVP_PKEY_CTX_set_rsa_padding(c.get(), padding), 1);
    if (md != nullptr) {
        EXPECT_EQ(EVP_PKEY_CTX_set_signature_md(c.get(), md), 1);
    }
    if (padding == RSA_PKCS1_PSS_PADDING) {
        EXPECT_EQ(EVP_PKEY_CTX_set_rsa_mgf1_md(c.get(), md), 1);
        EXPECT_EQ(EVP_PKEY_CTX_set_rsa_pss_saltlen(c.get(), RSA_PSS_SALTLEN_DIGEST), 1);
    }
    return c;
}

const EVP_MD* md_of(algorithm a) {
    return obauth::fetched_digest(jose::info(a).digest);
}

obauth::bytes hash_of(algorithm a, const std::string& msg) {
    unsigned char out[64];
    const auto n = obauth::digest_into(obauth::detail::thread_digest_ctx(), md_of(a),
                                       obauth::bytes_view(msg), out);
    return obauth::bytes(out, out + n);
}

// OpenSSL's verdict on `sig` over `msg`.
bool reference_verify(const key_pair& k, algorithm a, const std::string& msg,
                      const obauth::bytes& sig) {
    const bool pss = jose::info(a).family == jose::algorithm_family::rsa_pss;
    auto c = rsa_ctx(k.pub, false, pss ? RSA_PKCS1_PSS_PADDING : RSA_PKCS1_PADDING, md_of(a));
    const auto h = hash_of(a, msg);
    const bool ok = EVP_PKEY_verify(c.get(), sig.data(), sig.size(), h.data(), h.size()) == 1;
    ERR_clear_error();
    return ok;
}

bool obauth_verify(const key_pair& k, algorithm a, const std::string& msg,
                   const obauth::bytes& sig) {
    const auto r = detail::verify_raw(k.pub, a, obauth::bytes_view(msg), sig);
    if (!r) {
        EXPECT_EQ(r.code(), jose::errc::invalid_signature);
    }
    return r.has_value();
}

// The private-key operation on `em` (k octets, below n): a signature
// whose encoded message is exactly `em`; empty if em is not below n.
obauth::bytes raw_sign(const key_pair& k, const obauth::bytes& em) {
    auto c = rsa_ctx(k.priv, true, RSA_NO_PADDING);
    obauth::bytes sig(k.size);
    std::size_t len = sig.size();
    if (EVP_PKEY_sign(c.get(), sig.data(), &len, em.data(), em.size()) != 1) {
        ERR_clear_error();
        return {};
    }
    return sig;
}

obauth::bytes raw_open(const key_pair& k, const obauth::bytes& sig) {
    detail::pkey_ctx_ptr c(EVP_PKEY_CTX_new_from_pkey(nullptr, k.pub.pkey.get(), nullptr));
    EXPECT_EQ(EVP_PKEY_verify_recover_init(c.get()), 1);
    EXPECT_EQ(EVP_PKEY_CTX_set_rsa_padding(c.get(), RSA_NO_PADDING), 1);
    obauth::bytes em(k.size);
    std::size_t len = em.size();
    EXPECT_EQ(EVP_PKEY_verify_recover(c.get(), em.data(), &len, sig.data(), sig.size()), 1);
    EXPECT_EQ(len, em.size());
    return em;
}

const std::string message = R"({"alg":"RS256"}.eyJzdWIiOiJ0aGUgbWVzc2FnZSJ9)";

// Every single-bit change of the encoded message at the offsets that hold
// structure (the first octets, the separator and DigestInfo or the
// trailer, some of the padding or masked data, the hash), re-signed; both
// implementations must agree on each, and each must be refused.
void expect_agreement_on_altered(const key_pair& k, algorithm a) {
    unsigned char good[detail::max_signature_size];
    const auto len = detail::sign_raw(k.priv, a, obauth::bytes_view(message), good);
    ASSERT_TRUE(len);
    const obauth::bytes signature(good, good + *len);
    ASSERT_TRUE(obauth_verify(k, a, message, signature));
    ASSERT_TRUE(reference_verify(k, a, message, signature));
    const obauth::bytes em = raw_open(k, signature);
    std::vector<std::size_t> offsets = {0, 1, 2, 3, k.size / 2};
    for (std::size_t back = 1; back <= 90 && back < k.size; ++back)
        offsets.push_back(k.size - back);
    int checked = 0;
    for (const std::size_t at : offsets)
        for (const int bit : {0, 7}) {
            obauth::bytes altered = em;
            altered[at] = static_cast<unsigned char>(altered[at] ^ (1U << bit));
            const obauth::bytes s = raw_sign(k, altered);
            if (s.empty())
                continue; // not below n
            const bool ours = obauth_verify(k, a, message, s);
            EXPECT_EQ(ours, reference_verify(k, a, message, s))
                << jose::to_string(a) << " " << k.pub.bits << " bits, octet " << at << " bit "
                << bit;
            EXPECT_FALSE(ours) << jose::to_string(a) << " octet " << at << " bit " << bit;
            ++checked;
        }
    EXPECT_GT(checked, 150);
}

class RsaVerify : public ::testing::TestWithParam<unsigned> {};

TEST_P(RsaVerify, AgreesWithOpenSslOnAlteredEncodings) {
    const key_pair k(GetParam());
    for (const algorithm a : {algorithm::RS256, algorithm::RS384, algorithm::RS512,
                              algorithm::PS256, algorithm::PS384, algorithm::PS512})
        expect_agreement_on_altered(k, a);
}

TEST_P(RsaVerify, RefusesRepresentativesNotBelowTheModulus) {
    const key_pair k(GetParam());
    const obauth::bytes all_ones(k.size, 0xff);
    EXPECT_EQ(
        detail::verify_raw(k.pub, algorithm::RS256, obauth::bytes_view(message), all_ones).code(),
        jose::errc::invalid_signature);
    BIGNUM* n = nullptr;
    ASSERT_EQ(EVP_PKEY_get_bn_param(k.pub.pkey.get(), OSSL_PKEY_PARAM_RSA_N, &n), 1);
    obauth::bytes modulus(k.size);
    ASSERT_EQ(BN_bn2binpad(n, modulus.data(), static_cast<int>(k.size)), static_cast<int>(k.size));
    BN_free(n);
    for (const algorithm a : {algorithm::RS256, algorithm::PS256})
        EXPECT_EQ(detail::verify_raw(k.pub, a, obauth::bytes_view(message), modulus).code(),
                  jose::errc::invalid_signature);
}

TEST_P(RsaVerify, RefusesPssSaltsOfOtherLengths) {
    // RFC 7518 §3.5: the salt is as long as the hash.
    const key_pair k(GetParam());
    for (const int salt : {0, 20, 31, 33}) {
        auto c = rsa_ctx(k.priv, true, RSA_PKCS1_PSS_PADDING, md_of(algorithm::PS256));
        ASSERT_EQ(EVP_PKEY_CTX_set_rsa_pss_saltlen(c.get(), salt), 1);
        const auto h = hash_of(algorithm::PS256, message);
        obauth::bytes sig(k.size);
        std::size_t len = sig.size();
        ASSERT_EQ(EVP_PKEY_sign(c.get(), sig.data(), &len, h.data(), h.size()), 1);
        EXPECT_FALSE(obauth_verify(k, algorithm::PS256, message, sig)) << "salt " << salt;
        EXPECT_FALSE(reference_verify(k, algorithm::PS256, message, sig)) << "salt " << salt;
    }
}

TEST(RsaVerify, PssRefusesANonZeroOctetBeforeTheEncodedMessage) {
    // A 2049-bit modulus: the encoded message is 256 octets and the
    // signature 257; the octet before EM must be zero even where the
    // representative stays below n. Salts are random: sign until a set low
    // bit in that octet keeps it below n (about one try in two).
    const key_pair k(2049);
    int found = 0;
    for (int tries = 0; tries < 64 && found < 3; ++tries) {
        unsigned char good[detail::max_signature_size];
        ASSERT_TRUE(detail::sign_raw(k.priv, algorithm::PS256, obauth::bytes_view(message), good));
        obauth::bytes em = raw_open(k, obauth::bytes(good, good + k.size));
        ASSERT_EQ(em[0], 0);
        em[0] = 1;
        const obauth::bytes s = raw_sign(k, em);
        if (s.empty())
            continue;
        EXPECT_FALSE(obauth_verify(k, algorithm::PS256, message, s));
        EXPECT_FALSE(reference_verify(k, algorithm::PS256, message, s));
        ++found;
    }
    EXPECT_EQ(found, 3);
}

// 2049 bits: emBits a multiple of 8, so EM has one octet fewer than the
// modulus; 2052: four unused top bits.
INSTANTIATE_TEST_SUITE_P(Moduli, RsaVerify, ::testing::Values(2048U, 2049U, 2052U));

} // namespace
