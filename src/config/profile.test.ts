import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CSRF_COOKIE } from '../../target/auth.js';
import { PUBLIC_ROUTES } from '../../target/pages.js';
import { API_ROUTES } from '../../target/routes/api.js';
import {
  AppProfileSchema,
  DEFAULT_APP_PROFILE,
  DEFAULT_TEST_USERS,
  isProductionTarget,
  LocatorSchema,
  resolveLocation,
  textMatcher,
  TestUsersSchema,
  urlMatcher,
} from './profile.js';

const at = (value: unknown, dotted: string): unknown =>
  dotted.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], value);

/** The reference target's pages, elements and API as `target/` serves them: the profile's defaults. */
const REFERENCE: readonly [field: string, value: unknown][] = [
  ['pages.landing', '/'],
  ['pages.signIn', '/login'],
  ['pages.register', '/signup'],
  ['pages.dashboard', '/dashboard'],
  ['pages.connectBank', '/link-bank'],
  ['pages.billing', '/billing'],
  ['pages.settings', '/settings'],
  ['pages.privacy', '/privacy'],
  ['pages.terms', '/terms'],
  ['signIn.email', { label: '/e-?mail/i', within: { role: 'main' } }],
  ['signIn.submit', { role: 'button', name: '/^(log ?in|sign in)$/i', within: { role: 'main' } }],
  ['signIn.signedIn', { url: '/\\/dashboard/' }],
  ['register.name', { label: '/^name$/i', within: { role: 'main' } }],
  ['register.done', { url: '/\\/dashboard/' }],
  ['connectBank.start', { role: 'button', name: '/link a bank/i' }],
  ['connectBank.frame', { title: 'Plaid Link' }],
  ['connectBank.search', { placeholder: 'Search' }],
  ['connectBank.sandboxUsername', 'user_good'],
  ['connectBank.sandboxPassword', 'pass_good'],
  ['payment.mode', 'elements'],
  ['payment.start', null],
  ['payment.cardNumber', { frame: { title: 'Secure card number input frame' }, field: { placeholder: '1234 1234 1234 1234' } }],
  ['payment.expiry', { frame: { title: 'Secure expiration date input frame' }, field: { placeholder: 'MM / YY' } }],
  ['payment.cvc', { frame: { title: 'Secure CVC input frame' }, field: { placeholder: 'CVC' } }],
  ['payment.pay', { role: 'button', name: '/^pay(?! with)/i', within: { role: 'main' } }],
  ['payment.testCard', '4242 4242 4242 4242'],
  ['payment.success', { url: '/paid=/' }],
  ['settings.deleteConfirmationValue', 'DELETE'],
  ['settings.deleted', { url: '/deleted=1/' }],
  ['settings.signedOut', { url: '/\\/login/' }],
  ['legal.privacyLink', { role: 'link', name: '/privacy/i', within: { role: 'contentinfo' }, first: true }],
  ['api.login', { url: '{api}/auth/login', method: 'POST', encoding: 'json', emailField: 'email', passwordField: 'password' }],
  ['api.csrf', { mode: 'cookie', cookie: CSRF_COOKIE, meta: 'csrf-token', header: 'x-csrf-token', source: '{api}/auth/csrf' }],
  ['api.health', undefined],
  ['api.query', { url: '{api}/search', param: 'q' }],
  [
    'api.csrfProbe',
    {
      url: '{api}/billing/payment_intents',
      method: 'POST',
      encoding: 'json',
      body: { amount_cents: 1200, description: 'vor-watch csrf probe' },
    },
  ],
  ['api.authenticatedRead', '{api}/export'],
];

for (const [field, value] of REFERENCE) {
  test(`an empty profile describes the reference target: app.${field}`, () => {
    assert.deepEqual(at(AppProfileSchema.parse({}), field), value);
    assert.deepEqual(at(DEFAULT_APP_PROFILE, field), value);
  });
}

