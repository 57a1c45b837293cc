import type { HttpSnapshot } from '../../src/net/http.js';

/** A snapshot shaped like a well-configured site's answer; tests override what they are about. */
export function httpSnapshot(overrides: Partial<HttpSnapshot> & { url?: string } = {}): HttpSnapshot {
  const url = overrides.url ?? 'https://app.example.test/';
  return {
    method: 'GET',
    url,
    finalUrl: url,
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'content-security-policy': "default-src 'self'; script-src 'self'; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'strict-origin-when-cross-origin',
      'permissions-policy': 'camera=(), microphone=()',
      'cross-origin-opener-policy': 'same-origin',
      'cache-control': 'no-store',
    },
    setCookies: [],
    body: '<!doctype html><html><head><title>VÖR</title></head><body></body></html>',
    truncated: false,
    bodyBytes: 72,
    redirects: [],
    timings: { headersMs: 5, totalMs: 6 },
    ...overrides,
  };
}

/** The default headers with some replaced or (with null) removed. */
export function withHeaders(changes: Readonly<Record<string, string | null>>, base: HttpSnapshot = httpSnapshot()): HttpSnapshot {
  const headers: Record<string, string> = { ...base.headers };
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete headers[name.toLowerCase()];
    else headers[name.toLowerCase()] = value;
  }
  return { ...base, headers };
}
