/** Static assets: fingerprinted files with long caching, ETags, compression, CDN-like headers (each a fault away from broken). */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TargetState } from '../state.js';

/** Answers GET/HEAD for a known asset (or its source map); false when `path` is not one. */
export function serveAsset(state: TargetState, req: IncomingMessage, res: ServerResponse, path: string): boolean {
  const f = state.faults;
  const assets = state.assets;
  const mapBody = assets.mapFor(path);
  if (mapBody !== undefined) {
    if (!f.serve_source_maps) return false;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.end(mapBody);
    return true;
  }
  const asset = assets.get(path);
  if (asset === undefined) return false;
  res.setHeader('Content-Type', asset.type);
  const cache = f.static_no_store
    ? 'no-store'
    : asset.fingerprinted
      ? f.static_short_cache
        ? 'public, max-age=3600'
        : 'public, max-age=31536000, immutable'
      : 'public, max-age=300';
  res.setHeader('Cache-Control', cache);
  res.setHeader('ETag', asset.etag);
  res.setHeader('Vary', 'Accept-Encoding');
  if (!f.no_cdn) {
    res.setHeader('Via', '1.1 vor-edge');
    res.setHeader('X-Cache', 'HIT');
    res.setHeader('Age', String(Math.max(1, Math.floor((Date.now() - state.startedAt) / 1000))));
  }
  if (path === '/assets/analytics.js') {
    res.setHeader('Set-Cookie', `_vor_analytics=${randomBytes(8).toString('hex')}; Path=/; Max-Age=31536000; Secure; SameSite=Lax`);
  }
  if (req.headers['if-none-match'] === asset.etag && !f.static_no_store) {
    res.statusCode = 304;
    res.end();
    return true;
  }
  const enc = assets.encode(asset, req.headers['accept-encoding'], !f.static_uncompressed);
  if (enc.encoding !== undefined) res.setHeader('Content-Encoding', enc.encoding);
  res.setHeader('Content-Length', enc.body.length);
  res.end(enc.body);
  return true;
}
