// The local bank: a real OpenID Provider (oidc-provider 8, FAPI 1.0 Advanced
// profile '1.0 Final' for the FAPI 1.0 clients, '2.0' for the FAPI 2.0 ones,
// DPoP with nonces required) on https://127.0.0.1:<free port>,
// laid out as Hamster Bank (seed 001: /.well-known/jwks.json, /oauth/par,
// /oauth/authorize, /oauth/token, /oauth/introspect, /oauth/revoke), with its
// consent endpoints (consents.mjs), a resource endpoint that checks
// certificate- and DPoP-bound tokens (with its own DPoP nonces) and the
// consent behind them, stand-ins for the
// other providers of the seeds (providers.mjs), and a test-only
// interaction route that logs in and consents for a fixed user, so a program
// can follow /oauth/authorize redirects to the redirect URI without a
// browser. For obauth's interop tests and examples only.
//
// Usage: node server.mjs <pki-dir>   (make-pki.sh <pki-dir> first)
// Writes <pki-dir>/server.json ({ issuer, port, pid }) when it listens, and
// stops on SIGTERM or SIGINT.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';

import {
  calculateJwkThumbprint, decodeProtectedHeader, EmbeddedJWK, jwtVerify,
} from 'jose';
import Provider, { errors } from 'oidc-provider';

import { ConsentStore } from './consents.mjs';
import { standIn } from './providers.mjs';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node server.mjs <pki-dir>');
  process.exit(2);
}
const file = (name) => fs.readFileSync(path.join(dir, name));
const publicJwk = (pem, alg, kid) => ({
  ...crypto.createPublicKey(pem).export({ format: 'jwk' }), alg, kid, use: 'sig',
});
const privateJwk = (key, alg, kid) => ({ ...key.export({ format: 'jwk' }), alg, kid, use: 'sig' });

// The clients' keys come from the PKI directory; the bank's own signing keys
// are new on every start.
const clientRsa = publicJwk(file('client-rsa.key'), 'PS256', 'client-rsa');
const clientRsaForRs256 = publicJwk(file('client-rsa.key'), 'RS256', 'client-rsa-rs256');
const clientEc = publicJwk(file('client-ec.key'), 'ES256', 'client-ec');
// The key the bank encrypts ID tokens, JARM, userinfo and introspection
// answers to, and the bank's own key for encrypted request objects.
const clientEnc = {
  ...crypto.createPublicKey(file('client-enc.key')).export({ format: 'jwk' }),
  alg: 'RSA-OAEP-256',
  kid: 'client-enc',
  use: 'enc',
};
const bankEnc = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const bankRsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const bankEc = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