test('the default public pages and API requests exist on the reference target', () => {
  for (const page of ['landing', 'signIn', 'register', 'privacy', 'terms'] as const)
    assert.ok((PUBLIC_ROUTES as readonly string[]).includes(DEFAULT_APP_PROFILE.pages[page]), page);
  const api = DEFAULT_APP_PROFILE.api;
  const throwaway = DEFAULT_TEST_USERS.throwaway;
  assert.equal(throwaway.source, 'signup-api');
  const requests: [string, string, string][] = [
    ['api.login', api.login.method, api.login.url],
    ['api.csrf.source', 'GET', api.csrf.source],
    ['api.query', 'GET', api.query.url],
    ['api.csrfProbe', api.csrfProbe.method, api.csrfProbe.url],
    ['api.authenticatedRead', 'GET', api.authenticatedRead],
    ...(throwaway.source === 'signup-api'
      ? ([
          ['users.throwaway', throwaway.method, throwaway.url],
          ['users.throwaway.delete', throwaway.delete.method, throwaway.delete.url],
        ] as [string, string, string][])
      : []),
  ];
  for (const [field, method, location] of requests) {
    const pathname = new URL(resolveLocation(location, { baseUrl: 'https://ref.test', apiUrl: 'https://ref.test/api' })).pathname;
    assert.ok(
      API_ROUTES.some((route) => route.method === method && route.path === pathname),
      `${field}: ${method} ${pathname} is not a route of target/`,
    );
  }
});

test('a partial group keeps the defaults of the fields it does not set', () => {
  const app = AppProfileSchema.parse({ pages: { signIn: '/auth/sign-in' }, api: { login: { encoding: 'form' } } });
  assert.equal(app.pages.signIn, '/auth/sign-in');
  assert.equal(app.pages.register, '/signup');
  assert.equal(app.api.login.encoding, 'form');
  assert.equal(app.api.login.emailField, 'email');
  assert.deepEqual(app.api.csrf, DEFAULT_APP_PROFILE.api.csrf);
});

const GIVE_ONE = /^give exactly one of role, label, placeholder, text, testId, title/;
const badLocators: { name: string; spec: unknown; message: RegExp }[] = [
  { name: 'two kinds (role and label)', spec: { role: 'button', label: 'x' }, message: GIVE_ONE },
  { name: 'two kinds (text and testId)', spec: { text: 'Pay', testId: 'pay' }, message: GIVE_ONE },
  { name: 'no kind at all', spec: {}, message: GIVE_ONE },
  { name: 'only a scope', spec: { within: { role: 'main' }, first: true }, message: GIVE_ONE },
  { name: 'a name without a role', spec: { label: 'Email', name: 'Email' }, message: /`name` goes with `role`/ },
  { name: 'a CSS selector', spec: { css: 'button.pay' }, message: /Unrecognized key.*css/ },
  { name: 'a role that is not an ARIA role', spec: { role: 'Button!' }, message: /must be an ARIA role/ },
  { name: 'a bad locator inside `within`', spec: { role: 'button', within: { role: 'main', text: 'x' } }, message: GIVE_ONE },
];

for (const c of badLocators) {
  test(`a locator is rejected with a message: ${c.name}`, () => {
    const parsed = LocatorSchema.safeParse(c.spec);
    assert.equal(parsed.success, false);
    const messages = parsed.error?.issues.map((i) => i.message) ?? [];
    assert.ok(
      messages.some((m) => c.message.test(m)),
      messages.join(' | '),
    );
  });
}

test('a bad locator in the profile is reported at its field path', () => {
  const parsed = AppProfileSchema.safeParse({ payment: { pay: { role: 'button', label: 'x' } } });
  assert.equal(parsed.success, false);
  const issue = parsed.error?.issues[0];
  assert.deepEqual(issue?.path, ['payment', 'pay']);
  assert.match(issue?.message ?? '', GIVE_ONE);
});

test('every locator kind, and within/first/or, are accepted', () => {
  for (const spec of [
    { role: 'button', name: '/pay/i', exact: false },
    { label: 'Email' },
    { placeholder: 'Search' },
    { text: 'Welcome back' },
    { testId: 'account-row' },
    { title: 'Plaid Link' },
    { role: 'link', name: 'Privacy', within: { role: 'contentinfo' }, first: true, or: { text: 'Privacy' } },
  ])
    assert.deepEqual(LocatorSchema.parse(spec), spec);
});

const texts: [input: string, expected: string | RegExp][] = [
  ['/re/i', /re/i],
  ['/^pay/i', /^pay/i],
  ['/\\/dashboard/', /\/dashboard/],
  ['/a/b/', /a\/b/],
  ['Pay now', 'Pay now'],
  ['/', '/'],
  ['//', '//'],
  ['/path/to', '/path/to'],
];

