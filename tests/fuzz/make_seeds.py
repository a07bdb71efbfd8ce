#!/usr/bin/env python3
"""Writes the fuzz harnesses' seed corpora (tests/fuzz/corpus/<harness>/)
from the test vectors in tests/data and a few hand-made protocol messages.
Each seed starts with the selector byte(s) its harness reads first
(fuzz_support.hpp). Run it again after adding vectors; commit the output."""
import glob
import hashlib
import base64
import json
import os
import shutil

here = os.path.dirname(os.path.abspath(__file__))
data = os.path.join(here, '..', 'data')
out = os.path.join(here, 'corpus')
shutil.rmtree(out, ignore_errors=True)


MAX_SEEDS = 120  # per harness: a seed corpus, not an archive


def seed(harness, content):
    if isinstance(content, str):
        content = content.encode()
    d = os.path.join(out, harness)
    os.makedirs(d, exist_ok=True)
    if len(os.listdir(d)) >= MAX_SEEDS or len(content) > 16 * 1024:
        return
    with open(os.path.join(d, hashlib.sha1(content).hexdigest()[:16]), 'wb') as f:
        f.write(content)


def vectors(pattern):
    for path in sorted(glob.glob(os.path.join(data, pattern), recursive=True)):
        if os.path.getsize(path) < 64 * 1024:
            with open(path, 'rb') as f:
                yield path, f.read()


def strings(doc):
    if isinstance(doc, dict):
        for v in doc.values():
            yield from strings(v)
    elif isinstance(doc, list):
        for v in doc:
            yield from strings(v)
    elif isinstance(doc, str):
        yield doc


def objects(doc):
    if isinstance(doc, dict):
        yield doc
        for v in doc.values():
            yield from objects(v)
    elif isinstance(doc, list):
        for v in doc:
            yield from objects(v)


OK_JSON = b'\x00'  # status 200, application/json (fuzz::response)

docs = []
for path, raw in vectors('**/*.json'):
    seed('json', b'\x1f' + raw)
    docs.append(json.loads(raw))
for path in ['wycheproof/json_web_signature_test.json', 'wycheproof/json_web_key_test.json']:
    with open(os.path.join(data, path)) as f:
        docs.append(json.load(f))

for doc in docs:
    for s in strings(doc):
        if s.count('.') == 2 and len(s) < 8192 and ' ' not in s:
            seed('jws', b'\x00' + s.encode())          # compact
            seed('jws', b'\x05' + s.encode())          # as a JWT
        if s.startswith('-----BEGIN'):
            seed('jwk', b'\x02' + s.encode())
        if 0 < len(s) < 2048 and all(c.isalnum() or c in '-_' for c in s):
            seed('base64url', s.encode())
    for o in objects(doc):
        if 'kty' in o:
            seed('jwk', b'\x00' + json.dumps(o).encode())
        if 'keys' in o and isinstance(o['keys'], list):
            seed('jwk', b'\x01' + json.dumps(o).encode())
        if 'signatures' in o or ('protected' in o and 'signature' in o):
            seed('jws', b'\x01' + json.dumps(o).encode())
        if 'issuer' in o and ('authorization_endpoint' in o or 'token_endpoint' in o):
            seed('oidc', b'\x00' + OK_JSON + json.dumps(o).encode())
        if 'iss' in o or 'exp' in o:
            seed('jws', b'\x04' + json.dumps(o).encode())
            seed('oidc', b'\x02' + json.dumps(o).encode())

claims = {"iss": "https://as.example", "aud": "client", "sub": "248289761001",
          "exp": 1704877500, "iat": 1704877200, "nonce": "n-0S6_WzA2Mj",
          "c_hash": "x", "s_hash": "y", "at_hash": "z", "auth_time": 1704877100}
seed('jws', b'\x04' + json.dumps(claims).encode())
seed('oidc', b'\x02' + json.dumps(claims).encode())
seed('oidc', b'\x01' + OK_JSON + b'{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","kid":"k"}]}')

