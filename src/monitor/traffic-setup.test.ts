import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { describe, it } from 'node:test';
import { TrafficConfigSchema } from '../alerting/traffic-config.js';
import { DEFAULT_TRIGGER_SETTINGS } from '../alerting/triggers.js';
import { ConfigError } from '../config/errors.js';
import { resolveConfig } from '../config/resolve.js';
import { prometheusUrlSecrets } from './prometheus-url.js';
import { trafficSignalFor, withConfiguredWindows } from './traffic-setup.js';

const fromFile = { prometheus: TrafficConfigSchema.parse({ url: 'http://127.0.0.1:5', selector: 'job="api"' }) };
const urlOf = (flag: unknown, env: NodeJS.ProcessEnv, config = fromFile) =>
  trafficSignalFor(flag, env, config, DEFAULT_TRIGGER_SETTINGS)?.queries().requests;

describe('real-traffic settings', () => {
  it('--prometheus wins over VOR_PROMETHEUS_URL, which wins over the config file; none means probes only', async () => {
    assert.equal(trafficSignalFor(undefined, {}, {}, DEFAULT_TRIGGER_SETTINGS), undefined);
    assert.match(urlOf(undefined, {}) ?? '', /\{job="api"\}\[5m\]/);
    const signal = (flag: unknown, env: NodeJS.ProcessEnv) => trafficSignalFor(flag, env, fromFile, DEFAULT_TRIGGER_SETTINGS);
    // Which server is asked shows in the message of a poll that finds nobody there (loopback ports with no listener).
    const asked = async (flag: unknown, env: NodeJS.ProcessEnv): Promise<string | undefined> => {
      const s = signal(flag, env);
      await s?.poll();
      return s?.evaluate()[0]?.message;
    };
    assert.match((await asked('http://127.0.0.1:9', { VOR_PROMETHEUS_URL: 'http://127.0.0.1:7' })) ?? '', /127\.0\.0\.1:9 did not answer/);
    assert.match((await asked(undefined, { VOR_PROMETHEUS_URL: 'http://127.0.0.1:7' })) ?? '', /127\.0\.0\.1:7 did not answer/);
    assert.throws(
      () => signal('not a url', { VOR_PROMETHEUS_URL: 'http://env.example:9090' }),
      (e: unknown) => e instanceof ConfigError && /--prometheus/.test(e.message),
    );
    assert.throws(
      () => signal(undefined, { VOR_PROMETHEUS_URL: 'ftp://env.example' }),
      (e: unknown) => e instanceof ConfigError && /VOR_PROMETHEUS_URL/.test(e.message),
    );
  });

  it('configured windows replace the defaults, thresholds stay', () => {
    const s = withConfiguredWindows(DEFAULT_TRIGGER_SETTINGS, { errorRate: { windowMs: 10_000 }, slowResponses: { sustainMs: 5_000 } });
    assert.equal(s.errorRate.windowMs, 10_000);
    assert.equal(s.errorRate.maxRatio, 0.05);
    assert.equal(s.slowResponses.sustainMs, 5_000);
    assert.equal(s.slowResponses.thresholdSeconds, 3);
  });
});

describe('a Prometheus URL with credentials', () => {
  it('sends them as Basic authorization, never in the URL, and names the server by its origin only', async () => {
    let seen: string | undefined;
    const server = createServer((req, res) => {
      seen = req.headers.authorization;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [0, '1000'] }] } }));
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    try {
      const { port } = server.address() as AddressInfo;
      const signal = trafficSignalFor(
        undefined,
        { VOR_PROMETHEUS_URL: `http://admin:p%40ss-w0rd@127.0.0.1:${port}` },
        {},
        DEFAULT_TRIGGER_SETTINGS,
      );
      await signal?.poll();
      assert.equal(seen, `Basic ${Buffer.from('admin:p@ss-w0rd').toString('base64')}`);
      const statuses = signal?.evaluate() ?? [];
      assert.doesNotMatch(JSON.stringify(statuses), /p%40ss|p@ss|admin:/);
      assert.doesNotMatch(statuses[0]?.message ?? '', /did not answer|no answer/);
    } finally {
      server.close();
    }
  });

  it('a bad one is a configuration error that does not quote the credentials', () => {
    for (const raw of ['https://admin:s3cretpw@prom:99999', 'ftp://admin:s3cretpw@prom', 'admin:s3cretpw@prom:9090'])
      assert.throws(
        () => trafficSignalFor(undefined, { VOR_PROMETHEUS_URL: raw }, {}, DEFAULT_TRIGGER_SETTINGS),
        (e: unknown) => e instanceof ConfigError && /VOR_PROMETHEUS_URL/.test(e.message) && !e.message.includes('s3cretpw'),
      );
  });

  it('its password, userinfo and Basic value are secrets of the run', () => {
    const secrets = prometheusUrlSecrets('https://admin:p%40ss-w0rd@prom:9090');
    for (const s of ['p%40ss-w0rd', 'p@ss-w0rd', `Basic ${Buffer.from('admin:p@ss-w0rd').toString('base64')}`])
      assert.ok(secrets.includes(s), s);
    assert.deepEqual(prometheusUrlSecrets('https://prom:9090'), []);
    const config = resolveConfig({ flags: {}, env: { VOR_PROMETHEUS_URL: 'https://admin:p%40ss-w0rd@prom:9090' }, cwd: os.tmpdir() });
    assert.ok(config.secrets.includes('p@ss-w0rd'));
  });
});
