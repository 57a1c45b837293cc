import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

describe('vor-watch monitor with browser checks', { timeout: 400_000 }, () => {
  const home = mkdtempSync(path.join(tmpdir(), 'vor-monitor-browser-test-'));
  after(() => rmSync(home, { recursive: true, force: true }));

  it("serves the team's custom browser check as metrics, at the browser interval, beside the probes", async () => {
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
        '10m',
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
      while (!/vor_check_status\{target="[^"]+",check="custom\.landing"\} 1/.test(body)) {
        assert.ok(Date.now() < deadline, `no custom.landing series:\n${stderr.slice(-3000)}\n${body.slice(0, 2000)}`);
        await sleep(1_000);
        body = await fetch(`http://127.0.0.1:${listenPort}/metrics`).then(
          (r) => r.text(),
          () => '',
        );
      }
      assert.match(body, /vor_check_result\{target="[^"]+",check="custom\.landing",severity="critical",status="pass"\} 1/);
      // The probes run as before, on their own interval.
      assert.match(body, /check="health\.endpoint"\} 1/);
      assert.match(stderr, /browser checks \(@custom\) every 600 s/);
      child.kill('SIGTERM');
      const code = await Promise.race([exited, sleep(30_000).then(() => 'hung' as const)]);
      assert.equal(code, 0, stderr.slice(-2000));
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
