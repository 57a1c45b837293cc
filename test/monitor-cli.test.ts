import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { BIN } from './helpers/cli.js';
import { freePort } from './monitor-prometheus.js';
import { PROMTOOL, runTool, skipMessage } from './monitor-promtool.js';

describe('vor-watch monitor (CLI)', { timeout: 60_000 }, () => {
  it('keeps running against a target that is down, serves valid /metrics, and exits 0 on SIGTERM', async (t) => {
    const deadPort = await freePort();
    const listenPort = await freePort();
    const child = spawn(
      process.execPath,
      [BIN, 'monitor', '--target', `https://127.0.0.1:${deadPort}`, '--interval', '1s', '--listen', `127.0.0.1:${listenPort}`],
      { env: { ...process.env, SENTRY_DSN: '', VOR_TRIGGER_TIME_SCALE: '60' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const metricsUrl = `http://127.0.0.1:${listenPort}/metrics`;
      let body = '';
      const deadline = Date.now() + 30_000;
      const origin = `https://127.0.0.1:${deadPort}`;
      // Wait for 4+ health failures and the self-check of /metrics (monitoring.metrics).
      while (!(
        /vor_health_consecutive_failures\{target="[^"]+"\} ([4-9]|\d\d)/.test(body) && body.includes('check="monitoring.metrics"} 1')
      )) {
        assert.ok(
          Date.now() < deadline,
          `monitor never reported 4 health failures and its /metrics self-check:\n${stderr}\n${body.slice(0, 3000)}`,
        );
        await sleep(500);
        body = await fetch(metricsUrl).then(
          (r) => r.text(),
          () => '',
        );
      }
      assert.match(body, new RegExp(`vor_check_status\\{target="${origin.replaceAll('.', '\\.')}",check="health.endpoint"\\} 0`));
      assert.match(body, /vor_rollback_trigger_active\{target="[^"]+",trigger="rollback.health_failures"\} 1/);
      assert.match(stderr, /rollback\.health_failures firing for https:\/\/127\.0\.0\.1/);
      const healthz = await fetch(`http://127.0.0.1:${listenPort}/healthz`);
      assert.equal(healthz.status, 200);
      const skipped = skipMessage(PROMTOOL);
      if (!skipped) {
        const check = await runTool(PROMTOOL, ['check', 'metrics'], body);
        assert.equal(check.code, 0, check.stdout + check.stderr);
      } else t.diagnostic(skipped);
      child.kill('SIGTERM');
      const code = await Promise.race([exited, sleep(10_000).then(() => 'hung' as const)]);
      assert.equal(code, 0, stderr);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('rejects a bad --interval with exit 2 naming the flag', async () => {
    const child = spawn(process.execPath, [BIN, 'monitor', '--interval', 'soon'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 2);
    assert.match(stderr, /--interval: "soon" is not a duration/);
    assert.doesNotMatch(stderr, /\n\s+at /);
  });
});
