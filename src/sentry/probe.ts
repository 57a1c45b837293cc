import { defineProbe, type Probe } from '../core/probe.js';
import type { Redactor } from '../core/redact.js';
import { fail, pass, skip } from '../core/result.js';

/** monitoring.error_tracking: with a DSN configured, one test event must be accepted by the error tracker. */
export function errorTrackingProbe(config: { readonly dsn?: string; readonly release?: string; readonly redactor: Redactor }): Probe {
  return defineProbe({
    name: 'error-tracking',
    checks: ['monitoring.error_tracking'],
    retry: false,
    async run(ctx) {
      if (config.dsn === undefined) {
        return [skip('monitoring.error_tracking', 'not_configured', 'SENTRY_DSN is not set; error tracking was not checked')];
      }
      // The DSN is a secret: evidence names only the ingest host.
      const ingestHost = URL.canParse(config.dsn) ? new URL(config.dsn).host : 'unparseable DSN';
      // A fifth of the probe's budget is left for closing, so a silent ingest is reported as such, not as a probe timeout.
      const answerWithinMs = Math.max(500, Math.round(ctx.options.timeoutMs * 0.8));
      // @sentry/node is loaded only when there is a DSN to test: it takes longer to import than the probes take to run.
      const { createSentryReporter } = await import('./client.js');
      const reporter = createSentryReporter({
        dsn: config.dsn,
        sendTimeoutMs: answerWithinMs + 500,
        environment: ctx.target.environment,
        redactor: config.redactor,
        ...(config.release === undefined ? {} : { release: config.release }),
      });
      try {
        const answer = await reporter.sendTestEvent(answerWithinMs);
        const evidence = { ingestHost, statusCode: answer.statusCode ?? null };
        if (answer.accepted)
          return [pass('monitoring.error_tracking', `the error tracker at ${ingestHost} accepted a test event`, evidence)];
        return [
          fail(
            'monitoring.error_tracking',
            answer.statusCode === undefined ? 'unreachable' : 'rejected',
            `the error tracker at ${ingestHost} did not accept a test event: ${answer.detail ?? `HTTP ${answer.statusCode}`}`,
            evidence,
          ),
        ];
      } finally {
        // The answer is in (or will never come): nothing left worth waiting for.
        await reporter.close(250);
      }
    },
  });
}
