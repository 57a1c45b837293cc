import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError } from './errors.js';
import { resolveConfig, type TargetFlags } from './resolve.js';

function dir(files: Record<string, string> = {}): string {
  const d = mkdtempSync(path.join(tmpdir(), 'vor-config-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(d, name), content);
  return d;
}

const resolve = (flags: TargetFlags, env: Record<string, string>, cwd = dir()) => resolveConfig({ flags, env, cwd });

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error.problems.map((p) => `${p.source}: ${p.message}`);
  }
  assert.fail('expected a ConfigError');
}

test('no target anywhere means the embedded reference target (empty list)', () => {
  assert.deepEqual(resolve({}, {}).targets, []);
});

test('a flag beats the environment, which beats .env, which beats the config file', () => {
  const cwd = dir({
    '.env': 'VOR_BASE_URL=https://dotenv.example\nVOR_API_URL=https://dotenv.example/v1\nVOR_ENVIRONMENT=staging\n',
    'vor.yml':
      'targets:\n  - baseUrl: https://file.example\n    apiUrl: https://file.example/api\n    environment: production\n    allowedOrigin: https://front.example\n',
  });
  const withFlag = resolve({ target: 'https://flag.example', config: 'vor.yml' }, { VOR_BASE_URL: 'https://env.example' }, cwd).targets[0];
  assert.equal(withFlag?.baseUrl, 'https://flag.example');
  assert.equal(withFlag?.apiUrl, 'https://dotenv.example/v1', '.env supplies what flags and env do not');
  const withEnv = resolve({ config: 'vor.yml' }, { VOR_BASE_URL: 'https://env.example', VOR_ENVIRONMENT: 'qa' }, cwd).targets[0];
  assert.equal(withEnv?.baseUrl, 'https://env.example');
  assert.equal(withEnv?.environment, 'qa', 'the real environment beats .env');
  const fromFile = resolve(
    { config: 'vor.yml' },
    {},
    dir({ 'vor.yml': 'targets:\n  - baseUrl: https://file.example\n    allowedOrigin: https://front.example\n' }),
  ).targets[0];
  assert.equal(fromFile?.baseUrl, 'https://file.example');
  assert.equal(fromFile?.allowedOrigin, 'https://front.example');
});

test('config file options get defaults and can be overridden', () => {
  const cwd = dir({ 'vor.json': JSON.stringify({ probes: { burstRequests: 30 }, budgets: { bundleKb: 200 } }) });
  const config = resolve({ config: 'vor.json' }, {}, cwd);
  assert.equal(config.probes.burstRequests, 30);
  assert.equal(config.probes.timeoutMs, 10_000);
  assert.equal(config.budgets.bundleKb, 200);
  assert.equal(config.budgets.imageKb, 300);
});

test('test-user credentials come from the environment and are registered as secrets', () => {
  const config = resolve(
    {},
    { VOR_TEST_USER_EMAIL: 'qa@vor.test', VOR_TEST_USER_PASSWORD: 's3cret-pass', SENTRY_DSN: 'http://abc@127.0.0.1:1/1' },
  );
  assert.deepEqual(config.credentials, { email: 'qa@vor.test', password: 's3cret-pass' });
  assert.ok(config.secrets.includes('s3cret-pass'));
  assert.ok(config.secrets.includes('http://abc@127.0.0.1:1/1'));
});

const bad: { name: string; flags: TargetFlags; env: Record<string, string>; files?: Record<string, string>; expect: RegExp }[] = [
  { name: 'ftp target flag', flags: { target: 'ftp://x' }, env: {}, expect: /^--target: must be an https:\/\/ URL/ },
  { name: 'garbage VOR_BASE_URL', flags: {}, env: { VOR_BASE_URL: 'nope' }, expect: /^VOR_BASE_URL: must be an absolute URL/ },
  { name: 'plain-http target', flags: { target: 'http://127.0.0.1' }, env: {}, expect: /^--target: must be an https:\/\/ URL/ },
  {
    name: 'allowed origin with a path',
    flags: { target: 'https://a.example', allowedOrigin: 'https://a.example/app' },
    env: {},
    expect: /^--allowed-origin: must be an origin/,
  },
  {
    name: 'missing CA file',
    flags: { target: 'https://a.example', ca: '/nonexistent/ca.pem' },
    env: {},
    expect: /^--ca: file .*does not exist/,
  },
  { name: 'missing config file', flags: { config: 'nope.yml' }, env: {}, expect: /^--config: file .*nope\.yml does not exist/ },
  { name: 'config from VOR_CONFIG missing', flags: {}, env: { VOR_CONFIG: 'gone.yml' }, expect: /^VOR_CONFIG: file/ },
  {
    name: 'unparseable YAML',
    flags: { config: 'v.yml' },
    env: {},
    files: { 'v.yml': 'targets: [\n' },
    expect: /v\.yml: cannot be parsed as YAML/,
  },
  {
    name: 'unknown field in config',
    flags: { config: 'v.yml' },
    env: {},
    files: { 'v.yml': 'targts: []\n' },
    expect: /v\.yml: \(root\): Unrecognized key/,
  },
  {
    name: 'burst above the hard maximum',
    flags: { config: 'v.json' },
    env: {},
    files: { 'v.json': '{"probes":{"burstRequests":100000}}' },
    expect: /v\.json: probes\.burstRequests: Too big/,
  },
  {
    name: 'bad target in config file',
    flags: { config: 'v.yml' },
    env: {},
    files: { 'v.yml': 'targets:\n  - baseUrl: ftp://x\n' },
    expect: /v\.yml: targets\.0\.baseUrl: must be an https/,
  },
  { name: 'half the credentials', flags: {}, env: { VOR_TEST_USER_EMAIL: 'a@b.c' }, expect: /^VOR_TEST_USER_PASSWORD: set both/ },
  { name: 'API flag without a target', flags: { api: 'https://a.example/api' }, env: {}, expect: /^--api: needs a target/ },
];

for (const c of bad) {
  test(`bad configuration is reported with its source: ${c.name}`, () => {
    const problems = problemsOf(() => resolve(c.flags, c.env, dir(c.files)));
    assert.ok(
      problems.some((p) => c.expect.test(p)),
      `got: ${problems.join(' | ')}`,
    );
  });
}

test('every problem is gathered, not only the first', () => {
  const problems = problemsOf(() => resolve({ target: 'ftp://x', ca: '/nonexistent.pem' }, { VOR_TEST_USER_EMAIL: 'a@b.c' }));
  assert.ok(problems.length >= 3, problems.join(' | '));
});
