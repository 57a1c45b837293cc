import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { BIN } from './helpers/cli.js';
import { freePort } from './monitor-prometheus.js';

// The monitor's browser job drives Chromium (runSmoke) on its own interval: this file runs with the browser tests.
const SPEC = `import { test, expect, check } from 'vor-watch/smoke';

test('the landing page answers', check('custom.landing', { severity: 'critical' }), async ({ page }) => {
  const response = await page.goto('/');
  expect(response?.status()).toBeLessThan(400);
});
`;

/** The Chromium browser processes (not their renderers and helpers) whose parent is `pid`. */
function browsersOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const status = readFileSync(`/proc/${name}/status`, 'utf8');
        const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
        const parent = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
        return parent === pid && /chrom/i.test(cmdline) && !cmdline.includes('--type=') ? [Number(name)] : [];
      } catch {
        return [];
      }
    });
}

describe('vor-watch monitor with browser checks', { timeout: 400_000 }, () => {
  const home = mkdtempSync(path.join(tmpdir(), 'vor-monitor-browser-test-'));
  after(() => rmSync(home, { recursive: true, force: true }));

  it("serves the team's custom browser check as metrics at the browser interval, beside the probes, from one warm browser", async () => {
    mkdirSync(path.join(home, 'checks'));
    writeFileSync(path.join(home, 'checks', 'landing.spec.ts'), SPEC);
    const listenPort = await freePort();
    const child = spawn(
      process.execPath,
      [
        BIN,
        'monitor',
        '--checks',
        'checks',
        '--browser-interval',
        '10s',
        '--browser-grep',
        '@custom',
        '--listen',
        `127.0.0.1:${listenPort}`,
      ],
      { cwd: home, env: { ...process.env, SENTRY_DSN: '', VOR_BASE_URL: '', VOR_CONFIG: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      let body = '';
      const deadline = Date.now() + 300_000;
      const passes = () =>
        Number(/vor_check_runs_total\{target="[^"]+",check="custom\.landing",status="pass"\} (\d+)/.exec(body)?.[1] ?? 0);
      const browsers = new Set<number>();
      // Two runs of the browser job, each on the one browser the monitor keeps between them.
      while (passes() < 2) {
        assert.ok(Date.now() < deadline, `custom.landing did not pass twice:\n${stderr.slice(-3000)}\n${body.slice(0, 2000)}`);
        await sleep(1_000);
        for (const pid of browsersOf(child.pid!)) browsers.add(pid);
        body = await fetch(`http://127.0.0.1:${listenPort}/metrics`).then(
          (r) => r.text(),
          () => '',
        );
      }
      assert.equal(browsers.size, 1, `one warm browser for every run, saw ${[...browsers].join(', ')}`);
      assert.match(body, /vor_check_status\{target="[^"]+",check="custom\.landing"\} 1/);
      assert.match(body, /vor_check_result\{target="[^"]+",check="custom\.landing",severity="critical",status="pass"\} 1/);
      // The probes run as before, on their own interval.
      assert.match(body, /check="health\.endpoint"\} 1/);
      assert.match(stderr, /browser checks \(@custom\) every 10 s/);
      child.kill('SIGTERM');
      const code = await Promise.race([exited, sleep(30_000).then(() => 'hung' as const)]);
      assert.equal(code, 0, stderr.slice(-2000));
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
