import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { httpSnapshot, withHeaders } from '../../test/helpers/http-snapshot.js';
import {
  evaluateSecretsInBundle,
  evaluateSourceMaps,
  evaluateTestKeys,
  looksLikeSourceMap,
  sourceMapUrlOf,
  type ScannedScript,
} from './bundle.js';
import { evaluateSensitiveFiles, maskedExcerpt } from './files.js';
import { evaluateErrorLeak, leakIn } from './leak.js';
import { findSecretsInCode, findTestKeys } from './secrets.js';

// Secret-shaped strings are assembled at run time so that no committed file contains one.
const LIVE_KEY = ['sk', 'live', 'a1B2c3D4e5F6g7H8i9J0k1L2'].join('_');
const TEST_PK = ['pk', 'test', 'Zz9Yy8Xx7Ww6'].join('_');
const AWS = `AKIA${'ABCDEFGHIJKLMNOP'}`;

const script = (body: string, url = 'https://a.test/assets/app.3f9a1c2b.js'): ScannedScript => ({
  url,
  body,
  truncated: false,
  headers: {},
});

const file = (path: string, body: string, contentType = 'text/plain', status = 200) =>
  withHeaders({ 'content-type': contentType }, httpSnapshot({ url: `https://a.test${path}`, status, body }));

test('exposure.sensitive_files fails with exposed for a real .env and shows only a masked excerpt', () => {
  const finding = evaluateSensitiveFiles([
    file('/.env', 'DATABASE_URL=postgres://u:hunter2@db/x\nSECRET_KEY=abc'),
    file('/.git/HEAD', 'nope', 'text/html', 404),
  ]);
  assert.equal(finding.status, 'fail');
  assert.equal(finding.reason, 'exposed');
  assert.doesNotMatch(JSON.stringify(finding), /hunter2/);
  assert.match(JSON.stringify(finding.evidence), /DATABASE_URL=\[masked\]/);
});

test('exposure.sensitive_files passes when a SPA answers 200 with its HTML shell to /.env and /.git/config', () => {
  const shell = '<!doctype html><html><body><div id="app"></div></body></html>';
  const finding = evaluateSensitiveFiles([file('/.env', shell, 'text/html'), file('/.git/config', shell, 'text/html')]);
  assert.equal(finding.status, 'pass');
});

test('exposure.sensitive_files fails for a real .env whatever its content type (Express serves unknown files as text/html)', () => {
  const finding = evaluateSensitiveFiles([file('/.env', 'DATABASE_URL=postgres://u:p@db/app\n', 'text/html; charset=UTF-8')]);
  assert.equal(finding.status, 'fail', finding.message);
  assert.equal(finding.reason, 'exposed');
});

test('exposure.sensitive_files recognises .git/config, .git/HEAD and SQL dumps', () => {
  assert.equal(evaluateSensitiveFiles([file('/.git/config', '[core]\n\trepositoryformatversion = 0')]).status, 'fail');
  assert.equal(evaluateSensitiveFiles([file('/.git/HEAD', 'ref: refs/heads/main\n')]).status, 'fail');
  assert.equal(evaluateSensitiveFiles([file('/dump.sql', '-- PostgreSQL database dump\nCREATE TABLE users (id int);')]).status, 'fail');
  assert.equal(evaluateSensitiveFiles([file('/backup.sql', 'Not found')]).status, 'pass');
});

test('maskedExcerpt keeps the variable name and hides its value', () => {
  assert.equal(maskedExcerpt('# comment\nAPI_KEY=xyz'), 'API_KEY=[masked]');
});

test('maskedExcerpt never shows row data from an exposed dump', () => {
  const cases = [
    { body: "INSERT INTO users VALUES (1,'ann@x.test','$2b$10$abcdefghijkl')", excerpt: 'INSERT INTO [masked]' },
    { body: '-- PostgreSQL database dump\nCREATE TABLE users (id int);', excerpt: '-- PostgreSQL [masked]' },
    { body: 'ref: refs/heads/main\n', excerpt: 'ref:[masked]' },
    { body: '[core]\n\trepositoryformatversion = 0', excerpt: '[core]' },
  ];
  for (const c of cases) assert.equal(maskedExcerpt(c.body), c.excerpt, c.body);
});

test('exposure.secrets_in_bundle fails with secret_found for a Stripe live key, never showing the key', async () => {
  const finding = await evaluateSecretsInBundle([script(`const k="${LIVE_KEY}";`)]);
  assert.equal(finding.status, 'fail');
  assert.equal(finding.reason, 'secret_found');
  assert.doesNotMatch(JSON.stringify(finding), new RegExp(LIVE_KEY));
  assert.match(finding.message, /sk_live_…/);
});

