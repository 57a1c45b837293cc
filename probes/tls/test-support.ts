/** Test-only: runs one probe family through the real runner and indexes the results by id. */
import { BudgetsSchema, ProbeOptionsSchema, type ProbeOptions } from '../../src/config/schema.js';
import type { CheckId } from '../../src/core/catalogue.js';
import type { Probe } from '../../src/core/probe.js';
import { createRedactor } from '../../src/core/redact.js';
import type { CheckResult } from '../../src/core/result.js';
import { runProbes } from '../../src/core/runner.js';
import { buildTarget } from '../../src/core/target.js';

export interface ProbeOnceInput {
  readonly baseUrl: string;
  readonly httpUrl?: string;
  readonly caPem?: string;
  readonly options?: Partial<ProbeOptions>;
}

export async function probeOnce(probe: Probe, input: ProbeOnceInput): Promise<Map<CheckId, CheckResult>> {
  const target = buildTarget({
    baseUrl: input.baseUrl,
    ...(input.httpUrl === undefined ? {} : { httpUrl: input.httpUrl }),
    publicApiPaths: [],
    routes: [],
  });
  const results = await runProbes({
    target: input.caPem === undefined ? target : { ...target, caPem: input.caPem },
    probes: [probe],
    options: ProbeOptionsSchema.parse({ retries: 0, timeoutMs: 3_000, ...input.options }),
    budgets: BudgetsSchema.parse({}),
    redactor: createRedactor([]),
    strict: true,
  });
  return new Map(results.map((r) => [r.id, r]));
}

/** The result for `id`, with its message in the assertion error so a failing test says why. */
export function resultOf(results: ReadonlyMap<CheckId, CheckResult>, id: CheckId): CheckResult {
  const result = results.get(id);
  if (result === undefined) throw new Error(`no result for ${id}; got ${[...results.keys()].join(', ')}`);
  return result;
}
