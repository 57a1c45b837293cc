import http from 'node:http';
import https from 'node:https';
import { StringDecoder } from 'node:string_decoder';
import type { CheckId } from '../core/catalogue.js';
import type { ProbeContext } from '../core/probe.js';
import { VERSION } from '../version.js';
import { ProbeFailure } from './failure.js';
import type { TransportAgents } from './transport.js';

export const USER_AGENT = `vor-watch/${VERSION}`;
export const MAX_REDIRECTS = 5;
/** Enough for any sane response head; a hostile 1 MB header block fails fast instead of filling memory. */
export const MAX_HEADER_BYTES = 64 * 1024;
/**
 * More response headers than this is an error, never a partial read: node's parser would otherwise
 * drop every header past its own count limit (about the first 1,000) without a word, and an insecure
 * cookie or an X-Powered-By hidden behind them would pass. MAX_HEADER_BYTES still bounds the memory.
 */
export const MAX_RESPONSE_HEADERS = 1_000;

export interface Redirect {
  readonly url: string;
  readonly status: number;
  readonly location: string;
}

/** One HTTP exchange as the evaluators see it; everything they decide on is here. */
export interface HttpSnapshot {
  readonly method: string;
  readonly url: string;
  readonly finalUrl: string;
  readonly status: number;
  /** Lower-case names; repeated headers joined with ", " (Set-Cookie is kept apart in setCookies). */
  readonly headers: Readonly<Record<string, string>>;
  readonly setCookies: readonly string[];
  /** Decoded as UTF-8 and cut at the byte limit when `truncated`. */
  readonly body: string;
  readonly truncated: boolean;
  /** Bytes read off the wire (still encoded when the server compressed them). */
  readonly bodyBytes: number;
  readonly redirects: readonly Redirect[];
  readonly timings: { readonly headersMs: number; readonly totalMs: number };
}

export interface HttpRequestOptions {
  /** The check the request is for (the `check` label of the request metrics). */
  readonly check: CheckId;
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Follow same-origin redirects (GET/HEAD only); default true for GET/HEAD. */
  readonly followRedirects?: boolean;
  /**
   * A followed request redirected to another origin is never followed (credentials stay on their origin).
   * 'error' (default): the request fails with cross_origin_redirect, since whatever answers there is
   * another service's answer; 'stop': the redirect response itself is the snapshot, for callers that
   * judge a 3xx on its own (an asset moved to a CDN is simply not judged).
   */
  readonly onCrossOriginRedirect?: 'error' | 'stop';
  readonly maxBodyBytes?: number;
  /** 'error' (default) aborts and fails on a larger body; 'truncate' keeps the first maxBodyBytes. */
  readonly onOversize?: 'error' | 'truncate';
  /** Close the connection after this exchange, so the next request connects (and handshakes) anew. */
  readonly freshConnection?: boolean;
  /** A tighter bound than options.timeoutMs for this one request (the request is always bounded by both). */
  readonly timeoutMs?: number;
}

export type HttpContext = Pick<ProbeContext, 'target' | 'options' | 'signal' | 'recordRequest' | 'transport'>;

export const headerOf = (snapshot: Pick<HttpSnapshot, 'headers'>, name: string): string | null =>
  snapshot.headers[name.toLowerCase()] ?? null;

/** From the raw name/value list: cheaper than `headersDistinct`, which builds an array per header. */
function flattenHeaders(raw: readonly string[]): { headers: Record<string, string>; setCookies: string[] } {
  const headers: Record<string, string> = {};
  const setCookies: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const key = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    if (key === 'set-cookie') setCookies.push(value);
    else headers[key] = Object.hasOwn(headers, key) ? `${headers[key]}, ${value}` : value;
  }
  return { headers, setCookies };
}

