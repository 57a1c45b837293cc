/**
 * Soak: the real `vor-watch monitor` against the reference target while faults flap on and off
 * every few seconds. Checks: no crash, no lost cycles, RSS growth < 10 %, `promtool check metrics`
 * passes on every scrape, label cardinality bounded.
 *
 *   node --import tsx bench/soak.ts [--seconds 180] [--interval 2000] [--flap 3000]   (interval and flap in ms)
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startTarget } from '../target/server.js';
import type { Faults } from '../target/faults.js';
import { targetFlags } from '../test/helpers/target-flags.js';
import { sampleProcess } from './proc.js';

const BIN = fileURLToPath(new URL('../bin/vor-watch.js', import.meta.url));
const PROMTOOL = '/usr/bin/promtool';

/** Faults that make the monitor's life hard: failing, hanging and slow health; 5xx; header changes. */
const FLAPPING: readonly Partial<Faults>[] = [
  { health_503: true },
  { health_hang: true },
  { latencyMs: 800 },
  { search_500: true, sql_error_leak: true },
  { no_hsts: true, cors_reflect_origin: true },
  { health_dependency_down: true, errorRate: 0.3 },
  {},
];

export interface SoakReport {
  readonly seconds: number;
  readonly intervalMs: number;
  readonly exitCode: number | null;
  readonly crashed: boolean;
  readonly scrapes: number;
  readonly promtoolFailures: readonly string[];
  readonly healthCycles: number;
  readonly expectedCycles: number;
  /** Cycles that started late because the one before ran longer than the interval (no overlap by design). */
  readonly overruns: number;
  readonly crashes: number;
  readonly lostCycles: number;
  readonly seriesFirst: number;
  readonly seriesMax: number;
  readonly rssAfterWarmupBytes: number;
  readonly rssEndBytes: number;
  readonly rssGrowth: number;
  readonly faultChanges: number;
}

async function promtoolCheck(body: string): Promise<string | undefined> {
  if (!existsSync(PROMTOOL)) return undefined;
  return new Promise((resolve) => {
    const child = spawn(PROMTOOL, ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve(code === 0 ? undefined : out.trim()));
    child.stdin.end(body);
  });
}

