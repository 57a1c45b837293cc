import {
  compileKnownSecrets,
  FRESH_PASSWORD_PATTERN,
  maskSecrets,
  REDACTED,
  searchableForms,
  valuesInSecretPositions,
  type KnownSecrets,
} from '../../src/core/mask.js';

export { FRESH_PASSWORD_PATTERN, REDACTED };

/** A harvested value shorter than this (a "theme=1" cookie) is not worth looking for elsewhere. */
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
 * session-like names, and JSON fields such as accessToken or password, at any JSON nesting.
 * They are then masked wherever else they appear.
 */
export function harvestSecrets(text: string): Set<string> {
  const found = new Set<string>();
  for (const { name, value } of valuesInSecretPositions(text)) {
    const lower = name.toLowerCase();
    if (lower === 'cookie' || lower === 'set-cookie') for (const v of cookieValues(value, lower === 'set-cookie')) found.add(v);
    else if (isLongEnough(value)) found.add(value.replace(/^(Bearer|Basic)\s+/i, ''));
  }
  const rawHeaders = /^(?:cookie|set-cookie):\s*(.+)$/gim;
  for (const [line = '', value = ''] of text.matchAll(rawHeaders)) for (const v of cookieValues(value, /^set-/i.test(line))) found.add(v);
  found.delete(REDACTED);
  return found;
}

const compiled = new WeakMap<readonly string[], KnownSecrets>();

/**
 * Masks every known secret (in each encoding it can take), every value in a secret-bearing position
 * and every always-secret shape. `secrets` are the values themselves, of any length; pass the same
 * array for every file of a scrub pass (it is compiled once).
 */
export function scrubText(text: string, secrets: readonly string[]): string {
  let known = compiled.get(secrets);
  if (known === undefined) {
    known = compileKnownSecrets(secrets);
    compiled.set(secrets, known);
  }
  return maskSecrets(text, known);
}

/** What to look for in binary files: the encoded forms of the secrets long enough not to match by chance. */
export function literalForms(secrets: Iterable<string>): string[] {
  return searchableForms(secrets);
}
