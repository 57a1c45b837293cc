import type { ProbeOptions } from '../../src/config/schema.js';
import { fail, pass, skip, warn, type Finding } from '../../src/core/result.js';
import { headerOf, type HttpSnapshot } from '../../src/net/http.js';
import { isFingerprinted } from './assets.js';

/** One fetched asset: its answer and how many bytes came over the wire. */
export interface AssetResponse {
  readonly response: HttpSnapshot;
  readonly transferredBytes: number;
}

export interface CacheControl {
  readonly noStore: boolean;
  readonly noCache: boolean;
  readonly immutable: boolean;
  readonly maxAgeSeconds?: number;
}

export function parseCacheControl(header: string | null): CacheControl {
  const directives = (header ?? '').split(',').map((d) => d.trim().toLowerCase());
  const maxAge = directives.map((d) => /^(?:s-)?max-age\s*=\s*"?(\d+)"?$/.exec(d)?.[1]).find((v) => v !== undefined);
  return {
    noStore: directives.includes('no-store'),
    noCache: directives.includes('no-cache'),
    immutable: directives.includes('immutable'),
    ...(maxAge === undefined ? {} : { maxAgeSeconds: Number(maxAge) }),
  };
}

const noAssets = (id: Finding['id']): Finding => skip(id, 'no_assets', 'the main document references no scripts, stylesheets or images');

export function evaluateCacheHeaders(
  assets: readonly AssetResponse[],
  options: Pick<ProbeOptions, 'staticFingerprintMinMaxAgeSeconds'>,
): Finding {
  if (assets.length === 0) return noAssets('static.cache_headers');
  const rows = assets.map(({ response: r }) => {
    const cc = parseCacheControl(headerOf(r, 'cache-control'));
    return {
      url: r.url,
      fingerprinted: isFingerprinted(r.url),
      cacheControl: headerOf(r, 'cache-control'),
      hasValidator: headerOf(r, 'etag') !== null || headerOf(r, 'last-modified') !== null,
      cc,
    };
  });
  const evidence = { assets: rows.map(({ cc: _cc, ...row }) => row) };
  const failing = rows.flatMap((row) => {
    if (row.cc.noStore) return [{ row, reason: 'no_store', why: 'is no-store' }];
    if (!row.fingerprinted) return [];
    if (row.cc.noCache) return [{ row, reason: 'no_cache', why: 'is fingerprinted but no-cache' }];
    if (!((row.cc.maxAgeSeconds ?? 0) > 0) && !row.hasValidator) {
      return [{ row, reason: 'not_cacheable', why: 'is fingerprinted but has neither a positive max-age nor a validator' }];
    }
    return [];
  });
  const [firstFail] = failing;
  if (firstFail !== undefined) return fail('static.cache_headers', firstFail.reason, `${firstFail.row.url} ${firstFail.why}`, evidence);
  const weak = rows.flatMap((row) => {
    if (!row.fingerprinted) return [];
    if ((row.cc.maxAgeSeconds ?? 0) < options.staticFingerprintMinMaxAgeSeconds) {
      return [
        {
          row,
          reason: 'short_max_age',
          why: `max-age ${row.cc.maxAgeSeconds ?? 0} s is below ${options.staticFingerprintMinMaxAgeSeconds} s`,
        },
      ];
    }
    if (!row.cc.immutable) return [{ row, reason: 'not_immutable', why: 'lacks immutable' }];
    return [];
  });
  const [firstWeak] = weak;
  if (firstWeak !== undefined)
    return warn('static.cache_headers', firstWeak.reason, `fingerprinted asset ${firstWeak.row.url}: ${firstWeak.why}`, evidence);
  return pass('static.cache_headers', `${rows.length} asset(s) have sound cache headers`, evidence);
}

const TEXT_TYPE = /^\s*(text\/|application\/(x-javascript|javascript|ecmascript|json|xml|wasm|manifest\+json)|image\/svg\+xml)/i;
export const COMPRESSIBLE_MIN_BYTES = 1024;

export function evaluateCompression(assets: readonly AssetResponse[]): Finding {
  if (assets.length === 0) return noAssets('static.compression');
  const text = assets.filter(({ response: r }) => TEXT_TYPE.test(headerOf(r, 'content-type') ?? ''));
  const rows = text.map(({ response: r, transferredBytes }) => ({
    url: r.url,
    contentEncoding: headerOf(r, 'content-encoding'),
    transferredBytes,
  }));
  const evidence = { acceptEncoding: 'br, gzip', assets: rows };
  const uncompressed = rows.filter(
    (r) => (r.contentEncoding === null || r.contentEncoding === 'identity') && r.transferredBytes > COMPRESSIBLE_MIN_BYTES,
  );
  const [first] = uncompressed;
  if (first !== undefined) {
    return fail(
      'static.compression',
      'uncompressed',
      `${first.url} (${first.transferredBytes} bytes) is sent uncompressed although br/gzip was accepted`,
      evidence,
    );
  }
  return pass('static.compression', `${rows.length} text asset(s) over 1 KB are compressed`, evidence);
}

const CDN_HEADERS = [
  'via',
  'x-cache',
  'age',
  'cf-ray',
  'cf-cache-status',
  'x-amz-cf-id',
  'x-amz-cf-pop',
  'x-served-by',
  'x-fastly-request-id',
  'x-akamai-transformed',
  'x-vercel-cache',
  'x-azure-ref',
  'cdn-cache-control',
  'x-cdn',
];
const CDN_SERVERS = /cloudflare|cloudfront|akamai|fastly|varnish|bunnycdn|keycdn|netlify|vercel/i;

export function evaluateCdn(assets: readonly AssetResponse[]): Finding {
  if (assets.length === 0) return noAssets('static.cdn');
  const signs = assets.flatMap(({ response: r }) => [
    ...CDN_HEADERS.filter((h) => headerOf(r, h) !== null).map((h) => ({ url: r.url, header: h, value: headerOf(r, h) })),
    ...(CDN_SERVERS.test(headerOf(r, 'server') ?? '') ? [{ url: r.url, header: 'server', value: headerOf(r, 'server') }] : []),
  ]);
  const evidence = { assets: assets.map((a) => a.response.url), signs: signs.slice(0, 10) };
  if (signs.length === 0) {
    return {
      ...warn(
        'static.cdn',
        'no_cdn',
        `no sign of a CDN in front of ${assets.length} asset(s) (no Via, X-Cache, Age or provider headers)`,
        evidence,
      ),
      severity: 'info',
    };
  }
  return pass('static.cdn', `assets are served through a CDN (${signs[0]?.header})`, evidence);
}
