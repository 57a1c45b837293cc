import { z } from 'zod';
import { configError } from '../../src/config/errors.js';
import type { LoadReport } from './load-report.js';

const StatsSchema = z
  .object({
    requests: z.number(),
    errorRatio: z.number(),
    requestsPerSecond: z.number(),
    latency: z.object({ p50: z.number(), p95: z.number(), p99: z.number() }).loose(),
  })
  .loose();

/** Only what a comparison reads is checked; a baseline from a newer version may carry more. */
const BaselineSchema = z
  .object({
    kind: z.literal('load'),
    scenario: z.string(),
    model: z.string(),
    startedAt: z.string(),
    sample: z.object({ overall: StatsSchema }).loose(),
  })
  .loose();

export function parseLoadReport(text: string, source: string): LoadReport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw configError(source, 'is not JSON; give the load.json of an earlier run');
  }
  const parsed = BaselineSchema.safeParse(json);
  if (!parsed.success) {
    throw configError(
      source,
      `is not a vor-watch load.json (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`,
    );
  }
  return json as LoadReport;
}
