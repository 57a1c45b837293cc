import { specOf } from '../src/core/catalogue.js';
import { SCENARIOS } from './scenarios/index.js';
import type { Scenario, Threshold } from './scenarios/types.js';

/** One scenario as the k6 script reads it (load/k6/scenarios.json): same requests, same limits. */
export interface K6Scenario {
  readonly name: string;
  readonly requests: Scenario['requests'];
  readonly discoverAssets: boolean;
  readonly needsSession: boolean;
  readonly acceptedStatuses: readonly number[];
  readonly defaults: Scenario['defaults'];
  /** k6 `options.thresholds`, e.g. { http_req_duration: ['p(95)<3000'] }. */
  readonly thresholds: Readonly<Record<string, readonly string[]>>;
  /** The same thresholds as vor-watch checks, for the load.json k6's handleSummary writes (k6/summary.ts). */
  readonly checks: readonly (Threshold & { readonly severity: string; readonly checklist: readonly string[] })[];
}

function k6Expression(t: Threshold): [metric: string, expression: string] {
  const limit = 'below' in t ? t.below : t.above;
  const op = 'below' in t ? '<' : '>=';
  switch (t.metric) {
    case 'latencyP95Seconds':
      return ['http_req_duration', `p(95)${op}${Math.round(limit * 1000)}`];
    case 'latencyP99Seconds':
      return ['http_req_duration', `p(99)${op}${Math.round(limit * 1000)}`];
    case 'errorRatio':
      return ['http_req_failed', `rate${op}${limit}`];
    case 'requestsPerSecond':
      return ['http_reqs', `rate${op}${limit}`];
  }
}

export function k6ThresholdsOf(thresholds: readonly Threshold[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of thresholds) {
    const [metric, expression] = k6Expression(t);
    (out[metric] ??= []).push(expression);
  }
  return out;
}

export function renderK6Scenarios(): string {
  const table: Record<string, K6Scenario> = {};
  for (const [name, s] of Object.entries(SCENARIOS)) {
    table[name] = {
      name,
      requests: s.requests,
      discoverAssets: s.discoverAssets === true,
      needsSession: s.needsSession === true,
      acceptedStatuses: s.acceptedStatuses ?? [],
      defaults: s.defaults,
      thresholds: k6ThresholdsOf(s.thresholds),
      checks: s.thresholds.map((t) => ({ ...t, severity: specOf(t.id).severity, checklist: specOf(t.id).checklist })),
    };
  }
  return `${JSON.stringify(table, null, 2)}\n`;
}

// `npx tsx load/k6-export.ts > load/k6/scenarios.json` regenerates the table (a test keeps it in sync).
if (process.argv[1] !== undefined && /k6-export\.ts$/.test(process.argv[1])) process.stdout.write(renderK6Scenarios());
