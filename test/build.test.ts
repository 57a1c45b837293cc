import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type * as StartupSignals from '../bin/startup-signals.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/** bin/ alone in a fresh folder: a checkout in which `npm run build` never ran. */
function unbuiltCheckout(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'vor-unbuilt-'));
  mkdirSync(path.join(dir, 'bin'));
  for (const file of ['vor-watch.js', 'startup-signals.js']) copyFileSync(path.join(ROOT, 'bin', file), path.join(dir, 'bin', file));
  return dir;
}

test('without a build, vor-watch says in one line to run `npm run build` and exits 2, no stack trace', () => {
  const dir = unbuiltCheckout();
  const run = spawnSync(process.execPath, [path.join(dir, 'bin', 'vor-watch.js'), '--version'], {
    cwd: dir,
    env: { ...process.env, VOR_WATCH_FROM_SOURCE: '' },
    encoding: 'utf8',
  });
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^vor-watch: .*run `npm run build`.*\n$/);
  assert.equal(run.stderr.split('\n').length, 2, run.stderr);
});

test('a signal held by bin/startup-signals.js is released by the copy the build puts in dist/bin/', async () => {
  const copy = path.join(unbuiltCheckout(), 'bin', 'startup-signals.js');
  const original = (await import(pathToFileURL(path.join(ROOT, 'bin', 'startup-signals.js')).href)) as typeof StartupSignals;
  const inDist = (await import(pathToFileURL(copy).href)) as typeof StartupSignals;
  assert.notEqual(original, inDist, 'two module instances, as in a built run');
  const listeners = process.listenerCount('SIGTERM');
  original.holdStartupSignals();
  process.emit('SIGTERM', 'SIGTERM');
  assert.equal(inDist.releaseStartupSignals(), 'SIGTERM');
  assert.equal(process.listenerCount('SIGTERM'), listeners, 'the holder is gone after the release');
});
