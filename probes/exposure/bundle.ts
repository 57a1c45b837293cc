import { isProductionTarget } from '../../src/config/profile.js';
import { fail, pass, skip, warn, type Finding } from '../../src/core/result.js';
import { findSecrets, SECRET_PATTERNS, TEST_KEY_PATTERNS } from './secrets.js';

/** A script the main document uses (a served file, or the document's inline scripts). */
export interface ScannedScript {
  readonly url: string;
  readonly body: string;
  readonly truncated: boolean;
  readonly headers: Readonly<Record<string, string>>;
}

export function evaluateSecretsInBundle(scripts: readonly ScannedScript[]): Finding {
  const hits = scripts.flatMap((s) => findSecrets(s.body, SECRET_PATTERNS).map((m) => ({ url: s.url, kind: m.kind, excerpt: m.masked })));
  const evidence = { scanned: scripts.map((s) => s.url), truncated: scripts.filter((s) => s.truncated).map((s) => s.url) };
  const [first] = hits;
  if (first !== undefined) {
    return fail(
      'exposure.secrets_in_bundle',
      'secret_found',
      `${first.url} contains a ${first.kind.replace(/_/g, ' ')} (${first.excerpt})`,
      {
        ...evidence,
        secrets: hits,
      },
    );
  }
  return pass('exposure.secrets_in_bundle', `no secret in ${scripts.length} script(s)`, evidence);
}

/** Judged on production only: by the target's explicit setting, else by its environment's name (prod, production, prd, live). */
export function evaluateTestKeys(
  scripts: readonly ScannedScript[],
  environment: string,
  production: boolean = isProductionTarget({ environment }),
): Finding {
  if (!production) {
    return skip('exposure.test_keys', 'not_production', `test keys are expected on a ${environment} target; judged on production only`, {
      environment,
    });
  }
  const hits = scripts.flatMap((s) => findSecrets(s.body, TEST_KEY_PATTERNS).map((m) => ({ url: s.url, kind: m.kind, excerpt: m.masked })));
  const evidence = { environment, scanned: scripts.map((s) => s.url) };
  const [first] = hits;
  if (first !== undefined) {
    return fail(
      'exposure.test_keys',
      'test_key',
      `the production front end uses a ${first.kind.replace(/_/g, ' ')} (${first.excerpt}) in ${first.url}`,
      {
        ...evidence,
        testKeys: hits,
      },
    );
  }
  return pass('exposure.test_keys', `no test credentials in ${scripts.length} production script(s)`, evidence);
}

/** Where a script says its map is: the SourceMap header, the sourceMappingURL comment, else `<script>.map`. */
export function sourceMapUrlOf(script: ScannedScript): string {
  const declared =
    script.headers.sourcemap ?? script.headers['x-sourcemap'] ?? /\/\/[#@]\s*sourceMappingURL=(\S+)\s*$/m.exec(script.body)?.[1];
  if (declared !== undefined && !declared.startsWith('data:')) return new URL(declared, script.url).href;
  return `${script.url.replace(/[?#].*$/, '')}.map`;
}

export const looksLikeSourceMap = (status: number, body: string): boolean =>
  status === 200 && /"version"\s*:\s*3/.test(body) && /"mappings"\s*:/.test(body);

export function evaluateSourceMaps(maps: readonly { readonly url: string; readonly status: number; readonly isMap: boolean }[]): Finding {
  const served = maps.filter((m) => m.isMap);
  const evidence = { checked: maps.map((m) => ({ url: m.url, status: m.status })) };
  const [first] = served;
  if (first !== undefined) {
    return warn('exposure.source_maps', 'served', `source map ${first.url} is publicly served (${served.length} of ${maps.length})`, {
      ...evidence,
      served: served.map((m) => m.url),
    });
  }
  return pass(
    'exposure.source_maps',
    maps.length === 0 ? 'no scripts, so no source maps' : `none of ${maps.length} source map URL(s) is served`,
    evidence,
  );
}
