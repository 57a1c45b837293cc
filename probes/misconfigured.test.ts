/**
 * No verdict without evidence: the whole probe set against sites that are not what the checks judge
 * (a catch-all landing page, a 404 for every path, a 429 for every request) must not pass or fail
 * anything those answers do not show; and the checks that must first establish what they look at
 * are table-tested against those sites and the correct reference target.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BudgetsSchema, ProbeOptionsSchema } from '../src/config/schema.js';
import type { CheckId } from '../src/core/catalogue.js';
import { createRedactor } from '../src/core/redact.js';
import type { CheckResult, Status } from '../src/core/result.js';
import { runProbes } from '../src/core/runner.js';
import { buildTarget, type Target } from '../src/core/target.js';
import type { Probe } from '../src/core/probe.js';
import { startMisconfiguredSite, type Misconfiguration, type MisconfiguredSite } from '../test/helpers/misconfigured.js';
import { startProbeBench, type ProbeBench } from '../test/helpers/probe-target.js';
import { PROBES } from './index.js';

type Site = Misconfiguration | 'reference';
const KINDS: readonly Misconfiguration[] = ['catch_all', 'not_found', 'rate_limited'];
const CREDENTIALS = { email: 'qa@vor.test', password: 'not-the-real-one-7' };

/**
 * Checks whose pass or fail each site's answers do support; every other check must be skip or error.
 * TLS is judged on the handshake, which these sites really make. The catch-all's landing page is its
 * main document (its headers are what a visitor gets), its plain-HTTP port serves content and it
 * serves none of the sensitive files; a 404 for everything shows no redirect on plain HTTP and no
 * file served; health answering anything but a health response is a fail by definition (checks.md).
 */
const SUPPORTED: Readonly<Record<Misconfiguration, (id: CheckId) => boolean>> = {
  catch_all: (id) =>
    id.startsWith('tls.') ||
    (id.startsWith('headers.') && id !== 'headers.cache_control_sensitive') ||
    ['http.https_redirect', 'exposure.sensitive_files', 'health.endpoint'].includes(id),
  not_found: (id) => id.startsWith('tls.') || ['http.https_redirect', 'exposure.sensitive_files', 'health.endpoint'].includes(id),
  rate_limited: (id) => id.startsWith('tls.'),
};

/** What the checks that establish their subject first must say on each site: status and reason. */
const EXPECTED: Readonly<Partial<Record<CheckId, Readonly<Record<Site, readonly [Status, string?]>>>>> = {
  'health.endpoint': {
    catch_all: ['fail', 'not_a_health_response'],
    not_found: ['fail', 'bad_status'],
    rate_limited: ['error', 'rate_limited'],
    reference: ['pass'],
  },
  'exposure.error_leak': {
    catch_all: ['skip', 'not_an_api_response'],
    not_found: ['skip', 'no_query_endpoint'],
    rate_limited: ['error', 'rate_limited'],
    reference: ['pass'],
  },
  'ratelimit.enforced': {
    catch_all: ['error', 'endpoint_not_found'],
    not_found: ['error', 'endpoint_not_found'],
    rate_limited: ['error', 'rate_limited'],
    reference: ['pass'],
  },
  'csrf.protection': {
    catch_all: ['error', 'login_failed'],
    not_found: ['error', 'endpoint_not_found'],
    rate_limited: ['error', 'rate_limited'],
    reference: ['pass'],
  },
  'cors.origin_reflection': {
    catch_all: ['error', 'endpoint_not_found'],
    not_found: ['error', 'endpoint_not_found'],
    rate_limited: ['error', 'rate_limited'],
    reference: ['pass'],
  },
  'exposure.secrets_in_bundle': {
    catch_all: ['skip', 'no_scripts'],
    not_found: ['error', 'endpoint_not_found'],
    rate_limited: ['error', 'rate_limited'],
    reference: ['pass'],
  },
  'exposure.sensitive_files': {
    catch_all: ['pass'],
    not_found: ['pass'],
    rate_limited: ['error', 'rate_limited'],
    reference: ['pass'],
  },
  'http.https_redirect': {
    catch_all: ['fail', 'serves_content'],
    not_found: ['fail', 'serves_content'],
    rate_limited: ['error', 'rate_limited'],
    reference: ['pass'],
  },
};

