import { Agent, request, RetryAgent } from 'undici';

export interface PostOptions {
  /** Tries after the first one, on a network error, a timeout, 429 or 5xx (Retry-After honoured). */
  readonly retries: number;
  /** How long one try may wait for the answer's headers and body. */
  readonly attemptTimeoutMs: number;
  /** Every try and pause together. */
  readonly totalTimeoutMs: number;
  /** The first pause between tries; it doubles each time. */
  readonly backoffMs: number;
}

export const DEFAULT_POST_OPTIONS: PostOptions = { retries: 3, attemptTimeoutMs: 5_000, totalTimeoutMs: 20_000, backoffMs: 500 };

const RETRYABLE_ERRORS = [
  'ECONNRESET',
  'ECONNREFUSED',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
];

/** POSTs JSON with undici's retry agent; resolves with the final status, throws when every try failed. */
export async function postJson(url: string, body: unknown, options: PostOptions = DEFAULT_POST_OPTIONS): Promise<number> {
  const agent = new Agent({
    connectTimeout: options.attemptTimeoutMs,
    headersTimeout: options.attemptTimeoutMs,
    bodyTimeout: options.attemptTimeoutMs,
  });
  const dispatcher = new RetryAgent(agent, {
    maxRetries: options.retries,
    minTimeout: options.backoffMs,
    maxTimeout: Math.max(options.backoffMs, options.totalTimeoutMs / 2),
    methods: ['POST'],
    statusCodes: [429, 500, 502, 503, 504],
    errorCodes: RETRYABLE_ERRORS,
  });
  try {
    const response = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'vor-watch' },
      body: JSON.stringify(body),
      dispatcher,
      signal: AbortSignal.timeout(options.totalTimeoutMs),
    });
    await response.body.dump();
    return response.statusCode;
  } finally {
    await agent.close();
  }
}
