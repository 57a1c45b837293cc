import type autocannon from 'autocannon';
import type { EngineOptions, EngineRun } from './types.js';

/** autocannon's request timeout is whole seconds, at least 1. */
const autocannonTimeoutSeconds = (timeoutMs: number): number => Math.max(1, Math.ceil(timeoutMs / 1000));

/** How long the request cycle handed to autocannon is, at least (see `repeatedCycle`). */
export const MIN_CYCLE_LENGTH = 64;

/**
 * The scenario's requests repeated whole until the cycle holds at least MIN_CYCLE_LENGTH: each
 * connection sends the same sequence, but autocannon deep-clones its per-cycle context (lodash
 * clonedeep) each time a cycle ends, which for a one-request scenario is every request, about 2 %
 * of its CPU. vor-watch keeps no per-cycle context (no setupRequest/onResponse hooks).
 */
export function repeatedCycle<T>(requests: readonly T[]): T[] {
  if (requests.length === 0) return [];
  const times = Math.ceil(MIN_CYCLE_LENGTH / requests.length);
  return Array.from({ length: times }, () => requests).flat();
}

/**
 * The closed model on autocannon (`vor-watch load --engine autocannon`): the same virtual users as
 * `runClosed`, driven by autocannon's client, for a cross-check against the reference tool.
 * autocannon is loaded here, when such a run starts, not with the CLI. Its timeout is whole
 * seconds, it does not verify the target's certificate, and it does not frame a HEAD answer with a
 * Content-Length or a body that runs to the close (load/README.md).
 */
export function runAutocannon(options: EngineOptions): EngineRun {
  const { recorder, isFailure } = options;
  const timeoutSeconds = autocannonTimeoutSeconds(options.timeoutMs);
  let instance: autocannon.Instance | undefined;
  let stopped = false;

  // One listener for every answer, no allocation: this runs tens of thousands of times a second,
  // and any work here is taken from the requests autocannon could have sent.
  const onResponse = (_client: unknown, status: number, _bytes: number, responseTimeMs: number): void => {
    recorder.record(responseTimeMs, status, isFailure(status));
  };
  const onRequestError = (error: Error): void => {
    if (error.message === 'request timed out') recorder.record(timeoutSeconds * 1000, 'timeout', true);
    else recorder.recordError(error);
  };

  const done = import('autocannon').then(
    ({ default: load }) =>
      new Promise<void>((resolve, reject) => {
        if (stopped) return resolve();
        // The run's clock starts with autocannon's, not before the library was loaded.
        recorder.restart();
        instance = load(
          {
            url: new URL(options.origin).origin,
            connections: options.connections,
            duration: options.durationMs / 1000,
            maxOverallRequests: options.maxRequests,
            timeout: timeoutSeconds,
            requests: repeatedCycle(options.requests).map((r) => ({
              method: r.method as autocannon.Request['method'],
              path: r.path,
              headers: { ...r.headers },
              ...(r.body === undefined ? {} : { body: r.body }),
            })),
            ...(options.caPem === undefined ? {} : { tlsOptions: { ca: options.caPem } }),
            // Nothing to render: the recorder keeps the histograms.
            skipAggregateResult: true,
          },
          (error) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve()),
        );
        instance.on('response', onResponse as never);
        instance.on('reqError', onRequestError);
      }),
  );
  const stop = () => {
    stopped = true;
    instance?.stop();
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  return { done, stop };
}
