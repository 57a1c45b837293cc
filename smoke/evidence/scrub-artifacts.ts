import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { harvestSecrets, literalForms, scrubText } from './scrub-text.js';

export interface ScrubReport {
  readonly files: number;
  readonly rewritten: number;
  /** Binary files (screenshots, videos) that contained a secret and were deleted, since they cannot be edited. */
  readonly removed: readonly string[];
}

const REPORT_TEMPLATE = /(<template id="playwrightReportBase64">data:application\/zip;base64,)([A-Za-z0-9+/=]*)(<\/template>)/;
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Text if it has no NUL byte near the start and decodes as UTF-8; images and videos fail both. */
function asText(bytes: Uint8Array): string | undefined {
  if (bytes.subarray(0, 8192).includes(0)) return undefined;
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

const isZip = (bytes: Uint8Array): boolean => bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

type Visitor = (text: string) => string;

/** Applies `visit` to every text inside `bytes`, through zips and the HTML report's embedded zip. */
function transform(bytes: Uint8Array, visit: Visitor): { bytes: Uint8Array; changed: boolean; binary: boolean } {
  if (isZip(bytes)) {
    const entries = unzipSync(bytes);
    const out: Zippable = {};
    let changed = false;
    for (const [name, content] of Object.entries(entries)) {
      const inner = transform(content, visit);
      out[name] = inner.bytes;
      changed ||= inner.changed;
    }
    return changed ? { bytes: zipSync(out, { level: 6 }), changed, binary: false } : { bytes, changed, binary: false };
  }
  const text = asText(bytes);
  if (text === undefined) return { bytes, changed: false, binary: true };
  const embedded = REPORT_TEMPLATE.exec(text);
  let next: string;
  if (embedded === null) {
    next = visit(text);
  } else {
    // The HTML report carries its data as a base64 zip; scrub inside it, and the page around it.
    const [whole, head = '', base64 = '', tail = ''] = embedded;
    const inner = transform(Buffer.from(base64, 'base64'), visit);
    const data = inner.changed ? Buffer.from(inner.bytes).toString('base64') : base64;
    next = `${visit(text.slice(0, embedded.index))}${head}${data}${tail}${visit(text.slice(embedded.index + whole.length))}`;
  }
  return next === text ? { bytes, changed: false, binary: false } : { bytes: Buffer.from(next, 'utf8'), changed: true, binary: false };
}

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

function containsAny(bytes: Uint8Array, literals: readonly string[]): boolean {
  const haystack = Buffer.from(bytes);
  return literals.some((literal) => haystack.includes(literal));
}

/**
 * Removes secrets from everything Playwright wrote (traces, HAR-like network logs inside them,
 * the HTML report and its embedded data, attachments). Two passes: harvest secrets where they
 * sit (cookie headers, tokens), then replace every known or harvested literal everywhere.
 */
export async function scrubArtifacts(roots: readonly string[], knownSecrets: readonly string[]): Promise<ScrubReport> {
  const files = (await Promise.all(roots.map(filesUnder))).flat();
  const harvested = new Set(knownSecrets);
  for (const file of files) {
    transform(await readFile(file), (text) => {
      for (const secret of harvestSecrets(text)) harvested.add(secret);
      return text;
    });
  }
  const secrets = [...harvested];
  const literals = literalForms(secrets);
  let rewritten = 0;
  const removed: string[] = [];
  for (const file of files) {
    const bytes = await readFile(file);
    const result = transform(bytes, (text) => scrubText(text, secrets));
    if (result.binary && containsAny(bytes, literals)) {
      await rm(file, { force: true });
      removed.push(file);
    } else if (result.changed) {
      await writeFile(file, result.bytes);
      rewritten += 1;
    }
  }
  return { files: files.length, rewritten, removed };
}
