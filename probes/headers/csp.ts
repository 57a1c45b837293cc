import { fail, pass, warn, type Finding } from '../../src/core/result.js';
import { headerOf, type HttpSnapshot } from '../../src/net/http.js';

/** Directive name → source list, first occurrence wins (as browsers do). */
export function parseCsp(header: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of header.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name === undefined || name === '') continue;
    const key = name.toLowerCase();
    if (!directives.has(key)) directives.set(key, sources);
  }
  return directives;
}

/**
 * Several Content-Security-Policy headers arrive joined by ", " (and a header may itself list
 * policies so): each comma-separated policy is enforced on its own (CSP3 "parse a serialized CSP list").
 */
export const parseCspList = (header: string): Map<string, string[]>[] =>
  header
    .split(',')
    .filter((policy) => policy.trim() !== '')
    .map(parseCsp);

/** Why a script source list is unsafe, most serious first; empty when it is fine. */
export function unsafeScriptSources(sources: readonly string[]): string[] {
  const lower = sources.map((s) => s.toLowerCase());
  const hasNonceOrHash = lower.some((s) => /^'(nonce|sha256|sha384|sha512)-/.test(s));
  const problems: string[] = [];
  if (lower.includes("'unsafe-inline'") && !hasNonceOrHash) problems.push('unsafe_inline');
  if (lower.includes("'unsafe-eval'")) problems.push('unsafe_eval');
  if (lower.includes('*')) problems.push('wildcard_source');
  if (lower.includes('http:')) problems.push('http_source');
  if (lower.includes('data:')) problems.push('data_source');
  return problems;
}

export function evaluateCsp(doc: HttpSnapshot): Finding {
  const header = headerOf(doc, 'content-security-policy');
  const evidence = { url: doc.finalUrl, header };
  if (header === null) return fail('headers.csp', 'missing', `Content-Security-Policy is missing on ${doc.finalUrl}`, evidence);
  // A script must pass every policy, so one policy that restricts scripts soundly is enough.
  const judged = parseCspList(header).flatMap((directives) => {
    const directive = directives.has('script-src') ? 'script-src' : directives.has('default-src') ? 'default-src' : undefined;
    return directive === undefined ? [] : [{ directive, problems: unsafeScriptSources(directives.get(directive) ?? []) }];
  });
  if (judged.length === 0) {
    return warn('headers.csp', 'no_script_src', `CSP has neither script-src nor default-src on ${doc.finalUrl}`, evidence);
  }
  const { directive, problems } = judged.find((j) => j.problems.length === 0) ?? (judged[0] as (typeof judged)[number]);
  const [first] = problems;
  if (first !== undefined) {
    return warn('headers.csp', first, `CSP ${directive} allows ${problems.join(', ').replace(/_/g, ' ')} on ${doc.finalUrl}`, {
      ...evidence,
      directive,
      problems,
    });
  }
  return pass('headers.csp', 'Content-Security-Policy restricts scripts', evidence);
}
