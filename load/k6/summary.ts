/**
 * k6's end-of-test summary → vor-watch's load.json (the LoadReport of load/report/load-report.ts)
 * and a JUnit file, so a k6 or k6-operator run lands in the same report, baseline comparison and
 * history as a local `vor-watch load`. Pure functions without k6 or Node imports: vor.ts calls them
 * from handleSummary, and the tests feed them a k6 summary fixture.
 *
 * Thresholds are judged the way vor-watch judges the whole run (load/thresholds.ts); k6 keeps no
 * per-window timeline in its summary, so there are no windows and no window breaches.
 */

/** The parts of k6's handleSummary data this reads (k6 ≥ 0.50). */
export interface K6SummaryData {
  readonly state: { readonly testRunDurationMs: number };
  readonly metrics: Readonly<
    Record<
      string,
      { readonly values: Readonly<Record<string, number>>; readonly thresholds?: Readonly<Record<string, { readonly ok: boolean }>> }
    >
  >;
}

/**
 * A vor-watch load threshold as scenarios.json carries it (load/scenarios/types.ts Threshold, plus
 * catalogue facts). Id and Severity are plain strings to k6; the tests narrow them to vor-watch's types.
 */
export interface K6Check<Id extends string = string, Severity extends string = string> {
  readonly id: Id;
  readonly metric:
    | 'latencyP50Seconds'
    | 'latencyP90Seconds'
    | 'latencyP95Seconds'
    | 'latencyP99Seconds'
    | 'latencyMeanSeconds'
    | 'latencyMaxSeconds'
    | 'errorRatio'
    | 'requestsPerSecond'
    | 'requestCount'
    | 'checksRatio';
  /** "< below", ">= above", or any other k6 comparison "op limit". */
  readonly below?: number;
  readonly above?: number;
  readonly op?: '<' | '<=' | '>' | '>=' | '==' | '!=';
  readonly limit?: number;
  /** The k6 threshold it was written as (config scenarios). */
  readonly k6?: { readonly metric: string; readonly expression: string };
  readonly severity: Severity;
  readonly checklist: readonly string[];
}

export interface K6RunFacts<Id extends string = string, Severity extends string = string> {
  readonly scenario: string;
  readonly baseUrl: string;
  readonly rate?: number;
  readonly vus: number;
  readonly plannedDurationSeconds: number;
  readonly requests: readonly string[];
  readonly checks: readonly K6Check<Id, Severity>[];
  /** Date.now() when handleSummary runs: the run started testRunDurationMs before. */
  readonly endedAtMs: number;
}

interface Stats {
  readonly requests: number;
  readonly failed: number;
  readonly errorRatio: number;
  readonly requestsPerSecond: number;
  readonly durationSeconds: number;
  readonly latency: { p50: number; p90: number; p95: number; p99: number; max: number; mean: number };
  readonly outcomes: Record<string, number>;
}

type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

interface Result<Id extends string, Severity extends string> {
  readonly id: Id;
  readonly status: 'pass' | 'fail';
  readonly reason?: string;
  readonly severity: Severity;
  readonly message: string;
  readonly evidence: Readonly<Record<string, Json>>;
  readonly checklist: readonly string[];
  readonly durationMs: number;
  readonly target: string;
}

/** A k6 duration ("90s", "5m", "1h30m", or plain seconds) in seconds; NaN when it is none. */
export function durationSeconds(text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;
  let total = 0;
  let at = 0;
  // A sticky-regex loop rather than matchAll, which k6's JavaScript runtime may lack.
  for (let m = part.exec(text); m !== null; m = part.exec(text)) {
    total += Number(m[1]) * (unit[m[2] ?? 's'] ?? 1);
    at = part.lastIndex;
  }
  return at === text.length && at > 0 ? total : Number.NaN;
}

const LABEL: Record<K6Check['metric'], string> = {
  latencyP50Seconds: 'median latency',
  latencyP90Seconds: 'p90 latency',
  latencyP95Seconds: 'p95 latency',
  latencyP99Seconds: 'p99 latency',
  latencyMeanSeconds: 'mean latency',
  latencyMaxSeconds: 'max latency',
  errorRatio: 'error rate',
  requestsPerSecond: 'throughput',
  requestCount: 'requests',
  checksRatio: 'answers without a server error',
};

function formatValue(metric: K6Check['metric'], value: number): string {
  if (metric === 'errorRatio' || metric === 'checksRatio') return `${(value * 100).toFixed(2)} %`;
  if (metric === 'requestsPerSecond') return `${value.toFixed(1)} req/s`;
  if (metric === 'requestCount') return `${value}`;
  return value < 1 ? `${(value * 1000).toFixed(1)} ms` : `${value.toFixed(2)} s`;
}

