// The Hamster Bank profile end to end against the local bank
// (tests/interop/bank/: oidc-provider laid out as Hamster Bank, with its
// consent endpoints), through each transport adapter: real tokens, a
// consent created with a client credentials token, the FAPI authorization
// bound to it, the consent Authorised, the resource checked against it,
// refresh, introspection, and the disconnect.
#include <obauth/providers/hamster_bank.hpp>

#include <obauth/oauth/run.hpp>
#include <obauth/oauth/token_response.hpp>

#include "adapters.hpp"
#include "local_bank.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace obauth;
using namespace obauth::providers;
using namespace std::chrono_literals;
using consent::consent_status;
using consent::permission;

template <class Transport>
class HamsterBank : public ::testing::Test {
protected:
    void SetUp() override {
        auto b = local_bank::find_bank(OBAUTH_BANK_STATE_DIR);
        ASSERT_TRUE(b) << b.error();
        local = *b;
        auto t = Transport::create(local.transport_options());
        ASSERT_TRUE(t) << t.error();
        transport.emplace(std::move(*t));

        auto hb = hamster::bank::create(local.issuer);
        ASSERT_TRUE(hb) << hb.error();
        bank.emplace(std::move(*hb));
        auto md = send(hamster::make_discovery_request(*bank).value());
        ASSERT_TRUE(md) << md.error();
        auto metadata = hamster::process_discovery_response(*bank, *md);
        ASSERT_TRUE(metadata) << metadata.error();
        // The local bank publishes the seed's endpoints.
        const auto seed = hamster::seed_metadata(*bank).value();
        for (const auto e : {oidc::endpoint::authorization, oidc::endpoint::token,
                             oidc::endpoint::pushed_authorization_request,
                             oidc::endpoint::introspection, oidc::endpoint::revocation})
            EXPECT_EQ(metadata->endpoints.get(e)->buffer(), seed.endpoints.get(e)->buffer());
        EXPECT_EQ(metadata->jwks_uri->buffer(), seed.jwks_uri->buffer());
        auto keys = send(hamster::make_jwks_request(*metadata).value());
        ASSERT_TRUE(keys) << keys.error();
        auto set = hamster::process_jwks_response(*keys, clock.now());
        ASSERT_TRUE(set) << set.error();
        bank_keys = std::move(*set);
        auto c = hamster::make_client(
            *metadata, oauth::client_auth::private_key_jwt("hamster-tpp", request_key()));
        ASSERT_TRUE(c) << c.error();
        tpp.emplace(std::move(*c));
        auto m = hamster::make_client(*metadata,
                                      oauth::client_auth::tls_client_auth("hamster-tpp-mtls"));
        ASSERT_TRUE(m) << m.error();
        tpp_mtls.emplace(std::move(*m));
    }

    result<http::http_response> send(const http::http_request& r) { return (*transport)(r); }

    jose::jwk request_key() const {
        return local.key("client-rsa.key", jose::algorithm::PS256, "client-rsa").value();
    }

    /// A client credentials token with scope consents.
    result<secret> consents_token(const oauth::client& c) {
        OBAUTH_TRY(http::http_request r, hamster::make_consents_token_request(c, clock.now()));
        OBAUTH_TRY(http::http_response resp, send(r));
        OBAUTH_TRY(oauth::token_set t, oauth::process_token_response(resp, clock.now()));
        return std::move(t.access_token);
    }

    result<consent::consent> create(const secret& token, const consent::consent_request& r) {
        OBAUTH_TRY(http::http_request req,
                   hamster::make_create_consent_request(*bank, token, r, clock.now()));
        OBAUTH_TRY(http::http_response resp, send(req));
        return hamster::process_create_consent_response(r, resp, clock.now());
    }

