// Long on purpose: one script drives three contenders (vor-watch, a bare node:https client, blackbox_exporter) through every ordering.
/**
 * Benchmark (not a timed test):
 * `npx tsx bench/probe.ts [--seconds N] [--concurrency N] [--rounds N] [--passes N] [--only https|http] [--skip-probe-run]`
 *
 * 1. A full `vor-watch probe` run against the embedded target: wall time of the CLI, and of
 *    runProbes alone (goal: under 2 s on a 2-core machine).
 * 2. Raw probe throughput with a NEW connection (and TLS handshake) per probe, against
 *    prometheus-blackbox-exporter probing the same target in the same run: in every ordering
 *    of the contenders (`--passes` times), the median of the per-round probes/s ratios is the
 *    goal (≥ 1.0×, via bench/goals.ts), with CPU per probe for both. The target runs in a child process so that this
 *    process's CPU is the Node prober's alone; the child counts accepted TCP connections, which
 *    proves every probe really opened its own connection.
 */
import { spawn, fork, type ChildProcess } from 'node:child_process';
import { subscribe } from 'node:diagnostics_channel';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { createSecureContext, type SecureContext } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool, request } from 'undici';
import { DEFAULT_PROBE_OPTIONS } from '../src/config/schema.js';
import type { Target } from '../src/core/target.js';
import { httpRequest, USER_AGENT, type HttpContext } from '../src/net/http.js';
import { createHttpTransport, type HttpTransport } from '../src/net/transport.js';
import { median, reportGoal } from './goals.js';

const BLACKBOX = '/usr/bin/prometheus-blackbox-exporter';
const here = fileURLToPath(import.meta.url);

interface TargetInfo {
  readonly baseUrl: string;
  readonly httpUrl: string;
  readonly caFile: string;
  readonly caPem: string;
}

// ---------- the target, in a child process that counts its connections ----------

async function childMain(): Promise<void> {
  const { startTarget } = await import('../target/server.js');
  let connections = 0;
  subscribe('net.server.socket', () => {
    connections += 1;
  });
  const target = await startTarget({ quiet: true, rateLimitPerMinute: 1_000_000 });
  process.on('message', (message: { type: string }) => {
    if (message.type === 'connections') process.send?.({ type: 'connections', connections });
    if (message.type === 'close') void target.close().then(() => process.exit(0));
  });
  process.send?.({ type: 'ready', info: { baseUrl: target.baseUrl, httpUrl: target.httpUrl, caFile: target.caFile, caPem: target.caPem } });
}

class TargetChild {
  private constructor(
    private readonly child: ChildProcess,
    readonly info: TargetInfo,
  ) {}

  static start(): Promise<TargetChild> {
    const child = fork(here, ['--child-target'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.on('message', (m: { type: string; info?: TargetInfo }) => {
        if (m.type === 'ready' && m.info !== undefined) resolve(new TargetChild(child, m.info));
      });
    });
  }

  connections(): Promise<number> {
    return new Promise((resolve) => {
      const onMessage = (m: { type: string; connections?: number }) => {
        if (m.type !== 'connections') return;
        this.child.off('message', onMessage);
        resolve(m.connections ?? 0);
      };
      this.child.on('message', onMessage);
      this.child.send({ type: 'connections' });
    });
  }

  pid(): number {
    return this.child.pid ?? 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.send({ type: 'close' });
    });
  }
}

// ---------- measuring ----------

/** utime + stime of a process in seconds, from /proc (clock ticks are 100 Hz on Linux). */
function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface Throughput {
  readonly probes: number;
  readonly failures: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly connections: number;
}

const perSecond = (t: Throughput): number => t.probes / t.seconds;
const cpuMsPerProbe = (t: Throughput): number => (t.cpuSeconds * 1000) / Math.max(1, t.probes);