for (const [input, expected] of texts) {
  test(`text ${JSON.stringify(input)} matches as ${String(expected)}`, () => {
    const matcher = textMatcher(input);
    if (typeof expected === 'string') assert.equal(matcher, expected);
    else {
      assert.ok(matcher instanceof RegExp, `${input} should become a RegExp`);
      assert.equal(matcher.source, expected.source);
      assert.equal(matcher.flags, expected.flags);
    }
  });
}

test('a URL marker matches anywhere in the URL: a /regex/ as such, plain text literally', () => {
  assert.match('https://app.test/billing?paid=pi_1', urlMatcher('paid='));
  assert.match('https://app.test/home', urlMatcher('/\\/home$/'));
  assert.doesNotMatch('https://app.test/homepage', urlMatcher('/\\/home$/'));
  assert.doesNotMatch('https://app.test/axb', urlMatcher('a.b'), 'a dot in plain text is a dot');
  assert.match('https://app.test/A.B', urlMatcher('/a\\.b/i'));
});

const bases = { baseUrl: 'https://app.test', apiUrl: 'https://api.app.test/v2' };
const locations: [location: string, resolved: string][] = [
  ['/login', 'https://app.test/login'],
  ['/', 'https://app.test/'],
  ['{api}/auth/login', 'https://api.app.test/v2/auth/login'],
  ['{api}/lookup?term=', 'https://api.app.test/v2/lookup?term='],
  ['https://ops.app.test:8444/_ops/health', 'https://ops.app.test:8444/_ops/health'],
  ['http://127.0.0.1:9/health', 'http://127.0.0.1:9/health'],
];

for (const [location, resolved] of locations) {
  test(`location ${location} resolves to ${resolved}`, () => {
    assert.equal(resolveLocation(location, bases), resolved);
  });
}

test('a location that is neither a path, an {api} path nor an http(s) URL is rejected', () => {
  for (const health of ['health', 'ftp://ops.test/health', '{api}health', 'api/health']) {
    const parsed = AppProfileSchema.safeParse({ api: { health } });
    assert.equal(parsed.success, false, health);
    assert.deepEqual(parsed.error?.issues[0]?.path, ['api', 'health']);
    assert.match(parsed.error?.issues[0]?.message ?? '', /site path .*API path .*absolute http\(s\):\/\/ URL/);
  }
});

const production: [target: Parameters<typeof isProductionTarget>[0], expected: boolean][] = [
  [{ environment: 'prod' }, true],
  [{ environment: 'production' }, true],
  [{ environment: 'PRD' }, true],
  [{ environment: 'Live' }, true],
  [{ environment: ' Production ' }, true],
  [{ name: 'PROD' }, true],
  [{ name: 'live', environment: 'eu' }, true],
  [{ environment: 'staging' }, false],
  [{ name: 'staging', environment: 'stage' }, false],
  [{ environment: 'preprod' }, false],
  [{ environment: 'production-like' }, false],
  [{}, false],
  [{ production: true, environment: 'staging' }, true],
  [{ production: true }, true],
  [{ production: false, environment: 'production' }, false],
  [{ production: false, name: 'prod' }, false],
];

for (const [target, expected] of production) {
  test(`isProductionTarget(${JSON.stringify(target)}) is ${expected}`, () => {
    assert.equal(isProductionTarget(target), expected);
  });
}

test('test users: emailEnv/passwordEnv must be variable names, never values', () => {
  const parsed = TestUsersSchema.safeParse({ existing: { emailEnv: 'qa@vor.test', passwordEnv: 'hunter2!' } });
  assert.equal(parsed.success, false);
  assert.deepEqual(parsed.error?.issues.map((i) => i.path.join('.')).sort(), ['existing.emailEnv', 'existing.passwordEnv']);
  assert.match(parsed.error?.issues[0]?.message ?? '', /NAME of an environment variable/);
  assert.deepEqual(DEFAULT_TEST_USERS.existing, { emailEnv: 'VOR_TEST_USER_EMAIL', passwordEnv: 'VOR_TEST_USER_PASSWORD' });
  assert.equal(DEFAULT_TEST_USERS.allowSignupOnProduction, false);
});
