import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { configError } from '../../config/errors.js';
import { resolveConfig } from '../../config/resolve.js';
import { HISTORY_PAGE, renderHistoryPage } from '../../history/page.js';
import { HISTORY_FILE, HistoryStore } from '../../history/store.js';
import { writeFileAtomic } from '../../report/write.js';
import type { CommandIO } from '../../session/io.js';

/** `vor-watch report`: the run history across runs and targets as one page (reports/history.html). */
export async function run(options: Record<string, unknown>, io: CommandIO): Promise<number> {
  const { reportsDir } = resolveConfig({
    flags: typeof options.config === 'string' ? { config: options.config } : {},
    env: io.env,
    cwd: io.cwd,
  });
  const runs = typeof options.runs === 'string' ? Number(options.runs) : 200;
  if (!Number.isInteger(runs) || runs < 1 || runs > 100_000)
    throw configError('--runs', `"${String(options.runs)}" is not a whole number from 1 to 100000`);
  if (!existsSync(path.join(reportsDir, HISTORY_FILE))) {
    throw configError(
      'VOR_REPORTS_DIR',
      `${reportsDir} holds no run history (${HISTORY_FILE}); run verify, probe, smoke, load or gate first, or point VOR_REPORTS_DIR at the reports folder`,
    );
  }
  const outFile = path.resolve(io.cwd, typeof options.out === 'string' ? options.out : path.join(reportsDir, HISTORY_PAGE));
  mkdirSync(path.dirname(outFile), { recursive: true });
  const store = HistoryStore.open(reportsDir, { mustExist: true });
  try {
    await writeFileAtomic(outFile, renderHistoryPage(store, { reportsDir, outFile, runs }));
  } finally {
    store.close();
  }
  io.stdout.write(`history: ${outFile}\n`);
  return 0;
}
