import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CHECK_IDS } from '../../src/core/catalogue.js';
import type { Status } from '../../src/core/result.js';
import { COMPLETE_MARKER } from '../../src/history/marker.js';
import { HistoryStore, type CheckRecord } from '../../src/history/store.js';
import { newRunId } from '../../src/report/write.js';

export const FLAKY_CHECK = 'headers.hsts';
export const FAILING_CHECK = 'tls.protocols';

/**
 * A reports folder whose history holds `runs` runs over two targets and three commands, each
 * with `checks` results: one check flips every run (flaky), one always fails. Only the newest
 * `folders` runs still have a (complete) folder.
 */
export function seedHistory(reportsDir: string, options: { runs?: number; checks?: number; folders?: number } = {}): string[] {
  const runs = options.runs ?? 200;
  const ids = CHECK_IDS.filter((id) => !id.startsWith('load.') && !id.startsWith('rollback.')).slice(0, options.checks ?? 40);
  const commands = ['verify', 'probe', 'smoke'] as const;
  const store = HistoryStore.open(reportsDir);
  const runIds: string[] = [];
  try {
    for (let i = 0; i < runs; i += 1) {
      const startedAt = new Date(Date.parse('2026-11-01T00:00:00.000Z') + i * 3_600_000);
      const command = commands[i % commands.length] ?? 'verify';
      const target = i % 4 === 3 ? 'staging' : 'production';
      const runId = newRunId(command, startedAt);
      const checks: CheckRecord[] = [FLAKY_CHECK, FAILING_CHECK, ...ids.filter((id) => id !== FLAKY_CHECK && id !== FAILING_CHECK)].map(
        (checkId, n) => ({
          checkId,
          target,
          status: (checkId === FLAKY_CHECK
            ? i % 2 === 0
              ? 'pass'
              : 'fail'
            : checkId === FAILING_CHECK
              ? 'fail'
              : n % 9 === 0
                ? 'skip'
                : 'pass') as Status,
          durationMs: 10 + ((i * 7 + n) % 50),
        }),
      );
      const verdict = checks.some((c) => c.status === 'fail') ? 'fail' : 'pass';
      store.record(
        {
          runId,
          command,
          target,
          suite: '',
          verdict,
          startedAt: startedAt.toISOString(),
          durationMs: 1500,
          folder: runId,
          kept: false,
          version: '0.1.0',
        },
        checks,
      );
      runIds.push(runId);
    }
    const live = new Set(runIds.slice(-(options.folders ?? 5)));
    for (const runId of runIds) {
      if (!live.has(runId)) {
        store.markPruned(runId);
        continue;
      }
      mkdirSync(path.join(reportsDir, runId), { recursive: true });
      writeFileSync(path.join(reportsDir, runId, 'index.html'), '<!doctype html><title>run</title>');
      writeFileSync(path.join(reportsDir, runId, COMPLETE_MARKER), 'done');
    }
  } finally {
    store.close();
  }
  return runIds;
}
