import type { ProbeOptions } from '../../src/config/schema.js';
import { errored, fail, pass, warn, type Finding } from '../../src/core/result.js';
import { headerOf, type HttpSnapshot } from '../../src/net/http.js';
import { hasMarkup, isJsonAnswer, isRateLimited, looksLikeHtml } from '../answer-shape.js';

const UP = ['ok', 'pass', 'up', 'healthy'];
const DOWN = ['fail', 'down', 'error', 'unhealthy'];
const NESTED = ['checks', 'dependencies', 'components'];

export type HealthState = 'up' | 'warn' | 'down' | 'unknown';

const stateOf = (status: unknown): HealthState => {
  if (typeof status !== 'string') return 'unknown';
  const s = status.trim().toLowerCase();
  return UP.includes(s) ? 'up' : DOWN.includes(s) ? 'down' : s === 'warn' ? 'warn' : 'unknown';
};

/** Names of nested entries (`checks`, `dependencies`, `components`; object or array form) that are down. */
export function downDependencies(json: Record<string, unknown>): string[] {
  const down: string[] = [];
  for (const key of NESTED) {
    const nested = json[key];
    if (nested === null || typeof nested !== 'object') continue;
    const entries: [string, unknown][] = Array.isArray(nested)
      ? nested.map((v, i) => [String((v as { name?: unknown })?.name ?? i), v])
      : Object.entries(nested);
    for (const [name, value] of entries) {
      const values = Array.isArray(value) ? value : [value];
      for (const v of values) {
        const status = typeof v === 'string' ? v : (v as { status?: unknown } | null)?.status;
        if (stateOf(status) === 'down') down.push(name);
      }
    }
  }
  return [...new Set(down)];
}

export interface HealthBody {
  readonly state: HealthState;
  readonly status?: string;
  readonly downDependencies: string[];
  /** The body was cut at the read limit: only a leading top-level status was read, nested entries were not. */
  readonly truncated?: boolean;
  /** JSON that says nothing readable: never taken for "up". */
  readonly unreadable?: { readonly reason: 'invalid_health_json' | 'health_body_too_large'; readonly detail: string };
}

/** The top-level status when it is the object's first key: all that a cut-off JSON body reliably says. */
const LEADING_STATUS = /^[\s\uFEFF]*\{\s*"status"\s*:\s*"([^"\\]*)"/;

