/** `vor-watch probe` with checks as code in the config: HTTP assertion checks, overrides, and exit 2 for a bad config. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { RunSummary } from '../src/core/result.js';
import { runCli } from './helpers/cli.js';

let dir: string;
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vor-checks-as-code-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string): string => {
  writeFileSync(path.join(dir, name), text);
  return name;
};
const EMPTY_ENV = { VOR_BASE_URL: '', VOR_CONFIG: '', SENTRY_DSN: '', VOR_REPORTS_DIR: '' };

test(
  'custom.* records reach the table, summary.json, junit.xml, the HTML and the verdict; overrides are reported with their file',
  { timeout: 90_000 },
  async () => {
    const config = write(
      'vor-watch.yml',
      `reportsDir: reports
checks:
  http:
    - id: custom.health_json
      severity: critical
      checklist: ['Infrastructure: Health checks configured']
      request: { url: /health }
      assertions:
        - { type: status, equals: 200 }
        - { type: jsonPath, path: '$.status', equals: ok }
    - id: custom.landing_is_json
      severity: medium
      request: { url: / }
      assertions:
        - { type: jsonPath, path: '$.version', exists: true }
overrides:
  headers.permissions_policy: off
  perf.web_vitals: { lcpWarnMs: 2000 }
  custom.helth_json: { severity: low }
`,
    );
    const run = await runCli(['probe', '--config', config, '--check', 'custom.*', '--check', 'headers.permissions_policy'], {
      cwd: dir,
      env: EMPTY_ENV,
      timeoutMs: 80_000,
    });
    assert.equal(run.code, 1, `a failing custom check is NO-GO\n${run.stderr}`);
    assert.match(run.stdout, /^PASS\s+custom\.health_json\s+all 2 assertions hold on GET https:\/\/127\.0\.0\.1:\d+\/health$/m);
    assert.match(run.stdout, /^\s+FAIL custom\.landing_is_json: 1 of 1 assertions failed on GET .*the answer was not JSON/m);
    assert.match(
      run.stdout,
      /^SKIP\s+headers\.permissions_policy\s+headers\.permissions_policy is switched off for reference by vor-watch\.yml/m,
    );
    assert.match(
      run.stderr,
      /override: headers\.permissions_policy on reference: switched off \(vor-watch\.yml: overrides\.headers\.permissions_policy\)/,
    );
    assert.match(
      run.stderr,
      /override: perf\.web_vitals on reference: lcpWarnMs 2500 → 2000 \(vor-watch\.yml: overrides\.perf\.web_vitals\)/,
    );
    assert.match(
      run.stderr,
      /override: no check custom\.helth_json ran on reference in this run; .*\(vor-watch\.yml: overrides\.custom\.helth_json\)/,
    );
    assert.doesNotMatch(run.stderr, /no check custom\.health_json ran/);

    const runDir = path.join(dir, 'reports', 'latest');
    const summary = JSON.parse(readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as RunSummary;
    assert.equal(summary.verdict, 'fail');
    const record = (id: string) => summary.results.find((r) => r.id === id);
    assert.equal(record('custom.health_json')?.severity, 'critical');
    assert.deepEqual(record('custom.health_json')?.checklist, ['Infrastructure: Health checks configured']);
    assert.equal(record('custom.landing_is_json')?.reason, 'assertion_failed');
    assert.equal(record('headers.permissions_policy')?.reason, 'switched_off');
    assert.deepEqual(
      summary.overrides?.map((o) => [o.check, o.change]),
      [
        ['headers.permissions_policy', 'switched off'],
        ['perf.web_vitals', 'lcpWarnMs 2500 → 2000'],
        ['custom.helth_json', 'severity high → low'],
      ],
    );
    const junit = readFileSync(path.join(runDir, 'junit.xml'), 'utf8');
    assert.match(junit, /<testcase [^>]*name="custom\.landing_is_json"[^>]*>\s*<failure/);
    const html = readFileSync(path.join(runDir, 'index.html'), 'utf8');
    assert.match(html, /<section id="overrides">[\s\S]*perf\.web_vitals<\/td><td>lcpWarnMs 2500 → 2000/);
  },
);

test('a bad assertion config is exit 2 naming the file and each field, with the nearest valid check id', { timeout: 30_000 }, async () => {
  const config = write(
    'bad.yml',
    `checks:
  http:
    - id: custom.balance_api
      request: { url: '{api}/balance' }
      assertions:
        - { type: jsonPath, path: '$.balance', equal: 3 }
        - { type: body, matches: '(unclosed' }
        - { type: statuscode, equals: 200 }
overrides:
  headers.permisions_policy: off
  perf.web_vitals: { lcpWarningMs: 2000 }
`,
  );
  const run = await runCli(['probe', '--config', config], { cwd: dir, env: EMPTY_ENV });
  assert.equal(run.code, 2, run.stderr);
  const file = path.join(dir, 'bad.yml');
  for (const line of [
    `${file}: checks.http.0.assertions.0: Unrecognized key: "equal"`,
    `${file}: checks.http.0.assertions.1.matches: is not a valid regular expression`,
    `${file}: checks.http.0.assertions.2.type: needs a type: one of status, header, jsonPath, body, responseTime, certificate`,
    `${file}: overrides.headers.permisions_policy: is not a check id of checks.md or custom.<name>; nearest: headers.permissions_policy`,
    `${file}: overrides.perf.web_vitals.lcpWarningMs: is not a setting of perf.web_vitals; it takes severity, lcpFailMs, lcpWarnMs, clsFail, clsWarn (nearest: lcpWarnMs)`,
  ])
    assert.ok(run.stderr.includes(line), `stderr should say\n  ${line}\n${run.stderr}`);
});

test('an auth that names an unset environment variable is exit 2 saying which', { timeout: 30_000 }, async () => {
  const config = write(
    'auth.yml',
    `checks:
  http:
    - id: custom.balance_api
      request: { url: '{api}/balance', auth: { type: bearer, tokenEnv: BALANCE_API_TOKEN } }
      assertions: [{ type: status, equals: 200 }]
`,
  );
  const run = await runCli(['probe', '--config', config], { cwd: dir, env: { ...EMPTY_ENV, BALANCE_API_TOKEN: '' } });
  assert.equal(run.code, 2, run.stderr);
  assert.match(
    run.stderr,
    /auth\.yml: checks\.http\.0\.request\.auth\.tokenEnv: names the environment variable BALANCE_API_TOKEN, which is not set/,
  );
});
