import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from '../config/resolve.js';
import { BudgetsSchema, ProbeOptionsSchema } from '../config/schema.js';
import type { CustomCheckId } from '../core/catalogue.js';
import { createRedactor } from '../core/redact.js';
import { runProbes } from '../core/runner.js';
import { buildTarget, type Target } from '../core/target.js';
import { evaluateChecklist, loadChecklist } from '../report/checklist.js';
import { resultFor, startProbeBench, type ProbeBench } from '../../test/helpers/probe-target.js';
import type { Faults } from '../../target/faults.js';
import { httpCheckProbe, httpCheckProbes } from './http-probe.js';
import { HttpChecksSchema } from './schema.js';
import { resolveCheckSettings, type CheckSettings } from './settings.js';

let bench: ProbeBench;
before(async () => {
  bench = await startProbeBench();
});
after(() => bench.close());

/** The bench's target with these HTTP checks (as the config file would give them), resolved against `env`. */
function targetWith(checks: unknown[], env: NodeJS.ProcessEnv = {}): { target: Target; secrets: readonly string[] } {
  const resolved = resolveCheckSettings([{ http: HttpChecksSchema.parse(checks), overrides: undefined, at: 'test.yml: ' }], env);
  assert.deepEqual(resolved.problems, []);
  return { target: benchTarget(resolved.settings), secrets: resolved.secrets };
}

/** The bench's reference target with these checks as code. */
function benchTarget(checkSettings: CheckSettings): Target {
  const { running } = bench;
  return buildTarget(
    { baseUrl: running.baseUrl, httpUrl: running.httpUrl, caFile: running.caFile, publicApiPaths: [], routes: [], checkSettings },
    running.testUser,
  );
}

async function runCheck(check: Record<string, unknown>, faults: Partial<Faults> = {}, env: NodeJS.ProcessEnv = {}) {
  const id = check.id as CustomCheckId;
  const { target } = targetWith([check], env);
  return resultFor(await bench.run(httpCheckProbe(id), faults, {}, target), id);
}

const CASES = [
  {
    kind: 'status',
    url: '/health',
    assertion: { type: 'status', equals: 200 },
    fault: { health_503: true },
    names: 'status = 200 (actual 503)',
  },
  {
    kind: 'header',
    url: '/',
    assertion: { type: 'header', name: 'X-Powered-By', exists: false },
    fault: { x_powered_by: true },
    names: 'header x-powered-by absent (actual "Express")',
  },
  {
    kind: 'jsonPath',
    url: '/health',
    assertion: { type: 'jsonPath', path: '$.checks.database.status', equals: 'ok' },
    fault: { health_dependency_down: true },
    names: 'jsonPath $.checks.database.status = "ok" (actual "down")',
  },
  {
    kind: 'body',
    url: '/health',
    assertion: { type: 'body', matches: '"status":\\s*"ok"' },
    fault: { health_dependency_down: true },
    names: 'body matches /"status":\\s*"ok"/',
  },
  {
    kind: 'responseTime',
    url: '/health',
    assertion: { type: 'responseTime', lessThanMs: 1_000 },
    fault: { healthDelayMs: 1_300 },
    names: 'responseTime < 1000 ms',
  },
  {
    kind: 'certificate',
    url: '/',
    assertion: { type: 'certificate', minDaysLeft: 14 },
    fault: { cert_expiring: true },
    names: 'certificate ≥ 14 days left (actual ',
  },
] as const;

for (const c of CASES) {
  test(
    `a ${c.kind} assertion passes on the reference target and fails, named, against ${JSON.stringify(c.fault)}`,
    { timeout: 20_000 },
    async () => {
      const check = {
        id: `custom.${c.kind.toLowerCase()}_check`,
        severity: 'critical',
        request: { url: c.url },
        assertions: [c.assertion],
      };
      const clean = await runCheck(check);
      assert.equal(clean.status, 'pass', clean.message);
      assert.equal(clean.severity, 'critical');

      const broken = await runCheck(check, c.fault);
      assert.equal(broken.status, 'fail', broken.message);
      assert.equal(broken.reason, 'assertion_failed');
      assert.ok(broken.message.includes(c.names), `"${broken.message}" should name ${c.names}`);
      const [outcome] = broken.evidence.assertions as { expected: string; passed: boolean }[];
      assert.equal(outcome?.passed, false);
      assert.equal(broken.severity, 'critical', 'a failing custom check keeps its declared severity');
      assert.equal(broken.evidence.definedIn, 'test.yml: checks.http.0');
    },
  );
}