const redirectUri = 'https://client.example/cb';
const secretOf = (id) => crypto.createHash('sha256').update(`obauth-local-bank:${id}`).digest('base64url');
const fapiMetadata = {
  redirect_uris: [redirectUri],
  grant_types: ['authorization_code', 'refresh_token'],
  tls_client_certificate_bound_access_tokens: true,
  require_pushed_authorization_requests: true,
  require_signed_request_object: true,
  scope: 'openid accounts offline_access',
};
const clients = [
  { // FAPI: PAR + JAR + PKCE + JARM, private_key_jwt (PS256), bound tokens
    client_id: 'fapi-jarm',
    ...fapiMetadata,
    response_types: ['code'],
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'PS256',
    request_object_signing_alg: 'PS256',
    authorization_signed_response_alg: 'PS256',
    id_token_signed_response_alg: 'PS256',
    introspection_signed_response_alg: 'PS256',
    jwks: { keys: [clientRsa, clientEc] },
  },
  { // The same, with every answer encrypted to the client and the request
    // object encrypted to the bank (OpenID Connect Registration §2, JARM §3,
    // RFC 9701 §6).
    client_id: 'fapi-encrypted',
    ...fapiMetadata,
    response_types: ['code'],
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'PS256',
    request_object_signing_alg: 'PS256',
    request_object_encryption_alg: 'ECDH-ES+A256KW',
    request_object_encryption_enc: 'A256GCM',
    authorization_signed_response_alg: 'PS256',
    authorization_encrypted_response_alg: 'RSA-OAEP-256',
    authorization_encrypted_response_enc: 'A256GCM',
    id_token_signed_response_alg: 'PS256',
    id_token_encrypted_response_alg: 'RSA-OAEP-256',
    id_token_encrypted_response_enc: 'A256GCM',
    userinfo_signed_response_alg: 'PS256',
    userinfo_encrypted_response_alg: 'RSA-OAEP-256',
    userinfo_encrypted_response_enc: 'A128CBC-HS256',
    introspection_signed_response_alg: 'PS256',
    introspection_encrypted_response_alg: 'RSA-OAEP-256',
    introspection_encrypted_response_enc: 'A256GCM',
    jwks: { keys: [clientRsa, clientEc, clientEnc] },
  },
  { // FAPI hybrid (code id_token) with tls_client_auth, ES256
    client_id: 'fapi-hybrid',
    ...fapiMetadata,
    response_types: ['code id_token'],
    grant_types: ['authorization_code', 'implicit', 'refresh_token'],
    token_endpoint_auth_method: 'tls_client_auth',
    tls_client_auth_subject_dn: 'CN=fapi-client',
    request_object_signing_alg: 'ES256',
    id_token_signed_response_alg: 'ES256',
    jwks: { keys: [clientEc] },
  },
  // Client credentials with every other authentication method.
  { client_id: 'cc-basic', client_secret: secretOf('cc-basic'), token_endpoint_auth_method: 'client_secret_basic' },
  { client_id: 'cc-post', client_secret: secretOf('cc-post'), token_endpoint_auth_method: 'client_secret_post' },
  {
    client_id: 'cc-jwt',
    client_secret: secretOf('cc-jwt'),
    token_endpoint_auth_method: 'client_secret_jwt',
    token_endpoint_auth_signing_alg: 'HS256',
  },
  {
    client_id: 'cc-private-key',
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'ES256',
    jwks: { keys: [clientEc, clientRsaForRs256] },
  },
  {
    client_id: 'cc-mtls',
    token_endpoint_auth_method: 'tls_client_auth',
    tls_client_auth_subject_dn: 'CN=fapi-client',
    tls_client_certificate_bound_access_tokens: true,
  },
].map((c) => ({
  grant_types: ['client_credentials'],
  redirect_uris: [],
  response_types: [],
  scope: 'accounts',
  ...c,
}));
// Hamster Bank's TPPs: client credentials (scope consents) to create
// consents, then the FAPI flow bound to one; private_key_jwt or
// tls_client_auth.
const hamsterMetadata = {
  ...fapiMetadata,
  grant_types: ['client_credentials', 'authorization_code', 'refresh_token'],
  response_types: ['code'],
  scope: 'openid accounts payments fundsconfirmations consents offline_access',
  request_object_signing_alg: 'PS256',
  authorization_signed_response_alg: 'PS256',
  id_token_signed_response_alg: 'PS256',
  introspection_signed_response_alg: 'PS256',
};
clients.push({
  client_id: 'hamster-tpp',
  ...hamsterMetadata,
  token_endpoint_auth_method: 'private_key_jwt',
  token_endpoint_auth_signing_alg: 'PS256',
  jwks: { keys: [clientRsa, clientEc] },
}, {
  client_id: 'hamster-tpp-mtls',
  ...hamsterMetadata,
  token_endpoint_auth_method: 'tls_client_auth',
  tls_client_auth_subject_dn: 'CN=fapi-client',
  jwks: { keys: [clientRsa, clientEc] },
});
// Confidential web clients with a shared secret: authorization code + PKCE
// and refresh tokens (the secret-scanning test refreshes with them).
for (const [id, method] of [['web-basic', 'client_secret_basic'], ['web-post', 'client_secret_post']]) {
  clients.push({
    client_id: id,
    client_secret: secretOf(id),
    token_endpoint_auth_method: method,
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    scope: 'openid accounts offline_access',
    id_token_signed_response_alg: 'PS256',
  });
}
// FAPI 2.0 (oidc-provider's profile '2.0'): PAR, PKCE, code only, iss in the
// response. DPoP-bound tokens with private_key_jwt; mTLS for both; Message
// Signing (JAR, JARM, signed introspection) with DPoP.
const fapi2Metadata = {
  redirect_uris: [redirectUri],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  require_pushed_authorization_requests: true,
  scope: 'openid accounts offline_access',
  id_token_signed_response_alg: 'PS256',
};
clients.push({
  client_id: 'fapi2-dpop',
  ...fapi2Metadata,
  token_endpoint_auth_method: 'private_key_jwt',
  token_endpoint_auth_signing_alg: 'PS256',
  dpop_bound_access_tokens: true,
  jwks: { keys: [clientRsa, clientEc] },
}, {
  client_id: 'fapi2-mtls',
  ...fapi2Metadata,
  token_endpoint_auth_method: 'tls_client_auth',
  tls_client_auth_subject_dn: 'CN=fapi-client',
  tls_client_certificate_bound_access_tokens: true,
}, {
  // The same for the fleet test (Redis): its refresh counts are its own.
  client_id: 'fleet-mtls',
  ...fapi2Metadata,
  token_endpoint_auth_method: 'tls_client_auth',
  tls_client_auth_subject_dn: 'CN=fapi-client',
  tls_client_certificate_bound_access_tokens: true,
}, {
  client_id: 'fapi2-signing',
  ...fapi2Metadata,
  token_endpoint_auth_method: 'private_key_jwt',
  token_endpoint_auth_signing_alg: 'ES256',
  dpop_bound_access_tokens: true,
  require_signed_request_object: true,
  request_object_signing_alg: 'PS256',
  authorization_signed_response_alg: 'PS256',
  introspection_signed_response_alg: 'PS256',
  jwks: { keys: [clientRsa, clientEc] },
});
// The gateway example's API (RFC 8707 resource indicator): client
// credentials for it give RFC 9068 JWT access tokens (PS256), bound to the
// certificate or to a DPoP key; without the resource, tokens stay opaque.
const gatewayResource = 'https://gateway.obauth.test';
clients.push({
  client_id: 'gw-api-mtls',
  grant_types: ['client_credentials'],
  redirect_uris: [],
  response_types: [],
  scope: 'accounts payments',
  token_endpoint_auth_method: 'tls_client_auth',
  tls_client_auth_subject_dn: 'CN=fapi-client',
  tls_client_certificate_bound_access_tokens: true,
}, {
  client_id: 'gw-api-dpop',
  grant_types: ['client_credentials'],
  redirect_uris: [],
  response_types: [],
  scope: 'accounts payments',
  token_endpoint_auth_method: 'private_key_jwt',
  token_endpoint_auth_signing_alg: 'ES256',
  dpop_bound_access_tokens: true,
  jwks: { keys: [clientEc] },
}, {
  // Its tokens for the gateway are opaque: the gateway introspects them.
  client_id: 'gw-api-opaque',
  client_secret: secretOf('gw-api-opaque'),
  grant_types: ['client_credentials'],
  redirect_uris: [],
  response_types: [],
  scope: 'accounts payments',
  token_endpoint_auth_method: 'client_secret_basic',
});
// A confidential web client whose ID tokens and UserInfo answers are
// encrypted with keys derived from its client secret (OpenID Connect Core
// §10.2: A128KW, and dir with A256GCM).
clients.push({
  client_id: 'secret-encrypted',
  client_secret: secretOf('secret-encrypted'),
  token_endpoint_auth_method: 'client_secret_basic',
  redirect_uris: [redirectUri],
  grant_types: ['authorization_code'],
  response_types: ['code'],
  scope: 'openid accounts',
  id_token_signed_response_alg: 'PS256',
  id_token_encrypted_response_alg: 'A128KW',
  id_token_encrypted_response_enc: 'A128CBC-HS256',
  userinfo_signed_response_alg: 'PS256',
  userinfo_encrypted_response_alg: 'dir',
  userinfo_encrypted_response_enc: 'A256GCM',
});
// A public client: authorization code + PKCE, no authentication.
clients.push({
  client_id: 'public-app',
  token_endpoint_auth_method: 'none',
  redirect_uris: [redirectUri],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  scope: 'openid accounts offline_access',
});

