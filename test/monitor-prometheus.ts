/** Starts Debian's Prometheus on loopback for integration tests; always killed by close(). */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROMETHEUS } from './monitor-promtool.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningPrometheus {
  readonly url: string;
  log(): string;
  alerts(): Promise<{ labels: Record<string, string>; state: string }[]>;
  close(): Promise<void>;
}

export async function startPrometheus(options: {
  /** host:port of the monitor(s) to scrape, one job. */
  scrapeTarget: string | readonly string[];
  rules: string;
  job?: string;
  intervalSeconds?: number;
  /** Scrape over HTTPS, trusting this CA (the reference target's own /metrics). */
  https?: { caFile: string };
}): Promise<RunningPrometheus> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vor-prom-'));
  const interval = `${options.intervalSeconds ?? 1}s`;
  writeFileSync(path.join(dir, 'rules.yml'), options.rules);
  writeFileSync(
    path.join(dir, 'prometheus.yml'),
    [
      'global:',
      `  scrape_interval: ${interval}`,
      `  evaluation_interval: ${interval}`,
      'rule_files: [rules.yml]',
      'scrape_configs:',
      `  - job_name: ${options.job ?? 'vor-watch'}`,
      `    static_configs: [{ targets: [${[options.scrapeTarget]
        .flat()
        .map((t) => `'${t}'`)
        .join(', ')}] }]`,
      ...(options.https === undefined ? [] : ['    scheme: https', `    tls_config: { ca_file: '${options.https.caFile}' }`]),
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const child = spawn(
    PROMETHEUS,
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const close = async (): Promise<void> => {
    if (child.exitCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) })).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await close();
      throw new Error(`prometheus did not become ready:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    log: () => log,
    /** The alerts now; a slow or failed answer reads as none yet (callers poll until theirs appears). */
    async alerts() {
      try {
        const response = await fetch(`${url}/api/v1/alerts`, { signal: AbortSignal.timeout(5000) });
        const body = (await response.json()) as { data: { alerts: { labels: Record<string, string>; state: string }[] } };
        return body.data.alerts;
      } catch {
        return [];
      }
    },
    close,
  };
}
