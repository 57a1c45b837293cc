import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { rootCertificates } from 'node:tls';
import { buildTarget } from '../core/target.js';
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

test('an unusable SENTRY_DSN is a configuration error naming SENTRY_DSN, without echoing the secret', () => {
  for (const dsn of ['not-a-dsn-s3cret', 'https://127.0.0.1:9/1', 'https://s3cretkey@127.0.0.1:9/', 'ftp://s3cretkey@127.0.0.1/1']) {
    const problems = problemsOf(() => resolve({}, { SENTRY_DSN: dsn }));
    assert.equal(problems.length, 1, dsn);
    assert.match(problems[0] ?? '', /^SENTRY_DSN: /);
    assert.doesNotMatch(problems[0] ?? '', /s3cret/);
  }
  assert.equal(
    resolve({}, { SENTRY_DSN: 'https://0123abcd@o1.ingest.example/sub/42' }).sentryDsn,
    'https://0123abcd@o1.ingest.example/sub/42',
  );
});

test('an empty flag (e.g. --target "$UNSET_VAR") is bad usage, not a silent fallback to the embedded target', () => {
  assert.deepEqual(
    problemsOf(() => resolve({ target: '' }, {})),
    ['--target: is empty; give a value or leave the flag out (then VOR_BASE_URL applies)'],
  );
  assert.match(problemsOf(() => resolve({ allowedOrigin: ' ' }, {}))[0] ?? '', /^--allowed-origin: is empty/);
});

test('a CA file that is a directory, holds no certificate or is missing from a config target is a configuration error', () => {
  // A real certificate: PEM markers around anything else are refused.
  const pem = `${rootCertificates[0]}\n`;
  const cwd = dir({ 'junk.pem': 'not a certificate\n', 'ca.pem': pem });
  assert.match(problemsOf(() => resolve({ target: 'https://a.example', ca: cwd }, {}, cwd))[0] ?? '', /^--ca: .* is not a file/);
  assert.match(
    problemsOf(() => resolve({}, { VOR_BASE_URL: 'https://a.example', VOR_CA_FILE: 'junk.pem' }, cwd))[0] ?? '',
    /^VOR_CA_FILE: .*no PEM certificate/,
  );
  const missing = dir({ 'vor.yml': 'targets:\n  - baseUrl: https://a.example\n    caFile: nope.pem\n' });
  assert.match(
    problemsOf(() => resolve({ config: 'vor.yml' }, {}, missing))[0] ?? '',
    /^vor\.yml: targets\.0\.caFile: file .*nope\.pem does not exist/,
  );
  // Relative to the config file, not to the working directory.
  const nested = dir();
  const sub = path.join(nested, 'conf');
  mkdirSync(sub);
  writeFileSync(path.join(sub, 'vor.yml'), 'targets:\n  - baseUrl: https://a.example\n    caFile: ca.pem\n');
  writeFileSync(path.join(sub, 'ca.pem'), pem);
  assert.equal(resolve({ config: 'conf/vor.yml' }, {}, nested).targets[0]?.caFile, path.join(sub, 'ca.pem'));
});

test('the empty variables of a copied .env.example mean unset, not "the working directory"', () => {
  const cwd = dir({
    '.env':
      'VOR_CONFIG=\nVOR_REPORTS_DIR=\nVOR_CHECKLIST=\nVOR_RELEASE=\nVOR_BASE_URL=\nVOR_TEST_USER_EMAIL=\nVOR_TEST_USER_PASSWORD=\nSENTRY_DSN=\n',
  });
  const config = resolve({}, {}, cwd);
  assert.deepEqual(config.targets, []);
  assert.equal(config.reportsDir, path.join(cwd, 'reports'));
  assert.equal(config.release, undefined);
  assert.equal(config.credentials, undefined, 'no test user with an empty email and password');
});

test('VOR_KEEP_REPORTS beats the config file, defaults to 50, and a non-number is named', () => {
  assert.equal(resolve({}, {}).keepReports, 50);
  const cwd = dir({ 'vor.yml': 'keepReports: 7\n' });
  assert.equal(resolve({ config: 'vor.yml' }, {}, cwd).keepReports, 7);
  assert.equal(resolve({ config: 'vor.yml' }, { VOR_KEEP_REPORTS: '0' }, cwd).keepReports, 0);
  assert.deepEqual(
    problemsOf(() => resolve({}, { VOR_KEEP_REPORTS: 'ten' })),
    ['VOR_KEEP_REPORTS: "ten" is not a whole number; give how many run folders to keep (0 keeps all)'],
  );
  assert.match(problemsOf(() => resolve({ config: 'bad.yml' }, {}, dir({ 'bad.yml': 'keepReports: -1\n' })))[0] ?? '', /keepReports/);
});

