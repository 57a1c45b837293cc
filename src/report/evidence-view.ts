import type { Evidence, JsonValue } from '../core/result.js';

/**
 * Evidence as the report shows it: small tables and lists instead of a JSON dump. The shape is
 * read from the evidence itself (every probe family records headers, cookies, CORS exchanges,
 * TLS chains and rate-limit answers as flat records and lists of records), so a new check gets a
 * readable view without a renderer of its own. Values stay plain text: the template escapes them.
 */
export type EvidenceBlock =
  | { readonly kind: 'fields'; readonly caption?: string; readonly rows: readonly { readonly key: string; readonly value: string }[] }
  | { readonly kind: 'table'; readonly caption: string; readonly columns: readonly string[]; readonly rows: readonly (readonly string[])[] }
  | { readonly kind: 'list'; readonly caption: string; readonly items: readonly string[] }
  | { readonly kind: 'playwright'; readonly caption: string; readonly view: PlaywrightError };

export interface PlaywrightError {
  /** The first line: what failed ("expect(locator).toBeVisible() failed"). */
  readonly headline: string;
  /** Locator, Expected, Received, Timeout … as Playwright prints them. */
  readonly details: readonly { readonly key: string; readonly value: string }[];
  /** Anything else before the call log. */
  readonly text: string;
  /** The call log's lines, shown folded. */
  readonly callLog: readonly string[];
}

type JsonObject = { readonly [key: string]: JsonValue };

const isObject = (value: JsonValue): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const isScalar = (value: JsonValue): value is string | number | boolean | null => value === null || typeof value !== 'object';

/** camelCase and snake_case keys as words: "allowCredentials" → "allow credentials". */
export const humanKey = (key: string): string =>
  key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();

function scalarText(value: string | number | boolean | null): string {
  if (value === null) return '—';
  if (value === true) return 'yes';
  if (value === false) return 'no';
  return String(value);
}

/** One cell: scalars as text, a list joined, a record as "key: value" pairs, deeper things as compact JSON. */
function cellText(value: JsonValue): string {
  if (isScalar(value)) return scalarText(value);
  if (Array.isArray(value)) return value.every(isScalar) ? value.map(scalarText).join(', ') : JSON.stringify(value);
  const entries = Object.entries(value as JsonObject);
  if (entries.every(([, v]) => isScalar(v))) return entries.map(([k, v]) => `${k}: ${scalarText(v as string)}`).join('; ');
  return JSON.stringify(value);
}

// eslint-disable-next-line no-control-regex -- ANSI colour codes in Playwright's messages
const ANSI = /\u001b\[[0-9;]*m/g;
const DETAIL_LINE = /^\s*(Locator|Expected(?: pattern| string| substring)?|Received(?: string| value)?|Timeout|Error|Call):\s*(.*)$/;

export const looksLikePlaywrightError = (text: string): boolean =>
  /Call log:/.test(text) || /^(Error: )?(expect|locator|page)\.?[\w.]*\(/m.test(text) || /^(Timeout|TimeoutError)\b/.test(text);

/** Playwright's error message in its own expected/received form, the call log apart. */
export function parsePlaywrightError(raw: string): PlaywrightError {
  const text = raw.replace(ANSI, '').replace(/\r\n/g, '\n');
  const [head = '', log = ''] = text.split(/\n\s*Call log:\s*\n?/);
  const lines = head.split('\n');
  const headline = (lines.shift() ?? '').replace(/^Error:\s*/, '').trim();
  const details: { key: string; value: string }[] = [];
  const rest: string[] = [];
  for (const line of lines) {
    const match = DETAIL_LINE.exec(line);
    if (match !== null) details.push({ key: match[1] ?? '', value: (match[2] ?? '').trim() });
    else if (line.trim() !== '') rest.push(line.trimEnd());
  }
  const callLog = log
    .split('\n')
    .map((line) => line.replace(/^\s*-\s*/, '').trim())
    .filter((line) => line !== '');
  return { headline, details, text: rest.join('\n'), callLog };
}

function blocksOf(value: JsonValue, caption: string, out: EvidenceBlock[], depth: number): void {
  if (isScalar(value)) {
    if (typeof value === 'string' && looksLikePlaywrightError(value))
      out.push({ kind: 'playwright', caption: caption === 'error' ? 'Playwright error' : caption, view: parsePlaywrightError(value) });
    else out.push({ kind: 'fields', rows: [{ key: caption, value: scalarText(value) }] });
    return;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) out.push({ kind: 'fields', rows: [{ key: caption, value: 'none' }] });
    else if (value.every(isScalar)) {
      if (value.length === 1) out.push({ kind: 'fields', rows: [{ key: caption, value: scalarText(value[0] ?? null) }] });
      else out.push({ kind: 'list', caption, items: value.map(scalarText) });
    } else if (value.every(isObject)) {
      const columns = [...new Set(value.flatMap((row) => Object.keys(row)))];
      out.push({
        kind: 'table',
        caption,
        columns: columns.map(humanKey),
        rows: value.map((row) => columns.map((column) => (column in row ? cellText(row[column] ?? null) : ''))),
      });
    } else out.push({ kind: 'list', caption, items: value.map(cellText) });
    return;
  }
  const entries = Object.entries(value as JsonObject);
  if (depth > 1 || entries.every(([, v]) => isScalar(v) && !(typeof v === 'string' && looksLikePlaywrightError(v)))) {
    out.push({
      kind: 'fields',
      ...(caption === '' ? {} : { caption }),
      rows: entries.map(([k, v]) => ({ key: humanKey(k), value: cellText(v) })),
    });
    return;
  }
  for (const [key, child] of entries) blocksOf(child, caption === '' ? humanKey(key) : `${caption} › ${humanKey(key)}`, out, depth + 1);
}

/** Neighbouring one-line fields join into one table, so "url, status, elapsed" read as one block. */
function mergeFields(blocks: readonly EvidenceBlock[]): EvidenceBlock[] {
  const merged: EvidenceBlock[] = [];
  for (const block of blocks) {
    const last = merged.at(-1);
    if (block.kind === 'fields' && block.caption === undefined && last?.kind === 'fields' && last.caption === undefined)
      merged[merged.length - 1] = { kind: 'fields', rows: [...last.rows, ...block.rows] };
    else merged.push(block);
  }
  return merged;
}

export function evidenceBlocks(evidence: Evidence): EvidenceBlock[] {
  const out: EvidenceBlock[] = [];
  for (const [key, value] of Object.entries(evidence)) blocksOf(value, humanKey(key), out, 1);
  return mergeFields(out);
}
