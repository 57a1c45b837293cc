import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { targetFolder } from './folders.js';
import { untilAborted, withInterruptSignal } from './interrupt.js';

test('SIGINT or SIGTERM aborts the body’s signal once, says so, and leaves no handler behind', async () => {
  for (const name of ['SIGINT', 'SIGTERM'] as const) {
    const before = process.listenerCount(name);
    const said: string[] = [];
    const outcome = await withInterruptSignal(
      async (signal) => {
        assert.equal(process.listenerCount(name), before + 1);
        setImmediate(() => process.emit(name));
        await untilAborted(signal);
        return signal.aborted ? 'stopped' : 'ran on';
      },
      () => said.push(name),
    );
    assert.equal(outcome, 'stopped');
    assert.deepEqual(said, [name]);
    assert.equal(process.listenerCount(name), before);
  }
});

test('a body that throws still removes the handlers', async () => {
  const before = { SIGINT: process.listenerCount('SIGINT'), SIGTERM: process.listenerCount('SIGTERM') };
  await assert.rejects(
    withInterruptSignal(() => Promise.reject(new Error('boom'))),
    /boom/,
  );
  assert.deepEqual({ SIGINT: process.listenerCount('SIGINT'), SIGTERM: process.listenerCount('SIGTERM') }, before);
});

test('one target writes into the run folder; several get a folder each, named after their host', () => {
  const run = path.join('reports', 'run-1');
  assert.equal(targetFolder(run, 'smoke', { origin: 'https://app.vor.example' }, 1), run);
  assert.equal(targetFolder(run, 'smoke', { origin: 'https://app.vor.example:8443' }, 2), path.join(run, 'smoke-app.vor.example_8443'));
  assert.equal(targetFolder(run, 'load', { origin: 'https://[::1]:9443' }, 3), path.join(run, 'load-___1__9443'));
});
