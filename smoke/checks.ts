import type { TestDetails } from '@playwright/test';
import type { CheckId } from '../src/core/catalogue.js';

/**
 * Every check the smoke suite answers for, with the tags `smoke --grep` selects on.
 * The one registry: specs take their tags from here (`check(id)`), and runSmoke uses it to
 * know which ids a grep selects when Playwright itself cannot say (it crashed).
 */
export const SMOKE_CHECKS = {
  'flow.signup': ['@flow', '@critical'],
  'flow.login': ['@flow', '@critical'],
  'flow.dashboard': ['@flow', '@critical'],
  'flow.link_bank': ['@flow', '@critical'],
  'flow.payment': ['@flow', '@critical'],
  'flow.data_export': ['@flow', '@compliance'],
  'flow.account_deletion': ['@flow', '@compliance'],
  'flow.logout': ['@flow', '@critical'],
  'perf.bundle_size': ['@browser', '@perf'],
  'perf.images': ['@browser', '@perf'],
  'perf.lazy_loading': ['@browser', '@perf'],
  'perf.web_vitals': ['@browser', '@perf'],
  'page.console_errors': ['@browser', '@critical'],
  'page.broken_assets': ['@browser', '@critical'],
  'page.mixed_content': ['@browser'],
  'routes.reachable': ['@browser', '@critical'],
  'compliance.privacy_policy': ['@browser', '@compliance'],
  'compliance.terms': ['@browser', '@compliance'],
  'compliance.cookie_consent': ['@browser', '@compliance'],
  'compliance.cookies_before_consent': ['@browser', '@compliance'],
} as const satisfies Partial<Record<CheckId, readonly `@${string}`[]>>;

export type SmokeCheckId = keyof typeof SMOKE_CHECKS;
export const SMOKE_CHECK_IDS = Object.keys(SMOKE_CHECKS) as SmokeCheckId[];

export const CHECK_ANNOTATION = 'vor-check';

/**
 * The test details that declare a test's check id and give it the id's tags, plus `@<id>` itself: a team's own
 * spec for the id replaces the built-in test, which the run leaves out by that tag (smoke/team-checks.ts).
 */
export function check(id: SmokeCheckId): TestDetails {
  return { tag: [...SMOKE_CHECKS[id], `@${id}`], annotation: { type: CHECK_ANNOTATION, description: id } };
}

/** The ids a `--grep` pattern selects, judged on "id @tags" (used only when Playwright could not list them). */
export function checksMatching(grep: string | undefined): SmokeCheckId[] {
  if (grep === undefined || grep === '') return [...SMOKE_CHECK_IDS];
  const pattern = new RegExp(grep);
  return SMOKE_CHECK_IDS.filter((id) => pattern.test(`${id} ${SMOKE_CHECKS[id].join(' ')}`));
}

export const isSmokeCheckId = (value: unknown): value is SmokeCheckId => typeof value === 'string' && Object.hasOwn(SMOKE_CHECKS, value);
