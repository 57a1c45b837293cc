import { defaultStackParser, NodeClient, Scope } from '@sentry/node';
import type { RunConfig } from '../config/resolve.js';
import type { Redactor } from '../core/redact.js';
import type { CheckResult } from '../core/result.js';
import type { Target } from '../core/target.js';
import { VERSION } from '../version.js';
import { monitorConfig, monitorSlug } from './checkins.js';
import { eventFromResult, scrubEvent } from './events.js';
import { boundedTransport } from './transport.js';

export interface SentryReporter {
  captureResult(target: Target, result: CheckResult): void;
  /** Returns the check-in id to close the cycle with. */
  cycleStarted(origin: string, group: string, intervalMs: number): string;
  cycleFinished(checkInId: string, origin: string, group: string, ok: boolean, durationMs: number): void;
  /** Sends one test event and reports whether the ingest accepted it (HTTP 2xx) within timeoutMs. */
  sendTestEvent(timeoutMs: number): Promise<{ accepted: boolean; statusCode?: number; detail?: string }>;
  flush(timeoutMs?: number): Promise<boolean>;
  /** Gives queued events up to timeoutMs (default 2 s), then drops whatever the ingest has not answered. */
  close(timeoutMs?: number): Promise<void>;
}

export interface SentryOptions {
  readonly dsn: string;
  readonly release?: string;
  readonly environment?: string;
  readonly redactor: Redactor;
  /** How long one envelope may wait for the ingest's answer (default 5 s). */
  readonly sendTimeoutMs?: number;
}

/**
 * A client of its own (no Sentry.init, no global hub, no auto-instrumentation): the monitor only
 * sends the events and check-ins below, and tests can run several side by side.
 */
export function createSentryReporter(options: SentryOptions): SentryReporter {
  const release = options.release ?? `vor-watch@${VERSION}`;
  const transport = boundedTransport(options.sendTimeoutMs);
  const client = new NodeClient({
    dsn: options.dsn,
    release,
    environment: options.environment ?? 'production',
    transport: transport.make,
    stackParser: defaultStackParser,
    integrations: [],
    sendClientReports: false,
    beforeSend: (event) => scrubEvent(event, options.redactor) as typeof event,
  });
  client.init();
  const scope = new Scope();
  scope.setClient(client);
  const responses = new Map<string, (statusCode: number | undefined) => void>();
  client.on('afterSendEvent', (event, response) => {
    const id = event.event_id;
    if (id !== undefined) responses.get(id)?.(response.statusCode);
  });

  return {
    captureResult(target, result) {
      const event = eventFromResult(result, { environment: target.environment, release });
      if (event !== undefined) client.captureEvent(event, {}, scope);
    },
    cycleStarted(origin, group, intervalMs) {
      return client.captureCheckIn({ monitorSlug: monitorSlug(origin, group), status: 'in_progress' }, monitorConfig(intervalMs), scope);
    },
    cycleFinished(checkInId, origin, group, ok, durationMs) {
      client.captureCheckIn(
        { checkInId, monitorSlug: monitorSlug(origin, group), status: ok ? 'ok' : 'error', duration: durationMs / 1000 },
        undefined,
        scope,
      );
    },
    async sendTestEvent(timeoutMs) {
      const eventId = crypto.randomUUID().replaceAll('-', '');
      const answered = new Promise<number | undefined>((resolve) => responses.set(eventId, resolve));
      client.captureEvent(
        {
          event_id: eventId,
          message: 'vor-watch monitoring.error_tracking test event',
          level: 'info',
          tags: { check: 'monitoring.error_tracking' },
        },
        {},
        scope,
      );
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
      try {
        const statusCode = await Promise.race([answered, timedOut]);
        if (statusCode === 'timeout') return { accepted: false, detail: `no answer from the ingest within ${timeoutMs} ms` };
        if (statusCode === undefined) return { accepted: false, detail: 'the ingest could not be reached' };
        return { accepted: statusCode >= 200 && statusCode < 300, statusCode };
      } finally {
        clearTimeout(timer);
        responses.delete(eventId);
      }
    },
    flush: async (timeoutMs = 2000) => client.flush(timeoutMs),
    async close(timeoutMs = 2_000) {
      // close(0) would wait forever in the SDK; the race bounds it even if the SDK's own timer does not.
      const wait = Math.max(1, timeoutMs);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([client.close(wait), new Promise((resolve) => (timer = setTimeout(resolve, wait + 250)))]);
      clearTimeout(timer);
      transport.destroyAll();
    },
  };
}

/** The reporter for a command run, or undefined when SENTRY_DSN is unset (then nothing is sent anywhere). */
export async function startSentry(
  config: RunConfig,
  redactor: Redactor,
  io: { stderr: NodeJS.WritableStream },
): Promise<SentryReporter | undefined> {
  if (config.sentryDsn === undefined) return undefined;
  const reporter = createSentryReporter({
    dsn: config.sentryDsn,
    redactor,
    ...(config.release === undefined ? {} : { release: config.release }),
  });
  io.stderr.write('vor-watch: error tracking on (SENTRY_DSN set)\n');
  return Promise.resolve(reporter);
}
