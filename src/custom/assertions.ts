import { isDeepStrictEqual } from 'node:util';
import { JSONPath } from 'jsonpath-plus';
import type { JsonValue } from '../core/result.js';
import { headerOf, type HttpSnapshot } from '../net/http.js';
import { compilePattern, type Assertion } from './schema.js';

/** What one assertion expected and what the answer showed (the evidence of a custom HTTP check). */
export type AssertionOutcome = {
  /** e.g. "jsonPath $.balance.amount > 0". */
  readonly assertion: string;
  readonly expected: string;
  readonly actual: JsonValue;
  readonly passed: boolean;
  /** Why it could not hold at all (the answer was not JSON, the URL has no certificate). */
  readonly note?: string;
};

/** The leaf certificate's days left, or why there is none to judge. */
export type CertificateFact = { readonly daysLeft: number; readonly notAfter: string } | { readonly unavailable: string };

/** How much of a body or value evidence quotes. */
const EXCERPT_CHARS = 200;
const excerpt = (text: string): string => (text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text);

type Parsed = { readonly ok: true; readonly json: unknown } | { readonly ok: false; readonly why: string };

function parseJson(snapshot: HttpSnapshot): Parsed {
  try {
    return { ok: true, json: JSON.parse(snapshot.body) as unknown };
  } catch {
    const type = headerOf(snapshot, 'content-type') ?? 'no content-type';
    return {
      ok: false,
      why: `the answer was not JSON (${type}, ${snapshot.body === '' ? 'empty body' : `starts "${snapshot.body.slice(0, 40).replace(/\s+/g, ' ')}"`})`,
    };
  }
}

const asJson = (value: unknown): JsonValue => (value === undefined ? null : (JSON.parse(JSON.stringify(value)) as JsonValue));

/** The comparison of a header or JSON value: equals, matches, exists, lt, gt. */
function compare(
  assertion: { equals?: unknown; matches?: string; exists?: boolean; lt?: number; gt?: number },
  found: boolean,
  value: unknown,
): { expected: string; passed: boolean } {
  if (assertion.exists !== undefined) return { expected: assertion.exists ? 'exists' : 'absent', passed: found === assertion.exists };
  if (assertion.matches !== undefined) {
    const pattern = compilePattern(assertion.matches);
    const text = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
    return { expected: `matches ${String(pattern)}`, passed: found && text !== undefined && pattern.test(text) };
  }
  if (assertion.lt !== undefined)
    return { expected: `< ${assertion.lt}`, passed: found && typeof value === 'number' && value < assertion.lt };
  if (assertion.gt !== undefined)
    return { expected: `> ${assertion.gt}`, passed: found && typeof value === 'number' && value > assertion.gt };
  return { expected: `= ${JSON.stringify(assertion.equals)}`, passed: found && isDeepStrictEqual(value, assertion.equals) };
}

/**
 * Judges every assertion against one answer. Never throws for what the answer contains: a JSON
 * path on a body that is not JSON is a failed assertion saying so.
 */
export function evaluateAssertions(
  snapshot: HttpSnapshot,
  assertions: readonly Assertion[],
  certificate: CertificateFact | undefined,
): AssertionOutcome[] {
  let parsed: Parsed | undefined;
  return assertions.map((a): AssertionOutcome => {
    switch (a.type) {
      case 'status': {
        const expected = a.equals !== undefined ? `= ${a.equals}` : `one of ${(a.oneOf ?? []).join(', ')}`;
        const passed = a.equals !== undefined ? snapshot.status === a.equals : (a.oneOf ?? []).includes(snapshot.status);
        return { assertion: 'status', expected, actual: snapshot.status, passed };
      }
      case 'header': {
        const value = headerOf(snapshot, a.name);
        return { assertion: `header ${a.name.toLowerCase()}`, actual: value, ...compare(a, value !== null, value) };
      }
      case 'jsonPath': {
        parsed ??= parseJson(snapshot);
        const assertion = `jsonPath ${a.path}`;
        if (!parsed.ok) return { assertion, ...compare(a, false, undefined), passed: false, actual: null, note: parsed.why };
        // jsonpath-plus answers undefined, not [], for a body of null, 0 or false.
        const matches = (JSONPath({ path: a.path, json: parsed.json as object, wrap: true, eval: 'safe' }) as unknown[] | undefined) ?? [];
        const value = matches.length === 1 ? matches[0] : matches;
        const outcome = compare(a, matches.length > 0, value);
        return {
          assertion,
          ...outcome,
          actual: matches.length === 0 ? null : asJson(value),
          ...(matches.length === 0 ? { note: 'the path matched nothing' } : {}),
        };
      }
      case 'body': {
        if (a.contains !== undefined)
          return {
            assertion: 'body',
            expected: `contains ${JSON.stringify(a.contains)}`,
            actual: excerpt(snapshot.body),
            passed: snapshot.body.includes(a.contains),
          };
        const pattern = compilePattern(a.matches ?? '');
        const match = pattern.exec(snapshot.body);
        return {
          assertion: 'body',
          expected: `matches ${String(pattern)}`,
          actual: excerpt(match?.[0] ?? snapshot.body),
          passed: match !== null,
        };
      }
      case 'responseTime': {
        const ms = Math.round(snapshot.timings.totalMs);
        return { assertion: 'responseTime', expected: `< ${a.lessThanMs} ms`, actual: ms, passed: ms < a.lessThanMs };
      }
      case 'certificate': {
        const expected = `≥ ${a.minDaysLeft} days left`;
        if (certificate === undefined || 'unavailable' in certificate)
          return {
            assertion: 'certificate',
            expected,
            actual: null,
            passed: false,
            note: certificate?.unavailable ?? 'no certificate was read',
          };
        return { assertion: 'certificate', expected, actual: certificate.daysLeft, passed: certificate.daysLeft >= a.minDaysLeft };
      }
    }
  });
}
