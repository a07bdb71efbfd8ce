// The interop peer: the `jose` npm package (panva/jose), driven in batches.
//   node peer.mjs verify <requests.json> <results.json>
//     checks what obauth produced: tokens in every serialization, JWKs and
//     thumbprints.
//   node peer.mjs produce <requests.json> <results.json>
//     generates keys and tokens for obauth to check.
//   node peer.mjs dpop-produce <requests.json> <results.json>
//     makes DPoP proofs (RFC 9449) for obauth's verifier.
//   node peer.mjs dpop-verify <requests.json> <results.json>
//     checks obauth's DPoP proofs: the signature with the header's key.
//   node peer.mjs jwe-decrypt <requests.json> <results.json>
//     decrypts obauth's JWEs (compact) with the private JWK obauth gives.
//   node peer.mjs jwe-produce <requests.json> <results.json>
//     generates a key per request and encrypts to it, for obauth to decrypt.
import * as jose from 'jose';
import { readFileSync, writeFileSync } from 'node:fs';

const enc = new TextEncoder();
const dec = new TextDecoder();

const [mode, input, output] = process.argv.slice(2);
const requests = JSON.parse(readFileSync(input, 'utf8'));

// Detached compact JWS: jose verifies it as a flattened JWS with the payload.
function flattenedFromDetached(compact, payload) {
  const [protectedHeader, , signature] = compact.split('.');
  return { protected: protectedHeader, payload, signature };
}

async function verifyOne(r) {
  const key = await jose.importJWK(r.public_jwk, r.alg);
  const options = { algorithms: [r.alg] };
  const out = { id: r.id };
  try {
    let result;
    if (r.form === 'compact') {
      result = await jose.compactVerify(r.token, key, options);
    } else if (r.form === 'compact_detached_b64false') {
      result = await jose.flattenedVerify(flattenedFromDetached(r.token, r.payload), key, options);
    } else if (r.form === 'json_general') {
      result = await jose.generalVerify(JSON.parse(r.token), key, options);
    } else if (r.form === 'json_flattened') {
      result = await jose.flattenedVerify(JSON.parse(r.token), key, options);
    } else if (r.form === 'jwt') {
      result = await jose.jwtVerify(r.token, key, { ...options, issuer: r.issuer, audience: r.audience, currentDate: new Date(r.now * 1000) });
      out.claims = result.payload;
    }
    out.verified = true;
    out.payload = result.payload instanceof Uint8Array ? dec.decode(result.payload) : null;
  } catch (e) {
    out.verified = false;
    out.error = String(e.code || e.message);
  }
  out.thumbprint = await jose.calculateJwkThumbprint(r.public_jwk, 'sha256');
  return out;
}

async function produceOne(r) {
  let publicKey, privateKey;
  if (r.alg.startsWith('HS')) {
    publicKey = privateKey = await jose.generateSecret(r.alg, { extractable: true });
  } else {
    ({ publicKey, privateKey } = await jose.generateKeyPair(r.alg, { crv: r.crv, extractable: true }));
  }
  // For HMAC the "public" JWK is the shared secret: obauth needs it to verify.
  const publicJwk = { ...(await jose.exportJWK(publicKey)), kid: r.kid, alg: r.alg };
  const payload = enc.encode(r.payload);
  const header = { alg: r.alg, kid: r.kid };
  const compact = await new jose.CompactSign(payload).setProtectedHeader(header).sign(privateKey);
  const general = await new jose.GeneralSign(payload)
    .addSignature(privateKey).setProtectedHeader(header).setUnprotectedHeader({ note: 'from jose' })
    .sign();
  const flattened = await new jose.FlattenedSign(payload).setProtectedHeader(header).sign(privateKey);
  const unencoded = await new jose.FlattenedSign(enc.encode(r.unencoded_payload))
    .setProtectedHeader({ ...header, b64: false, crit: ['b64'] }).sign(privateKey);
  const jwt = await new jose.SignJWT({ scope: 'accounts' })
    .setProtectedHeader({ ...header, typ: 'JWT' }).setIssuer(r.issuer).setAudience(r.audience)
    .setIssuedAt(r.now).setExpirationTime(r.now + 300).sign(privateKey);
  return {
    id: r.id, alg: r.alg, public_jwk: publicJwk,
    thumbprint: await jose.calculateJwkThumbprint(publicJwk, 'sha256'),
    compact, json_general: JSON.stringify(general), json_flattened: JSON.stringify(flattened),
    unencoded_flattened: JSON.stringify(unencoded), jwt,
  };
}

