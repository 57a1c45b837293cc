/**
 * Finding secrets in text, the one implementation behind the redactor (results, messages, output)
 * and the artifact scrubber (traces, Playwright reports). Two ways to find one:
 *
 * - by position: whatever sits in a secret-bearing place is masked whole, whatever its length or
 *   characters (password/token fields of JSON at any nesting, name/value pairs such as HAR headers and
 *   cookies, form and query parameters, Authorization/Cookie/Set-Cookie header lines, URL userinfo);
 * - by value: a known secret in any encoding (raw, JSON-escaped up to three levels deep, URL-encoded,
 *   HTML-escaped, base64). A long, varied secret is masked wherever it appears; a short or word-like
 *   one ("abc", "test") only where it is a whole value (a whole quoted string, a whole form value),
 *   since masking it inside other words would corrupt them and, by the gaps, reveal it.
 */

export const REDACTED = '[redacted]';

/** Throwaway passwords of users the suite creates have this shape, so they are found without being known. */
export const FRESH_PASSWORD_PATTERN = /vor-fresh-[0-9a-f]{24}/g;

/** Shapes that are secret wherever they appear, known or not. */
const SECRET_SHAPES: readonly RegExp[] = [
  FRESH_PASSWORD_PATTERN,
  /\b(sk|rk)_(live|test)_[0-9A-Za-z]{8,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\beyJ[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_-]*/g, // JWTs
];

/** A secret this long and varied, found inside other text, is the secret and not a word. */
export function isUnambiguous(secret: string): boolean {
  if (secret.length >= 12) return true;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((c) => c.test(secret)).length;
  return secret.length >= 8 && classes >= 2;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const jsonEscaped = (text: string): string => JSON.stringify(text).slice(1, -1);
const htmlEscaped = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** JSON nesting levels handled: a body (1) stored in a trace line (2) inside a report's data (3). */
const LEVELS = [1, 2, 3] as const;
/** At nesting level k a string's quote is preceded by 2^(k-1)-1 backslashes (`"`, `\"`, `\\\"`). */
const quoteAt = (level: number): string => `${'\\'.repeat(2 ** (level - 1) - 1)}"`;
const escapedTimes = (text: string, level: number): string => (level === 0 ? text : escapedTimes(jsonEscaped(text), level - 1));

/** The secret's text forms in output, by JSON nesting level (0 = as is), plus the URL- and HTML-encoded ones. */
function formsOf(secret: string): { byLevel: string[]; urlEncoded: string[]; other: string[] } {
  const urlEncoded = [...new Set([encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)])];
  return {
    byLevel: [0, ...LEVELS].map((level) => escapedTimes(secret, level)),
    urlEncoded,
    other: [htmlEscaped(secret), ...urlEncoded.map(jsonEscaped)],
  };
}

/**
 * The base64 text a secret leaves inside a longer encoded value (Basic credentials "user:secret"):
 * for each of the three byte alignments, the characters that depend on the secret's bytes alone.
 */
function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms: string[] = [];
  for (const offset of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const form = encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
    if (form.length >= 8) forms.push(form);
  }
  return forms;
}

/** Every encoded form of the secrets worth looking for in bytes (binary files): the unambiguous ones only. */
export function searchableForms(secrets: Iterable<string>): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (!isUnambiguous(secret)) continue;
    const { byLevel, urlEncoded, other } = formsOf(secret);
    for (const form of [...byLevel, ...urlEncoded, ...other, ...base64Forms(secret)]) forms.add(form);
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

/** Where a form or query value ends: the next parameter, a fragment, the end of a quoted string or line. */
const VALUE_END = `(?=[&;#"'\\\\\\s<>]|$)`;

/** Known secrets, compiled once per redactor or scrub pass. */
export interface KnownSecrets {
  /** Every form of every unambiguous secret, as one alternation (longest first). */
  readonly anywhere?: RegExp;
  /** Whole-value patterns of the short and word-like secrets. */
  readonly wholeValues: readonly RegExp[];
  /** Exact whole-text forms (a string that is nothing but the secret). */
  readonly exact: ReadonlySet<string>;
}

export function compileKnownSecrets(secrets: Iterable<string>): KnownSecrets {
  const distinct = [...new Set(secrets)].filter((s) => s !== '' && s !== REDACTED);
  const anywhere = searchableForms(distinct.filter(isUnambiguous));
  const wholeValues: RegExp[] = [];
  const exact = new Set<string>();
  for (const secret of distinct.filter((s) => !isUnambiguous(s))) {
    const { byLevel, urlEncoded, other } = formsOf(secret);
    for (const form of [...byLevel, ...urlEncoded, ...other]) exact.add(form);
    // A whole quoted value, not a key (`{"test":…}` keeps its structure). Its content is escaped for
    // its level, or one level less when a template quoted it without escaping (a trace's `Fill "…"` title).
    const quoted = LEVELS.flatMap((level) =>
      [byLevel[level - 1] ?? '', byLevel[level] ?? ''].map(
        (content) => `${escapeRegExp(quoteAt(level))}${escapeRegExp(content)}${escapeRegExp(quoteAt(level))}(?!\\s*:)`,
      ),
    );
    const singleQuoted = `'${escapeRegExp(secret)}'`;
    // A whole form value: `password=abc&…`, raw or encoded (a JSON-escaped form body included).
    const formValues = [...new Set([secret, byLevel[1] ?? '', ...urlEncoded])].map((f) => `(?<==)${escapeRegExp(f)}${VALUE_END}`);
    wholeValues.push(new RegExp([...quoted, singleQuoted].join('|'), 'g'), new RegExp(formValues.join('|'), 'g'));
  }
  return {
    ...(anywhere.length === 0 ? {} : { anywhere: new RegExp(anywhere.map(escapeRegExp).join('|'), 'g') }),
    wholeValues,
    exact,
  };
}