const user = { accountId: 'user-1001', name: 'Ada Lovelace', email: 'ada@example.test' };

const peerCertificate = (ctx) => {
  const cert = ctx.req.socket.getPeerX509Certificate?.();
  return cert ?? undefined;
};

let provider; // created once the port, and so the issuer, is known
const fapiClients = new Set(['fapi-jarm', 'fapi-encrypted', 'fapi-hybrid', 'hamster-tpp', 'hamster-tpp-mtls']);
const fapi2Clients = new Set(['fapi2-dpop', 'fapi2-mtls', 'fleet-mtls', 'fapi2-signing']);
const fapiProfile = (client) => {
  if (fapiClients.has(client?.clientId)) return '1.0 Final';
  if (fapi2Clients.has(client?.clientId)) return '2.0';
  return undefined;
};
const consents = new ConsentStore();
const configuration = {
  clients,
  jwks: {
    keys: [privateJwk(bankRsa, 'PS256', 'bank-rsa'), privateJwk(bankEc, 'ES256', 'bank-ec'),
      { ...bankEnc.export({ format: 'jwk' }), alg: 'ECDH-ES+A256KW', kid: 'bank-enc', use: 'enc' }],
  },
  clientDefaults: {
    id_token_signed_response_alg: 'PS256',
    introspection_signed_response_alg: 'PS256',
    authorization_signed_response_alg: 'PS256',
  },
  clientAuthMethods: ['none', 'client_secret_basic', 'client_secret_post', 'client_secret_jwt',
    'private_key_jwt', 'tls_client_auth'],
  cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
  scopes: ['openid', 'offline_access', 'accounts', 'payments', 'fundsconfirmations', 'consents'],
  claims: { openid: ['sub'], profile: ['name'], email: ['email'], openbanking_intent_id: null },
  routes: {
    authorization: '/oauth/authorize',
    jwks: '/.well-known/jwks.json',
    pushed_authorization_request: '/oauth/par',
    token: '/oauth/token',
    introspection: '/oauth/introspect',
    revocation: '/oauth/revoke',
    userinfo: '/oauth/userinfo',
  },
  responseTypes: ['code', 'code id_token'],
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    claimsParameter: { enabled: true },
    fapi: { enabled: true, profile: (ctx, client) => fapiProfile(client) },
    // Every DPoP proof must carry one of the bank's nonces (RFC 9449 §8).
    dPoP: { enabled: true, nonceSecret: crypto.randomBytes(32), requireNonce: () => true },
    pushedAuthorizationRequests: { enabled: true },
    // Encrypted answers and request objects (the fapi-encrypted client).
    encryption: { enabled: true },
    jwtUserinfo: { enabled: true },
    requestObjects: { request: true, requestUri: false },
    jwtResponseModes: { enabled: true },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    jwtIntrospection: { enabled: true },
    revocation: { enabled: true },
    mTLS: {
      enabled: true,
      certificateBoundAccessTokens: true,
      tlsClientAuth: true,
      getCertificate: peerCertificate,
      certificateAuthorized: (ctx) => ctx.req.socket.authorized === true,
      certificateSubjectMatches: (ctx, property, expected) => property === 'tls_client_auth_subject_dn'
        && peerCertificate(ctx)?.subject === expected,
    },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => undefined,
      useGrantedResource: () => false,
      getResourceServerInfo: (ctx, resource, client) => {
        if (resource !== gatewayResource) throw new errors.InvalidTarget();
        const opaque = client.clientId === 'gw-api-opaque';
        return {
          scope: 'accounts payments',
          audience: gatewayResource,
          accessTokenTTL: 300,
          accessTokenFormat: opaque ? 'opaque' : 'jwt',
          ...(opaque ? {} : { jwt: { sign: { alg: 'PS256' } } }),
        };
      },
    },
  },
  enabledJWA: {
    clientAuthSigningAlgValues: ['HS256', 'RS256', 'PS256', 'ES256'],
    requestObjectSigningAlgValues: ['PS256', 'ES256'],
    idTokenSigningAlgValues: ['PS256', 'ES256'],
    authorizationSigningAlgValues: ['PS256', 'ES256'],
    introspectionSigningAlgValues: ['PS256', 'ES256'],
    dPoPSigningAlgValues: ['ES256', 'PS256', 'EdDSA'],
    idTokenEncryptionAlgValues: ['RSA-OAEP-256', 'ECDH-ES+A256KW', 'A128KW', 'dir'],
    idTokenEncryptionEncValues: ['A256GCM', 'A128CBC-HS256'],
    userinfoEncryptionAlgValues: ['RSA-OAEP-256', 'ECDH-ES+A256KW', 'A128KW', 'dir'],
    userinfoEncryptionEncValues: ['A256GCM', 'A128CBC-HS256'],
    authorizationEncryptionAlgValues: ['RSA-OAEP-256', 'ECDH-ES+A256KW'],
    authorizationEncryptionEncValues: ['A256GCM', 'A128CBC-HS256'],
    introspectionEncryptionAlgValues: ['RSA-OAEP-256', 'ECDH-ES+A256KW'],
    introspectionEncryptionEncValues: ['A256GCM', 'A128CBC-HS256'],
    requestObjectEncryptionAlgValues: ['ECDH-ES+A256KW', 'RSA-OAEP-256'],
    requestObjectEncryptionEncValues: ['A256GCM'],
  },
  issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: true,
  ttl: { AccessToken: 300, IdToken: 300, AuthorizationCode: 60, RefreshToken: 90 * 24 * 3600, ClientCredentials: 300 },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: async (ctx, sub) => (sub === user.accountId ? {
    accountId: sub,
    // openbanking_intent_id: the consent the authorization request named
    // (checked and authorised during the interaction).
    claims: async (use, scope, requested) => ({
      sub,
      name: user.name,
      email: user.email,
      openbanking_intent_id: requested?.openbanking_intent_id?.value,
    }),
  } : undefined),
  renderError: async (ctx, out) => {
    ctx.type = 'application/json';
    ctx.body = out;
  },
};

