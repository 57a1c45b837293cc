import { isProductionTarget } from '../../src/config/profile.js';
import { errored, fail, pass, skip, warn, type Finding } from '../../src/core/result.js';
import { findSecretsInCode, findTestKeys } from './secrets.js';

/** A script the main document uses (a served file, or the document's inline scripts). */
export interface ScannedScript {
  readonly url: string;
  readonly body: string;
  readonly truncated: boolean;
  readonly headers: Readonly<Record<string, string>>;
}

/** The main document's scripts: those served as code, and those referenced that answered a page or an error instead. */
export interface ScriptSet {
  readonly scripts: readonly ScannedScript[];
  /** External scripts the document references (bounded). */
  readonly referenced: number;
  readonly unserved: readonly { readonly url: string; readonly status: number; readonly html: boolean }[];
}

/**
 * A finding that rests on code not containing something holds only if code was seen: every
 * referenced script answering a page or an error is `no_scripts`, a 429 among them `rate_limited`.
 * Findings of something found stand.
 */
export function judgedOnServedCode(
  finding: Finding,
  set: ScriptSet,
  maps: readonly { readonly url: string; readonly status: number }[] = [],
): Finding {
  if (finding.status !== 'pass') return finding;
  const evidence = { ...finding.evidence, unserved: set.unserved.map((u) => ({ ...u })) };
  const limited = [...set.unserved, ...maps].filter((r) => r.status === 429);
  if (limited.length > 0) {
    return errored(finding.id, 'rate_limited', `${limited.map((r) => r.url).join(', ')} answered 429; that code was not seen`, evidence);
  }
  if (set.scripts.length === 0 && set.referenced > 0) {
    const answers = [...new Set(set.unserved.map((u) => (u.html ? `an HTML page (${u.status})` : String(u.status))))].join(', ');
    return skip(
      finding.id,
      'no_scripts',
      `none of the ${set.referenced} script(s) the main document references is served as code (answered ${answers})`,
      evidence,
    );
  }
  return finding;
}

export async function evaluateSecretsInBundle(scripts: readonly ScannedScript[]): Promise<Finding> {
  const hits = [];
  for (const s of scripts) hits.push(...(await findSecretsInCode(s.body)).map((m) => ({ url: s.url, kind: m.kind, excerpt: m.masked })));
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
  const hits = scripts.flatMap((s) => findTestKeys(s.body).map((m) => ({ url: s.url, kind: m.kind, excerpt: m.masked })));
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

/** Keys only a source map's top level has (ECMA-426): the first key of the object is one of them whatever the key order. */
const SOURCE_MAP_KEYS = [
  'version',
  'sources',
  'sourcesContent',
  'mappings',
  'sections',
  'names',
  'file',
  'sourceRoot',
  'ignoreList',
  'x_google_ignoreList',
  'debugId',
];
/** Specific enough alone; `file`, `names`, `sourceRoot` could start other JSON and need a second map key. */
const DECISIVE_KEYS = ['version', 'sources', 'sourcesContent', 'mappings', 'sections'];
/** The XSSI guard a map may be served behind (the spec lets consumers strip it). */
const XSSI_PREFIX = /^\)\]\}'[^\n]*\n?/;

/**
 * A served source map, recognised from its first bytes whatever its size and key order: a JSON
 * object (after an optional `)]}'` line) whose first key is a source-map key, and whose `version`,
 * if the bytes read show it, is 3. A complete body is parsed and must have `mappings` or `sections`.
 */
export function looksLikeSourceMap(status: number, body: string, truncated = false): boolean {
  if (status !== 200) return false;
  const text = body
    .replace(/^\uFEFF/, '')
    .replace(XSSI_PREFIX, '')
    .trimStart();
  if (!truncated) {
    try {
      const map = JSON.parse(text) as Record<string, unknown>;
      return map !== null && typeof map === 'object' && map.version === 3 && ('mappings' in map || 'sections' in map);
    } catch {
      return false;
    }
  }
  const first = /^\{\s*"([A-Za-z_]+)"\s*:/.exec(text)?.[1];
  if (first === undefined || !SOURCE_MAP_KEYS.includes(first)) return false;
  const version = /"version"\s*:\s*(\d+)/.exec(text)?.[1];
  if (version !== undefined && version !== '3') return false;
  return DECISIVE_KEYS.includes(first) || DECISIVE_KEYS.some((key) => text.includes(`"${key}"`));
}

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
