/** Stand-ins for the reference target and the probe registry, for monitor/gate tests that must not depend on them. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defineProbe, type Probe, type ProbeContext } from '../src/core/probe.js';
import { fail, pass } from '../src/core/result.js';
import type { CheckId } from '../src/core/catalogue.js';
import { buildTarget, type Target } from '../src/core/target.js';

export interface FakeTargetState {
  health: 200 | 503;
  /** Health requests never answer. */
  hang: boolean;
  /** No request is answered any more, as with a target stopped by SIGSTOP (connections still open). */
  stopped: boolean;
  /** Added to every response. */
  delayMs: number;
  /** Share of page requests answered with 500. */
  errorRate: number;
}

export interface FakeTarget {
  readonly baseUrl: string;
  readonly target: Target;
  readonly state: FakeTargetState;
  requests(): number;
  close(): Promise<void>;
}

export async function startFakeTarget(initial: Partial<FakeTargetState> = {}): Promise<FakeTarget> {
  const state: FakeTargetState = { health: 200, hang: false, stopped: false, delayMs: 0, errorRate: 0, ...initial };
  let count = 0;
  let pageRequests = 0;
  const server = createServer((req, res) => {
    count += 1;
    if (state.stopped) return;
    const answer = (): void => {
      if (req.url === '/health') {
        if (state.hang) return;
        res
          .writeHead(state.health, { 'content-type': 'application/json' })
          .end(JSON.stringify({ status: state.health === 200 ? 'ok' : 'down' }));
        return;
      }
      pageRequests += 1;
      const failing = state.errorRate > 0 && pageRequests % Math.round(1 / state.errorRate) === 0;
      res.writeHead(failing ? 500 : 200, { 'content-type': 'text/html' }).end('<!doctype html><title>VÖR</title>');
    };
    if (state.delayMs > 0) setTimeout(answer, state.delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    target: buildTarget({ baseUrl, publicApiPaths: [], routes: [], environment: 'staging' }),
    state,
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function timedGet(ctx: ProbeContext, check: CheckId, url: string, timeoutMs: number): Promise<number | undefined> {
  const started = performance.now();
  try {
    const response = await fetch(url, { signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)]) });
    await response.arrayBuffer();
    ctx.recordRequest({
      check,
      durationSeconds: (performance.now() - started) / 1000,
      outcome: response.status >= 500 ? 'failure' : 'success',
    });
    return response.status;
  } catch {
    ctx.recordRequest({ check, durationSeconds: (performance.now() - started) / 1000, outcome: 'failure' });
    return undefined;
  }
}

export const fakeHealthProbe: Probe = defineProbe({
  name: 'health',
  checks: ['health.endpoint'],
  retry: false,
  async run(ctx) {
    const url = `${ctx.target.baseUrl}${ctx.options.healthPath}`;
    const status = await timedGet(ctx, 'health.endpoint', url, ctx.options.healthTimeoutMs);
    if (status === 200) return [pass('health.endpoint', `${url} answered 200`, { url, status })];
    return [
      fail('health.endpoint', status === undefined ? 'unreachable' : 'bad_status', `${url} answered ${status ?? 'nothing'}`, {
        url,
        status: status ?? null,
      }),
    ];
  },
});

/** A probe of `pages` page requests per cycle (many pages dilute one failing health request in the error rate). */
export const makePageProbe = (pages: number): Probe =>
  defineProbe({
    name: 'routes',
    checks: ['routes.reachable'],
    retry: false,
    async run(ctx) {
      const statuses: (number | undefined)[] = [];
      for (let i = 0; i < pages; i += 1)
        statuses.push(await timedGet(ctx, 'routes.reachable', `${ctx.target.baseUrl}/page/${i}`, ctx.options.timeoutMs));
      const bad = statuses.filter((s) => s !== 200).length;
      return [
        bad === 0
          ? pass('routes.reachable', 'all pages answered 200')
          : fail('routes.reachable', 'bad_status', `${bad} pages did not answer 200`, { bad }),
      ];
    },
  });

export const fakePageProbe: Probe = makePageProbe(4);

export const FAKE_PROBES: readonly Probe[] = [fakeHealthProbe, fakePageProbe];
