/**
 * Static assets of the reference target, built in memory: fingerprinted JS/CSS/SVG (content hash in the
 * name), compressed lazily per encoding and cached. What depends on faults (the front-end config, source
 * map comments, fault-only images) is rebuilt per fault set; every version stays servable.
 */
import { createHash, randomBytes } from 'node:crypto';
import { brotliCompressSync, constants as zc, crc32, deflateSync, gzipSync } from 'node:zlib';
import { ANALYTICS_JS, APP_JS, DASHBOARD_JS } from './browser-scripts.js';
import type { Faults } from './faults.js';

export interface Asset {
  path: string;
  type: string;
  body: Buffer;
  etag: string;
  fingerprinted: boolean;
  text: boolean;
  /** Source map served at path + '.map' when the serve_source_maps fault is on. */
  map?: string;
  encoded: Map<string, Buffer>;
}

export interface AssetSet {
  css: string;
  config: string;
  app: string;
  dashboard: string;
  hero: string;
  logo: string;
  favicon: string;
  features: string[];
  vendor?: string;
  bigImage?: string;
  legacyImage?: string;
  mixedImage: string;
  missing: string;
}

const shortHash = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex').slice(0, 10);

function fingerprinted(name: string, ext: string, body: Buffer | string): string {
  return `/assets/${name}.${shortHash(body)}.${ext}`;
}

export class AssetRegistry {
  private readonly byPath = new Map<string, Asset>();
  private readonly sets = new Map<string, AssetSet>();
  private readonly stripeLive = 'pk_' + 'live_' + randomAlnum(24);
  private readonly stripeTest = 'pk_' + 'test_' + randomAlnum(24);
  // Built by concatenation at run time: no literal secret-shaped string exists in the repository.
  private readonly stripeSecret = 'sk' + '_' + 'live' + '_' + randomAlnum(24);
  private bigRandom: string | undefined;
  private bigSvg: Buffer | undefined;

  constructor(private readonly mixedOrigin: () => string) {
    this.add('/assets/analytics.js', 'text/javascript; charset=utf-8', ANALYTICS_JS, false);
    this.add('/favicon.ico', 'image/svg+xml', FAVICON_SVG, false);
  }

  get(path: string): Asset | undefined {
    return this.byPath.get(path);
  }

  /** The map file for `path` (…js.map), if the script has one. */
  mapFor(path: string): string | undefined {
    if (!path.endsWith('.map')) return undefined;
    return this.byPath.get(path.slice(0, -4))?.map;
  }

  /** Body for the accepted encoding (br preferred, then gzip), compressed once and cached. */
  encode(asset: Asset, acceptEncoding: string | undefined, allowCompression: boolean): { body: Buffer; encoding?: string } {
    if (!allowCompression || !asset.text || asset.body.length < 256 || acceptEncoding === undefined) return { body: asset.body };
    const accepted = parseAcceptEncoding(acceptEncoding);
    const pick = accepted.has('br') ? 'br' : accepted.has('gzip') ? 'gzip' : undefined;
    if (pick === undefined) return { body: asset.body };
    let out = asset.encoded.get(pick);
    if (out === undefined) {
      const big = asset.body.length > 200_000;
      out =
        pick === 'br'
          ? brotliCompressSync(asset.body, {
              params: { [zc.BROTLI_PARAM_QUALITY]: big ? 4 : 11, [zc.BROTLI_PARAM_SIZE_HINT]: asset.body.length },
            })
          : gzipSync(asset.body, { level: big ? 4 : 9 });
      asset.encoded.set(pick, out);
    }
    return { body: out, encoding: pick };
  }