/** k6 trends are in milliseconds; vor-watch's figures in seconds. */
function overallOf(data: K6SummaryData): Stats {
  const duration = data.metrics.http_req_duration?.values ?? {};
  const failedRate = data.metrics.http_req_failed?.values ?? {};
  const reqs = data.metrics.http_reqs?.values ?? {};
  const seconds = (key: string): number => (duration[key] ?? 0) / 1000;
  const requests = reqs.count ?? 0;
  // A k6 Rate's "passes" are its true samples: here, the failed requests.
  const failed = failedRate.passes ?? Math.round((failedRate.rate ?? 0) * requests);
  return {
    requests,
    failed,
    errorRatio: requests === 0 ? 0 : failed / requests,
    requestsPerSecond: reqs.rate ?? 0,
    durationSeconds: data.state.testRunDurationMs / 1000,
    latency: {
      p50: seconds(duration['p(50)'] === undefined ? 'med' : 'p(50)'),
      p90: seconds('p(90)'),
      p95: seconds('p(95)'),
      p99: seconds('p(99)'),
      max: seconds('max'),
      mean: seconds('avg'),
    },
    // k6's summary has no status-code breakdown; failed/ok is what it knows.
    outcomes: { ok: requests - failed, failed },
  };
}

function valueOf(stats: Stats, metric: K6Check['metric'], data: K6SummaryData): number {
  if (metric === 'latencyP50Seconds') return stats.latency.p50;
  if (metric === 'latencyP90Seconds') return stats.latency.p90;
  if (metric === 'latencyP95Seconds') return stats.latency.p95;
  if (metric === 'latencyP99Seconds') return stats.latency.p99;
  if (metric === 'latencyMeanSeconds') return stats.latency.mean;
  if (metric === 'latencyMaxSeconds') return stats.latency.max;
  if (metric === 'errorRatio') return stats.errorRatio;
  if (metric === 'requestCount') return stats.requests;
  // The script's one check is "not a server error"; no check ran means none failed.
  if (metric === 'checksRatio') return data.metrics.checks?.values.rate ?? 1;
  return stats.requestsPerSecond;
}

type Op = NonNullable<K6Check['op']>;
const SYMBOL: Record<Op, string> = { '<': '<', '<=': '≤', '>': '>', '>=': '≥', '==': '=', '!=': '≠' };
const WORD: Record<Op, string> = { '<': 'below', '<=': 'at_most', '>': 'above', '>=': 'at_least', '==': 'equal', '!=': 'not_equal' };

/** The comparison and limit of a check: below is <, above is >=, else its own op. */
export function boundOf(check: Pick<K6Check, 'below' | 'above' | 'op' | 'limit'>): { op: Op; limit: number } {
  if (check.below !== undefined) return { op: '<', limit: check.below };
  if (check.above !== undefined) return { op: '>=', limit: check.above };
  return { op: check.op ?? '<', limit: check.limit ?? 0 };
}

export function compare(value: number, op: Op, limit: number): boolean {
  if (op === '<') return value < limit;
  if (op === '<=') return value <= limit;
  if (op === '>') return value > limit;
  if (op === '>=') return value >= limit;
  if (op === '==') return value === limit;
  return value !== limit;
}

function judge<Id extends string, Severity extends string>(
  check: K6Check<Id, Severity>,
  stats: Stats,
  facts: K6RunFacts<Id, Severity>,
  origin: string,
  data: K6SummaryData,
): Result<Id, Severity> {
  const value = valueOf(stats, check.metric, data);
  const { op, limit } = boundOf(check);
  const holds = compare(value, op, limit);
  const floor = op === '>' || op === '>=';
  const described = `${LABEL[check.metric]} ${SYMBOL[op]} ${formatValue(check.metric, limit)}${check.k6 === undefined ? '' : ` (${check.k6.metric}: ${check.k6.expression})`}`;
  const measured = `${LABEL[check.metric]} ${formatValue(check.metric, value)}`;
  const where = `${facts.scenario} on ${origin}, k6`;
  const base = {
    id: check.id,
    severity: check.severity,
    checklist: check.checklist,
    durationMs: Math.round(stats.durationSeconds * 1000),
    target: origin,
    evidence: {
      scenario: facts.scenario,
      metric: check.metric,
      value,
      limit,
      comparison: WORD[op],
      ...(check.k6 === undefined ? {} : { k6: `${check.k6.metric}: ${check.k6.expression}` }),
      requests: stats.requests,
      failed: stats.failed,
      windows: 0,
      source: 'k6',
    },
  };
  if (stats.requests === 0)
    return { ...base, status: 'fail', reason: 'no_requests', message: `no request completed during the ${where} load` };
  if (!holds)
    return {
      ...base,
      status: 'fail',
      reason: floor ? 'below_minimum' : op === '==' || op === '!=' ? 'not_met' : 'above_limit',
      message: `${measured} breaks ${described} (${where})`,
    };
  return { ...base, status: 'pass', message: `${measured} holds ${described} (${where})` };
}

