// Shared fixtures of the consent tests.
#pragma once

#include <obauth/consent/consent.hpp>
#include <obauth/consent/timestamp.hpp>

namespace obauth::test {

/// "Now" in the consent tests.
inline const time_point consent_now = consent::parse_timestamp("2024-01-10T09:00:00Z").value();

/// A valid single domestic payment (UK Open Banking's example values).
inline consent::payment_initiation sample_payment() {
    consent::payment_initiation p;
    p.instruction_identification = "ACME412";
    p.end_to_end_identification = "FRESCO.21302.GFX.20";
    p.instructed_amount = {"165.88", "GBP"};
    p.creditor_account = {"UK.OBIE.SortCodeAccountNumber", "08080021325698", "ACME Inc", ""};
    p.reference = "FRESCO-101";
    return p;
}

} // namespace obauth::test
