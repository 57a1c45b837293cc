import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseSetCookie, request, type RawResponse } from '../test/helpers/target.js';
import type { BooleanFault } from './faults.js';
import { startTarget, type RunningTarget } from './server.js';

let t: RunningTarget;
before(async () => {
  t = await startTarget({ quiet: true, bcryptCost: 4 });
});
after(async () => {
  await t.close();
});

const get = (path: string, headers: Record<string, string> = {}): Promise<RawResponse> =>
  request(`${t.baseUrl}${path}`, { ca: t.caPem, headers });
const both = async (): Promise<RawResponse[]> => [await get('/'), await get('/api')];
const login = (): Promise<RawResponse> =>
  request(`${t.apiUrl}/auth/login`, { ca: t.caPem, method: 'POST', headers: { Origin: t.baseUrl }, body: t.testUser });
const jwtPayload = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

describe('clean target: security headers on the main document and the API', () => {
  it('has every hardening header, no X-Powered-By, Server without version', async () => {
    for (const r of await both()) {
      assert.equal(r.status, 200);
      const h = r.headers;
      assert.equal(h['strict-transport-security'], 'max-age=31536000; includeSubDomains');
      const csp = String(h['content-security-policy']);
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.doesNotMatch(csp, /unsafe-|\*|http:|data:[^;]*script/);
      assert.equal(h['x-content-type-options'], 'nosniff');
      assert.equal(h['x-frame-options'], 'DENY');
      assert.equal(h['referrer-policy'], 'strict-origin-when-cross-origin');
      assert.ok(h['permissions-policy']);
      assert.equal(h['cross-origin-opener-policy'], 'same-origin');
      assert.equal(h['x-powered-by'], undefined);
      assert.equal(h.server, 'vor');
    }
    const api = await get('/api');
    assert.equal(api.headers['cache-control'], 'no-store');
    assert.match(String(api.headers['content-type']), /application\/json/);
  });

  it('sets a Secure HttpOnly SameSite=Lax 8 h session cookie and a 15 min HS256 JWT on login', async () => {
    const r = await login();
    assert.equal(r.status, 200);
    assert.equal(r.setCookies.length, 1, 'the login response sets only the session cookie');
    const c = parseSetCookie(r.setCookies[0] ?? '');
    assert.equal(c.name, 'vor_session');
    assert.ok(c.attrs.has('secure') && c.attrs.has('httponly'));
    assert.equal(c.attrs.get('samesite'), 'Lax');
    assert.equal(c.attrs.get('max-age'), String(8 * 3600));
    const body = JSON.parse(r.body) as { accessToken: string };
    const header = JSON.parse(Buffer.from(body.accessToken.split('.')[0] ?? '', 'base64url').toString()) as { alg: string };
    assert.equal(header.alg, 'HS256');
    const p = jwtPayload(body.accessToken);
    assert.equal(Number(p.exp) - Number(p.iat), 15 * 60);
    assert.equal(r.headers['cache-control'], 'no-store');
  });

  it('answers a wrong password 401 with a clear message', async () => {
    const r = await request(`${t.apiUrl}/auth/login`, {
      ca: t.caPem,
      method: 'POST',
      headers: { Origin: t.baseUrl },
      body: { email: 'nobody-h@vor.test', password: 'wrong-password' },
    });
    assert.equal(r.status, 401);
    assert.equal((JSON.parse(r.body) as { error: string }).error, 'Incorrect email or password');
  });
});

