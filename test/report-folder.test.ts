/**
 * Issue 16 item 7: trouble with the reports folder (a file, `latest` not a symlink, read-only,
 * full) never costs the run its verdict and results: they print (--json included), the report
 * problem is one warning naming VOR_REPORTS_DIR, and no truncated file is left behind.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { main } from '../src/cli/main.js';
import type { RunSummary } from '../src/core/result.js';
import { BIN } from './helpers/cli.js';

const tmp = (name: string) => mkdtempSync(path.join(tmpdir(), `vor-report-folder-${name}-`));
const PROBE = ['probe', '--check', 'headers.hsts', '--json'];

/** Runs the CLI in this process (no start-up cost) with VOR_REPORTS_DIR set; stdout and stderr as text. */
async function probeWithReportsDir(reportsDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { stdout: '', stderr: '' };
  stdout.on('data', (d: Buffer) => (chunks.stdout += d.toString()));
  stderr.on('data', (d: Buffer) => (chunks.stderr += d.toString()));
  const env = { ...process.env, VOR_REPORTS_DIR: reportsDir, SENTRY_DSN: '', VOR_BASE_URL: '', VOR_CONFIG: '', NO_COLOR: '1' };
  const code = await main(['node', 'vor-watch', ...PROBE], { stdout, stderr, isTTY: false, env, cwd: tmpdir() });
  return { code, ...chunks };
}

/** The verdict and results are there whatever happened to the report. */
function assertVerdictPrinted(run: { code: number | null; stdout: string; stderr: string }): RunSummary {
  const summary = JSON.parse(run.stdout) as RunSummary;
  assert.deepEqual(
    summary.results.map((r) => [r.id, r.status]),
    [['headers.hsts', 'pass']],
  );
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /\bGO\b/);
  assert.doesNotMatch(run.stderr, /internal error/);
  return summary;
}

/** A command's exit code, stdout and stderr (killed after timeoutMs). */
function capture(command: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(command, args, { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = { stdout: '', stderr: '' };
    child.stdout.on('data', (d: Buffer) => (out.stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out.stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, ...out });
    });
  });
}

describe('report-folder trouble', { timeout: 120_000 }, () => {
  it('a reports "folder" that is a file: results and verdict print, the report goes to a temporary folder, named in one warning', async () => {
    const file = path.join(tmp('file'), 'reports');
    writeFileSync(file, 'not a folder');
    const run = await probeWithReportsDir(file);
    assertVerdictPrinted(run);
    const warning =
      /the report could not be written \(VOR_REPORTS_DIR (.+?): .*(ENOTDIR|EEXIST).*\); the verdict stands; this run's report is in (.+)$/m.exec(
        run.stderr,
      );
    assert.ok(warning, run.stderr);
    assert.equal(warning[1], file);
    assert.match(readFileSync(path.join(warning[3] ?? '', 'index.html'), 'utf8'), /<\/html>\s*$/);
    assert.equal(readFileSync(file, 'utf8'), 'not a folder');
  });

  it('`latest` that is not a symlink: the run folder is written, latest is left alone, and the warning says so', async () => {
    const reportsDir = tmp('latest');
    mkdirSync(path.join(reportsDir, 'latest'));
    writeFileSync(path.join(reportsDir, 'latest', 'mine.txt'), 'hand-made');
    const run = await probeWithReportsDir(reportsDir);
    assertVerdictPrinted(run);
    assert.match(run.stderr, /latest was not updated: .*latest exists and is not a symlink; remove it/);
    const printed = /report: (.+)\/index\.html/.exec(run.stderr)?.[1] ?? '';
    assert.equal(path.dirname(printed), reportsDir);
    assert.ok(existsSync(path.join(printed, 'index.html')) && existsSync(path.join(printed, '.complete')));
    assert.ok(statSync(path.join(reportsDir, 'latest')).isDirectory());
    assert.ok(existsSync(path.join(reportsDir, 'latest-probe', 'summary.json')), 'the other links still move');
  });

  // A full disk and a read-only folder are real file systems here: a small tmpfs in a private mount namespace.
  const unshare = spawnSync('unshare', ['-rm', 'true']).status === 0 ? false : 'SKIPPED: unshare -rm (user namespaces) is not available';
  for (const [name, prepare] of [
    // Room for a small file or two, not for index.html: without write-then-rename one of them would be left truncated.
    ['full', 'head -c 470k /dev/zero > "$DIR/filler"'],
    ['read-only', 'mount -o remount,ro "$DIR"'],
  ] as const) {
    it(
      `a ${name} reports folder: the verdict and --json print, no truncated file is left, the warning names VOR_REPORTS_DIR`,
      { skip: unshare },
      async () => {
        const dir = tmp(name);
        const script = `mount -t tmpfs -o size=512k tmpfs "$DIR" && mkdir "$DIR/reports" && ${prepare} && { "${process.execPath}" "${BIN}" ${PROBE.map((a) => `'${a}'`).join(' ')}; code=$?; find "$DIR/reports" -type f | while read -r f; do printf 'LEFT %s %s\\n' "$f" "$(tail -c 8 "$f" | tr -d '\\n')"; done >&2; exit $code; }`;
        const env = { DIR: dir, VOR_REPORTS_DIR: path.join(dir, 'reports'), SENTRY_DSN: '', VOR_BASE_URL: '', VOR_CONFIG: '' };
        const run = await capture('unshare', ['-rm', 'sh', '-c', script], env, 100_000);
        assertVerdictPrinted(run);
        assert.match(
          run.stderr,
          /the report could not be written \(VOR_REPORTS_DIR .*reports: .*(ENOSPC|EROFS|ENOENT|SQLITE_FULL|SQLITE_READONLY|readonly|full).*\); the verdict stands; this run.s report is in (.+)$/im,
        );
        const elsewhere = /this run's report is in (.+)$/m.exec(run.stderr)?.[1] ?? '';
        assert.match(readFileSync(path.join(elsewhere, 'index.html'), 'utf8'), /<\/html>\s*$/);
        // What the run left in the reports folder (listed inside the namespace): whole files only.
        const left = [...run.stderr.matchAll(/^LEFT (\S+) (.*)$/gm)].map(([, file = '', tail = '']) => ({ file, tail }));
        for (const { file, tail } of left) {
          assert.doesNotMatch(file, /\.tmp$/, 'no temporary file left');
          if (file.endsWith('index.html')) assert.match(tail, /<\/html>$/, `${file} is whole`);
          if (file.endsWith('.json')) assert.match(tail, /}$/, `${file} is whole`);
          if (file.endsWith('.xml')) assert.match(tail, />$/, `${file} is whole`);
        }
      },
    );
  }
});
