import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_PROBE_OPTIONS } from '../../src/config/schema.js';
import type { Status } from '../../src/core/result.js';
import type { HttpSnapshot } from '../../src/net/http.js';
import { httpSnapshot, withHeaders } from '../../test/helpers/http-snapshot.js';
import {
  evaluateCookieHttpOnly,
  evaluateCookieSameSite,
  evaluateCookieSecure,
  csrfNeedsControl,
  evaluateCsrf,
  evaluateTokenLifetime,
  sessionCookies,
  type CookieFacts,
  type SeenCookie,
} from './evaluate.js';
import { cookieLifetimeSeconds, parseSetCookie } from './parse.js';

const NOW = new Date('2026-11-28T12:00:00Z');

function cookie(line: string, source: SeenCookie['source'] = 'login'): SeenCookie {
  const parsed = parseSetCookie(line);
  assert.ok(parsed);
  return { ...parsed, source, url: 'https://app.example.test/api/auth/login' };
}

const GOOD_SESSION = 'vor_session=abc123; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=3600';
const CSRF = 'vor_csrf=tok; Path=/; Secure; SameSite=Strict';

const facts = (lines: string[], overrides: Partial<CookieFacts> = {}): CookieFacts => ({
  cookies: lines.map((l) => cookie(l)),
  loggedIn: true,
  now: NOW,
  ...overrides,
});