describe('header fault switches change exactly their header', () => {
  const cases: [BooleanFault, (h: RawResponse['headers']) => void][] = [
    ['no_hsts', (h) => assert.equal(h['strict-transport-security'], undefined)],
    ['short_hsts', (h) => assert.equal(h['strict-transport-security'], 'max-age=300; includeSubDomains')],
    ['hsts_no_subdomains', (h) => assert.equal(h['strict-transport-security'], 'max-age=31536000')],
    ['no_csp', (h) => assert.equal(h['content-security-policy'], undefined)],
    ['unsafe_csp', (h) => assert.match(String(h['content-security-policy']), /script-src 'self' 'unsafe-inline' 'unsafe-eval'/)],
    ['no_nosniff', (h) => assert.equal(h['x-content-type-options'], undefined)],
    [
      'no_frame_options',
      (h) => {
        assert.equal(h['x-frame-options'], undefined);
        assert.doesNotMatch(String(h['content-security-policy']), /frame-ancestors/);
      },
    ],
    ['no_referrer_policy', (h) => assert.equal(h['referrer-policy'], undefined)],
    ['unsafe_referrer_policy', (h) => assert.equal(h['referrer-policy'], 'unsafe-url')],
    ['no_permissions_policy', (h) => assert.equal(h['permissions-policy'], undefined)],
    ['no_coop', (h) => assert.equal(h['cross-origin-opener-policy'], undefined)],
    ['x_powered_by', (h) => assert.equal(h['x-powered-by'], 'Express')],
    ['server_version', (h) => assert.equal(h.server, 'nginx/1.18.0')],
  ];
  const baseline = async (): Promise<Record<string, unknown>> => {
    t.setFaults({});
    const r = await get('/');
    return { ...r.headers };
  };
  for (const [fault, check] of cases) {
    it(fault, async () => {
      const clean = await baseline();
      t.setFaults({ [fault]: true });
      try {
        for (const r of await both()) {
          check(r.headers);
          // nothing else among the hardening headers moved
          for (const name of [
            'strict-transport-security',
            'content-security-policy',
            'x-content-type-options',
            'x-frame-options',
            'referrer-policy',
            'permissions-policy',
            'cross-origin-opener-policy',
            'x-powered-by',
            'server',
          ]) {
            const affected: Record<string, string[]> = {
              no_hsts: ['strict-transport-security'],
              short_hsts: ['strict-transport-security'],
              hsts_no_subdomains: ['strict-transport-security'],
              no_csp: ['content-security-policy'],
              unsafe_csp: ['content-security-policy'],
              no_nosniff: ['x-content-type-options'],
              no_frame_options: ['x-frame-options', 'content-security-policy'],
              no_referrer_policy: ['referrer-policy'],
              unsafe_referrer_policy: ['referrer-policy'],
              no_permissions_policy: ['permissions-policy'],
              no_coop: ['cross-origin-opener-policy'],
              x_powered_by: ['x-powered-by'],
              server_version: ['server'],
            };
            if (!(affected[fault] ?? []).includes(name)) assert.equal(r.headers[name], clean[name], `${fault} must not change ${name}`);
          }
        }
      } finally {
        t.setFaults({});
      }
    });
  }

  it('api_cacheable drops no-store from API JSON only', async () => {
    t.setFaults({ api_cacheable: true });
    try {
      const r = await get('/api');
      assert.equal(r.status, 200);
      assert.doesNotMatch(String(r.headers['cache-control']), /no-store/);
    } finally {
      t.setFaults({});
    }
    assert.equal((await get('/api')).headers['cache-control'], 'no-store');
  });
});

describe('cookie and token fault switches', () => {
  const sessionCookie = async (): Promise<ReturnType<typeof parseSetCookie>> => {
    const r = await login();
    assert.equal(r.status, 200);
    return parseSetCookie(r.setCookies.find((l) => l.startsWith('vor_session=')) ?? '');
  };
  const withFault = async (fault: BooleanFault, fn: () => Promise<void>): Promise<void> => {
    t.setFaults({ [fault]: true });
    try {
      await fn();
    } finally {
      t.setFaults({});
    }
  };
  it('cookie_no_secure', () =>
    withFault('cookie_no_secure', async () => {
      const c = await sessionCookie();
      assert.equal(c.attrs.has('secure'), false);
      assert.equal(c.attrs.has('httponly'), true);
    }));
  it('cookie_no_httponly', () =>
    withFault('cookie_no_httponly', async () => {
      const c = await sessionCookie();
      assert.equal(c.attrs.has('httponly'), false);
      assert.equal(c.attrs.has('secure'), true);
    }));
  it('cookie_samesite_none', () =>
    withFault('cookie_samesite_none', async () => {
      assert.equal((await sessionCookie()).attrs.get('samesite'), 'None');
    }));
  it('cookie_no_samesite', () =>
    withFault('cookie_no_samesite', async () => {
      assert.equal((await sessionCookie()).attrs.has('samesite'), false);
    }));
  it('long_token_lifetime: 30-day cookie and JWT', () =>
    withFault('long_token_lifetime', async () => {
      const r = await login();
      const c = parseSetCookie(r.setCookies[0] ?? '');
      assert.equal(c.attrs.get('max-age'), String(30 * 86400));
      const p = jwtPayload((JSON.parse(r.body) as { accessToken: string }).accessToken);
      assert.equal(Number(p.exp) - Number(p.iat), 30 * 86400);
    }));
  it('jwt_no_exp', () =>
    withFault('jwt_no_exp', async () => {
      const r = await login();
      const p = jwtPayload((JSON.parse(r.body) as { accessToken: string }).accessToken);
      assert.equal(p.exp, undefined);
      assert.equal(parseSetCookie(r.setCookies[0] ?? '').attrs.get('max-age'), String(8 * 3600));
    }));
});
