import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Redactor } from '../src/core/redact.js';
import { PROJECT_ROOT } from '../src/project-root.js';
import { RunProcesses } from './process-group.js';
import { watchRun, type RunLimits } from './run-limits.js';

const ROOT = fileURLToPath(PROJECT_ROOT);
const PLAYWRIGHT_CLI = path.join(ROOT, 'node_modules', '@playwright', 'test', 'cli.js');
const OUTPUT_TAIL_CHARS = 4_000;

export interface ChildExit {
  readonly code: number | null;
  readonly output: string;
  readonly timedOut: boolean;
  /** Stopped by the caller's signal (Ctrl-C), possibly before it started. */
  readonly interrupted: boolean;
  /** Stopped for taking more memory or disk than its limits: what it took. */
  readonly overLimit?: string;
  /** The process groups of the run (the runner's, each browser's); `allGone` false when some process could not be ended. */
  readonly processGroups?: readonly number[];
  readonly allGone?: boolean;
}

export interface Watched {
  readonly dirs: readonly string[];
  readonly limits: RunLimits;
}

const GROUP_GONE_AFTER_EXIT_MS = 2_000;
/** SIGTERM first, so Playwright can close its browsers and write what finished; SIGKILL after this. */
const STOP_GRACE_MS = 2_000;

/** What the child's supervision needs of the run's options. */
export interface ChildOptions {
  /** The whole Playwright run is killed after this (default 180 s). */
  readonly timeoutMs?: number;
  readonly redactor: Redactor;
  readonly onOutput?: (text: string) => void;
  readonly signal?: AbortSignal;
}

/**
 * Runs Playwright in a process group of its own, bounded in time, memory and disk; every line it prints is
 * redacted. Resolves once every process of the run is gone (or could not be ended: `allGone` false).
 */
export function runPlaywright(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: ChildOptions,
  watched: Watched,
): Promise<ChildExit> {
  const timeoutMs = options.timeoutMs ?? 180_000;
  // An interrupt that came while the suite was being prepared must not let the browser run start.
  if (options.signal?.aborted === true) return Promise.resolve({ code: null, output: '', timedOut: false, interrupted: true });
  return new Promise((resolve, reject) => {
    // A process group of its own: the runner and its workers, with the groups of the browsers they
    // start, are ended together and waited for before anything reads (scrubs) what they wrote.
    const child = spawn(process.execPath, [PLAYWRIGHT_CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const processes = child.pid === undefined ? undefined : new RunProcesses(child.pid, env.TMPDIR);
    let output = '';
    let timedOut = false;
    let interrupted = false;
    // Redacted line by line: a secret split across two chunks must not slip through.
    const onLine = (line: string) => {
      const text = `${options.redactor.string(line)}\n`;
      output = (output + text).slice(-OUTPUT_TAIL_CHARS);
      options.onOutput?.(text);
    };
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', onLine);
    createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', onLine);
    let overLimit: string | undefined;
    let stopping: Promise<boolean> | undefined;
    const stop = (mark: () => void): void => {
      if (processes === undefined || stopping !== undefined) return;
      mark();
      stopping = processes.terminate({ graceMs: STOP_GRACE_MS });
    };
    const timer = setTimeout(() => stop(() => (timedOut = true)), timeoutMs);
    const interrupt = (): void => stop(() => (interrupted = true));
    options.signal?.addEventListener('abort', interrupt, { once: true });
    const unwatch =
      processes === undefined ? () => undefined : watchRun(processes, watched.dirs, watched.limits, (why) => stop(() => (overLimit = why)));
    const closed = new Promise<void>((done) => child.once('close', () => done()));
    const cleanUp = (): void => {
      clearTimeout(timer);
      unwatch();
      options.signal?.removeEventListener('abort', interrupt);
    };
    child.on('error', (error) => {
      cleanUp();
      reject(error);
    });
    child.once('exit', (code) => {
      cleanUp();
      void (async () => {
        // Workers and browsers can outlive the runner (orphaned): they go too, before anyone reads what they wrote.
        await stopping;
        const allGone = processes === undefined ? true : await processes.terminate();
        await Promise.race([closed, sleep(GROUP_GONE_AFTER_EXIT_MS)]);
        resolve({
          code,
          output,
          timedOut,
          interrupted,
          ...(overLimit === undefined ? {} : { overLimit }),
          ...(processes === undefined ? {} : { processGroups: processes.groups(), allGone }),
        });
      })();
    });
  });
}
