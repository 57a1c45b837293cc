import { z } from 'zod';
import { CHECK_IDS, type CheckId } from '../core/catalogue.js';
import { SEVERITIES, STATUSES, type CheckResult, type RunSummary } from '../core/result.js';
import { decideVerdict } from '../core/verdict.js';
import { VERSION } from '../version.js';

const JsonValueSchema: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(JsonValueSchema), z.record(z.string(), JsonValueSchema)]),
);

/** contract.md "Results", as a schema: every summary is checked against it before it is written. */
export const CheckResultSchema = z
  .object({
    id: z.enum(CHECK_IDS as [CheckId, ...CheckId[]]),
    status: z.enum(STATUSES),
    severity: z.enum(SEVERITIES),
    reason: z
      .string()
      .regex(/^[a-z0-9_]+$/)
      .optional(),
    message: z.string().min(1),
    evidence: z.record(z.string(), JsonValueSchema),
    checklist: z.array(z.string()),
    durationMs: z.number().nonnegative(),
    target: z.string(),
  })
  .refine((r) => r.status === 'pass' || r.reason !== undefined, { message: 'a result that is not pass needs a reason', path: ['reason'] });

export const RunSummarySchema = z.object({
  tool: z.literal('vor-watch'),
  version: z.string(),
  target: z.string(),
  startedAt: z.iso.datetime(),
  durationMs: z.number().nonnegative(),
  verdict: z.enum(['pass', 'fail']),
  results: z.array(CheckResultSchema),
});

export function buildSummary(input: { target: string; startedAt: Date; results: readonly CheckResult[]; now?: Date }): RunSummary {
  const end = input.now ?? new Date();
  return {
    tool: 'vor-watch',
    version: VERSION,
    target: input.target,
    startedAt: input.startedAt.toISOString(),
    durationMs: Math.max(0, end.getTime() - input.startedAt.getTime()),
    verdict: decideVerdict(input.results),
    results: input.results,
  };
}

/** Throws with every schema problem listed; a summary that breaks the contract is a bug, never written. */
export function assertValidSummary(summary: unknown): RunSummary {
  const parsed = RunSummarySchema.safeParse(summary);
  if (!parsed.success) {
    throw new Error(
      `summary.json would break the contract: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return summary as RunSummary;
}

export const renderSummaryJson = (summary: RunSummary): string => `${JSON.stringify(assertValidSummary(summary), null, 2)}\n`;
