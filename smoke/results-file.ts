import { z } from 'zod';
import type { CheckId } from '../src/core/catalogue.js';
import { CheckIdSchema } from '../src/core/check-id-schema.js';
import { SEVERITIES, STATUSES, type Finding } from '../src/core/result.js';

const JsonValueSchema: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(JsonValueSchema), z.record(z.string(), JsonValueSchema)]),
);

export const FindingSchema = z.object({
  id: CheckIdSchema,
  status: z.enum(STATUSES),
  reason: z.string().optional(),
  message: z.string(),
  evidence: z.record(z.string(), JsonValueSchema),
  /** A team's custom check declares its own. */
  severity: z.enum(SEVERITIES).optional(),
  checklist: z.array(z.string()).optional(),
});

export const SmokeArtifactsSchema = z.object({
  id: z.string(),
  screenshots: z.array(z.string()),
  traces: z.array(z.string()),
  videos: z.array(z.string()),
});

/** What the reporter (in the Playwright child) hands back to runSmoke (in the parent). */
export const SmokeResultsFileSchema = z.object({
  /** The ids of the tests Playwright selected (after --grep). */
  selected: z.array(z.string()),
  findings: z.array(FindingSchema),
  durationsMs: z.record(z.string(), z.number()),
  artifacts: z.array(SmokeArtifactsSchema),
  status: z.string(),
});

export type SmokeArtifacts = z.infer<typeof SmokeArtifactsSchema>;
export interface SmokeResultsFile {
  readonly selected: readonly CheckId[];
  readonly findings: readonly Finding[];
  readonly durationsMs: Readonly<Record<string, number>>;
  readonly artifacts: readonly SmokeArtifacts[];
  readonly status: string;
}
