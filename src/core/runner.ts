import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import picomatch from 'picomatch';
import type { Budgets, ProbeOptions } from '../config/schema.js';
import { classifyFailure, ProbeFailure } from '../net/failure.js';
import { createHttpTransport, type HttpTransport } from '../net/transport.js';
import type { CheckId } from './catalogue.js';
import { deadline } from './deadline.js';
import { finalizeFindings } from './finalize.js';
import type { Probe, ProbeContext, RequestSample } from './probe.js';
import type { Redactor } from './redact.js';
import { errored, type CheckResult, type Finding } from './result.js';
import type { Target } from './target.js';
import { isBlocking } from './verdict.js';

export interface RunProbesInput {
  readonly target: Target;
  readonly probes: readonly Probe[];
  readonly options: ProbeOptions;
  readonly budgets: Budgets;
  readonly redactor: Redactor;
  /** Globs over check ids (`headers.*`); a family runs if any of its ids match, and only matching ids are reported. */
  readonly checkGlobs?: readonly string[];
  readonly recordRequest?: (sample: RequestSample) => void;
  /** Called as each family finishes, for live progress. */
  readonly onResults?: (results: readonly CheckResult[]) => void;
  readonly signal?: AbortSignal;
  /** Throw on contract violations instead of reporting them (tests). */
  readonly strict?: boolean;
  /** The caller's connections (kept open for its next run); without one, this run opens its own and closes it at the end. */
  readonly transport?: HttpTransport;
}

export function selectChecks(ids: readonly CheckId[], globs: readonly string[] | undefined): CheckId[] {
  if (globs === undefined || globs.length === 0) return [...ids];
  const matches = picomatch([...globs], { dot: true });
  return ids.filter((id) => matches(id));
}

function failureFindings(probe: Probe, error: unknown, target: Target, timeoutMs: number): Finding[] {
  const { reason, detail } = error instanceof ProbeFailure ? { reason: error.reason, detail: error.message } : classifyFailure(error);
  const message =
    reason === 'timeout'
      ? `${probe.name} probe of ${target.origin} timed out after ${timeoutMs} ms`
      : `${probe.name} probe of ${target.origin} could not be evaluated: ${reason} (${detail})`;
  return probe.checks.map((id) => errored(id, reason, message, { detail }));
}

/** Requests one probe may have in flight on its signal before Node warns of a leak. */
const PROBE_SIGNAL_LISTENERS = 200;

async function attempt(
  probe: Probe,
  ctx: Omit<ProbeContext, 'signal'>,
  timeoutMs: number,
  outer: AbortSignal | undefined,
): Promise<readonly Finding[]> {
  const timeout = deadline(timeoutMs, outer);
  const { signal } = timeout;
  // Each request of the probe listens on this signal until it ends: a fan-out of dozens at once is
  // expected, and the signal lives only as long as this attempt, so nothing accumulates across cycles.
  setMaxListeners(PROBE_SIGNAL_LISTENERS, signal);
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason ?? new DOMException('aborted', 'TimeoutError'));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    // Racing the signal bounds the probe even if some code inside forgets to honour it.
    return await Promise.race([probe.run({ ...ctx, signal }), aborted]);
  } catch (error) {
    return failureFindings(probe, error, ctx.target, timeoutMs);
  } finally {
    signal.removeEventListener('abort', onAbort);
    timeout.dispose();
  }
}

/** Runs every selected probe family against one target; never throws for a target's misbehaviour. */
export async function runProbes(input: RunProbesInput): Promise<CheckResult[]> {
  const transport = input.transport ?? createHttpTransport();
  const memo = new Map<string, Promise<unknown>>();
  const baseContext: Omit<ProbeContext, 'signal'> = {
    target: input.target,
    options: input.options,
    budgets: input.budgets,
    observe<T>(key: string, gather: () => Promise<T>): Promise<T> {
      let value = memo.get(key) as Promise<T> | undefined;
      if (value === undefined) {
        value = gather();
        memo.set(key, value);
      }
      return value;
    },
    recordRequest: input.recordRequest ?? (() => undefined),
    transport,
  };
  const runDeadline = deadline(input.options.deadlineMs, input.signal);
  // Each attempt in flight listens on it (up to the probe concurrency) until the attempt ends.
  setMaxListeners(PROBE_SIGNAL_LISTENERS, runDeadline.signal);
  const limit = pLimit(input.options.concurrency);
  const families = input.probes
    .map((probe) => ({
      probe,
      selected: selectChecks(probe.checksFor?.(input.target) ?? probe.checks, input.checkGlobs),
    }))
    .filter(({ selected }) => selected.length > 0);

  try {
    const perFamily = await Promise.all(
      families.map(({ probe, selected }) =>
        limit(async () => {
          const started = performance.now();
          const timeoutMs = probe.timeoutMs?.(input.options) ?? input.options.timeoutMs;
          let findings = await attempt(probe, baseContext, timeoutMs, runDeadline.signal);
          const retries = probe.retry === false ? 0 : input.options.retries;
          for (let n = 1; n <= retries && findings.some((f) => selected.includes(f.id) && isBlocking(f.status)); n += 1) {
            if (runDeadline.signal.aborted) break;
            memo.clear();
            const again = await attempt(probe, baseContext, timeoutMs, runDeadline.signal);
            findings = mergeRetry(findings, again, n);
          }
          const results = finalizeFindings({
            declared: selected,
            findings: findings.filter((f) => selected.includes(f.id)),
            target: input.target.origin,
            durationMs: performance.now() - started,
            redactor: input.redactor,
            strict: input.strict ?? false,
          });
          input.onResults?.(results);
          return results;
        }),
      ),
    );
    return perFamily.flat();
  } finally {
    runDeadline.dispose();
    if (input.transport === undefined) transport.close();
  }
}

/** Keeps the retry's verdict for checks that were blocking, and records that it needed a retry. */
function mergeRetry(first: readonly Finding[], again: readonly Finding[], attemptNumber: number): Finding[] {
  return first.map((before) => {
    if (!isBlocking(before.status)) return before;
    const after = again.find((f) => f.id === before.id);
    if (after === undefined) return before;
    const firstAttempt = {
      status: before.status,
      reason: before.reason ?? null,
      message: before.message,
    };
    return isBlocking(after.status)
      ? {
          ...after,
          evidence: { ...after.evidence, attempts: attemptNumber + 1 },
        }
      : {
          ...after,
          evidence: {
            ...after.evidence,
            passedOnRetry: true,
            attempts: attemptNumber + 1,
            firstAttempt,
          },
        };
  });
}
