/** CPU and memory of a process from /proc (Linux), for the soak and the benchmark. */
import { readFileSync } from 'node:fs';

const CLOCK_TICKS = 100; // USER_HZ on Linux

export interface ProcSample {
  readonly cpuSeconds: number;
  readonly rssBytes: number;
}

export function sampleProcess(pid: number): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return { cpuSeconds: ticks / CLOCK_TICKS, rssBytes: Number(rss?.[1] ?? 0) * 1024 };
  } catch {
    return undefined;
  }
}

/** Samples a set of processes every second; their sum is reported as one. */
export function watchProcesses(pids: () => readonly number[]): {
  stop(): { cpuSeconds: number; rssAvgBytes: number; rssMaxBytes: number; rssSeries: number[] };
} {
  const start = new Map<number, number>();
  const last = new Map<number, number>();
  const rssSeries: number[] = [];
  const take = (): void => {
    let rss = 0;
    for (const pid of pids()) {
      const s = sampleProcess(pid);
      if (s === undefined) continue;
      if (!start.has(pid)) start.set(pid, s.cpuSeconds);
      last.set(pid, s.cpuSeconds);
      rss += s.rssBytes;
    }
    rssSeries.push(rss);
  };
  take();
  const timer = setInterval(take, 1000);
  return {
    stop() {
      clearInterval(timer);
      take();
      let cpu = 0;
      for (const [pid, end] of last) cpu += end - (start.get(pid) ?? end);
      const nonZero = rssSeries.filter((r) => r > 0);
      return {
        cpuSeconds: cpu,
        rssAvgBytes: nonZero.reduce((a, b) => a + b, 0) / Math.max(1, nonZero.length),
        rssMaxBytes: Math.max(0, ...nonZero),
        rssSeries: nonZero,
      };
    },
  };
}
