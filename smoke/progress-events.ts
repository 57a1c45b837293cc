import { appendFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import type { Suite, TestCase, TestResult } from '@playwright/test/reporter';
import { z } from 'zod';
import type { Redactor } from '../src/core/redact.js';

/**
 * The browser run's progress, one JSON line per finished test attempt, streamed from the Playwright
 * runner to vor-watch: the reporter appends to the file this variable names, runSmoke tails it.
 * Playwright's own reporters print at their pace (or not at all off a terminal); this is ours.
 */
export const SMOKE_PROGRESS_ENV = 'VOR_SMOKE_PROGRESS';

const SmokeTestEventSchema = z.object({
  title: z.string(),
  status: z.enum(['passed', 'failed', 'timedOut', 'skipped', 'interrupted']),
  durationMs: z.number(),
  /** 0 for the first attempt. */
  retry: z.number().int(),
  /** This attempt failed and Playwright runs the test again. */
  willRetry: z.boolean(),
  /** Tests in the run, counted when it began. */
  total: z.number().int(),
});
export type SmokeTestEvent = z.infer<typeof SmokeTestEventSchema>;

/** The reporter's side: appends an event as each test attempt ends; does nothing when the variable is unset (a run by hand). */
export class SmokeProgressWriter {
  private total = 0;

  constructor(private readonly file: string | undefined = process.env[SMOKE_PROGRESS_ENV]) {}

  begin(suite: Suite): void {
    this.total = suite.allTests().length;
  }

  testEnd(test: TestCase, result: TestResult): void {
    if (this.file === undefined || this.file === '') return;
    const willRetry =
      result.status !== 'passed' && result.status !== 'skipped' && result.status !== 'interrupted' && result.retry < test.retries;
    const event: SmokeTestEvent = {
      title: test.title,
      status: result.status,
      durationMs: result.duration,
      retry: result.retry,
      willRetry,
      total: this.total,
    };
    try {
      // One short append per line: the tailing side never sees half a line it cannot finish later.
      appendFileSync(this.file, `${JSON.stringify(event)}\n`);
    } catch {
      // Progress is a courtesy: a full disk must not fail the run's results.
    }
  }
}

export interface ProgressTail {
  /** Reads what is left and stops; every event written before the runner exited has been delivered. */
  stop(): Promise<void>;
}

const POLL_MS = 150;
const MAX_LINE_CHARS = 64 * 1024;

/**
 * runSmoke's side: follows the file as the runner appends to it, hands each event on (its title
 * redacted: titles are the team's, and a run's secrets must not reach the terminal) in order.
 */
export function tailSmokeProgress(file: string, redactor: Redactor, onTest: (event: SmokeTestEvent) => void): ProgressTail {
  let offset = 0;
  let partial = '';
  let handle: FileHandle | undefined;
  // A character's bytes may straddle two reads.
  const decoder = new StringDecoder('utf8');
  let reading: Promise<void> = Promise.resolve();
  const deliver = (line: string): void => {
    if (line.trim() === '') return;
    let parsed: ReturnType<typeof SmokeTestEventSchema.safeParse>;
    try {
      parsed = SmokeTestEventSchema.safeParse(JSON.parse(line));
    } catch {
      return;
    }
    if (parsed.success) onTest({ ...parsed.data, title: redactor.string(parsed.data.title) });
  };
  const readMore = async (): Promise<void> => {
    handle ??= await open(file, 'r').catch(() => undefined);
    if (handle === undefined) return;
    const buffer = Buffer.alloc(MAX_LINE_CHARS);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
      if (bytesRead === 0) return;
      offset += bytesRead;
      const lines = (partial + decoder.write(buffer.subarray(0, bytesRead))).split('\n');
      partial = (lines.pop() ?? '').slice(-MAX_LINE_CHARS);
      for (const line of lines) deliver(line);
    }
  };
  const poll = (): void => {
    reading = reading.then(readMore).catch(() => undefined);
  };
  const timer = setInterval(poll, POLL_MS);
  return {
    async stop() {
      clearInterval(timer);
      poll();
      await reading;
      deliver(partial);
      partial = '';
      await handle?.close().catch(() => undefined);
    },
  };
}
