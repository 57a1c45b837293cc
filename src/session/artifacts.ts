import path from 'node:path';
import type { ReportArtifacts } from '../report/html.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer E)[] ? E[] : T[K] };

/** A run's report artifacts (links, screenshots, traces), filled in as its browser and load runs finish. */
export type CollectedArtifacts = Mutable<ReportArtifacts>;

export const collectArtifacts = (): CollectedArtifacts => ({ links: [], screenshots: [], traces: [] });

/** Links the HTML report among a load run's files. */
export function addLoadReport(artifacts: CollectedArtifacts, runDir: string, files: readonly string[]): void {
  for (const file of files) if (file.endsWith('.html')) artifacts.links.push({ label: 'Load report', href: path.relative(runDir, file) });
}
