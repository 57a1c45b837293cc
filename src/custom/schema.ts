/**
 * Checks as code in the config file: HTTP assertion checks (`checks.http`) and per-check overrides
 * (`overrides`), at the top level and per target. README "Checks as code" documents every field.
 */
import { closest } from 'fastest-levenshtein';
import { JSONPath } from 'jsonpath-plus';
import { z } from 'zod';
import { CHECK_IDS, isBuiltinCheckId, isCustomCheckId } from '../core/catalogue.js';
import { SEVERITIES } from '../core/result.js';
import { loadChecklist } from '../report/checklist.js';
import { CHECK_PARAMETERS, parameterNamesOf } from './parameters.js';

/** `/…/flags`, or the bare source of a JavaScript regular expression; g and y are dropped (they make test() stateful). */
export function compilePattern(text: string): RegExp {
  const slashed = /^\/(.+)\/([dgimsuvy]*)$/s.exec(text);
  return slashed === null ? new RegExp(text) : new RegExp(slashed[1] ?? '', (slashed[2] ?? '').replace(/[gy]/g, ''));
}

const Pattern = z
  .string()
  .min(1)
  .superRefine((value, ctx) => {
    try {
      compilePattern(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `is not a valid regular expression: ${(error as Error).message}` });
    }
  });

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the NAME of an environment variable (the value stays out of files)');
const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be an HTTP header name such as x-api-key');

/** A site path (/…), an API path ({api}/…) or an absolute http(s):// URL, as the app profile's locations. */
const Location = z
  .string()
  .refine((v) => v.startsWith('/') || v.startsWith('{api}/') || (URL.canParse(v) && /^https?:$/.test(new URL(v).protocol)), {
    message: 'must be a site path (/…), an API path ({api}/…) or an absolute http(s):// URL',
  });

/** Exactly one of `keys` is given: the comparison an assertion makes. */
const exactlyOne =
  (keys: readonly string[]) =>
  (value: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    const given = keys.filter((k) => value[k] !== undefined);
    if (given.length !== 1)
      ctx.addIssue({
        code: 'custom',
        message: `give exactly one of ${keys.join(', ')}${given.length > 1 ? ` (got ${given.join(', ')})` : ''}`,
      });
  };

const JsonPathExpression = z
  .string()
  .startsWith('$', 'must be a JSONPath expression starting with $, e.g. $.balance.amount')
  .superRefine((path, ctx) => {
    try {
      JSONPath({ path, json: {}, wrap: true, eval: 'safe' });
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `is not a valid JSONPath expression: ${(error as Error).message}` });
    }
  });

const StatusAssertion = z
  .object({
    type: z.literal('status'),
    equals: z.number().int().min(100).max(599).optional(),
    oneOf: z.array(z.number().int()).min(1).optional(),
  })
  .strict()
  .superRefine(exactlyOne(['equals', 'oneOf']));
const HeaderAssertion = z
  .object({
    type: z.literal('header'),
    name: headerName,
    equals: z.string().optional(),
    matches: Pattern.optional(),
    exists: z.boolean().optional(),
  })
  .strict()
  .superRefine(exactlyOne(['equals', 'matches', 'exists']));
const JsonPathAssertion = z
  .object({
    type: z.literal('jsonPath'),
    path: JsonPathExpression,
    equals: z.json().optional(),
    matches: Pattern.optional(),
    exists: z.boolean().optional(),
    lt: z.number().optional(),
    gt: z.number().optional(),
  })
  .strict()
  .superRefine(exactlyOne(['equals', 'matches', 'exists', 'lt', 'gt']));
const BodyAssertion = z
  .object({ type: z.literal('body'), matches: Pattern.optional(), contains: z.string().min(1).optional() })
  .strict()
  .superRefine(exactlyOne(['matches', 'contains']));
const ResponseTimeAssertion = z.object({ type: z.literal('responseTime'), lessThanMs: z.number().positive() }).strict();
const CertificateAssertion = z.object({ type: z.literal('certificate'), minDaysLeft: z.number().min(0) }).strict();

const ASSERTION_TYPES = ['status', 'header', 'jsonPath', 'body', 'responseTime', 'certificate'] as const;
export const AssertionSchema = z.discriminatedUnion(
  'type',
  [StatusAssertion, HeaderAssertion, JsonPathAssertion, BodyAssertion, ResponseTimeAssertion, CertificateAssertion],
  { error: `needs a type: one of ${ASSERTION_TYPES.join(', ')}` },
);

/** Credentials come from environment variables named here; their values never appear in a file or a report. */
export const AuthSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('bearer'), tokenEnv: envName }).strict(),
    z.object({ type: z.literal('basic'), usernameEnv: envName, passwordEnv: envName }).strict(),
    z.object({ type: z.literal('header'), name: headerName, valueEnv: envName }).strict(),
  ],
  { error: 'needs a type: bearer (tokenEnv), basic (usernameEnv, passwordEnv) or header (name, valueEnv)' },
);

