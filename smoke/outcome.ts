import { expect, test, type TestInfo } from '@playwright/test';
import type { Finding } from '../src/core/result.js';

export const FINDING_ATTACHMENT = 'vor-finding';
export const REASON_ANNOTATION = 'vor-reason';

/**
 * Hands a computed finding to the reporter (Playwright has no "warn") and fails the test when
 * the finding fails, so Playwright's own report agrees with ours.
 */
export async function report(testInfo: TestInfo, finding: Finding): Promise<void> {
  await testInfo.attach(FINDING_ATTACHMENT, { body: JSON.stringify(finding), contentType: 'application/json' });
  expect(finding.status, finding.message).not.toBe('fail');
}

/**
 * A named step of a flow: when its assertions fail, the check's reason is `reason`
 * (e.g. `export_failed`), so the result says which property broke, not just "a test failed".
 */
export async function expectStep<T>(reason: string, title: string, body: () => Promise<T>): Promise<T> {
  return test.step(title, async () => {
    try {
      return await body();
    } catch (error) {
      test.info().annotations.push({ type: REASON_ANNOTATION, description: reason });
      throw error;
    }
  });
}

/** The skip message format the reporter turns into a `skip` result: "reason: what would enable it". */
export const NO_CREDENTIALS = 'no_credentials: set VOR_TEST_USER_EMAIL and VOR_TEST_USER_PASSWORD to run this flow';
