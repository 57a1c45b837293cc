/**
 * The vor-watch load scenarios for k6 (distributed or k6-operator runs), judged by the same
 * thresholds: scenarios.json is generated from load/scenarios/*.ts (npx tsx load/k6-export.ts).
 *
 *   k6 run -e BASE_URL=https://staging.example.com -e SCENARIO=browse -e RATE=200 -e DURATION=5m load/k6/vor.ts
 *
 * RATE set: open model (constant-arrival-rate, so a stall shows in the percentiles);
 * otherwise closed model with VUS virtual users. Test-user credentials come from the
 * environment (VOR_TEST_USER_EMAIL / VOR_TEST_USER_PASSWORD) and are never printed.
 *
 * At the end, handleSummary writes load.json (vor-watch's load report format: `vor-watch load
 * --baseline` and the report read it) and junit.xml into SUMMARY_DIR (default: the working directory);
 * with RUNNER_ID set, load-<RUNNER_ID>.json and junit-<RUNNER_ID>.xml, so runners sharing a volume
 * keep each their own.
 */
import http from 'k6/http';
import { check, sleep } from 'k6';
import type { Options } from 'k6/options';
import { durationSeconds, summaryFiles, type K6Check, type K6SummaryData } from './summary.ts';

export interface ScenarioRequest {
  readonly method: string;
  /** 'url': the path is an absolute URL (a config scenario's). */
  readonly base: 'site' | 'api' | 'login' | 'url';
  readonly path: string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

export interface K6Scenario {
  readonly name: string;
  readonly requests: readonly ScenarioRequest[];
  readonly discoverAssets: boolean;
  readonly needsSession: boolean;
  readonly acceptedStatuses: readonly number[];
  readonly defaults: { readonly durationSeconds: number; readonly connections: number };
  readonly thinkTimeSeconds: number;
  readonly thresholds: Record<string, ThresholdEntry[]>;
  readonly checks: readonly K6Check[];
}

export type ThresholdEntry = string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string };

interface SetupData {
  readonly cookie: string;
  readonly assets: readonly string[];
}

const table = JSON.parse(open('./scenarios.json')) as Record<string, K6Scenario>;
const scenarioName = __ENV.SCENARIO ?? 'browse';
const scenario = table[scenarioName];
if (scenario === undefined) throw new Error(`SCENARIO: "${scenarioName}" is not one of ${Object.keys(table).join(', ')}`);