/** Runs `probe` from `concurrency` loops for `seconds`, counting successes and the target's new connections. */
async function drive(
  target: TargetChild,
  seconds: number,
  concurrency: number,
  probe: () => Promise<boolean>,
  cpu: () => number,
): Promise<Throughput> {
  const connectionsBefore = await target.connections();
  const cpuBefore = cpu();
  const started = performance.now();
  const until = started + seconds * 1000;
  let probes = 0;
  let failures = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        if (await probe().catch(() => false)) probes += 1;
        else failures += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    probes,
    failures,
    seconds: elapsed,
    cpuSeconds: cpu() - cpuBefore,
    connections: (await target.connections()) - connectionsBefore,
  };
}

const ownCpu = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/**
 * One probe exactly as vor-watch's probes make it (src/net/http.ts: limits, timeouts, metrics hook),
 * with `freshConnection` so that the shared Agent closes the socket after each answer.
 */
function vorWatchProber(url: string, caPem: string | undefined, transport: HttpTransport): () => Promise<boolean> {
  const ctx: HttpContext = {
    target: { caPem } as Target,
    options: { ...DEFAULT_PROBE_OPTIONS, timeoutMs: 5_000 },
    signal: new AbortController().signal,
    recordRequest: () => undefined,
    transport,
  };
  return async () =>
    (await httpRequest(ctx, url, { check: 'health.endpoint', freshConnection: true, maxBodyBytes: 64 * 1024 })).status === 200;
}

/** The same probe through node:https with agent:false (a fresh socket per request, llhttp native parser). */
function coreProber(url: string, secureContext: SecureContext | undefined): () => Promise<boolean> {
  const parsed = new URL(url);
  const get = parsed.protocol === 'https:' ? httpsGet : httpGet;
  return () =>
    new Promise((resolve, reject) => {
      const req = get(
        parsed,
        {
          agent: false,
          headers: { 'user-agent': USER_AGENT, connection: 'close' },
          ...(secureContext === undefined ? {} : { secureContext }),
        },
        (res) => {
          res.resume();
          res.once('end', () => resolve(res.statusCode === 200));
          res.once('error', reject);
        },
      );
      req.once('error', reject);
    });
}

function blackboxProber(blackbox: Pool, module: string, url: string): () => Promise<boolean> {
  const query = `/probe?module=${module}&target=${encodeURIComponent(url)}`;
  return async () => {
    const response = await blackbox.request({ path: query, method: 'GET' });
    const text = await response.body.text();
    return /^probe_success 1$/m.test(text);
  };
}

async function startBlackbox(caFile: string): Promise<{ process: ChildProcess; url: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vor-bench-bb-'));
  const config = path.join(dir, 'blackbox.yml');
  writeFileSync(
    config,
    [
      'modules:',
      '  https_2xx:',
      '    prober: http',
      '    timeout: 5s',
      '    http:',
      '      preferred_ip_protocol: ip4',
      '      follow_redirects: false',
      '      tls_config:',
      `        ca_file: ${caFile}`,
      '  http_2xx:',
      '    prober: http',
      '    timeout: 5s',
      '    http:',
      '      preferred_ip_protocol: ip4',
      '      follow_redirects: false',
      '',
    ].join('\n'),
  );
  const port = 19_115 + Math.floor(Math.random() * 800);
  const child = spawn(BLACKBOX, [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=error'], {
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i += 1) {
    const ok = await request(`${url}/-/healthy`)
      .then(async (r) => (await r.body.text(), r.statusCode === 200))
      .catch(() => false);
    if (ok) return { process: child, url };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`blackbox_exporter did not start on ${url}`);
}

// ---------- 1. the full probe run ----------

function timeCli(args: readonly string[]): Promise<{ ms: number; code: number | null }> {
  const started = performance.now();
  const cwd = mkdtempSync(path.join(tmpdir(), 'vor-bench-cli-'));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(path.dirname(here), '..', 'bin', 'vor-watch.js'), ...args], {
      cwd,
      stdio: 'ignore',
      env: { ...process.env, NO_COLOR: '1', VOR_BASE_URL: '' },
    });
    child.on('exit', (code) => resolve({ ms: performance.now() - started, code }));
  });
}

