import type { ProbeOptions } from '../../src/config/schema.js';
import { fail, pass, warn, type Finding } from '../../src/core/result.js';
import { headerOf, type HttpSnapshot } from '../../src/net/http.js';

export function parseMaxAge(header: string): number | undefined {
  const match = /(?:^|;)\s*max-age\s*=\s*"?(\d+)"?\s*(?:;|$)/i.exec(header);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

export function evaluateHsts(doc: HttpSnapshot, options: Pick<ProbeOptions, 'hstsMinMaxAgeSeconds'>): Finding {
  const header = headerOf(doc, 'strict-transport-security');
  const evidence = { url: doc.finalUrl, header };
  if (header === null) return fail('headers.hsts', 'missing', `Strict-Transport-Security is missing on ${doc.finalUrl}`, evidence);
  const maxAgeSeconds = parseMaxAge(header);
  if (maxAgeSeconds === undefined)
    return fail('headers.hsts', 'invalid', `Strict-Transport-Security has no valid max-age on ${doc.finalUrl}`, evidence);
  if (maxAgeSeconds < options.hstsMinMaxAgeSeconds) {
    return fail(
      'headers.hsts',
      'max_age_too_short',
      `HSTS max-age is ${maxAgeSeconds} s (< ${options.hstsMinMaxAgeSeconds} s) on ${doc.finalUrl}`,
      { ...evidence, maxAgeSeconds, minimumSeconds: options.hstsMinMaxAgeSeconds },
    );
  }
  if (!/(?:^|;)\s*includesubdomains\s*(?:;|$)/i.test(header)) {
    return warn('headers.hsts', 'no_include_subdomains', `HSTS lacks includeSubDomains on ${doc.finalUrl}`, { ...evidence, maxAgeSeconds });
  }
  return pass('headers.hsts', `HSTS max-age=${maxAgeSeconds} s with includeSubDomains`, { ...evidence, maxAgeSeconds });
}
