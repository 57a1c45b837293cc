/**
 * Benchmark: CPU and RSS of `vor-watch monitor` probing N targets (default 100) with every HTTP
 * probe every 30 s, next to prometheus-blackbox-exporter + Prometheus making the same number of
 * requests per target per interval, in the same run (one phase after the other, same target).
 *
 *   npm run build && node --import tsx bench/monitor.ts [--targets 100] [--seconds 120] [--interval 30] [--rounds 1]
 *     [--malloc image|default] [--v8 image|default] [--monitor-only] [--node-flags "--max-semi-space-size=1"]
 *
 * The monitor runs as shipped (bin/vor-watch.js, the build in dist/, with the container image's
 * GLIBC_TUNABLES unless --malloc default, and the node flags of its ENTRYPOINT unless --v8 default). --monitor-only skips the blackbox phase and the goals and
 * prints the monitor's RSS second by second and its V8 heap at the end, for memory experiments. Goals (bench/goals.ts): the
 * monitor's peak RSS ≤ 150 MB, and its CPU ≤ 0.5× that of blackbox_exporter + Prometheus.
 *
 * The N targets are N loopback ports forwarded to one reference target, so each has its own
 * origin (and its own label values) while the bench stays one process plus the measured ones.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startTarget, type RunningTarget } from '../target/server.js';
import { median, reportGoal } from './goals.js';
import { watchProcesses } from './proc.js';

const BIN = fileURLToPath(new URL('../bin/vor-watch.js', import.meta.url));
const REPORTS = fileURLToPath(new URL('../reports/', import.meta.url));

const { values } = parseArgs({
  options: {
    targets: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '120' },
    interval: { type: 'string', default: '30' },
    /** Rounds of both phases, in alternating order; the goals are medians over them. */
    rounds: { type: 'string', default: '1' },
    /** Extra V8/Node flags for the monitor's process (e.g. "--max-semi-space-size=1"), to try memory settings. */
    'node-flags': { type: 'string', default: '' },
    /** Measure the monitor alone (no blackbox phase, no CPU ratio): for memory experiments. */
    'monitor-only': { type: 'boolean', default: false },
    /** `image` (default): the monitor runs with the Dockerfile's GLIBC_TUNABLES, as shipped; `default`: glibc's own malloc settings. */
    malloc: { type: 'string', default: 'image' },
    /** `image` (default): the node flags of the Dockerfile's ENTRYPOINT (--optimize-for-size), as shipped; `default`: none. */
    v8: { type: 'string', default: 'image' },
  },
});
const ROUNDS = Math.max(1, Math.min(5, Number(values.rounds)));
const TARGETS = Number(values.targets);
const SECONDS = Number(values.seconds);
const INTERVAL_S = Number(values.interval);
/** The malloc settings the container image gives the monitor (Dockerfile ENV), so the bench measures what ships. */
function imageMallocTunables(): string {
  const dockerfile = readFileSync(fileURLToPath(new URL('../Dockerfile', import.meta.url)), 'utf8');
  const tunables = /GLIBC_TUNABLES=(\S+)/.exec(dockerfile)?.[1];
  if (tunables === undefined) throw new Error('the Dockerfile sets no GLIBC_TUNABLES');
  return tunables;
}
/** The flags the container image gives node before bin/vor-watch.js (Dockerfile ENTRYPOINT). */
function imageNodeFlags(): string[] {
  const dockerfile = readFileSync(fileURLToPath(new URL('../Dockerfile', import.meta.url)), 'utf8');
  const entrypoint = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(dockerfile)?.[1];
  if (entrypoint === undefined) throw new Error('the Dockerfile has no ENTRYPOINT in exec form');
  const argv = JSON.parse(entrypoint) as string[];
  const node = argv.indexOf('node');
  const bin = argv.indexOf('bin/vor-watch.js');
  if (node === -1 || bin <= node) throw new Error(`the Dockerfile's ENTRYPOINT does not run node bin/vor-watch.js: ${entrypoint}`);
  return argv.slice(node + 1, bin);
}
for (const option of ['malloc', 'v8'] as const) {
  if (values[option] !== 'image' && values[option] !== 'default') {
    process.stderr.write(`bench: --${option} must be "image" or "default", not "${values[option]}"\n`);
    process.exit(2);
  }
}
const MALLOC_ENV: NodeJS.ProcessEnv = values.malloc === 'default' ? {} : { GLIBC_TUNABLES: imageMallocTunables() };
const IMAGE_NODE_FLAGS = values.v8 === 'default' ? [] : imageNodeFlags();
const NODE_FLAGS = [...IMAGE_NODE_FLAGS, ...values['node-flags'].split(/\s+/).filter((flag) => flag !== '')];

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/** N loopback ports, each piping TCP to the reference target (TLS passes through untouched). */
async function startForwarders(targetPort: number, count: number): Promise<{ ports: number[]; close(): Promise<void> }> {
  const servers: Server[] = [];
  const ports: number[] = [];
  const sockets = new Set<Socket>();
  for (let i = 0; i < count; i += 1) {
    const server = createServer((socket) => {
      const upstream = connect(targetPort, '127.0.0.1');
      sockets.add(socket).add(upstream);
      socket.once('close', () => sockets.delete(socket));
      upstream.once('close', () => sockets.delete(upstream));
      socket.pipe(upstream).pipe(socket);
      const end = (): void => {
        socket.destroy();
        upstream.destroy();
      };
      socket.on('error', end);
      upstream.on('error', end);
    });
    servers.push(server);
    ports.push(await listen(server));
  }
  return {
    ports,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    },
  };
}

