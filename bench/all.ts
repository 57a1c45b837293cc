/**
 * `npm run bench [-- --only startup,probe] [--from FILE] [--dry-run]`
 *
 * Builds dist/ (the benches measure the shipped CLI), runs every benchmark script one after the
 * other with VOR_BENCH_OUT naming a scratch file for their goals (bench/goals.ts reportGoal), then
 * merges those goals into bench/results.jsonl (a bench that did not run keeps its last figures) and
 * rewrites the README's table between <!-- bench:begin --> and <!-- bench:end --> from it.
 *   --only a,b     run these benches only
 *   --from FILE    run nothing: render the table from a JSON-lines file of runs and goals
 *   --dry-run      print the table instead of writing bench/results.jsonl and the README
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  mergeResults,
  parseResults,
  renderTable,
  replaceBetweenMarkers,
  serializeResults,
  type BenchResults,
  type BenchRun,
} from './table.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const README = path.join(ROOT, 'README.md');
const RESULTS = path.join(ROOT, 'bench', 'results.jsonl');
/** Every benchmark with goals, in the order they run; each with its own defaults. */
const BENCHES = ['startup', 'probe', 'tls', 'load', 'smoke', 'monitor', 'history'] as const;
/** Benches that print figures without a goal (bench/tls.ts times single probes): run, not judged. */
const INFORMATIONAL: ReadonlySet<string> = new Set(['tls']);
/** No bench may hold the run for longer (each bounds its own rounds; this is the backstop). */
const BENCH_TIMEOUT_MS = 30 * 60_000;

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    from: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
  },
});

function chosenBenches(only: string | undefined): string[] {
  if (only === undefined) return [...BENCHES];
  const names = only.split(',').map((n) => n.trim());
  const unknown = names.filter((n) => !(BENCHES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    console.error(`bench: unknown bench ${unknown.join(', ')}; known: ${BENCHES.join(', ')}`);
    process.exit(2);
  }
  return names;
}

function machineNow(): BenchRun['machine'] {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    loadAverage: os.loadavg(),
    node: process.version,
    date: new Date().toISOString(),
  };
}

/** Runs one bench script with its output on this terminal; resolves to how it ended. */
function runBench(name: string, goalsFile: string): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  console.log(`\n=== bench/${name}.ts`);
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('bench', `${name}.ts`)], {
    cwd: ROOT,
    env: { ...process.env, VOR_BENCH_OUT: goalsFile },
    stdio: 'inherit',
  });
  const timer = setTimeout(() => child.kill('SIGTERM'), BENCH_TIMEOUT_MS);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    }),
  );
}

async function measure(benches: readonly string[]): Promise<BenchResults> {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed; nothing was measured');
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'vor-bench-all-'));
  const machine = machineNow();
  const failed: { bench: string; exit: string }[] = [];
  let goals: BenchResults['goals'] = [];
  try {
    for (const bench of benches) {
      const goalsFile = path.join(scratch, `${bench}.jsonl`);
      const { code, signal } = await runBench(bench, goalsFile);
      const reported = existsSync(goalsFile) ? parseResults(readFileSync(goalsFile, 'utf8')).goals : [];
      if (reported.length === 0 && !(code === 0 && INFORMATIONAL.has(bench)))
        failed.push({ bench, exit: signal === null ? `exited ${code} without reporting a goal` : `ended by ${signal}` });
      else if (code !== 0) console.warn(`bench/${bench}.ts exited ${code ?? signal} after reporting ${reported.length} goal(s)`);
      goals = [...goals, ...reported];
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return { runs: [{ machine, benches, ...(failed.length === 0 ? {} : { failed }) }], goals };
}

const results =
  values.from !== undefined
    ? parseResults(readFileSync(values.from, 'utf8'))
    : mergeResults(
        existsSync(RESULTS) ? parseResults(readFileSync(RESULTS, 'utf8')) : { runs: [], goals: [] },
        await measure(chosenBenches(values.only)),
      );
const table = renderTable(results);

if (values['dry-run']) {
  console.log(table);
} else {
  if (values.from === undefined) writeFileSync(RESULTS, serializeResults(results));
  writeFileSync(README, replaceBetweenMarkers(readFileSync(README, 'utf8'), table));
  console.log(`\n${table}\n\nbench: README.md's table rewritten${values.from === undefined ? ' (results in bench/results.jsonl)' : ''}`);
}
