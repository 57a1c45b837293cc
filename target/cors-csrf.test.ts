import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { cookieHeader, request, type RawResponse } from '../test/helpers/target.js';
import { startTarget, type RunningTarget } from './server.js';

let t: RunningTarget;
before(async () => {
  t = await startTarget({ quiet: true, bcryptCost: 4 });
});
after(async () => {
  await t.close();
});
beforeEach(() => t.setFaults({}));

const preflight = (origin: string): Promise<RawResponse> =>
  request(`${t.apiUrl}/`, {
    ca: t.caPem,
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
  });
const simple = (origin: string): Promise<RawResponse> => request(t.apiUrl, { ca: t.caPem, headers: { Origin: origin } });
const acao = (r: RawResponse): string | undefined => r.headers['access-control-allow-origin'] as string | undefined;
const acac = (r: RawResponse): string | undefined => r.headers['access-control-allow-credentials'] as string | undefined;

describe('CORS', () => {
  const attacker = 'https://attacker.invalid';
  const lookalikes = (): string[] => {
    const host = new URL(t.baseUrl).host;
    return [`${t.baseUrl}.attacker.invalid`, `https://attacker${host}`];
  };

  it('clean: exact allowlist (own origin), nothing else', async () => {
    const pf = await preflight(t.baseUrl);
    assert.ok(pf.status >= 200 && pf.status < 300);
    assert.equal(acao(pf), t.baseUrl);
    assert.equal(acac(pf), 'true');
    assert.match(String(pf.headers['access-control-allow-methods']), /POST/);
    assert.match(String(pf.headers['access-control-allow-headers']), /content-type/i);
    for (const o of [attacker, 'null', ...lookalikes()]) {
      assert.equal(acao(await simple(o)), undefined, o);
      assert.equal(acao(await preflight(o)), undefined, o);
    }
  });

  it('allowedOrigin option replaces the default', async () => {
    const other = await startTarget({ quiet: true, bcryptCost: 4, allowedOrigin: 'https://app.vor.test' });
    try {
      const r = await request(`${other.apiUrl}`, { ca: other.caPem, headers: { Origin: 'https://app.vor.test' } });
      assert.equal(acao(r), 'https://app.vor.test');
    } finally {
      await other.close();
    }
  });

  it('cors_reflect_origin echoes any origin with credentials', async () => {
    t.setFaults({ cors_reflect_origin: true });
    const r = await simple(attacker);
    assert.equal(acao(r), attacker);
    assert.equal(acac(r), 'true');
  });

  it('cors_null_origin allows null only', async () => {
    t.setFaults({ cors_null_origin: true });
    assert.equal(acao(await simple('null')), 'null');
    assert.equal(acao(await simple(attacker)), undefined);
  });

  it('cors_lookalike allows prefix and suffix look-alikes, not arbitrary origins', async () => {
    t.setFaults({ cors_lookalike: true });
    for (const o of lookalikes()) assert.equal(acao(await simple(o)), o, o);
    assert.equal(acao(await simple(attacker)), undefined);
    assert.equal(acao(await simple('null')), undefined);
  });

  it('cors_wildcard_credentials: * with credentials', async () => {
    t.setFaults({ cors_wildcard_credentials: true });
    const r = await simple(attacker);
    assert.equal(acao(r), '*');
    assert.equal(acac(r), 'true');
  });

  it('cors_wildcard: * without credentials', async () => {
    t.setFaults({ cors_wildcard: true });
    const r = await simple(attacker);
    assert.equal(acao(r), '*');
    assert.equal(acac(r), undefined);
  });

  it('cors_block_allowed: the allowed origin gets no ACAO', async () => {
    t.setFaults({ cors_block_allowed: true });
    assert.equal(acao(await preflight(t.baseUrl)), undefined);
    assert.equal(acao(await simple(attacker)), undefined);
  });
});

