import type { LoadConfig, LoadScenarioConfig } from '../../src/config/load-schema.js';
import { normalizeThresholds } from '../../src/config/load-schema.js';
import { thresholdsOf } from '../config-thresholds.js';
import { SCENARIOS } from './index.js';
import {
  DEFAULT_P99_SECONDS,
  ROLLBACK_ERROR_RATIO,
  ROLLBACK_P95_SECONDS,
  type Scenario,
  type ScenarioRequest,
  type Threshold,
} from './types.js';

/** A config scenario without thresholds is judged by the rollback triggers of checks.md (no throughput floor: none was stated). */
const DEFAULT_CONFIG_THRESHOLDS: readonly Threshold[] = [
  { id: 'load.latency_p95', metric: 'latencyP95Seconds', below: ROLLBACK_P95_SECONDS },
  { id: 'load.latency_p99', metric: 'latencyP99Seconds', below: DEFAULT_P99_SECONDS },
  { id: 'load.error_rate', metric: 'errorRatio', below: ROLLBACK_ERROR_RATIO },
];

function requestOf(r: LoadScenarioConfig['requests'][number]): ScenarioRequest {
  const { base, path } = r.path.startsWith('{api}/')
    ? { base: 'api' as const, path: r.path.slice('{api}'.length) }
    : r.path.startsWith('/')
      ? { base: 'site' as const, path: r.path }
      : { base: 'url' as const, path: r.path };
  const body = r.body === undefined ? undefined : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  return {
    method: r.method,
    base,
    path,
    ...(body === undefined ? {} : { body }),
    ...(Object.keys(r.headers).length === 0 ? {} : { headers: r.headers }),
    ...(r.weight === 1 ? {} : { weight: r.weight }),
  };
}

/** One `load.scenarios.<name>` of the config file as a scenario (validated by the config schema already). */
export function scenarioFromConfig(name: string, config: LoadScenarioConfig, source: string): Scenario {
  return {
    name,
    description: config.description ?? `${name} (from ${source})`,
    requests: config.requests.map(requestOf),
    needsSession: config.needsSession,
    acceptedStatuses: config.acceptedStatuses,
    defaults: { durationSeconds: config.durationSeconds, connections: config.connections },
    thresholds: config.thresholds === undefined ? DEFAULT_CONFIG_THRESHOLDS : thresholdsOf(normalizeThresholds(config.thresholds)),
    ...(config.thresholds === undefined ? {} : { k6Thresholds: normalizeThresholds(config.thresholds) }),
    ...(config.thinkTime > 0 ? { thinkTimeSeconds: config.thinkTime } : {}),
    source,
  };
}

/** The built-in scenarios and the config's, by name; a config scenario of a built-in's name replaces it. */
export function scenarioTable(load: LoadConfig | undefined, source = 'the config file'): Record<string, Scenario> {
  const table: Record<string, Scenario> = { ...SCENARIOS };
  for (const [name, config] of Object.entries(load?.scenarios ?? {})) table[name] = scenarioFromConfig(name, config, source);
  return table;
}
