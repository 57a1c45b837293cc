import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LoadComparison } from './compare.js';
import { renderLoadHtml } from './html.js';
import type { LoadReport } from './load-report.js';
import { renderLoadMarkdown } from './markdown.js';

/** load.json, load.html and load.md into outputDir. */
export async function writeLoadFiles(report: LoadReport, comparison: LoadComparison | undefined, outputDir: string): Promise<string[]> {
  await mkdir(outputDir, { recursive: true });
  const files = {
    'load.json': `${JSON.stringify(report, null, 2)}\n`,
    'load.html': renderLoadHtml(report, comparison),
    'load.md': renderLoadMarkdown(report, comparison),
  };
  const written: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(outputDir, name);
    await writeFile(file, content);
    written.push(file);
  }
  return written;
}