function jwt(claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.signature`;
}

test('parseSetCookie reads the attributes the checks need', () => {
  const c = parseSetCookie('vor_session=a=b; Path=/; secure; HTTPONLY; SameSite=None; Max-Age=60');
  assert.deepEqual(c, { name: 'vor_session', value: 'a=b', secure: true, httpOnly: true, sameSite: 'none', maxAgeSeconds: 60 });
  assert.equal(parseSetCookie('garbage'), undefined);
});

test('cookie lifetime comes from Max-Age, else Expires, else it is a browser-session cookie', () => {
  assert.equal(cookieLifetimeSeconds(cookie('a=1; Max-Age=60; Expires=Wed, 01 Jan 2099 00:00:00 GMT'), NOW), 60);
  assert.equal(cookieLifetimeSeconds(cookie('a=1; Expires=Sat, 28 Nov 2026 13:00:00 GMT'), NOW), 3600);
  assert.equal(cookieLifetimeSeconds(cookie('a=1'), NOW), undefined);
});

test('the session cookie is the configured one, else what the login set (not the CSRF cookie), else a session-like name', () => {
  const seen = [cookie('theme=dark', 'document'), cookie('sid=1', 'document'), cookie(GOOD_SESSION), cookie(CSRF)];
  assert.deepEqual(
    sessionCookies(seen, 'theme').map((c) => c.name),
    ['theme'],
  );
  assert.deepEqual(
    sessionCookies(seen).map((c) => c.name),
    ['vor_session'],
  );
  assert.deepEqual(
    sessionCookies(seen.filter((c) => c.source === 'document')).map((c) => c.name),
    ['sid'],
  );
});

const cases = [
  { name: 'a hardened session cookie', evaluate: evaluateCookieSecure, lines: [GOOD_SESSION, CSRF], status: 'pass' },
  {
    name: 'a cookie without Secure',
    evaluate: evaluateCookieSecure,
    lines: ['vor_session=a; HttpOnly; SameSite=Lax', CSRF],
    status: 'fail',
    reason: 'missing_secure',
  },
  {
    name: 'a non-session cookie without Secure',
    evaluate: evaluateCookieSecure,
    lines: [GOOD_SESSION, 'theme=dark'],
    status: 'fail',
    reason: 'missing_secure',
  },
  { name: 'a hardened session cookie', evaluate: evaluateCookieHttpOnly, lines: [GOOD_SESSION, CSRF], status: 'pass' },
  {
    name: 'a session cookie readable by JS',
    evaluate: evaluateCookieHttpOnly,
    lines: ['vor_session=a; Secure; SameSite=Lax', CSRF],
    status: 'fail',
    reason: 'missing_httponly',
  },
  { name: 'a hardened session cookie', evaluate: evaluateCookieSameSite, lines: [GOOD_SESSION], status: 'pass' },
  {
    name: 'SameSite=None',
    evaluate: evaluateCookieSameSite,
    lines: ['vor_session=a; Secure; HttpOnly; SameSite=None'],
    status: 'fail',
    reason: 'samesite_none',
  },
  { name: 'no SameSite', evaluate: evaluateCookieSameSite, lines: ['vor_session=a; Secure; HttpOnly'], status: 'warn', reason: 'missing' },
] as const;

for (const c of cases) {
  test(`${c.evaluate.name} on ${c.name} → ${c.status}`, () => {
    const finding = c.evaluate(facts([...c.lines]));
    assert.equal(finding.status, c.status, finding.message);
    assert.equal(finding.reason, 'reason' in c ? c.reason : undefined);
  });
}

test('without credentials and without cookies on the main document, cookie checks skip and say how to enable them', () => {
  for (const evaluate of [evaluateCookieSecure, evaluateCookieHttpOnly, evaluateCookieSameSite]) {
    const finding = evaluate({ cookies: [], loggedIn: false, now: NOW });
    assert.equal(finding.status, 'skip');
    assert.match(finding.message, /VOR_TEST_USER_EMAIL and VOR_TEST_USER_PASSWORD/);
  }
});

test('cookie evidence names cookies but never carries their values', () => {
  const finding = evaluateCookieSecure(facts(['vor_session=SUPERSECRETVALUE; HttpOnly']));
  assert.doesNotMatch(JSON.stringify(finding), /SUPERSECRETVALUE/);
});

const now = NOW.getTime() / 1000;
const tokenCases = [
  { name: 'a 15-minute JWT and a 1-hour cookie', lines: [GOOD_SESSION], token: jwt({ iat: now, exp: now + 900 }), status: 'pass' },
  { name: 'a JWT without exp', lines: [GOOD_SESSION], token: jwt({ iat: now }), status: 'fail', reason: 'no_exp' },
  { name: 'a 30-day JWT', lines: [GOOD_SESSION], token: jwt({ iat: now, exp: now + 30 * 86400 }), status: 'fail', reason: 'too_long' },
  {
    name: 'a 30-day session cookie',
    lines: ['vor_session=a; Secure; HttpOnly; SameSite=Lax; Max-Age=2592000'],
    status: 'fail',
    reason: 'too_long',
  },
  { name: 'a browser-session cookie and no token', lines: ['vor_session=a; Secure; HttpOnly; SameSite=Lax'], status: 'pass' },
  {
    name: 'a session cookie holding a JWT without exp',
    lines: [`vor_session=${jwt({ sub: 1 })}; Secure; HttpOnly`],
    status: 'fail',
    reason: 'no_exp',
  },
] as const;

for (const c of tokenCases) {
  test(`auth.token_lifetime with ${c.name} → ${c.status}`, () => {
    const finding = evaluateTokenLifetime(facts([...c.lines], 'token' in c ? { accessToken: c.token } : {}), DEFAULT_PROBE_OPTIONS);
    assert.equal(finding.status, c.status, finding.message);
    assert.equal(finding.reason, 'reason' in c ? c.reason : undefined);
  });
}

test('auth.token_lifetime skips without a login', () => {
  assert.equal(evaluateTokenLifetime({ cookies: [], loggedIn: false, now: NOW }, DEFAULT_PROBE_OPTIONS).status, 'skip');
});

test('auth.token_lifetime judges session cookies the main document sets, even without a login', () => {
  const cases = [
    { line: 'sid=a; Secure; HttpOnly; Max-Age=2592000', status: 'fail', reason: 'too_long' },
    { line: `auth=${jwt({ sub: 1 })}; Secure; HttpOnly`, status: 'fail', reason: 'no_exp' },
    { line: 'sid=a; Secure; HttpOnly; Max-Age=3600', status: 'skip', reason: 'no_credentials' },
    { line: 'theme=dark; Max-Age=31536000', status: 'skip', reason: 'no_credentials' },
  ] as const;
  for (const c of cases) {
    const finding = evaluateTokenLifetime({ cookies: [cookie(c.line, 'document')], loggedIn: false, now: NOW }, DEFAULT_PROBE_OPTIONS);
    assert.equal(finding.status, c.status, c.line);
    assert.equal(finding.reason, c.reason, c.line);
  }
});

const write = (status: number, body = '{}', contentType = 'application/json') =>
  withHeaders(
    { 'content-type': contentType },
    httpSnapshot({ method: 'POST', url: 'https://a.test/api/billing/payment_intents', status, body }),
  );
const LANDING = '<!doctype html><html><body><h1>Welcome</h1></body></html>';

/** As the probe makes them: the control is only sent when the forged write was refused. */
const csrfCases: readonly {
  name: string;
  attack: HttpSnapshot;
  control?: HttpSnapshot;
  status: Status;
  reason?: string;
}[] = [
  { name: 'the forged write accepted', attack: write(201), status: 'fail', reason: 'accepted' },
  // Express res.send('ok'), Django HttpResponse: a plain answer labelled text/html is still an accepted write.
  {
    name: 'the forged write accepted with a text/html "ok"',
    attack: write(200, 'ok', 'text/html; charset=utf-8'),
    status: 'fail',
    reason: 'accepted',
  },
  { name: 'the forged write refused, the control accepted', control: write(201), attack: write(403), status: 'pass' },
  { name: 'both refused with 401 (no session)', control: write(401), attack: write(401), status: 'error', reason: 'control_refused' },
  { name: 'both refused with 400 (wrong body)', control: write(400), attack: write(403), status: 'error', reason: 'control_refused' },
  { name: 'the forged write 404', attack: write(404, LANDING, 'text/html'), status: 'skip', reason: 'no_endpoint' },
  { name: 'the forged write 405', attack: write(405), status: 'skip', reason: 'no_endpoint' },
  { name: 'the forged write 429', attack: write(429, ''), status: 'error', reason: 'rate_limited' },
  { name: 'the control 429', control: write(429, ''), attack: write(403), status: 'error', reason: 'rate_limited' },
  {
    name: 'the control answered the landing page (a catch-all)',
    control: write(200, LANDING, 'text/html'),
    attack: write(403, LANDING, 'text/html'),
    status: 'skip',
    reason: 'not_an_api_response',
  },
];

for (const c of csrfCases) {
  test(`csrf.protection is ${c.status}${c.reason === undefined ? '' : `/${c.reason}`} with ${c.name}`, () => {
    const finding = evaluateCsrf({
      attack: c.attack,
      ...(c.control === undefined ? {} : { control: c.control }),
      sessionHasCookie: true,
      expectsJson: true,
    });
    assert.equal(finding.status, c.status, finding.message);
    assert.equal(finding.reason, c.reason);
    assert.equal(finding.evidence.controlStatus, c.control?.status ?? null);
  });
}

test('only a refused forged write needs the control request', () => {
  assert.deepEqual([write(201), write(200, 'ok', 'text/html'), write(403), write(401), write(404), write(429)].map(csrfNeedsControl), [
    false,
    false,
    true,
    true,
    false,
    false,
  ]);
});

test('a reused control answer is said so in the message and the evidence', () => {
  const finding = evaluateCsrf({ attack: write(403), control: write(201), controlReused: true, sessionHasCookie: true, expectsJson: true });
  assert.equal(finding.status, 'pass');
  assert.equal(finding.evidence.controlReused, true);
  assert.match(finding.message, /reused/);
});

test('csrf.protection says what is wrong: the forged origin on accepted, the setting on a control refused, credentials when skipped', () => {
  assert.match(evaluateCsrf({ attack: write(201), sessionHasCookie: true, expectsJson: true }).message, /attacker\.invalid/);
  assert.match(
    evaluateCsrf({ control: write(401), attack: write(401), sessionHasCookie: true, expectsJson: true }).message,
    /app\.api\.csrfProbe/,
  );
  assert.match(evaluateCsrf(undefined).message, /VOR_TEST_USER_EMAIL/);
  const noCookie = evaluateCsrf({ attack: write(201), sessionHasCookie: false, expectsJson: true });
  assert.equal(noCookie.status, 'skip');
  assert.equal(noCookie.reason, 'no_session_cookie');
});