/** The load.json object (same keys and order as buildLoadReport), judged by the scenario's thresholds. */
export function loadReportOf<Id extends string, Severity extends string>(data: K6SummaryData, facts: K6RunFacts<Id, Severity>) {
  const origin = /^https?:\/\/[^/]+/.exec(facts.baseUrl)?.[0] ?? facts.baseUrl;
  const overall = overallOf(data);
  // In the open model the throughput floor is the rate asked for, as in vor.ts's k6 thresholds.
  const checks = facts.checks.map((c) =>
    c.metric === 'requestsPerSecond' && facts.rate !== undefined
      ? { ...c, above: facts.rate * 0.95, below: undefined, op: undefined, limit: undefined }
      : c,
  );
  const percentiles = (
    [
      [50, overall.latency.p50],
      [90, overall.latency.p90],
      [95, overall.latency.p95],
      [99, overall.latency.p99],
      [100, overall.latency.max],
    ] as const
  ).map(([percentile, seconds]) => ({ percentile, seconds }));
  return {
    tool: 'vor-watch' as const,
    kind: 'load' as const,
    scenario: facts.scenario,
    model: facts.rate === undefined ? ('closed' as const) : ('open' as const),
    target: origin,
    startedAt: new Date(Math.round(facts.endedAtMs - data.state.testRunDurationMs)).toISOString(),
    plannedDurationSeconds: facts.plannedDurationSeconds,
    connections: facts.vus,
    ...(facts.rate === undefined ? {} : { rate: facts.rate }),
    windowSeconds: Math.max(1, Math.round(overall.durationSeconds)),
    interrupted: false,
    abortedOnBreach: false,
    requests: [...facts.requests],
    thresholds: checks.map(({ id, metric, below, above, op, limit, k6 }) => ({
      id,
      metric,
      ...(below !== undefined ? { below } : above !== undefined ? { above } : { op: op ?? '<', limit: limit ?? 0 }),
      ...(k6 === undefined ? {} : { k6 }),
    })),
    sample: { overall, windows: [], percentiles },
    results: checks.map((c) => judge(c, overall, facts, origin, data)),
  };
}

const xml = (text: string): string => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

/** JUnit: one testcase per load threshold, as vor-watch's own junit.xml has one per check. */
export function junitOf(report: ReturnType<typeof loadReportOf<string, string>>): string {
  const failures = report.results.filter((r) => r.status === 'fail').length;
  const seconds = (report.sample.overall.durationSeconds || 0).toFixed(3);
  const cases = report.results.map((r) => {
    const open = `    <testcase classname="vor-watch.load.${xml(report.scenario)}" name="${xml(r.id)}" time="${seconds}">`;
    const body = r.status === 'fail' ? `\n      <failure message="${xml(r.message)}" type="${xml(r.reason ?? 'fail')}"/>\n    ` : '';
    return `${open}${body}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="vor-watch load (k6)" tests="${report.results.length}" failures="${failures}" time="${seconds}">`,
    `  <testsuite name="load ${xml(report.scenario)} on ${xml(report.target)}" tests="${report.results.length}" failures="${failures}" time="${seconds}" timestamp="${report.startedAt}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/**
 * The file names of one runner's results: `load.json` and `junit.xml` for a single k6 process,
 * `load-<runner>.json` and `junit-<runner>.xml` when several runners (k6-operator pods) write into
 * one shared volume, so none overwrites another's.
 */
export function summaryFileNames(runner: string | undefined): { load: string; junit: string } {
  const id = (runner ?? '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '');
  return id === '' ? { load: 'load.json', junit: 'junit.xml' } : { load: `load-${id}.json`, junit: `junit-${id}.xml` };
}

/** What handleSummary returns: file path → content, plus a short verdict on stdout. */
export function summaryFiles(data: K6SummaryData, facts: K6RunFacts, outputDir: string, runner?: string): Record<string, string> {
  const report = loadReportOf(data, facts);
  const dir = outputDir.replace(/\/+$/, '');
  const names = summaryFileNames(runner);
  const verdicts = report.results.map((r) => `  ${r.status === 'pass' ? 'pass' : 'FAIL'}  ${r.id}: ${r.message}`);
  return {
    [`${dir}/${names.load}`]: `${JSON.stringify(report, null, 2)}\n`,
    [`${dir}/${names.junit}`]: junitOf(report),
    stdout: [
      `vor-watch load ${report.scenario} on ${report.target} (k6):`,
      ...verdicts,
      `  written: ${dir}/${names.load}, ${dir}/${names.junit}`,
      '',
    ].join('\n'),
  };
}
