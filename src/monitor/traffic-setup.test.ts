import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TrafficConfigSchema } from '../alerting/traffic-config.js';
import { DEFAULT_TRIGGER_SETTINGS } from '../alerting/triggers.js';
import { ConfigError } from '../config/errors.js';
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
