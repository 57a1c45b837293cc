import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { BudgetsSchema, ProbeOptionsSchema } from '../config/schema.js';
import { createRedactor } from '../core/redact.js';
import { runProbes } from '../core/runner.js';
import { buildTarget } from '../core/target.js';
import { metricsProbe } from './probe.js';
import { createMetrics } from './registry.js';

async function check(status: number, body: string) {
  const server = createServer((_req, res) => res.writeHead(status, { 'content-type': 'text/plain' }).end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  try {
    const [result] = await runProbes({
      target: buildTarget({ baseUrl: 'https://app.vor.test', publicApiPaths: [], routes: [] }),
      probes: [metricsProbe(url)],
      options: ProbeOptionsSchema.parse({ retries: 0, timeoutMs: 2000 }),
      budgets: BudgetsSchema.parse({}),
      redactor: createRedactor([]),
      strict: true,
    });
    return result;
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

describe('monitoring.metrics', { timeout: 10_000 }, () => {
  it('passes on the monitor registry output', async () => {
    const result = await check(200, await createMetrics().registry.metrics());
    assert.equal(result?.status, 'pass');
  });

  it('fails with invalid_exposition on a body Prometheus cannot parse', async () => {
    const result = await check(200, '<html><body>Welcome</body></html>\n');
    assert.equal(result?.status, 'fail');
    assert.equal(result?.reason, 'invalid_exposition');
  });

  it('fails with missing_metrics when contract metrics are absent', async () => {
    const result = await check(200, '# HELP up x\n# TYPE up gauge\nup 1\n');
    assert.equal(result?.reason, 'missing_metrics');
    assert.ok(Array.isArray(result?.evidence.missing) && result.evidence.missing.includes('vor_check_status'));
  });

  it('fails with bad_status on a 500', async () => {
    const result = await check(500, 'oops');
    assert.equal(result?.reason, 'bad_status');
  });

  it('is skipped when no /metrics URL is configured', async () => {
    const [result] = await runProbes({
      target: buildTarget({ baseUrl: 'https://app.vor.test', publicApiPaths: [], routes: [] }),
      probes: [metricsProbe(undefined)],
      options: ProbeOptionsSchema.parse({}),
      budgets: BudgetsSchema.parse({}),
      redactor: createRedactor([]),
    });
    assert.equal(result?.status, 'skip');
  });
});

describe('monitoring.metrics across targets', { timeout: 10_000 }, () => {
  it('one look at /metrics answers every target asking within the window; after it, the next asks anew', async () => {
    let fetches = 0;
    const body = await createMetrics().registry.metrics();
    const server = createServer((_req, res) => {
      fetches += 1;
      res.writeHead(200, { 'content-type': 'text/plain' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    const probe = metricsProbe(url, 300);
    const runFor = (host: string) =>
      runProbes({
        target: buildTarget({ baseUrl: `https://${host}`, publicApiPaths: [], routes: [] }),
        probes: [probe],
        options: ProbeOptionsSchema.parse({ retries: 0, timeoutMs: 2000 }),
        budgets: BudgetsSchema.parse({}),
        redactor: createRedactor([]),
      });
    try {
      const wave = await Promise.all(['a.vor.test', 'b.vor.test', 'c.vor.test'].map(runFor));
      assert.deepEqual(
        wave.map(([r]) => [r?.target, r?.status]),
        [
          ['https://a.vor.test', 'pass'],
          ['https://b.vor.test', 'pass'],
          ['https://c.vor.test', 'pass'],
        ],
      );
      assert.equal(fetches, 1);
      await new Promise((resolve) => setTimeout(resolve, 350));
      assert.equal((await runFor('a.vor.test'))[0]?.status, 'pass');
      assert.equal(fetches, 2);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