test('a JSON path on an answer that is not JSON is a fail saying so, never a crash', { timeout: 15_000 }, async () => {
  const result = await runCheck({
    id: 'custom.landing_json',
    request: { url: '/' },
    assertions: [{ type: 'jsonPath', path: '$.x', exists: true }],
  });
  assert.equal(result.status, 'fail', result.message);
  assert.equal(result.reason, 'assertion_failed');
  assert.match(result.message, /the answer was not JSON \(text\/html/);
});

test('an answer that never comes is an error (timeout) that keeps the declared severity and items', { timeout: 15_000 }, async () => {
  const result = await runCheck(
    {
      id: 'custom.health_hangs',
      severity: 'critical',
      checklist: ['Infrastructure: Health checks configured'],
      request: { url: '/health', timeoutMs: 600 },
      assertions: [{ type: 'status', equals: 200 }],
    },
    { health_hang: true },
  );
  assert.equal(result.status, 'error', result.message);
  assert.equal(result.reason, 'timeout');
  assert.equal(result.severity, 'critical');
  assert.deepEqual(result.checklist, ['Infrastructure: Health checks configured']);
});

test(
  'bearer auth comes from the environment variable the config names; a wrong token fails the status assertion',
  { timeout: 15_000 },
  async () => {
    const check = {
      id: 'custom.admin_faults',
      request: { url: '/__admin/faults', auth: { type: 'bearer', tokenEnv: 'ADMIN_TOKEN' } },
      assertions: [
        { type: 'status', equals: 200 },
        { type: 'jsonPath', path: '$.no_hsts', equals: false },
      ],
    };
    const ok = await runCheck(check, {}, { ADMIN_TOKEN: bench.running.adminToken });
    assert.equal(ok.status, 'pass', ok.message);
    const refused = await runCheck(check, {}, { ADMIN_TOKEN: 'not-the-token' });
    assert.equal(refused.status, 'fail');
    assert.match(refused.message, /status = 200 \(actual 401\)/);
  },
);

test('a target that does not define the check gets no record of it', { timeout: 15_000 }, async () => {
  const results = await bench.run(httpCheckProbe('custom.elsewhere'));
  assert.equal(results.size, 0);
});

let echo: Server;
test.after(() => echo?.close());

test('the token an answer echoes is masked in the evidence and message (env-referenced secrets)', { timeout: 15_000 }, async () => {
  echo = createServer((req, res) => {
    res.writeHead(req.headers.authorization === undefined ? 401 : 200, { 'content-type': 'text/plain' });
    res.end(`you sent ${req.headers.authorization ?? 'nothing'}`);
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/echo`;
  const token = 'tok-3f9a8c1d2e7b';
  const { target, secrets } = targetWith(
    [
      {
        id: 'custom.echo',
        request: { url, auth: { type: 'bearer', tokenEnv: 'ECHO_TOKEN' } },
        assertions: [
          { type: 'status', equals: 200 },
          { type: 'body', contains: 'nobody' },
        ],
      },
    ],
    { ECHO_TOKEN: token },
  );
  assert.deepEqual(secrets, [token]);
  const [result] = await runProbes({
    target,
    probes: [httpCheckProbe('custom.echo')],
    options: ProbeOptionsSchema.parse({ retries: 0, timeoutMs: 5_000 }),
    budgets: BudgetsSchema.parse({}),
    redactor: createRedactor([...secrets]),
    strict: true,
  });
  assert.equal(result?.status, 'fail', result?.message);
  const [status, body] = result?.evidence.assertions as { actual: unknown; passed: boolean }[];
  assert.equal(status?.passed, true, 'the bearer header was sent');
  assert.equal(body?.passed, false);
  assert.match(String(body?.actual), /you sent Bearer /);
  assert.ok(!JSON.stringify(result).includes(token), 'the token appears nowhere in the record');
});

test(
  'examples/checks/vor-watch.yml works unedited against the reference target, and its custom check proves the item it declares',
  { timeout: 20_000 },
  async () => {
    const config = resolveConfig({
      flags: { config: 'examples/checks/vor-watch.yml' },
      env: {},
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
    });
    const target = benchTarget(config.checkSettings);
    bench.running.setFaults({}, 'replace');
    const results = await runProbes({
      target,
      probes: httpCheckProbes([target]),
      options: ProbeOptionsSchema.parse({ retries: 0, timeoutMs: 5_000 }),
      budgets: BudgetsSchema.parse({}),
      redactor: createRedactor([]),
      strict: true,
    });
    assert.deepEqual(
      results.map((r) => [r.id, r.status, r.message]),
      config.checkSettings.http.map((c) => [c.id, 'pass', results.find((r) => r.id === c.id)?.message]),
    );
    assert.equal(results.length, 2);
    const row = evaluateChecklist(loadChecklist(), results, [])
      .flatMap((g) => g.rows)
      .find((r) => r.item.key === 'Backend Deployment: Verify health endpoints');
    assert.equal(row?.coverage, 'proven');
    assert.deepEqual(
      row?.checkIds.filter((id) => id.startsWith('custom.')),
      ['custom.health_json'],
    );
  },
);
