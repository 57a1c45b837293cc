import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { BIN } from './helpers/cli.js';

test('SIGINT during the browser phase of verify stops the Playwright run promptly', { timeout: 180_000 }, async () => {
  const reportsDir = mkdtempSync(path.join(tmpdir(), 'vor-verify-int-'));
  const child = spawn(process.execPath, [BIN, 'verify', '--suite', 'frontend'], {
    cwd: reportsDir,
    env: { ...process.env, VOR_REPORTS_DIR: reportsDir, SENTRY_DSN: '', VOR_CONFIG: '', VOR_BASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let signalledAt = 0;
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (signalledAt === 0 && /browser flows and checks on/.test(stderr)) {
      signalledAt = performance.now();
      // Give Playwright a moment to start its browser, then interrupt the parent only (not its process group).
      setTimeout(() => child.kill('SIGINT'), 1500);
    }
  });
  child.stdout.resume();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.ok(signalledAt > 0, `the browser phase never started:\n${stderr}`);
  const stoppedAfter = performance.now() - signalledAt - 1500;
  assert.ok(stoppedAfter < 5_000, `verify kept running ${Math.round(stoppedAfter)} ms after SIGINT`);
  assert.notEqual(code, 0);
});
