import { z } from 'zod';
import { thresholdsOf, ThresholdConfigError, type K6Thresholds } from '../../load/config-thresholds.js';
import { durationSeconds } from '../../load/k6/summary.js';

/**
 * Where a request goes, in the app profile's location forms: '/path' (the site), '{api}/path'
 * (the API base), or an absolute http(s) URL (on the target's origin when run by vor-watch).
 */
const location = z
  .string()
  .min(1)
  .refine((value) => value.startsWith('/') || value.startsWith('{api}/') || /^https?:\/\/[^/]/.test(value), {
    message: "must be '/path' (the site), '{api}/path' (the API base) or an absolute http(s):// URL",
  });

const LoadRequestSchema = z
  .object({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']).default('GET'),
    path: location,
    /** A string is sent as is; an object or array as JSON (content-type application/json unless headers say otherwise). */
    body: z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
    headers: z.record(z.string(), z.string()).default({}),
    /** Sent this many times for each time a weight-1 request is sent. */
    weight: z.number().int().min(1).max(100).default(1),
  })
  .strict();

const ThresholdEntrySchema = z.union([
  z.string(),
  z.object({ threshold: z.string(), abortOnFail: z.boolean().optional(), delayAbortEval: z.string().optional() }).strict(),
]);

/** k6's syntax: `http_req_duration: ['p(95)<500']`, `http_req_failed: ['rate<0.01']`, `{ threshold, abortOnFail, delayAbortEval }`. */
const ThresholdsSchema = z
  .record(z.string(), z.union([ThresholdEntrySchema, z.array(ThresholdEntrySchema).min(1)]))
  .superRefine((value, ctx) => {
    try {
      thresholdsOf(normalizeThresholds(value));
    } catch (error) {
      if (!(error instanceof ThresholdConfigError)) throw error;
      const [metric, ...rest] = error.path;
      // A single entry (not a list) has no index in the file.
      const path = metric !== undefined && !Array.isArray(value[metric]) ? [metric, ...rest.slice(1)] : error.path;
      ctx.addIssue({ code: 'custom', message: error.message, path: [...path] });
    }
  });

/** k6 accepts one entry or a list; vor-watch and the k6 export keep lists. */
export function normalizeThresholds(value: Readonly<Record<string, unknown>>): K6Thresholds {
  return Object.fromEntries(
    Object.entries(value).map(([metric, entries]) => [metric, Array.isArray(entries) ? entries : [entries]]),
  ) as K6Thresholds;
}

const thinkTime = z.union([z.number().min(0).max(60), z.string()]).transform((value, ctx) => {
  const seconds = typeof value === 'number' ? value : durationSeconds(value);
  if (!Number.isFinite(seconds) || seconds > 60) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a think time: seconds, or a k6 duration such as 500ms or 2s, at most 60 s`,
    });
    return z.NEVER;
  }
  return seconds;
});

export const LoadScenarioSchema = z
  .object({
    description: z.string().optional(),
    requests: z.array(LoadRequestSchema).min(1).max(100),
    /** Each virtual user waits this long after an answer (closed model; k6 sleeps it in each iteration). */
    thinkTime: thinkTime.default(0),
    /** Log the test user in once and send the session cookie with every request. */
    needsSession: z.boolean().default(false),
    /** Answers that count as success besides 2xx/3xx. */
    acceptedStatuses: z.array(z.number().int().min(100).max(599)).default([]),
    durationSeconds: z.number().int().min(1).max(600).default(10),
    connections: z.number().int().min(1).max(10_000).default(10),
    /** Without thresholds: the rollback triggers of checks.md (p95 < 3 s, error rate < 5 %) and p99 < 5 s. */
    thresholds: ThresholdsSchema.optional(),
  })
  .strict();

/** `load:` in the config file: the team's own scenarios, by name (a built-in name replaces the built-in). */
export const LoadConfigSchema = z
  .object({
    scenarios: z
      .record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'a scenario name is lower-case letters, digits, - and _'), LoadScenarioSchema)
      .default({}),
  })
  .strict();

export type LoadScenarioConfig = z.infer<typeof LoadScenarioSchema>;
export type LoadConfig = z.infer<typeof LoadConfigSchema>;