export const HttpRequestSchema = z
  .object({
    method: z
      .string()
      .regex(/^[A-Z]+$/, 'must be an upper-case HTTP method')
      .default('GET'),
    url: Location,
    headers: z.record(headerName, z.string()).default({}),
    /** A JSON body (sent with content-type application/json) or a text body. */
    body: z
      .object({ json: z.json().optional(), text: z.string().optional() })
      .strict()
      .superRefine(exactlyOne(['json', 'text']))
      .optional(),
    auth: AuthSchema.optional(),
    /** Same-origin redirects are followed for GET and HEAD unless this is false. */
    followRedirects: z.boolean().optional(),
    /** Tighter than probes.timeoutMs for this request (never longer). */
    timeoutMs: z.number().int().positive().max(120_000).optional(),
  })
  .strict();

let checklistKeys: readonly string[] | undefined;
const ChecklistItem = z
  .string()
  .min(1)
  .superRefine((item, ctx) => {
    checklistKeys ??= loadChecklist().flatMap((s) => s.items.map((i) => i.key));
    if (!checklistKeys.includes(item))
      ctx.addIssue({
        code: 'custom',
        message: `is not an item of the production checklist ("Section: item"); nearest: "${closest(item, [...checklistKeys])}"`,
      });
  });

/** One HTTP assertion check: a request and what its answer must satisfy; its result is the record `id`. */
export const HttpCheckSchema = z
  .object({
    id: z.string().refine(isCustomCheckId, 'must be custom.<name> (a-z, 0-9, _ . -), e.g. custom.balance_api'),
    severity: z.enum(SEVERITIES).default('high'),
    /** Checklist items it proves, "Section: item" as in production-checklist.md. */
    checklist: z.array(ChecklistItem).default([]),
    request: HttpRequestSchema,
    assertions: z.array(AssertionSchema).min(1, 'give at least one assertion'),
  })
  .strict();

const uniqueIds = (checks: readonly { id: string }[], ctx: z.RefinementCtx): void => {
  checks.forEach((check, index) => {
    if (checks.findIndex((c) => c.id === check.id) !== index)
      ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `${check.id} is defined twice in this list` });
  });
};
export const HttpChecksSchema = z.array(HttpCheckSchema).superRefine(uniqueIds);

/** A target's own checks (they replace top-level ones of the same id). */
export const TargetChecksSchema = z.object({ http: HttpChecksSchema.default([]) }).strict();

/** Top-level checks: HTTP assertion checks, and the folder of the team's own Playwright specs. */
export const ChecksSchema = z
  .object({
    http: HttpChecksSchema.default([]),
    /** The team's Playwright specs (relative to the config file); --checks DIR wins. */
    dir: z.string().min(1).optional(),
  })
  .strict();

/** A parameter's own schema (from BudgetsSchema / ProbeOptionsSchema), to validate an override's value. */
export type ParameterSchemas = Readonly<Record<string, z.ZodType>>;

const OFF = 'off';

/**
 * `overrides: { <check id>: off | { severity?, <parameter>? } }`: a check switched off, or its
 * severity or parameters changed. No transform: a target is parsed twice (file, then flags merged).
 */
export function overridesSchema(parameters: ParameterSchemas) {
  return z.record(z.string(), z.unknown()).superRefine((record, ctx) => {
    for (const [id, value] of Object.entries(record)) {
      if (!isBuiltinCheckId(id) && !isCustomCheckId(id)) {
        ctx.addIssue({
          code: 'custom',
          path: [id],
          message: `is not a check id of checks.md or custom.<name>; nearest: ${closest(id, [...CHECK_IDS])}`,
        });
        continue;
      }
      if (id.startsWith('rollback.')) {
        // The gate's verdict is these triggers: a report saying "off" while the gate still fires on them would mislead.
        ctx.addIssue({
          code: 'custom',
          path: [id],
          message: 'is a rollback trigger: it cannot be overridden (its windows are set under triggers)',
        });
        continue;
      }
      if (value === OFF) continue;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        ctx.addIssue({ code: 'custom', path: [id], message: `must be off or an object such as { severity: medium }` });
        continue;
      }
      const allowed = parameterNamesOf(id);
      for (const [key, setting] of Object.entries(value as Record<string, unknown>)) {
        if (key === 'severity') {
          if (!SEVERITIES.includes(setting as never))
            ctx.addIssue({ code: 'custom', path: [id, key], message: `must be one of ${SEVERITIES.join(', ')}` });
          continue;
        }
        const schema = allowed.includes(key) ? parameters[key] : undefined;
        if (schema === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [id, key],
            message:
              allowed.length === 0
                ? `is not a setting of ${id}: it takes off or severity only`
                : `is not a setting of ${id}; it takes severity, ${allowed.join(', ')}${isBuiltinCheckId(id) && id in CHECK_PARAMETERS ? ` (nearest: ${closest(key, allowed)})` : ''}`,
          });
          continue;
        }
        const parsed = schema.safeParse(setting);
        if (!parsed.success)
          for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: [id, key], message: issue.message });
      }
    }
  });
}

export type HttpCheck = z.infer<typeof HttpCheckSchema>;
export type Assertion = z.infer<typeof AssertionSchema>;
export type HttpRequestSpec = z.infer<typeof HttpRequestSchema>;
export type Auth = z.infer<typeof AuthSchema>;
export type OverridesConfig = Readonly<Record<string, unknown>>;
