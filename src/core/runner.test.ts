import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { test } from 'node:test';
import { DEFAULT_BUDGETS, DEFAULT_PROBE_OPTIONS, type ProbeOptions } from '../config/schema.js';
import { defineProbe, type Probe } from './probe.js';
import { createRedactor } from './redact.js';
import { fail, pass } from './result.js';
import { runProbes, selectChecks } from './runner.js';
import { buildTarget } from './target.js';

const target = buildTarget({ baseUrl: 'https://127.0.0.1:9', publicApiPaths: [], routes: [] });

function run(probes: Probe[], options: Partial<ProbeOptions> = {}, extra: { checkGlobs?: string[]; secrets?: string[] } = {}) {
  return runProbes({
    target,
    probes,
    options: { ...DEFAULT_PROBE_OPTIONS, retries: 0, ...options },
    budgets: DEFAULT_BUDGETS,
    redactor: createRedactor(extra.secrets ?? []),
    ...(extra.checkGlobs === undefined ? {} : { checkGlobs: extra.checkGlobs }),
  });
}

test('a thrown connection error becomes an error result with a classified reason for every declared id', async () => {
  const probe = defineProbe({
    name: 'cors',
    checks: ['cors.null_origin', 'cors.origin_reflection'],
    run: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' })),
  });
  const results = await run([probe]);
  assert.deepEqual(
    results.map((r) => [r.id, r.status, r.reason]),
    [
      ['cors.null_origin', 'error', 'connection_refused'],
      ['cors.origin_reflection', 'error', 'connection_refused'],
    ],
  );
  assert.match(results[0]?.message ?? '', /127\.0\.0\.1:9/);
});

test('a probe that never settles gives error/timeout within its timeout plus a small margin', async () => {
  const probe = defineProbe({ name: 'health', checks: ['health.endpoint'], run: () => new Promise(() => undefined) });
  const started = performance.now();
  const [result] = await run([probe], { timeoutMs: 300 });
  const elapsed = performance.now() - started;
  assert.equal(result?.status, 'error');
  assert.equal(result?.reason, 'timeout');
  assert.ok(elapsed < 2000, `took ${elapsed} ms (the default timeout is 10 s)`);
});

test('a declared id the probe forgot becomes error/not_evaluated', async () => {
  const probe = defineProbe({ name: 'headers', checks: ['headers.csp', 'headers.hsts'], run: async () => [pass('headers.csp', 'ok')] });
  const results = await run([probe]);
  assert.equal(results.find((r) => r.id === 'headers.hsts')?.reason, 'not_evaluated');
  assert.equal(results.find((r) => r.id === 'headers.csp')?.status, 'pass');
});

test('strict mode throws on a duplicate or undeclared finding (a probe bug)', async () => {
  const probe = defineProbe({
    name: 'dup',
    checks: ['headers.csp'],
    run: async () => [pass('headers.csp', 'a'), pass('headers.csp', 'b')],
  });
  await assert.rejects(
    runProbes({
      target,
      probes: [probe],
      options: DEFAULT_PROBE_OPTIONS,
      budgets: DEFAULT_BUDGETS,
      redactor: createRedactor(),
      strict: true,
    }),
    /duplicate finding headers\.csp/,
  );
});

test('results are stamped with catalogue severity and checklist, target origin and duration', async () => {
  const probe = defineProbe({
    name: 'hsts',
    checks: ['headers.hsts'],
    run: async () => [fail('headers.hsts', 'missing', 'HSTS missing on https://127.0.0.1:9/')],
  });
  const [result] = await run([probe]);
  assert.equal(result?.severity, 'high');
  assert.deepEqual(result?.checklist, ['Security: HTTPS configured for all endpoints']);
  assert.equal(result?.target, 'https://127.0.0.1:9');
  assert.equal(typeof result?.durationMs, 'number');
});

test('a failing check is retried and a pass on retry says so in its evidence', async () => {
  let calls = 0;
  const probe = defineProbe({
    name: 'flaky',
    checks: ['health.endpoint'],
    run: async () => (++calls === 1 ? [fail('health.endpoint', 'status', 'got 502')] : [pass('health.endpoint', 'ok')]),
  });
  const [result] = await run([probe], { retries: 1 });
  assert.equal(calls, 2);
  assert.equal(result?.status, 'pass');
  assert.equal(result?.evidence.passedOnRetry, true);
  assert.deepEqual((result?.evidence.firstAttempt as { status: string }).status, 'fail');
});

