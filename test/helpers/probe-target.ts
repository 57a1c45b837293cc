import { Agent, request } from 'undici';
import { BudgetsSchema, ProbeOptionsSchema, type ProbeOptions } from '../../src/config/schema.js';
import type { CheckId } from '../../src/core/catalogue.js';
import type { Probe } from '../../src/core/probe.js';
import { createRedactor } from '../../src/core/redact.js';
import type { CheckResult } from '../../src/core/result.js';
import { runProbes } from '../../src/core/runner.js';
import { buildTarget, type Target } from '../../src/core/target.js';
import type { Faults } from '../../target/faults.js';
import { startTarget, type RunningTarget } from '../../target/server.js';

/** The reference target started once per test file, with faults switched per test. */
export interface ProbeBench {
  readonly running: RunningTarget;
  readonly target: Target;
  /** Switches exactly these faults on (all others off) and runs the probe family through the real runner. */
  run(probe: Probe, faults?: Partial<Faults>, options?: Partial<ProbeOptions>, target?: Target): Promise<ReadonlyMap<CheckId, CheckResult>>;
  resetRateLimit(): Promise<void>;
  close(): Promise<void>;
}

export async function startProbeBench(targetOptions: Parameters<typeof startTarget>[0] = {}): Promise<ProbeBench> {
  const running = await startTarget({ quiet: true, ...targetOptions });
  const target = buildTarget(
    { baseUrl: running.baseUrl, httpUrl: running.httpUrl, caFile: running.caFile, publicApiPaths: [], routes: [] },
    running.testUser,
  );
  const admin = new Agent({ connect: { ca: running.caPem } });
  return {
    running,
    target,
    async run(probe, faults = {}, options = {}, as = target) {
      running.setFaults(faults, 'replace');
      const results = await runProbes({
        target: as,
        probes: [probe],
        options: ProbeOptionsSchema.parse({ retries: 0, timeoutMs: 5_000, ...options }),
        budgets: BudgetsSchema.parse({}),
        redactor: createRedactor([running.testUser.password, running.adminToken]),
        strict: true,
      });
      return new Map(results.map((r) => [r.id, r]));
    },
    async resetRateLimit() {
      const response = await request(`${running.baseUrl}/__admin/reset-ratelimit`, {
        method: 'POST',
        headers: { authorization: `Bearer ${running.adminToken}` },
        dispatcher: admin,
      });
      await response.body.dump();
    },
    async close() {
      await admin.close();
      await running.close();
    },
  };
}

/** The result for `id`, failing with the ids that did come back when it is missing. */
export function resultFor(results: ReadonlyMap<CheckId, CheckResult>, id: CheckId): CheckResult {
  const result = results.get(id);
  if (result === undefined) throw new Error(`no result for ${id}; got ${[...results.keys()].join(', ')}`);
  return result;
}
