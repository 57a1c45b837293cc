import { escapeControlCharsButNewlines } from './control-chars.js';
import { compileKnownSecrets, maskCookieValues, maskSecrets, maskSetCookieValue, REDACTED } from './mask.js';
import type { Evidence, JsonValue } from './result.js';

export const MAX_EVIDENCE_STRING = 512;
const MAX_ARRAY_ITEMS = 50;
const MAX_DEPTH = 6;

/** Evidence keys whose string values are secrets whatever they look like. */
const SECRET_KEY = /pass(word)?|secret|token|authorization|^cookie$|api[-_]?key|dsn|private|session[-_]?id|credential/i;
/** Values of a secret-named key that are flags, not secrets (`allowCredentials: "true"` is a finding to show). */
const FLAG_VALUE = /^\s*(true|false|yes|no|on|off|none|null|\*)?\s*$/i;

/** Values the caller knows are secret (test-user password, DSN) are masked wherever they appear, in any encoding. */
export interface Redactor {
  readonly string: (value: string) => string;
  readonly evidence: (evidence: Evidence) => Evidence;
}

export function createRedactor(knownSecrets: readonly string[] = []): Redactor {
  const known = compileKnownSecrets(knownSecrets);

  // Control characters from the target are shown as escapes: redacted text ends up on terminals and in reports.
  const string = (value: string): string => {
    const out = escapeControlCharsButNewlines(maskSecrets(value, known));
    return out.length > MAX_EVIDENCE_STRING ? `${out.slice(0, MAX_EVIDENCE_STRING)}…[${out.length - MAX_EVIDENCE_STRING} more chars]` : out;
  };

  const walk = (value: JsonValue, key: string, depth: number): JsonValue => {
    if (typeof value === 'string') {
      if (SECRET_KEY.test(key) && !FLAG_VALUE.test(value)) return REDACTED;
      if (/^set-?cookie$/i.test(key)) return string(maskSetCookieValue(value));
      if (/cookie/i.test(key)) return string(maskCookieValues(value));
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
      out[k] = masked ? REDACTED : walk(v, k, depth + 1);
    }
    return out;
  };

  return {
    string,
    evidence: (evidence) => walk(evidence as JsonValue, '', 0) as Evidence,
  };
}