test('.env.example documents every VOR_ variable the code reads', () => {
  const root = new URL('../../', import.meta.url);
  const documented = new Set(readFileSync(new URL('.env.example', root), 'utf8').match(/^[A-Z_]+(?==)/gm) ?? []);
  const read = new Set<string>();
  for (const folder of ['src', 'probes', 'smoke', 'load', 'target']) {
    for (const file of readdirSync(new URL(`${folder}/`, root), { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
      const source = readFileSync(new URL(`${folder}/${file}`, root), 'utf8');
      for (const match of source.matchAll(/\b(VOR_[A-Z_]+)\b/g)) read.add(match[1] ?? '');
    }
  }
  // Set by vor-watch itself for its Playwright child process (run file, spec listing, progress
  // stream, the monitor's warm browser), not by users.
  for (const internal of ['VOR_SMOKE_RUN', 'VOR_SMOKE_LIST_FILE', 'VOR_SMOKE_PROGRESS', 'VOR_SMOKE_BROWSER_WS']) read.delete(internal);
  assert.ok(read.has('VOR_BASE_URL') && read.size > 15, `found only ${[...read].join(', ')}`);
  assert.deepEqual([...read].filter((name) => !documented.has(name)).sort(), []);
});

const NAMED_TARGETS = `targets:
  - name: staging
    baseUrl: https://staging.app.test
    environment: staging
    queryUrl: https://staging.app.test/api/find?term=
    users:
      existing: { emailEnv: APP_STAGING_EMAIL, passwordEnv: APP_STAGING_PASSWORD }
      throwaway:
        source: endpoint
        create: { url: /__support/users, tokenEnv: APP_SUPPORT_TOKEN }
        delete: { url: '/__support/users/{id}' }
  - name: production
    baseUrl: https://app.test
    environment: live
    users:
      existing: null
`;

test('--target-name (or VOR_TARGET_NAME) selects one of the config targets', () => {
  const cwd = dir({ 'vor.yml': NAMED_TARGETS });
  assert.deepEqual(
    resolve({ config: 'vor.yml' }, {}, cwd).targets.map((t) => t.name),
    ['staging', 'production'],
  );
  const byFlag = resolve({ config: 'vor.yml', targetName: 'production' }, { VOR_TARGET_NAME: 'staging' }, cwd).targets;
  assert.deepEqual(
    byFlag.map((t) => [t.name, t.baseUrl]),
    [['production', 'https://app.test']],
    'the flag beats the variable',
  );
  const byEnv = resolve({ config: 'vor.yml' }, { VOR_TARGET_NAME: 'staging' }, cwd).targets;
  assert.deepEqual(
    byEnv.map((t) => t.name),
    ['staging'],
  );
});

test('an unknown target name is a configuration error naming its source and the valid names', () => {
  const cwd = dir({ 'vor.yml': NAMED_TARGETS });
  assert.deepEqual(
    problemsOf(() => resolve({ config: 'vor.yml', targetName: 'prod' }, {}, cwd)),
    ['--target-name: no target named "prod" in vor.yml; valid: staging, production'],
  );
  assert.match(
    problemsOf(() => resolve({ config: 'vor.yml' }, { VOR_TARGET_NAME: 'qa' }, cwd))[0] ?? '',
    /^VOR_TARGET_NAME: no target named "qa"/,
  );
  assert.match(problemsOf(() => resolve({ targetName: 'staging' }, {}))[0] ?? '', /^--target-name: no target named "staging"/);
});

test('--target with one config target replaces only its base URL and keeps its other settings', () => {
  const cwd = dir({ 'vor.yml': NAMED_TARGETS });
  const [target, ...rest] = resolve(
    { config: 'vor.yml', targetName: 'staging', target: 'https://127.0.0.1:8443' },
    { APP_STAGING_EMAIL: 'qa@app.test', APP_STAGING_PASSWORD: 'staging-pass-1' },
    cwd,
  ).targets;
  assert.equal(rest.length, 0);
  assert.equal(target?.baseUrl, 'https://127.0.0.1:8443');
  assert.equal(target?.name, 'staging');
  assert.equal(target?.environment, 'staging');
  assert.equal(target?.queryUrl, 'https://staging.app.test/api/find?term=');
  assert.equal(target?.users.throwaway.source, 'endpoint');
  assert.deepEqual(target?.credentials, { email: 'qa@app.test', password: 'staging-pass-1' });
  const single = dir({ 'one.yml': 'targets:\n  - name: qa\n    baseUrl: https://qa.app.test\n    environment: qa\n' });
  const only = resolve({ config: 'one.yml', target: 'https://127.0.0.1:9443' }, {}, single).targets;
  assert.deepEqual(
    only.map((t) => [t.name, t.baseUrl, t.environment]),
    [['qa', 'https://127.0.0.1:9443', 'qa']],
    'a single target needs no name',
  );
});

test('--target with several config targets and no name is an error naming --target-name', () => {
  const cwd = dir({ 'vor.yml': NAMED_TARGETS });
  const problems = problemsOf(() => resolve({ config: 'vor.yml', target: 'https://127.0.0.1:8443' }, {}, cwd));
  assert.equal(problems.length, 1, problems.join(' | '));
  assert.match(problems[0] ?? '', /--target-name/);
  assert.match(problems[0] ?? '', /has 2/);
  assert.match(problemsOf(() => resolve({ config: 'vor.yml' }, { VOR_BASE_URL: 'https://127.0.0.1:8443' }, cwd))[0] ?? '', /--target-name/);
});

test("each target's credentials come from the variables its users.existing names, and are secrets", () => {
  const cwd = dir({ 'vor.yml': NAMED_TARGETS });
  const config = resolve(
    { config: 'vor.yml' },
    {
      APP_STAGING_EMAIL: 'qa@app.test',
      APP_STAGING_PASSWORD: 'staging-pass-1',
      APP_SUPPORT_TOKEN: 'support-token-2',
      VOR_TEST_USER_EMAIL: 'default@app.test',
      VOR_TEST_USER_PASSWORD: 'default-pass-3',
    },
    cwd,
  );
  const [staging, production] = config.targets;
  assert.deepEqual(staging?.credentials, { email: 'qa@app.test', password: 'staging-pass-1' });
  for (const secret of ['staging-pass-1', 'support-token-2', 'default-pass-3'])
    assert.ok(config.secrets.includes(secret), `${secret} is masked`);
  assert.ok(!config.secrets.includes('qa@app.test'), 'an e-mail address is not a secret');
  // users.existing: null means no pre-provisioned user, even with the default variables set.
  assert.ok(production !== undefined && Object.hasOwn(production, 'credentials'));
  assert.equal(production.credentials, undefined);
  assert.equal(buildTarget(production, config.credentials).credentials, undefined, 'no fallback to VOR_TEST_USER_*');
  assert.deepEqual(buildTarget(staging!, config.credentials).credentials, { email: 'qa@app.test', password: 'staging-pass-1' });
});

test('a target without users keeps using VOR_TEST_USER_EMAIL / VOR_TEST_USER_PASSWORD', () => {
  const cwd = dir({ 'vor.yml': 'targets:\n  - baseUrl: https://app.test\n' });
  const config = resolve({ config: 'vor.yml' }, { VOR_TEST_USER_EMAIL: 'qa@app.test', VOR_TEST_USER_PASSWORD: 'default-pass-3' }, cwd);
  assert.deepEqual(config.targets[0]?.credentials, { email: 'qa@app.test', password: 'default-pass-3' });
});

test('setting only one of a custom emailEnv / passwordEnv is an error naming the config path and both variables', () => {
  const cwd = dir({ 'vor.yml': NAMED_TARGETS });
  const halves: Record<string, string>[] = [{ APP_STAGING_EMAIL: 'qa@app.test' }, { APP_STAGING_PASSWORD: 'staging-pass-1' }];
  for (const env of halves) {
    const problems = problemsOf(() => resolve({ config: 'vor.yml' }, env, cwd));
    assert.deepEqual(problems, [
      'vor.yml: targets.0.users.existing: set both APP_STAGING_EMAIL and APP_STAGING_PASSWORD in the environment, or neither',
    ]);
    assert.ok(!problems.join('').includes('staging-pass-1'), 'the message never quotes a value');
  }
});

test('a bad app profile field is reported at its path in the config file', () => {
  const cwd = dir({ 'vor.yml': 'app:\n  payment:\n    pay: { role: button, label: x }\n' });
  assert.match(problemsOf(() => resolve({ config: 'vor.yml' }, {}, cwd))[0] ?? '', /vor\.yml: app\.payment\.pay: give exactly one of/);
});

test('browser-run limits from the environment are whole megabytes, and a bad one is named', () => {
  assert.deepEqual(
    problemsOf(() => resolve({}, { VOR_SMOKE_MAX_RSS_MB: 'lots' })),
    ['VOR_SMOKE_MAX_RSS_MB: "lots" is not a whole number of megabytes above 0'],
  );
  assert.deepEqual(
    problemsOf(() => resolve({}, { VOR_SMOKE_MAX_ARTIFACT_MB: '0' })),
    ['VOR_SMOKE_MAX_ARTIFACT_MB: "0" is not a whole number of megabytes above 0'],
  );
  assert.doesNotThrow(() => resolve({}, { VOR_SMOKE_MAX_RSS_MB: '2048', VOR_SMOKE_MAX_ARTIFACT_MB: '' }));
});