const freePort = async (): Promise<number> => {
  const s = createServer();
  const port = await listen(s);
  await new Promise((r) => s.close(r));
  return port;
};

function spawnQuiet(cmd: string, args: string[], env?: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  child.once('exit', (code) => {
    if (code !== 0 && code !== null) process.stderr.write(`${cmd} exited ${code}: ${err}\n`);
  });
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function scrapeText(url: string): Promise<string> {
  return fetch(url, { signal: AbortSignal.timeout(60_000) }).then(
    (r) => r.text(),
    () => '',
  );
}

interface Phase {
  readonly name: string;
  readonly cpuSeconds: number;
  readonly cpuCores: number;
  readonly rssAvgMB: number;
  readonly rssMaxMB: number;
  readonly requests: number;
  /** Share of the expected per-target cycles (targets × elapsed intervals) that completed. */
  readonly coverage: number;
  /** CPU of the bench process itself (the shared reference target): near 1 core means it was the bottleneck. */
  readonly targetCpuCores: number;
}

const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function monitorPhase(running: RunningTarget, ports: number[], dir: string): Promise<Phase & { requestsPerTargetCycle: number }> {
  const config = {
    targets: ports.map((port, i) => ({
      name: `t${i}`,
      baseUrl: `https://127.0.0.1:${port}`,
      httpUrl: running.httpUrl,
      caFile: running.caFile,
      environment: 'staging',
    })),
  };
  const configFile = path.join(dir, 'targets.json');
  writeFileSync(configFile, JSON.stringify(config));
  const listenPort = await freePort();
  const child = spawnQuiet(
    process.execPath,
    [...NODE_FLAGS, BIN, 'monitor', '--config', configFile, '--interval', `${INTERVAL_S}s`, '--listen', `127.0.0.1:${listenPort}`],
    {
      ...MALLOC_ENV,
      SENTRY_DSN: '',
      VOR_TEST_USER_EMAIL: running.testUser.email,
      VOR_TEST_USER_PASSWORD: running.testUser.password,
    },
  );
  const watch = watchProcesses(() => (child.pid === undefined ? [] : [child.pid]));
  const self = watchProcesses(() => [process.pid]);
  await sleep(SECONDS * 1000);
  const targetCpu = self.stop().cpuSeconds;
  const body = await scrapeText(`http://127.0.0.1:${listenPort}/metrics`);
  const result = watch.stop();
  if (values['monitor-only']) {
    process.stderr.write(`bench: monitor RSS MB by second: ${result.rssSeries.map((b) => Math.round(b / 1048576)).join(' ')}\n`);
    const series = new Map<string, number>();
    for (const line of body.split('\n')) {
      const name = /^([a-z_:][a-z0-9_:]*)/i.exec(line)?.[1];
      if (name !== undefined) series.set(name, (series.get(name) ?? 0) + 1);
    }
    const largest = [...series].sort((a, b) => b[1] - a[1]).slice(0, 5);
    process.stderr.write(
      `bench: the end's scrape: ${mb(Buffer.byteLength(body))} MB, ${[...series.values()].reduce((a, b) => a + b, 0)} series; most: ${largest.map(([n, c]) => `${n} ${c}`).join(', ')}\n`,
    );
  }
  await stop(child);
  const gauge = (name: string): string =>
    mb(Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([\\d.e+]+)`, 'm').exec(body)?.[1] ?? 0)).toString();
  process.stderr.write(
    `bench: monitor at the end: RSS ${gauge('process_resident_memory_bytes')} MB, heap used ${gauge('nodejs_heap_size_used_bytes')} of ${gauge('nodejs_heap_size_total_bytes')} MB, external ${gauge('nodejs_external_memory_bytes')} MB\n`,
  );
  const requests = [...body.matchAll(/^vor_probe_requests_total\{[^}]*\} (\d+)/gm)].reduce((s, m) => s + Number(m[1]), 0);
  const healthRuns = [...body.matchAll(/^vor_check_runs_total\{[^}]*check="health\.endpoint"[^}]*\} (\d+)/gm)].reduce(
    (s, m) => s + Number(m[1]),
    0,
  );
  return {
    name: `vor-watch monitor (${TARGETS} targets, every probe, ${INTERVAL_S}s)`,
    cpuSeconds: result.cpuSeconds,
    cpuCores: result.cpuSeconds / SECONDS,
    rssAvgMB: mb(result.rssAvgBytes),
    rssMaxMB: mb(result.rssMaxBytes),
    requests,
    coverage: healthRuns / (TARGETS * Math.floor(SECONDS / INTERVAL_S)),
    targetCpuCores: targetCpu / SECONDS,
    requestsPerTargetCycle: healthRuns === 0 ? 0 : Math.round(requests / healthRuns),
  };
}

/** The URLs blackbox probes per target: the main pages and files the HTTP probes fetch. */
function blackboxUrls(port: number, perTarget: number): { module: string; url: string }[] {
  const base = `https://127.0.0.1:${port}`;
  const menu = [
    { module: 'http_2xx', url: `${base}/` },
    { module: 'http_health', url: `${base}/health` },
    { module: 'http_any', url: `${base}/.env` },
    { module: 'http_any', url: `${base}/.git/config` },
    { module: 'http_any', url: `${base}/api/search?q=%27` },
    { module: 'http_cors', url: `${base}/api/auth/login` },
    { module: 'http_login', url: `${base}/api/auth/login` },
    { module: 'http_any', url: `${base}/sitemap.xml` },
    { module: 'http_any', url: `${base}/api/me` },
    { module: 'tls', url: `127.0.0.1:${port}` },
  ];
  return Array.from({ length: perTarget }, (_, i) => menu[i % menu.length] ?? menu[0]!).map((m, i) =>
    i < menu.length ? m : { ...m, url: m.module === 'tls' ? m.url : `${m.url}${m.url.includes('?') ? '&' : '?'}n=${i}` },
  );
}

async function blackboxPhase(running: RunningTarget, ports: number[], dir: string, perTarget: number): Promise<Phase> {
  const bbPort = await freePort();
  const promPort = await freePort();
  const tls = `tls_config: { ca_file: ${running.caFile} }`;
  writeFileSync(
    path.join(dir, 'blackbox.yml'),
    [
      'modules:',
      `  http_2xx: { prober: http, timeout: 10s, http: { preferred_ip_protocol: ip4, fail_if_not_ssl: true, ${tls} } }`,
      `  http_health: { prober: http, timeout: 2s, http: { preferred_ip_protocol: ip4, valid_status_codes: [200], fail_if_body_not_matches_regexp: ['"status"'], ${tls} } }`,
      `  http_any: { prober: http, timeout: 10s, http: { preferred_ip_protocol: ip4, valid_status_codes: [200, 301, 302, 400, 401, 403, 404], ${tls} } }`,
      `  http_cors: { prober: http, timeout: 10s, http: { method: OPTIONS, preferred_ip_protocol: ip4, headers: { Origin: 'https://evil.example', Access-Control-Request-Method: POST }, valid_status_codes: [200, 204, 403, 404], ${tls} } }`,
      `  http_login: { prober: http, timeout: 10s, http: { method: POST, preferred_ip_protocol: ip4, headers: { Content-Type: application/json }, body: '{"email":"nobody@vor.test","password":"wrong"}', valid_status_codes: [400, 401, 403, 429], ${tls} } }`,
      `  tls: { prober: tcp, timeout: 10s, tcp: { preferred_ip_protocol: ip4, tls: true, ${tls} } }`,
      '',
    ].join('\n'),
  );
  const byModule = new Map<string, string[]>();
  for (const port of ports)
    for (const { module, url } of blackboxUrls(port, perTarget)) byModule.set(module, [...(byModule.get(module) ?? []), url]);
  const jobs = [...byModule].map(([module, urls]) =>
    [
      `  - job_name: blackbox_${module}`,
      '    metrics_path: /probe',
      `    params: { module: [${module}] }`,
      `    static_configs: [{ targets: ${JSON.stringify(urls)} }]`,
      '    relabel_configs:',
      '      - { source_labels: [__address__], target_label: __param_target }',
      '      - { source_labels: [__param_target], target_label: instance }',
      `      - { target_label: __address__, replacement: '127.0.0.1:${bbPort}' }`,
    ].join('\n'),
  );
  writeFileSync(
    path.join(dir, 'prometheus.yml'),
    [
      `global: { scrape_interval: ${INTERVAL_S}s, scrape_timeout: ${Math.min(10, INTERVAL_S)}s, evaluation_interval: ${INTERVAL_S}s }`,
      'scrape_configs:',
      ...jobs,
      '',
    ].join('\n'),
  );
  const bb = spawnQuiet('/usr/bin/prometheus-blackbox-exporter', [
    `--config.file=${path.join(dir, 'blackbox.yml')}`,
    `--web.listen-address=127.0.0.1:${bbPort}`,
  ]);
  const prom = spawnQuiet('/usr/bin/prometheus', [
    `--config.file=${path.join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${path.join(dir, 'prom-data')}`,
    `--web.listen-address=127.0.0.1:${promPort}`,
  ]);
  const watch = watchProcesses(() => [bb.pid, prom.pid].filter((p): p is number => p !== undefined));
  const self = watchProcesses(() => [process.pid]);
  await sleep(SECONDS * 1000);
  const targetCpu = self.stop().cpuSeconds;
  const count = await scrapeText(
    `http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent('sum(count_over_time(probe_success[1h]))')}`,
  );
  const result = watch.stop();
  await stop(prom);
  await stop(bb);
  const requests = Number(/"value":\[[\d.]+,"([\d.]+)"\]/.exec(count)?.[1] ?? 0);
  return {
    name: `blackbox-exporter + Prometheus (${TARGETS} targets × ${perTarget} probes, ${INTERVAL_S}s)`,
    cpuSeconds: result.cpuSeconds,
    cpuCores: result.cpuSeconds / SECONDS,
    rssAvgMB: mb(result.rssAvgBytes),
    rssMaxMB: mb(result.rssMaxBytes),
    requests,
    coverage: requests / (TARGETS * perTarget * Math.floor(SECONDS / INTERVAL_S)),
    targetCpuCores: targetCpu / SECONDS,
  };
}

class MonitorOnlyDone extends Error {}

// A low bcrypt cost keeps the shared reference target from being the bottleneck for 100 targets' logins.
const running = await startTarget({ quiet: true, rateLimitPerMinute: 1_000_000, bcryptCost: 4 });
const forwarders = await startForwarders(new URL(running.baseUrl).port === '' ? 443 : Number(new URL(running.baseUrl).port), TARGETS);
const dir = mkdtempSync(path.join(tmpdir(), 'vor-bench-'));
const loadAverage = (): string => loadavg()[0]?.toFixed(1) ?? '?';
try {
  process.stderr.write(
    `bench: ${TARGETS} targets, ${SECONDS}s per phase, interval ${INTERVAL_S}s, ${ROUNDS} round(s), load average ${loadAverage()}\n`,
  );
  const monitors: Phase[] = [];
  const blackboxes: Phase[] = [];
  const cpuRatios: number[] = [];
  const loads: string[] = [loadAverage()];
  let perTarget = 0;
  for (let round = 0; round < ROUNDS; round += 1) {
    // The first round measures the monitor first (blackbox mirrors its requests per target);
    // later rounds alternate the order, so that a busy spell of the shared machine hits both alike.
    const monitorFirst = round % 2 === 0;
    let monitor: Phase | undefined;
    let blackbox: Phase | undefined;
    const order = values['monitor-only'] ? ['monitor'] : monitorFirst ? ['monitor', 'blackbox'] : ['blackbox', 'monitor'];
    for (const which of order) {
      if (which === 'monitor') {
        const phase = await monitorPhase(running, forwarders.ports, dir);
        perTarget = Math.max(1, phase.requestsPerTargetCycle);
        process.stderr.write(`bench: monitor phase done (${phase.requestsPerTargetCycle} requests per target per cycle)\n`);
        monitor = phase;
      } else {
        blackbox = await blackboxPhase(running, forwarders.ports, dir, perTarget);
        process.stderr.write('bench: blackbox phase done\n');
      }
    }
    if (monitor === undefined) throw new Error('the monitor phase did not run');
    if (blackbox === undefined) {
      process.stdout.write(
        `monitor alone: RSS average ${monitor.rssAvgMB} MB, peak ${monitor.rssMaxMB} MB, CPU ${monitor.cpuSeconds.toFixed(1)} s, cycles done ${(monitor.coverage * 100).toFixed(0)} %\n`,
      );
      monitors.push(monitor);
      continue;
    }
    monitors.push(monitor);
    blackboxes.push(blackbox);
    cpuRatios.push(monitor.cpuSeconds / Math.max(0.01, blackbox.cpuSeconds));
    loads.push(loadAverage());
  }
  if (values['monitor-only']) throw new MonitorOnlyDone();
  const rows = [...monitors, ...blackboxes];
  const table = [
    '| setup | CPU s | CPU cores (avg) | RSS avg MB | RSS max MB | requests made | cycles done | CPU ms/request | target CPU cores |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.cpuSeconds.toFixed(1)} | ${r.cpuCores.toFixed(3)} | ${r.rssAvgMB} | ${r.rssMaxMB} | ${r.requests} | ${(r.coverage * 100).toFixed(0)} % | ${((r.cpuSeconds * 1000) / Math.max(1, r.requests)).toFixed(2)} | ${r.targetCpuCores.toFixed(2)} |`,
    ),
  ].join('\n');
  process.stdout.write(`${table}\n`);
  const med = (phases: Phase[], f: (p: Phase) => number): number => median(phases.map(f));
  const mallocNote =
    MALLOC_ENV.GLIBC_TUNABLES === undefined
      ? "glibc's default malloc settings"
      : `the image's GLIBC_TUNABLES (${MALLOC_ENV.GLIBC_TUNABLES})`;
  const flagsNote = NODE_FLAGS.length === 0 ? 'no node flags' : `node ${NODE_FLAGS.join(' ')}`;
  const context = `${TARGETS} targets, ${SECONDS} s phases, monitor with ${mallocNote} and ${flagsNote}, median of ${ROUNDS} round(s); load average ${loads.join(' → ')} on ${cpus().length} cores`;
  reportGoal({
    bench: 'monitor',
    goal: `monitor RSS, ${TARGETS} targets (peak)`,
    measured: med(monitors, (p) => p.rssMaxMB),
    target: 150,
    unit: 'MB',
    better: 'lower',
    detail: `average ${med(monitors, (p) => p.rssAvgMB)} MB; blackbox_exporter + Prometheus ${med(blackboxes, (p) => p.rssAvgMB)} MB average, ${med(blackboxes, (p) => p.rssMaxMB)} MB peak; ${context}`,
  });
  reportGoal({
    bench: 'monitor',
    goal: 'monitor CPU vs blackbox_exporter + Prometheus',
    measured: Math.round(median(cpuRatios) * 100) / 100,
    target: 0.5,
    unit: '×',
    better: 'lower',
    detail: `CPU ${med(monitors, (p) => p.cpuSeconds).toFixed(1)} s vs ${med(blackboxes, (p) => p.cpuSeconds).toFixed(1)} s; cycles done ${(med(monitors, (p) => p.coverage) * 100).toFixed(0)} % vs ${(med(blackboxes, (p) => p.coverage) * 100).toFixed(0)} %; ${context}`,
  });
  mkdirSync(REPORTS, { recursive: true });
  const out = path.join(REPORTS, `bench-monitor-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    out,
    JSON.stringify({ targets: TARGETS, seconds: SECONDS, intervalSeconds: INTERVAL_S, rounds: ROUNDS, rows, cpuRatios, loads }, null, 2),
  );
  process.stderr.write(`bench: wrote ${out}\n`);
} catch (error) {
  // --monitor-only reports no goals: the blackbox phase they compare against did not run.
  if (!(error instanceof MonitorOnlyDone)) throw error;
} finally {
  await forwarders.close();
  await running.close();
  rmSync(dir, { recursive: true, force: true });
}