// Test-only: approve every interaction for the fixed user.
async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  let result;
  if (details.prompt.name === 'login') {
    result = { login: { accountId: user.accountId } };
  } else {
    // A request naming an open-banking consent: the user authorises that
    // consent (it must be the client's and still AwaitingAuthorisation).
    const intent = consents.intentOf(details.params.claims);
    if (intent !== undefined) {
      const refused = consents.authorise(intent, details.params.client_id);
      if (refused) {
        await provider.interactionFinished(req, res, { error: 'access_denied', error_description: refused },
          { mergeWithLastSubmission: false });
        return;
      }
    }
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
    const missing = details.prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant.save();
    if (intent !== undefined) consents.bindGrant(grantId, intent);
    result = { consent: { grantId } };
  }
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

const send = (res, status, body, headers = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
};

// DPoP at the resource endpoint (RFC 9449 §7), checked here with jose: the
// endpoint's own nonces (RFC 9449 §9; valid 5 minutes), proofs no older than
// that, each jti once, htm/htu/ath, and the key the token is bound to.
const dpopAlgs = ['ES256', 'PS256', 'EdDSA'];
const resourceNonces = new Map(); // nonce -> expiry (ms)
const seenProofs = new Map(); // jti -> expiry (ms)
const newNonce = () => {
  const now = Date.now();
  for (const [n, exp] of resourceNonces) if (exp < now) resourceNonces.delete(n);
  const n = crypto.randomBytes(18).toString('base64url');
  resourceNonces.set(n, now + 300_000);
  return n;
};
class DpopRefusal extends Error {
  constructor(error, description) {
    super(description);
    this.error = error;
  }
}
async function checkDpop(req, token, value, url) {
  const proofs = req.headersDistinct?.dpop ?? [];
  if (proofs.length !== 1) throw new DpopRefusal('invalid_dpop_proof', 'exactly one DPoP proof');
  let payload;
  let protectedHeader;
  try {
    const alg = decodeProtectedHeader(proofs[0]).alg;
    if (!dpopAlgs.includes(alg)) throw new Error('algorithm');
    ({ payload, protectedHeader } = await jwtVerify(proofs[0], EmbeddedJWK, { typ: 'dpop+jwt', algorithms: dpopAlgs }));
  } catch {
    throw new DpopRefusal('invalid_dpop_proof', 'the proof does not verify');
  }
  if (payload.htm !== req.method || payload.htu !== url) throw new DpopRefusal('invalid_dpop_proof', 'htm or htu');
  const ath = crypto.createHash('sha256').update(value).digest('base64url');
  if (payload.ath !== ath) throw new DpopRefusal('invalid_dpop_proof', 'ath');
  const now = Date.now();
  if (typeof payload.iat !== 'number' || Math.abs(now / 1000 - payload.iat) > 300) {
    throw new DpopRefusal('invalid_dpop_proof', 'iat');
  }
  if (typeof payload.nonce !== 'string' || !(resourceNonces.get(payload.nonce) > now)) {
    throw new DpopRefusal('use_dpop_nonce', 'the resource wants its nonce');
  }
  if (typeof payload.jti !== 'string' || seenProofs.has(payload.jti)) throw new DpopRefusal('invalid_dpop_proof', 'jti replayed');
  for (const [j, exp] of seenProofs) if (exp < now) seenProofs.delete(j);
  seenProofs.set(payload.jti, now + 600_000);
  if (await calculateJwkThumbprint(protectedHeader.jwk) !== token.jkt) {
    throw new DpopRefusal('invalid_token', 'the proof is not from the key the token is bound to');
  }
}

