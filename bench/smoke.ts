/**
 * Benchmark (not a timed test): `npx tsx bench/smoke.ts [--rounds N] [--workers N] [--verbose]`
 *
 * Runs the built-in smoke suite as `vor-watch smoke` runs it without --target (every flow and
 * browser check, throwaway users allowed, default retries and tracing) against the reference
 * target started in this process, and prints per round the checks' own times, the wall time of
 * runSmoke (the Playwright child and the artifact scrub) and the CPU seconds the browser run took.
 * Goal (issue 17 item 5): the suite's wall time ≤ 20 s on this 2-core machine when quiet; the
 * median of the rounds is the figure. On a busy machine (load average in the detail) it is an
 * upper bound, and the CPU seconds, which load barely changes, say more.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_BUDGETS } from '../src/config/schema.js';
import { embeddedTargetInput } from '../src/session/session.js';
import { createRedactor } from '../src/core/redact.js';
import { buildTarget } from '../src/core/target.js';
import { runSmoke } from '../smoke/run.js';
import { startTarget } from '../target/server.js';
import { median, reportGoal } from './goals.js';

const GOAL_S = 20;

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    workers: { type: 'string' },
    trace: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});
const rounds = Number(values.rounds);
const workers = values.workers === undefined ? undefined : Number(values.workers);
const trace = values.trace as 'on-first-retry' | 'retain-on-failure' | 'on' | undefined;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const loadAverage = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** CPU seconds of this process's finished children (the Playwright runner with its workers and browsers, once reaped). */
function childrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // cutime and cstime are fields 16 and 17 of /proc/<pid>/stat, in USER_HZ (100) ticks.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

const target = await startTarget({ quiet: true });
const walls: number[] = [];
const cpus: number[] = [];
const loads: string[] = [];
try {
  // As `vor-watch smoke` builds the embedded target: its flows may sign throwaway users up.
  const smokeTarget = buildTarget(embeddedTargetInput(target), target.testUser);
  for (let round = 1; round <= rounds; round += 1) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vor-bench-smoke-'));
    try {
      const loadBefore = loadAverage();
      const cpuBefore = childrenCpuSeconds();
      const started = performance.now();
      const outcome = await runSmoke({
        target: smokeTarget,
        budgets: DEFAULT_BUDGETS,
        outputDir: dir,
        redactor: createRedactor([target.testUser.password, target.adminToken]),
        secrets: [target.adminToken],
        env: process.env,
        ...(workers === undefined ? {} : { workers }),
        ...(trace === undefined ? {} : { trace }),
        ...(values.verbose
          ? { onOutput: (text: string) => process.stdout.write(`  [${seconds(performance.now() - started)}] ${text}`) }
          : {}),
      });
      const cpu = childrenCpuSeconds() - cpuBefore;
      walls.push(outcome.durationMs);
      cpus.push(cpu);
      loads.push(loadBefore);
      const passed = outcome.results.filter((r) => r.status === 'pass').length;
      console.log(`\nround ${round}: ${outcome.results.length} checks, ${passed} pass (load average before: ${loadBefore})`);
      for (const r of [...outcome.results].sort((a, b) => b.durationMs - a.durationMs)) {
        console.log(
          `  ${r.id.padEnd(34)} ${seconds(r.durationMs).padStart(8)}  ${r.status}${r.status === 'pass' ? '' : ` ${r.reason ?? ''}`}`,
        );
      }
      console.log(
        `  total wall ${seconds(outcome.durationMs)} (Playwright child ${seconds(outcome.phasesMs.playwright)}, scrub ${seconds(outcome.phasesMs.scrub)}); CPU ${cpu.toFixed(1)} s`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
} finally {
  await target.close();
}

// A 1-minute load average above one runnable process per core, before any round or after the last: others shared the cores.
const busy = [...loads.map((l) => Number(l.split(' ')[0])), os.loadavg()[0]!].some((load) => load > os.cpus().length);
reportGoal({
  bench: 'smoke',
  goal: 'built-in smoke suite wall time',
  measured: Number((median(walls) / 1000).toFixed(2)),
  target: GOAL_S,
  unit: 's',
  better: 'lower',
  detail:
    `median of ${rounds}; rounds ${walls.map((w) => (w / 1000).toFixed(1)).join(', ')} s; CPU ${median(cpus).toFixed(1)} s; ` +
    `${os.cpus().length} cores, load average before each round ${loads.join(' / ')}, after ${loadAverage()}` +
    (busy ? ' (machine busy: an upper bound)' : ''),
});