  /** The asset set for these faults (memoised on the faults that shape assets). */
  forFaults(f: Faults): AssetSet {
    const key = JSON.stringify([
      f.secret_in_bundle,
      f.test_keys_in_bundle,
      f.serve_source_maps,
      f.console_error,
      f.slow_lcp,
      f.analytics_before_consent,
      f.dashboard_exception,
      f.big_bundle,
      f.oversized_image,
      f.image_legacy_format,
      f.mixed_content,
    ]);
    const hit = this.sets.get(key);
    if (hit !== undefined) return hit;
    const withMap = (name: string, source: string): string => {
      const path = fingerprinted(name, 'js', source + String(f.serve_source_maps));
      const mapName = `${path.split('/').pop() ?? name}.map`;
      const body = f.serve_source_maps ? `${source}\n//# sourceMappingURL=${mapName}\n` : source;
      const map = JSON.stringify({
        version: 3,
        file: path.split('/').pop(),
        sources: [`webpack://vor/src/${name}.ts`],
        sourcesContent: [source],
        names: [],
        mappings: 'AAAA',
      });
      this.add(path, 'text/javascript; charset=utf-8', body, true, map);
      return path;
    };
    const config: Record<string, unknown> = {
      release: 'vor-web@2.4.1',
      stripePublishableKey: f.test_keys_in_bundle ? this.stripeTest : this.stripeLive,
      plaidEnv: f.test_keys_in_bundle ? 'sandbox' : 'production',
      analyticsBeforeConsent: f.analytics_before_consent,
      consoleError: f.console_error,
      slowLcp: f.slow_lcp,
      dashboardException: f.dashboard_exception,
    };
    if (f.secret_in_bundle) config.stripeSecretKey = this.stripeSecret;
    const configJs = `/* VÖR front-end configuration */\nwindow.VOR_CONFIG = ${JSON.stringify(config, null, 2)};\n`;

    const css = fingerprinted('app', 'css', CSS);
    this.add(css, 'text/css; charset=utf-8', CSS, true);
    const hero = fingerprinted('hero', 'svg', HERO_SVG);
    this.add(hero, 'image/svg+xml', HERO_SVG, true);
    const logo = fingerprinted('logo', 'svg', LOGO_SVG);
    this.add(logo, 'image/svg+xml', LOGO_SVG, true);
    const favicon = fingerprinted('favicon', 'svg', FAVICON_SVG);
    this.add(favicon, 'image/svg+xml', FAVICON_SVG, true);
    const features = FEATURE_SVGS.map((svg, i) => {
      const p = fingerprinted(`feature-${i + 1}`, 'svg', svg);
      this.add(p, 'image/svg+xml', svg, true);
      return p;
    });
    const mixedImage = '/assets/pixel.svg';
    this.add(mixedImage, 'image/svg+xml', PIXEL_SVG, false);
    const set: AssetSet = {
      css,
      config: withMap('config', configJs),
      app: withMap('app', APP_JS),
      dashboard: withMap('dashboard', DASHBOARD_JS),
      hero,
      logo,
      favicon,
      features,
      mixedImage: `${this.mixedOrigin()}${mixedImage}`,
      missing: '/assets/partner-badge.0badc0de42.svg',
    };
    if (f.big_bundle) {
      this.bigRandom ??= randomBytes(640_000).toString('base64');
      set.vendor = withMap('vendor', `/* vendor bundle */\nwindow.__VOR_VENDOR__ = "${this.bigRandom}";\n`);
    }
    if (f.oversized_image) {
      this.bigSvg ??= Buffer.from(
        `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200" viewBox="0 0 400 200"><rect width="400" height="200" fill="#2d6a4f"/><!-- ${randomBytes(2_100_000).toString('base64')} --></svg>`,
      );
      const p = fingerprinted('banner-full', 'svg', this.bigSvg);
      this.add(p, 'image/svg+xml', this.bigSvg, true);
      set.bigImage = p;
    }
    if (f.image_legacy_format) {
      const png = makePng(16, 16);
      const p = fingerprinted('badge', 'png', png);
      this.add(p, 'image/png', png, true);
      set.legacyImage = p;
    }
    this.sets.set(key, set);
    return set;
  }

  private add(path: string, type: string, body: Buffer | string, isFingerprinted: boolean, map?: string): void {
    if (this.byPath.has(path)) return;
    const buf = typeof body === 'string' ? Buffer.from(body) : body;
    this.byPath.set(path, {
      path,
      type,
      body: buf,
      etag: `"${shortHash(buf)}"`,
      fingerprinted: isFingerprinted,
      text: /^(text\/|image\/svg|application\/(json|javascript))/.test(type),
      ...(map === undefined ? {} : { map }),
      encoded: new Map(),
    });
  }
}

export function parseAcceptEncoding(header: string): Set<string> {
  const out = new Set<string>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (name === undefined || name === '') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q !== undefined && Number(q.slice(2)) === 0) continue;
    out.add(name.trim());
  }
  return out;
}

function randomAlnum(n: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(n);
  let s = '';
  for (const b of bytes) s += alphabet[b % alphabet.length];
  return s;
}

