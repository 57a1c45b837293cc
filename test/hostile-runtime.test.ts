/**
 * Hostile conditions at run time (issue 16): a Sentry ingest that accepts and never answers must
 * not keep any command alive past its verdict, nor `monitor` past one SIGINT; a monitor against a
 * flapping target must not pile up abort listeners.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_BUDGETS, DEFAULT_PROBE_OPTIONS } from '../src/config/schema.js';
import { defineProbe } from '../src/core/probe.js';
import { createRedactor } from '../src/core/redact.js';
import { pass } from '../src/core/result.js';
import { runProbes } from '../src/core/runner.js';
import { buildTarget } from '../src/core/target.js';
import { httpRequest } from '../src/net/http.js';
import { startTarget, type RunningTarget } from '../target/server.js';
import { BIN } from './helpers/cli.js';
import { behaviours, refusedPort, startHostile, startRecording, type HostileServer } from './helpers/hostile.js';
import { targetFlags } from './helpers/target-flags.js';

/** Generous: the machine running the suite is shared and busy; a hang is minutes, not seconds. */
const EXIT_BOUND_MS = 15_000;
const KILL_AFTER_MS = 120_000;

interface Spawned {
  stdout(): string;
  stderr(): string;
  /** When stdout or stderr last received anything, and when the process exited (performance.now()). */
  lastOutputAt(): number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  kill(signal: NodeJS.Signals): void;
  waitForStderr(pattern: RegExp, timeoutMs: number): Promise<void>;
}

function spawnCli(args: readonly string[], env: Record<string, string>, cwd: string): Spawned {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let lastOutputAt = performance.now();
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    lastOutputAt = performance.now();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    lastOutputAt = performance.now();
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, at: performance.now() });
    }),
  );
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    lastOutputAt: () => lastOutputAt,
    exited,
    kill: (signal) => child.kill(signal),
    async waitForStderr(pattern, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      while (!pattern.test(stderr)) {
        assert.ok(child.exitCode === null, `exited before ${pattern}:\n${stderr}`);
        assert.ok(performance.now() < deadline, `no ${pattern} within ${timeoutMs} ms:\n${stderr}`);
        await sleep(200);
      }
    },
  };
}

describe('hostile runtime: a silent Sentry ingest', { timeout: 240_000 }, () => {
  let ingest: HostileServer;
  let work: string;
  let deadTarget: string;
  let env: Record<string, string>;

  before(async () => {
    ingest = await startHostile(behaviours.silent());
    work = await mkdtemp(path.join(os.tmpdir(), 'vor-hostile-runtime-'));
    // Short probe timeouts keep each run quick; the dead target makes every check fail, so there are events to send.
    await writeFile(path.join(work, 'vor-watch.config.yml'), 'probes:\n  timeoutMs: 2000\n  retries: 0\n');
    deadTarget = `https://127.0.0.1:${await refusedPort()}`;
    env = {
      SENTRY_DSN: `http://publickey@127.0.0.1:${ingest.port}/1`,
      VOR_CONFIG: path.join(work, 'vor-watch.config.yml'),
      VOR_REPORTS_DIR: path.join(work, 'reports'),
    };
  });

  after(async () => {
    await ingest.close();
    await rm(work, { recursive: true, force: true });
  });

  it('probe, gate and verify --no-smoke print their verdict and exit promptly', async () => {
    const commands = [['probe'], ['gate', '--for', '2s', '--interval', '1s'], ['verify', '--no-smoke']];
    // Side by side: each spends most of its time starting up and waiting on the dead target.
    const runs = commands.map((command) => ({ command, run: spawnCli([...command, '--target', deadTarget], env, work) }));
    for (const { command, run } of runs) {
      const { code, at } = await run.exited;
      const name = command.join(' ');
      assert.match(run.stdout(), /NO-GO/, `${name}: no verdict:\n${run.stdout()}\n${run.stderr()}`);
      assert.equal(code, 1, `${name}: ${run.stderr()}`);
      const lingered = at - run.lastOutputAt();
      assert.ok(lingered < EXIT_BOUND_MS, `${name} exited ${Math.round(lingered)} ms after its last output:\n${run.stderr()}`);
    }
    assert.ok(ingest.connections() > 0, 'the ingest was never contacted, so this proved nothing');
  });

  it('monitor stops on the first SIGINT', async () => {
    const run = spawnCli(['monitor', '--target', deadTarget, '--interval', '1s', '--listen', '127.0.0.1:0'], env, work);
    await run.waitForStderr(/probing https:\/\/127\.0\.0\.1/, 60_000);
    // A few cycles, so check-ins to the ingest are in flight when the signal comes.
    await sleep(3_000);
    const signalledAt = performance.now();
    run.kill('SIGINT');
    const { code, signal, at } = await run.exited;
    assert.match(run.stderr(), /stopping/);
    assert.equal(signal, null, 'ended by the signal itself, not by its own shutdown');
    assert.equal(code, 0, run.stderr());
    assert.ok(at - signalledAt < EXIT_BOUND_MS, `took ${Math.round(at - signalledAt)} ms after SIGINT:\n${run.stderr()}`);
  });
});