const looksLikeJson = (answer: Pick<HttpSnapshot, 'headers' | 'body'>): boolean =>
  isJsonAnswer(answer) || /^[\s\uFEFF]*[{[]/.test(answer.body);

/**
 * checks.md "Health body": JSON with a status field is judged by it; a non-JSON 200 body counts as up;
 * JSON that does not parse is unreadable, and a body cut at the read limit is judged by its leading status alone.
 */
export function readHealthBody(body: string, shape: { readonly json?: boolean; readonly truncated?: boolean } = {}): HealthBody {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    const claimsJson = shape.json ?? /^[\s\uFEFF]*[{[]/.test(body);
    if (!claimsJson) return { state: 'up', downDependencies: [] };
    const leading = shape.truncated === true ? LEADING_STATUS.exec(body)?.[1] : undefined;
    if (leading !== undefined) {
      const state = stateOf(leading);
      return { state: state === 'unknown' ? 'up' : state, status: leading, downDependencies: [], truncated: true };
    }
    return {
      state: 'unknown',
      downDependencies: [],
      unreadable:
        shape.truncated === true
          ? { reason: 'health_body_too_large', detail: 'its JSON was cut at the read limit before any top-level "status"' }
          : { reason: 'invalid_health_json', detail: 'its JSON does not parse' },
    };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return { state: 'up', downDependencies: [] };
  const record = json as Record<string, unknown>;
  const state = stateOf(record.status);
  return {
    state: state === 'unknown' ? 'up' : state,
    ...(typeof record.status === 'string' ? { status: record.status } : {}),
    downDependencies: downDependencies(record),
  };
}

/** Longer than any "ok"/"healthy" line; a page of text is not a health answer. */
export const MAX_PLAIN_HEALTH_BYTES = 512;

/**
 * checks.md "Health body": JSON (any `+json` type, `application/health+json` included) or a short
 * plain body without markup is a health response, whatever its content type (Express, Flask and
 * Django label a plain "ok" text/html); an HTML document (a catch-all landing page, a login page) is not.
 */
export function isHealthResponse(response: Pick<HttpSnapshot, 'headers' | 'body'>): boolean {
  if (looksLikeHtml(response)) return false;
  if (looksLikeJson(response)) return true;
  return Buffer.byteLength(response.body) <= MAX_PLAIN_HEALTH_BYTES && !hasMarkup(response);
}

/** A health request that got no answer: the property checked is answering, so these are fails. */
export interface HealthUnanswered {
  readonly url: string;
  readonly reason: 'timeout' | 'unreachable';
  readonly detail: string;
  readonly elapsedMs: number;
}

export function evaluateHealth(
  outcome: HttpSnapshot | HealthUnanswered,
  options: Pick<ProbeOptions, 'healthTimeoutMs' | 'healthSlowMs'>,
): Finding {
  if (!('status' in outcome)) {
    const evidence = {
      url: outcome.url,
      detail: outcome.detail,
      elapsedMs: Math.round(outcome.elapsedMs),
      timeoutMs: options.healthTimeoutMs,
    };
    return outcome.reason === 'timeout'
      ? fail('health.endpoint', 'timeout', `${outcome.url} did not answer within ${options.healthTimeoutMs} ms`, evidence)
      : fail('health.endpoint', 'unreachable', `${outcome.url} is unreachable (${outcome.detail})`, evidence);
  }
  const elapsedMs = Math.round(outcome.timings.totalMs);
  const body = readHealthBody(outcome.body, { json: looksLikeJson(outcome), truncated: outcome.truncated });
  const evidence = {
    url: outcome.url,
    status: outcome.status,
    elapsedMs,
    bodyStatus: body.status ?? null,
    downDependencies: body.downDependencies,
    ...(outcome.truncated ? { truncatedAtBytes: Buffer.byteLength(outcome.body) } : {}),
  };
  if (isRateLimited(outcome)) {
    return errored(
      'health.endpoint',
      'rate_limited',
      `${outcome.url} answered 429: the health endpoint refuses to answer this client`,
      evidence,
    );
  }
  if (outcome.status !== 200) return fail('health.endpoint', 'bad_status', `${outcome.url} answered ${outcome.status}`, evidence);
  if (!isHealthResponse(outcome)) {
    return fail(
      'health.endpoint',
      'not_a_health_response',
      `${outcome.finalUrl} answered 200 with ${looksLikeHtml(outcome) ? 'an HTML page' : 'a long non-JSON body'}, not a health response; point probes.healthPath or app.api.health at the health endpoint`,
      { ...evidence, contentType: headerOf(outcome, 'content-type') },
    );
  }
  if (body.unreadable !== undefined) {
    return errored(
      'health.endpoint',
      body.unreadable.reason,
      `${outcome.url} answered 200 but ${body.unreadable.detail}: whether the service is up was not shown`,
      evidence,
    );
  }
  if (body.state === 'down')
    return fail('health.endpoint', 'down', `${outcome.url} reports the service ${body.status ?? 'down'}`, evidence);
  if (body.downDependencies.length > 0) {
    return fail('health.endpoint', 'dependency_down', `${outcome.url} reports ${body.downDependencies.join(', ')} down`, evidence);
  }
  if (body.state === 'warn') return warn('health.endpoint', 'degraded', `${outcome.url} reports status warn`, evidence);
  if (elapsedMs > options.healthSlowMs) {
    return warn('health.endpoint', 'slow', `${outcome.url} took ${elapsedMs} ms (> ${options.healthSlowMs} ms)`, evidence);
  }
  const unread = body.truncated === true ? '; nested checks past the read limit were not read' : '';
  return pass('health.endpoint', `${outcome.url} is up (${elapsedMs} ms)${unread}`, evidence);
}