// A DPoP proof as RFC 9449 §4.2 describes it, written with jose's own API.
async function dpopProduceOne(r) {
  const { publicKey, privateKey } = await jose.generateKeyPair(r.alg, { crv: r.crv, extractable: true });
  const jwk = await jose.exportJWK(publicKey);
  const claims = { jti: crypto.randomUUID(), htm: r.method, htu: r.url };
  if (r.access_token) {
    const digest = await crypto.subtle.digest('SHA-256', enc.encode(r.access_token));
    claims.ath = jose.base64url.encode(new Uint8Array(digest));
  }
  if (r.nonce) claims.nonce = r.nonce;
  const proof = await new jose.SignJWT(claims)
    .setProtectedHeader({ alg: r.alg, typ: 'dpop+jwt', jwk }).setIssuedAt(r.now).sign(privateKey);
  return { id: r.id, proof, thumbprint: await jose.calculateJwkThumbprint(jwk, 'sha256') };
}

async function dpopVerifyOne(r) {
  const out = { id: r.id };
  try {
    const { payload, protectedHeader } = await jose.jwtVerify(r.proof, jose.EmbeddedJWK, {
      typ: 'dpop+jwt', algorithms: [r.alg], currentDate: new Date(r.now * 1000),
    });
    out.verified = true;
    out.claims = payload;
    out.thumbprint = await jose.calculateJwkThumbprint(protectedHeader.jwk, 'sha256');
    out.private_members = ['d', 'p', 'q', 'dp', 'dq', 'qi'].filter((m) => m in protectedHeader.jwk);
  } catch (e) {
    out.verified = false;
    out.error = String(e.code || e.message);
  }
  return out;
}

async function jweDecryptOne(r) {
  const out = { id: r.id };
  try {
    const key = await jose.importJWK(r.private_jwk, r.alg === 'dir' ? r.enc : r.alg);
    const options = { keyManagementAlgorithms: [r.alg], contentEncryptionAlgorithms: [r.enc] };
    const result = r.form === 'json_general'
      ? await jose.generalDecrypt(JSON.parse(r.token), key, options)
      : r.form === 'json_flattened'
        ? await jose.flattenedDecrypt(JSON.parse(r.token), key, options)
        : await jose.compactDecrypt(r.token, key, options);
    out.decrypted = true;
    out.plaintext = dec.decode(result.plaintext);
    out.header = { ...result.protectedHeader, ...result.unprotectedHeader, ...result.sharedUnprotectedHeader };
    if (result.additionalAuthenticatedData) out.aad = dec.decode(result.additionalAuthenticatedData);
  } catch (e) {
    out.decrypted = false;
    out.error = String(e.code || e.message);
  }
  return out;
}

// A key for (alg, enc), made by jose: a pair for RSA and ECDH, a secret of
// the key-wrapping size, or of the CEK size for dir.
async function jweProduceOne(r) {
  let publicKey, privateKey;
  if (r.alg.startsWith('RSA') || r.alg.startsWith('ECDH')) {
    ({ publicKey, privateKey } = await jose.generateKeyPair(r.alg, { crv: r.crv, extractable: true }));
  } else {
    publicKey = privateKey = await jose.generateSecret(r.alg === 'dir' ? r.enc : r.alg, { extractable: true });
  }
  const privateJwk = { ...(await jose.exportJWK(privateKey)), kid: r.kid, use: 'enc' };
  const token = await new jose.CompactEncrypt(enc.encode(r.plaintext))
    .setProtectedHeader({ alg: r.alg, enc: r.enc, kid: r.kid, cty: 'JWT' }).encrypt(publicKey);
  const flattened = await new jose.FlattenedEncrypt(enc.encode(r.plaintext))
    .setProtectedHeader({ enc: r.enc, cty: 'JWT' }).setUnprotectedHeader({ alg: r.alg, kid: r.kid })
    .setAdditionalAuthenticatedData(enc.encode('aad from jose')).encrypt(publicKey);
  return { id: r.id, private_jwk: privateJwk, token, flattened: JSON.stringify(flattened) };
}

const handlers = { verify: verifyOne, produce: produceOne, 'dpop-produce': dpopProduceOne,
  'dpop-verify': dpopVerifyOne, 'jwe-decrypt': jweDecryptOne, 'jwe-produce': jweProduceOne };
const handler = handlers[mode];
const results = [];
for (const r of requests) results.push(await handler(r));
writeFileSync(output, JSON.stringify(results));