// The access token of a request, checked: known, not expired, presented
// over the certificate it is bound to, and with a proof from the key it is
// DPoP-bound to (`Authorization: DPoP`). Answers 401 itself when not.
async function bearer(req, res) {
  const auth = req.headers.authorization ?? '';
  const scheme = auth.startsWith('DPoP ') ? 'DPoP' : 'Bearer';
  const value = auth.startsWith(`${scheme} `) ? auth.slice(scheme.length + 1) : '';
  const token = value
    ? (await provider.AccessToken.find(value)) ?? (await provider.ClientCredentials.find(value))
    : undefined;
  const refuse = (description, error = 'invalid_token', challenge = scheme) => {
    const headers = {
      'WWW-Authenticate': `${challenge} error="${error}", error_description="${description}"${challenge === 'DPoP' ? `, algs="${dpopAlgs.join(' ')}"` : ''}`,
    };
    if (error === 'use_dpop_nonce') headers['DPoP-Nonce'] = newNonce();
    send(res, 401, { error }, headers);
    return undefined;
  };
  if (!token || token.isExpired) return refuse('unknown or expired token');
  const cert = peerCertificate({ req });
  const presented = cert ? crypto.createHash('sha256').update(cert.raw).digest('base64url') : undefined;
  if (token['x5t#S256'] && token['x5t#S256'] !== presented) return refuse('certificate does not match the token');
  if (token.jkt && scheme !== 'DPoP') return refuse('a DPoP-bound token needs the DPoP scheme', 'invalid_token', 'DPoP');
  if (scheme === 'DPoP') {
    if (!token.jkt) return refuse('not a DPoP-bound token');
    try {
      await checkDpop(req, token, value, `${provider.issuer}${req.url.split('?')[0]}`);
    } catch (e) {
      if (!(e instanceof DpopRefusal)) throw e;
      return refuse(e.message, e.error);
    }
  }
  return token;
}

