/**
 * Benchmark (not a timed test): `node --import tsx bench/startup.ts [--rounds 7] [--verify-rounds 1] [--no-verify]`
 *
 * How long the shipped CLI (bin/vor-watch.js, which runs the build in dist/: `npm run build` first)
 * takes, as a user starts it, on this machine:
 *   - `vor-watch --version`                       goal ≤ 0.2 s wall
 *   - `vor-watch probe` of an already running reference target (`vor-watch target`, started once)
 *                                                 goal ≤ 1.0 s wall
 *   - a full `vor-watch verify` (embedded reference target, browser flows included)
 *                                                 goal ≤ 35 s wall
 * The first two alternate, round after round, so that a busy spell of the shared machine hits both;
 * each goal is the median of its rounds.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median, reportGoal } from './goals.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'vor-watch.js');

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    'verify-rounds': { type: 'string', default: '1' },
    'no-verify': { type: 'boolean', default: false },
  },
});
const rounds = Math.max(5, Number(values.rounds));
const verifyRounds = Math.max(1, Number(values['verify-rounds']));

interface Timed {
  readonly seconds: number;
  /** User + system CPU of the CLI process: less at the mercy of a busy machine than the wall time. */
  readonly cpuSeconds: number;
  readonly code: number | null;
  readonly stderr: string;
}

/** Preloaded into the CLI: writes its own CPU time to fd 3 as it exits. */
const REPORT_CPU = `data:text/javascript,${encodeURIComponent(
  "import { writeSync } from 'node:fs'; process.on('exit', () => { const u = process.cpuUsage(); writeSync(3, String((u.user + u.system) / 1e6)); });",
)}`;

const scratch = mkdtempSync(path.join(tmpdir(), 'vor-bench-startup-'));
/** Nothing of the caller's configuration leaks in; reports go to a scratch folder. */
const cleanEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  NO_COLOR: '1',
  VOR_REPORTS_DIR: path.join(scratch, 'reports'),
  VOR_CONFIG: '',
  VOR_BASE_URL: '',
  SENTRY_DSN: '',
  VOR_TARGET_INFO_FILE: path.join(scratch, 'target.json'),
});

function timeCli(args: readonly string[], timeoutMs: number): Promise<Timed> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', REPORT_CPU, BIN, ...args], {
    cwd: scratch,
    env: cleanEnv(),
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let cpu = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdio[3]?.on('data', (d: Buffer) => (cpu += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ seconds: (performance.now() - started) / 1000, cpuSeconds: Number(cpu), code, stderr });
    });
  });
}

interface RunningTarget {
  readonly flags: string[];
  stop(): Promise<void>;
}

/** `vor-watch target` in its own process, as a user would run it; its URLs come from its info file. */
async function startReferenceTarget(): Promise<RunningTarget> {
  const infoFile = path.join(scratch, 'target.json');
  const child = spawn(process.execPath, [BIN, 'target'], { cwd: scratch, env: cleanEnv(), stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let waited = 0; !existsSync(infoFile); waited += 100) {
    if (child.exitCode !== null || waited > 60_000) throw new Error('vor-watch target did not start (is dist/ built? npm run build)');
    await sleep(100);
  }
  await sleep(100); // the file is written in one go, but let the write finish
  const info = JSON.parse(readFileSync(infoFile, 'utf8')) as { baseUrl: string; httpUrl: string; caFile: string };
  return {
    flags: ['--target', info.baseUrl, '--http', info.httpUrl, '--ca', info.caFile, '--environment', 'staging'],
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** What the goal's detail says: the rounds, their wall times, the median CPU, and the machine's load. */
const detailOf = (runs: readonly Timed[], extra = ''): string =>
  `median of ${runs.length}${extra}; runs ${runs.map((r) => r.seconds.toFixed(2)).join(', ')} s; CPU median ${median(runs.map((r) => r.cpuSeconds)).toFixed(2)} s; load average ${os.loadavg()[0]?.toFixed(1)} at the end`;

function expectExit(what: string, run: Timed, allowed: readonly number[]): void {
  if (run.code === null || !allowed.includes(run.code))
    throw new Error(`${what} exited ${run.code}, expected ${allowed.join(' or ')}:\n${run.stderr.slice(-2000)}`);
}

if (!existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'main.js'))) {
  console.error('bench/startup.ts measures the build: run `npm run build` first');
  process.exit(2);
}

try {
  const target = await startReferenceTarget();
  const version: Timed[] = [];
  const probe: Timed[] = [];
  const probeExits = new Set<number | null>();
  try {
    await timeCli(['--version'], 30_000); // one unmeasured start warms the file cache
    for (let i = 0; i < rounds; i += 1) {
      const v = await timeCli(['--version'], 30_000);
      expectExit('vor-watch --version', v, [0]);
      version.push(v);
      // Exit 1 is a failed check (a finding), still a complete probe run.
      const p = await timeCli(['probe', ...target.flags], 60_000);
      expectExit('vor-watch probe', p, [0, 1]);
      probe.push(p);
      probeExits.add(p.code);
      console.log(
        `  round ${i + 1}: --version ${v.seconds.toFixed(3)} s (CPU ${v.cpuSeconds.toFixed(3)} s), probe ${p.seconds.toFixed(3)} s (CPU ${p.cpuSeconds.toFixed(3)} s, exit ${p.code})`,
      );
    }
  } finally {
    await target.stop();
  }
  reportGoal({
    bench: 'startup',
    goal: '`vor-watch --version` wall time',
    measured: median(version.map((r) => r.seconds)),
    target: 0.2,
    unit: 's',
    better: 'lower',
    detail: detailOf(version, ', alternating with probe'),
  });
  reportGoal({
    bench: 'startup',
    goal: '`vor-watch probe` of a running reference target, wall time',
    measured: median(probe.map((r) => r.seconds)),
    target: 1.0,
    unit: 's',
    better: 'lower',
    detail: `${detailOf(probe)}; exit ${[...probeExits].join('/')}`,
  });

  if (!values['no-verify']) {
    const verify: Timed[] = [];
    const verifyExits = new Set<number | null>();
    for (let i = 0; i < verifyRounds; i += 1) {
      const run = await timeCli(['verify'], 300_000);
      expectExit('vor-watch verify', run, [0, 1]);
      verify.push(run);
      verifyExits.add(run.code);
      console.log(`  verify round ${i + 1}: ${run.seconds.toFixed(1)} s (exit ${run.code})`);
    }
    reportGoal({
      bench: 'startup',
      goal: 'full `vor-watch verify` of the embedded reference target, wall time',
      measured: median(verify.map((r) => r.seconds)),
      target: 35,
      unit: 's',
      better: 'lower',
      // The CPU is the CLI process's own: the Playwright runner and Chromium are its children.
      detail: `${detailOf(verify)} (CLI process only); exit ${[...verifyExits].join('/')}`,
    });
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
