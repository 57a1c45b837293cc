/** Runs Debian's promtool; tests skip loudly only when it is not installed. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PROMTOOL = '/usr/bin/promtool';
export const PROMETHEUS = '/usr/bin/prometheus';
export const havePromtool = existsSync(PROMTOOL);
export const havePrometheus = existsSync(PROMETHEUS);

export function skipMessage(binary: string): string | false {
  if (existsSync(binary)) return false;
  const message = `SKIPPED: ${binary} is not installed (apt-get install prometheus); CI installs it, so there this test runs`;
  console.error(`\n*** ${message} ***\n`);
  return message;
}

export function runTool(
  binary: string,
  args: readonly string[],
  stdin?: string,
  timeoutMs = 30_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${binary} ${args.join(' ')} timed out`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin ?? '');
  });
}
