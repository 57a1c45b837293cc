import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { RunProcesses } from './process-group.js';

/** What one browser run may take of the machine (a decompression bomb must not take it all). */
export interface RunLimits {
  /** Resident memory of all the run's processes (runner, workers, browsers). */
  readonly maxRssBytes: number;
  /** Bytes on disk under the run's folders (artifacts and the browser's temporary files). */
  readonly maxDiskBytes: number;
}

const MB = 1024 * 1024;
export const DEFAULT_RUN_LIMITS: RunLimits = { maxRssBytes: 3072 * MB, maxDiskBytes: 1024 * MB };

/** VOR_SMOKE_MAX_RSS_MB and VOR_SMOKE_MAX_ARTIFACT_MB override the defaults (whole megabytes). */
export function runLimitsFrom(env: NodeJS.ProcessEnv): RunLimits {
  const mb = (value: string | undefined, fallback: number): number => {
    const n = Number(value);
    return value !== undefined && value.trim() !== '' && Number.isInteger(n) && n > 0 ? n * MB : fallback;
  };
  return {
    maxRssBytes: mb(env.VOR_SMOKE_MAX_RSS_MB, DEFAULT_RUN_LIMITS.maxRssBytes),
    maxDiskBytes: mb(env.VOR_SMOKE_MAX_ARTIFACT_MB, DEFAULT_RUN_LIMITS.maxDiskBytes),
  };
}

export function bytesUnder(roots: readonly string[]): number {
  let total = 0;
  for (const root of roots) {
    let entries;
    try {
      entries = readdirSync(root, { withFileTypes: true, recursive: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      try {
        total += statSync(path.join(entry.parentPath, entry.name)).size;
      } catch {
        // deleted while we counted
      }
    }
  }
  return total;
}

const describe = (bytes: number): string => `${Math.round(bytes / MB)} MB`;

/**
 * Samples the run's memory (every process of it) and the run's disk use every `everyMs`; the first time either is over
 * its limit, `onExceeded` hears why (once). Returns the function that stops watching.
 */
export function watchRun(
  processes: RunProcesses,
  dirs: readonly string[],
  limits: RunLimits,
  onExceeded: (why: string) => void,
  everyMs = 1_000,
): () => void {
  const timer = setInterval(() => {
    const rss = processes.memoryBytes();
    const disk = rss > limits.maxRssBytes ? 0 : bytesUnder(dirs);
    const why =
      rss > limits.maxRssBytes
        ? `the browser run used ${describe(rss)} of memory (proportional set size), over its limit of ${describe(limits.maxRssBytes)} (VOR_SMOKE_MAX_RSS_MB)`
        : disk > limits.maxDiskBytes
          ? `the browser run wrote ${describe(disk)}, over its limit of ${describe(limits.maxDiskBytes)} (VOR_SMOKE_MAX_ARTIFACT_MB)`
          : undefined;
    if (why === undefined) return;
    clearInterval(timer);
    onExceeded(why);
  }, everyMs);
  return () => clearInterval(timer);
}