const results = new Map<Site, ReadonlyMap<CheckId, CheckResult>>();
const sites: MisconfiguredSite[] = [];
let bench: ProbeBench | undefined;

const options = ProbeOptionsSchema.parse({ retries: 0, timeoutMs: 5_000, healthTimeoutMs: 4_000, healthSlowMs: 4_000, burstRequests: 20 });

const runAll = (target: Target, probes: readonly Probe[], password: string) =>
  runProbes({ target, probes, options, budgets: BudgetsSchema.parse({}), redactor: createRedactor([password]), strict: true });

async function runOnMisconfigured(kind: Misconfiguration): Promise<void> {
  const site = await startMisconfiguredSite(kind);
  sites.push(site);
  const target = buildTarget(
    { baseUrl: site.baseUrl, httpUrl: site.httpUrl, caFile: site.caFile, publicApiPaths: [], routes: [], environment: 'production' },
    CREDENTIALS,
  );
  const run = await runAll(target, PROBES, CREDENTIALS.password);
  results.set(kind, new Map(run.map((r) => [r.id, r])));
}

async function runOnReference(): Promise<void> {
  bench = await startProbeBench({ rateLimitPerMinute: 10 });
  const probes = PROBES.filter((p) => p.checks.some((id) => id in EXPECTED));
  const run = await runAll(bench.target, probes, bench.running.testUser.password);
  results.set('reference', new Map(run.map((r) => [r.id, r])));
}

// One after another: in parallel, a busy machine turns health answers into timeouts.
before(async () => {
  for (const kind of KINDS) await runOnMisconfigured(kind);
  await runOnReference();
});

after(async () => {
  await Promise.all(sites.map((s) => s.close()));
  await bench?.close();
});

describe('the whole probe set gives no pass or fail that the answers do not support', () => {
  for (const kind of KINDS) {
    test(`against a ${kind.replace('_', '-')} site`, { timeout: 60_000 }, () => {
      const run = results.get(kind);
      assert.ok(run !== undefined && run.size > 30, `got ${run?.size ?? 0} results`);
      const unsupported = [...run.values()]
        .filter((r) => (r.status === 'pass' || r.status === 'fail' || r.status === 'warn') && !SUPPORTED[kind](r.id))
        .map((r) => `${r.id}: ${r.status} ${r.reason ?? ''} — ${r.message}`);
      assert.deepEqual(unsupported, []);
      // Whatever could not be judged says why, in the contract's vocabulary.
      for (const r of run.values()) if (r.status === 'error' || r.status === 'skip') assert.match(r.reason ?? '', /^[a-z_]+$/, r.id);
    });
  }
});

describe('each check that must establish its subject, against each site', () => {
  for (const [id, bySite] of Object.entries(EXPECTED) as [CheckId, Record<Site, readonly [Status, string?]>][]) {
    for (const [site, [status, reason]] of Object.entries(bySite) as [Site, readonly [Status, string?]][]) {
      test(`${id} is ${status}${reason === undefined ? '' : `/${reason}`} on the ${site.replace('_', '-')} site`, () => {
        const result = results.get(site)?.get(id);
        assert.ok(result !== undefined, `no ${id} result on ${site}`);
        assert.equal(result.status, status, result.message);
        assert.equal(result.reason, reason, result.message);
      });
    }
  }

  test('the messages name the setting to fix', () => {
    const message = (site: Site, id: CheckId): string => results.get(site)?.get(id)?.message ?? '';
    assert.match(message('catch_all', 'exposure.error_leak'), /--query-url.*app\.api\.query/);
    assert.match(message('not_found', 'ratelimit.enforced'), /--ratelimit-url/);
    assert.match(message('catch_all', 'cors.origin_reflection'), /--api/);
    assert.match(message('catch_all', 'health.endpoint'), /healthPath|app\.api\.health/);
  });
});
