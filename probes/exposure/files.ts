import { errored, fail, pass, type Finding } from '../../src/core/result.js';
import type { HttpSnapshot } from '../../src/net/http.js';
import { isRateLimited, looksLikeHtml } from '../answer-shape.js';

/** Each sensitive path with what its real content looks like, so a SPA's HTML fallback is not a finding. */
export const SENSITIVE_FILES: readonly { readonly path: string; readonly looksReal: (body: string) => boolean }[] = [
  { path: '/.env', looksReal: (b) => /^\s*(export\s+)?[A-Z][A-Z0-9_]*\s*=/m.test(b) },
  { path: '/.git/config', looksReal: (b) => /^\s*\[(core|remote|branch)\b/m.test(b) },
  { path: '/.git/HEAD', looksReal: (b) => /^(ref: refs\/|[0-9a-f]{40}\s*$)/.test(b.trim()) },
  { path: '/backup.sql', looksReal: (b) => /\b(CREATE TABLE|INSERT INTO|-- (MySQL|PostgreSQL) (database )?dump)\b/i.test(b) },
  { path: '/dump.sql', looksReal: (b) => /\b(CREATE TABLE|INSERT INTO|-- (MySQL|PostgreSQL) (database )?dump)\b/i.test(b) },
];

/** The first content line with values masked: `DATABASE_URL=[masked]`. */
export function maskedExcerpt(body: string): string {
  const line = body.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? '';
  // A line without `=`/`:` (a dump's `INSERT INTO users VALUES (…)`) keeps only its first two words.
  const masked = /[=:]/.test(line)
    ? line.replace(/(=|:)\s*.*$/, '$1[masked]')
    : line.replace(/^(\s*\S+(?:\s+\S+)?)\s+\S.*$/, '$1 [masked]');
  return masked.slice(0, 80);
}

export function evaluateSensitiveFiles(responses: readonly HttpSnapshot[]): Finding {
  const exposed = responses.filter((r) => {
    const spec = SENSITIVE_FILES.find((f) => new URL(r.finalUrl).pathname === f.path);
    return r.status === 200 && spec !== undefined && !looksLikeHtml(r) && spec.looksReal(r.body);
  });
  const evidence = { checked: responses.map((r) => ({ url: r.url, status: r.status })) };
  const [first] = exposed;
  if (first !== undefined) {
    return fail('exposure.sensitive_files', 'exposed', `${first.url} is publicly served (${exposed.length} sensitive file(s) exposed)`, {
      ...evidence,
      exposed: exposed.map((r) => ({ url: r.url, excerpt: maskedExcerpt(r.body) })),
    });
  }
  const limited = responses.filter(isRateLimited);
  if (limited.length > 0) {
    return errored(
      'exposure.sensitive_files',
      'rate_limited',
      `${limited.length} of ${responses.length} sensitive paths were answered 429; whether they are served was not shown`,
      evidence,
    );
  }
  return pass('exposure.sensitive_files', `none of ${responses.length} sensitive paths serves real content`, evidence);
}
