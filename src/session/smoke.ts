import path from 'node:path';
import type { SmokeTestEvent } from '../../smoke/progress-events.js';
import type { CheckResult } from '../core/result.js';
import type { Target } from '../core/target.js';
import { budgetsFor } from '../custom/overrides.js';
import type { CollectedArtifacts } from './artifacts.js';
import { targetFolder } from './folders.js';
import type { Session } from './session.js';

export interface SmokeTargetOptions {
  /** The run folder; the target's Playwright files go there, or in its own subfolder when there are several targets. */
  readonly runDir: string;
  /** A Playwright --grep; undefined runs every flow and browser check. */
  readonly grep?: string;
  readonly signal: AbortSignal;
  /** The label of the link to the target's Playwright report. */
  readonly reportLabel: string;
  readonly artifacts: CollectedArtifacts;
  readonly onOutput?: (text: string) => void;
  /** Each browser test as it finishes, streamed from the Playwright run. */
  readonly onTest?: (event: SmokeTestEvent) => void;
}

/** The Playwright flows and browser checks against one target; its report, screenshots and traces join `artifacts`. */
export async function smokeTarget(session: Session, target: Target, options: SmokeTargetOptions): Promise<CheckResult[]> {
  const { runSmoke } = await import('../../smoke/run.js');
  const { runDir, artifacts } = options;
  const smoke = await runSmoke({
    target,
    budgets: budgetsFor(session.config.budgets, target.checkSettings),
    timeoutMs: session.config.smoke.budgetMs,
    testTimeoutMs: session.config.smoke.testTimeoutMs,
    ...(options.grep === undefined ? {} : { grep: options.grep }),
    ...(session.config.checksDir === undefined ? {} : { checksDir: session.config.checksDir }),
    outputDir: targetFolder(runDir, 'smoke', target, session.targets.length),
    redactor: session.redactor,
    secrets: [...session.config.secrets, ...(session.embedded === undefined ? [] : [session.embedded.adminToken])],
    env: session.io.env,
    signal: options.signal,
    ...(options.onOutput === undefined ? {} : { onOutput: options.onOutput }),
    ...(options.onTest === undefined ? {} : { onTest: options.onTest }),
  });
  artifacts.links.push({ label: options.reportLabel, href: `${path.relative(runDir, smoke.playwrightReportDir)}/index.html` });
  for (const artifact of smoke.artifacts) {
    for (const shot of artifact.screenshots) artifacts.screenshots.push({ id: artifact.id, path: shot });
    for (const trace of artifact.traces) artifacts.traces.push({ id: artifact.id, href: path.relative(runDir, trace) });
  }
  return smoke.results;
}