/** Replaces the secret inside a match and keeps its delimiters (`"abc"` → `"[redacted]"`). */
function maskInside(match: string): string {
  const quote = /^(\\*["'])/.exec(match)?.[1];
  return quote === undefined ? REDACTED : `${quote}${REDACTED}${quote}`;
}

export function maskKnownSecrets(text: string, known: KnownSecrets): string {
  if (known.exact.has(text)) return REDACTED;
  let out = known.anywhere === undefined ? text : text.replace(known.anywhere, REDACTED);
  for (const pattern of known.wholeValues) out = out.replace(pattern, maskInside);
  return out;
}

/** JSON keys whose string values are secrets (flags and numbers under them are left alone). */
const SECRET_FIELD =
  /^(?:[\w-]*[_-])?(?:password|passwd|pwd|secret|client[_-]?secret|(?:access|refresh|id|auth|csrf|xsrf|api|session|bearer)?[_-]?token|(?:api|secret|private|access)[_-]?key|apikey|authorization|cookie|set-cookie|session[_-]?id|sessid|jwt|dsn)$/i;
/** camelCase secret names: newPassword, clientSecret, xAuthToken. */
const SECRET_CAMEL_FIELD = /^[a-z][a-zA-Z]*(?:Password|Secret|Token|ApiKey|PrivateKey)$/;
/** Names in name/value pairs (HAR headers, cookies) whose value is a secret. */
const SECRET_HEADER = /^(cookie|set-cookie|authorization|proxy-authorization|x-csrf-token|x-xsrf-token|x-api-key|x-auth-token)$/i;
const SECRET_NAME = /sess|sid|token|auth|jwt|csrf|xsrf|password|passwd|secret|api[_-]?key/i;
/** Form and query parameter names whose value is a secret. */
const SECRET_PARAM =
  /^(?:[\w.-]*[_.-])?(?:password|passwd|pwd|pass|secret|token|key|apikey|auth|sig|signature|session|sessionid|sid|jwt|csrf|code)$/i;
const FLAG_VALUE = /^\s*(true|false|yes|no|on|off|none|null|\*)?\s*$/i;

/** Index of the closing quote's first backslash (or the quote itself) of a JSON string at `level`, from `start`. */
function stringEnd(text: string, start: number, level: number): number {
  const modulus = 2 ** level;
  const want = 2 ** (level - 1) - 1;
  let run = 0;
  for (let i = start; i < text.length && i < start + 65_536; i += 1) {
    const char = text[i];
    if (char === '"' && run % modulus === want) return i - want;
    if (char === '\n' && level === 1) return -1;
    run = char === '\\' ? run + 1 : 0;
  }
  return -1;
}

/** Cookie header values: every cookie's value masked, names kept ("a=[redacted]; b=[redacted]"). */
export const maskCookieValues = (value: string): string =>
  value.replace(/(^|;)(\s*[^=;\s]+)=([^;]*)/g, (_m, sep: string, name: string) => `${sep}${name}=${REDACTED}`);
/** A Set-Cookie line: the cookie's own value masked, its attributes (Path, Secure, …) kept. */
export const maskSetCookieValue = (value: string): string =>
  value.replace(/^(\s*[^=;\s]+)=([^;]*)/, (_m, name: string) => `${name}=${REDACTED}`);

function maskedValue(name: string, content: string): string {
  if (FLAG_VALUE.test(content)) return content;
  if (/^set-cookie$/i.test(name)) return maskSetCookieValue(content).replace(/(\\n|\n)(\s*[^=;\s]+)=([^;]*)/g, `$1$2=${REDACTED}`);
  if (/^cookie$/i.test(name)) return maskCookieValues(content);
  const scheme = /^(Basic|Bearer|Digest|Token|Negotiate)\s+\S/i.exec(content)?.[1];
  return scheme === undefined ? REDACTED : `${scheme} ${REDACTED}`;
}

type PositionVisitor = (name: string, content: string, level: number) => string;

/**
 * Calls `visit` for every JSON string value, at each nesting level, whose key (or name/value pair
 * name) says it is secret; the value's raw text is replaced by what `visit` returns.
 */
function visitJsonPositions(text: string, visit: PositionVisitor): string {
  let out = text;
  for (const level of LEVELS) {
    if (!out.includes(quoteAt(level))) continue;
    const q = escapeRegExp(quoteAt(level));
    const key = new RegExp(`(?<=[{,\\s[]|^)${q}([\\w.-]{1,64})${q}\\s*:\\s*${q}`, 'g');
    const pair = new RegExp(`${q}name${q}\\s*:\\s*${q}([^"\\\\]{1,100})${q}\\s*,\\s*${q}value${q}\\s*:\\s*${q}`, 'g');
    for (const [pattern, isSecret] of [
      [key, (name: string) => SECRET_FIELD.test(name) || SECRET_CAMEL_FIELD.test(name)],
      [pair, (name: string) => SECRET_HEADER.test(name) || SECRET_NAME.test(name)],
    ] as const) {
      let result = '';
      let from = 0;
      for (const match of out.matchAll(pattern)) {
        const name = match[1] ?? '';
        const start = match.index + match[0].length;
        if (start < from || !isSecret(name)) continue;
        const end = stringEnd(out, start, level);
        if (end < 0) continue;
        result += out.slice(from, start) + visit(name, out.slice(start, end), level);
        from = end;
      }
      out = result + out.slice(from);
    }
  }
  return out;
}

/** A JSON string value's text at nesting `level`, decoded to what it says. */
function decodeJsonString(content: string, level: number): string | undefined {
  let value = content;
  try {
    for (let i = 0; i < level; i += 1) value = JSON.parse(`"${value}"`) as string;
    return value;
  } catch {
    return undefined;
  }
}

/** The decoded values sitting in secret-bearing JSON positions (header pairs, cookies, token and password fields). */
export function valuesInSecretPositions(text: string): { name: string; value: string }[] {
  const found: { name: string; value: string }[] = [];
  visitJsonPositions(text, (name, content, level) => {
    const value = decodeJsonString(content, level);
    if (value !== undefined) found.push({ name, value });
    return content;
  });
  return found;
}

function maskParams(text: string): string {
  return text.replace(/(^|[?&;"'\s])([\w.-]{1,64})=([^&#;\s"'<>\\]+)/g, (whole, lead: string, name: string, value: string) =>
    SECRET_PARAM.test(name) && !FLAG_VALUE.test(value) && value !== REDACTED ? `${lead}${name}=${REDACTED}` : whole,
  );
}

function maskHeaderLines(text: string): string {
  return text.replace(
    /^([ \t]*)(authorization|proxy-authorization|cookie|set-cookie|x-csrf-token|x-api-key)(:[ \t]*)(.+)$/gim,
    (whole, indent: string, name: string, sep: string, value: string) => {
      const lower = name.toLowerCase();
      if (lower === 'cookie') return `${indent}${name}${sep}${maskCookieValues(value)}`;
      if (lower === 'set-cookie') return `${indent}${name}${sep}${maskSetCookieValue(value)}`;
      const scheme = /^(\S+)\s+\S/.exec(value)?.[1];
      if (lower.endsWith('authorization')) return scheme === undefined ? whole : `${indent}${name}${sep}${scheme} ${REDACTED}`;
      return `${indent}${name}${sep}${REDACTED}`;
    },
  );
}

/** URL userinfo ("https://user:password@host", a Sentry DSN's key) is a credential, never output. */
const maskUserinfo = (text: string): string =>
  text.replace(
    /\b([a-z][a-z0-9+.-]{1,20}:\/\/)([^\s/?#@"'<>\\[\]]+)@(?=[^\s/?#@"'<>]*[\w\]])/gi,
    (_m, scheme: string) => `${scheme}${REDACTED}@`,
  );

/** Masks whatever sits in a secret-bearing position, known or not. */
export function maskSecretPositions(text: string): string {
  let out = visitJsonPositions(text, (name, content) => maskedValue(name, content));
  out = maskHeaderLines(out);
  out = maskParams(out);
  out = maskUserinfo(out);
  // A credential has upper case, digits or symbols; "Basic authentication" is a phrase.
  out = out.replace(/\b(Bearer|Basic)\s+(?=[\w.~+/-]*[A-Z0-9.~+/=-])(?!\[redacted\])[\w.~+/-]{6,}=*/g, `$1 ${REDACTED}`);
  for (const shape of SECRET_SHAPES) out = out.replace(shape, REDACTED);
  return out;
}

/** Both passes: known secrets in every encoding, then secret-bearing positions and shapes. */
export const maskSecrets = (text: string, known: KnownSecrets): string => maskSecretPositions(maskKnownSecrets(text, known));

/**
 * A DSN for a message: scheme and host kept, key and path dropped ("https, host o1.ingest.sentry.io").
 * Not written as a URL with userinfo, which the position masker would blank out whole.
 */
export function describeDsn(dsn: string): string {
  if (!URL.canParse(dsn)) return 'an unparseable value';
  const url = new URL(dsn);
  return `${url.protocol.replace(/:$/, '')}, host ${url.host}`;
}
