import type { TestDetails } from '@playwright/test';
import { isCustomCheckId, type CustomCheckId } from '../src/core/catalogue.js';
import { SEVERITIES, type Severity } from '../src/core/result.js';
import { CHECK_ANNOTATION, check as builtinCheck, isSmokeCheckId, type SmokeCheckId } from './checks.js';

export const SEVERITY_ANNOTATION = 'vor-severity';
export const CHECKLIST_ANNOTATION = 'vor-checklist';

/** What a team's own check declares besides its id: how much a failure matters, and which checklist items it proves. */
export interface CustomCheckDeclaration {
  readonly severity: Severity;
  /** Checklist items it proves, "Section: item" as in production-checklist.md. */
  readonly checklist?: readonly string[];
  /** Extra tags for `--grep` (a critical check is tagged @critical already). */
  readonly tags?: readonly `@${string}`[];
}

/**
 * The test details that map a team's test to a check: a built-in smoke id (the test replaces the
 * built-in one) or `custom.<name>` with its severity and checklist items.
 *
 * @example
 * test("today's balance is shown", check('custom.balance_today', { severity: 'critical' }), async ({ page }) => …);
 * test('payment succeeds', check('flow.payment'), async ({ billingPage }) => …);
 */
export function check(id: SmokeCheckId): TestDetails;
export function check(id: CustomCheckId, declaration: CustomCheckDeclaration): TestDetails;
export function check(id: SmokeCheckId | CustomCheckId, declaration?: CustomCheckDeclaration): TestDetails {
  if (isSmokeCheckId(id)) return builtinCheck(id);
  if (!isCustomCheckId(id)) throw new Error(`"${String(id)}" is neither a browser check of checks.md nor custom.<name> (a-z, 0-9, _ . -)`);
  if (declaration === undefined || !SEVERITIES.includes(declaration.severity))
    throw new Error(`${id} declares no severity: check('${id}', { severity: 'critical' | 'high' | 'medium' | 'low' | 'info' })`);
  return {
    tag: ['@custom', ...(declaration.severity === 'critical' ? (['@critical'] as const) : []), ...(declaration.tags ?? [])],
    annotation: [
      { type: CHECK_ANNOTATION, description: id },
      { type: SEVERITY_ANNOTATION, description: declaration.severity },
      ...(declaration.checklist ?? []).map((item) => ({ type: CHECKLIST_ANNOTATION, description: item })),
    ],
  };
}
