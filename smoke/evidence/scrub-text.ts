export const REDACTED = '[redacted]';

/** Throwaway passwords of users the suite creates have this shape, so they are found without being known. */
export const FRESH_PASSWORD_PATTERN = /vor-fresh-[0-9a-f]{24}/g;

const ALWAYS_SECRET: readonly RegExp[] = [
  FRESH_PASSWORD_PATTERN,
  /\beyJ[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_-]*/g, // JWTs
  /\bBearer\s+[0-9A-Za-z._~+/-]{8,}=*/gi,
  /\b(sk|rk)_(live|test)_[0-9A-Za-z]{8,}/g,
];

const SECRET_HEADER = /^(cookie|set-cookie|authorization|x-csrf-token|proxy-authorization)$/i;
const SECRET_NAME = /sess|sid|token|auth|jwt|csrf|password|secret/i;
const MIN_HARVESTED = 8;

const isLongEnough = (value: string): boolean => value.length >= MIN_HARVESTED;

function cookieValues(header: string, isSetCookie: boolean): string[] {
  const lines = header.split(/\\n|\n/);
  return lines.flatMap((line) => {
    const pairs = isSetCookie ? [line.split(';')[0] ?? ''] : line.split(';');
    return pairs.map((pair) => pair.slice(pair.indexOf('=') + 1).trim()).filter(isLongEnough);
  });
}
/**
 * Finds secrets by where they sit rather than by knowing them: cookie, Set-Cookie and
 * Authorization header values (HAR/trace `{name, value}` pairs), storage-state cookies with
 * session-like names, and JSON fields such as accessToken or password.
 */
export function harvestSecrets(text: string): Set<string> {
  const found = new Set<string>();
  const pairs = /"name"\s*:\s*"([^"]{1,100})"\s*,\s*"value"\s*:\s*"((?:[^"\\]|\\.){1,8192})"/g;
  for (const [, name = '', value = ''] of text.matchAll(pairs)) {
    if (SECRET_HEADER.test(name)) {
      const lower = name.toLowerCase();
      if (lower === 'cookie' || lower === 'set-cookie') for (const v of cookieValues(value, lower === 'set-cookie')) found.add(v);
      else found.add(value.replace(/^(Bearer|Basic)\s+/i, ''));
    } else if (SECRET_NAME.test(name) && value.length >= MIN_HARVESTED) {
      found.add(value);
    }
  }
  // Also inside JSON-in-JSON (a response body stored as a string): the quotes may be escaped.
  const fields =
    /\\?"(accessToken|access_token|refreshToken|refresh_token|idToken|token|password|sessionId|session)\\?"\s*:\s*\\?"([^"\\]{1,8192})/gi;
  for (const [, , value = ''] of text.matchAll(fields)) if (value.length >= MIN_HARVESTED) found.add(value);
  const rawHeaders = /^(?:cookie|set-cookie):\s*(.+)$/gim;
  for (const [line = '', value = ''] of text.matchAll(rawHeaders)) for (const v of cookieValues(value, /^set-/i.test(line))) found.add(v);
  found.delete(REDACTED);
  return found;
}

/** Replaces every known literal and every always-secret shape with [redacted]. */
export function scrubText(text: string, literals: readonly string[]): string {
  let out = text;
  for (const literal of literals) {
    if (literal.length < 4 || !out.includes(literal)) continue;
    out = out.split(literal).join(REDACTED);
  }
  for (const pattern of ALWAYS_SECRET) out = out.replace(pattern, REDACTED);
  return out;
}

/** Literals to look for, longest first, plus their JSON-escaped and URL-encoded forms (bodies and query strings). */
export function literalForms(secrets: Iterable<string>): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(encodeURIComponent(secret));
  }
  return [...forms].filter((f) => f.length >= 4).sort((a, b) => b.length - a.length);
}