for v in ['Bearer realm="example", error="invalid_token", error_description="The access token expired"',
          'DPoP algs="ES256 PS256", error="use_dpop_nonce"', 'Basic realm="x", Bearer', 'Newauth realm="apps", type=1, title="Login"']:
    seed('http', b'\x00' + v.encode())
for v in ['Sun, 06 Nov 1994 08:49:37 GMT', '120', 'Wed, 21 Oct 5012 07:28:00 GMT']:
    seed('http', b'\x01' + v.encode())
for v in ['max-age=300, no-cache', 'no-store', 'max-age="5"']:
    seed('http', b'\x02' + v.encode())
for v in ['code=SplxlOBeZQQYbYS6WxSbIA&state=af0ifjsldkj&iss=https%3A%2F%2Fas.example', 'a=1&b=%20+x']:
    seed('http', b'\x03' + v.encode())
for v in ['https://as.example/authorize?x=1#f', 'http://127.0.0.1:8080/cb', 'https://[::1]:443/']:
    seed('http', b'\x04' + v.encode())
    seed('http', b'\x05' + v.encode())

token = json.dumps({"access_token": "SlAV32hkKG", "token_type": "Bearer", "expires_in": 3600,
                    "refresh_token": "8xLOxBtZp8", "scope": "openid accounts",
                    "id_token": "eyJhbGciOiJub25lIn0.e30.", "authorization_details": []})
seed('oauth', b'\x00' + OK_JSON + token.encode())
seed('oauth', b'\x01' + b'\x01' + b'{"request_uri":"urn:ietf:params:oauth:request_uri:6esc_11ACC5bwc014ltc14eY22c","expires_in":60}')
seed('oauth', b'\x02' + OK_JSON + b'{"active":true,"client_id":"client","exp":1704877500,"scope":"a b","cnf":{"x5t#S256":"bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"}}')
seed('oauth', b'\x03' + OK_JSON)
seed('oauth', b'\x04' + OK_JSON + b'{"sub":"248289761001","name":"Jane Doe"}')
# Encrypted userinfo (selector 0x12: the harness encrypts the body; application/jwt).
seed('oauth', b'\x12' + b'\x10' + b'{"sub":"248289761001","iss":"https://as.example","aud":["client"]}')
seed('oauth', b'\x05' + b'\x02' + b'{"error":"invalid_grant","error_description":"expired"}')
for cb in ['https://client.example/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=af0ifjsldkj&iss=https%3A%2F%2Fas.example',
           'https://client.example/cb?error=access_denied&state=af0ifjsldkj',
           'https://client.example/cb?response=eyJhbGciOiJFUzI1NiJ9.e30.sig']:
    seed('oauth', b'\x06' + cb.encode())
    seed('oauth', b'\x46' + cb.encode())

consent = {"Data": {"ConsentId": "c1", "Status": "AwaitingAuthorisation",
                    "CreationDateTime": "2024-01-10T09:00:00Z", "StatusUpdateDateTime": "2024-01-10T09:00:00Z",
                    "Permissions": ["ReadAccountsDetail", "ReadBalances"],
                    "ExpirationDateTime": "2024-03-01T00:00:00Z"}, "Risk": {}}
for sel in (2, 3, 4):
    seed('consent', bytes([sel]) + json.dumps(consent).encode())
bg = {"access": {"accounts": [{"iban": "DE40100100103307118608"}]}, "recurringIndicator": True,
      "validUntil": "2024-02-01", "frequencyPerDay": 4, "combinedServiceIndicator": False}
seed('consent', b'\x05' + json.dumps(bg).encode())
seed('consent', b'\x06' + b'{"consentStatus":"received","consentId":"1234-wertiq-983","_links":{}}')
hamster = {"permissions": ["ReadAccountsBasic", "ReadBalances"], "expirationDateTime": "2024-03-01T00:00:00Z",
           "transactionFromDateTime": "2023-12-01T00:00:00Z", "transactionToDateTime": "2024-01-10T00:00:00Z"}
seed('consent', b'\x00' + json.dumps(hamster).encode())
seed('consent', b'\x01' + json.dumps(dict(hamster, consentId="hb-1", status="AwaitingAuthorisation",
                                          creationDateTime="2024-01-10T09:00:00Z")).encode())