test('exposure.secrets_in_bundle finds what the maintained rule set knows, and passes on clean code', async () => {
  // A real key, made now: the rule checks the PEM body, not just its header line.
  const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString()
    .trim()
    .split('\n');
  const cases = [
    { code: `x="${AWS}"`, kind: 'aws_access_key_id' },
    { code: `const key = \`${pem.join('\n')}\`;`, kind: 'private_key' },
    { code: `stripe(${JSON.stringify(['rk', 'live', 'Q'.repeat(30)].join('_'))})`, kind: 'stripe_restricted_key_live' },
    { code: `gh=${JSON.stringify(`ghp_${'a1B2'.repeat(9)}`)}`, kind: 'github_token' },
    { code: `fetch("https://admin:${'hunter2'}x9@db.example.com/")`, kind: 'basic_auth' },
    { code: `const cfg={plaid_secret:"${'0123456789abcdef'.repeat(2)}"}`, kind: 'plaid_secret' },
  ];
  for (const c of cases) {
    const kinds = (await findSecretsInCode(c.code)).map((m) => m.kind);
    assert.ok(
      kinds.some((k) => k.includes(c.kind)),
      `${c.kind}: got ${kinds.join(', ') || 'nothing'} in ${c.code.slice(0, 40)}`,
    );
  }
  assert.equal((await evaluateSecretsInBundle([script('const stripe = Stripe("pk_live_abc");')])).status, 'pass');
});

test('exposure.test_keys fails on production for pk_test_ and Plaid sandbox, and skips elsewhere', () => {
  const bundle = [script(`Stripe("${TEST_PK}"); Plaid.create({ env: "sandbox" })`)];
  const finding = evaluateTestKeys(bundle, 'production');
  assert.equal(finding.status, 'fail');
  assert.equal(finding.reason, 'test_key');
  assert.equal(evaluateTestKeys([script('plaidEnv: "sandbox"')], 'production').status, 'fail');
  assert.equal(evaluateTestKeys(bundle, 'staging').status, 'skip');
  // Production by any of its usual names, or by an explicit setting whatever the name.
  for (const name of ['prod', 'PRD', 'Live', 'Production']) assert.equal(evaluateTestKeys(bundle, name).status, 'fail', name);
  assert.equal(evaluateTestKeys(bundle, 'eu-main', true).status, 'fail');
  assert.equal(evaluateTestKeys(bundle, 'prod', false).status, 'skip');
  assert.equal(evaluateTestKeys([script('Stripe("pk_live_abcdefgh"); plaidEnv: "production"')], 'production').status, 'pass');
});

test('exposure.test_keys finds Stripe test secret/restricted keys and Plaid sandbox/development settings in client code', () => {
  const cases = [
    { code: `Stripe(${JSON.stringify(['sk', 'test', 'x'.repeat(24)].join('_'))})`, kind: 'stripe_test_secret_key' },
    { code: `k=${JSON.stringify(['rk', 'test', 'y'.repeat(24)].join('_'))}`, kind: 'stripe_test_restricted_key' },
    { code: 'const handler = Plaid.create({ env: "sandbox", token, onSuccess });', kind: 'plaid_non_production_environment' },
    { code: 'var h=window.Plaid.create({token:t,env:"development",onSuccess:s})', kind: 'plaid_non_production_environment' },
    {
      code: "const config = { environment: 'sandbox', token };\nconst handler = Plaid.create(config);",
      kind: 'plaid_non_production_environment',
    },
    { code: 'fetch("https://sandbox.plaid.com/link/token/create")', kind: 'plaid_non_production_host' },
  ];
  for (const c of cases) {
    assert.deepEqual(
      findTestKeys(c.code).map((m) => m.kind),
      [c.kind],
      c.code,
    );
  }
  // Not Plaid's: an unrelated environment setting, and Plaid in production.
  assert.deepEqual(findTestKeys('Sentry.init({ environment: "development" })'), []);
  assert.deepEqual(findTestKeys('Plaid.create({ env: "production", token })'), []);
});

test('source maps: the declared URL wins, else <script>.map; a served v3 map warns', () => {
  assert.equal(sourceMapUrlOf(script('x\n//# sourceMappingURL=app.js.map\n')), 'https://a.test/assets/app.js.map');
  assert.equal(sourceMapUrlOf(script('x')), 'https://a.test/assets/app.3f9a1c2b.js.map');
  const finding = evaluateSourceMaps([{ url: 'https://a.test/app.js.map', status: 200, isMap: true }]);
  assert.equal(finding.status, 'warn');
  assert.equal(finding.reason, 'served');
  assert.equal(evaluateSourceMaps([{ url: 'https://a.test/app.js.map', status: 404, isMap: false }]).status, 'pass');
});

/** What the probe reads of a map: its first 64 KB, cut there when larger. */
const firstBytes = (body: string) => ({ body: body.slice(0, 64 * 1024), truncated: body.length > 64 * 1024 });
const bigSource = 'export const x = 1;\n'.repeat(13_500); // ~270 KB once JSON-escaped

