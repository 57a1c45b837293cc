/**
 * Requests/s of vor-watch load (closed and open model) vs the raw autocannon CLI and wrk, in one
 * run against nginx serving a small file on loopback; server on core 0, each client on core 1.
 *
 *   node --import tsx bench/load.ts [--seconds 5] [--connections 10]
 *
 * Not a timed test: it prints a table and the ratios the issue sets goals for
 * (closed ≥ 0.98× raw autocannon; open sustains ≥ 0.6× wrk's ceiling with sane percentiles).
 */
import { execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
const SERVER_CORE = '0';
const CLIENT_CORE = '1';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    repeat: { type: 'string', default: '2' },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
// The machine is shared: each closed-loop client runs `repeat` times, alternating, and the best run counts.
const repeat = Math.min(5, Math.max(1, Number(values.repeat)));
if (!(seconds >= 1 && seconds <= 60) || !(connections >= 1 && connections <= 1000)) {
  process.stderr.write('--seconds must be 1..60 and --connections 1..1000\n');
  process.exit(2);
}
for (const bin of ['/usr/bin/wrk', '/usr/bin/taskset'])
  if (!existsSync(bin)) throw new Error(`${bin} is missing (apt-get install wrk util-linux)`);
if (NGINX === undefined) throw new Error('nginx is missing (apt-get install nginx-light)');

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

async function startNginx(): Promise<{ url: string; stop: () => void }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vor-bench-nginx-'));
  mkdirSync(path.join(dir, 'html'));
  writeFileSync(path.join(dir, 'html', 'small.txt'), 'x'.repeat(128));
  // nginx's worker runs unprivileged: a 0700 temp dir would answer 403 to every request.
  chmodSync(dir, 0o755);
  const port = await freePort();
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path ${dir}/tmp; proxy_temp_path ${dir}/tmp; fastcgi_temp_path ${dir}/tmp; uwsgi_temp_path ${dir}/tmp; scgi_temp_path ${dir}/tmp;
  server { listen 127.0.0.1:${port}; root ${dir}/html; }
}
`,
  );
  const child = spawn('/usr/bin/taskset', ['-c', SERVER_CORE, NGINX!, '-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/small.txt`;
  let status = 0;
  for (let i = 0; i < 50 && status !== 200; i += 1) {
    status = await fetch(url)
      .then((r) => r.status)
      .catch(() => 0);
    if (status !== 200) await new Promise((r) => setTimeout(r, 100));
  }
  if (status !== 200) {
    child.kill('SIGTERM');
    throw new Error(`nginx did not serve ${url} (last status ${status}); see ${dir}/error.log`);
  }
  return {
    url,
    stop: () => {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const pinned = (args: readonly string[]) =>
  run('/usr/bin/taskset', ['-c', CLIENT_CORE, ...args], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024, timeout: (seconds + 30) * 1000 });

async function wrk(url: string): Promise<number> {
  const { stdout } = await pinned(['/usr/bin/wrk', '-t1', `-c${connections}`, `-d${seconds}s`, url]);
  const match = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  if (match?.[1] === undefined) throw new Error(`could not read wrk's output:\n${stdout}`);
  return Number(match[1]);
}

async function rawAutocannon(url: string): Promise<number> {
  const { stdout } = await pinned([
    process.execPath,
    'node_modules/autocannon/autocannon.js',
    '-c',
    String(connections),
    '-d',
    String(seconds),
    '--json',
    url,
  ]);
  const result = JSON.parse(stdout) as { requests: { total: number }; duration: number };
  return result.requests.total / result.duration;
}

interface ClientResult {
  rps: number;
  requests: number;
  errors: number;
  outcomes: Record<string, number>;
  p50: number;
  p99: number;
  rate: number | null;
}

async function vorWatch(url: string, model: 'closed' | 'open', rate?: number): Promise<ClientResult> {
  const { stdout } = await pinned([
    process.execPath,
    '--import',
    'tsx',
    'bench/load-client.ts',
    model,
    url,
    String(model === 'open' ? Math.max(connections, 50) : connections),
    String(seconds),
    ...(rate === undefined ? [] : [String(rate)]),
  ]);
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as ClientResult;
}

const best = (runs: readonly number[]) => Math.max(...runs);

const nginx = await startNginx();
try {
  const wrkRuns: number[] = [];
  const autocannonRuns: number[] = [];
  const closedRuns: ClientResult[] = [];
  for (let i = 0; i < repeat; i += 1) {
    wrkRuns.push(await wrk(nginx.url));
    autocannonRuns.push(await rawAutocannon(nginx.url));
    closedRuns.push(await vorWatch(nginx.url, 'closed'));
  }
  const wrkRps = best(wrkRuns);
  const autocannonRps = best(autocannonRuns);
  const closed = closedRuns.reduce((a, b) => (b.rps > a.rps ? b : a));
  const openRates = [0.4, 0.6, 0.8].map((share) => Math.round(wrkRps * share));
  const opens: ClientResult[] = [];
  for (const rate of openRates) opens.push(await vorWatch(nginx.url, 'open', rate));
  const ms = (s: number) => `${(s * 1000).toFixed(2)} ms`;
  const runs = (list: readonly number[]) => `[runs: ${list.map((r) => r.toFixed(0)).join(', ')}]`;
  const lines = [
    `nginx ${nginx.url} on core ${SERVER_CORE}; clients on core ${CLIENT_CORE}; ${connections} connections; ${seconds} s each; best of ${repeat}`,
    `wrk                      ${wrkRps.toFixed(0).padStart(8)} req/s   1.00× wrk   ${runs(wrkRuns)}`,
    `autocannon (raw CLI)     ${autocannonRps.toFixed(0).padStart(8)} req/s   ${(autocannonRps / wrkRps).toFixed(2)}× wrk   ${runs(autocannonRuns)}`,
    `vor-watch load, closed   ${closed.rps.toFixed(0).padStart(8)} req/s   ${(closed.rps / wrkRps).toFixed(2)}× wrk   ${(closed.rps / autocannonRps).toFixed(3)}× raw autocannon   p99 ${ms(closed.p99)}   ${runs(closedRuns.map((c) => c.rps))}`,
    ...opens.map((o) => {
      const sustained = o.rate !== null && o.rps >= o.rate * 0.95 && o.errors === 0;
      const errors = o.errors === 0 ? '' : ` ${o.errors} errors ${JSON.stringify(o.outcomes)}`;
      return `vor-watch load, open @${String(o.rate).padStart(6)}/s ${o.rps.toFixed(0).padStart(7)} req/s   ${(o.rps / wrkRps).toFixed(2)}× wrk   target ${((o.rate ?? 0) / wrkRps).toFixed(1)}× wrk ${sustained ? 'sustained' : 'NOT sustained'}   p50 ${ms(o.p50)} p99 ${ms(o.p99)}${errors}`;
    }),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  nginx.stop();
}
