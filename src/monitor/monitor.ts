import type { Budgets, ProbeOptions } from '../config/schema.js';
import type { Probe } from '../core/probe.js';
import type { Redactor } from '../core/redact.js';
import type { CheckResult } from '../core/result.js';
import { runProbes } from '../core/runner.js';
import type { Target } from '../core/target.js';
import { isBlocking } from '../core/verdict.js';
import { createHttpTransport, type HttpTransport } from '../net/transport.js';
import { combineStatuses } from '../alerting/combine.js';
import { TriggerEvaluator, type TriggerStatus } from '../alerting/evaluator.js';
import type { TrafficSignal } from '../alerting/traffic.js';
import { DEFAULT_TRIGGER_SETTINGS, type TriggerSettings } from '../alerting/triggers.js';
import { recordRequest, recordResults } from '../metrics/record.js';
import { createMetrics, type Metrics } from '../metrics/registry.js';
import { favourSmallHeap } from './heap.js';
import { startLoop, type JobStats, type LoopClock, type LoopJob } from './loop.js';
import { DEFAULT_GROUPS, groupProbes, type ProbeGroup } from './schedule.js';

export interface CycleInfo {
  readonly target: Target;
  readonly group: string;
  readonly intervalMs: number;
}

/** Where Sentry, the gate and logging plug in; a hook that throws never stops the loop. */
export interface MonitorHooks {
  onCycleStart?(cycle: CycleInfo): void;
  onCycleEnd?(cycle: CycleInfo, outcome: { ok: boolean; durationMs: number; results: readonly CheckResult[] }): void;
  onResults?(target: Target, results: readonly CheckResult[]): void;
  /** After every evaluation; `changed` holds the triggers whose state moved. */
  onTriggers?(target: Target, statuses: readonly TriggerStatus[], changed: readonly TriggerStatus[]): void;
}

export interface MonitorInput {
  readonly targets: readonly Target[];
  readonly probes: readonly Probe[];
  readonly options: ProbeOptions;
  readonly budgets: Budgets;
  readonly redactor: Redactor;
  readonly intervalMs: number;
  readonly groups?: readonly ProbeGroup[];
  readonly triggerSettings?: TriggerSettings;
  readonly metrics?: Metrics;
  /** Probe groups running at once, across targets. */
  readonly concurrency?: number;
  readonly jitterRatio?: number;
  readonly loopClock?: LoopClock;
  readonly hooks?: MonitorHooks;
  /** The connections every cycle reuses; without one the monitor opens its own and closes it on stop(). */
  readonly transport?: HttpTransport;
  /** The service's own traffic (Prometheus), polled every interval and judged beside every target's probes. */
  readonly traffic?: TrafficSignal;
  /** More jobs on the same loop (the browser checks, src/monitor/browser-jobs.ts). */
  readonly extraJobs?: readonly LoopJob[];
}

export interface Monitor {
  readonly metrics: Metrics;
  triggers(): ReadonlyMap<string, readonly TriggerStatus[]>;
  stats(): ReadonlyMap<string, Readonly<JobStats>>;
  /** True while every job has finished a cycle recently enough (3 intervals, or never ran yet within 3 intervals of start). */
  isLive(now?: number): boolean;
  stop(): Promise<void>;
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // Hooks report elsewhere (Sentry, stderr); their failure is not the target's.
  }
}

