import path from 'node:path';
import Database from 'better-sqlite3';
import type { Status, Verdict } from '../core/result.js';

/** The run history's file inside the reports folder; several runs may write it at once (WAL, busy timeout). */
export const HISTORY_FILE = 'history.sqlite';

/** How long a run waits for another run's write (or prune) to finish before giving up on the history. */
const BUSY_TIMEOUT_MS = 15_000;

/** One finished run as the history indexes it. */
export interface RunRecord {
  readonly runId: string;
  readonly command: string;
  /** The run's target key: the target names, joined ("reference" for the embedded target). */
  readonly target: string;
  /** What the command selected: verify's suite, probe's --check globs, smoke's --grep, load's scenario. */
  readonly suite: string;
  readonly verdict: Verdict;
  readonly startedAt: string;
  readonly durationMs: number;
  /** The run folder, relative to the reports folder. */
  readonly folder: string;
  /** Made with --keep: retention never deletes it. */
  readonly kept: boolean;
  readonly version: string;
  /** Its folder was deleted by retention (the record stays, for trends). */
  readonly pruned?: boolean;
}

/** One check's outcome in one run; `target` is the target's name, stable across runs (an origin's port is not). */
export interface CheckRecord {
  readonly checkId: string;
  readonly target: string;
  readonly status: Status;
  readonly durationMs: number;
}

export interface CheckPoint extends CheckRecord {
  readonly runId: string;
  readonly command: string;
  readonly startedAt: string;
}