/** Reads at most `limit` bytes; event listeners rather than async iteration, which costs measurably more per probe. */
function readBody(
  body: http.IncomingMessage,
  limit: number,
  onOversize: 'error' | 'truncate',
  url: string,
): Promise<{ text: string; truncated: boolean; bytes: number }> {
  return new Promise((resolve, reject) => {
    // Decoded chunk by chunk, not joined into one Buffer first: no body-sized allocation outside V8's heap.
    const decoder = new StringDecoder('utf8');
    let text = '';
    let size = 0;
    const finish = (truncated: boolean) => resolve({ text: text + decoder.end(), truncated, bytes: size });
    body.on('data', (buffer: Buffer) => {
      if (size + buffer.length > limit) {
        text += decoder.write(buffer.subarray(0, limit - size));
        size = limit;
        body.removeAllListeners('data');
        // Settle before destroying: destroy() emits 'aborted', which must not win the race.
        if (onOversize === 'error') reject(new ProbeFailure('response_too_large', `${url} sent more than ${limit} bytes of body`));
        else finish(true);
        body.destroy();
        return;
      }
      text += decoder.write(buffer);
      size += buffer.length;
    });
    body.once('end', () => finish(false));
    body.once('error', reject);
    body.once('aborted', () => reject(Object.assign(new Error(`${url} closed the connection mid-body`), { code: 'ECONNRESET' })));
  });
}

function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  transport: TransportAgents,
  freshConnection: boolean,
  deadline: Deadline,
): Promise<http.IncomingMessage> {
  const parsed = new URL(url);
  const isHttps = parsed.protocol === 'https:';
  const agent = isHttps
    ? freshConnection
      ? transport.freshHttps
      : transport.https
    : freshConnection
      ? transport.freshHttp
      : transport.http;
  const options: https.RequestOptions = { method, headers, agent, maxHeaderSize: MAX_HEADER_BYTES };
  return new Promise((resolve, reject) => {
    const req = (isHttps ? https : http).request(parsed, options, resolve);
    // No count limit in the parser (0): every header is read, so an oversized set is seen and refused, not cut.
    req.maxHeadersCount = 0;
    req.on('error', (error) => reject(deadline.reasonOr(error)));
    deadline.guard(req);
    req.end(body);
  });
}

const isRedirect = (status: number): boolean => [301, 302, 303, 307, 308].includes(status);

/** Same origin (scheme, host and port): the only redirects a probe follows, so cookies and tokens never cross origins. */
export function mayFollow(from: URL, to: URL): boolean {
  return to.origin === from.origin;
}

async function exchange(
  ctx: HttpContext,
  url: string,
  options: HttpRequestOptions,
  deadline: Deadline,
): Promise<Omit<HttpSnapshot, 'redirects' | 'url' | 'finalUrl'>> {
  const started = performance.now();
  const method = options.method ?? 'GET';
  let outcome: 'success' | 'failure' = 'failure';
  try {
    const response = await send(
      url,
      method,
      { 'user-agent': USER_AGENT, ...options.headers },
      options.body,
      ctx.transport.agentsFor(ctx.target.caPem),
      options.freshConnection === true,
      deadline,
    );
    const headersMs = performance.now() - started;
    const headerCount = response.rawHeaders.length / 2;
    if (headerCount > MAX_RESPONSE_HEADERS) {
      response.destroy();
      throw new ProbeFailure(
        'headers_too_many',
        `${url} sent ${headerCount} response headers (more than ${MAX_RESPONSE_HEADERS}); they are not judged from a partial read`,
      );
    }
    const { headers, setCookies } = flattenHeaders(response.rawHeaders);
    let read: { text: string; truncated: boolean; bytes: number } = { text: '', truncated: false, bytes: 0 };
    try {
      if (method === 'HEAD') response.resume();
      else read = await readBody(response, options.maxBodyBytes ?? ctx.options.maxBodyBytes, options.onOversize ?? 'error', url);
    } catch (error) {
      throw error instanceof ProbeFailure ? error : deadline.reasonOr(error);
    }
    const { text, truncated, bytes } = read;
    outcome = (response.statusCode ?? 0) >= 500 ? 'failure' : 'success';
    return {
      method,
      status: response.statusCode ?? 0,
      headers,
      setCookies,
      body: text,
      truncated,
      bodyBytes: bytes,
      timings: { headersMs, totalMs: performance.now() - started },
    };
  } finally {
    ctx.recordRequest({ check: options.check, durationSeconds: (performance.now() - started) / 1000, outcome });
  }
}

