import { z } from 'zod';
import { CheckIdSchema } from '../core/check-id-schema.js';
import { SEVERITIES, STATUSES, type Attestation, type CheckResult, type OverrideNote, type RunSummary } from '../core/result.js';
import { decideVerdict } from '../core/verdict.js';
import { VERSION } from '../version.js';
import { blocksLaunch, summarizeChecklist } from './checklist-summary.js';

const JsonValueSchema: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(JsonValueSchema), z.record(z.string(), JsonValueSchema)]),
);

/** contract.md "Results", as a schema: every summary is checked against it before it is written. */
export const CheckResultSchema = z
  .object({
    id: CheckIdSchema,
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
  command: z.string().optional(),
  suite: z.string().optional(),
  checklist: z
    .object({
      headline: z.string(),
      requireAttestations: z.boolean(),
      openManualItems: z.array(z.string()),
      items: z.array(z.object({ item: z.string(), state: z.string(), coverage: z.string(), checks: z.array(z.string()) })),
    })
    .optional(),
  overrides: z
    .array(z.object({ target: z.string(), targetName: z.string(), check: CheckIdSchema, change: z.string(), source: z.string() }))
    .optional(),
});

export interface SummaryInput {
  readonly target: string;
  readonly startedAt: Date;
  readonly results: readonly CheckResult[];
  readonly now?: Date;
  readonly command?: string;
  readonly suite?: string;
  /** The checklist's attestations; given, summary.json carries the checklist state. */
  readonly checklist?: { readonly attestations: readonly Attestation[]; readonly requireAttestations: boolean };
  /** Checks switched off or changed by config overrides; none: no `overrides` key. */
  readonly overrides?: readonly OverrideNote[];
}

export function buildSummary(input: SummaryInput): RunSummary {
  const end = input.now ?? new Date();
  const checklist =
    input.checklist === undefined
      ? undefined
      : summarizeChecklist(input.results, input.checklist.attestations, input.checklist.requireAttestations);
  return {
    tool: 'vor-watch',
    version: VERSION,
    target: input.target,
    startedAt: input.startedAt.toISOString(),
    durationMs: Math.max(0, end.getTime() - input.startedAt.getTime()),
    verdict: blocksLaunch(checklist) ? 'fail' : decideVerdict(input.results),
    results: input.results,
    ...(input.command === undefined ? {} : { command: input.command }),
    ...(input.suite === undefined ? {} : { suite: input.suite }),
    ...(checklist === undefined ? {} : { checklist }),
    ...(input.overrides === undefined || input.overrides.length === 0 ? {} : { overrides: input.overrides }),
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
