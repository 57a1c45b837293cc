import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import type { CheckResult } from '../core/result.js';
import type { Target } from '../core/target.js';
import { collectArtifacts } from '../session/artifacts.js';
import type { Session } from '../session/session.js';
import { smokeTarget } from '../session/smoke.js';
import type { LoopJob } from './loop.js';
import { WarmBrowser } from './warm-browser.js';

/** What the monitor watches in the browser: the critical built-in flows and every check of the team's own specs. */
export const MONITOR_BROWSER_GREP = '@critical|@custom';
/** When the team's specs are configured and no --browser-interval is given. */
export const DEFAULT_BROWSER_INTERVAL_MS = 5 * 60_000;

export interface BrowserJobsInput {
  readonly session: Session;
  readonly intervalMs: number;
  /** Which tests (a Playwright --grep; default MONITOR_BROWSER_GREP). */
  readonly grep?: string;
  /** Each run's records, fed to the same metrics (and Sentry) as the probes'. */
  readonly record: (target: Target, results: readonly CheckResult[]) => void;
}

export interface BrowserJobs {
  readonly jobs: LoopJob[];
  /** Closes the warm browser and deletes the last runs' evidence folder. */
  close(): Promise<void>;
}

/**
 * One browser job per target, on its own interval and lane (a run of minutes never holds up the
 * probes). One browser run at a time across targets, and a job never overlaps itself (the loop
 * re-arms it only when it finished), so the monitor never runs two Chromium suites at once.
 */
export async function browserJobs(input: BrowserJobsInput): Promise<BrowserJobs> {
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'vor-monitor-browser-'));
  const oneAtATime = pLimit(1);
  const browser = new WarmBrowser(input.session.io.env);
  const jobs = input.session.targets.map((target, index): LoopJob => ({
    key: `${target.origin} browser`,
    intervalMs: input.intervalMs,
    ownLane: true,
    run: (signal) =>
      oneAtATime(async () => {
        if (signal.aborted) return;
        // Only the latest run's report and evidence are kept: the monitor's history is its metrics.
        const runDir = path.join(workDir, String(index));
        await rm(runDir, { recursive: true, force: true });
        const session = { ...input.session, io: { ...input.session.io, env: await browser.env() } };
        const results = await smokeTarget(session, target, {
          runDir,
          grep: input.grep ?? MONITOR_BROWSER_GREP,
          signal,
          reportLabel: 'Playwright report',
          artifacts: collectArtifacts(),
        });
        input.record(target, results);
      }),
  }));
  return {
    jobs,
    async close() {
      await browser.close();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
