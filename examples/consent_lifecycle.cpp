// An account-access consent from request to revocation, without a network:
// build and validate the request, show its body in Hamster Bank's, UK Open
// Banking's and Berlin Group's JSON, bind it to the authorization request,
// then walk the lifecycle and ask, at each step, whether it may be used.
#include <obauth/consent/berlin_group.hpp>
#include <obauth/consent/binding.hpp>
#include <obauth/consent/hamster.hpp>
#include <obauth/consent/lifecycle.hpp>
#include <obauth/consent/uk_open_banking.hpp>

#include <cstdio>
#include <string>

namespace consent = obauth::consent;
using namespace std::chrono_literals;

namespace {

int fail(const char* what, const obauth::error_info& e) {
    std::printf("FAILED: %s: %s\n", what, e.to_string().c_str());
    return 1;
}

void usable(const consent::consent& c, obauth::time_point at, consent::permission p) {
    auto r = consent::check_usable(c, at, p);
    std::printf("  %-22s at %s: %s\n", std::string(consent::permission_name(p)).c_str(),
                consent::format_timestamp(at).c_str(),
                r ? "usable" : ("refused (" + r.error().detail + ")").c_str());
}

} // namespace

int main() {
    const obauth::time_point now = consent::parse_timestamp("2024-01-10T09:00:00Z").value();

    // 1. The request: what the TPP asks the customer to approve.
    auto permissions =
        consent::parse_permission_names({"ReadAccounts", "ReadBalances", "ReadTransactions"});
    if (!permissions)
        return fail("permissions", permissions.error());
    const auto request = consent::consent_request::account_access(
        *permissions, consent::parse_timestamp("2024-03-15T00:00:00Z").value(),
        consent::parse_timestamp("2023-01-01T00:00:00Z").value());
    if (auto ok = consent::validate(request, now); !ok)
        return fail("validation", ok.error());

    // A broken rule is reported before anything is sent.
    auto too_long = request;
    too_long.expiration = now + 24h * 120;
    std::printf("A 120-day consent: %s\n",
                consent::validate(too_long, now).error().to_string().c_str());

    // 2. The create request in three conventions.
    auto key = consent::new_idempotency_key();
    auto hamster = consent::hamster::request_body(request, now);
    auto uk = consent::uk::account_access_request_body(request, now);
    consent::berlin_group::account_reference account;
    account.iban = "DE40100100103307118608";
    auto bg_request = consent::berlin_group::from_model(request, {account}, now);
    if (!key || !hamster || !uk || !bg_request)
        return fail("serializing", !key       ? key.error()
                                   : !hamster ? hamster.error()
                                   : !uk      ? uk.error()
                                              : bg_request.error());
    auto bg = consent::berlin_group::request_body(*bg_request, now);
    if (!bg)
        return fail("Berlin Group", bg.error());
    std::printf("\nPOST %s  (x-idempotency-key: %s)\n  %s\n",
                consent::hamster::create_path(request.type).c_str(), key->c_str(),
                hamster->c_str());
    std::printf("UK Open Banking v3.1, POST /account-access-consents\n  %s\n", uk->c_str());
    std::printf("Berlin Group NextGenPSD2, POST /v1/consents\n  %s\n", bg->c_str());

    // 3. The bank's answer, and the consent bound to the authorization request.
    auto c = consent::hamster::parse_consent_body(
        consent::consent_type::account_access,
        R"({"consent_id":"aac-7f3a01","status":"AwaitingAuthorisation",
            "created_at":"2024-01-10T09:00:01Z","status_updated_at":"2024-01-10T09:00:01Z",
            "permissions":["ReadAccounts","ReadBalances","ReadTransactions"],
            "expiration_date":"2024-03-15T00:00:00Z","transaction_from_date":"2023-01-01T00:00:00Z"})");
    if (!c)
        return fail("the bank's answer", c.error());
    auto claims = consent::intent_claims(c->id);
    auto scope = consent::consent_scope("AIS", c->id);
    if (!claims || !scope)
        return fail("binding", !claims ? claims.error() : scope.error());
    std::printf("\nConsent %s is %s. Bind it with\n  claims: %s\n  or scope: %s\n", c->id.c_str(),
                std::string(consent::status_name(c->status)).c_str(), claims->dump().c_str(),
                scope->c_str());

    // 4. The lifecycle.
    std::printf("\nBefore the customer approves:\n");
    usable(*c, now + 1min, consent::permission::read_balances);
    if (auto ok = consent::apply(*c, consent::consent_event::authorise, now + 5min); !ok)
        return fail("authorise", ok.error());
    std::printf("Authorised:\n");
    usable(*c, now + 10min, consent::permission::read_transactions);
    usable(*c, now + 10min, consent::permission::read_transactions_basic);
    usable(*c, now + 10min, consent::permission::read_beneficiaries);
    usable(*c, consent::parse_timestamp("2024-03-15T00:00:00Z").value(),
           consent::permission::read_balances);
    if (auto ok = consent::apply(*c, consent::consent_event::revoke, now + 24h); !ok)
        return fail("revoke", ok.error());
    std::printf("Revoked:\n");
    usable(*c, now + 25h, consent::permission::read_balances);
    auto again = consent::apply(*c, consent::consent_event::authorise, now + 26h);
    std::printf("Authorising it again: %s\n",
                again ? "allowed?!" : again.error().to_string().c_str());
    return again ? 1 : 0;
}