describe('CSRF', () => {
  const session = async (): Promise<string> => {
    const r = await request(`${t.apiUrl}/auth/login`, { ca: t.caPem, method: 'POST', headers: { Origin: t.baseUrl }, body: t.testUser });
    assert.equal(r.status, 200);
    return cookieHeader(r.setCookies);
  };
  const csrf = async (cookie: string): Promise<{ cookie: string; token: string }> => {
    const r = await request(`${t.apiUrl}/auth/csrf`, { ca: t.caPem, headers: { Cookie: cookie } });
    const token = (JSON.parse(r.body) as { csrfToken: string }).csrfToken;
    return { cookie: `${cookie}; ${cookieHeader(r.setCookies)}`, token };
  };
  const post = (path: string, cookie: string, headers: Record<string, string>, body: object = {}): Promise<RawResponse> =>
    request(`${t.apiUrl}${path}`, { ca: t.caPem, method: 'POST', headers: { Cookie: cookie, ...headers }, body });

  it('clean: foreign Origin → 403; missing token → 403; same origin + token → 2xx', async () => {
    const { cookie, token } = await csrf(await session());
    assert.equal((await post('/billing/payment_intents', cookie, { Origin: 'https://attacker.invalid' })).status, 403);
    assert.equal(
      (await post('/billing/payment_intents', cookie, { Origin: 'https://attacker.invalid', 'X-CSRF-Token': token })).status,
      403,
    );
    assert.equal((await post('/billing/payment_intents', cookie, { Origin: t.baseUrl })).status, 403);
    assert.equal((await post('/billing/payment_intents', cookie, { Origin: t.baseUrl, 'X-CSRF-Token': 'wrong' })).status, 403);
    assert.equal((await post('/billing/payment_intents', cookie, { Origin: t.baseUrl, 'X-CSRF-Token': token })).status, 200);
  });

  it('login and signup are exempt from the token but refuse a foreign Origin', async () => {
    const foreign = await request(`${t.apiUrl}/auth/login`, {
      ca: t.caPem,
      method: 'POST',
      headers: { Origin: 'https://attacker.invalid' },
      body: t.testUser,
    });
    assert.equal(foreign.status, 403);
    const s = await request(`${t.apiUrl}/auth/signup`, {
      ca: t.caPem,
      method: 'POST',
      headers: { Origin: 'https://attacker.invalid' },
      body: { email: 'csrf-x@vor.test', password: 'long-enough-pw' },
    });
    assert.equal(s.status, 403);
  });

  it('csrf_off accepts a foreign Origin without token', async () => {
    t.setFaults({ csrf_off: true });
    const cookie = await session();
    assert.equal((await post('/billing/payment_intents', cookie, { Origin: 'https://attacker.invalid' })).status, 200);
  });
});

describe('rate limiting of login', () => {
  const badLogin = (email: string): Promise<RawResponse> =>
    request(`${t.apiUrl}/auth/login`, { ca: t.caPem, method: 'POST', headers: { Origin: t.baseUrl }, body: { email, password: 'wrong' } });

  it('clean: 429 with Retry-After and RateLimit-* within a 60-request burst; the test user can still log in', async () => {
    let got: RawResponse | undefined;
    let n = 0;
    for (; n < 60 && got === undefined; n++) {
      const r = await badLogin('burst@rate.invalid');
      if (r.status === 429) got = r;
      else assert.equal(r.status, 401);
    }
    assert.ok(got, 'no 429 within 60 requests');
    assert.equal(n, 11, 'the 11th failed attempt is refused (limit 10/min)');
    assert.ok(Number(got.headers['retry-after']) > 0);
    assert.equal(got.headers['ratelimit-limit'], '10');
    assert.equal(got.headers['ratelimit-remaining'], '0');
    assert.ok(Number(got.headers['ratelimit-reset']) > 0);
    const ok = await request(`${t.apiUrl}/auth/login`, { ca: t.caPem, method: 'POST', headers: { Origin: t.baseUrl }, body: t.testUser });
    assert.equal(ok.status, 200, 'a burst against another email does not lock the test user out');
  });

  it('ratelimit_no_headers: 429 without Retry-After / RateLimit-*', async () => {
    t.setFaults({ ratelimit_no_headers: true });
    let got: RawResponse | undefined;
    for (let i = 0; i < 60 && got === undefined; i++) {
      const r = await badLogin('noheaders@rate.invalid');
      if (r.status === 429) got = r;
    }
    assert.ok(got);
    assert.equal(got.headers['retry-after'], undefined);
    assert.equal(Object.keys(got.headers).filter((h) => h.startsWith('ratelimit')).length, 0);
  });

  it('ratelimit_off: 60 bad logins, never 429', async () => {
    t.setFaults({ ratelimit_off: true });
    for (let i = 0; i < 60; i++) assert.equal((await badLogin('off@rate.invalid')).status, 401);
  });
});
