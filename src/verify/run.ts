import path from 'node:path';
import type { CommandIO, TargetSession } from '../cli/context.js';
import type { Progress } from '../cli/progress.js';
import { probeTarget } from '../cli/probe-target.js';
import type { CheckResult, RunSummary } from '../core/result.js';
import type { ReportArtifacts } from '../report/html.js';
import { newRunId, runDirOf } from '../report/write.js';
import { writeSessionReport } from '../cli/session-report.js';
import { SUITES, type SuiteName } from './suites.js';
import { reportRunToSentry } from '../sentry/report-run.js';

export interface VerifyOptions {
  readonly session: TargetSession;
  readonly suite: SuiteName;
  readonly smoke: boolean;
  readonly load: boolean;
  readonly io: CommandIO;
  readonly progress: Progress;
  readonly signal?: AbortSignal;
}

/** The post-deploy run: probes, then smoke, then (optionally) a short sanity load; one report. */
export async function runVerify(options: VerifyOptions): Promise<{ summary: RunSummary; dir: string }> {
  const { session, io, progress } = options;
  const suite = SUITES[options.suite];
  const startedAt = new Date();
  const runId = newRunId('verify', startedAt);
  const dir = runDirOf(session.config.reportsDir, runId);
  const results: CheckResult[] = [];
  const links: { label: string; href: string }[] = [];
  const screenshots: { id: string; path: string }[] = [];
  const traces: { id: string; href: string }[] = [];

  for (const target of session.targets) {
    progress.phase(`probes on ${target.origin}`);
    results.push(
      ...(await probeTarget(session, target, {
        checkGlobs: suite.probeChecks,
        onResults: (list) => progress.results(list),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      })),
    );

    const smokeGrep: string | undefined = 'smokeGrep' in suite ? suite.smokeGrep : undefined;
    if (options.smoke && smokeGrep !== undefined) {
      progress.phase(`browser flows and checks on ${target.origin}`);
      const { runSmoke } = await import('../../smoke/run.js');
      const outputDir =
        session.targets.length > 1 ? path.join(dir, `smoke-${new URL(target.origin).host.replace(/[^a-z0-9.-]/gi, '_')}`) : dir;
      const smoke = await runSmoke({
        target,
        budgets: session.config.budgets,
        ...(smokeGrep === '' ? {} : { grep: smokeGrep }),
        outputDir,
        redactor: session.redactor,
        env: io.env,
        // Ctrl-C stops the browser run too, not only the probes and the load.
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      progress.results(smoke.results);
      results.push(...smoke.results);
      links.push({ label: 'Playwright report', href: `${path.relative(dir, smoke.playwrightReportDir)}/index.html` });
      for (const artifact of smoke.artifacts) {
        for (const shot of artifact.screenshots) screenshots.push({ id: artifact.id, path: shot });
        for (const trace of artifact.traces) traces.push({ id: artifact.id, href: path.relative(dir, trace) });
      }
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
        outputDir: dir,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      progress.results(load.results);
      results.push(...load.results);
      for (const file of load.files) if (file.endsWith('.html')) links.push({ label: 'Load report', href: path.relative(dir, file) });
    }
  }
  progress.done();

  await reportRunToSentry(session, results, io);
  const artifacts: ReportArtifacts = { links, screenshots, traces };
  const { summary } = await writeSessionReport(session, { startedAt, results, runId, artifacts });
  return { summary, dir };
}