/**
 * The probe's abort signal plus a per-request timeout, enforced by destroying the request in
 * flight. Cheaper per request than an AbortController handed to http.request (several
 * EventTarget listeners per request), which shows in the fresh-connection throughput.
 */
class Deadline {
  private reason: unknown = undefined;
  private aborted = false;
  private request: http.ClientRequest | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly onOuterAbort = (): void => this.abort(this.outer.reason ?? new DOMException('aborted', 'AbortError'));

  constructor(
    private readonly outer: AbortSignal,
    timeoutMs: number,
  ) {
    this.timer = setTimeout(() => this.abort(new DOMException(`request timed out after ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
    this.timer.unref();
    if (outer.aborted) this.onOuterAbort();
    else outer.addEventListener('abort', this.onOuterAbort, { once: true });
  }

  /** The request now in flight: destroyed at once if the deadline has passed or passes later. */
  guard(request: http.ClientRequest): void {
    this.request = request;
    if (this.aborted) request.destroy(this.reason as Error);
  }

  /** The abort reason once aborted (what the caller should see), else the error itself. */
  reasonOr(error: unknown): unknown {
    return this.aborted ? this.reason : error;
  }

  clear(): void {
    clearTimeout(this.timer);
    this.outer.removeEventListener('abort', this.onOuterAbort);
  }

  private abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.request?.destroy(reason as Error);
  }
}

/**
 * The one way probes talk HTTP: a `vor-watch` User-Agent, the target's CA, bounded header
 * and body sizes, the probe's abort signal, and redirects followed by hand (same origin only).
 */
export async function httpRequest(ctx: HttpContext, url: string, options: HttpRequestOptions): Promise<HttpSnapshot> {
  const method = options.method ?? 'GET';
  const follow = options.followRedirects ?? (method === 'GET' || method === 'HEAD');
  // Every request is bounded on its own too: a probe with a longer budget (the burst) must not wait that long on one answer.
  const deadline = new Deadline(ctx.signal, Math.min(options.timeoutMs ?? ctx.options.timeoutMs, ctx.options.timeoutMs));
  const redirects: Redirect[] = [];
  try {
    return await follows(ctx, url, options, deadline, follow, redirects);
  } finally {
    deadline.clear();
  }
}

async function follows(
  ctx: HttpContext,
  url: string,
  options: HttpRequestOptions,
  deadline: Deadline,
  follow: boolean,
  redirects: Redirect[],
): Promise<HttpSnapshot> {
  let current = url;
  for (;;) {
    const snapshot = await exchange(ctx, current, options, deadline);
    const location = snapshot.headers.location;
    if (!follow || !isRedirect(snapshot.status) || location === undefined) {
      return { ...snapshot, url, finalUrl: current, redirects };
    }
    const next = new URL(location, current);
    redirects.push({ url: current, status: snapshot.status, location: next.href });
    const from = new URL(current);
    if (!mayFollow(from, next)) {
      if (options.onCrossOriginRedirect === 'stop') return { ...snapshot, url, finalUrl: current, redirects };
      throw new ProbeFailure(
        'cross_origin_redirect',
        `${current} redirected (${snapshot.status}) to another origin, ${next.origin}; not followed, so that cookies and tokens never leave ${from.origin}, and another service's answer is not judged as this one's`,
      );
    }
    if (redirects.length > MAX_REDIRECTS) {
      throw new ProbeFailure('too_many_redirects', `${url} redirected more than ${MAX_REDIRECTS} times (last to ${next.href})`);
    }
    current = next.href;
  }
}
