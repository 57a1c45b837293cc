import type { Page } from '@playwright/test';

/**
 * Collects what a self-contained page must never do: console errors, uncaught exceptions and any
 * request that is not a file: URL (those are aborted). The returned list fills as the page runs.
 */
export async function watchOfflinePage(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  page.on('pageerror', (error) => problems.push(error.message));
  await page.route(/^(?!file:)/, (route) => {
    problems.push(`network request to ${route.request().url()}`);
    return route.abort();
  });
  return problems;
}
