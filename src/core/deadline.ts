/** A signal that aborts after `ms` or when `outer` aborts, whichever comes first; `dispose()` releases both. */
export interface Deadline {
  readonly signal: AbortSignal;
  dispose(): void;
}

/**
 * Not AbortSignal.any + AbortSignal.timeout, for two reasons that matter in a process that runs for
 * weeks (the monitor):
 * - in Node 20 every AbortSignal.any() leaves a WeakRef in its sources' dependant set for good
 *   (100,000 calls on one long-lived signal: 100,000 entries, about 9 MB), and the monitor's own
 *   signal lives as long as the process;
 * - a composite signal with an 'abort' listener is kept alive until it aborts, with everything the
 *   listener's closure holds, so one that never aborts is never collected.
 * Here the only listener is on `outer`, and dispose() removes it. The timer is ref'd (AbortSignal.timeout's
 * is not): a probe hanging on a dead socket must not let the event loop exit with results pending.
 */
export function deadline(ms: number, outer?: AbortSignal): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`timed out after ${ms} ms`, 'TimeoutError')), ms);
  const onOuterAbort = (): void => controller.abort(outer?.reason ?? new DOMException('aborted', 'AbortError'));
  if (outer?.aborted === true) onOuterAbort();
  else outer?.addEventListener('abort', onOuterAbort, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    },
  };
}
