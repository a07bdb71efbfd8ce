// Hamster Bank's consents (seed 001) for the local bank: created by a TPP
// with a client credentials token, authorised by the user during the
// authorization that names them (openbanking_intent_id), checked by the
// resource endpoint, revoked by DELETE. Statuses and member names as in
// include/obauth/consent/hamster.hpp. Kept in memory.
import * as crypto from 'node:crypto';

const types = new Set(['account-access', 'payment', 'funds-confirmation']);
const permissionNames = new Set(['ReadAccounts', 'ReadAccountsBasic', 'ReadBalances', 'ReadTransactions',
  'ReadTransactionsBasic', 'ReadStandingOrders', 'ReadDirectDebits', 'ReadBeneficiaries']);
const members = {
  'account-access': ['permissions', 'expiration_date', 'transaction_from_date', 'transaction_to_date'],
  payment: ['instruction_identification', 'end_to_end_identification', 'instructed_amount',
    'creditor_account', 'debtor_account', 'remittance_information'],
  'funds-confirmation': ['debtor_account', 'expiration_date'],
};
const maxDays = 90;

const isTime = (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(v)
  && !Number.isNaN(Date.parse(v));
const isAccount = (a) => a !== null && typeof a === 'object' && typeof a.scheme_name === 'string'
  && typeof a.identification === 'string' && a.identification.length > 0;

// The request's problems, or undefined.
function check(type, r) {
  if (r === null || typeof r !== 'object' || Array.isArray(r)) return 'the body is not a JSON object';
  const unknown = Object.keys(r).filter((k) => !members[type].includes(k));
  if (unknown.length) return `unknown members: ${unknown.join(', ')}`;
  const future = (name) => {
    if (r[name] === undefined) return undefined;
    if (!isTime(r[name])) return `${name} is not an RFC 3339 date-time`;
    const t = Date.parse(r[name]);
    if (t <= Date.now()) return `${name} is in the past`;
    if (t > Date.now() + maxDays * 86400e3) return `${name} is more than ${maxDays} days away`;
    return undefined;
  };
  if (type === 'account-access') {
    const p = r.permissions;
    if (!Array.isArray(p) || p.length === 0) return 'permissions is not a non-empty array';
    if (p.some((x) => !permissionNames.has(x))) return 'unknown permission';
    if (new Set(p).size !== p.length) return 'a permission is listed twice';
    for (const name of ['transaction_from_date', 'transaction_to_date']) {
      if (r[name] !== undefined && !isTime(r[name])) return `${name} is not an RFC 3339 date-time`;
    }
    return future('expiration_date');
  }
  if (type === 'payment') {
    const a = r.instructed_amount;
    if (!a || typeof a.amount !== 'string' || !/^\d{1,13}(\.\d{1,5})?$/.test(a.amount)
      || typeof a.currency !== 'string' || !/^[A-Z]{3}$/.test(a.currency)) return 'instructed_amount';
    if (!isAccount(r.creditor_account)) return 'creditor_account';
    if (r.debtor_account !== undefined && !isAccount(r.debtor_account)) return 'debtor_account';
    return undefined;
  }
  if (!isAccount(r.debtor_account)) return 'debtor_account';
  return future('expiration_date');
}

export class ConsentStore {
  constructor() {
    this.byId = new Map();
    this.byIdempotencyKey = new Map();
    this.byGrant = new Map();
  }

  // The consent an authorization request names (its claims parameter).
  intentOf(claims) {
    if (claims === undefined) return undefined;
    let c = claims;
    try {
      if (typeof c === 'string') c = JSON.parse(c);
    } catch {
      return undefined;
    }
    return c?.id_token?.openbanking_intent_id?.value ?? c?.userinfo?.openbanking_intent_id?.value;
  }

  setStatus(c, status) {
    c.status = status;
    c.status_updated_at = new Date().toISOString();
  }

  // The user authorises consent `id` for `clientId`: why not, or undefined.
  authorise(id, clientId) {
    const c = this.byId.get(id);
    if (!c || c.client_id !== clientId) return 'unknown consent';
    this.expire(c);
    if (c.status !== 'AwaitingAuthorisation') return `the consent is ${c.status}`;
    this.setStatus(c, 'Authorised');
    return undefined;
  }

  bindGrant(grantId, id) {
    this.byGrant.set(grantId, id);
  }

  expire(c) {
    if (c.status === 'Authorised' && c.expiration_date && Date.parse(c.expiration_date) <= Date.now()) {
      this.setStatus(c, 'Expired');
    }
  }

  // Whether the grant's consent (if any) allows one of `permissions` now.
  checkResource(grantId, permissions) {
    const id = grantId && this.byGrant.get(grantId);
    if (id === undefined) return undefined;
    const c = this.byId.get(id);
    this.expire(c);
    if (c.status !== 'Authorised') return `consent ${id} is ${c.status}`;
    if (c.type !== 'account-access' || !c.permissions.some((p) => permissions.includes(p))) {
      return `consent ${id} does not grant ${permissions.join(' or ')}`;
    }
    return undefined;
  }

  view(c) {
    const { client_id: ignoredClient, type: ignoredType, idempotency: ignoredKey, ...out } = c;
    return out;
  }

  // One consent API request: { status, body }.
  handle(method, route, clientId, text, idempotencyKey) {
    const parts = route.split('/').filter(Boolean); // consents, type[, id]
    const type = parts[1];
    if (!types.has(type) || parts.length > 3) return { status: 404, body: { error: 'not_found' } };
    const invalid = (description) => ({ status: 400, body: { error: 'invalid_request', error_description: description } });
    if (parts.length === 2) {
      if (method !== 'POST') return { status: 405, body: { error: 'invalid_request' } };
      let request;
      try {
        request = JSON.parse(text);
      } catch {
        return invalid('the body is not JSON');
      }
      const problem = check(type, request);
      if (problem) return invalid(problem);
      const key = idempotencyKey ? `${clientId} ${type} ${idempotencyKey}` : undefined;
      if (key && this.byIdempotencyKey.has(key)) {
        const earlier = this.byId.get(this.byIdempotencyKey.get(key));
        if (earlier.idempotency !== text) return invalid('x-idempotency-key reused for another consent');
        return { status: 201, body: this.view(earlier) };
      }
      const now = new Date().toISOString();
      const c = {
        consent_id: `hb-${crypto.randomUUID()}`,
        status: 'AwaitingAuthorisation',
        created_at: now,
        status_updated_at: now,
        ...request,
        client_id: clientId,
        type,
        idempotency: text,
      };
      this.byId.set(c.consent_id, c);
      if (key) this.byIdempotencyKey.set(key, c.consent_id);
      return { status: 201, body: this.view(c) };
    }
    const c = this.byId.get(decodeURIComponent(parts[2]));
    if (!c || c.client_id !== clientId || c.type !== type) return { status: 404, body: { error: 'not_found' } };
    this.expire(c);
    if (method === 'GET') return { status: 200, body: this.view(c) };
    if (method === 'DELETE') {
      if (c.status === 'Authorised') this.setStatus(c, 'Revoked');
      else if (c.status === 'AwaitingAuthorisation') this.setStatus(c, 'Rejected');
      else return invalid(`the consent is ${c.status}`);
      return { status: 204, body: undefined };
    }
    return { status: 405, body: { error: 'invalid_request' } };
  }
}