const countSeries = (body: string): number => body.split('\n').filter((l) => l.startsWith('vor_')).length;
const healthRuns = (body: string): number =>
  [...body.matchAll(/^vor_check_runs_total\{[^}]*check="health\.endpoint"[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);

export async function runSoak({
  seconds,
  intervalMs,
  flapMs,
}: {
  seconds: number;
  intervalMs: number;
  flapMs: number;
}): Promise<SoakReport> {
  const running = await startTarget({ quiet: true });
  const listenPort = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(
    process.execPath,
    [BIN, 'monitor', ...targetFlags(running), '--interval', `${intervalMs}ms`, '--listen', `127.0.0.1:${listenPort}`],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, SENTRY_DSN: '', VOR_TRIGGER_TIME_SCALE: '30' } },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const metricsUrl = `http://127.0.0.1:${listenPort}/metrics`;
  const promtoolFailures: string[] = [];
  let scrapes = 0;
  let seriesFirst = 0;
  let seriesMax = 0;
  let faultChanges = 0;
  const rssSamples: { at: number; rss: number }[] = [];
  let jobs: Record<string, { runs: number; overruns: number; crashes: number }> = {};
  let firstCycles: { at: number; runs: number } | undefined;
  let lastCycles = { at: 0, runs: 0 };
  const started = Date.now();
  let nextFlap = started + flapMs;
  try {
    while (Date.now() - started < seconds * 1000) {
      await sleep(1000);
      if (child.exitCode !== null) break;
      if (Date.now() >= nextFlap) {
        const faults = FLAPPING[Math.floor(Math.random() * FLAPPING.length)] ?? {};
        running.setFaults(faults, 'replace');
        faultChanges += 1;
        nextFlap += flapMs;
      }
      const body = await fetch(metricsUrl, { signal: AbortSignal.timeout(5000) }).then(
        (r) => r.text(),
        () => undefined,
      );
      if (body === undefined) continue;
      scrapes += 1;
      const problem = await promtoolCheck(body);
      if (problem !== undefined) promtoolFailures.push(problem);
      const series = countSeries(body);
      if (seriesFirst === 0 && healthRuns(body) > 0) seriesFirst = series;
      seriesMax = Math.max(seriesMax, series);
      const runs = healthRuns(body);
      if (firstCycles === undefined && runs > 0) firstCycles = { at: Date.now(), runs };
      lastCycles = { at: Date.now(), runs };
      jobs = await fetch(`http://127.0.0.1:${listenPort}/healthz`).then(
        async (r) => ((await r.json()) as { jobs: typeof jobs }).jobs,
        () => jobs,
      );
      const rss = sampleProcess(child.pid ?? -1)?.rssBytes ?? 0;
      if (rss > 0) rssSamples.push({ at: Date.now() - started, rss });
    }
  } finally {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exit;
    clearTimeout(timer);
    await running.close();
  }
  const exitCode = child.exitCode;
  // RSS moves with every GC; compare averages: the first tenth after warm-up vs the last tenth.
  const warm = rssSamples.filter((s) => s.at > Math.min(30_000, seconds * 250));
  const tenth = Math.max(1, Math.floor(warm.length / 10));
  const mean = (xs: { rss: number }[]): number => xs.reduce((sum, x) => sum + x.rss, 0) / Math.max(1, xs.length);
  const rssAfterWarmup = mean(warm.slice(0, tenth));
  const rssEnd = mean(warm.slice(-tenth));
  // A cycle takes up to one interval to start plus its own duration; count whole intervals elapsed.
  const span = firstCycles === undefined ? 0 : lastCycles.at - firstCycles.at;
  const healthCycles = firstCycles === undefined ? 0 : lastCycles.runs - firstCycles.runs;
  const expectedCycles = Math.floor(span / intervalMs);
  const main = Object.entries(jobs).find(([key]) => key.endsWith(' main'))?.[1];
  const overruns = main?.overruns ?? 0;
  return {
    seconds,
    intervalMs,
    exitCode,
    crashed:
      exitCode !== 0 || Object.values(jobs).some((j) => j.crashes > 0) || /internal error|Unhandled|TypeError|RangeError/.test(stderr),
    scrapes,
    promtoolFailures,
    healthCycles,
    expectedCycles,
    overruns,
    crashes: Object.values(jobs).reduce((sum, j) => sum + j.crashes, 0),
    // Jitter can shift one cycle across the measured span; overrun cycles start late instead of being dropped.
    lostCycles: Math.max(0, expectedCycles - healthCycles - overruns - 1),
    seriesFirst,
    seriesMax,
    rssAfterWarmupBytes: Math.round(rssAfterWarmup),
    rssEndBytes: Math.round(rssEnd),
    rssGrowth: rssAfterWarmup === 0 ? 0 : (rssEnd - rssAfterWarmup) / rssAfterWarmup,
    faultChanges,
  };
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '180' },
      interval: { type: 'string', default: '2000' },
      flap: { type: 'string', default: '3000' },
    },
  });
  for (const [name, value] of Object.entries(values)) {
    if (!/^\d+$/.test(value) || Number(value) <= 0) {
      process.stderr.write(
        `bench/soak.ts: --${name} must be a positive whole number (seconds for --seconds, ms otherwise), got "${value}"\n`,
      );
      process.exit(2);
    }
  }
  const report = await runSoak({ seconds: Number(values.seconds), intervalMs: Number(values.interval), flapMs: Number(values.flap) });
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  const ok = !report.crashed && report.promtoolFailures.length === 0 && report.rssGrowth < 0.1 && report.lostCycles === 0;
  process.stdout.write(ok ? 'SOAK OK\n' : 'SOAK FAILED\n');
  process.exitCode = ok ? 0 : 1;
}