    result<consent::consent> read(const secret& token, const consent::consent& c) {
        OBAUTH_TRY(http::http_request req,
                   hamster::make_get_consent_request(*bank, token, c.request.type, c.id));
        OBAUTH_TRY(http::http_response resp, send(req));
        return hamster::process_get_consent_response(c.request.type, c.id, resp, clock.now());
    }

    result<oauth::flow_complete> authorize(const oauth::client& c, const consent::consent& cs) {
        OBAUTH_TRY(
            oauth::authorization_code_options o,
            hamster::authorization_options(cs, local_bank::redirect_uri, request_key(), bank_keys));
        OBAUTH_TRY(oauth::authorization_code_flow flow,
                   oauth::authorization_code_flow::create(c, std::move(o)));
        local_bank::browser<Transport> user(*transport);
        return oauth::run_flow(flow, *transport, user, clock);
    }

    /// GET /accounts with the FAPI headers; the status, and on success the
    /// answer read (the interaction id echoed).
    int accounts(const secret& token) {
        auto r = hamster::make_resource_request(*bank, http::http_method::get, "/accounts", token);
        EXPECT_TRUE(r) << r.error();
        auto resp = send(*r);
        EXPECT_TRUE(resp) << resp.error();
        if (resp && resp->status == 200) {
            auto data = hamster::process_resource_response(*r, *resp, clock.now());
            EXPECT_TRUE(data) << data.error();
            EXPECT_NE(resp->header("x-fapi-interaction-id"), nullptr);
        }
        return resp ? resp->status : 0;
    }

    consent::consent_request account_access(consent::permission_set p) const {
        const time_point now = clock.now();
        return consent::consent_request::account_access(std::move(p), now + 24h * 30,
                                                        now - 24h * 365);
    }

    local_bank::bank local;
    std::optional<Transport> transport;
    std::optional<hamster::bank> bank;
    jose::jwks bank_keys;
    std::optional<oauth::client> tpp, tpp_mtls;
    system_clock_source clock;
};

TYPED_TEST_SUITE(HamsterBank, test::adapters, test::adapter_name);

TYPED_TEST(HamsterBank, ConsentAuthorizedTokensRefreshedIntrospectedAndDisconnected) {
    auto cc = this->consents_token(*this->tpp);
    ASSERT_TRUE(cc) << cc.error();
    auto created = this->create(
        *cc, this->account_access({permission::read_accounts, permission::read_balances}));
    ASSERT_TRUE(created) << created.error();
    EXPECT_EQ(created->status, consent_status::awaiting_authorisation);
    EXPECT_EQ(this->read(*cc, *created)->status, consent_status::awaiting_authorisation);

    auto done = this->authorize(*this->tpp, *created);
    ASSERT_TRUE(done) << done.error();
    EXPECT_TRUE(hamster::check_consent_binding(*done, created->id))
        << hamster::check_consent_binding(*done, created->id).error();
    auto authorised = this->read(*cc, *created);
    ASSERT_TRUE(authorised) << authorised.error();
    EXPECT_TRUE(hamster::check_authorised(*authorised, this->clock.now()));
    EXPECT_EQ(this->accounts(done->tokens.access_token), 200);

    // The token manager refreshes with the seed's lifetimes: 280 s into a
    // 5-minute access token it sends the refresh token.
    manual_clock later{this->clock.now()};
    oauth::token_manager m(
        *this->tpp, [this](const http::http_request& r) { return this->send(r); }, later,
        hamster::token_manager_options());
    const oauth::token_key key{hamster::consent_scopes(created->request.type), {}};
    m.put(key, done->tokens.clone());
    later.advance(280s);
    auto refreshed = m.get(key);
    ASSERT_TRUE(refreshed) << refreshed.error();
    EXPECT_NE(refreshed->access_token, done->tokens.access_token);
    EXPECT_NE(*refreshed->refresh_token, *done->tokens.refresh_token); // rotated
    EXPECT_EQ(this->accounts(refreshed->access_token), 200);
    later.advance(hamster::refresh_token_lifetime);
    EXPECT_EQ(m.get(key).error().code, oauth::errc::reauthorization_required);

    auto intro = this->send(oauth::make_introspection_request(*this->tpp, refreshed->access_token,
                                                              "access_token", this->clock.now())
                                .value());
    ASSERT_TRUE(intro) << intro.error();
    auto info = oauth::process_introspection_response(*intro, this->clock.now());
    ASSERT_TRUE(info) << info.error();
    EXPECT_TRUE(info->active);
    EXPECT_EQ(info->client_id, "hamster-tpp");

    // The user disconnects: both tokens revoked, the consent deleted.
    auto bye = hamster::make_disconnect_requests(*this->tpp, *this->bank, *refreshed, *cc, *created,
                                                 this->clock.now());
    ASSERT_TRUE(bye) << bye.error();
    for (std::size_t i = 0; i < bye->size(); ++i) {
        auto resp = this->send((*bye)[i]);
        ASSERT_TRUE(resp) << resp.error();
        if (i + 1 < bye->size())
            EXPECT_TRUE(oauth::process_revocation_response(*resp, this->clock.now()));
        else
            EXPECT_TRUE(hamster::process_delete_consent_response(*resp, this->clock.now()));
    }
    EXPECT_EQ(this->read(*cc, *created)->status, consent_status::revoked);
    EXPECT_EQ(this->accounts(refreshed->access_token), 401);
}

