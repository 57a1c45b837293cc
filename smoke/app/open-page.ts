import { errors, type Page, type Request, type Response } from '@playwright/test';

/** How long a page's load event is waited for once its document is in. */
export const LOAD_EVENT_WAIT_MS = 10_000;

/**
 * Requests the load event waits for. A fetch, an XHR or an event stream does not hold it back, and
 * may rightly stay open (a long poll): never reported as what held a page back.
 */
const HOLDS_LOAD_EVENT = new Set(['document', 'stylesheet', 'script', 'image', 'font', 'media']);

export interface PendingRequest {
  readonly url: string;
  readonly resourceType: string;
}

export interface OpenedPage {
  /** The document's answer (the last of a redirect chain); null for a same-document hop. */
  readonly response: Response | null;
  /** False when the load event had not fired `loadWaitMs` after the document arrived. */
  readonly loaded: boolean;
  /** The page's requests that hold a load event back and were unfinished when the wait for it gave up (none when it fired). */
  readonly pending: readonly PendingRequest[];
}

/**
 * Opens `url` and waits for its load event, but for at most `loadWaitMs` once the document is in:
 * one subresource that never answers (a stuck image, a tracking pixel) holds the load event back
 * for ever, yet the page is there to be judged, and what held it back is evidence
 * (page.broken_assets reports it) rather than a navigation timeout in every check.
 */
export async function openPage(page: Page, url: string, loadWaitMs = LOAD_EVENT_WAIT_MS): Promise<OpenedPage> {
  const inFlight = new Set<Request>();
  const started = (request: Request) => inFlight.add(request);
  const ended = (request: Request) => inFlight.delete(request);
  page.on('request', started);
  page.on('requestfinished', ended);
  page.on('requestfailed', ended);
  try {
    const response = await page.goto(url, { waitUntil: 'domcontentloaded' });
    const loaded = await page.waitForLoadState('load', { timeout: loadWaitMs }).then(
      () => true,
      (error: unknown) => {
        if (error instanceof errors.TimeoutError) return false;
        throw error;
      },
    );
    const pending = loaded
      ? []
      : [...inFlight]
          .filter((request) => HOLDS_LOAD_EVENT.has(request.resourceType()))
          .map((request) => ({ url: request.url(), resourceType: request.resourceType() }));
    return { response, loaded, pending };
  } finally {
    page.off('request', started);
    page.off('requestfinished', ended);
    page.off('requestfailed', ended);
  }
}
