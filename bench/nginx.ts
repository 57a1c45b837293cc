/**
 * nginx serving one small file (128 bytes) on loopback, pinned to core 0, for the load benchmarks:
 * their clients run on core 1.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const SERVER_CORE = '0';
export const CLIENT_CORE = '1';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

interface Launched {
  readonly dir: string;
  readonly urls: readonly string[];
  readonly stop: () => void;
}

/** One nginx worker listening on `ports` free ports; `accessLog` gives its log directives (none by default). */
async function launch(ports: number, accessLog?: (dir: string) => string): Promise<Launched> {
  const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
  if (nginx === undefined) throw new Error('nginx is missing (apt-get install nginx-light)');
  const dir = mkdtempSync(path.join(tmpdir(), 'vor-bench-nginx-'));
  mkdirSync(path.join(dir, 'html'));
  writeFileSync(path.join(dir, 'html', 'small.txt'), 'x'.repeat(128));
  // nginx's worker runs unprivileged: a 0700 temp dir would answer 403 to every request.
  chmodSync(dir, 0o755);
  const chosen: number[] = [];
  for (let i = 0; i < ports; i += 1) chosen.push(await freePort());
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  ${accessLog?.(dir) ?? 'access_log off;'}
  keepalive_requests 1000000;
  client_body_temp_path ${dir}/tmp; proxy_temp_path ${dir}/tmp; fastcgi_temp_path ${dir}/tmp; uwsgi_temp_path ${dir}/tmp; scgi_temp_path ${dir}/tmp;
  server { ${chosen.map((port) => `listen 127.0.0.1:${port};`).join(' ')} root ${dir}/html; }
}
`,
  );
  const child = spawn('/usr/bin/taskset', ['-c', SERVER_CORE, nginx, '-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: 'ignore' });
  const urls = chosen.map((port) => `http://127.0.0.1:${port}/small.txt`);
  const stop = () => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  for (const url of urls) {
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
  }
  return { dir, urls, stop };
}

export async function startNginx(): Promise<{ url: string; stop: () => void }> {
  const { urls, stop } = await launch(1);
  return { url: urls[0] as string, stop };
}

/** Each answer nginx logged: the port it came in on and when (epoch seconds, millisecond resolution). */
export interface LoggedAnswer {
  readonly port: number;
  readonly atSeconds: number;
}

/** Answers on port `a` over answers on port `b`, counted while both were answered (NaN under a second). */
export function commonStretchRatio(log: readonly LoggedAnswer[], a: number, b: number): number {
  const span = (port: number) => {
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const entry of log) {
      if (entry.port !== port) continue;
      first = Math.min(first, entry.atSeconds);
      last = Math.max(last, entry.atSeconds);
    }
    // Hundreds of thousands of answers: no spreading them into Math.min's arguments.
    return first === Number.POSITIVE_INFINITY ? undefined : { first, last };
  };
  const spanA = span(a);
  const spanB = span(b);
  if (spanA === undefined || spanB === undefined) return Number.NaN;
  const from = Math.max(spanA.first, spanB.first) + 0.5;
  const to = Math.min(spanA.last, spanB.last) - 0.5;
  if (to - from < 1) return Number.NaN;
  const count = (port: number) => log.filter((entry) => entry.port === port && entry.atSeconds >= from && entry.atSeconds < to).length;
  return count(a) / count(b);
}

/**
 * The same file on two ports of one nginx worker, each answer logged with its port and time, so two
 * clients run at once can be counted by the server over the same stretch of time.
 */
export async function startPairedNginx(): Promise<{
  urls: readonly [string, string];
  /** The answers logged since the last call (the log is flushed every second: wait 1.5 s after a run). */
  takeLog: () => LoggedAnswer[];
  stop: () => void;
}> {
  const { dir, urls, stop } = await launch(
    2,
    (at) => `log_format paired '$msec $server_port'; access_log ${path.join(at, 'access.log')} paired buffer=1m flush=1s;`,
  );
  const file = path.join(dir, 'access.log');
  const takeLog = (): LoggedAnswer[] => {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    // nginx opens its log for appending: emptying it keeps later lines at the start.
    writeFileSync(file, '');
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const [at, port] = line.split(' ');
        return { atSeconds: Number(at), port: Number(port) };
      });
  };
  // The readiness checks' answers are flushed within a second: start with an empty log.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  takeLog();
  return { urls: urls as [string, string], takeLog, stop };
}
