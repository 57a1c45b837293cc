import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from '../test/helpers/target.js';
import { startTarget, type RunningTarget } from './server.js';

let t: RunningTarget;
before(async () => {
  t = await startTarget({ quiet: true, bcryptCost: 4 });
});
after(async () => {
  await t.close();
});

const get = (path: string) => request(`${t.baseUrl}${path}`, { ca: t.caPem });
const countOf = (metrics: string, status: number): number =>
  Number(
    new RegExp(
      `^http_server_request_duration_seconds_count\\{http_request_method="GET",http_response_status_code="${status}"\\} (\\d+)$`,
      'm',
    ).exec(metrics)?.[1] ?? 0,
  );

describe('the target’s own request metrics', () => {
  it('/metrics counts its requests by method and status (OpenTelemetry names); api_errors makes every third API request a 500', async () => {
    const before = (await get('/metrics')).body;
    for (let i = 0; i < 3; i += 1) assert.equal((await get('/health')).status, 200);
    t.setFaults({ api_errors: true });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await get('/api/accounts')).status);
    t.setFaults({});
    assert.equal(statuses.filter((s) => s === 500).length, 2, statuses.join(','));
    assert.equal((await get('/health')).status, 200, 'health stays up under api_errors');
    const after = await get('/metrics');
    assert.match(after.headers['content-type'] ?? '', /^text\/plain/);
    assert.equal(countOf(after.body, 500) - countOf(before, 500), 2);
    assert.ok(countOf(after.body, 200) - countOf(before, 200) >= 4, 'the health reads were counted');
    assert.match(after.body, /^http_server_request_duration_seconds_bucket\{le="3",/m);
  });
});
