/**
 * One of several concurrent runs sharing a reports folder (report-concurrency.test.ts): its run
 * folder exists from the start with a file written early (as browser runs do), it waits for the
 * others at a barrier, then finishes its report with a small retention. Prints what it saw.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildSummary } from '../../src/report/summary.js';
import { newRunId, writeRunReport } from '../../src/report/write.js';
import { checkResult } from './results.js';

const [reportsDir = '', index = '0', barrier = '', base = String(Date.now())] = process.argv.slice(2);
const startedAt = new Date(Number(base) + Number(index) * 1000);
const runId = newRunId('probe', startedAt);
const early = path.join(reportsDir, runId, 'playwright', 'early.txt');
mkdirSync(path.dirname(early), { recursive: true });
writeFileSync(early, 'written while the run was in progress');
for (let waited = 0; !existsSync(barrier) && waited < 60_000; waited += 10) await sleep(10);
await sleep(Math.random() * 200);

const results = [checkResult('headers.hsts', Number(index) % 2 === 0 ? 'pass' : 'fail')];
const written = await writeRunReport(buildSummary({ target: 'https://127.0.0.1:8443', startedAt, results, now: startedAt }), {
  reportsDir,
  runId,
  command: 'probe',
  targetNames: { 'https://127.0.0.1:8443': 'reference' },
  keep: 2,
  // Big enough that a run spends a while writing.
  extras: { 'load.json': JSON.stringify({ samples: 'x'.repeat(500_000) }) },
});
process.stdout.write(`${JSON.stringify({ runId, warnings: written.warnings })}\n`);
