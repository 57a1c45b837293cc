import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_BUDGETS } from '../src/config/schema.js';
import { createRedactor } from '../src/core/redact.js';
import { buildTarget } from '../src/core/target.js';
import { runSmoke } from './run.js';

test('an interrupt that arrives before the browser run starts stops it from starting: every check is error/interrupted', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vor-smoke-interrupted-'));
  try {
    const started = performance.now();
    const outcome = await runSmoke({
      // Nothing listens here: were Playwright started, every flow would fail with connection refused instead.
      target: buildTarget({ baseUrl: 'https://127.0.0.1:9', publicApiPaths: [], routes: [] }),
      budgets: DEFAULT_BUDGETS,
      outputDir: dir,
      redactor: createRedactor([]),
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      grep: '@compliance',
      signal: AbortSignal.abort(new Error('interrupted')),
    });
    assert.ok(performance.now() - started < 5_000, 'returned at once');
    assert.ok(outcome.results.length >= 4, `${outcome.results.length} results`);
    for (const result of outcome.results) {
      assert.equal(result.status, 'error', result.id);
      assert.equal(result.reason, 'interrupted', result.id);
      assert.match(result.message, /interrupted \(SIGINT\/SIGTERM\)/);
    }
    assert.equal(existsSync(path.join(dir, 'playwright', 'index.html')), false, 'no Playwright report: it never ran');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
