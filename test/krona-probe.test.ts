/**
 * vor-watch's HTTP probes against Krona, the second app, described only by a config file (app profile:
 * form login, <meta> CSRF, health on the ops origin, lookup query, transfers as the CSRF probe):
 * clean it is GO with every check passing; with faults on, exactly the checks those faults name go red.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { KRONA_FAULTS, type KronaFaultName } from './fixtures/krona/faults.js';
import { startKrona, type RunningKrona } from './fixtures/krona/server.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Checks that need something Krona does not have (an error tracker). */
const NOT_APPLICABLE = new Set(['monitoring.error_tracking']);

let krona: RunningKrona;
let dir: string;
let configFile: string;

before(async () => {
  krona = await startKrona({ quiet: true, bcryptCost: 4, testUser: { email: 'pat@krona.test', password: 'correct horse battery staple' } });
  dir = mkdtempSync(join(tmpdir(), 'krona-probe-'));
  configFile = join(dir, 'vor-watch.yml');
  writeFileSync(
    configFile,
    `targets:
  - name: krona
    baseUrl: ${krona.baseUrl}
    apiUrl: ${krona.apiUrl}
    httpUrl: ${krona.httpUrl}
    caFile: ${krona.caFile}
    environment: production
    sessionCookie: krona_sid
    users:
      existing: { emailEnv: KRONA_TEST_EMAIL, passwordEnv: KRONA_TEST_PASSWORD }
app:
  api:
    login: { url: /api/v2/sessions, method: POST, encoding: form, emailField: username, passwordField: passphrase }
    csrf: { mode: meta, meta: csrf-token, header: X-Krona-CSRF, source: /auth/sign-in }
    health: ${krona.healthUrl}
    query: { url: /api/v2/lookup, param: term }
    csrfProbe: { url: /api/v2/transfers, method: POST, encoding: json, body: { amount: '10' } }
    authenticatedRead: /api/v2/me/export
`,
  );
});
after(async () => {
  await krona.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Result {
  readonly id: string;
  readonly status: string;
  readonly message: string;
}

async function probe(): Promise<{ code: number; verdict: string; results: Result[] }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VOR_')));
  Object.assign(env, {
    KRONA_TEST_EMAIL: krona.testUser.email,
    KRONA_TEST_PASSWORD: krona.testUser.password,
    VOR_REPORTS_DIR: join(dir, 'reports'),
  });
  // Asynchronous on purpose: Krona runs in this process and must keep answering.
  const outcome = await run(process.execPath, ['bin/vor-watch.js', 'probe', '--config', configFile, '--target-name', 'krona', '--json'], {
    cwd: ROOT,
    env,
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: error.code ?? -1,
      stdout: error.stdout ?? '',
      stderr: error.stderr,
    }),
  );
  const json = JSON.parse(outcome.stdout) as { verdict: string; results: Result[] };
  return { code: outcome.code, verdict: json.verdict, results: json.results };
}

const notPassing = (results: Result[]) =>
  Object.fromEntries(results.filter((r) => r.status !== 'pass' && !NOT_APPLICABLE.has(r.id)).map((r) => [r.id, r.status]));

test('clean Krona, described by its config file alone: GO, every applicable check passes', async () => {
  const { code, verdict, results } = await probe();
  assert.deepEqual(
    notPassing(results),
    {},
    results
      .filter((r) => r.status !== 'pass')
      .map((r) => `${r.id}: ${r.message}`)
      .join('\n'),
  );
  assert.equal(code, 0);
  assert.equal(verdict, 'pass');
  for (const id of [
    'csrf.protection',
    'cookies.httponly',
    'auth.token_lifetime',
    'health.endpoint',
    'ratelimit.enforced',
    'exposure.error_leak',
  ]) {
    assert.equal(results.find((r) => r.id === id)?.status, 'pass', id);
  }
});

/** Faults whose checks are disjoint, so one probe run shows each fault's checks red and nothing else. */
const FAULT_SETS: readonly KronaFaultName[][] = [
  [
    'no_hsts',
    'x_powered_by',
    'http_serves_content',
    'cors_reflects_origin',
    'env_file_exposed',
    'secret_in_bundle',
    'lookup_leaks_stack_trace',
    'health_down',
    'session_cookie_not_httponly',
    'csrf_not_enforced',
  ],
  [
    'csp_missing',
    'api_cacheable',
    'session_long_lived',
    'no_login_rate_limit',
    'test_keys_in_bundle',
    'source_map_served',
    'assets_uncompressed',
  ],
];

for (const faults of FAULT_SETS) {
  test(`with ${faults.join(', ')} on, exactly their checks go red`, async () => {
    krona.setFaults(Object.fromEntries(faults.map((f) => [f, true])));
    try {
      const { code, results } = await probe();
      const expected = Object.fromEntries(
        faults.flatMap((f) => KRONA_FAULTS[f].breaks.map((id) => [id, id === 'exposure.source_maps' ? 'warn' : 'fail'])),
      );
      assert.deepEqual(
        notPassing(results),
        expected,
        results
          .filter((r) => r.id in expected)
          .map((r) => `${r.id}: ${r.message}`)
          .join('\n'),
      );
      assert.equal(code, 1);
    } finally {
      krona.setFaults({});
    }
  });
}
