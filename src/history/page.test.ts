import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { FAILING_CHECK, FLAKY_CHECK, seedHistory } from '../../test/helpers/history-fixture.js';
import { main } from '../cli/main.js';

async function report(reportsDir: string, args: readonly string[] = []) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = { stdout: '', stderr: '' };
  stdout.on('data', (d: Buffer) => (out.stdout += d.toString()));
  stderr.on('data', (d: Buffer) => (out.stderr += d.toString()));
  const env = { ...process.env, VOR_REPORTS_DIR: reportsDir, VOR_CONFIG: '' };
  const code = await main(['node', 'vor-watch', 'report', ...args], { stdout, stderr, isTTY: false, env, cwd: path.dirname(reportsDir) });
  return { code, ...out };
}

const rowsOf = (html: string, target: string): string[] => {
  const section = new RegExp(`data-target="${target}">([\\s\\S]*?)</details>`).exec(html)?.[1] ?? '';
  return section.split('<tr class="check').slice(1);
};

test('vor-watch report renders 200 runs over two targets as one self-contained page', async () => {
  const reportsDir = path.join(mkdtempSync(path.join(tmpdir(), 'vor-history-page-')), 'reports');
  mkdirSync(reportsDir);
  const runIds = seedHistory(reportsDir, { runs: 200, folders: 5 });
  const run = await report(reportsDir);
  assert.equal(run.code, 0, run.stderr);
  const file = path.join(reportsDir, 'history.html');
  assert.equal(run.stdout, `history: ${file}\n`);
  const html = readFileSync(file, 'utf8');

  assert.equal(html.match(/<tr class="run"/g)?.length, 200, 'every run listed');
  assert.match(html, /200 runs in/);
  const production = rowsOf(html, 'production');
  const staging = rowsOf(html, 'staging');
  assert.ok(production.length >= 40 && staging.length >= 40, 'every check of both targets');
  assert.match(
    production[0] ?? '',
    new RegExp(`is-flaky[\\s\\S]*<code>${FLAKY_CHECK.replace('.', '\\.')}</code>[\\s\\S]*badge flaky`),
    'flaky first',
  );
  assert.match(
    production[1] ?? '',
    new RegExp(`<code>${FAILING_CHECK.replace('.', '\\.')}</code>[\\s\\S]*100 % failing`),
    'then the failing one',
  );
  const strip = /aria-label="([a-z ]+)"/.exec(production[0] ?? '')?.[1]?.split(' ') ?? [];
  assert.equal(strip.length, 30, 'a strip of the last 30 runs');
  assert.ok(strip.includes('pass') && strip.includes('fail'));
  assert.match(production[0] ?? '', /<polyline points="[\d., ]+"/, 'a duration trend');

  // Links only to run folders that are still there, relative, so the page opens from disk.
  const links = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(
    links.sort(),
    runIds
      .slice(-5)
      .map((id) => `${id}/index.html`)
      .sort(),
  );
  assert.equal(html.match(/>removed</g)?.length, 195);
  assert.doesNotMatch(html, /<script|src="http|href="http|url\(/i, 'no script, nothing fetched');
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);

  // Written elsewhere, the links still find the run folders.
  const elsewhere = await report(reportsDir, ['--out', 'pages/history.html', '--runs', '10']);
  assert.equal(elsewhere.code, 0, elsewhere.stderr);
  const page = readFileSync(path.join(path.dirname(reportsDir), 'pages', 'history.html'), 'utf8');
  assert.equal(page.match(/<tr class="run"/g)?.length, 10);
  assert.ok(page.includes(`href="../reports/${runIds.at(-1) ?? ''}/index.html"`));
});

test('vor-watch report without a history exits 2 naming VOR_REPORTS_DIR', async () => {
  const empty = mkdtempSync(path.join(tmpdir(), 'vor-history-none-'));
  const run = await report(empty);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /VOR_REPORTS_DIR: .* holds no run history/);
  const bad = await report(empty, ['--runs', 'lots']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--runs/);
});
