import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/vor-watch.js', import.meta.url));

// Which vor-watch the tests run. By default the TypeScript sources (bin/vor-watch.js with
// VOR_WATCH_FROM_SOURCE=1), so that a test file run by hand tests the code as it is now, never a
// stale dist/. scripts/run-tests.sh builds dist/ first and sets VOR_TEST_BUILT=1: the suite then
// tests the shipped build. Set on this process, so every vor-watch a test spawns with its own
// environment ({ ...process.env, … }) runs the same code.
if (process.env.VOR_TEST_BUILT === '1') delete process.env.VOR_WATCH_FROM_SOURCE;
else process.env.VOR_WATCH_FROM_SOURCE = '1';

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

/** Runs the real `vor-watch` binary; killed (and reported) if it outlives timeoutMs. */
export function runCli(
  args: readonly string[],
  options: { env?: Record<string, string | undefined>; cwd?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`vor-watch ${args.join(' ')} did not exit within ${options.timeoutMs ?? 30_000} ms\n${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, durationMs: performance.now() - started });
    });
  });
}

/** A CLI run's environment without the developer's own target, config, test user or Sentry DSN; reports go to reportsDir. */
export const isolatedCliEnv = (reportsDir: string): Record<string, string | undefined> => ({
  VOR_REPORTS_DIR: reportsDir,
  VOR_BASE_URL: undefined,
  VOR_CONFIG: undefined,
  VOR_TEST_USER_EMAIL: undefined,
  VOR_TEST_USER_PASSWORD: undefined,
  SENTRY_DSN: '',
});

/** A maker of temporary folders, all removed after the current suite (call it inside describe or at file level). */
export function temporaryDirs(prefix: string): () => string {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(path.join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
}