async function fullProbeRun(rounds: number): Promise<void> {
  const { PROBES } = await import('../probes/index.js');
  const { runProbes } = await import('../src/core/runner.js');
  const { buildTarget } = await import('../src/core/target.js');
  const { createRedactor } = await import('../src/core/redact.js');
  const { DEFAULT_BUDGETS, DEFAULT_PROBE_OPTIONS } = await import('../src/config/schema.js');
  const { startTarget } = await import('../target/server.js');

  const cli: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    const run = await timeCli(['probe', '--json']);
    cli.push(run.ms);
    console.log(`  vor-watch probe --json (embedded target, tsx start-up included): ${run.ms.toFixed(0)} ms, exit ${run.code}`);
  }

  const running = await startTarget({ quiet: true });
  const target = buildTarget(
    { baseUrl: running.baseUrl, httpUrl: running.httpUrl, caFile: running.caFile, publicApiPaths: [], routes: [] },
    running.testUser,
  );
  const inProcess: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    const started = performance.now();
    const results = await runProbes({
      target,
      probes: PROBES,
      options: DEFAULT_PROBE_OPTIONS,
      budgets: DEFAULT_BUDGETS,
      redactor: createRedactor([]),
    });
    inProcess.push(performance.now() - started);
    const counts = results.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
    console.log(
      `  runProbes, all ${results.length} checks, cold connections: ${inProcess.at(-1)?.toFixed(0)} ms ${JSON.stringify(counts)}`,
    );
  }
  await running.close();
  console.log(`  median: CLI ${median(cli).toFixed(0)} ms, runProbes ${median(inProcess).toFixed(0)} ms (goal < 2000 ms)`);
}

// ---------- 2. throughput against blackbox_exporter ----------

/** Every ordering of the items (n! of them: 6 for three contenders). */
export function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

interface Contender {
  readonly name: string;
  readonly probe: () => Promise<boolean>;
  readonly cpu: () => number;
}

const loadAverage = (): string => loadavg()[0]?.toFixed(1) ?? '?';