seed('consent', b'\x07' + b'["ReadAccountsBasic","ReadTransactionsDetail"]')
for t in ['2024-03-15T00:00:00Z', '1958-04-12T23:20:50.52Z', '2024-03-15T12:00:00.123456789+05:30']:
    seed('consent', b'\x08' + t.encode())
seed('consent', b'\x09' + b'2024-02-29')

for sel, body in [(0, b'{"id":"user-1","password":"pw","email":"a@b.c","phone":"+49","isAutoUpdateEnabled":true}'),
                  (1, b'{"accessToken":"t","token_type":"bearer","expires_in":600}'),
                  (2, b'{"userSessionToken":"eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c2VyLTEifQ.","refreshToken":"r","token_type":"Bearer","expires_in":3600,"tenantId":"1234567"}'),
                  (3, b'{"token":"x"}'), (4, b'{"client_secret":"cs","session_id":"s1","status":"linked","accounts":[]}'),
                  (5, b'{"keys":[]}'), (6, json.dumps(dict(hamster, consentId="hb-consent-1", status="Authorised")).encode()),
                  (8, b'{"Data":{"Account":[]}}')]:
    seed('providers', bytes([sel]) + OK_JSON + body)

for body in [b'3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n', b'5;ext=1\r\nhello\r\n0\r\nX-T: 1\r\n\r\n', b'0\r\n\r\n']:
    seed('chunked', b'\x40\x10\x03' + body)

# dpop: claims of a proof the harness signs (selector 1) with each flag
# combination, a proof-shaped string (selector 0), and URLs (selector 2).
proof_claims = {"jti": "j-1", "htm": "POST", "htu": "https://as.example/token", "iat": 1704877200}
for flags in range(8):
    seed('dpop', bytes([1, flags]) + json.dumps(proof_claims).encode())
seed('dpop', bytes([1, 2]) + json.dumps(dict(proof_claims, ath="x", nonce="AAAA")).encode())
header = base64.urlsafe_b64encode(b'{"typ":"dpop+jwt","alg":"ES256","jwk":{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}}').rstrip(b'=')
seed('dpop', bytes([0, 0]) + header + b'.' + base64.urlsafe_b64encode(json.dumps(proof_claims).encode()).rstrip(b'=') + b'.AA')
for u in [b'https://as.example/token', b'HTTPS://AS.example:443/a/../token?q#f', b'http://h:80', b'https://h:8443/%7e/']:
    seed('dpop', bytes([2, 0]) + u)

# resource: requests (selector 0), claims of a token the harness signs
# (selector 1, flag 1: a certificate presented, 4: the DPoP scheme), and
# introspection answers (selector 2).
for fields in [b'Bearer abc.def.ghi', b'Bearer a\nBearer b', b'DPoP x.y.z',
               b'Basic dXNlcjpw', b'Bearer t\nhttps://api.example/a?access_token=1']:
    seed('resource', bytes([0, 2 if b'\nhttps' in fields else 0]) + fields)
at_claims = {"iss": "https://as.example", "aud": "https://api.example", "sub": "u-1",
             "client_id": "c-1", "scope": "accounts", "jti": "j-1", "iat": 1704877200,
             "exp": 1704877500}
for flags, extra in [(0, {}), (1, {"cnf": {"x5t#S256": "thumb"}}), (4, {"cnf": {"jkt": "abc"}}),
                     (0, {"client_id": "c\\u002d1"}), (0, {"scope": ["a"]})]:
    seed('resource', bytes([1, flags]) + json.dumps(dict(at_claims, **extra)).encode())
for body in [b'{"active":true,"iss":"https://as.example","aud":"https://api.example","exp":1704877500}',
             b'{"active":false}', b'{"active":true,"cnf":{"x5t#S256":"thumb"},"exp":1704877500}']:
    seed('resource', bytes([2, 1]) + body)

