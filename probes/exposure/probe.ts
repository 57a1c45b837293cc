import { defineProbe, type ProbeContext } from '../../src/core/probe.js';
import type { CheckId } from '../../src/core/catalogue.js';
import { errored, type Finding } from '../../src/core/result.js';
import { classifyFailure, ProbeFailure } from '../../src/net/failure.js';
import { httpRequest, type HttpSnapshot } from '../../src/net/http.js';
import { looksLikeHtml } from '../answer-shape.js';
import { mainDocument } from '../headers/documents.js';
import { discoverAssets, inlineScripts } from '../static/assets.js';
import {
  evaluateSecretsInBundle,
  evaluateSourceMaps,
  evaluateTestKeys,
  judgedOnServedCode,
  looksLikeSourceMap,
  sourceMapUrlOf,
  type ScannedScript,
  type ScriptSet,
} from './bundle.js';
import { evaluateSensitiveFiles, SENSITIVE_FILES } from './files.js';
import { evaluateErrorLeak, HOSTILE_QUERIES, isJudgeableQueryEndpoint, PLAIN_QUERY } from './leak.js';

/** Bounds on bundle scanning: scripts per document, bytes per script, source maps fetched. */
export const MAX_SCRIPTS = 8;
export const MAX_SCRIPT_BYTES = 3_000_000;
export const MAX_MAPS = 4;

/** A source map is recognised from its first bytes (its first key), so 64 KB of a map of any size will do. */
const small = { maxBodyBytes: 64 * 1024, onOversize: 'truncate' } as const;

function sensitiveFiles(ctx: ProbeContext): Promise<HttpSnapshot[]> {
  const origin = ctx.target.origin;
  return Promise.all(
    SENSITIVE_FILES.map((f) =>
      httpRequest(ctx, `${origin}${f.path}`, { check: 'exposure.sensitive_files', followRedirects: false, ...small }),
    ),
  );
}

/** A referenced script answered with a page or an error status: no code of it was seen. */
const servedAsCode = (r: HttpSnapshot): boolean => r.status === 200 && !looksLikeHtml(r);

function scripts(ctx: ProbeContext): Promise<ScriptSet> {
  return ctx.observe('exposure-scripts', async () => {
    const document = await mainDocument(ctx, 'exposure.secrets_in_bundle');
    const referenced = discoverAssets(document.body, document.finalUrl)
      .filter((a) => a.kind === 'script')
      .slice(0, MAX_SCRIPTS);
    const fetched = await Promise.all(
      referenced.map(async (asset) => ({
        url: asset.url,
        response: await httpRequest(ctx, asset.url, {
          check: 'exposure.secrets_in_bundle',
          maxBodyBytes: Math.min(MAX_SCRIPT_BYTES, ctx.options.maxBodyBytes),
          onOversize: 'truncate',
        }),
      })),
    );
    const inline = inlineScripts(document.body).join('\n');
    const served: ScannedScript[] = fetched
      .filter(({ response }) => servedAsCode(response))
      .map(({ url, response: r }) => ({ url, body: r.body, truncated: r.truncated, headers: r.headers }));
    return {
      scripts: [
        ...(inline === ''
          ? []
          : [{ url: `${document.finalUrl} (inline scripts)`, body: inline, truncated: document.truncated, headers: {} }]),
        ...served,
      ],
      referenced: referenced.length,
      unserved: fetched
        .filter(({ response }) => !servedAsCode(response))
        .map(({ url, response: r }) => ({ url, status: r.status, html: looksLikeHtml(r) })),
    };
  });
}

async function sourceMaps(ctx: ProbeContext, list: readonly ScannedScript[]) {
  const urls = [...new Set(list.filter((s) => !s.url.endsWith('(inline scripts)')).map(sourceMapUrlOf))].slice(0, MAX_MAPS);
  return Promise.all(
    urls.map(async (url) => {
      const r = await httpRequest(ctx, url, { check: 'exposure.source_maps', ...small });
      return { url, status: r.status, isMap: looksLikeSourceMap(r.status, r.body, r.truncated) };
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

/** One part of the family that could not be evaluated errors its own checks; the other parts still count. */
async function settled(ctx: ProbeContext, ids: readonly CheckId[], part: () => Promise<Finding[]>): Promise<Finding[]> {
  try {
    return await part();
  } catch (error) {
    // The probe's own deadline (or the run's) is the runner's to report.
    if (ctx.signal.aborted) throw error;
    const { reason, detail } = error instanceof ProbeFailure ? { reason: error.reason, detail: error.message } : classifyFailure(error);
    return ids.map((id) => errored(id, reason, `${id} of ${ctx.target.origin} could not be evaluated: ${detail}`, { detail }));
  }
}

export const exposureProbe = defineProbe({
  name: 'exposure',
  checks: ['exposure.sensitive_files', 'exposure.secrets_in_bundle', 'exposure.test_keys', 'exposure.source_maps', 'exposure.error_leak'],
  async run(ctx): Promise<Finding[]> {
    const parts = await Promise.all([
      settled(ctx, ['exposure.sensitive_files'], async () => [evaluateSensitiveFiles(await sensitiveFiles(ctx))]),
      settled(ctx, ['exposure.secrets_in_bundle', 'exposure.test_keys', 'exposure.source_maps'], async () => {
        const set = await scripts(ctx);
        const maps = await sourceMaps(ctx, set.scripts);
        return [
          judgedOnServedCode(await evaluateSecretsInBundle(set.scripts), set),
          judgedOnServedCode(evaluateTestKeys(set.scripts, ctx.target.environment, ctx.target.production), set),
          judgedOnServedCode(evaluateSourceMaps(maps), set, maps),
        ];
      }),
      settled(ctx, ['exposure.error_leak'], async () => [await errorLeak(ctx)]),
    ]);
    return parts.flat();
  },
});
