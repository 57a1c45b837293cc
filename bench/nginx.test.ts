import assert from 'node:assert/strict';
import test from 'node:test';
import { commonStretchRatio, startPairedNginx, type LoggedAnswer } from './nginx.js';

const answers = (port: number, fromSeconds: number, toSeconds: number, perSecond: number): LoggedAnswer[] =>
  Array.from({ length: Math.round((toSeconds - fromSeconds) * perSecond) }, (_, i) => ({ port, atSeconds: fromSeconds + i / perSecond }));

test('two clients are compared only over the stretch both were answered, half a second in from each end', () => {
  // Port 1 starts first and ends last at 100/s; port 2 runs 2..8 s at 50/s: its start and end must not count.
  const log = [...answers(1, 0, 10, 100), ...answers(2, 2, 8, 50)];
  assert.equal(commonStretchRatio(log, 2, 1), 0.5);
  assert.equal(commonStretchRatio(log, 1, 2), 2);
});

test('a log of a million answers is counted (no spreading into Math.min)', () => {
  const log = [...answers(1, 0, 10, 60_000), ...answers(2, 0, 10, 40_000)];
  assert.ok(Math.abs(commonStretchRatio(log, 2, 1) - 2 / 3) < 0.001);
});

test('no common stretch of a second, or a silent port, gives no ratio', () => {
  assert.ok(Number.isNaN(commonStretchRatio([...answers(1, 0, 3, 10), ...answers(2, 2, 4, 10)], 1, 2)));
  assert.ok(Number.isNaN(commonStretchRatio(answers(1, 0, 10, 10), 1, 2)));
});

test('the paired nginx serves the file on two ports and logs each answer with its port', { timeout: 30_000 }, async () => {
  const nginx = await startPairedNginx();
  try {
    const [first, second] = nginx.urls;
    for (const url of [first, first, first, second]) assert.equal((await fetch(url)).status, 200);
    // nginx flushes its log every second.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const log = nginx.takeLog();
    const port = (url: string) => Number(new URL(url).port);
    assert.equal(log.filter((entry) => entry.port === port(first)).length, 3);
    assert.equal(log.filter((entry) => entry.port === port(second)).length, 1);
    assert.ok(
      log.every((entry) => Math.abs(entry.atSeconds - Date.now() / 1000) < 10),
      JSON.stringify(log),
    );
    assert.deepEqual(nginx.takeLog(), [], 'taken answers are not read twice');
  } finally {
    nginx.stop();
  }
});
