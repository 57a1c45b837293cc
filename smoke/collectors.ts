import type { BrowserContext, TestInfo } from '@playwright/test';
import type { PendingRequest } from './app/open-page.js';

export const COLLECTED_ATTACHMENT = 'vor-collected';

export interface ConsoleError {
  readonly kind: 'console' | 'exception';
  readonly page: string;
  readonly text: string;
}

export interface BrokenRequest {
  readonly url: string;
  readonly resourceType: string;
  readonly status?: number;
  readonly failure?: string;
}

export interface Collectors {
  readonly consoleErrors: ConsoleError[];
  readonly brokenRequests: BrokenRequest[];
  /**
   * Same-origin subresources Chromium aborted: a navigation cancels in-flight requests, but
   * Chromium also aborts a stylesheet whose 404 page fails the MIME check. Re-checked before judging.
   */
  readonly abortedRequests: { readonly url: string; readonly resourceType: string }[];
}

const MAX_ITEMS = 50;
const clip = (text: string): string => (text.length > 300 ? `${text.slice(0, 300)}…` : text);
/** Path and query only: ids in URLs are not secrets, but origins are already in the result's target. */
const pathOf = (url: string): string => (URL.canParse(url) ? new URL(url).pathname : url);

/** Same origin by scheme, host and port, not by string prefix (`https://app.test.attacker.invalid` is foreign). */
export const isSameOrigin = (url: string, origin: string): boolean => URL.canParse(url) && new URL(url).origin === origin;

/**
 * The same-origin requests a page still had unfinished when the wait for its load event gave up
 * (`openPage`): to a visitor they failed, and they are what held the page back.
 */
export function unfinishedRequests(pending: readonly PendingRequest[], origin: string, waitedMs: number): BrokenRequest[] {
  return pending
    .filter((request) => isSameOrigin(request.url, origin))
    .map((request) => ({
      url: pathOf(request.url),
      resourceType: request.resourceType,
      failure: `unfinished ${waitedMs / 1000} s after the document arrived; the page's load event never fired`,
    }));
}

/** Listens on the whole context, so popups and every page of a flow are covered. */
export function attachCollectors(
  context: BrowserContext,
  origin: string,
  collectors: Collectors = { consoleErrors: [], brokenRequests: [], abortedRequests: [] },
): Collectors {
  const push = <T>(list: T[], item: T) => list.length < MAX_ITEMS && list.push(item);
  context.on('console', (message) => {
    if (message.type() !== 'error') return;
    push(collectors.consoleErrors, { kind: 'console', page: pathOf(message.page()?.url() ?? ''), text: clip(message.text()) });
  });
  context.on('weberror', (webError) => {
    push(collectors.consoleErrors, { kind: 'exception', page: pathOf(webError.page()?.url() ?? ''), text: clip(webError.error().message) });
  });
  context.on('response', (response) => {
    if (response.status() < 400 || !isSameOrigin(response.url(), origin)) return;
    push(collectors.brokenRequests, {
      url: pathOf(response.url()),
      resourceType: response.request().resourceType(),
      status: response.status(),
    });
  });
  context.on('requestfailed', (request) => {
    const failure = request.failure()?.errorText ?? 'failed';
    if (!isSameOrigin(request.url(), origin) || request.isNavigationRequest()) return;
    if (failure.includes('ERR_ABORTED')) {
      push(collectors.abortedRequests, { url: request.url(), resourceType: request.resourceType() });
      return;
    }
    push(collectors.brokenRequests, { url: pathOf(request.url()), resourceType: request.resourceType(), failure });
  });
  return collectors;
}

/** Evidence for the report: what the collectors saw, attached only when they saw something. */
export async function attachCollected(testInfo: TestInfo, collectors: Collectors): Promise<void> {
  const evidence = {
    ...(collectors.consoleErrors.length === 0 ? {} : { consoleErrors: collectors.consoleErrors }),
    ...(collectors.brokenRequests.length === 0 ? {} : { brokenRequests: collectors.brokenRequests }),
  };
  if (Object.keys(evidence).length === 0) return;
  await testInfo.attach(COLLECTED_ATTACHMENT, { body: JSON.stringify(evidence), contentType: 'application/json' });
}
