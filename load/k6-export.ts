import { specOf } from '../src/core/catalogue.js';
import type { K6ThresholdEntry } from './config-thresholds.js';
import { SCENARIOS } from './scenarios/index.js';
import type { Scenario, Threshold } from './scenarios/types.js';
import { weightedOrder } from './scenarios/weights.js';
import { comparisonOf, CUSTOM_LOAD_CHECKLIST, limitOf } from './thresholds.js';

/** One scenario as the k6 script reads it (load/k6/scenarios.json): same requests, same limits. */
export interface K6Scenario {
  readonly name: string;
  /** In sending order, weights spelled out (load/scenarios/weights.ts): k6 cycles through them as vor-watch does. */
  readonly requests: Scenario['requests'];
  readonly discoverAssets: boolean;
  readonly needsSession: boolean;
  readonly acceptedStatuses: readonly number[];
  readonly defaults: Scenario['defaults'];
  /** Seconds each iteration sleeps after its request (0: none). */
  readonly thinkTimeSeconds: number;
  /** k6 `options.thresholds`, e.g. { http_req_duration: ['p(95)<3000'] }: a config scenario's exactly as written. */
  readonly thresholds: Readonly<Record<string, readonly K6ThresholdEntry[]>>;
  /** The same thresholds as vor-watch checks, for the load.json k6's handleSummary writes (k6/summary.ts). */
  readonly checks: readonly (Threshold & { readonly severity: string; readonly checklist: readonly string[] })[];
}

/** A built-in threshold in k6's syntax (k6 durations are milliseconds). */
function k6Expression(t: Threshold): [metric: string, expression: string] {
  if (t.k6 !== undefined) return [t.k6.metric, t.k6.expression];
  const op = comparisonOf(t);
  const limit = limitOf(t);
  const ms = `${Math.round(limit * 1000)}`;
  switch (t.metric) {
    case 'latencyP50Seconds':
      return ['http_req_duration', `med${op}${ms}`];
    case 'latencyP90Seconds':
      return ['http_req_duration', `p(90)${op}${ms}`];
    case 'latencyP95Seconds':
      return ['http_req_duration', `p(95)${op}${ms}`];
    case 'latencyP99Seconds':
      return ['http_req_duration', `p(99)${op}${ms}`];
    case 'latencyMeanSeconds':
      return ['http_req_duration', `avg${op}${ms}`];
    case 'latencyMaxSeconds':
      return ['http_req_duration', `max${op}${ms}`];
    case 'errorRatio':
      return ['http_req_failed', `rate${op}${limit}`];
    case 'requestsPerSecond':
      return ['http_reqs', `rate${op}${limit}`];
    case 'requestCount':
      return ['http_reqs', `count${op}${limit}`];
    case 'checksRatio':
      return ['checks', `rate${op}${limit}`];
  }
}

export function k6ThresholdsOf(thresholds: readonly Threshold[]): Record<string, K6ThresholdEntry[]> {
  const out: Record<string, K6ThresholdEntry[]> = {};
  for (const t of thresholds) {
    const [metric, threshold] = k6Expression(t);
    const entry: K6ThresholdEntry =
      t.abortOnFail === true
        ? {
            threshold,
            abortOnFail: true,
            ...(t.delayAbortEvalSeconds === undefined ? {} : { delayAbortEval: `${t.delayAbortEvalSeconds}s` }),
          }
        : threshold;
    (out[metric] ??= []).push(entry);
  }
  return out;
}

export function k6ScenarioOf(name: string, s: Scenario): K6Scenario {
  return {
    name,
    requests: weightedOrder(s.requests).map(({ weight: _weight, ...request }) => request),
    discoverAssets: s.discoverAssets === true,
    needsSession: s.needsSession === true,
    acceptedStatuses: s.acceptedStatuses ?? [],
    defaults: s.defaults,
    thinkTimeSeconds: s.thinkTimeSeconds ?? 0,
    thresholds: s.k6Thresholds ?? k6ThresholdsOf(s.thresholds),
    checks: s.thresholds.map(({ abortOnFail: _abort, delayAbortEvalSeconds: _delay, ...t }) => {
      // Aborting is k6's own business (options.thresholds); the script's checks judge the summary.
      const spec = specOf(t.id);
      return {
        ...t,
        severity: spec.severity,
        checklist: t.id.startsWith('custom.') ? CUSTOM_LOAD_CHECKLIST : spec.checklist,
      };
    }),
  };
}

/** load/k6/scenarios.json: the built-in scenarios, and with a table from config, the team's too. */
export function renderK6Scenarios(scenarios: Readonly<Record<string, Scenario>> = SCENARIOS): string {
  const table: Record<string, K6Scenario> = {};
  for (const [name, s] of Object.entries(scenarios)) table[name] = k6ScenarioOf(name, s);
  return `${JSON.stringify(table, null, 2)}\n`;
}

// `npx tsx load/k6-export.ts > load/k6/scenarios.json` regenerates the table (a test keeps it in sync);
// `vor-watch load --export-k6 FILE` writes it with the config file's scenarios.
if (process.argv[1] !== undefined && /k6-export\.ts$/.test(process.argv[1])) process.stdout.write(renderK6Scenarios());