# store: sealed values (selector 0), stored token set text (selector 1),
# plaintext to seal (selector 2).
stored = {"access_token": "at-1", "refresh_token": "rt-1", "token_type": "Bearer",
          "expires_in": 300, "scope": "openid accounts", "obauth_issued_at": 1704877200}
seed('store', bytes([1]) + json.dumps(stored).encode())
seed('store', bytes([1]) + json.dumps(dict(stored, authorization_details=[{"type": "x"}])).encode())
seed('store', bytes([0]) + b's1.k1.' + base64.urlsafe_b64encode(bytes(40)).rstrip(b'='))
seed('store', bytes([2]) + json.dumps(stored).encode())

# jwe: compact JWEs (selector < 0x80: decrypted with the harness's fixed keys,
# those of RFC 7516 A.3, RFC 7518 C and the cookbook's X25519 and dir
# examples), and plaintexts to encrypt and decrypt again (selector >= 0x80).
for path, raw in vectors('jose-cookbook/jwe/*.json'):
    compact = json.loads(raw)['output'].get('compact')
    if compact:
        seed('jwe', bytes([4]) + compact.encode())
for name, selector in [('jose-cookbook/jwe/5_6.direct_encryption_using_aes-gcm.json', 3),
                       ('jose-cookbook/curve25519/ecdh-es.json', 2)]:
    with open(os.path.join(data, name)) as f:
        seed('jwe', bytes([selector]) + json.load(f)['output']['compact'].encode())
with open(os.path.join(data, 'rfc/rfc7516_A3_a128kw_a128cbc_hs256.json')) as f:
    seed('jwe', bytes([0]) + json.load(f)['compact'].encode())
for path, raw in vectors('jose-cookbook/jwe/*.json'):
    for form in ('json', 'json_flat'):
        doc = json.loads(raw)['output'].get(form)
        if doc:
            seed('jwe', bytes([0x44]) + json.dumps(doc).encode())
with open(os.path.join(data, 'rfc/rfc7516_A4_A5_json_serialization.json')) as f:
    a4 = json.load(f)
    seed('jwe', bytes([0x40]) + json.dumps(a4['general_json']).encode())
    seed('jwe', bytes([0x40]) + json.dumps(a4['A5_flattened_json']).encode())
seed('jwe', bytes([0xcb]))  # an empty plaintext (fuzzing found the offset on a null buffer)
for selector in range(0x80, 0x98):
    seed('jwe', bytes([selector]) + b'{"sub":"alice","nonce":"n-0S6_WzA2Mj"}')

# rsa: encoded messages of the digest of "payload" (rsa_fuzz.cpp): valid
# RSASSA-PKCS1-v1_5 (selector 0-2) and RSASSA-PSS (3-5; the next three bits:
# unused top bits), for 2048- and 3072-bit moduli.
digest_info = {'sha256': '3031300d060960864801650304020105000420',
               'sha384': '3041300d060960864801650304020205000430',
               'sha512': '3051300d060960864801650304020305000440'}


def mgf1(name, seed_octets, length):
    mask = b''
    counter = 0
    while len(mask) < length:
        mask += hashlib.new(name, seed_octets + counter.to_bytes(4, 'big')).digest()
        counter += 1
    return mask[:length]


for i, name in enumerate(['sha256', 'sha384', 'sha512']):
    h = hashlib.new(name, b'payload').digest()
    for k in (256, 384):
        t = bytes.fromhex(digest_info[name]) + h
        seed('rsa', bytes([i]) + b'\x00\x01' + b'\xff' * (k - len(t) - 3) + b'\x00' + t)
        unused = 1
        salt = hashlib.new(name, b'salt %d' % k).digest()
        hp = hashlib.new(name, bytes(8) + h + salt).digest()
        db = bytes(k - 2 * len(h) - 2) + b'\x01' + salt
        masked = bytearray(x ^ y for x, y in zip(db, mgf1(name, hp, len(db))))
        masked[0] &= 0xff >> unused
        seed('rsa', bytes([3 + i + 8 * unused]) + bytes(masked) + hp + b'\xbc')

for harness in sorted(os.listdir(out)):
    print(harness, len(os.listdir(os.path.join(out, harness))))

