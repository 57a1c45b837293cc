import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { ConfigError } from '../config/errors.js';
import { resolveConfig } from '../config/resolve.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vor-check-settings-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const CONFIG = `checks:
  http:
    - id: custom.balance_api
      severity: high
      request: { url: '{api}/balance', auth: { type: bearer, tokenEnv: BALANCE_TOKEN } }
      assertions: [{ type: status, equals: 200 }]
overrides:
  headers.hsts: { severity: medium }
  headers.csp: off
targets:
  - name: production
    baseUrl: https://app.vor.example
  - name: staging
    baseUrl: https://staging.vor.example
    overrides:
      headers.csp: { severity: low }
    checks:
      http:
        - id: custom.balance_api
          severity: low
          request: { url: '{api}/v2/balance' }
          assertions: [{ type: status, equals: 200 }]
`;
writeFileSync(path.join(dir, 'vor-watch.yml'), CONFIG);
const resolve = (env: NodeJS.ProcessEnv, targetName?: string) =>
  resolveConfig({ flags: { config: 'vor-watch.yml', ...(targetName === undefined ? {} : { targetName }) }, env, cwd: dir });

test('a target’s own check and override replace the top-level ones of the same id; each names its file and field', () => {
  const config = resolve({ BALANCE_TOKEN: 'tok-91c2d7' });
  const [production, staging] = config.targets.map((t) => t.checkSettings);
  assert.equal(production?.http[0]?.request.url, '{api}/balance');
  assert.equal(production?.http[0]?.source, 'vor-watch.yml: checks.http.0');
  assert.equal(staging?.http[0]?.request.url, '{api}/v2/balance');
  assert.equal(staging?.http[0]?.source, 'vor-watch.yml: targets.1.checks.http.0');
  assert.deepEqual(
    staging?.overrides.map((o) => [o.id, o.off, o.severity, o.source]),
    [
      ['headers.hsts', false, 'medium', 'vor-watch.yml: overrides.headers.hsts'],
      ['headers.csp', false, 'low', 'vor-watch.yml: targets.1.overrides.headers.csp'],
    ],
  );
  assert.equal(production?.overrides.find((o) => o.id === 'headers.csp')?.off, true);
  assert.ok(config.secrets.includes('tok-91c2d7'), 'the token is masked everywhere');
  assert.deepEqual(production?.http[0]?.authHeaders(), { authorization: 'Bearer tok-91c2d7' });
  assert.ok(!JSON.stringify(config.targets).includes('tok-91c2d7'), 'a serialised target holds no token');
});

test('a target picked by name keeps its own field paths (its index in the file)', () => {
  const [staging] = resolve({ BALANCE_TOKEN: 't' }, 'staging').targets;
  assert.equal(staging?.checkSettings?.http[0]?.source, 'vor-watch.yml: targets.1.checks.http.0');
});

test('a top-level auth variable that is unset is one problem naming it, however many targets use the check', () => {
  assert.throws(
    () => resolve({}),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(
        error.problems.map((p) => p.source),
        ['vor-watch.yml: checks.http.0.request.auth.tokenEnv'],
      );
      assert.match(error.message, /names the environment variable BALANCE_TOKEN, which is not set/);
      return true;
    },
  );
});

test('a rollback trigger cannot be overridden: the gate would still fire on it', () => {
  writeFileSync(path.join(dir, 'rollback.yml'), 'overrides:\n  rollback.error_rate: off\n');
  assert.throws(
    () => resolveConfig({ flags: { config: 'rollback.yml' }, env: {}, cwd: dir }),
    /rollback\.yml: overrides\.rollback\.error_rate: is a rollback trigger: it cannot be overridden/,
  );
});
