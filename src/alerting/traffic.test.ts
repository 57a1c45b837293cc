import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { ConfigFileSchema } from '../config/schema.js';
import { combineStatuses } from './combine.js';
import type { TriggerStatus } from './tracker.js';
import { TrafficSignal } from './traffic.js';
import { DEFAULT_TRAFFIC_QUERIES, renderQuery, trafficQueries } from './traffic-config.js';
import { DEFAULT_TRIGGER_SETTINGS } from './triggers.js';

/** A stand-in Prometheus: answers each query from `answers` by the metric it reads, records what was asked. */
let answers: { requests: string | null; errors: string | null; latency: string | null } = { requests: null, errors: null, latency: null };
const asked: string[] = [];
let server: Server;
let url: string;

const vector = (value: string | null) => ({
  status: 'success',
  data: { resultType: 'vector', result: value === null ? [] : [{ metric: {}, value: [0, value] }] },
});

before(async () => {
  server = createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://x').searchParams.get('query') ?? '';
    asked.push(query);
    const key = query.startsWith('histogram_quantile') ? 'latency' : query.includes('5..') ? 'errors' : 'requests';
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(vector(answers[key])));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const signalFor = (base: string) =>
  new TrafficSignal(
    DEFAULT_TRIGGER_SETTINGS,
    { url: base, queries: trafficQueries(undefined), selector: 'job="api"', timeoutMs: 1000 },
    () => 0,
  );
const stateOf = (statuses: TriggerStatus[], id: TriggerStatus['id']) => statuses.find((s) => s.id === id);

describe('service traffic from Prometheus', () => {
  it('renders the default queries with the selector and the trigger windows', () => {
    const q = signalFor(url).queries();
    assert.equal(
      q.errors.split(' or ')[0],
      'sum(increase(http_server_request_duration_seconds_count{job="api",http_response_status_code=~"5.."}[5m]))',
    );
    assert.match(
      q.latency,
      /^histogram_quantile\(0\.95, sum by \(le\) \(rate\(http_server_request_duration_seconds_bucket\{job="api"\}\[1m\]\)\)\)/,
    );
    assert.match(q.requests, / or sum\(increase\(http_requests_total\{job="api"\}\[5m\]\)\)$/);
    assert.equal(
      renderQuery(DEFAULT_TRAFFIC_QUERIES.errors, { window: '5m', quantile: 0.95, selector: '' }).split(' or ')[1],
      'sum(increase(http_requests_total{code=~"5.."}[5m]))',
    );
  });

  it('no data is insufficient, never a pass', async () => {
    answers = { requests: null, errors: null, latency: 'NaN' };
    const signal = signalFor(url);
    await signal.poll();
    const statuses = signal.evaluate();
    assert.equal(stateOf(statuses, 'rollback.error_rate')?.state, 'insufficient_data');
    assert.equal(stateOf(statuses, 'rollback.slow_responses')?.state, 'insufficient_data');
    const probesOk: TriggerStatus[] = ['rollback.error_rate', 'rollback.slow_responses', 'rollback.health_failures'].map((id) => ({
      id: id as TriggerStatus['id'],
      state: 'ok',
      message: 'fine',
      evidence: {},
      since: 0,
    }));
    assert.deepEqual(
      combineStatuses(probesOk, statuses).map((s) => s.state),
      ['insufficient_data', 'insufficient_data', 'ok'],
    );
  });

  it('an unreachable Prometheus is insufficient data, naming it', async () => {
    const signal = signalFor('http://127.0.0.1:9');
    await signal.poll();
    const errorRate = stateOf(signal.evaluate(), 'rollback.error_rate');
    assert.equal(errorRate?.state, 'insufficient_data');
    assert.match(errorRate?.message ?? '', /Prometheus at http:\/\/127\.0\.0\.1:9 did not answer/);
  });

  it('judges the ratio and the latency by the checks.md thresholds; a missing 5xx series is 0 errors', async () => {
    const signal = signalFor(url);
    answers = { requests: '1000', errors: null, latency: '0.4' };
    await signal.poll();
    assert.deepEqual(
      signal.evaluate().map((s) => s.state),
      ['ok', 'ok'],
    );
    answers = { requests: '1000', errors: '51', latency: '3.2' };
    await signal.poll();
    const statuses = signal.evaluate();
    assert.equal(stateOf(statuses, 'rollback.error_rate')?.state, 'firing');
    // p95 above 3 s must be sustained for 5 minutes before it fires.
    assert.equal(stateOf(statuses, 'rollback.slow_responses')?.state, 'pending');
    answers = { requests: '15', errors: '15', latency: '0.1' };
    await signal.poll();
    // Too few requests to judge: a fired trigger stays fired (missing data never clears it).
    const thin = stateOf(signal.evaluate(), 'rollback.error_rate');
    assert.equal(thin?.state, 'firing');
    assert.match(thin?.message ?? '', /only 15 of the 20 requests needed served over 5m/);
  });

  it("the README's real-traffic example is a valid config", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const example = /### Real traffic[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(example !== undefined, 'README has a "Real traffic" section with a YAML example');
    const config = ConfigFileSchema.parse(parse(example));
    assert.equal(config.prometheus?.selector, 'job="vor-api",env="production"');
    assert.equal(config.triggers?.slowResponses.sustainMs, 180_000);
  });
});
