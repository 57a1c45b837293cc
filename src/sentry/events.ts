import type { Event } from '@sentry/node';
import type { Redactor } from '../core/redact.js';
import type { CheckResult } from '../core/result.js';
import { isBlocking } from '../core/verdict.js';

export interface EventContext {
  readonly environment: string;
  readonly release: string;
}

/** One event per failing result, grouped by check id and target (contract.md, "Error tracking"). */
export function eventFromResult(result: CheckResult, context: EventContext): Event | undefined {
  if (!isBlocking(result.status)) return undefined;
  return {
    message: `${result.id} ${result.status}: ${result.message}`,
    level: result.severity === 'critical' || result.severity === 'high' ? 'error' : 'warning',
    fingerprint: [result.id, result.target],
    tags: {
      check: result.id,
      target: result.target,
      environment: context.environment,
      release: context.release,
      status: result.status,
      reason: result.reason ?? 'none',
    },
    extra: { evidence: result.evidence, severity: result.severity, checklist: result.checklist },
    environment: context.environment,
    release: context.release,
  };
}

const SECRET_PATTERNS: readonly [RegExp, string][] = [
  [/\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g, '[jwt]'],
  [/\b(Bearer|Basic)\s+[\w.~+/=-]+/gi, '$1 [redacted]'],
  [/((?:password|passwd|secret|token|api[_-]?key|authorization|cookie|session)["']?\s*[:=]\s*["']?)[^"'\s,;&}]+/gi, '$1[redacted]'],
  [/(https?:\/\/)[^/@\s:]+(?::[^/@\s]*)?@/gi, '$1[redacted]@'],
];

export function scrubString(value: string, redactor: Redactor): string {
  let out = redactor.string(value);
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

const SENSITIVE_KEY = /cookie|authorization|password|passwd|secret|token|session|csrf|dsn|api[_-]?key/i;

function scrubValue(value: unknown, key: string, redactor: Redactor, depth: number): unknown {
  if (SENSITIVE_KEY.test(key) && value !== null && value !== undefined && typeof value !== 'object') return '[redacted]';
  if (typeof value === 'string') return scrubString(value, redactor);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, key, redactor, depth + 1));
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, scrubValue(v, k, redactor, depth + 1)]));
}

/** beforeSend: no credentials, cookies or tokens leave the process, whatever a probe put into an event. */
export function scrubEvent(event: Event, redactor: Redactor): Event {
  const scrubbed = scrubValue(event, '', redactor, 0) as Event;
  if (scrubbed.request !== undefined) {
    delete scrubbed.request.cookies;
    if (scrubbed.request.headers !== undefined) {
      scrubbed.request.headers = Object.fromEntries(Object.entries(scrubbed.request.headers).filter(([k]) => !SENSITIVE_KEY.test(k)));
    }
  }
  delete scrubbed.user;
  return scrubbed;
}
