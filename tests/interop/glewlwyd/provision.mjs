// Provisions a fresh Glewlwyd (started by start.sh) through its admin REST
// API, as an administrator would: a scope, a user, an OpenID Connect plugin
// instance with RS256, PS256 and ES256 signing keys, and one client per
// client authentication method. Writes <state-dir>/server.json for the
// tests: the issuer, the user's credentials and the clients.
//
// Run with NODE_EXTRA_CA_CERTS=<state-dir>/ca.pem (Glewlwyd speaks TLS with a
// certificate from the fixture's own CA).
// Usage: node provision.mjs <state-dir> <port> <glewlwyd's pid>
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, port, pid] = process.argv.slice(2);
const base = `https://127.0.0.1:${port}`;
const api = `${base}/api`;
const issuer = `${api}/oidc`;
const redirectUri = 'https://client.example/cb';

// The same derivation as the local bank's: base64url(sha256(seed)).
const secretOf = (name) =>
  createHash('sha256').update(`obauth-local-bank:${name}`).digest('base64url');

let cookie = '';
async function call(method, path, body) {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const set = res.headers.get('set-cookie');
  if (set) cookie = set.split(';')[0];
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

// The administrator of a fresh database (Glewlwyd's documented default).
await call('POST', '/auth/', { username: 'admin', password: 'password' });

// The database client module stores only the properties its data format
// lists: add the ones the OpenID Connect plugin reads below.
const clientModule = await call('GET', '/mod/client/database');
for (const p of ['sign_kid', 'tls_client_auth_subject_dn']) {
  clientModule.parameters['data-format'][p] = { multiple: false, read: true, write: true };
}
await call('PUT', '/mod/client/database', clientModule);
await call('PUT', '/mod/client/database/reset'); // reload with the new format

await call('POST', '/scope/', {
  name: 'accounts',
  display_name: 'Accounts',
  description: 'Account information',
  password_required: false,
  scheme: {},
});

const user = { username: 'ada', password: secretOf('glewlwyd-user-ada') };
await call('POST', '/user/', {
  username: user.username,
  password: user.password,
  name: 'Ada Lovelace',
  email: 'ada@example.test',
  enabled: true,
  scope: ['openid', 'accounts'],
});

// The server's signing keys, fresh for each run: one per algorithm.
const privateJwk = (key, alg, kid) => ({ ...key.export({ format: 'jwk' }), alg, kid });
const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const signingKeys = [
  privateJwk(rsa(), 'RS256', 'gw-rs256'),
  privateJwk(rsa(), 'PS256', 'gw-ps256'),
  privateJwk(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, 'ES256', 'gw-es256'),
];

await call('POST', '/mod/plugin/', {
  module: 'oidc',
  name: 'oidc',
  display_name: 'OpenID Connect',
  enabled: true,
  parameters: {
    iss: issuer,
    'jwks-private': JSON.stringify({ keys: signingKeys }),
    'default-kid': 'gw-rs256',
    'client-sign_kid-parameter': 'sign_kid',
    'jwks-show': true,
    'access-token-duration': 3600,
    'refresh-token-duration': 1209600,
    'code-duration': 600,
    'refresh-token-rolling': true,
    'allow-non-oidc': true, // client_credentials needs it
    'auth-type-code-enabled': true,
    'auth-type-token-enabled': false,
    'auth-type-id-token-enabled': true,
    'auth-type-none-enabled': false,
    'auth-type-password-enabled': false,
    'auth-type-client-enabled': true,
    'auth-type-device-enabled': false,
    'auth-type-refresh-enabled': true,
    'subject-type': 'public',
    'pkce-allowed': true,
    'pkce-method-plain-allowed': false,
    'request-parameter-allow': true,
    'request-parameter-allow-encrypted': false,
    'client-jwks-parameter': 'jwks',
    'oauth-par-allowed': true,
    'oauth-par-required': false,
    'oauth-par-request_uri-prefix': 'urn:ietf:params:oauth:request_uri:',
    'oauth-par-duration': 90,
    'introspection-revocation-allowed': true,
    'introspection-revocation-auth-scope': [],
    'introspection-revocation-allow-target-client': true,
    'client-cert-source': 'TLS',
    'client-cert-use-endpoint-aliases': false,
    'client-cert-self-signed-allowed': false,
    'oauth-as-iss-id': true,
    'oauth-fapi-allow-jarm': true,
  },
});

// The clients' own keys (private_key_jwt, request objects) come from the
// fixture's PKI; their public halves are registered.
const publicJwk = (file, alg, kid) => ({
  ...createPublicKey(createPrivateKey(readFileSync(join(dir, file)))).export({ format: 'jwk' }),
  alg,
  kid,
  use: 'sig',
});
const clientJwks = {
  keys: [publicJwk('client-rsa.key', 'PS256', 'client-rsa'), publicJwk('client-ec.key', 'ES256', 'client-ec')],
};

const clients = [
  { client_id: 'gw-basic', method: 'client_secret_basic', sign_kid: 'gw-rs256' },
  { client_id: 'gw-post', method: 'client_secret_post', sign_kid: 'gw-rs256' },
  { client_id: 'gw-jwt', method: 'client_secret_jwt', sign_kid: 'gw-rs256' },
  { client_id: 'gw-private-key', method: 'private_key_jwt', sign_kid: 'gw-ps256', jwks: clientJwks },
  { client_id: 'gw-mtls', method: 'tls_client_auth', sign_kid: 'gw-es256', tls_client_auth_subject_dn: 'CN=fapi-client' },
  { client_id: 'gw-public', method: 'none', sign_kid: 'gw-es256', public: true },
];
for (const c of clients) {
  const body = {
    client_id: c.client_id,
    name: c.client_id,
    enabled: true,
    confidential: !c.public,
    redirect_uri: [redirectUri],
    authorization_type: c.public
      ? ['code', 'refresh_token']
      : ['code', 'id_token', 'refresh_token', 'client_credentials'],
    scope: ['openid', 'accounts'],
    token_endpoint_auth_method: [c.method],
    sign_kid: c.sign_kid,
  };
  if (!c.public && c.method.startsWith('client_secret')) body.client_secret = secretOf(c.client_id);
  if (c.jwks) body.jwks = c.jwks;
  if (c.tls_client_auth_subject_dn) body.tls_client_auth_subject_dn = c.tls_client_auth_subject_dn;
  await call('POST', '/client/', body);
}

// Compact: ../bank/stop.sh reads "pid":<n> from it.
writeFileSync(
  join(dir, 'server.json'),
  JSON.stringify({ issuer, base, redirect_uri: redirectUri, user: user.username,
    clients: clients.map((c) => c.client_id), pid: Number(pid) }),
);
console.log(`glewlwyd provisioned: ${issuer}`);
