#!/bin/sh
# Regenerates token_hashes.json: OpenID Connect *_hash values computed with
# OpenSSL's command line, independently of obauth. Each entry: the hash
# function, the value hashed, and the base64url of the left half of its hash.
set -eu
half() { # <openssl dgst args> <octets> <value>
    printf '%s' "$3" | openssl dgst $1 -binary | head -c "$2" | base64 -w0 | tr '+/' '-_' | tr -d '='
}
values='jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y
Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk
dNZX1hEZ9wBCzNL40Upu646bdzQA
opaque-state_0123456789.~
eyJhbGciOiJQUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ4In0.c2ln'
printf '[\n'
first=1
for spec in "SHA-256:-sha256:16" "SHA-384:-sha384:24" "SHA-512:-sha512:32" "SHAKE256-114:-shake256 -xoflen 114:57"; do
    name=${spec%%:*}; rest=${spec#*:}; args=${rest%:*}; n=${rest##*:}
    echo "$values" | while IFS= read -r v; do
        [ $first -eq 1 ] || printf ',\n'
        printf '  {"hash": "%s", "value": "%s", "half": "%s"}' "$name" "$v" "$(half "$args" "$n" "$v")"
        first=0
    done
    first=0
done
printf '\n]\n'
