import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_BUDGETS, DEFAULT_PROBE_OPTIONS, type ProbeOptions } from '../src/config/schema.js';
import { createRedactor } from '../src/core/redact.js';
import type { CheckResult } from '../src/core/result.js';
import { runProbes } from '../src/core/runner.js';
import { buildTarget } from '../src/core/target.js';
import { cookiesProbe } from '../probes/cookies/probe.js';
import { corsProbe } from '../probes/cors/probe.js';
import { exposureProbe } from '../probes/exposure/probe.js';
import { headersProbe } from '../probes/headers/probe.js';
import { healthProbe } from '../probes/health/probe.js';
import { rateLimitProbe } from '../probes/ratelimit/probe.js';
import { staticProbe } from '../probes/static/probe.js';
import { behaviours, refusedPort, startHostile, UNRESOLVABLE_HOST, type Behaviour } from './helpers/hostile.js';

const HTTP_PROBES = [headersProbe, cookiesProbe, corsProbe, exposureProbe, healthProbe, staticProbe, rateLimitProbe];
const TIMEOUT_MS = 1_500;
/** Room for scheduling, classification and closing sockets on a shared 2-core machine. */
const MARGIN_MS = 1_000;
const OPTIONS: ProbeOptions = {
  ...DEFAULT_PROBE_OPTIONS,
  timeoutMs: TIMEOUT_MS,
  healthTimeoutMs: 1_000,
  retries: 0,
  concurrency: 16,
  maxBodyBytes: 1_000_000,
};

async function probeAt(baseUrl: string): Promise<{ results: CheckResult[]; elapsedMs: number }> {
  const target = buildTarget({ baseUrl, publicApiPaths: [], routes: [] }, { email: 'qa@vor.test', password: 'hostile-test-password' });
  const started = performance.now();
  const results = await runProbes({
    target,
    probes: HTTP_PROBES,
    options: OPTIONS,
    budgets: DEFAULT_BUDGETS,
    redactor: createRedactor(['hostile-test-password']),
    strict: true,
  });
  return { results, elapsedMs: performance.now() - started };
}

/** Every check could not be evaluated, except health.endpoint, for which not answering is itself a fail. */
function assertAllUnevaluated(results: readonly CheckResult[], reasons: readonly string[]): void {
  assert.equal(results.length, HTTP_PROBES.flatMap((p) => p.checks).length);
  for (const r of results) {
    if (r.id === 'health.endpoint' && r.status === 'fail') {
      assert.ok(['timeout', 'unreachable'].includes(r.reason ?? ''), `${r.id}: ${r.reason}`);
      continue;
    }
    assert.equal(r.status, 'error', `${r.id} is ${r.status}: ${r.message}`);
    assert.ok(reasons.includes(r.reason ?? ''), `${r.id}: reason ${r.reason} not in ${reasons.join('/')} (${r.message})`);
    assert.ok(r.message.length > 0);
  }
}

async function against(behaviour: Behaviour, https = false) {
  const server = await startHostile(behaviour);
  try {
    return { ...(await probeAt(https ? server.httpsUrl : server.url)), connections: server.connections() };
  } finally {
    await server.close();
  }
}

const BOUND = TIMEOUT_MS + MARGIN_MS;

test('a refused connection gives error/connection_refused (health: fail/unreachable) at once', { timeout: 10_000 }, async () => {
  const { results, elapsedMs } = await probeAt(`https://127.0.0.1:${await refusedPort()}`);
  assertAllUnevaluated(results, ['connection_refused']);
  assert.equal(results.find((r) => r.id === 'health.endpoint')?.reason, 'unreachable');
  assert.ok(elapsedMs < BOUND, `took ${elapsedMs} ms`);
});

test('a DNS failure gives error/dns_failed (health: fail/unreachable)', { timeout: 10_000 }, async () => {
  const { results, elapsedMs } = await probeAt(`https://${UNRESOLVABLE_HOST}`);
  assertAllUnevaluated(results, ['dns_failed']);
  assert.ok(elapsedMs < BOUND, `took ${elapsedMs} ms`);
});

