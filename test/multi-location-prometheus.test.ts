/**
 * Two `vor-watch monitor` processes (--location fra, --location osl) probe the same reference target
 * and a real Prometheus scrapes both with the shipped rules. osl's path to the target is broken the
 * way a TLS-intercepting proxy at one site breaks it (osl does not trust the certificate it is
 * served), so only osl sees the health failures: VorLocationBlind fires for osl and the health
 * rollback does not. Then the target itself fails (/health 503) and the rollback fires, because now
 * both locations agree. Only the health trigger is judged: on a loaded machine the error-rate and
 * latency triggers may see timeouts, which is not what this test is about.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { renderRules } from '../src/alerting/rules.js';
import { DEFAULT_TRIGGER_SETTINGS } from '../src/alerting/triggers.js';
import { startTarget, type RunningTarget } from '../target/server.js';
import { BIN, runCli } from './helpers/cli.js';
import { freePort, startPrometheus, type RunningPrometheus } from './monitor-prometheus.js';
import { PROMETHEUS, skipMessage } from './monitor-promtool.js';

interface Alert {
  labels: Record<string, string>;
  state: string;
}

async function startMonitorCli(args: readonly string[]): Promise<{ child: ChildProcess; listen: string; stderr: () => string }> {
  const port = await freePort();
  const listen = `127.0.0.1:${port}`;
  const child = spawn(process.execPath, [BIN, 'monitor', '--interval', '2s', '--listen', listen, ...args], {
    env: { ...process.env, SENTRY_DSN: '', VOR_LOCATION: '', NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return { child, listen, stderr: () => stderr };
}

describe('vor-watch monitor --location', () => {
  it('rejects a --location that is not a plain name, with exit 2 naming the flag', async () => {
    const run = await runCli(['monitor', '--location', 'eu west/1'], { env: { VOR_LOCATION: '' }, timeoutMs: 60_000 });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /--location: "eu west\/1" is not a location name/);
  });
});

describe('two locations against real Prometheus: quorum and location blind', { timeout: 200_000 }, () => {
  const skipped = skipMessage(PROMETHEUS);
  let target: RunningTarget;
  let prometheus: RunningPrometheus;
  const monitors: Awaited<ReturnType<typeof startMonitorCli>>[] = [];

  before(async () => {
    if (skipped) return;
    target = await startTarget({ quiet: true });
    const common = ['--target', target.baseUrl, '--http', target.httpUrl];
    monitors.push(await startMonitorCli([...common, '--ca', target.caFile, '--location', 'fra']));
    monitors.push(await startMonitorCli([...common, '--location', 'osl']));
    prometheus = await startPrometheus({
      scrapeTarget: monitors.map((m) => m.listen),
      rules: renderRules(DEFAULT_TRIGGER_SETTINGS, { job: 'vor-watch' }),
    });
  });
  after(async () => {
    for (const m of monitors) m.child.kill('SIGKILL');
    await prometheus?.close();
    await target?.close();
  });

  it('osl alone failing is VorLocationBlind, not a rollback; both failing is the rollback', { skip: skipped }, async () => {
    const origin = new URL(target.baseUrl).origin;
    const diagnostics = (): string =>
      `${monitors.map((m) => m.stderr().slice(-1500)).join('\n---\n')}\n--- prometheus:\n${prometheus.log().slice(-1500)}`;
    const health = (alert: Alert): boolean => alert.labels.trigger === 'rollback.health_failures' && alert.labels.target === origin;

    // Both locations report (two voters), and only osl counts health failures.
    const reporting = Date.now() + 60_000;
    for (;;) {
      const body = (await fetch(
        `${prometheus.url}/api/v1/query?query=${encodeURIComponent('count by (location) (vor_check_runs_total)')}`,
      ).then((r) => r.json())) as { data: { result: { metric: { location?: string } }[] } };
      if (body.data.result.length === 2) break;
      assert.ok(Date.now() < reporting, `both locations never reported:\n${diagnostics()}`);
      await sleep(500);
    }

    const blindBy = Date.now() + 45_000;
    let blind: Alert | undefined;
    while (blind?.state !== 'firing') {
      const alerts = await prometheus.alerts();
      const early = alerts.filter((a) => a.labels.alertname === 'VorRollbackHealthFailures');
      assert.deepEqual(early, [], 'the health rollback fired while only one location saw failures');
      blind = alerts.find((a) => a.labels.alertname === 'VorLocationBlind' && health(a));
      assert.ok(Date.now() < blindBy, `VorLocationBlind never fired for osl:\n${diagnostics()}`);
      await sleep(500);
    }
    assert.equal(blind.labels.location, 'osl');
    assert.equal(blind.labels.severity, 'warning');

    target.setFaults({ health_503: true }, 'merge');
    const rollbackBy = Date.now() + 45_000;
    for (;;) {
      const alerts = await prometheus.alerts();
      const fired = alerts.find((a) => a.labels.alertname === 'VorRollbackHealthFailures' && health(a) && a.state === 'firing');
      const stillBlind = alerts.some((a) => a.labels.alertname === 'VorLocationBlind' && health(a));
      if (fired !== undefined && !stillBlind) break;
      assert.ok(Date.now() < rollbackBy, `no quorum rollback after both locations failed:\n${JSON.stringify(alerts)}\n${diagnostics()}`);
      await sleep(500);
    }
  });
});
