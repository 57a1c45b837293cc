/** Where a command writes and what it reads from its process; tests pass their own. */
export interface CommandIO {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly isTTY: boolean;
  /** Whether stderr (where progress goes) is a terminal; isTTY when not given. */
  readonly stderrIsTTY?: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export const processIO = (): CommandIO => ({
  stdout: process.stdout,
  stderr: process.stderr,
  isTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  env: process.env,
  cwd: process.cwd(),
});
