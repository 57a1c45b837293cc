import { defineProbe, type ProbeContext } from '../../src/core/probe.js';
import type { Finding } from '../../src/core/result.js';
import { httpRequest, type HttpSnapshot } from '../../src/net/http.js';
import { mainDocument } from '../headers/documents.js';
import { discoverAssets, inlineScripts } from '../static/assets.js';
import {
  evaluateSecretsInBundle,
  evaluateSourceMaps,
  evaluateTestKeys,
  looksLikeSourceMap,
  sourceMapUrlOf,
  type ScannedScript,
} from './bundle.js';
import { evaluateSensitiveFiles, SENSITIVE_FILES } from './files.js';
import { evaluateErrorLeak, HOSTILE_QUERIES, isJudgeableQueryEndpoint, PLAIN_QUERY } from './leak.js';

/** Bounds on bundle scanning: scripts per document, bytes per script, source maps fetched. */
export const MAX_SCRIPTS = 8;
export const MAX_SCRIPT_BYTES = 3_000_000;
export const MAX_MAPS = 4;

const small = { maxBodyBytes: 64 * 1024, onOversize: 'truncate' } as const;

function sensitiveFiles(ctx: ProbeContext): Promise<HttpSnapshot[]> {
  const origin = ctx.target.origin;
  return Promise.all(
    SENSITIVE_FILES.map((f) =>
      httpRequest(ctx, `${origin}${f.path}`, { check: 'exposure.sensitive_files', followRedirects: false, ...small }),
    ),
  );
}

function scripts(ctx: ProbeContext): Promise<ScannedScript[]> {
  return ctx.observe('exposure-scripts', async () => {
    const document = await mainDocument(ctx, 'exposure.secrets_in_bundle');
    const served = discoverAssets(document.body, document.finalUrl)
      .filter((a) => a.kind === 'script')
      .slice(0, MAX_SCRIPTS);
    const fetched = await Promise.all(
      served.map(async (asset) => {
        const r = await httpRequest(ctx, asset.url, {
          check: 'exposure.secrets_in_bundle',
          maxBodyBytes: Math.min(MAX_SCRIPT_BYTES, ctx.options.maxBodyBytes),
          onOversize: 'truncate',
          onCrossOriginRedirect: 'stop',
        });
        return r.status === 200 ? [{ url: asset.url, body: r.body, truncated: r.truncated, headers: r.headers }] : [];
      }),
    );
    const inline = inlineScripts(document.body).join('\n');
    return [
      ...(inline === ''
        ? []
        : [{ url: `${document.finalUrl} (inline scripts)`, body: inline, truncated: document.truncated, headers: {} }]),
      ...fetched.flat(),
    ];
  });
}

async function sourceMaps(ctx: ProbeContext, list: readonly ScannedScript[]) {
  const urls = [...new Set(list.filter((s) => !s.url.endsWith('(inline scripts)')).map(sourceMapUrlOf))].slice(0, MAX_MAPS);
  return Promise.all(
    urls.map(async (url) => {
      const r = await httpRequest(ctx, url, { check: 'exposure.source_maps', onCrossOriginRedirect: 'stop', ...small });
      return { url, status: r.status, isMap: looksLikeSourceMap(r.status, r.body) };
    }),
  );
}

async function errorLeak(ctx: ProbeContext): Promise<Finding> {
  const ask = (query: string) =>
    httpRequest(ctx, `${ctx.target.queryUrl}${query}`, { check: 'exposure.error_leak', headers: { accept: 'application/json' }, ...small });
  const plain = await ask(PLAIN_QUERY);
  const hostile = !isJudgeableQueryEndpoint(plain) ? [] : await Promise.all(HOSTILE_QUERIES.map(ask));
  return evaluateErrorLeak(plain, hostile);
}

export const exposureProbe = defineProbe({
  name: 'exposure',
  checks: ['exposure.sensitive_files', 'exposure.secrets_in_bundle', 'exposure.test_keys', 'exposure.source_maps', 'exposure.error_leak'],
  async run(ctx): Promise<Finding[]> {
    const [files, list, leak] = await Promise.all([sensitiveFiles(ctx), scripts(ctx), errorLeak(ctx)]);
    const maps = await sourceMaps(ctx, list);
    return [
      evaluateSensitiveFiles(files),
      evaluateSecretsInBundle(list),
      evaluateTestKeys(list, ctx.target.environment, ctx.target.production),
      evaluateSourceMaps(maps),
      leak,
    ];
  },
});