export interface SeriesKey {
  readonly command: string;
  readonly target: string;
  readonly suite: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  run_id TEXT PRIMARY KEY,
  command TEXT NOT NULL,
  target TEXT NOT NULL,
  suite TEXT NOT NULL,
  verdict TEXT NOT NULL,
  started_at TEXT NOT NULL,
  duration_ms REAL NOT NULL,
  folder TEXT NOT NULL,
  kept INTEGER NOT NULL DEFAULT 0,
  version TEXT NOT NULL,
  pruned INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS runs_by_series ON runs (command, target, suite, started_at);
CREATE TABLE IF NOT EXISTS checks (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  check_id TEXT NOT NULL,
  target TEXT NOT NULL,
  status TEXT NOT NULL,
  duration_ms REAL NOT NULL,
  PRIMARY KEY (run_id, check_id, target)
);
CREATE INDEX IF NOT EXISTS checks_by_check ON checks (target, check_id);
`;

interface RunRow {
  run_id: string;
  command: string;
  target: string;
  suite: string;
  verdict: string;
  started_at: string;
  duration_ms: number;
  folder: string;
  kept: number;
  version: string;
  pruned: number;
}

const recordOf = (row: RunRow): RunRecord => ({
  runId: row.run_id,
  command: row.command,
  target: row.target,
  suite: row.suite,
  verdict: row.verdict as Verdict,
  startedAt: row.started_at,
  durationMs: row.duration_ms,
  folder: row.folder,
  kept: row.kept === 1,
  version: row.version,
  pruned: row.pruned === 1,
});

/** Newest first; the run id breaks ties (it is sortable, and unique). */
const NEWEST_FIRST = 'ORDER BY started_at DESC, run_id DESC';

/** The history index of every run written to one reports folder (better-sqlite3). */
export class HistoryStore {
  private constructor(private readonly db: Database.Database) {}

  /** Opens (creating if need be, unless mustExist) reports/history.sqlite; throws when the file cannot be opened. */
  static open(reportsDir: string, options: { readonly mustExist?: boolean; readonly busyTimeoutMs?: number } = {}): HistoryStore {
    const file = path.join(reportsDir, HISTORY_FILE);
    const busyTimeoutMs = Math.max(0, Math.round(options.busyTimeoutMs ?? BUSY_TIMEOUT_MS));
    const db = new Database(file, { timeout: busyTimeoutMs, fileMustExist: options.mustExist === true });
    try {
      db.pragma(`busy_timeout = ${busyTimeoutMs}`);
      if (options.mustExist !== true) {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        db.exec(SCHEMA);
      }
      db.pragma('foreign_keys = ON');
    } catch (error) {
      db.close();
      throw error;
    }
    return new HistoryStore(db);
  }

  close(): void {
    this.db.close();
  }

  /**
   * Runs `work` holding the history's write lock (BEGIN IMMEDIATE): concurrent runs record,
   * repoint `latest` and choose what to prune one at a time, so none deletes what another is
   * about to link. Keep `work` short: the others wait for it (folders are deleted after it).
   */
  locked<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  record(run: RunRecord, checks: readonly CheckRecord[]): void {
    const insertRun = this.db.prepare(
      `INSERT OR REPLACE INTO runs (run_id, command, target, suite, verdict, started_at, duration_ms, folder, kept, version, pruned)
       VALUES (@runId, @command, @target, @suite, @verdict, @startedAt, @durationMs, @folder, @kept, @version, 0)`,
    );
    const insertCheck = this.db.prepare(
      'INSERT OR REPLACE INTO checks (run_id, check_id, target, status, duration_ms) VALUES (?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      insertRun.run({ ...run, kept: run.kept ? 1 : 0 });
      for (const c of checks) insertCheck.run(run.runId, c.checkId, c.target, c.status, c.durationMs);
    })();
  }

  /** The last run of the same command, target and suite that started before `beforeStartedAt`. */
  previousRun(key: SeriesKey, before: Pick<RunRecord, 'startedAt' | 'runId'>): RunRecord | undefined {
    const row = this.db
      .prepare(
        `SELECT * FROM runs WHERE command = ? AND target = ? AND suite = ? AND (started_at < ? OR (started_at = ? AND run_id < ?))
         ${NEWEST_FIRST} LIMIT 1`,
      )
      .get(key.command, key.target, key.suite, before.startedAt, before.startedAt, before.runId) as RunRow | undefined;
    return row === undefined ? undefined : recordOf(row);
  }

  checksOf(runId: string): CheckRecord[] {
    const rows = this.db.prepare('SELECT check_id, target, status, duration_ms FROM checks WHERE run_id = ?').all(runId) as {
      check_id: string;
      target: string;
      status: Status;
      duration_ms: number;
    }[];
    return rows.map((r) => ({ checkId: r.check_id, target: r.target, status: r.status, durationMs: r.duration_ms }));
  }

  /**
   * Each check's last `limit` outcomes on the given targets (any command), newest first, from
   * runs that started before `before` (all runs when absent).
   */
  checkSeries(targets: readonly string[], limit: number, before?: string): CheckPoint[] {
    if (targets.length === 0) return [];
    const rows = this.db
      .prepare(
        `SELECT * FROM (
           SELECT c.check_id, c.target, c.status, c.duration_ms, r.run_id, r.command, r.started_at,
                  ROW_NUMBER() OVER (PARTITION BY c.target, c.check_id ORDER BY r.started_at DESC, r.run_id DESC) AS n
           FROM checks c JOIN runs r ON r.run_id = c.run_id
           WHERE c.target IN (${targets.map(() => '?').join(', ')}) AND r.started_at < ?
         ) WHERE n <= ? ORDER BY target, check_id, started_at DESC, run_id DESC`,
      )
      .all(...targets, before ?? '\uffff', limit) as {
      check_id: string;
      target: string;
      status: Status;
      duration_ms: number;
      run_id: string;
      command: string;
      started_at: string;
    }[];
    return rows.map((r) => ({
      checkId: r.check_id,
      target: r.target,
      status: r.status,
      durationMs: r.duration_ms,
      runId: r.run_id,
      command: r.command,
      startedAt: r.started_at,
    }));
  }

  /** Every run, newest first (at most `limit`). */
  runs(limit = 100_000): RunRecord[] {
    return (this.db.prepare(`SELECT * FROM runs ${NEWEST_FIRST} LIMIT ?`).all(limit) as RunRow[]).map(recordOf);
  }

  /** The runs of one command and target whose folders are still there, newest first. */
  liveRuns(command: string, target: string): RunRecord[] {
    return (
      this.db.prepare(`SELECT * FROM runs WHERE command = ? AND target = ? AND pruned = 0 ${NEWEST_FIRST}`).all(command, target) as RunRow[]
    ).map(recordOf);
  }

  /** Each run's count of results per status. */
  statusCounts(): Map<string, Readonly<Record<Status, number>>> {
    const rows = this.db.prepare('SELECT run_id, status, COUNT(*) AS n FROM checks GROUP BY run_id, status').all() as {
      run_id: string;
      status: Status;
      n: number;
    }[];
    const counts = new Map<string, Record<Status, number>>();
    for (const row of rows) {
      const entry = counts.get(row.run_id) ?? { pass: 0, warn: 0, fail: 0, error: 0, skip: 0 };
      entry[row.status] = row.n;
      counts.set(row.run_id, entry);
    }
    return counts;
  }

  runCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n;
  }

  /** The target names results were recorded under. */
  checkTargets(): string[] {
    return (this.db.prepare('SELECT DISTINCT target FROM checks').all() as { target: string }[]).map((r) => r.target);
  }

  /** How many runs had results on a target, and how many of those were GO. */
  runsOfCheckTarget(target: string): { total: number; go: number } {
    return this.db
      .prepare(
        `SELECT COUNT(*) AS total, COALESCE(SUM(verdict = 'pass'), 0) AS go FROM runs
         WHERE run_id IN (SELECT DISTINCT run_id FROM checks WHERE target = ?)`,
      )
      .get(target) as { total: number; go: number };
  }

  markPruned(runId: string, pruned = true): void {
    this.db.prepare('UPDATE runs SET pruned = ? WHERE run_id = ?').run(pruned ? 1 : 0, runId);
  }
}