export function startMonitor(input: MonitorInput): Monitor {
  favourSmallHeap();
  const metrics = input.metrics ?? createMetrics();
  const settings = input.triggerSettings ?? DEFAULT_TRIGGER_SETTINGS;
  const clock = input.loopClock?.now ?? Date.now;
  const hooks = input.hooks ?? {};
  const seenRequestSeries = new Set<string>();
  const evaluators = new Map<string, TriggerEvaluator>();
  const latest = new Map<string, TriggerStatus[]>();
  const startedAt = clock();
  const transport = input.transport ?? createHttpTransport();

  const evaluatorOf = (target: Target): TriggerEvaluator => {
    let ev = evaluators.get(target.origin);
    if (ev === undefined) {
      ev = new TriggerEvaluator(settings, clock);
      evaluators.set(target.origin, ev);
    }
    return ev;
  };

  const evaluate = (target: Target): void => {
    const now = clock();
    const statuses = combineStatuses(evaluatorOf(target).evaluate(now), input.traffic?.evaluate(now));
    const before = latest.get(target.origin);
    const changed = statuses.filter((s) => before?.find((b) => b.id === s.id)?.state !== s.state);
    latest.set(target.origin, statuses);
    for (const s of statuses) metrics.rollbackTriggerActive.set({ target: target.origin, trigger: s.id }, s.state === 'firing' ? 1 : 0);
    safely(() => hooks.onTriggers?.(target, statuses, changed));
  };

  const jobs: LoopJob[] = input.targets.flatMap((target) => {
    const ev = evaluatorOf(target);
    return groupProbes(input.probes, input.groups ?? DEFAULT_GROUPS).map(({ group, probes }) => {
      const intervalMs = group.intervalMs(input.intervalMs);
      const cycle: CycleInfo = { target, group: group.name, intervalMs };
      // A cycle never runs much past its interval, whatever the target does.
      const deadlineMs = group.deadlineMs?.(intervalMs, input.options) ?? Math.min(input.options.deadlineMs, Math.max(intervalMs, 10_000));
      return {
        key: `${target.origin} ${group.name}`,
        intervalMs,
        ...(group.ownLane === true ? { ownLane: true } : {}),
        async run(signal: AbortSignal) {
          const started = clock();
          safely(() => hooks.onCycleStart?.(cycle));
          const results = await runProbes({
            target,
            probes,
            options: { ...input.options, deadlineMs },
            budgets: input.budgets,
            redactor: input.redactor,
            signal,
            transport,
            recordRequest(sample) {
              const purpose = recordRequest(metrics, target.origin, sample, seenRequestSeries);
              ev.recordRequest({ durationSeconds: sample.durationSeconds, outcome: sample.outcome, purpose });
            },
            onResults(results) {
              recordResults(metrics, results);
              for (const r of results) if (r.id === 'health.endpoint') ev.recordHealth(r.status);
              metrics.healthConsecutiveFailures.set({ target: target.origin }, ev.consecutiveHealthFailures);
              safely(() => hooks.onResults?.(target, results));
              evaluate(target);
            },
          });
          evaluate(target);
          const ok = !results.some((r) => isBlocking(r.status));
          safely(() => hooks.onCycleEnd?.(cycle, { ok, durationMs: clock() - started, results }));
        },
      };
    });
  });

  if (input.traffic !== undefined) {
    const traffic = input.traffic;
    jobs.push({
      key: 'service traffic',
      intervalMs: input.intervalMs,
      ownLane: true,
      async run(signal) {
        await traffic.poll(signal);
        for (const target of input.targets) evaluate(target);
      },
    });
  }

  jobs.push(...(input.extraJobs ?? []));

  const loop = startLoop({
    jobs,
    // One job per target and group: with many targets, enough of them must run at once for every
    // target to get its cycle within the interval (each job is itself bounded by options.concurrency).
    concurrency: input.concurrency ?? Math.min(50, Math.max(4, input.targets.length)),
    jitterRatio: input.jitterRatio ?? 0.1,
    ...(input.loopClock === undefined ? {} : { clock: input.loopClock }),
  });

  return {
    metrics,
    triggers: () => latest,
    stats: () => loop.stats(),
    isLive(now = clock()) {
      return jobs.every((job) => {
        const s = loop.stats().get(job.key);
        const last = s?.lastFinishedAt ?? startedAt;
        return s?.running === true
          ? now - (s.lastStartedAt ?? startedAt) < 3 * job.intervalMs + 60_000
          : now - last < 3 * job.intervalMs + 10_000;
      });
    },
    async stop() {
      await loop.stop();
      if (input.transport === undefined) transport.close();
    },
  };
}
