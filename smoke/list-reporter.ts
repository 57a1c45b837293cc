import { writeFileSync } from 'node:fs';
import type { Reporter, Suite, TestError } from '@playwright/test/reporter';

/** The environment variable naming the file the listing is written to. */
export const LIST_FILE_ENV = 'VOR_SMOKE_LIST_FILE';

export interface ListedTest {
  readonly file: string;
  readonly line: number;
  readonly title: string;
  readonly tags: readonly string[];
  readonly annotations: readonly { readonly type: string; readonly description?: string }[];
}

export interface ListedError {
  readonly message: string;
  readonly stack?: string;
  readonly file?: string;
  readonly line?: number;
}

export interface Listing {
  readonly tests: readonly ListedTest[];
  readonly errors: readonly ListedError[];
}

/** `playwright test --list` with this reporter: the team's tests with their declarations, and the files that did not load. */
export default class ListReporter implements Reporter {
  private suite: Suite | undefined;
  private readonly errors: ListedError[] = [];

  printsToStdio(): boolean {
    return false;
  }

  onBegin(_config: unknown, suite: Suite): void {
    this.suite = suite;
  }

  onError(error: TestError): void {
    this.errors.push({
      message: error.message ?? String(error.value ?? 'error'),
      ...(error.stack === undefined ? {} : { stack: error.stack }),
      ...(error.location === undefined ? {} : { file: error.location.file, line: error.location.line }),
    });
  }

  onEnd(): void {
    const tests: ListedTest[] = (this.suite?.allTests() ?? []).map((test) => ({
      file: test.location.file,
      line: test.location.line,
      title: test.title,
      tags: test.tags,
      annotations: test.annotations.map((a) => ({ type: a.type, ...(a.description === undefined ? {} : { description: a.description }) })),
    }));
    const file = process.env[LIST_FILE_ENV];
    if (file !== undefined && file !== '') writeFileSync(file, JSON.stringify({ tests, errors: this.errors } satisfies Listing));
  }
}