// A protected resource: the bound access token, from the same certificate,
// and when the authorization named a consent, that consent Authorised with
// an accounts permission.
async function accounts(req, res) {
  const token = await bearer(req, res);
  if (!token) return undefined;
  // FAPI 1.0 Part 1 §6.2.1: the interaction id comes back as sent.
  const interaction = req.headers['x-fapi-interaction-id'];
  const echo = interaction ? { 'x-fapi-interaction-id': interaction } : {};
  const refused = consents.checkResource(token.grantId, ['ReadAccounts', 'ReadAccountsBasic']);
  if (refused) return send(res, 403, { error: 'consent_not_usable', error_description: refused }, echo);
  return send(res, 200, {
    Data: { Account: [{ AccountId: '22289', Currency: 'GBP', Nickname: 'Bills' }] },
    sub: token.accountId ?? null,
  }, echo);
}

// Hamster Bank's consent endpoints, for client credentials tokens with the
// consents scope.
async function consentRoute(req, res, route) {
  const token = await bearer(req, res);
  if (!token) return undefined;
  if (token.kind !== 'ClientCredentials' || !String(token.scope ?? '').split(' ').includes('consents')) {
    return send(res, 403, { error: 'insufficient_scope', error_description: 'a client credentials token with scope consents' });
  }
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 64 * 1024) return send(res, 413, { error: 'invalid_request' });
  }
  const answer = consents.handle(req.method, route, token.clientId, body, req.headers['x-idempotency-key']);
  return send(res, answer.status, answer.body);
}

