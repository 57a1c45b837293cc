/**
 * Issue 16 item 2, without a browser: every process a run started is gone (its group, and the
 * groups its children made for themselves, as Playwright does for each browser); memory and disk
 * limits stop a run; an artifact that cannot be scrubbed or is too large is deleted, never kept raw.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { strToU8, zipSync } from 'fflate';
import { scrubArtifacts } from './evidence/scrub-artifacts.js';
import { RunProcesses } from './process-group.js';
import { watchRun } from './run-limits.js';
import { secureArtifacts } from './run.js';
import { aliveInGroups } from '../test/helpers/processes.js';

/** A runner that starts a "browser" in a group of its own, which in turn keeps a child; both ignore SIGTERM. */
const RUNNER = `
const { spawn } = require('node:child_process');
const browser = \`process.on('SIGTERM', () => {}); require('node:child_process').spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"], { stdio: 'ignore' }); setInterval(() => {}, 1000);\`;
spawn(process.execPath, ['-e', browser], { detached: true, stdio: 'ignore' });
setInterval(() => {}, 1000);
`;

test('terminate() ends the runner, the groups its children started and their children, and returns once they are gone', async () => {
  const runner = spawn(process.execPath, ['-e', RUNNER], { detached: true, stdio: 'ignore' });
  const processes = new RunProcesses(runner.pid!);
  try {
    const deadline = performance.now() + 20_000;
    while (processes.members().length < 3) {
      assert.ok(performance.now() < deadline, `only ${processes.members().length} processes started`);
      await sleep(100);
    }
    const groups = processes.groups();
    assert.equal(groups.length, 2, 'the runner group and the "browser" group');
    assert.equal(await processes.terminate({ graceMs: 500 }), true);
    assert.deepEqual(aliveInGroups(groups), [], 'nothing of the run is alive when terminate() returns');
  } finally {
    for (const g of processes.groups()) {
      try {
        process.kill(-g, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
});

test('a run over its memory limit is reported, so it can be stopped', async () => {
  const hog = spawn(process.execPath, ['-e', 'const b = Buffer.alloc(120 * 1024 * 1024, 1); setInterval(() => b[0]++, 100)'], {
    detached: true,
    stdio: 'ignore',
  });
  const processes = new RunProcesses(hog.pid!);
  try {
    const why = await new Promise<string>((resolve) => {
      const stop = watchRun(processes, [], { maxRssBytes: 64 * 1024 * 1024, maxDiskBytes: 1024 ** 3 }, resolve, 100);
      setTimeout(() => {
        stop();
        resolve('never');
      }, 20_000);
    });
    assert.match(why, /used \d+ MB of memory \(proportional set size\), over its limit of 64 MB \(VOR_SMOKE_MAX_RSS_MB\)/);
  } finally {
    await processes.terminate({ graceMs: 100 });
  }
});

test('a run writing past its disk limit is reported', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vor-limits-'));
  const processes = new RunProcesses(process.pid);
  try {
    await writeFile(path.join(dir, 'trace.zip'), Buffer.alloc(3 * 1024 * 1024));
    const why = await new Promise<string>((resolve) => {
      const stop = watchRun(processes, [dir], { maxRssBytes: 1024 ** 4, maxDiskBytes: 1024 * 1024 }, resolve, 100);
      setTimeout(() => {
        stop();
        resolve('never');
      }, 10_000);
    });
    assert.match(why, /wrote 3 MB, over its limit of 1 MB \(VOR_SMOKE_MAX_ARTIFACT_MB\)/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('scrubArtifacts deletes a half-written zip, a zip that would unpack too large and files over the limits, and keeps the rest', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vor-scrub-limits-'));
  try {
    const whole = zipSync({ 'trace.trace': strToU8('{"cookie":"vor_session=abcdef123456"}') });
    await writeFile(path.join(dir, 'half.zip'), whole.subarray(0, Math.floor(whole.length / 2)));
    await writeFile(path.join(dir, 'bomb.zip'), zipSync({ 'resources/page.html': new Uint8Array(4 * 1024 * 1024) }, { level: 9 }));
    await writeFile(path.join(dir, 'video.webm'), Buffer.alloc(3 * 1024 * 1024, 7));
    await writeFile(path.join(dir, 'ok.zip'), whole);
    await writeFile(path.join(dir, 'note.txt'), 'nothing secret here');
    const report = await scrubArtifacts([dir], [], {
      maxFileBytes: 2 * 1024 * 1024,
      maxTotalBytes: 8 * 1024 * 1024,
      maxUnzippedBytes: 1024 * 1024,
    });
    const byName = Object.fromEntries(report.dropped.map((d) => [path.basename(d.file), d.reason]));
    assert.deepEqual(byName, { 'half.zip': 'unscrubbable', 'bomb.zip': 'unscrubbable', 'video.webm': 'oversized' });
    assert.deepEqual((await readdir(dir)).sort(), ['note.txt', 'ok.zip']);
    assert.equal(report.rewritten, 1, 'the readable trace was scrubbed');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('scrubArtifacts keeps the total under its limit by deleting the largest files first', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vor-scrub-total-'));
  try {
    for (const [name, mb] of [
      ['a.png', 3],
      ['b.png', 2],
      ['c.png', 1],
    ] as const) {
      await writeFile(path.join(dir, name), Buffer.alloc(mb * 1024 * 1024, 1));
    }
    const report = await scrubArtifacts([dir], [], {
      maxFileBytes: 10 * 1024 * 1024,
      maxTotalBytes: 3.5 * 1024 * 1024,
      maxUnzippedBytes: 1024 ** 3,
    });
    assert.deepEqual(report.dropped.map((d) => path.basename(d.file)).sort(), ['a.png']);
    assert.deepEqual((await readdir(dir)).sort(), ['b.png', 'c.png']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a process of the run that no longer descends from the runner is found by the run temp folder and ended', async () => {
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), 'vor-run-tmp-'));
  const idle = "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)";
  const runner = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });
  // Orphans as the walk from the runner never sees them: one by its TMPDIR, one (a browser) by its profile folder.
  const byEnv = spawn(process.execPath, ['-e', idle], { detached: true, stdio: 'ignore', env: { ...process.env, TMPDIR: tmpDir } });
  const byProfile = spawn(process.execPath, ['-e', idle, '--', `--user-data-dir=${tmpDir}/playwright_chromiumdev_profile-x`], {
    detached: true,
    stdio: 'ignore',
  });
  const processes = new RunProcesses(runner.pid!, tmpDir);
  try {
    await sleep(300);
    const pids = processes.members().map((p) => p.pid);
    for (const child of [runner, byEnv, byProfile]) assert.ok(pids.includes(child.pid!), `${child.pid} is a member: ${pids.join(', ')}`);
    assert.equal(await processes.terminate({ graceMs: 300 }), true);
    assert.deepEqual(aliveInGroups([runner.pid!, byEnv.pid!, byProfile.pid!]), [], 'nothing of the run is alive');
  } finally {
    for (const child of [runner, byEnv, byProfile]) child.kill('SIGKILL');
    await rm(tmpDir, { recursive: true, force: true });
  }
});

test('when processes of the run survive, its traces, screenshots and report are deleted, not scrubbed and kept', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vor-survivors-'));
  const results = path.join(dir, 'smoke');
  const testResults = path.join(results, 'test-results');
  const report = path.join(dir, 'playwright');
  try {
    await mkdir(path.join(testResults, 'flow'), { recursive: true });
    await mkdir(report, { recursive: true });
    await writeFile(path.join(testResults, 'flow', 'trace.zip'), zipSync({ 'trace.trace': strToU8('{"a":1}') }));
    await writeFile(path.join(testResults, 'flow', 'shot.png'), Buffer.from([0x89, 0x50, 0, 0]));
    await writeFile(path.join(report, 'index.html'), '<html></html>');
    await writeFile(path.join(results, 'results.json'), '{"password":"Kept-Results-123"}');
    const limits = { maxFileBytes: 1024 ** 3, maxTotalBytes: 1024 ** 3, maxUnzippedBytes: 1024 ** 3 };
    const dirs = { artifacts: [testResults, report], results };

    const scrub = await secureArtifacts({ allGone: false }, dirs, [], limits);

    assert.deepEqual(await readdir(dir), ['smoke']);
    assert.deepEqual(await readdir(results), ['results.json']);
    assert.doesNotMatch(await readFile(path.join(results, 'results.json'), 'utf8'), /Kept-Results-123/, 'the results are scrubbed');
    assert.deepEqual(scrub.dropped.map((d) => `${path.basename(d.file)}:${d.reason}`).sort(), [
      'index.html:processes_survived',
      'shot.png:processes_survived',
      'trace.zip:processes_survived',
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