describe('hostile runtime: a monitor against a flapping target', { timeout: 180_000 }, () => {
  let running: RunningTarget;
  before(async () => {
    running = await startTarget({ quiet: true });
  });
  after(async () => {
    await running.close();
  });

  it('prints no MaxListenersExceededWarning over many cycles', async () => {
    const run = spawnCli(
      ['monitor', ...targetFlags(running), '--interval', '1s', '--listen', '127.0.0.1:0'],
      { SENTRY_DSN: '' },
      process.cwd(),
    );
    await run.waitForStderr(/probing https:\/\/127\.0\.0\.1/, 60_000);
    // Slow answers keep a probe's requests in flight together; errors and a failing /health flip the triggers.
    const states = [{ latencyMs: 400 }, {}, { health_503: true, errorRate: 0.5 }, { latencyMs: 400, search_500: true }];
    for (let i = 0; i < 12; i += 1) {
      running.setFaults(states[i % states.length] ?? {}, 'replace');
      await sleep(1_000);
    }
    run.kill('SIGINT');
    const { code } = await run.exited;
    assert.equal(code, 0, run.stderr());
    assert.match(run.stderr(), /rollback\./, 'no cycle ever reported a trigger state');
    assert.doesNotMatch(run.stderr(), /MaxListenersExceededWarning|memory leak detected/i);
  });
});

it('a probe with 30 requests in flight at once adds no warning about abort listeners', { timeout: 30_000 }, async () => {
  // Slow answers: every request of the probe is in flight at the same time, each listening on the probe's signal.
  const slow = await startRecording((_req, res) => void setTimeout(() => res.end('ok'), 300));
  const warnings: string[] = [];
  const onWarning = (warning: Error): void => void warnings.push(`${warning.name}: ${warning.message}`);
  process.on('warning', onWarning);
  try {
    const fanOut = defineProbe({
      name: 'fan-out',
      checks: ['health.endpoint'],
      async run(ctx) {
        await Promise.all(Array.from({ length: 30 }, (_, i) => httpRequest(ctx, `${slow.url}/${i}`, { check: 'health.endpoint' })));
        return [pass('health.endpoint', 'all answered', {})];
      },
    });
    const results = await runProbes({
      target: buildTarget({ baseUrl: 'https://127.0.0.1', publicApiPaths: [], routes: [] }),
      probes: [fanOut],
      options: { ...DEFAULT_PROBE_OPTIONS, retries: 0 },
      budgets: DEFAULT_BUDGETS,
      redactor: createRedactor([]),
      signal: new AbortController().signal,
    });
    assert.equal(results[0]?.status, 'pass', results[0]?.message);
    await sleep(50); // warnings are emitted on the next tick
    assert.equal(slow.requests.length, 30);
    assert.deepEqual(
      warnings.filter((w) => /MaxListeners|abort listeners/.test(w)),
      [],
    );
  } finally {
    process.off('warning', onWarning);
    await slow.close();
  }
});
