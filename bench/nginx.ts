/**
 * nginx serving one small file (128 bytes) on loopback, pinned to core 0, for the load benchmarks:
 * their clients run on core 1.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
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

export async function startNginx(): Promise<{ url: string; stop: () => void }> {
  const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
  if (nginx === undefined) throw new Error('nginx is missing (apt-get install nginx-light)');
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
  const child = spawn('/usr/bin/taskset', ['-c', SERVER_CORE, nginx, '-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: 'ignore' });
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