TYPED_TEST(HamsterBank, TlsClientAuthAndTheConsentDecidesWhatTheTokenReaches) {
    auto cc = this->consents_token(*this->tpp_mtls);
    ASSERT_TRUE(cc) << cc.error();
    auto balances_only = this->create(*cc, this->account_access({permission::read_balances}));
    ASSERT_TRUE(balances_only) << balances_only.error();
    auto done = this->authorize(*this->tpp_mtls, *balances_only);
    ASSERT_TRUE(done) << done.error();
    EXPECT_TRUE(hamster::check_consent_binding(*done, balances_only->id));
    EXPECT_EQ(this->accounts(done->tokens.access_token), 403); // no accounts permission

    // A consent is authorized once: naming it again (with the stale copy
    // that still says AwaitingAuthorisation) is refused by the bank.
    auto again = this->authorize(*this->tpp_mtls, *balances_only);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, oauth::errc::access_denied) << again.error();
}

TYPED_TEST(HamsterBank, TheBankRefusesWhatTheProfileWouldNotSend) {
    auto cc = this->consents_token(*this->tpp);
    ASSERT_TRUE(cc) << cc.error();
    auto created = this->create(*cc, this->account_access({permission::read_accounts}));
    ASSERT_TRUE(created) << created.error();
    auto done = this->authorize(*this->tpp, *created);
    ASSERT_TRUE(done) << done.error();
    // A user's token cannot manage consents.
    auto by_user =
        this->create(done->tokens.access_token, this->account_access({permission::read_balances}));
    ASSERT_FALSE(by_user);
    EXPECT_EQ(by_user.error().code, errc::forbidden);
    // Another client's consent is not found.
    auto other_cc = this->consents_token(*this->tpp_mtls);
    ASSERT_TRUE(other_cc) << other_cc.error();
    EXPECT_EQ(this->read(*other_cc, *created).error().code, errc::not_found);
    // A payment consent: created, single use, scope payments.
    auto pay = this->create(*cc, consent::consent_request::single_payment([] {
        consent::payment_initiation p;
        p.instruction_identification = "ACME412";
        p.end_to_end_identification = "FRESCO.21302.GFX.20";
        p.instructed_amount = {"165.88", "GBP"};
        p.creditor_account = {"UK.OBIE.SortCodeAccountNumber", "08080021325698", "ACME Inc", ""};
        return p;
    }()));
    ASSERT_TRUE(pay) << pay.error();
    EXPECT_EQ(pay->request.payment->instructed_amount.value, "165.88");
}

} // namespace
