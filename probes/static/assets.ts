export type AssetKind = 'script' | 'style' | 'image' | 'other';

export interface AssetRef {
  readonly url: string;
  readonly kind: AssetKind;
}

const attribute = (tag: string, name: string): string | undefined =>
  new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i')
    .exec(tag)
    ?.slice(1)
    .find((v) => v !== undefined);

function resolve(raw: string | undefined, baseUrl: string): string | undefined {
  if (raw === undefined || raw.trim() === '' || /^(data|blob|javascript):/i.test(raw.trim())) return undefined;
  try {
    const url = new URL(raw.trim(), baseUrl);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function linkRef(tag: string, baseUrl: string): { url: string | undefined; kind: AssetKind } | undefined {
  const rel = (attribute(tag, 'rel') ?? '').toLowerCase();
  if (!/stylesheet|preload|modulepreload|icon/.test(rel)) return undefined;
  const as = (attribute(tag, 'as') ?? '').toLowerCase();
  const kind: AssetKind =
    rel.includes('stylesheet') || as === 'style' ? 'style' : rel.includes('modulepreload') || as === 'script' ? 'script' : 'other';
  return { url: resolve(attribute(tag, 'href'), baseUrl), kind };
}

/** Scripts, stylesheets, preloads and images a document references, in document order, without duplicates. */
export function discoverAssets(html: string, baseUrl: string, limit = 20): AssetRef[] {
  const found = new Map<string, AssetKind>();
  for (const match of html.matchAll(/<(script|link|img)\b[^>]*>/gi)) {
    const tag = match[0];
    const name = (match[1] ?? '').toLowerCase();
    const ref =
      name === 'link'
        ? linkRef(tag, baseUrl)
        : { url: resolve(attribute(tag, 'src'), baseUrl), kind: (name === 'img' ? 'image' : 'script') as AssetKind };
    if (ref === undefined) continue;
    const { url, kind } = ref;
    if (url !== undefined && !found.has(url)) found.set(url, kind);
    if (found.size >= limit) break;
  }
  return [...found].map(([url, kind]) => ({ url, kind }));
}

/** The bodies of inline <script> elements (scanned for secrets like served scripts). */
export function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script\b(?![^>]*\ssrc\s*=)[^>]*>([\s\S]*?)<\/script>/gi)]
    .map((m) => m[1] ?? '')
    .filter((s) => s.trim() !== '');
}

/**
 * checks.md "Fingerprinted asset": a file-name segment of at least 8 hex or base64url characters
 * (`app.3f9a1c2b.js`, `app-Bx7_k2Qa.css`), or a version query (`?v=…`). A base64url segment must
 * contain a digit or mixed case, so that plain words (`vendor-bootstrap.js`) do not count.
 */
export function isFingerprinted(url: string): boolean {
  const parsed = new URL(url);
  if (parsed.searchParams.has('v') || parsed.searchParams.has('version')) return true;
  const file = parsed.pathname.split('/').at(-1) ?? '';
  const segments = file.split(/[.\-~]/).slice(0, -1);
  if (segments.some((s) => s.length >= 8 && looksLikeHash(s))) return true;
  // Rollup/Vite's `[name]-[hash]`: an 8-character base64url hash may itself contain `-` (`index-BfG-3sLk.js`).
  const stem = file.replace(/\.[^.]*$/, '');
  const tail = /^.+-([0-9A-Za-z_-]{8})$/.exec(stem)?.[1];
  return tail !== undefined && tail.includes('-') && looksLikeHash(tail.replace(/-/g, ''));
}

/** Hex with a digit, or base64url with a digit or mixed case: not a plain word. */
function looksLikeHash(s: string): boolean {
  if (!/^[0-9A-Za-z_]+$/.test(s)) return false;
  return /^[0-9a-f]+$/.test(s) ? /\d/.test(s) : /\d/.test(s) || (/[a-z]/.test(s) && /[A-Z]/.test(s));
}