const grantCounts = {};

const server = https.createServer({
  key: file('server.key'),
  cert: file('server.pem'),
  ca: file('ca.pem'),
  requestCert: true,
  rejectUnauthorized: false,
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `https://127.0.0.1:${port}`;
  provider = new Provider(issuer, configuration);
  provider.proxy = false;
  // Per client: refresh_token grants served and grants revoked (a reused
  // rotated refresh token revokes the grant). The fleet test reads them.
  provider.on('grant.success', (ctx) => {
    if (ctx.oidc.params.grant_type !== 'refresh_token') return;
    const id = ctx.oidc.client.clientId;
    grantCounts[id] = { ...(grantCounts[id] ?? { refresh: 0, revoked: 0 }) };
    grantCounts[id].refresh += 1;
  });
  provider.on('grant.revoked', (ctx) => {
    const id = ctx.oidc.client?.clientId ?? 'unknown';
    grantCounts[id] = { ...(grantCounts[id] ?? { refresh: 0, revoked: 0 }) };
    grantCounts[id].revoked += 1;
  });
  const callback = provider.callback();
  server.on('request', (req, res) => {
    const route = req.url.split('?')[0];
    const fail = (e) => {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: 'server_error', error_description: String(e.message) }));
    };
    if (route.startsWith('/interaction/')) interaction(req, res).catch(fail);
    else if (route === '/accounts') accounts(req, res).catch(fail);
    else if (route === '/test/grants') {
      const id = new URL(req.url, issuer).searchParams.get('client_id');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(grantCounts[id] ?? { refresh: 0, revoked: 0 }));
    }
    else if (route.startsWith('/consents/')) consentRoute(req, res, route).catch(fail);
    else if (standIn(req, res, route, issuer)) return;
    else callback(req, res);
  });
  fs.writeFileSync(path.join(dir, 'server.json'), JSON.stringify({ issuer, port, pid: process.pid }));
  console.log(`local bank listening at ${issuer}`);
});
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
