import { defineProbe } from '../../src/core/probe.js';
import { skip } from '../../src/core/result.js';
import { httpRequest } from '../../src/net/http.js';
import { looksLikeHtml } from '../answer-shape.js';
import { mainDocument } from '../headers/documents.js';
import { discoverAssets } from './assets.js';
import { evaluateCacheHeaders, evaluateCdn, evaluateCompression, type AssetResponse } from './evaluate.js';

export const MAX_ASSETS = 10;

export const staticProbe = defineProbe({
  name: 'static',
  checks: ['static.cache_headers', 'static.compression', 'static.cdn'],
  async run(ctx) {
    const document = await mainDocument(ctx, 'static.cache_headers');
    const refs = discoverAssets(document.body, document.finalUrl).slice(0, MAX_ASSETS);
    const assets: AssetResponse[] = (
      await Promise.all(
        refs.map(async (ref) => {
          const response = await httpRequest(ctx, ref.url, {
            check: 'static.cache_headers',
            headers: { 'accept-encoding': 'br, gzip' },
            // An asset moved to another origin (a CDN) is simply not judged here.
            onCrossOriginRedirect: 'stop',
            maxBodyBytes: Math.min(ctx.options.maxBodyBytes, 3_000_000),
            onOversize: 'truncate',
          });
          // undici does not decode, so bodyBytes is what crossed the wire (Content-Length covers truncation).
          const transferredBytes = Number(response.headers['content-length'] ?? response.bodyBytes);
          // A catch-all host answers a missing asset with its landing page: that is not the asset.
          return response.status >= 200 && response.status < 300 && !looksLikeHtml(response) ? [{ response, transferredBytes }] : [];
        }),
      )
    ).flat();
    const findings = [evaluateCacheHeaders(assets, ctx.options), evaluateCompression(assets), evaluateCdn(assets)];
    if (refs.length === 0 || assets.length > 0) return findings;
    return findings.map((f) =>
      skip(
        f.id,
        'no_assets',
        `none of the ${refs.length} asset(s) the main document references is served (each answered an error or a page)`,
        {
          referenced: refs.map((r) => r.url),
        },
      ),
    );
  },
});
