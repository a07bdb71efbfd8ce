// The fixture of the tests against the local bank (started by the CTest
// fixture interop.bank.start): its address, a transport of the adapter
// under test with the client certificate and one with another certificate,
// and what discovery found (the metadata, the bank's keys).
#pragma once

#include <obauth/core/clock.hpp>
#include <obauth/http/http_request.hpp>
#include <obauth/http/http_response.hpp>
#include <obauth/jose/jwks.hpp>
#include <obauth/oauth/client.hpp>
#include <obauth/oidc/provider_metadata.hpp>

#include "local_bank.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <utility>

namespace obauth::test {

template <class Transport>
class bank_fixture : public ::testing::Test {
protected:
    void SetUp() override {
        auto b = local_bank::find_bank(OBAUTH_BANK_STATE_DIR);
        ASSERT_TRUE(b) << b.error();
        bank = *b;
        auto t = Transport::create(bank.transport_options());
        ASSERT_TRUE(t) << t.error();
        transport.emplace(std::move(*t));
        auto o = Transport::create(bank.transport_options(true));
        ASSERT_TRUE(o) << o.error();
        wrong_certificate.emplace(std::move(*o));

        auto found = local_bank::discover(*transport, bank.issuer);
        ASSERT_TRUE(found) << found.error();
        metadata = std::move(found->metadata);
        bank_keys = std::move(found->keys);
    }

    result<http::http_response> send(const http::http_request& r) { return (*transport)(r); }

    oauth::client make(oauth::client_auth auth, bool bound) const {
        return oauth::client{metadata, std::move(auth), bound, 256 * 1024};
    }
    /// A client key from the bank's PKI directory.
    jose::jwk key(const char* file, jose::algorithm alg, const char* kid) const {
        return bank.key(file, alg, kid).value();
    }

    local_bank::bank bank;
    std::optional<Transport> transport, wrong_certificate;
    oidc::provider_metadata metadata;
    jose::jwks bank_keys;
    system_clock_source clock;
};

} // namespace obauth::test