const baseUrl = (__ENV.BASE_URL ?? '').replace(/\/+$/, '');
if (!/^https?:\/\//.test(baseUrl)) throw new Error('BASE_URL: set the target, e.g. -e BASE_URL=https://staging.example.com');
// Production by any of its usual names, any case (as isProductionTarget in src/config/profile.ts; tested to agree).
const PRODUCTION_NAMES = /^(prod|production|prd|live)$/i;
const givenEnvironment = (__ENV.VOR_ENVIRONMENT ?? '').trim();
const environment = givenEnvironment === '' ? 'production (the default)' : givenEnvironment;
if ((givenEnvironment === '' || PRODUCTION_NAMES.test(givenEnvironment)) && __ENV.ALLOW_PRODUCTION !== '1') {
  throw new Error(`VOR_ENVIRONMENT is ${environment}: set -e VOR_ENVIRONMENT=staging, or -e ALLOW_PRODUCTION=1 on purpose`);
}
const apiUrl = (__ENV.API_URL ?? `${baseUrl}/api`).replace(/\/+$/, '');
const loginUrl = __ENV.LOGIN_URL ?? `${apiUrl}/auth/login`;
const duration = __ENV.DURATION ?? `${scenario.defaults.durationSeconds}s`;
const rate = __ENV.RATE === undefined ? undefined : Number(__ENV.RATE);
// k6-operator runners each send their share of RATE and judge only their own traffic: RUNNERS = its `parallelism`.
const runners = Math.max(1, Number(__ENV.RUNNERS ?? '1'));
const runnerRate = rate === undefined ? undefined : rate / runners;
const vus = Number(__ENV.VUS ?? scenario.defaults.connections);
const abortOnBreach = __ENV.ABORT_ON_BREACH === '1';

const thresholds: Record<string, ThresholdEntry[]> = {};
for (const [metric, expressions] of Object.entries(scenario.thresholds)) {
  // In the open model the throughput floor is the rate asked for (as in vor-watch load).
  // A count threshold stays as written; each runner judges its own share of the rate.
  const isRate = (entry: ThresholdEntry): boolean => /^\s*rate/.test(typeof entry === 'string' ? entry : entry.threshold);
  const floor = `rate>=${(runnerRate ?? 0) * 0.95}`;
  const adjusted =
    metric === 'http_reqs' && runnerRate !== undefined
      ? [...expressions.filter((e) => !isRate(e)), ...(expressions.some(isRate) ? [floor] : [])]
      : expressions;
  thresholds[metric] = adjusted.map((threshold) =>
    abortOnBreach && typeof threshold === 'string' ? { threshold, abortOnFail: true, delayAbortEval: '10s' } : threshold,
  );
}

export const options: Options = {
  thresholds,
  scenarios: {
    [scenario.name]:
      rate === undefined
        ? { executor: 'constant-vus', vus, duration }
        : { executor: 'constant-arrival-rate', rate, timeUnit: '1s', duration, preAllocatedVUs: vus, maxVUs: Math.max(vus, rate * 3) },
  },
  summaryTrendStats: ['avg', 'p(50)', 'p(90)', 'p(95)', 'p(99)', 'max'],
};

http.setResponseCallback(http.expectedStatuses({ min: 200, max: 399 }, ...scenario.acceptedStatuses));

function urlOf(request: ScenarioRequest): string {
  const base = request.base === 'site' ? baseUrl : request.base === 'api' ? apiUrl : request.base === 'login' ? loginUrl : '';
  return `${base}${request.path}`;
}

export function setup(): SetupData {
  let cookie = '';
  if (scenario?.needsSession === true) {
    const email = __ENV.VOR_TEST_USER_EMAIL;
    const password = __ENV.VOR_TEST_USER_PASSWORD;
    if (email === undefined || password === undefined)
      throw new Error('this scenario needs VOR_TEST_USER_EMAIL and VOR_TEST_USER_PASSWORD');
    const res = http.post(loginUrl, JSON.stringify({ email, password }), { headers: { 'content-type': 'application/json' } });
    if (res.status !== 200) throw new Error(`login at ${loginUrl} answered ${res.status}`);
    cookie = Object.entries(res.cookies)
      .map(([name, values]) => `${name}=${values[0]?.value ?? ''}`)
      .join('; ');
  }
  const assets: string[] = [];
  if (scenario?.discoverAssets === true) {
    const page = http.get(`${baseUrl}/`);
    const origin = /^https?:\/\/[^/]+/.exec(baseUrl)?.[0] ?? baseUrl;
    const doc = page.html();
    const refs = [
      ...doc
        .find('script[src]')
        .toArray()
        .map((e) => e.attr('src')),
      ...doc
        .find('link[rel=stylesheet]')
        .toArray()
        .map((e) => e.attr('href')),
      ...doc
        .find('img[src]')
        .toArray()
        .map((e) => e.attr('src')),
    ];
    for (const ref of refs) {
      if (ref === undefined) continue;
      if (ref.startsWith('/') && !ref.startsWith('//')) assets.push(`${origin}${ref}`);
      else if (ref.startsWith(origin)) assets.push(ref);
    }
  }
  return { cookie, assets: assets.slice(0, 20) };
}

let next = 0;

export default function (data: SetupData): void {
  if (scenario === undefined) return;
  const urls = [...scenario.requests.map((r) => ({ r, url: urlOf(r) })), ...data.assets.map((url) => ({ r: undefined, url }))];
  const pick = urls[next % urls.length];
  next += 1;
  if (pick === undefined) return;
  const headers: Record<string, string> = { ...(pick.r?.headers ?? {}), ...(data.cookie === '' ? {} : { cookie: data.cookie }) };
  if (pick.r?.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
    headers['content-type'] = 'application/json';
  const res = http.request(pick.r?.method ?? 'GET', pick.url, pick.r?.body ?? null, { headers });
  check(res, { 'not a server error': (r) => r.status < 500 });
  // Think time: each virtual user waits after its answer, as in vor-watch's closed model.
  if (scenario.thinkTimeSeconds > 0) sleep(scenario.thinkTimeSeconds);
}

/** k6 calls this once at the end: vor-watch's load.json and JUnit instead of k6's own text summary. */
export function handleSummary(data: K6SummaryData): Record<string, string> {
  if (scenario === undefined) return {};
  const planned = durationSeconds(duration);
  return summaryFiles(
    data,
    {
      scenario: scenario.name,
      baseUrl,
      ...(runnerRate === undefined ? {} : { rate: runnerRate }),
      vus,
      plannedDurationSeconds: Number.isFinite(planned) ? planned : data.state.testRunDurationMs / 1000,
      requests: scenario.requests.map((r) => `${r.method} ${r.path}`),
      checks: scenario.checks,
      endedAtMs: Date.now(),
    },
    __ENV.SUMMARY_DIR ?? '.',
    // k6-operator runners share one volume: each names its files after its pod (deploy/k8s/k6-testrun.yaml).
    __ENV.RUNNER_ID,
  );
}