test('a probe marked retry:false is not repeated', async () => {
  let calls = 0;
  const probe = defineProbe({
    name: 'burst',
    checks: ['ratelimit.enforced'],
    retry: false,
    run: async () => (calls++, [fail('ratelimit.enforced', 'never_limited', 'no 429')]),
  });
  await run([probe], { retries: 2 });
  assert.equal(calls, 1);
});

test('evidence and messages are redacted: known secrets, cookie values, tokens and secret-named keys', async () => {
  const jwt = ['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', 'c2lnbmF0dXJlc2lnbmF0dXJl'].join('.');
  const probe = defineProbe({
    name: 'cookies',
    checks: ['cookies.secure'],
    run: async () => [
      fail('cookies.secure', 'missing_secure', 'login with hunter2-password failed', {
        setCookie: 'vor_session=abcdef123456; Path=/; HttpOnly',
        password: 'hunter2-password',
        body: `token ${jwt}`,
        note: 'x'.repeat(5000),
      }),
    ],
  });
  const [result] = await run([probe], {}, { secrets: ['hunter2-password'] });
  const text = JSON.stringify(result);
  assert.ok(!text.includes('hunter2-password'), text);
  assert.ok(!text.includes('abcdef123456'), text);
  assert.ok(!text.includes(jwt), text);
  assert.ok(String(result?.evidence.note).length < 700);
  assert.match(String(result?.evidence.setCookie), /^vor_session=\[redacted\]; Path=\/; HttpOnly$/);
});

test('--check globs select families and report only matching ids', async () => {
  let ran = 0;
  const headers = defineProbe({
    name: 'headers',
    checks: ['headers.csp', 'headers.hsts'],
    run: async () => (ran++, [pass('headers.csp', 'ok'), pass('headers.hsts', 'ok')]),
  });
  const health = defineProbe({ name: 'health', checks: ['health.endpoint'], run: async () => (ran++, [pass('health.endpoint', 'ok')]) });
  const results = await run([headers, health], {}, { checkGlobs: ['headers.c*'] });
  assert.deepEqual(
    results.map((r) => r.id),
    ['headers.csp'],
  );
  assert.equal(ran, 1);
  assert.deepEqual(selectChecks(['tls.certificate.validity', 'tls.key', 'cors.null_origin'], ['tls.*']), [
    'tls.certificate.validity',
    'tls.key',
  ]);
});

test('the run deadline bounds everything even with many hanging probes', async () => {
  const hanging = (name: string, id: 'health.endpoint' | 'headers.csp') =>
    defineProbe({ name, checks: [id], run: () => new Promise(() => undefined) });
  const started = performance.now();
  const results = await run([hanging('a', 'health.endpoint'), hanging('b', 'headers.csp')], { timeoutMs: 60_000, deadlineMs: 300 });
  assert.ok(performance.now() - started < 2000, 'the deadline, not the 60-s timeout');
  assert.deepEqual(
    results.map((r) => r.status),
    ['error', 'error'],
  );
});

test("a long-lived signal (the monitor's) keeps nothing of the runs made under it, and each run's signal can be collected", async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const monitor = new AbortController();
  const collected: string[] = [];
  const registry = new FinalizationRegistry<string>((name) => collected.push(name));
  const probe = defineProbe({
    name: 'health',
    checks: ['health.endpoint'],
    run: async (ctx) => {
      registry.register(ctx.signal, 'attempt signal');
      return [pass('health.endpoint', 'ok')];
    },
  });
  for (let i = 0; i < 20; i += 1) {
    await runProbes({
      target,
      probes: [probe],
      options: { ...DEFAULT_PROBE_OPTIONS, retries: 0 },
      budgets: DEFAULT_BUDGETS,
      redactor: createRedactor([]),
      signal: monitor.signal,
    });
  }
  assert.equal(getEventListeners(monitor.signal, 'abort').length, 0, 'no listener left on the long-lived signal');
  for (let i = 0; i < 50 && collected.length < 20; i += 1) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.equal(collected.length, 20, `attempt signals collected: ${collected.length} of 20`);
});

test('probes run many at once (concurrency 32) under one signal without a listener-leak warning', async () => {
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
  process.on('warning', onWarning);
  try {
    const probes = Array.from({ length: 32 }, (_, i) =>
      defineProbe({
        name: `p${i}`,
        checks: ['health.endpoint'],
        run: () => new Promise((resolve) => setTimeout(() => resolve([pass('health.endpoint', 'ok')]), 50)),
      }),
    );
    await runProbes({
      target,
      probes,
      options: { ...DEFAULT_PROBE_OPTIONS, retries: 0, concurrency: 32 },
      budgets: DEFAULT_BUDGETS,
      redactor: createRedactor([]),
      signal: new AbortController().signal,
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(warnings, []);
  } finally {
    process.off('warning', onWarning);
  }
});