async function throughput(seconds: number, concurrency: number, passes: number, only: string | undefined): Promise<void> {
  const target = await TargetChild.start();
  const blackbox = await startBlackbox(target.info.caFile);
  const pool = new Pool(blackbox.url, { connections: concurrency });
  const secureContext = createSecureContext({ ca: target.info.caPem });
  const transport = createHttpTransport();
  const bbPid = blackbox.process.pid ?? 0;
  const cases = [
    {
      name: 'HTTPS',
      goal: 'HTTPS probes/s vs blackbox_exporter',
      url: `${target.info.baseUrl}/health`,
      module: 'https_2xx',
      context: secureContext,
      caPem: target.info.caPem,
    },
    {
      name: 'plain HTTP',
      goal: 'plain HTTP probes/s vs blackbox_exporter',
      url: `${target.info.httpUrl}/assets/pixel.svg`,
      module: 'http_2xx',
      context: undefined,
      caPem: undefined,
    },
  ].filter((c) => only === undefined || c.module.startsWith(only));
  try {
    for (const c of cases) {
      const contenders: Contender[] = [
        { name: 'vor-watch httpRequest', probe: vorWatchProber(c.url, c.caPem, transport), cpu: ownCpu },
        { name: 'node:https, agent:false', probe: coreProber(c.url, c.context), cpu: ownCpu },
        { name: 'blackbox_exporter', probe: blackboxProber(pool, c.module, c.url), cpu: () => processCpuSeconds(bbPid) },
      ];
      const [vor, core, bb] = contenders as [Contender, Contender, Contender];
      const orderings = permutations(contenders);
      const results = new Map<Contender, Throughput[]>(contenders.map((x) => [x, []]));
      const loads: string[] = [loadAverage()];
      // Steady state is what a long-running monitor sees: each prober warms up (JIT, TLS init) unmeasured.
      for (const contender of contenders) await drive(target, 1, concurrency, contender.probe, contender.cpu);
      // Every ordering, `passes` times: whoever runs first or after whom gets no edge, and a busy spell
      // of the shared machine falls on one round, whose ratio is then one of many in the median.
      const rounds: Map<Contender, Throughput>[] = [];
      for (let pass = 0; pass < passes; pass += 1) {
        for (const ordering of orderings) {
          const round = new Map<Contender, Throughput>();
          for (const contender of ordering) {
            const t = await drive(target, seconds, concurrency, contender.probe, contender.cpu);
            transport.close();
            round.set(contender, t);
            results.get(contender)?.push(t);
          }
          rounds.push(round);
          loads.push(loadAverage());
        }
      }
      const ratiosTo = (x: Contender): number[] =>
        rounds.map((round) => perSecond(round.get(x) as Throughput) / perSecond(round.get(bb) as Throughput));
      const medianOf = (x: Contender, f: (t: Throughput) => number): number => median((results.get(x) ?? []).map(f));
      console.log(
        `\n  ${c.name}: ${c.url} (concurrency ${concurrency}, 1 s warm-up each, then ${rounds.length} rounds of ${seconds} s each, ` +
          `every ordering of the ${contenders.length} contenders ${passes}×; load average ${loads.join(' → ')})`,
      );
      for (const x of contenders) {
        const ts = results.get(x) ?? [];
        console.log(
          `    ${x.name.padEnd(24)} median ${medianOf(x, perSecond).toFixed(0).padStart(6)} probes/s  ${medianOf(x, cpuMsPerProbe).toFixed(2)} ms CPU/probe  ` +
            `${ts.reduce((a, t) => a + t.probes, 0)} ok, ${ts.reduce((a, t) => a + t.failures, 0)} failed, ` +
            `${ts.reduce((a, t) => a + t.connections, 0)} new connections at the target`,
        );
      }
      const fmt = (xs: number[]) => xs.map((r) => r.toFixed(2)).join(' ');
      console.log(`    per-round ratio node:https / blackbox: ${fmt(ratiosTo(core))} (median ${median(ratiosTo(core)).toFixed(2)}×)`);
      console.log(`    per-round ratio vor-watch / blackbox:  ${fmt(ratiosTo(vor))}`);
      reportGoal({
        bench: 'probe',
        goal: c.goal,
        measured: Math.round(median(ratiosTo(vor)) * 100) / 100,
        target: 1,
        unit: '×',
        better: 'higher',
        detail:
          `median of ${rounds.length} per-round ratios (every ordering of 3 contenders), a new connection per probe; ` +
          `median ${medianOf(vor, perSecond).toFixed(0)} vs ${medianOf(bb, perSecond).toFixed(0)} probes/s, ` +
          `${medianOf(vor, cpuMsPerProbe).toFixed(2)} vs ${medianOf(bb, cpuMsPerProbe).toFixed(2)} ms CPU per probe; ` +
          `load average ${loads[0]}–${loads.at(-1)} on ${cpus().length} cores`,
      });
    }
  } finally {
    transport.close();
    await pool.close();
    blackbox.process.kill('SIGTERM');
    await target.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '3' },
      concurrency: { type: 'string', default: '8' },
      rounds: { type: 'string', default: '2' },
      /** Passes through every ordering of the contenders (6 rounds each) in the throughput part. */
      passes: { type: 'string', default: '1' },
      /** Throughput for one case only: "https" or "http". */
      only: { type: 'string' },
      'skip-throughput': { type: 'boolean', default: false },
      'skip-probe-run': { type: 'boolean', default: false },
    },
  });
  const seconds = Math.min(30, Number(values.seconds));
  const concurrency = Math.min(64, Number(values.concurrency));
  const rounds = Math.min(5, Number(values.rounds));
  if (!values['skip-probe-run']) {
    console.log('1. full probe run against the embedded target');
    await fullProbeRun(rounds + 1);
  }
  if (!values['skip-throughput']) {
    console.log('\n2. raw probe throughput, one new connection per probe, vs prometheus-blackbox-exporter');
    await throughput(seconds, concurrency, Math.max(1, Math.min(5, Number(values.passes))), values.only);
  }
}

if (process.argv.includes('--child-target')) await childMain();
else await main();