const mapCases = [
  { name: 'a small map', body: '{"version":3,"sources":[],"mappings":"AAAA"}', isMap: true },
  {
    name: 'a 270 KB map with "mappings" after "sourcesContent"',
    body: `{"version":3,"file":"app.js","sourcesContent":[${JSON.stringify(bigSource)}],"sources":["app.ts"],"names":[],"mappings":"AAAA"}`,
    isMap: true,
  },
  {
    name: 'a 270 KB map starting with "sourcesContent" ("version" last)',
    body: `{"sourcesContent":[${JSON.stringify(bigSource)}],"mappings":"AAAA","sources":["app.ts"],"version":3}`,
    isMap: true,
  },
  { name: "a map behind the )]}' guard", body: `)]}'\n{"version":3,"sources":["a.ts"],"mappings":";AAAA"}`, isMap: true },
  { name: 'an index map (sections)', body: '{"version":3,"sections":[{"offset":{"line":0,"column":0},"map":{}}]}', isMap: true },
  { name: 'a landing page', body: '<!doctype html><html><body>Welcome</body></html>', isMap: false },
  { name: 'some other JSON', body: '{"error":"not found"}', isMap: false },
  { name: 'a version 2 map', body: '{"version":2,"sources":[],"mappings":"AAAA"}', isMap: false },
  { name: 'a 270 KB JSON that is not a map', body: `{"items":[${JSON.stringify(bigSource)}],"version":3}`, isMap: false },
] as const;

for (const c of mapCases) {
  test(`looksLikeSourceMap recognises ${c.name} from its first bytes: ${c.isMap}`, () => {
    const { body, truncated } = firstBytes(c.body);
    assert.equal(looksLikeSourceMap(200, body, truncated), c.isMap);
  });
}

test('a source map is only a finding when served 200', () => {
  assert.equal(looksLikeSourceMap(404, '{"version":3,"sources":[],"mappings":"AAAA"}'), false);
  assert.ok(firstBytes(mapCases[1].body).truncated, 'the big map is larger than what is read');
});

const q = (status: number, body: string, contentType = 'application/json') =>
  withHeaders({ 'content-type': contentType }, httpSnapshot({ url: "https://a.test/api/search?q='", status, body }));

test('exposure.error_leak fails with database_error on a SQLite error, stack_trace on a stack', () => {
  assert.equal(evaluateErrorLeak(q(200, '[]'), [q(500, 'SqliteError: near "\'": syntax error')]).reason, 'database_error');
  const stack = 'TypeError: x is undefined\n    at search (/srv/app/search.js:10:5)\n    at handle (/srv/node_modules/x.js:1:2)';
  const finding = evaluateErrorLeak(q(200, '[]'), [q(500, stack)]);
  assert.equal(finding.status, 'fail');
  assert.equal(finding.reason, 'stack_trace');
});

test('exposure.error_leak warns on a bare 500, passes on 400, skips when the query URL is 404', () => {
  assert.equal(evaluateErrorLeak(q(200, '[]'), [q(500, '{"error":"internal"}')]).reason, 'server_error');
  assert.equal(evaluateErrorLeak(q(200, '[]'), [q(400, '{"error":"bad query"}')]).status, 'pass');
  assert.equal(evaluateErrorLeak(q(404, 'not found'), []).status, 'skip');
  assert.equal(leakIn('{"results":[]}'), undefined);
});

const LANDING = '<!doctype html><html><body><h1>Welcome</h1></body></html>';

const leakCases = [
  {
    name: 'HTML for a JSON query (a catch-all landing page)',
    plain: q(200, LANDING, 'text/html'),
    status: 'skip',
    reason: 'not_an_api_response',
  },
  { name: 'a 404', plain: q(404, LANDING, 'text/html'), status: 'skip', reason: 'no_query_endpoint' },
  { name: 'a 405', plain: q(405, ''), status: 'skip', reason: 'no_query_endpoint' },
  { name: 'a redirect to the login page', plain: q(302, ''), status: 'skip', reason: 'no_query_endpoint' },
  { name: 'a 401 without a session', plain: q(401, '{"error":"unauthorised"}'), status: 'skip', reason: 'no_query_endpoint' },
  { name: 'a 429', plain: q(429, 'Too Many Requests', 'text/plain'), status: 'error', reason: 'rate_limited' },
] as const;

for (const c of leakCases) {
  test(`exposure.error_leak is ${c.status}/${c.reason} when the query URL answers plain input with ${c.name}`, () => {
    const finding = evaluateErrorLeak(c.plain, []);
    assert.equal(finding.status, c.status, finding.message);
    assert.equal(finding.reason, c.reason);
    if (c.status === 'skip') assert.match(finding.message, /--query-url.*app\.api\.query/);
  });
}

test('exposure.error_leak errors with rate_limited when malformed queries get 429 and none leaks', () => {
  const finding = evaluateErrorLeak(q(200, '[]'), [q(400, '{}'), q(429, 'slow down', 'text/plain')]);
  assert.equal(finding.status, 'error');
  assert.equal(finding.reason, 'rate_limited');
  // A leak seen in another answer is still a leak.
  assert.equal(evaluateErrorLeak(q(200, '[]'), [q(429, ''), q(500, 'SQLITE_ERROR: near "\'"')]).status, 'fail');
});
