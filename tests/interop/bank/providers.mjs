// Stand-ins for the other providers of ../shared/seeds (finAPI, FinHub,
// Finicity, Hoseki Connect), served by the local bank under /finapi,
// /finhub, /finicity and /hoseki so that obauth's examples run their flows
// over real HTTPS. Each follows its seed (paths, members, statuses, the
// FinHub 10 % rule) and fills what the seed leaves open the way obauth's
// profile header says. Credentials are derived from their names like the
// bank's client secrets: base64url(sha256("obauth-local-bank:" + name)).
// Test and example infrastructure, not a model of the real services.
import * as crypto from 'node:crypto';

const secretOf = (id) => crypto.createHash('sha256').update(`obauth-local-bank:${id}`).digest('base64url');
const token = () => crypto.randomBytes(24).toString('base64url');
const uuid = () => crypto.randomUUID();
const equal = (a, b) => typeof a === 'string' && typeof b === 'string' && a.length === b.length
  && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

async function readBody(req) {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 64 * 1024) throw new Error('body too large');
  }
  return text;
}
const parseJson = (text) => {
  try {
    const v = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
};
const bearerOf = (req) => {
  const a = req.headers.authorization ?? '';
  return a.startsWith('Bearer ') ? a.slice(7) : undefined;
};

// --- finAPI (seed 002) ----------------------------------------------------------
const finapi = {
  clientId: 'finapi-client',
  clientSecret: secretOf('finapi-client'),
  users: new Map(), // id -> { id, password, email, phone, isAutoUpdateEnabled }
  tokens: new Map(), // access token -> { kind: 'client' | 'user', user }
  refresh: new Map(), // refresh token -> user id
  processes: new Map(), // process token -> access token
};
const finapiError = (res, status, message, code) => send(res, status, {
  errors: [{ message, code, type: 'BUSINESS' }], date: new Date().toISOString(), requestId: uuid(),
});
function finapiUserToken(userId) {
  const access = token();
  const refresh = token();
  finapi.tokens.set(access, { kind: 'user', user: userId });
  finapi.refresh.set(refresh, userId);
  return { access_token: access, token_type: 'bearer', expires_in: 3599, refresh_token: refresh, scope: 'all' };
}
async function finapiRoute(req, res, route) {
  const body = await readBody(req);
  if (route === '/finapi/access/api/v2/oauth/token' && req.method === 'POST') {
    const f = new URLSearchParams(body);
    if (f.get('client_id') !== finapi.clientId || !equal(f.get('client_secret'), finapi.clientSecret)) {
      return send(res, 401, { error: 'invalid_client', error_description: 'Bad client credentials' });
    }
    const grant = f.get('grant_type');
    if (grant === 'client_credentials') {
      const access = token();
      finapi.tokens.set(access, { kind: 'client' });
      return send(res, 200, { access_token: access, token_type: 'bearer', expires_in: 3599, scope: 'all' });
    }
    if (grant === 'password') {
      const u = finapi.users.get(f.get('username'));
      if (!u || !equal(f.get('password'), u.password)) {
        return send(res, 400, { error: 'invalid_grant', error_description: 'Bad user credentials' });
      }
      return send(res, 200, finapiUserToken(u.id));
    }
    if (grant === 'refresh_token') {
      const id = finapi.refresh.get(f.get('refresh_token'));
      if (!id || !finapi.users.has(id)) return send(res, 400, { error: 'invalid_grant' });
      finapi.refresh.delete(f.get('refresh_token'));
      return send(res, 200, finapiUserToken(id));
    }
    return send(res, 400, { error: 'unsupported_grant_type' });
  }
  if (route === '/finapi/access/api/v2/users') {
    const t = finapi.tokens.get(bearerOf(req));
    if (!t) return finapiError(res, 401, 'Invalid access token', 'UNAUTHORIZED');
    if (req.method === 'POST') {
      if (t.kind !== 'client') return finapiError(res, 403, 'A client token is required', 'FORBIDDEN');
      const r = parseJson(body);
      if (!r) return finapiError(res, 400, 'Invalid JSON', 'BAD_REQUEST');
      const u = {
        id: r.id ?? `user-${uuid().slice(0, 8)}`,
        password: r.password ?? token(),
        email: r.email,
        phone: r.phone,
        isAutoUpdateEnabled: r.isAutoUpdateEnabled ?? false,
      };
      if (finapi.users.has(u.id)) return finapiError(res, 422, `User with id ${u.id} already exists`, 'ENTITY_EXISTS');
      finapi.users.set(u.id, u);
      return send(res, 201, u);
    }
    if (t.kind !== 'user' || !finapi.users.has(t.user)) return finapiError(res, 401, 'Invalid user token', 'UNAUTHORIZED');
    if (req.method === 'GET') {
      const { password: ignored, ...u } = finapi.users.get(t.user);
      return send(res, 200, u);
    }
    if (req.method === 'DELETE') {
      finapi.users.delete(t.user);
      for (const [k, v] of finapi.tokens) if (v.user === t.user) finapi.tokens.delete(k);
      return send(res, 200, { identifier: t.user });
    }
  }
  if (route === '/finapi/pcl/api/v1/processes' && req.method === 'POST') {
    const r = parseJson(body);
    if (!r || r.clientId !== finapi.clientId || !equal(r.clientSecret, finapi.clientSecret)) {
      return finapiError(res, 401, 'Bad client credentials', 'UNAUTHORIZED');
    }
    if (!Array.isArray(r.clientReferences) || !r.clientReferences.length || typeof r.processId !== 'string') {
      return finapiError(res, 400, 'clientReferences and processId are required', 'BAD_REQUEST');
    }
    const processes = r.clientReferences.map(({ clientReference }) => {
      const id = `process-user-${uuid().slice(0, 8)}`;
      finapi.users.set(id, { id, password: token(), isAutoUpdateEnabled: false });
      const processToken = uuid();
      finapi.processes.set(processToken, finapiUserToken(id).access_token);
      return { clientReference, processToken };
    });
    return send(res, 201, { processes });
  }
  const m = route.match(/^\/finapi\/pcl\/api\/v1\/processes\/([^/]+)$/);
  if (m && req.method === 'GET') {
    const processToken = decodeURIComponent(m[1]);
    const access = finapi.processes.get(processToken);
    if (!access) return finapiError(res, 404, 'Unknown or used process token', 'ENTITY_NOT_FOUND');
    if (new URL(req.url, 'https://x').searchParams.get('invalidate') === 'true') finapi.processes.delete(processToken);
    return send(res, 200, { accessToken: access });
  }
  return finapiError(res, 404, 'Not found', 'ENTITY_NOT_FOUND');
}

// --- FinHub (seed 003) -------------------------------------------------------------
const finhubKey = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const finhubJwk = { ...crypto.createPublicKey(finhubKey).export({ format: 'jwk' }), alg: 'ES256', kid: 'finhub-1', use: 'sig' };
const finhub = {
  tenant: '1234567',
  customerId: 'finhub-customer',
  customerSecret: secretOf('finhub-customer'),
  users: new Map([['ada', secretOf('finhub-user:ada')]]),
  lifetime: 3600, // the integration environment
  sessions: new Map(), // session token -> { sub, key, refresh, exp, lifetime }
};
function finhubJwt(claims) {
  const part = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${part({ alg: 'ES256', typ: 'JWT', kid: 'finhub-1' })}.${part(claims)}`;
  const sig = crypto.sign('sha256', Buffer.from(input), { key: finhubKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${sig.toString('base64url')}`;
}
function finhubSession(issuer, sub) {
  const now = Math.floor(Date.now() / 1000);
  const s = { sub, key: `itk-${uuid()}`, refresh: token(), exp: now + finhub.lifetime };
  const jwt = finhubJwt({ iss: `${issuer}/finhub`, sub, iat: now, exp: s.exp, internalTokenKey: s.key });
  finhub.sessions.set(jwt, s);
  return { jwt, s };
}
const finhubAnswer = (jwt, s) => ({
  expires_in: Math.max(0, s.exp - Math.floor(Date.now() / 1000)),
  token_type: 'Bearer',
  scope: 'accounts payments',
  customerId: finhub.customerId,
  tenantId: finhub.tenant,
  userSessionToken: jwt,
  refreshToken: s.refresh,
});
async function finhubRoute(req, res, route, issuer) {
  if (route === '/finhub/.well-known/jwks.json') return send(res, 200, { keys: [finhubJwk] });
  const body = await readBody(req);
  const h = req.headers;
  const missing = ['sec-ch-ua-platform', 'x-forwarded-for', 'user-agent', 'x-tenant-id'].filter((n) => !h[n]);
  if (!(h['content-type'] ?? '').startsWith('application/json')) missing.push('content-type');
  if (missing.length) return send(res, 400, { message: `Missing required headers: ${missing.join(', ')}` });
  if (h['x-tenant-id'] !== finhub.tenant) return send(res, 403, { message: 'Unknown tenant' });
  const r = parseJson(body);
  if (!r) return send(res, 400, { message: 'Invalid request format' });
  if (route === '/finhub/auth/login' && req.method === 'POST') {
    if (!['b2b', 'b2c'].includes(r.accountType) || typeof r.grantType !== 'string') {
      return send(res, 400, { message: 'accountType must be b2b or b2c; grantType is required' });
    }
    const password = finhub.users.get(r.username);
    if (r.customerId !== finhub.customerId || !equal(r.customerSecret, finhub.customerSecret)
      || !password || !equal(r.password, password)) {
      return send(res, 401, { message: 'Invalid credentials' });
    }
    const { jwt, s } = finhubSession(issuer, r.username);
    return send(res, 200, finhubAnswer(jwt, s));
  }
  if (route === '/finhub/auth/refresh' && req.method === 'POST') {
    const current = bearerOf(req);
    const s = current && finhub.sessions.get(current);
    if (!s || s.exp <= Math.floor(Date.now() / 1000)) {
      return send(res, 401, { message: 'The access token has expired: authenticate again' });
    }
    if (!equal(r.refreshToken, s.refresh) || r.internalTokenKey !== s.key) {
      return send(res, 401, { message: 'Invalid credentials' });
    }
    // More than 10 % left: not refreshed, the current validity is returned.
    if ((s.exp - Math.floor(Date.now() / 1000)) * 10 > finhub.lifetime) return send(res, 200, finhubAnswer(current, s));
    finhub.sessions.delete(current);
    const next = finhubSession(issuer, s.sub);
    return send(res, 200, finhubAnswer(next.jwt, next.s));
  }
  return send(res, 404, { message: 'Not found' });
}

// --- Finicity (seed 004) --------------------------------------------------------------
const finicity = {
  clientId: 'finicity-client',
  clientSecret: secretOf('finicity-client'),
  appKey: secretOf('finicity-app-key'),
  tokens: new Map(), // token -> expiry (ms)
};
async function finicityRoute(req, res, route) {
  const body = await readBody(req);
  if (!equal(req.headers['finicity-app-key'], finicity.appKey)) {
    return send(res, 401, { code: 10001, message: 'Invalid App-Key' });
  }
  if (route === '/finicity/oauth/token' && req.method === 'POST') {
    const r = parseJson(body);
    if (!r || r.grant_type !== 'client_credentials' || r.client_id !== finicity.clientId
      || !equal(r.client_secret, finicity.clientSecret)) {
      return send(res, 401, { code: 10022, message: 'Invalid credentials' });
    }
    const t = token();
    finicity.tokens.set(t, Date.now() + 3600e3);
    return send(res, 200, { access_token: t, token_type: 'Bearer', expires_in: 3600 });
  }
  const expiry = finicity.tokens.get(bearerOf(req));
  if (!expiry || expiry <= Date.now()) return send(res, 401, { code: 10023, message: 'Token expired or invalid' });
  if (route === '/finicity/aggregation/v2/customers' && req.method === 'GET') {
    return send(res, 200, {
      found: 1,
      displaying: 1,
      moreAvailable: false,
      customers: [{ id: '1005061234', username: 'customer_1', firstName: 'Ada', lastName: 'Lovelace', type: 'testing' }],
    });
  }
  return send(res, 404, { code: 404, message: 'Not found' });
}

// --- Hoseki Connect (seed 000) ----------------------------------------------------------
const hoseki = {
  apiKey: secretOf('hoseki-api-key'),
  sessions: new Map(), // id -> { id, client_secret, status, accounts }
  accounts: new Map(), // id -> account data
};
async function hosekiRoute(req, res, route) {
  const body = await readBody(req);
  // The client application's side (what Hoseki's UI does once the user has
  // linked accounts), authenticated by the session's client_secret.
  if (route === '/hoseki/test/link' && req.method === 'POST') {
    const r = parseJson(body);
    const s = r && [...hoseki.sessions.values()].find((x) => equal(r.client_secret, x.client_secret));
    if (!s) return send(res, 401, { message: 'invalid client_secret' });
    for (const [name, type, balance] of [['Everyday', 'depository', 1523.4], ['Savings', 'depository', 20000]]) {
      const id = `acc_${uuid().slice(0, 8)}`;
      s.accounts.push({ id, name, type, currency: 'EUR' });
      hoseki.accounts.set(id, {
        id, name, type, balances: { available: balance, current: balance, currency: 'EUR' },
        transactions: [{ id: `txn_${uuid().slice(0, 8)}`, amount: -42.5, description: 'Coffee beans', date: '2026-11-20' }],
      });
    }
    s.status = 'completed';
    return send(res, 200, { status: s.status });
  }
  if (!equal(bearerOf(req), hoseki.apiKey)) return send(res, 401, { message: 'invalid API key' });
  if (route === '/hoseki/sessions' && req.method === 'POST') {
    if (!parseJson(body || '{}')) return send(res, 400, { message: 'the body is not a JSON object' });
    const s = { id: `ses_${uuid().slice(0, 12)}`, client_secret: `ses_secret_${token()}`, status: 'pending', accounts: [] };
    hoseki.sessions.set(s.id, s);
    return send(res, 201, s);
  }
  let m = route.match(/^\/hoseki\/sessions\/([^/]+)$/);
  if (m && req.method === 'GET') {
    const s = hoseki.sessions.get(decodeURIComponent(m[1]));
    if (!s) return send(res, 404, { message: 'no such session' });
    const { client_secret: ignored, ...view } = s;
    return send(res, 200, view);
  }
  m = route.match(/^\/hoseki\/accounts\/([^/]+)(?:\/(balances|transactions))?$/);
  if (m && req.method === 'GET') {
    const a = hoseki.accounts.get(decodeURIComponent(m[1]));
    if (!a) return send(res, 404, { message: 'no such account' });
    if (m[2] === 'balances') return send(res, 200, { account_id: a.id, balances: a.balances });
    if (m[2] === 'transactions') return send(res, 200, { account_id: a.id, transactions: a.transactions });
    return send(res, 200, { id: a.id, name: a.name, type: a.type });
  }
  return send(res, 404, { message: 'not found' });
}

// Handles a stand-in route; false when the route is none of them.
export function standIn(req, res, route, issuer) {
  const fail = (e) => send(res, 500, { message: String(e.message) });
  if (route.startsWith('/finapi/')) finapiRoute(req, res, route).catch(fail);
  else if (route.startsWith('/finhub/')) finhubRoute(req, res, route, issuer).catch(fail);
  else if (route.startsWith('/finicity/')) finicityRoute(req, res, route).catch(fail);
  else if (route.startsWith('/hoseki/')) hosekiRoute(req, res, route).catch(fail);
  else return false;
  return true;
}
