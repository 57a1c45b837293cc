/**
 * The vor-watch side of bench/load.ts, run in its own (pinned) process:
 *   node --import tsx bench/load-client.ts <closed|open> <url> <connections> <seconds> [rate]
 * Prints one JSON line: requests/s achieved and the percentiles vor-watch measured. With
 * VOR_BENCH_START_AT (epoch ms) set, the run starts at that moment; VOR_BENCH_ENGINE=autocannon
 * runs the closed model on autocannon (`--engine autocannon`). Runs dist/ (the build users
 * run) when it exists. bench/load.ts runs this file compiled to plain JavaScript in a temporary
 * folder, without the tsx loader (VOR_ROOT then names the project).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type * as Redact from '../src/core/redact.js';
import type * as TargetModule from '../src/core/target.js';
import type * as Run from '../load/run.js';
import type * as Scenarios from '../load/scenarios/types.js';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// The compiled build, as `vor-watch load` runs it (the sources through tsx when there is none).
const root = process.env.VOR_ROOT === undefined ? new URL('..', import.meta.url) : pathToFileURL(`${path.resolve(process.env.VOR_ROOT)}/`);
const built = existsSync(new URL('dist/load/run.js', root));
const from = (module: string): string => new URL(built ? `dist/${module}.js` : `${module}.ts`, root).href;
const { createRedactor } = (await import(from('src/core/redact'))) as typeof Redact;
const { buildTarget } = (await import(from('src/core/target'))) as typeof TargetModule;
const { runLoad } = (await import(from('load/run'))) as typeof Run;
const { defineScenario } = (await import(from('load/scenarios/types'))) as typeof Scenarios;

const [model, url, connections, seconds, rate] = process.argv.slice(2);
if (url === undefined || connections === undefined || seconds === undefined || (model !== 'closed' && model !== 'open')) {
  process.stderr.write('usage: load-client.ts <closed|open> <url> <connections> <seconds> [rate]\n');
  process.exit(2);
}
const target = new URL(url);
const scenario = defineScenario({
  name: 'bench',
  description: 'one small static file',
  requests: [{ method: 'GET', base: 'site', path: target.pathname }],
  defaults: { durationSeconds: Number(seconds), connections: Number(connections) },
  thresholds: [
    { id: 'load.latency_p99', metric: 'latencyP99Seconds', below: 1 },
    { id: 'load.throughput', metric: 'requestsPerSecond', above: 1 },
  ],
});
const outputDir = mkdtempSync(path.join(tmpdir(), 'vor-load-bench-'));
// Started beside raw autocannon (bench/load.ts), both wait for the same moment (bench/start-gate.mjs).
const startAt = Number(process.env.VOR_BENCH_START_AT ?? 0);
if (startAt > Date.now()) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(startAt - Date.now(), 60_000));
const out = await runLoad({
  target: buildTarget({ baseUrl: target.origin, environment: 'bench', publicApiPaths: [], routes: [] }),
  scenario,
  durationSeconds: Number(seconds),
  connections: Number(connections),
  ...(process.env.VOR_BENCH_ENGINE === 'autocannon' ? { engine: 'autocannon' as const } : {}),
  ...(model === 'open' && rate !== undefined ? { rate: Number(rate) } : {}),
  redactor: createRedactor(),
  outputDir,
  windowSeconds: 1,
});
rmSync(outputDir, { recursive: true, force: true });
const o = out.report.sample.overall;
const generator = out.report.generator;
process.stdout.write(
  `${JSON.stringify({
    model,
    rate: rate === undefined ? null : Number(rate),
    rps: o.requestsPerSecond,
    requests: o.requests,
    errors: o.failed,
    outcomes: o.outcomes,
    p50: o.latency.p50,
    p99: o.latency.p99,
    max: o.latency.max,
    serviceTimeP99: generator?.serviceTime?.p99 ?? null,
    sendLagP99: generator?.sendLag.p99 ?? null,
    saturated: generator?.saturated ?? null,
    sendLagBound: generator?.boundSeconds ?? null,
  })}\n`,
);
