import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { harvestSecrets, literalForms, scrubText } from './scrub-text.js';

export interface ScrubReport {
  readonly files: number;
  readonly rewritten: number;
  /** Every file deleted: binaries (screenshots, videos) holding a secret, and the dropped ones below. */
  readonly removed: readonly string[];
  /**
   * Files deleted unread or unscrubbed: over the size limits, not readable as what they claim (a half-written
   * zip), or a zip with a binary entry that holds a secret.
   */
  readonly dropped: readonly DroppedArtifact[];
}

export interface DroppedArtifact {
  readonly file: string;
  /** processes_survived: some process of the run could not be ended and could still write after a scrub. */
  readonly reason: 'oversized' | 'unscrubbable' | 'processes_survived';
  readonly bytes: number;
}

export interface ScrubLimits {
  /** A file larger than this is deleted unread (scrubbing reads it, and a zip's contents, whole). */
  readonly maxFileBytes: number;
  /** Files are deleted, largest first, until what is kept fits. */
  readonly maxTotalBytes: number;
  /** A zip whose entries would unpack to more than this is deleted, not unpacked (a zip bomb in a trace). */
  readonly maxUnzippedBytes: number;
}

const MB = 1024 * 1024;
export const DEFAULT_SCRUB_LIMITS: ScrubLimits = { maxFileBytes: 256 * MB, maxTotalBytes: 1024 * MB, maxUnzippedBytes: 512 * MB };

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

/** Unpacks a zip, refusing (throwing) before it inflates more than `maxBytes` in all. */
function boundedUnzip(bytes: Uint8Array, maxBytes: number): Record<string, Uint8Array> {
  let total = 0;
  return unzipSync(bytes, {
    filter(entry) {
      total += entry.originalSize;
      if (total > maxBytes) throw new Error(`zip unpacks to more than ${maxBytes} bytes`);
      return true;
    },
  });
}

type Visitor = (text: string) => string;

/** A binary entry of a zip (an image, a windows-1252 page, a protobuf body) holds a secret: it cannot be scrubbed. */
class SecretInBinaryEntry extends Error {}

/**
 * Applies `visit` to every text inside `bytes`, through zips and the HTML report's embedded zip. A
 * binary zip entry holding one of `literals` throws: the whole file is then dropped, never kept raw.
 */
function transform(
  bytes: Uint8Array,
  visit: Visitor,
  maxUnzippedBytes: number,
  literals: readonly string[] = [],
): { bytes: Uint8Array; changed: boolean; binary: boolean } {
  if (isZip(bytes)) {
    const entries = boundedUnzip(bytes, maxUnzippedBytes);
    const out: Zippable = {};
    let changed = false;
    for (const [name, content] of Object.entries(entries)) {
      const inner = transform(content, visit, maxUnzippedBytes, literals);
      if (inner.binary && containsAny(content, literals)) throw new SecretInBinaryEntry(`${name} holds a secret`);
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
    const inner = transform(Buffer.from(base64, 'base64'), visit, maxUnzippedBytes, literals);
    const data = inner.changed ? Buffer.from(inner.bytes).toString('base64') : base64;
    next = `${visit(text.slice(0, embedded.index))}${head}${data}${tail}${visit(text.slice(embedded.index + whole.length))}`;
  }
  return next === text ? { bytes, changed: false, binary: false } : { bytes: Buffer.from(next, 'utf8'), changed: true, binary: false };
}

interface SizedFile {
  readonly file: string;
  readonly bytes: number;
}

async function filesUnder(root: string): Promise<SizedFile[]> {
  const entries = await readdir(root, { withFileTypes: true, recursive: true }).catch(() => []);
  const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  return Promise.all(files.map(async (file) => ({ file, bytes: (await stat(file).catch(() => undefined))?.size ?? 0 })));
}

function containsAny(bytes: Uint8Array, literals: readonly string[]): boolean {
  const haystack = Buffer.from(bytes);
  return literals.some((literal) => haystack.includes(literal));
}

/** The files too large to scrub, and beyond them the largest until the rest fits the total: these go unread. */
function oversized(files: readonly SizedFile[], limits: ScrubLimits): Set<SizedFile> {
  const dropped = new Set(files.filter((f) => f.bytes > limits.maxFileBytes));
  let total = files.reduce((sum, f) => sum + (dropped.has(f) ? 0 : f.bytes), 0);
  for (const f of [...files].sort((a, b) => b.bytes - a.bytes)) {
    if (total <= limits.maxTotalBytes) break;
    if (dropped.has(f)) continue;
    dropped.add(f);
    total -= f.bytes;
  }
  return dropped;
}

/**
 * Removes secrets from everything Playwright wrote (traces, HAR-like network logs inside them,
 * the HTML report and its embedded data, attachments). Two passes: harvest secrets where they
 * sit (cookie headers, tokens), then replace every known or harvested literal everywhere. What
 * cannot be scrubbed (too large, or not readable as the zip it claims to be) is deleted, never kept raw.
 */
export async function scrubArtifacts(
  roots: readonly string[],
  knownSecrets: readonly string[],
  limits: ScrubLimits = DEFAULT_SCRUB_LIMITS,
): Promise<ScrubReport> {
  const all = (await Promise.all(roots.map(filesUnder))).flat();
  const removed: string[] = [];
  const dropped: DroppedArtifact[] = [];
  const drop = async ({ file, bytes }: SizedFile, reason: DroppedArtifact['reason']): Promise<void> => {
    await rm(file, { force: true });
    removed.push(file);
    dropped.push({ file, reason, bytes });
  };
  const tooLarge = oversized(all, limits);
  for (const f of tooLarge) await drop(f, 'oversized');
  let files = all.filter((f) => !tooLarge.has(f));

  const harvested = new Set(knownSecrets);
  const unreadable = new Set<SizedFile>();
  for (const f of files) {
    try {
      transform(
        await readFile(f.file),
        (text) => {
          for (const secret of harvestSecrets(text)) harvested.add(secret);
          return text;
        },
        limits.maxUnzippedBytes,
      );
    } catch {
      unreadable.add(f);
    }
  }
  for (const f of unreadable) await drop(f, 'unscrubbable');
  files = files.filter((f) => !unreadable.has(f));

  const secrets = [...harvested];
  const literals = literalForms(secrets);
  let rewritten = 0;
  for (const f of files) {
    const bytes = await readFile(f.file);
    let result: ReturnType<typeof transform>;
    try {
      result = transform(bytes, (text) => scrubText(text, secrets), limits.maxUnzippedBytes, literals);
    } catch {
      await drop(f, 'unscrubbable');
      continue;
    }
    if (result.binary && containsAny(bytes, literals)) {
      await rm(f.file, { force: true });
      removed.push(f.file);
    } else if (result.changed) {
      await writeFile(f.file, result.bytes);
      rewritten += 1;
    }
  }
  return { files: all.length, rewritten, removed, dropped };
}

/** Deletes every file under `roots` unread, each recorded as dropped for `reason`. */
export async function discardArtifacts(roots: readonly string[], reason: DroppedArtifact['reason']): Promise<ScrubReport> {
  const all = (await Promise.all(roots.map(filesUnder))).flat();
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
  return {
    files: all.length,
    rewritten: 0,
    removed: all.map((f) => f.file),
    dropped: all.map(({ file, bytes }) => ({ file, reason, bytes })),
  };
}
