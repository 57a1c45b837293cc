import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  readonly rssBytes: number;
}

const PAGE_BYTES = 4096;

/** Every live process (zombies left out: they hold no memory and are their parent's to reap); undefined without /proc. */
function readProcesses(): ProcessInfo[] | undefined {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const out: ProcessInfo[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // ended while we looked
    }
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') continue;
    out.push({ pid: Number(name), ppid: Number(fields[1]), pgid: Number(fields[2]), rssBytes: Number(fields[21] ?? 0) * PAGE_BYTES });
  }
  return out;
}

/** A process's proportional set size from /proc/<pid>/smaps_rollup (Linux 4.14+); undefined when unreadable. */
function pssBytes(pid: number): number | undefined {
  try {
    const kb = /^Pss:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/**
 * Whether a process belongs to the run by its private temp folder: TMPDIR in its environment (as
 * started), or a browser profile (--user-data-dir) under it. False when it cannot be read (another user's).
 */
export function usesTmpDir(pid: number, tmpDir: string): boolean {
  const inside = (dir: string): boolean => dir === tmpDir || dir.startsWith(`${tmpDir}/`);
  try {
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    if (environ.some((v) => v.startsWith('TMPDIR=') && inside(v.slice('TMPDIR='.length)))) return true;
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return args.some((a) => a.startsWith('--user-data-dir=') && inside(a.slice('--user-data-dir='.length)));
  } catch {
    return false;
  }
}

const OWN_PGID = (() => {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return undefined;
  }
})();

function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: nothing left in the group
  }
}

/**
 * The processes of one browser run: the runner's own process group, and every group its
 * descendants started. Playwright launches each browser as the leader of a group of its own, so
 * the runner's group alone misses them; groups are remembered once seen, so a browser orphaned by
 * its worker is still found after it was reparented. A process orphaned between two looks is
 * found by the run's private temp folder (`tmpDir`), which every process of the run inherits.
 */
export class RunProcesses {
  private readonly known = new Set<number>();
  /** Processes already looked at for `tmpDir` (a pid is read once). */
  private readonly checked = new Set<number>();

  constructor(
    private readonly rootPid: number,
    private readonly tmpDir?: string,
  ) {
    this.known.add(rootPid);
  }

  /** Every process group the run has had so far. */
  groups(): number[] {
    return [...this.known];
  }

  /** The run's live processes now (on systems without /proc: one stand-in per group that still exists). */
  members(): ProcessInfo[] {
    const all = readProcesses();
    if (all === undefined) {
      return this.groups()
        .filter((g) => signalGroup(g, 0))
        .map((g) => ({ pid: g, ppid: 0, pgid: g, rssBytes: 0 }));
    }
    const children = new Map<number, ProcessInfo[]>();
    for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
    const pending = [this.rootPid];
    for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
      for (const child of children.get(pid) ?? []) {
        this.known.add(child.pgid);
        pending.push(child.pid);
      }
    }
    if (this.tmpDir !== undefined)
      for (const p of all) {
        // Never our own group: ending the run must not end the caller.
        if (this.known.has(p.pgid) || this.checked.has(p.pid) || p.pgid === OWN_PGID) continue;
        this.checked.add(p.pid);
        if (usesTmpDir(p.pid, this.tmpDir)) this.known.add(p.pgid);
      }
    return all.filter((p) => this.known.has(p.pgid));
  }

  /**
   * The run's memory as proportional set size: pages shared between processes (Chromium's renderers,
   * the runner's workers) are split between them instead of counted once per process, which would
   * overstate a healthy run with a few workers several times. RSS where smaps_rollup cannot be read.
   */
  memoryBytes(): number {
    return this.members().reduce((sum, p) => sum + (pssBytes(p.pid) ?? p.rssBytes), 0);
  }

  /**
   * Ends every process of the run: SIGTERM to each of its groups, SIGKILL after `graceMs`, and
   * returns once none is left (or `waitMs` later, when something unkillable lingers), saying whether all are gone.
   */
  async terminate({ graceMs = 3_000, waitMs = 10_000 } = {}): Promise<boolean> {
    const signalled = new Set<number>();
    const signalNew = (signal: NodeJS.Signals): void => {
      for (const g of this.groups()) if (!signalled.has(g) && signalGroup(g, signal)) signalled.add(g);
    };
    if (this.members().length === 0) return true;
    signalNew('SIGTERM');
    if (await this.goneWithin(graceMs, () => signalNew('SIGTERM'))) return true;
    signalled.clear();
    signalNew('SIGKILL');
    return this.goneWithin(waitMs, () => signalNew('SIGKILL'));
  }

  /** Polls until no member is left; groups discovered meanwhile (a browser launched during the grace) get `onNew`. */
  private async goneWithin(ms: number, onNew: () => void): Promise<boolean> {
    const deadline = performance.now() + ms;
    for (;;) {
      if (this.members().length === 0) return true;
      if (performance.now() >= deadline) return false;
      onNew();
      await sleep(100);
    }
  }
}