test(
  'a server that accepts and never answers gives error/timeout (health: fail/timeout) within the timeout',
  { timeout: 10_000 },
  async () => {
    const { results, elapsedMs } = await against(behaviours.silent());
    assertAllUnevaluated(results, ['timeout']);
    assert.equal(results.find((r) => r.id === 'health.endpoint')?.reason, 'timeout');
    assert.ok(elapsedMs < BOUND, `took ${elapsedMs} ms`);
  },
);

test('a server trickling its headers a byte a second gives error/timeout within the timeout', { timeout: 10_000 }, async () => {
  const { results, elapsedMs } = await against(behaviours.trickleHeaders());
  assertAllUnevaluated(results, ['timeout']);
  assert.ok(elapsedMs < BOUND, `took ${elapsedMs} ms`);
});

test('a server trickling its body a byte a second gives error/timeout within the timeout', { timeout: 10_000 }, async () => {
  const { results, elapsedMs } = await against(behaviours.trickleBody());
  assertAllUnevaluated(results, ['timeout']);
  assert.ok(elapsedMs < BOUND, `took ${elapsedMs} ms`);
});

test('garbage instead of HTTP gives error/unparseable_response', { timeout: 10_000 }, async () => {
  const { results, elapsedMs } = await against(behaviours.garbage());
  assertAllUnevaluated(results, ['unparseable_response', 'connection_reset']);
  assert.ok(results.some((r) => r.reason === 'unparseable_response'));
  assert.ok(elapsedMs < BOUND, `took ${elapsedMs} ms`);
});

test('garbage instead of TLS gives error/tls_handshake_failed', { timeout: 10_000 }, async () => {
  const { results, elapsedMs } = await against(behaviours.garbage(), true);
  assertAllUnevaluated(results, ['tls_handshake_failed', 'connection_reset']);
  assert.ok(results.some((r) => r.reason === 'tls_handshake_failed'));
  assert.ok(elapsedMs < BOUND, `took ${elapsedMs} ms`);
});

test('1 MB of headers gives error/unparseable_response without buffering them', { timeout: 10_000 }, async () => {
  const { results, elapsedMs } = await against(behaviours.hugeHeaders());
  assertAllUnevaluated(results, ['unparseable_response', 'connection_reset']);
  assert.ok(results.some((r) => r.reason === 'unparseable_response'));
  assert.ok(elapsedMs < BOUND, `took ${elapsedMs} ms`);
});

test('an endless body gives error/response_too_large and memory stays bounded', { timeout: 10_000 }, async () => {
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const { results, elapsedMs } = await against(behaviours.endlessBody());
  const grownMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
  // Checks that need the whole document cannot be evaluated; the ones that read only headers
  // (CORS, the burst) cut the body at their small limit and judge what they saw.
  for (const id of ['headers.hsts', 'headers.csp', 'static.cache_headers', 'exposure.secrets_in_bundle', 'cookies.secure'] as const) {
    const r = results.find((x) => x.id === id);
    assert.equal(r?.status, 'error', `${id}: ${r?.message}`);
    assert.equal(r?.reason, 'response_too_large', `${id}: ${r?.message}`);
  }
  assert.equal(results.length, HTTP_PROBES.flatMap((p) => p.checks).length);
  assert.ok(grownMb < 64, `heap grew ${grownMb.toFixed(1)} MB`);
  assert.ok(elapsedMs < BOUND, `took ${elapsedMs} ms`);
});

test('a redirect loop gives error/too_many_redirects on the main document', { timeout: 10_000 }, async () => {
  const { results, elapsedMs } = await against(behaviours.redirectLoop());
  for (const id of ['headers.hsts', 'headers.csp', 'static.cache_headers', 'exposure.secrets_in_bundle'] as const) {
    const r = results.find((x) => x.id === id);
    assert.equal(r?.status, 'error', `${id}: ${r?.message}`);
    assert.equal(r?.reason, 'too_many_redirects', `${id}: ${r?.message}`);
  }
  assert.ok(elapsedMs < BOUND, `took ${elapsedMs} ms`);
});