/** A valid RGB PNG of w×h pixels (legacy-format fault). */
function makePng(w: number, h: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) {
      const o = y * (w * 3 + 1) + 1 + x * 3;
      raw[o] = 45;
      raw[o + 1] = 106 + x * 4;
      raw[o + 2] = 79 + y * 4;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="32" viewBox="0 0 96 32"><rect width="96" height="32" rx="6" fill="#1b4332"/><text x="48" y="22" font-family="sans-serif" font-size="16" font-weight="700" fill="#fff" text-anchor="middle">VÖR</text></svg>`;
const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1b4332"/><text x="16" y="22" font-family="sans-serif" font-size="14" font-weight="700" fill="#fff" text-anchor="middle">V</text></svg>`;
const PIXEL_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8" viewBox="0 0 8 8"><rect width="8" height="8" fill="#95d5b2"/></svg>`;

// A fine texture gives the hero the detail of a real photo: Chrome ignores low-entropy images
// (< 0.05 bits per pixel) as LCP candidates, and the slow_lcp fault needs the hero to be the LCP.
const HERO_TEXTURE = Array.from({ length: 900 }, (_, i) => {
  const r = (n: number): number => ((i + 1) * 2654435761 * (n + 7)) % 1000003;
  return `<rect x="${r(1) % 1200}" y="${r(2) % 520}" width="${2 + (r(3) % 9)}" height="${2 + (r(4) % 9)}" fill="#${(r(5) % 0xffffff).toString(16).padStart(6, '0')}"/>`;
}).join('');

const HERO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="520" viewBox="0 0 1200 520">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#1b4332"/><stop offset="1" stop-color="#40916c"/></linearGradient></defs>
<rect width="1200" height="520" fill="url(#g)"/>
<g fill="#fff" opacity="0.12">${Array.from({ length: 24 }, (_, i) => `<circle cx="${(i * 97) % 1200}" cy="${(i * 53) % 520}" r="${20 + ((i * 7) % 60)}"/>`).join('')}</g>
<g fill="none" stroke="#d8f3dc" stroke-width="6" opacity="0.8"><path d="M80 420 L300 300 L480 360 L700 200 L900 260 L1120 120"/></g>
<g opacity="0.06">${HERO_TEXTURE}</g>
<text x="80" y="120" font-family="sans-serif" font-size="56" font-weight="700" fill="#fff">All your money, one calm view.</text>
<text x="80" y="180" font-family="sans-serif" font-size="28" fill="#d8f3dc">Link your banks, see every transaction, pay securely.</text>
</svg>`;

const FEATURE_SVGS = ['#2d6a4f', '#40916c', '#52b788'].map(
  (c, i) =>
    `<svg xmlns="http://www.w3.org/2000/svg" width="360" height="240" viewBox="0 0 360 240"><rect width="360" height="240" rx="16" fill="${c}"/><circle cx="180" cy="110" r="${50 + i * 8}" fill="#fff" opacity="0.25"/><text x="180" y="210" font-family="sans-serif" font-size="22" fill="#fff" text-anchor="middle">${['Bank linking', 'Insights', 'Payments'][i]}</text></svg>`,
);

const CSS = `:root{--ink:#081c15;--brand:#1b4332;--accent:#40916c;--bg:#f7faf8;--muted:#52616b}
*{box-sizing:border-box}body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg);line-height:1.5}
a{color:var(--brand)}header.site{display:flex;align-items:center;gap:1rem;padding:.75rem 1.5rem;background:#fff;border-bottom:1px solid #dde5e0;position:relative}
header.site nav{margin-left:auto;display:flex;gap:1rem;align-items:center}
main{max-width:1200px;margin:0 auto;padding:1.5rem}
.hero{position:relative;min-height:300px}.hero img{width:100%;height:auto;display:block;border-radius:12px}
.hero-text h1{font-size:2.25rem;margin:.5rem 0}.hero-text p{color:var(--muted);font-size:1.1rem}
.spacer{height:900px;display:flex;align-items:flex-end;color:var(--muted)}
.features{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:1.5rem;margin-top:2rem}
.features figure{margin:0;background:#fff;border-radius:12px;padding:1rem;border:1px solid #dde5e0}.features img{width:100%;height:auto}
.corner{position:absolute;top:8px;right:8px;width:200px;height:100px;overflow:hidden}.corner img{width:200px;height:100px}
.badge{position:absolute;top:4px;left:50%}
footer.site{margin-top:3rem;padding:2rem 1.5rem;border-top:1px solid #dde5e0;display:flex;gap:1.5rem;color:var(--muted)}
#cookie-banner{position:fixed;left:1rem;right:1rem;bottom:1rem;background:#fff;border:1px solid #b7c9bf;border-radius:12px;padding:1rem 1.25rem;box-shadow:0 6px 24px rgba(0,0,0,.12);display:flex;gap:1rem;align-items:center;flex-wrap:wrap;z-index:10}
#cookie-banner[hidden]{display:none}#cookie-banner p{margin:0;flex:1 1 320px}
button,.button{background:var(--brand);color:#fff;border:0;border-radius:8px;padding:.6rem 1.1rem;font-size:1rem;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary{background:#e3ece7;color:var(--ink)}button.danger{background:#9d0208}
form.card,.card{background:#fff;border:1px solid #dde5e0;border-radius:12px;padding:1.25rem;max-width:560px}
label{display:block;margin:.75rem 0 .25rem;font-weight:600}input{width:100%;padding:.55rem .7rem;border:1px solid #b7c9bf;border-radius:8px;font-size:1rem}
input[type=checkbox]{width:auto}
.error{color:#9d0208;font-weight:600}.ok{color:#2d6a4f;font-weight:600}
table{width:100%;border-collapse:collapse;background:#fff;border-radius:12px;overflow:hidden;margin:1rem 0}th,td{text-align:left;padding:.55rem .75rem;border-bottom:1px solid #e6ede9}
td.amount{text-align:right;font-variant-numeric:tabular-nums}td.neg{color:#9d0208}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(240px,1fr));gap:1rem}
.account{background:#fff;border:1px solid #dde5e0;border-radius:12px;padding:1rem}.account .balance{font-size:1.5rem;font-weight:700}
.field-label{margin:.75rem 0 .25rem;font-weight:600}.card-field{border:1px solid #b7c9bf;border-radius:8px;padding:0 .7rem;background:#fff}
button:disabled{opacity:.6;cursor:progress}
.muted{color:var(--muted)}.pill{display:inline-block;padding:.1rem .5rem;border-radius:99px;background:#d8f3dc;font-size:.85rem}
`;
