import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';

export interface LoopClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: LoopClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Something run on a schedule: one probe group against one target. */
export interface LoopJob {
  readonly key: string;
  readonly intervalMs: number;
  /** Runs outside the shared concurrency limit (a cheap job that must keep its cadence when the others hang). */
  readonly ownLane?: boolean;
  run(signal: AbortSignal): Promise<void>;
}

export interface JobStats {
  runs: number;
  /** Runs whose job threw; the loop carries on regardless. */
  crashes: number;
  /** Runs that took longer than the interval, so the next one started late. */
  overruns: number;
  lastStartedAt?: number;
  lastFinishedAt?: number;
  lastDurationMs?: number;
  running: boolean;
}

export interface LoopOptions {
  readonly jobs: readonly LoopJob[];
  /** Jobs running at once across all targets. */
  readonly concurrency: number;
  /** Each wait is the interval ± this share of it, so many targets do not probe in lockstep. */
  readonly jitterRatio?: number;
  readonly clock?: LoopClock;
  readonly random?: () => number;
  readonly onCrash?: (job: LoopJob, error: unknown) => void;
}

export interface RunningLoop {
  stats(): ReadonlyMap<string, Readonly<JobStats>>;
  /** Stops scheduling and waits for the runs in flight (they see an aborted signal). */
  stop(): Promise<void>;
}

/**
 * Runs every job on its own interval. A job is re-armed only after its run finished, so it never
 * overlaps itself; a run that throws is counted and the schedule goes on.
 */
export function startLoop(options: LoopOptions): RunningLoop {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const jitter = Math.min(Math.max(options.jitterRatio ?? 0.1, 0), 0.5);
  const limit = pLimit(options.concurrency);
  const controller = new AbortController();
  // Every job in flight listens on this signal through its run's deadline (src/core/deadline.ts)
  // and removes its listener when the run ends: up to all jobs at once, a few listeners each.
  setMaxListeners(Math.max(10, options.jobs.length * 4), controller.signal);
  const timers = new Map<string, unknown>();
  const inFlight = new Set<Promise<void>>();
  const stats = new Map<string, JobStats>(options.jobs.map((job) => [job.key, { runs: 0, crashes: 0, overruns: 0, running: false }]));

  const arm = (job: LoopJob, delayMs: number): void => {
    if (controller.signal.aborted) return;
    timers.set(
      job.key,
      clock.setTimeout(() => {
        timers.delete(job.key);
        const run = job.ownLane === true ? execute(job) : limit(() => execute(job));
        inFlight.add(run);
        void run.finally(() => inFlight.delete(run));
      }, delayMs),
    );
  };

  const execute = async (job: LoopJob): Promise<void> => {
    const s = stats.get(job.key);
    if (s === undefined || controller.signal.aborted) return;
    const started = clock.now();
    s.running = true;
    s.lastStartedAt = started;
    try {
      await job.run(controller.signal);
    } catch (error) {
      s.crashes += 1;
      try {
        options.onCrash?.(job, error);
      } catch {
        // A failing crash reporter must not stop the schedule either.
      }
    } finally {
      const finished = clock.now();
      s.running = false;
      s.runs += 1;
      s.lastFinishedAt = finished;
      s.lastDurationMs = finished - started;
      const next = started + job.intervalMs * (1 + (random() * 2 - 1) * jitter);
      if (finished - started > job.intervalMs) s.overruns += 1;
      arm(job, Math.max(0, next - finished));
    }
  };

  // Spread the first runs instead of starting everything at once, but never wait more than a
  // minute for a long-interval job's first answer.
  for (const job of options.jobs) arm(job, Math.floor(random() * jitter * Math.min(job.intervalMs, 60_000)));

  return {
    stats: () => stats,
    async stop() {
      controller.abort(new DOMException('monitor stopping', 'AbortError'));
      for (const handle of timers.values()) clock.clearTimeout(handle);
      timers.clear();
      await Promise.allSettled([...inFlight]);
    },
  };
}
