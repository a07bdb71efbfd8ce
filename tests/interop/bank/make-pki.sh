#!/bin/sh
# The local bank's PKI, made fresh with the OpenSSL command line:
#   ca.pem                      the test CA (trusted by the clients and the server)
#   server.pem / server.key     https://127.0.0.1 (SAN IP:127.0.0.1)
#   client.pem / client.key     the FAPI clients' mTLS certificate (CN=fapi-client)
#   other.pem / other.key       a certificate from the same CA for someone else
#   client-rsa.key, client-ec.key  the clients' signing keys (private_key_jwt,
#                               request objects); their public JWKs are registered
#   client-enc.key              the key the bank encrypts to (RSA-OAEP-256; "use": "enc")
# Usage: make-pki.sh <dir> [CA common name]
set -eu
dir=$1
mkdir -p "$dir"
cd "$dir"
[ -f ca.pem ] && exit 0
days=2
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key \
  -out ca.pem -days $days -subj "/CN=${2:-obauth local bank test CA}" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
issue() { # name subject extensions
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" \
    -out "$1.csr" -subj "$2" 2>/dev/null
  printf '%s\n' "$3" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days $days \
    -out "$1.pem" -extfile "$1.ext" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}
issue server "/CN=127.0.0.1" "subjectAltName=IP:127.0.0.1
extendedKeyUsage=serverAuth"
issue client "/CN=fapi-client" "extendedKeyUsage=clientAuth"
issue other "/CN=someone-else" "extendedKeyUsage=clientAuth"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out client-rsa.key 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out client-ec.key 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out client-enc.key 2>/dev/null
chmod 600 ./*.key
