import { checksDirFlag } from '../../config/checks-dir.js';
import { configError } from '../../config/errors.js';
import { escapeControlChars } from '../../core/control-chars.js';
import { recordResults } from '../../metrics/record.js';
import { createMetrics } from '../../metrics/registry.js';
import { browserJobs, DEFAULT_BROWSER_INTERVAL_MS, MONITOR_BROWSER_GREP, type BrowserJobs } from '../../monitor/browser-jobs.js';
import { startMonitor, type Monitor, type MonitorHooks } from '../../monitor/monitor.js';
import { parseListen, serveMonitor, type MetricsServer } from '../../monitor/server.js';
import { locationFrom, triggerSettingsFromEnv } from '../../monitor/settings.js';
import { trafficSignalFor, withConfiguredWindows } from '../../monitor/traffic-setup.js';
import { sentryHooks } from '../../sentry/hooks.js';
import { EXIT_GO } from '../../session/exit-code.js';
import { untilAborted } from '../../session/interrupt.js';
import type { CommandIO } from '../../session/io.js';
import { withSession } from '../../session/lifecycle.js';
import { probeSet } from '../../session/probe-set.js';
import { parseDurationMs } from '../duration.js';
import { targetFlagsOf } from '../target-flags.js';

/** `vor-watch monitor`: continuous probing with /metrics and /healthz, until SIGINT/SIGTERM. */
export async function run(options: Record<string, unknown>, io: CommandIO): Promise<number> {
  const intervalMs = parseDurationMs(String(options.interval ?? '30s'), '--interval', { min: 1000, max: 24 * 3_600_000 });
  const listenRaw = String(options.listen ?? '127.0.0.1:9464');
  const listen = parseListen(listenRaw);
  if (listen === undefined) throw configError('--listen', `"${listenRaw}" is not HOST:PORT, e.g. 127.0.0.1:9464 or [::1]:9464`);
  const browserIntervalMs =
    options.browserInterval === undefined
      ? undefined
      : parseDurationMs(String(options.browserInterval), '--browser-interval', { min: 10_000, max: 24 * 3_600_000 });
  const checksDir = checksDirFlag(options, io.cwd);
  const scaledSettings = triggerSettingsFromEnv(io.env);
  const metrics = createMetrics({ location: locationFrom(options.location, io.env) });
  // The server starts first (the /metrics self-check needs its URL); it sees the monitor once it exists.
  const started: { monitor?: Monitor } = {};
  let server: MetricsServer;
  try {
    server = await serveMonitor(
      {
        metrics,
        isLive: (now) => started.monitor?.isLive(now) ?? true,
        triggers: () => started.monitor?.triggers() ?? new Map(),
        stats: () => started.monitor?.stats() ?? new Map(),
      },
      listen.host,
      listen.port,
    );
  } catch (error) {
    throw configError('--listen', `cannot listen on ${listenRaw}: ${(error as Error).message}`);
  }
  // A line quotes the target's messages: its control characters are shown, never obeyed (no forged lines).
  const log = (line: string): void => void io.stderr.write(`vor-watch monitor: ${escapeControlChars(line)}\n`);
  try {
    await withSession(targetFlagsOf(options), io, async (opened, signal) => {
      const session = checksDir === undefined ? opened : { ...opened, config: { ...opened.config, checksDir } };
      const triggerSettings = withConfiguredWindows(scaledSettings, session.config.triggers);
      const traffic = trafficSignalFor(options.prometheus, io.env, session.config, triggerSettings);
      const sentry = await session.sentry();
      const hooks: MonitorHooks = {
        ...(sentry === undefined ? {} : sentryHooks(sentry)),
        onTriggers(target, _statuses, changed) {
          for (const s of changed) log(`${s.id} ${s.state} for ${target.origin}: ${session.redactor.string(s.message)}`);
        },
      };
      // Browser checks (critical flows, the team's specs) at their own interval: with --browser-interval, or the team's specs configured.
      const browserEveryMs = browserIntervalMs ?? (session.config.checksDir === undefined ? undefined : DEFAULT_BROWSER_INTERVAL_MS);
      const browser: BrowserJobs | undefined =
        browserEveryMs === undefined
          ? undefined
          : await browserJobs({
              session,
              intervalMs: browserEveryMs,
              ...(typeof options.browserGrep === 'string' ? { grep: options.browserGrep } : {}),
              record(target, results) {
                recordResults(metrics, results);
                hooks.onResults?.(target, results);
              },
            });
      const monitor = startMonitor({
        targets: session.targets,
        probes: probeSet(session, { metricsUrl: `${server.url}/metrics` }),
        options: session.config.probes,
        budgets: session.config.budgets,
        redactor: session.redactor,
        transport: session.transport,
        intervalMs,
        triggerSettings,
        metrics,
        ...(traffic === undefined ? {} : { traffic }),
        hooks,
        ...(browser === undefined ? {} : { extraJobs: browser.jobs }),
      });
      started.monitor = monitor;
      log(`probing ${session.targets.map((t) => t.origin).join(', ')} every ${intervalMs / 1000} s; metrics at ${server.url}/metrics`);
      if (browserEveryMs !== undefined)
        log(
          `browser checks (${typeof options.browserGrep === 'string' ? options.browserGrep : MONITOR_BROWSER_GREP}) every ${browserEveryMs / 1000} s, one browser run at a time`,
        );
      await untilAborted(signal);
      log('stopping');
      await monitor.stop();
      await browser?.close();
    });
  } finally {
    await server.close();
  }
  return EXIT_GO;
}
