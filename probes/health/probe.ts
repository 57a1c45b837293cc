import { defineProbe } from '../../src/core/probe.js';
import { classifyFailure } from '../../src/net/failure.js';
import { httpRequest, type HttpSnapshot } from '../../src/net/http.js';
import { evaluateHealth, type HealthUnanswered } from './evaluate.js';

const UNREACHABLE = ['connection_refused', 'connection_reset', 'dns_failed'];

export const healthProbe = defineProbe({
  name: 'health',
  checks: ['health.endpoint'],
  async run(ctx) {
    // app.api.health may name another host; probes.healthPath is the older, same-origin spelling.
    const url = ctx.target.healthUrl ?? `${ctx.target.origin}${ctx.options.healthPath}`;
    const started = performance.now();
    let outcome: HttpSnapshot | HealthUnanswered;
    try {
      outcome = await httpRequest(ctx, url, {
        check: 'health.endpoint',
        headers: { accept: 'application/json' },
        timeoutMs: ctx.options.healthTimeoutMs,
        maxBodyBytes: 64 * 1024,
        onOversize: 'truncate',
      });
    } catch (error) {
      const { reason, detail } = classifyFailure(error);
      // The probe's own deadline is not the health endpoint's fault: let the runner report it.
      if (ctx.signal.aborted || !(reason === 'timeout' || UNREACHABLE.includes(reason))) throw error;
      outcome = { url, reason: reason === 'timeout' ? 'timeout' : 'unreachable', detail, elapsedMs: performance.now() - started };
    }
    return [evaluateHealth(outcome, ctx.options)];
  },
});
