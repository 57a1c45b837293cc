import type { Evidence, JsonValue } from './result.js';

export const MAX_EVIDENCE_STRING = 512;
const MAX_ARRAY_ITEMS = 50;
const MAX_DEPTH = 6;
const MASK = '[redacted]';

const SECRET_KEY = /pass(word)?|secret|token|authorization|^cookie$|api[-_]?key|dsn|private|session[-_]?id|credential/i;
/** Values of a secret-named key that are flags, not secrets (`allowCredentials: "true"` is a finding to show). */
const FLAG_VALUE = /^\s*(true|false|yes|no|on|off|none|null|\*)?\s*$/i;
const SECRET_VALUE: readonly RegExp[] = [
  /\b(sk|rk)_(live|test)_[0-9A-Za-z]{8,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\beyJ[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_-]*/g,
  /\bBearer\s+[0-9A-Za-z._~+/-]+=*/gi,
  /https?:\/\/[0-9a-f]{16,}@[^\s"']+/gi,
];

/** Values the caller knows are secret (test-user password, DSN) are masked wherever they appear. */
export interface Redactor {
  readonly string: (value: string) => string;
  readonly evidence: (evidence: Evidence) => Evidence;
}

function maskCookieValues(value: string): string {
  // "name=value; Path=/" → "name=[redacted]; Path=/", only the first pair is the cookie itself.
  return value.replace(/^(\s*[^=;\s]+)=([^;]*)/, (_m, name: string) => `${name}=${MASK}`);
}

/** A Cookie request header carries several cookies ("a=1; vor_session=…"): every value is masked. */
function maskAllCookieValues(value: string): string {
  return value.replace(/(^|;)(\s*[^=;\s]+)=([^;]*)/g, (_m, sep: string, name: string) => `${sep}${name}=${MASK}`);
}

/** A known secret as it may appear echoed back: verbatim, URL-encoded (form bodies, query strings) or JSON-escaped. */
function encodedForms(secret: string): string[] {
  const forms = [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
  ];
  return [...new Set(forms)];
}

export function createRedactor(knownSecrets: readonly string[] = []): Redactor {
  const literals = knownSecrets
    .filter((s) => s.length >= 4)
    .flatMap(encodedForms)
    .sort((a, b) => b.length - a.length);

  const string = (value: string): string => {
    let out = value;
    for (const literal of literals) out = out.split(literal).join(MASK);
    for (const pattern of SECRET_VALUE) out = out.replace(pattern, MASK);
    return out.length > MAX_EVIDENCE_STRING ? `${out.slice(0, MAX_EVIDENCE_STRING)}…[${out.length - MAX_EVIDENCE_STRING} more chars]` : out;
  };

  const walk = (value: JsonValue, key: string, depth: number): JsonValue => {
    if (typeof value === 'string') {
      if (SECRET_KEY.test(key) && !FLAG_VALUE.test(value)) return MASK;
      if (/^set-?cookie$/i.test(key)) return string(maskCookieValues(value));
      if (/cookie/i.test(key)) return string(maskAllCookieValues(value));
      return string(value);
    }
    if (value === null || typeof value !== 'object') return value;
    if (depth >= MAX_DEPTH) return '[truncated]';
    if (Array.isArray(value)) {
      const items = (value as readonly JsonValue[]).slice(0, MAX_ARRAY_ITEMS).map((item) => walk(item, key, depth + 1));
      return value.length > MAX_ARRAY_ITEMS ? [...items, `…${value.length - MAX_ARRAY_ITEMS} more`] : items;
    }
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value as Record<string, JsonValue>)) {
      if (v === undefined) continue;
      const masked =
        SECRET_KEY.test(k) && typeof v !== 'boolean' && typeof v !== 'number' && !(typeof v === 'string' && FLAG_VALUE.test(v));
      out[k] = masked ? MASK : walk(v, k, depth + 1);
    }
    return out;
  };

  return {
    string,
    evidence: (evidence) => walk(evidence as JsonValue, '', 0) as Evidence,
  };
}
