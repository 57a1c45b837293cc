import type { CheckResult, RunSummary } from '../core/result.js';
import { probeTarget } from '../session/probe-set.js';
import type { Progress } from '../session/progress.js';
import { beginRun, finishRun } from '../session/report.js';
import type { Session } from '../session/session.js';
import { addLoadReport, collectArtifacts } from '../session/artifacts.js';
import { smokeTarget } from '../session/smoke.js';
import { SUITES, type SuiteName } from './suites.js';

export interface VerifyOptions {
  readonly session: Session;
  readonly suite: SuiteName;
  readonly smoke: boolean;
  readonly load: boolean;
  /** --keep: retention never deletes this run's report. */
  readonly keep?: boolean;
  readonly progress: Progress;
  readonly signal: AbortSignal;
}

/** The post-deploy run: probes, then smoke, then (optionally) a short sanity load; one report. */
export async function runVerify(options: VerifyOptions): Promise<{ summary: RunSummary; dir: string; exitCode: number }> {
  const { session, progress, signal } = options;
  const suite = SUITES[options.suite];
  const run = beginRun(session, 'verify', new Date(), options.suite, options.keep === true);
  const results: CheckResult[] = [];
  const artifacts = collectArtifacts();

  for (const target of session.targets) {
    progress.phase(`probes on ${target.origin}`);
    results.push(
      ...(await probeTarget(session, target, { checkGlobs: suite.probeChecks, onResults: (list) => progress.results(list), signal })),
    );

    const smokeGrep: string | undefined = 'smokeGrep' in suite ? suite.smokeGrep : undefined;
    if (options.smoke && smokeGrep !== undefined) {
      progress.phase(`browser flows and checks on ${target.origin}`);
      // Ctrl-C stops the browser run too, not only the probes and the load.
      const smoke = await smokeTarget(session, target, {
        runDir: run.dir,
        ...(smokeGrep === '' ? {} : { grep: smokeGrep }),
        signal,
        reportLabel: 'Playwright report',
        artifacts,
        onTest: (event) => progress.test(event),
      });
      progress.results(smoke);
      results.push(...smoke);
    }

    if (options.load) {
      progress.phase(`sanity load on ${target.origin}`);
      const { runLoad } = await import('../../load/run.js');
      const load = await runLoad({
        target,
        scenario: 'browse',
        durationSeconds: 5,
        connections: 4,
        redactor: session.redactor,
        outputDir: run.dir,
        signal,
      });
      progress.results(load.results);
      results.push(...load.results);
      addLoadReport(artifacts, run.dir, load.files);
    }
  }
  progress.done();
  return finishRun(session, run, results, artifacts);
}
